import fs from 'node:fs';
import exifr from 'exifr';
import sharp, { type Exif } from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.ts';
import { detectImageType, PhotoRejectedError, processPhoto, readPhotoExif, type ProcessedPhoto } from './photo-processing.ts';

// Test images are made here with sharp, except one HEIC: sharp cannot encode HEVC, so
// fixtures/dien-bien-gps.heic was made once with libheif's heif-enc (see fixtures/README.md).
const heicFixture = fs.readFileSync(new URL('./fixtures/dien-bien-gps.heic', import.meta.url));

const RED = { r: 220, g: 40, b: 40 };
const BLUE = { r: 20, g: 40, b: 230 };

/** A red picture with a blue square in its top-left corner (as stored, before any EXIF rotation). */
function markedImage(width: number, height: number, options: { alpha?: boolean } = {}) {
  const square = Math.round(Math.min(width, height) / 4);
  return sharp({ create: { width, height, channels: options.alpha ? 4 : 3, background: options.alpha ? { ...RED, alpha: 0.5 } : RED } }).composite([
    { input: { create: { width: square, height: square, channels: 3, background: BLUE } }, left: 0, top: 0 },
  ]);
}

const dienBienExif: Exif = {
  IFD0: { Make: 'TestCam', Model: 'Field phone', Artist: 'Nguyễn Văn A' },
  // 2026-03-02 08:15:30 in Vietnam = 01:15:30 UTC.
  IFD2: { DateTimeOriginal: '2026:03:02 08:15:30', OffsetTimeOriginal: '+07:00' },
  // 21°23'08.16" N, 103°01'00.12" E: Điện Biên Phủ.
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '21/1 23/1 816/100', GPSLongitudeRef: 'E', GPSLongitude: '103/1 1/1 12/100' },
};

async function jpegWithExif(width: number, height: number, options: { orientation?: number; exif?: Exif } = {}): Promise<Buffer> {
  let image = markedImage(width, height).jpeg({ quality: 90 });
  if (options.orientation) image = image.withMetadata({ orientation: options.orientation });
  return image.withExif(options.exif ?? dienBienExif).toBuffer();
}

async function pixelAt(image: Buffer, x: number, y: number): Promise<{ r: number; g: number; b: number }> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return { r: data[offset]!, g: data[offset + 1]!, b: data[offset + 2]! };
}

function expectColour(actual: { r: number; g: number; b: number }, expected: { r: number; g: number; b: number }): void {
  expect(Math.abs(actual.r - expected.r), JSON.stringify(actual)).toBeLessThan(30);
  expect(Math.abs(actual.g - expected.g), JSON.stringify(actual)).toBeLessThan(30);
  expect(Math.abs(actual.b - expected.b), JSON.stringify(actual)).toBeLessThan(30);
}

/** The public copy carries pixels and nothing else. */
async function expectNoMetadata(photo: ProcessedPhoto): Promise<void> {
  const metadata = await sharp(photo.public.bytes).metadata();
  expect(metadata.exif).toBeUndefined();
  expect(metadata.xmp).toBeUndefined();
  expect(metadata.iptc).toBeUndefined();
  expect(metadata.icc).toBeUndefined();
  expect(metadata.orientation).toBeUndefined();
  expect(await exifr.gps(photo.public.bytes).catch(() => undefined)).toBeUndefined();
  const parsed = await exifr.parse(photo.public.bytes, true).catch(() => undefined);
  expect(parsed?.latitude).toBeUndefined();
  expect(parsed?.DateTimeOriginal).toBeUndefined();
  const latin1 = photo.public.bytes.toString('latin1');
  expect(latin1).not.toContain('Exif\0\0');
  expect(latin1).not.toContain('TestCam');
  expect(latin1).not.toContain('xmpmeta');
}

async function rejection(promise: Promise<unknown>): Promise<PhotoRejectedError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PhotoRejectedError);
  return error as PhotoRejectedError;
}

describe('processPhoto: JPEG with EXIF', () => {
  it('keeps the original byte for byte, reads GPS and time, strips everything from the public copy', async () => {
    const upload = await jpegWithExif(800, 600);
    const untouched = Buffer.from(upload);
    const photo = await processPhoto(upload, 'IMG_0001.JPG');

    expect(photo.original.contentType).toBe('image/jpeg');
    expect(photo.original.bytes.equals(untouched)).toBe(true);
    expect(upload.equals(untouched)).toBe(true);

    expect(photo.exif.latitude).toBeCloseTo(21 + 23 / 60 + 8.16 / 3600, 9);
    expect(photo.exif.longitude).toBeCloseTo(103 + 1 / 60 + 0.12 / 3600, 9);
    expect(photo.exif.takenAt?.toISOString()).toBe('2026-03-02T01:15:30.000Z');

    expect(photo.public.contentType).toBe('image/jpeg');
    expect([photo.public.width, photo.public.height]).toEqual([800, 600]);
    await expectNoMetadata(photo);
  });

  it('auto-rotates by the EXIF orientation (6: rotate 90° clockwise) and drops the tag', async () => {
    const upload = await jpegWithExif(800, 400, { orientation: 6 });
    expect((await sharp(upload).metadata()).orientation).toBe(6);
    const photo = await processPhoto(upload, 'rotated.jpg');
    expect([photo.public.width, photo.public.height]).toEqual([400, 800]);
    // The blue square, top-left as stored, is top-right once upright.
    expectColour(await pixelAt(photo.public.bytes, 399 - 20, 20), BLUE);
    expectColour(await pixelAt(photo.public.bytes, 20, 20), RED);
    await expectNoMetadata(photo);
  });

  it('fits the public copy within publicMaxEdge, keeping the aspect ratio; never enlarges', async () => {
    const large = await processPhoto(await jpegWithExif(4000, 3000), 'large.jpg');
    expect([large.public.width, large.public.height]).toEqual([1600, 1200]);
    expect(large.public.bytes.length).toBeLessThan(large.original.bytes.length);

    const portrait = await processPhoto(await jpegWithExif(1000, 3000), 'tall.jpg', { publicMaxEdge: 600 });
    expect([portrait.public.width, portrait.public.height]).toEqual([200, 600]);

    const small = await processPhoto(await jpegWithExif(320, 240), 'small.jpg');
    expect([small.public.width, small.public.height]).toEqual([320, 240]);
  });

  it('removes XMP, ICC profiles and the GPS of the original', async () => {
    const upload = await markedImage(200, 100)
      .jpeg()
      .withIccProfile('p3')
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Nguyễn Văn A</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>')
      .withExif(dienBienExif)
      .toBuffer();
    const before = await sharp(upload).metadata();
    expect(before.icc && before.xmp && before.exif).toBeTruthy();
    const photo = await processPhoto(upload, 'p3.jpg');
    await expectNoMetadata(photo);
    expect(photo.public.bytes.toString('utf8')).not.toContain('Nguyễn');
  });

  it('returns null EXIF fields for a photo without EXIF', async () => {
    const photo = await processPhoto(await markedImage(64, 64).jpeg().toBuffer(), 'plain.jpg');
    expect(photo.exif).toEqual({ latitude: null, longitude: null, takenAt: null });
  });
});

describe('processPhoto: PNG, WebP, HEIC', () => {
  it('PNG without transparency → JPEG public copy (also when it has an opaque alpha channel)', async () => {
    const upload = await markedImage(300, 200).ensureAlpha(1).png().toBuffer();
    expect((await sharp(upload).metadata()).hasAlpha).toBe(true);
    const photo = await processPhoto(upload, 'screenshot.png');
    expect(photo.original.contentType).toBe('image/png');
    expect(photo.public.contentType).toBe('image/jpeg');
    expect((await sharp(photo.public.bytes).metadata()).format).toBe('jpeg');
    expectColour(await pixelAt(photo.public.bytes, 10, 10), BLUE);
  });

  it('PNG with transparency → WebP public copy with alpha, no metadata', async () => {
    const upload = await markedImage(300, 200, { alpha: true }).png().withExif(dienBienExif).toBuffer();
    const photo = await processPhoto(upload, 'transparent.png');
    expect(photo.public.contentType).toBe('image/webp');
    const metadata = await sharp(photo.public.bytes).metadata();
    expect(metadata.format).toBe('webp');
    expect(metadata.hasAlpha).toBe(true);
    await expectNoMetadata(photo);
    expect(photo.exif.latitude).toBeCloseTo(21.3856, 4);
  });

  it('WebP with EXIF GPS (which exifr cannot read from a WebP file itself)', async () => {
    const upload = await markedImage(500, 300).webp().withExif(dienBienExif).toBuffer();
    expect(await exifr.parse(upload).catch((error: Error) => error.message)).toMatch(/Unknown file format/);
    const photo = await processPhoto(upload, 'photo.webp');
    expect(photo.original.contentType).toBe('image/webp');
    expect(photo.public.contentType).toBe('image/jpeg');
    expect(photo.exif.longitude).toBeCloseTo(103.0167, 4);
    expect(photo.exif.takenAt?.toISOString()).toBe('2026-03-02T01:15:30.000Z');
    await expectNoMetadata(photo);
  });

  it('HEIC (HEVC) from an iPhone-like file: accepted, decoded without sharp, EXIF read, original kept', async () => {
    // The installed sharp reads the HEIF header but cannot decode HEVC pixels: this is why heic-decode is used.
    const metadata = await sharp(heicFixture).metadata();
    expect([metadata.format, metadata.compression, metadata.width, metadata.height]).toEqual(['heif', 'hevc', 96, 64]);
    await expect(sharp(heicFixture).jpeg().toBuffer()).rejects.toThrow(/HEVC|decod|plugin/i);

    const photo = await processPhoto(heicFixture, 'IMG_4242.HEIC');
    expect(photo.original.contentType).toBe('image/heic');
    expect(photo.original.bytes.equals(heicFixture)).toBe(true);
    expect(photo.public.contentType).toBe('image/jpeg');
    expect([photo.public.width, photo.public.height]).toEqual([96, 64]);
    expectColour(await pixelAt(photo.public.bytes, 4, 4), BLUE);
    expectColour(await pixelAt(photo.public.bytes, 90, 60), RED);
    expect(photo.exif.latitude).toBeCloseTo(21.3856, 4);
    expect(photo.exif.longitude).toBeCloseTo(103.0167, 4);
    expect(photo.exif.takenAt?.toISOString()).toBe('2026-03-02T01:15:30.000Z');
    await expectNoMetadata(photo);
  });

  it('a truncated HEIC is refused as damaged, not a 500', async () => {
    const error = await rejection(processPhoto(heicFixture.subarray(0, Math.floor(heicFixture.length * 0.7)), 'cut.heic'));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toMatch(/cannot be read/);
  });
});

describe('processPhoto: refusals', () => {
  it('a GIF named photo.jpg: 415 listing the accepted types', async () => {
    const gif = await markedImage(40, 40).gif().toBuffer();
    const error = await rejection(processPhoto(gif, 'photo.jpg'));
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(error.status).toBe(415);
    expect(error.message).toBe('File "photo.jpg" is not a supported photo (its content is GIF). Accepted photo types: JPEG, PNG, WebP, HEIC.');
    expect(error.messageVi).toBe('Tệp "photo.jpg" không phải ảnh được chấp nhận (nội dung là GIF). Chỉ nhận ảnh JPEG, PNG, WebP hoặc HEIC.');
  });

  it.each([
    ['a text file', Buffer.from('this is not a photo, just text\n')],
    ['a PDF', Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n')],
    ['an SVG', Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ['a Windows executable', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)])],
    ['an ELF executable', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(200)])],
    ['an HTML page', Buffer.from('<!doctype html><html><body>hi</body></html>')],
  ])('%s named photo.jpg is refused by content', async (_, bytes) => {
    const error = await rejection(processPhoto(bytes, 'photo.jpg'));
    expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(error.message).toMatch(/Accepted photo types: JPEG, PNG, WebP, HEIC/);
  });

  it('AVIF (also a HEIF container) is not on the accepted list', async () => {
    const avif = await markedImage(40, 40).avif().toBuffer();
    const error = await rejection(processPhoto(avif, 'photo.heic'));
    expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(error.message).toMatch(/AVIF/);
  });

  it('an empty file', async () => {
    const error = await rejection(processPhoto(Buffer.alloc(0), 'empty.jpg'));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe('File "empty.jpg" is empty.');
  });

  it('an oversized file is refused by size before anything reads its content', async () => {
    const error = await rejection(processPhoto(Buffer.alloc(10 * 1024 * 1024 + 1), 'huge.jpg'));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.status).toBe(413);
    expect(error.message).toMatch(/is 10\.0 MB; photos may be at most 10\.0 MB/);
    const small = await rejection(processPhoto(await jpegWithExif(200, 200), 'a.jpg', { maxBytes: 1000 }));
    expect(small.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a decompression bomb: a small PNG of 8000×7000 pixels (56 MP) is refused before decoding', async () => {
    const bomb = await sharp({ create: { width: 8000, height: 7000, channels: 3, background: '#777' } }).png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const error = await rejection(processPhoto(bomb, 'bomb.png'));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toMatch(/8000×7000 pixels \(56 megapixels\); photos may have at most 50 megapixels/);
    const custom = await rejection(processPhoto(await markedImage(2000, 1000).png().toBuffer(), 'wide.png', { maxPixels: 1_000_000 }));
    expect(custom.code).toBe('PAYLOAD_TOO_LARGE');
    // Exactly at the limit is accepted.
    const atLimit = await processPhoto(await markedImage(1000, 1000).png().toBuffer(), 'square.png', { maxPixels: 1_000_000 });
    expect(atLimit.public.width).toBe(1000);
  });

  it('a truncated JPEG is refused as damaged (400), never a 500', async () => {
    const full = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 30 } } }).jpeg().toBuffer();
    for (const fraction of [0.6, 0.1]) {
      const error = await rejection(processPhoto(full.subarray(0, Math.floor(full.length * fraction)), 'cut.jpg'));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.status).toBe(400);
      expect(error.message).toBe('File "cut.jpg" looks like JPEG but cannot be read (damaged or incomplete file). Please take or export the photo again.');
    }
    // Only a signature, nothing behind it.
    expect((await rejection(processPhoto(Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'x.jpg'))).code).toBe('VALIDATION_FAILED');
  });

  it('without a file name, the messages still read well', async () => {
    const error = await rejection(processPhoto(Buffer.alloc(0), undefined));
    expect(error.message).toBe('The file is empty.');
    expect(error.messageVi).toBe('Tệp rỗng.');
    const hostile = await rejection(processPhoto(Buffer.from('hello'), `${'a'.repeat(200)}\n"<b>`));
    expect(hostile.message).not.toMatch(/\n/);
    expect(hostile.message.length).toBeLessThan(250);
  });
});

describe('detectImageType', () => {
  it('recognises the accepted signatures and names the others', () => {
    const ftyp = (major: string, ...compatible: string[]) => {
      const box = Buffer.alloc(16 + 4 * compatible.length);
      box.writeUInt32BE(box.length, 0);
      box.write(`ftyp${major}`, 4, 'latin1');
      compatible.forEach((brand, index) => box.write(brand, 16 + 4 * index, 'latin1'));
      return box;
    };
    expect(detectImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe1]))).toMatchObject({ accepted: true, contentType: 'image/jpeg' });
    expect(detectImageType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toMatchObject({ contentType: 'image/png' });
    expect(detectImageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toMatchObject({ contentType: 'image/webp' });
    expect(detectImageType(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toMatchObject({ accepted: false });
    for (const brand of ['heic', 'heix', 'hevc', 'heim', 'heis']) expect(detectImageType(ftyp(brand, 'mif1'))).toMatchObject({ contentType: 'image/heic' });
    expect(detectImageType(ftyp('mif1', 'heic'))).toMatchObject({ contentType: 'image/heic' });
    expect(detectImageType(ftyp('mif1', 'miaf'))).toMatchObject({ contentType: 'image/heif' });
    expect(detectImageType(ftyp('msf1'))).toMatchObject({ contentType: 'image/heif' });
    expect(detectImageType(ftyp('avif', 'mif1'))).toEqual({ accepted: false, label: 'AVIF' });
    expect(detectImageType(ftyp('isom', 'mp41'))).toMatchObject({ accepted: false, label: expect.stringMatching(/video/) });
    expect(detectImageType(Buffer.from('GIF89a'))).toEqual({ accepted: false, label: 'GIF' });
    expect(detectImageType(Buffer.from([0x49, 0x49, 0x2a, 0x00]))).toEqual({ accepted: false, label: 'TIFF' });
    expect(detectImageType(Buffer.alloc(0))).toEqual({ accepted: false, label: 'an unknown type' });
  });
});

describe('readPhotoExif: capture time and position', () => {
  async function exifOf(exif: Exif) {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).jpeg().withExif(exif).toBuffer();
    return readPhotoExif((await sharp(jpeg).metadata()).exif);
  }

  it('uses the offset the camera wrote', async () => {
    const exif = await exifOf({ IFD2: { DateTimeOriginal: '2026:03:02 08:15:30', OffsetTimeOriginal: '-05:00', SubSecTimeOriginal: '25' } });
    expect(exif.takenAt?.toISOString()).toBe('2026-03-02T13:15:30.250Z');
  });

  it('without an offset, prefers the GPS time (UTC)', async () => {
    const exif = await exifOf({ IFD2: { DateTimeOriginal: '2026:03:02 08:15:30' }, IFD3: { GPSDateStamp: '2026:03:02', GPSTimeStamp: '1/1 15/1 3050/100' } });
    expect(exif.takenAt?.toISOString()).toBe('2026-03-02T01:15:30.500Z');
  });

  it('with neither, reads the camera time as Vietnam time (not the server time zone)', async () => {
    const exif = await exifOf({ IFD2: { DateTimeOriginal: '2026:03:02 08:15:30' } });
    expect(exif.takenAt?.toISOString()).toBe('2026-03-02T01:15:30.000Z');
  });

  it('southern and western coordinates are negative; 0,0 and impossible values are no position', async () => {
    const southWest = await exifOf({ IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '10/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '20/1 15/1 0/1' } });
    expect([southWest.latitude, southWest.longitude]).toEqual([-10.5, -20.25]);
    const nullIsland = await exifOf({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '0/1 0/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '0/1 0/1 0/1' } });
    expect([nullIsland.latitude, nullIsland.longitude]).toEqual([null, null]);
    const impossible = await exifOf({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '95/1 0/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '103/1 0/1 0/1' } });
    // A position needs both coordinates.
    expect([impossible.latitude, impossible.longitude]).toEqual([null, null]);
  });

  it('a zeroed or invalid date is no date', async () => {
    expect((await exifOf({ IFD2: { DateTimeOriginal: '0000:00:00 00:00:00' } })).takenAt).toBeNull();
    expect((await exifOf({ IFD2: { DateTimeOriginal: '2026:02:30 10:00:00' } })).takenAt).toBeNull();
  });

  it('no block or a garbage block yields nulls', async () => {
    expect(await readPhotoExif(undefined)).toEqual({ latitude: null, longitude: null, takenAt: null });
    expect(await readPhotoExif(Buffer.from('Exif\0\0garbage garbage garbage'))).toEqual({ latitude: null, longitude: null, takenAt: null });
  });
});
