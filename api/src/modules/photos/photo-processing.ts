import exifr from 'exifr';
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import { AppError } from '../../errors/app-error.ts';
import { decodeHeic, type DecodedImage } from './heic-decoder.ts';

/**
 * One uploaded photo in, two copies out:
 * - the original, byte for byte, kept privately as evidence;
 * - a public copy: auto-rotated, at most `publicMaxEdge` pixels on its longer edge, in sRGB with every
 *   piece of metadata removed (EXIF with its GPS position, XMP, IPTC, ICC), so that a published photo
 *   never reveals more than its pixels;
 * and the EXIF position and time, read for the location check.
 *
 * The type is decided by the bytes (magic numbers), never by the file name or the declared MIME type.
 * Every refusal is a `PhotoRejectedError` (an `AppError`: 400/413/415 with English and Vietnamese
 * messages), never a 500.
 */

export interface PhotoLimits {
  /** Largest upload accepted, in bytes (default 10 MiB). */
  maxBytes: number;
  /** Largest width × height accepted (default 50 megapixels): refuses decompression bombs before decoding. */
  maxPixels: number;
  /** Longer edge of the public copy, in pixels (default 1600). */
  publicMaxEdge: number;
}

export const defaultPhotoLimits: Readonly<PhotoLimits> = Object.freeze({
  maxBytes: 10 * 1024 * 1024,
  maxPixels: 50_000_000,
  publicMaxEdge: 1600,
});

export type OriginalContentType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic' | 'image/heif';

export interface ProcessedPhoto {
  /** Exactly as uploaded (evidence). */
  original: { bytes: Buffer; contentType: OriginalContentType };
  /** Resized, auto-rotated, all metadata stripped. WebP only when the photo has transparency. */
  public: { bytes: Buffer; contentType: 'image/jpeg' | 'image/webp'; width: number; height: number };
  /** From the photo's EXIF; null when absent or implausible. */
  exif: { latitude: number | null; longitude: number | null; takenAt: Date | null };
}

export type PhotoRejectionCode = 'UNSUPPORTED_MEDIA_TYPE' | 'PAYLOAD_TOO_LARGE' | 'VALIDATION_FAILED';

export class PhotoRejectedError extends AppError {
  declare readonly code: PhotoRejectionCode;
  declare readonly messageVi: string;

  constructor(code: PhotoRejectionCode, message: string, messageVi: string, details?: Record<string, unknown>, cause?: unknown) {
    super(code, message, { vi: messageVi, details, cause });
    this.name = 'PhotoRejectedError';
  }
}

const ACCEPTED_EN = 'Accepted photo types: JPEG, PNG, WebP, HEIC.';
const ACCEPTED_VI = 'Chỉ nhận ảnh JPEG, PNG, WebP hoặc HEIC.';

export type DetectedType =
  | { accepted: true; contentType: OriginalContentType; label: string }
  | { accepted: false; label: string };

/** HEIF brands of HEVC-coded images (HEIC) and of generic HEIF image files. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
const HEIF_BRANDS = new Set(['mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** What the bytes are, by their signature. Only JPEG, PNG, WebP and HEIC/HEIF are accepted. */
export function detectImageType(bytes: Uint8Array): DetectedType {
  const ascii = (start: number, end: number): string => Buffer.from(bytes.subarray(start, end)).toString('latin1');
  const startsWith = (...signature: number[]): boolean => signature.every((byte, index) => bytes[index] === byte);

  if (startsWith(0xff, 0xd8, 0xff)) return { accepted: true, contentType: 'image/jpeg', label: 'JPEG' };
  if (startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { accepted: true, contentType: 'image/png', label: 'PNG' };
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { accepted: true, contentType: 'image/webp', label: 'WebP' };
  if (ascii(4, 8) === 'ftyp') {
    const boxSize = Buffer.from(bytes.subarray(0, 4)).readUInt32BE(0);
    const major = ascii(8, 12);
    const compatible: string[] = [];
    for (let offset = 16; offset + 4 <= Math.min(boxSize, bytes.length, 256); offset += 4) compatible.push(ascii(offset, offset + 4));
    const brands = [major, ...compatible];
    if (brands.some((brand) => AVIF_BRANDS.has(brand))) return { accepted: false, label: 'AVIF' };
    if (brands.some((brand) => HEIC_BRANDS.has(brand))) return { accepted: true, contentType: 'image/heic', label: 'HEIC' };
    if (brands.some((brand) => HEIF_BRANDS.has(brand))) return { accepted: true, contentType: 'image/heif', label: 'HEIF' };
    return { accepted: false, label: `an ISO media file (${major.trim() || 'unknown brand'}, e.g. a video)` };
  }
  // Named only to say what was sent instead of a photo.
  if (ascii(0, 4) === 'GIF8') return { accepted: false, label: 'GIF' };
  if (ascii(0, 5) === '%PDF-') return { accepted: false, label: 'PDF' };
  if (startsWith(0x42, 0x4d)) return { accepted: false, label: 'BMP' };
  if (startsWith(0x49, 0x49, 0x2a, 0x00) || startsWith(0x4d, 0x4d, 0x00, 0x2a)) return { accepted: false, label: 'TIFF' };
  if (startsWith(0x4d, 0x5a)) return { accepted: false, label: 'a Windows executable' };
  if (startsWith(0x7f, 0x45, 0x4c, 0x46)) return { accepted: false, label: 'an ELF executable' };
  if (startsWith(0x50, 0x4b, 0x03, 0x04)) return { accepted: false, label: 'a ZIP archive' };
  const head = ascii(0, 512).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return { accepted: false, label: 'SVG' };
  if (head.startsWith('<')) return { accepted: false, label: 'HTML/XML' };
  return { accepted: false, label: 'an unknown type' };
}

export async function processPhoto(bytes: Buffer, declaredName: string | undefined, limits: Partial<PhotoLimits> = {}): Promise<ProcessedPhoto> {
  const { maxBytes, maxPixels, publicMaxEdge } = { ...defaultPhotoLimits, ...definedOnly(limits) };
  const { en: name, vi: nameVi } = displayNames(declaredName);

  if (bytes.length === 0) {
    throw new PhotoRejectedError('VALIDATION_FAILED', `${name} is empty.`, `${nameVi} rỗng.`);
  }
  if (bytes.length > maxBytes) {
    throw new PhotoRejectedError(
      'PAYLOAD_TOO_LARGE',
      `${name} is ${formatMegabytes(bytes.length)}; photos may be at most ${formatMegabytes(maxBytes)}.`,
      `${nameVi} có dung lượng ${formatMegabytes(bytes.length, 'vi')}; mỗi ảnh tối đa ${formatMegabytes(maxBytes, 'vi')}.`,
      { bytes: bytes.length, maxBytes },
    );
  }

  const unsupported = (label: string): PhotoRejectedError =>
    new PhotoRejectedError(
      'UNSUPPORTED_MEDIA_TYPE',
      `${name} is not a supported photo (its content is ${label}). ${ACCEPTED_EN}`,
      `${nameVi} không phải ảnh được chấp nhận (nội dung là ${label}). ${ACCEPTED_VI}`,
      { detected: label, accepted: ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] },
    );
  const detected = detectImageType(bytes);
  if (!detected.accepted) throw unsupported(detected.label);

  const corrupt = (cause: unknown): PhotoRejectedError =>
    new PhotoRejectedError(
      'VALIDATION_FAILED',
      `${name} looks like ${detected.label} but cannot be read (damaged or incomplete file). Please take or export the photo again.`,
      `Không đọc được ${lowerFirst(nameVi)} (tệp ${detected.label} bị hỏng hoặc tải lên chưa hết). Vui lòng chụp hoặc xuất lại ảnh.`,
      undefined,
      cause,
    );

  // The header only: dimensions and metadata, no pixels decoded yet.
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw corrupt(error);
  }
  const { width, height } = metadata;
  // An AV1-coded HEIF (AVIF) without the avif brand.
  if (metadata.format === 'heif' && metadata.compression === 'av1') throw unsupported('AVIF');
  if (!width || !height || !formatMatches(detected.contentType, metadata)) throw corrupt(new Error(`format ${metadata.format}, ${width}×${height}`));
  if (width * height > maxPixels) {
    throw new PhotoRejectedError(
      'PAYLOAD_TOO_LARGE',
      `${name} is ${width}×${height} pixels (${formatMegapixels(width * height)}); photos may have at most ${formatMegapixels(maxPixels)}.`,
      `${nameVi} có kích thước ${width}×${height} điểm ảnh (${formatMegapixels(width * height, 'vi')}); tối đa ${formatMegapixels(maxPixels, 'vi')}.`,
      { width, height, maxPixels },
    );
  }

  let pipeline: Sharp;
  if (metadata.format === 'heif' && metadata.compression === 'hevc') {
    let decoded: DecodedImage;
    try {
      decoded = await decodeHeic(bytes);
    } catch (error) {
      throw corrupt(error);
    }
    if (decoded.width * decoded.height > maxPixels) throw corrupt(new Error('decoded HEIC larger than its header said'));
    // Already upright (libheif applies irot/imir); the alpha channel is kept only if the image has one.
    pipeline = sharp(decoded.data, { raw: { width: decoded.width, height: decoded.height, channels: 4 }, limitInputPixels: maxPixels });
    if (metadata.hasAlpha !== true) pipeline = pipeline.removeAlpha();
  } else {
    // failOn 'error' refuses truncated or broken pixel data but tolerates the harmless warnings
    // that some phone cameras' JPEGs trigger (sharp's default, 'warning', would refuse those).
    pipeline = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error', autoOrient: true });
  }
  let publicCopy: { data: Buffer; info: OutputInfo };
  let transparent: boolean;
  try {
    // Many PNGs (screenshots) carry an alpha channel that is fully opaque: those become JPEG too.
    transparent = metadata.hasAlpha === true && !(await pipeline.clone().stats()).isOpaque;
    // No withMetadata/keep*: sharp writes no EXIF, XMP, IPTC or ICC profile, and converts to sRGB.
    pipeline = pipeline.resize({ width: publicMaxEdge, height: publicMaxEdge, fit: 'inside', withoutEnlargement: true });
    const output = transparent ? pipeline.webp({ quality: 80 }) : pipeline.jpeg({ quality: 82, progressive: true });
    publicCopy = await output.toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw corrupt(error);
  }

  return {
    original: { bytes, contentType: detected.contentType },
    public: {
      bytes: publicCopy.data,
      contentType: transparent ? 'image/webp' : 'image/jpeg',
      width: publicCopy.info.width,
      height: publicCopy.info.height,
    },
    exif: await readPhotoExif(metadata.exif),
  };
}

/**
 * GPS position and capture time from an EXIF block (as libvips extracts it from JPEG, PNG, WebP and
 * HEIC alike). exifr parses the block: it cannot read WebP files itself, and its HEIC reader ignores
 * the `iloc` base offset that libheif writes, so we hand it the TIFF structure directly.
 *
 * The capture time: DateTimeOriginal with OffsetTimeOriginal when the camera wrote the offset; else
 * the GPS date and time (always UTC); else DateTimeOriginal read as Vietnam time (UTC+7), where the
 * photos of this platform are taken. exifr's own date reviver would use the server's time zone.
 */
export async function readPhotoExif(exifBlock: Buffer | undefined): Promise<ProcessedPhoto['exif']> {
  const none = { latitude: null, longitude: null, takenAt: null };
  if (!exifBlock || exifBlock.length < 8) return none;
  const tiff = exifBlock.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exifBlock.subarray(6) : exifBlock;
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(tiff, {
      exif: true,
      gps: true,
      interop: false,
      ifd1: false,
      reviveValues: false,
      translateValues: false,
      translateKeys: true,
      mergeOutput: true,
    })) as Record<string, unknown> | undefined;
  } catch {
    return none;
  }
  if (!tags) return none;

  const latitude = coordinate(tags.GPSLatitude, tags.GPSLatitudeRef, 'N', 'S', 90);
  const longitude = coordinate(tags.GPSLongitude, tags.GPSLongitudeRef, 'E', 'W', 180);
  // 0,0 ("null island") is what broken GPS chips write when they have no fix.
  const position = latitude === null || longitude === null || (latitude === 0 && longitude === 0) ? null : { latitude, longitude };

  const takenAt =
    exifDateTime(tags.DateTimeOriginal, tags.OffsetTimeOriginal, tags.SubSecTimeOriginal) ??
    gpsDateTime(tags.GPSDateStamp, tags.GPSTimeStamp) ??
    exifDateTime(tags.DateTimeOriginal, '+07:00', tags.SubSecTimeOriginal) ??
    exifDateTime(tags.CreateDate, tags.OffsetTimeDigitized ?? '+07:00', tags.SubSecTimeDigitized);

  return { latitude: position?.latitude ?? null, longitude: position?.longitude ?? null, takenAt };
}

function coordinate(value: unknown, reference: unknown, positive: string, negative: string, limit: number): number | null {
  const parts = Array.isArray(value) ? value.map(Number) : typeof value === 'number' ? [value] : [];
  if (parts.length === 0 || parts.length > 3 || !parts.every(Number.isFinite)) return null;
  const [degrees = 0, minutes = 0, seconds = 0] = parts;
  let result = degrees + minutes / 60 + seconds / 3600;
  const ref = typeof reference === 'string' ? reference.trim().toUpperCase() : '';
  if (ref === negative) result = -result;
  else if (ref !== positive && ref !== '') return null;
  return Math.abs(result) <= limit ? result : null;
}

/** 'YYYY:MM:DD HH:MM:SS' + '+07:00' (+ optional sub-seconds) → an instant; null when absent or invalid. */
function exifDateTime(value: unknown, offset: unknown, subSeconds: unknown): Date | null {
  if (typeof value !== 'string' || typeof offset !== 'string') return null;
  const match = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  const zone = /^([+-])(\d{2}):(\d{2})$/.exec(offset.trim());
  if (!match || !zone) return null;
  const [, year, month, day, hours, minutes, seconds] = match.map(Number) as [number, number, number, number, number, number, number];
  if (year < 1990 || month < 1 || month > 12 || day < 1 || day > 31 || hours > 23 || minutes > 59 || seconds > 60) return null;
  const fraction = typeof subSeconds === 'string' || typeof subSeconds === 'number' ? Number(`0.${String(subSeconds).trim()}`) : 0;
  const offsetMs = (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) * 60_000;
  const time = Date.UTC(year, month - 1, day, hours, minutes, seconds) + (Number.isFinite(fraction) ? Math.round(fraction * 1000) : 0) - offsetMs;
  const date = new Date(time);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day ? date : null;
}

/** GPSDateStamp 'YYYY:MM:DD' + GPSTimeStamp [h, m, s] are UTC. */
function gpsDateTime(dateStamp: unknown, timeStamp: unknown): Date | null {
  if (typeof dateStamp !== 'string' || !Array.isArray(timeStamp) || timeStamp.length !== 3) return null;
  const [hours, minutes, seconds] = timeStamp.map(Number) as [number, number, number];
  if (![hours, minutes, seconds].every(Number.isFinite)) return null;
  const whole = Math.floor(seconds);
  const time = `${String(Math.floor(hours)).padStart(2, '0')}:${String(Math.floor(minutes)).padStart(2, '0')}:${String(whole).padStart(2, '0')}`;
  const date = exifDateTime(`${dateStamp.trim()} ${time}`, '+00:00', undefined);
  return date && new Date(date.getTime() + Math.round((seconds - whole) * 1000));
}

function formatMatches(contentType: OriginalContentType, metadata: Metadata): boolean {
  switch (contentType) {
    case 'image/jpeg':
      return metadata.format === 'jpeg';
    case 'image/png':
      return metadata.format === 'png';
    case 'image/webp':
      return metadata.format === 'webp';
    case 'image/heic':
    case 'image/heif':
      // AV1-coded HEIF is AVIF, which is not on the accepted list.
      return metadata.format === 'heif' && metadata.compression === 'hevc';
  }
}

/** The uploaded name for messages: a client-controlled string, so shortened and without control characters. */
function displayNames(declaredName: string | undefined): { en: string; vi: string } {
  const cleaned = (declaredName ?? '').replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  if (!cleaned) return { en: 'The file', vi: 'Tệp' };
  const quoted = `"${cleaned.length > 80 ? `${cleaned.slice(0, 77)}...` : cleaned}"`;
  return { en: `File ${quoted}`, vi: `Tệp ${quoted}` };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function formatMegabytes(bytes: number, language: 'en' | 'vi' = 'en'): string {
  const text = (bytes / (1024 * 1024)).toFixed(1);
  return `${language === 'vi' ? text.replace('.', ',') : text} MB`;
}

function formatMegapixels(pixels: number, language: 'en' | 'vi' = 'en'): string {
  const text = String(Math.round(pixels / 100_000) / 10);
  return `${language === 'vi' ? text.replace('.', ',') : text} ${language === 'vi' ? 'megapixel' : 'megapixels'}`;
}

function definedOnly<T extends object>(values: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
