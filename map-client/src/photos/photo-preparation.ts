import { evidenceFromTags, hasEvidence, hasPosition, noEvidence, withExif, type PhotoEvidence } from './exif-writer.ts';

/**
 * Photos are prepared in the browser before they are queued, so that a phone on a mountain
 * connection uploads ~0.5–1 MB instead of 4–12 MB, and so that the queue stores the exact bytes
 * every attempt sends (the idempotency key's request hash covers them).
 *
 * The platform's location check needs each photo's EXIF GPS position and time, and drawing through a
 * canvas drops all metadata. So (the decision, see README "Photos"):
 *
 * 1. The evidence (GPS position, GPS time, capture time and offset) is read with exifr's lite build,
 *    loaded with this module only (i.e. only when a person adds a photo).
 * 2. A JPEG that is already small (longer edge ≤ 2048 px and ≤ 1.5 MB) is sent as it is: original
 *    bytes, original EXIF, no quality lost.
 * 3. Anything else the browser can decode is drawn upright (EXIF orientation applied) onto a canvas of
 *    at most 2048 px, encoded as JPEG (quality 0.85), and the evidence is written back into it as a
 *    minimal EXIF block (exif-writer.ts): GPS, times, nothing else (no Orientation: the pixels are
 *    already upright; no thumbnail, serial number or maker notes).
 * 4. What the browser cannot decode (HEIC outside Safari) is sent as it is when within the platform's
 *    10 MB limit (the platform decodes HEIC and reads its EXIF itself), else refused with a message.
 *    A re-encoded photo larger than its original is dropped for the original, under the same limit.
 *
 * The platform never publishes these bytes: it keeps them as private evidence and publishes a resized
 * copy without any metadata.
 */
export const photoLimits = Object.freeze({
  maxEdge: 2048,
  keepOriginalBelowBytes: 1.5 * 1024 * 1024,
  maxUploadBytes: 10 * 1024 * 1024,
  jpegQuality: 0.85,
  maxPhotos: 5,
});

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic';

export interface PreparedPhoto {
  name: string;
  type: string;
  bytes: ArrayBuffer;
  /** Pixels of what is sent (undefined when the browser could not decode the photo). */
  width: number | undefined;
  height: number | undefined;
  strategy: 'original' | 'downscaled';
  originalBytes: number;
  hasGps: boolean;
  evidence: PhotoEvidence;
}

export class PhotoPreparationError extends Error {
  constructor(
    readonly reason: 'unsupported' | 'too-large',
    readonly fileName: string,
    readonly bytes: number,
  ) {
    super(`${fileName}: ${reason}`);
    this.name = 'PhotoPreparationError';
  }
}

/** The photo's type from its first bytes (never from its name), as the platform decides it. */
export function detectPhotoType(head: Uint8Array): PhotoType | undefined {
  const ascii = (start: number, end: number) => String.fromCharCode(...head.subarray(start, end));
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(4, 8) === 'ftyp' && /^(heic|heix|hevc|hevx|heim|heis|mif1|msf1)$/.test(ascii(8, 12))) return 'image/heic';
  return undefined;
}

export type PhotoStrategy = 'original' | 'downscale' | 'too-large';

/** What to do with a photo of this type, size and (decoded) dimensions. */
export function choosePhotoStrategy(photo: { type: PhotoType; bytes: number; width: number | undefined; height: number | undefined }, limits = photoLimits): PhotoStrategy {
  const decodable = photo.width !== undefined && photo.height !== undefined;
  if (!decodable) return photo.bytes <= limits.maxUploadBytes ? 'original' : 'too-large';
  if (photo.type === 'image/jpeg' && Math.max(photo.width!, photo.height!) <= limits.maxEdge && photo.bytes <= limits.keepOriginalBelowBytes) return 'original';
  return 'downscale';
}

/** Size of the downscaled image: the longer edge at most `maxEdge`, never enlarged. */
export function fitWithin(width: number, height: number, maxEdge: number): { width: number; height: number } {
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

async function readEvidence(file: Blob): Promise<PhotoEvidence> {
  try {
    const { default: exifr } = await import('exifr/dist/lite.esm.mjs');
    const tags = (await exifr.parse(file, {
      exif: true,
      gps: true,
      interop: false,
      ifd1: false,
      xmp: false,
      reviveValues: false,
      translateValues: false,
      translateKeys: true,
      mergeOutput: true,
    })) as Record<string, unknown> | undefined;
    return evidenceFromTags(tags);
  } catch {
    // No EXIF, or a block exifr cannot read: the photo goes without evidence ("unverified").
    return noEvidence;
  }
}

async function encodeJpeg(bitmap: ImageBitmap, width: number, height: number, quality: number): Promise<Blob> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    context.drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas');
  context.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('JPEG encoding failed'))), 'image/jpeg', quality));
}

function jpegName(name: string): string {
  const base = name.replace(/\.[^.]*$/, '') || 'anh';
  return `${base}.jpg`;
}

/** Prepares one photo (see the module comment); throws PhotoPreparationError for what cannot be sent. */
export async function preparePhoto(file: File, limits = photoLimits): Promise<PreparedPhoto> {
  const type = detectPhotoType(new Uint8Array(await file.slice(0, 32).arrayBuffer()));
  if (!type) throw new PhotoPreparationError('unsupported', file.name, file.size);
  const evidence = await readEvidence(file);
  let bitmap: ImageBitmap | undefined;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    bitmap = undefined;
  }
  try {
    const strategy = choosePhotoStrategy({ type, bytes: file.size, width: bitmap?.width, height: bitmap?.height }, limits);
    const original = async (): Promise<PreparedPhoto> => ({
      name: file.name || 'anh',
      type,
      bytes: await file.arrayBuffer(),
      width: bitmap?.width,
      height: bitmap?.height,
      strategy: 'original',
      originalBytes: file.size,
      hasGps: hasPosition(evidence),
      evidence,
    });
    if (strategy === 'too-large') throw new PhotoPreparationError('too-large', file.name, file.size);
    if (strategy === 'original') return await original();
    const size = fitWithin(bitmap!.width, bitmap!.height, limits.maxEdge);
    const encoded = new Uint8Array(await (await encodeJpeg(bitmap!, size.width, size.height, limits.jpegQuality)).arrayBuffer());
    const bytes = hasEvidence(evidence) ? withExif(encoded, evidence) : encoded;
    if (bytes.length >= file.size && file.size <= limits.maxUploadBytes) return await original();
    return {
      name: jpegName(file.name),
      type: 'image/jpeg',
      bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      width: size.width,
      height: size.height,
      strategy: 'downscaled',
      originalBytes: file.size,
      hasGps: hasPosition(evidence),
      evidence,
    };
  } finally {
    bitmap?.close();
  }
}
