import { describe, expect, it } from 'vitest';
import { foldVietnamese, normalizeKey } from './fold-vietnamese.ts';

describe('foldVietnamese', () => {
  it('folds names with every kind of Vietnamese mark', () => {
    expect(foldVietnamese('Phường Điện Biên Phủ')).toBe('phuong dien bien phu');
    expect(foldVietnamese('Xã Mường Nhé')).toBe('xa muong nhe');
    expect(foldVietnamese('Thị trấn Tủa Chùa')).toBe('thi tran tua chua');
    expect(foldVietnamese('Sìn Hồ, Nậm Pồ, Ẳng Cang, Quài Tở')).toBe('sin ho, nam po, ang cang, quai to');
    expect(foldVietnamese('ĐỒI A1 – Di tích quốc gia đặc biệt')).toBe('doi a1 – di tich quoc gia dac biet');
  });

  it('treats composed (NFC) and decomposed (NFD) input alike', () => {
    const composed = 'Điện Biên Đông';
    expect(foldVietnamese(composed.normalize('NFD'))).toBe('dien bien dong');
    expect(foldVietnamese(composed.normalize('NFC'))).toBe('dien bien dong');
  });

  it('collapses and trims whitespace, including tabs and non-breaking spaces', () => {
    expect(foldVietnamese('  Mường\t\tLay \u00a0 ')).toBe('muong lay');
  });

  it('maps the eth look-alike Ð (U+00D0) to d', () => {
    expect(foldVietnamese('\u00d0iện Biên')).toBe('dien bien');
  });
});

describe('normalizeKey', () => {
  it('makes property names written in different styles equal', () => {
    expect(new Set(['Mã xã', 'MA_XA', 'maXa', 'ma-xa', 'MaXa'].map(normalizeKey))).toEqual(new Set(['maxa']));
  });
});
