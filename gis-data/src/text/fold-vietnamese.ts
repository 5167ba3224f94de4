/**
 * Folds Vietnamese text to a plain lowercase ASCII-ish form for search: "Phường Điện Biên Phủ" →
 * "phuong dien bien phu". Decomposes (NFD) and drops the combining marks, so tone marks and the
 * breve/circumflex/horn go; đ/Đ are letters of their own (not a base letter plus a mark), so they are
 * mapped by hand. Ð (U+00D0, Icelandic eth) is mapped too, because legacy encodings and OCR often put it
 * where Đ belongs.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐÐð]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A key for comparing names written in different styles: folded, and with everything that is not a
 * letter or digit removed, so "Mã xã", "MA_XA", "maXa" and "ma-xa" all become "maxa".
 */
export function normalizeKey(text: string): string {
  return foldVietnamese(text).replace(/[^\p{L}\p{N}]+/gu, '');
}
