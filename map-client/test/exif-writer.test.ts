import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readPhotoExif } from '../../api/src/modules/photos/photo-processing.ts';
import { buildExifSegment, degreesToRationals, evidenceFromTags, noEvidence, withExif, type PhotoEvidence } from '../src/photos/exif-writer.ts';

const evidence: PhotoEvidence = {
  latitude: 21.386012,
  longitude: 103.016934,
  dateTimeOriginal: '2026:11:27 14:05:09',
  offsetTimeOriginal: '+07:00',
  gpsDateStamp: '2026:11:27',
  gpsTimeStamp: [7, 5, 9.5],
};

async function jpeg(options: { exif?: boolean } = {}): Promise<Uint8Array> {
  let image = sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } });
  if (options.exif) image = image.withExif({ IFD0: { Orientation: '6', Make: 'Old camera' }, IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '1/1 0/1 0/1' } });
  return new Uint8Array(await image.jpeg().toBuffer());
}

/** What the platform reads: sharp's EXIF block, parsed by the server's own reader. */
async function serverReading(bytes: Uint8Array) {
  const metadata = await sharp(bytes).metadata();
  return { exif: await readPhotoExif(metadata.exif), orientation: metadata.orientation, width: metadata.width };
}

describe('the EXIF writer', () => {
  it('writes a GPS position and times that the platform reads back exactly', async () => {
    const written = withExif(await jpeg(), evidence);
    const { exif, width } = await serverReading(written);
    expect(width).toBe(64);
    expect(exif.latitude).toBeCloseTo(21.386012, 6);
    expect(exif.longitude).toBeCloseTo(103.016934, 6);
    // DateTimeOriginal + OffsetTimeOriginal wins: 14:05:09 at +07:00 is 07:05:09 UTC.
    expect(exif.takenAt?.toISOString()).toBe('2026-11-27T07:05:09.000Z');
  });

  it('keeps the southern and western hemispheres, and the GPS time when there is no camera time', async () => {
    const written = withExif(await jpeg(), { ...noEvidence, latitude: -33.5, longitude: -70.25, gpsDateStamp: '2026:01:02', gpsTimeStamp: [23, 59, 58] });
    const { exif } = await serverReading(written);
    expect(exif.latitude).toBeCloseTo(-33.5, 6);
    expect(exif.longitude).toBeCloseTo(-70.25, 6);
    expect(exif.takenAt?.toISOString()).toBe('2026-01-02T23:59:58.000Z');
  });

  it('replaces an existing EXIF block (its other tags are gone: camera, orientation), after the JFIF segment', async () => {
    const original = await jpeg({ exif: true });
    expect((await sharp(original).metadata()).exif?.includes('Old camera')).toBe(true);
    const written = withExif(original, evidence);
    const { exif, orientation } = await serverReading(written);
    expect(orientation).toBeUndefined();
    expect((await sharp(written).metadata()).exif?.includes('Old camera')).toBe(false);
    expect(exif.latitude).toBeCloseTo(21.386012, 6);
    const exifMarkers = [...written.keys()].filter((index) => written[index] === 0xff && written[index + 1] === 0xe1 && String.fromCharCode(...written.subarray(index + 4, index + 8)) === 'Exif');
    expect(exifMarkers).toHaveLength(1);
    // The pixels are untouched: it still decodes to the same size.
    expect((await sharp(written).raw().toBuffer({ resolveWithObject: true })).info.width).toBe(64);
  });

  it('writes nothing when there is no evidence, and refuses what is not a JPEG', async () => {
    const original = await jpeg();
    expect(withExif(original, noEvidence).length).toBe(original.length);
    expect(() => withExif(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), evidence)).toThrow(/not a JPEG/);
  });

  it('reads the evidence from exifr (lite build) the way the server does, round trip', async () => {
    const { default: exifr } = await import('exifr/dist/lite.esm.mjs');
    const tags = (await exifr.parse(withExif(await jpeg(), evidence), { exif: true, gps: true, reviveValues: false, translateValues: false, translateKeys: true, mergeOutput: true, ifd1: false, interop: false, xmp: false })) as Record<string, unknown>;
    const read = evidenceFromTags(tags);
    expect(read.latitude).toBeCloseTo(evidence.latitude!, 6);
    expect(read.longitude).toBeCloseTo(evidence.longitude!, 6);
    expect(read).toMatchObject({ dateTimeOriginal: evidence.dateTimeOriginal, offsetTimeOriginal: '+07:00', gpsDateStamp: '2026:11:27' });
    expect(read.gpsTimeStamp?.[2]).toBeCloseTo(9.5, 3);
    expect(evidenceFromTags({ GPSLatitude: [0, 0, 0], GPSLongitude: [0, 0, 0] }).latitude).toBeUndefined();
  });

  it('rounds seconds that would reach 60 up into the next minute', () => {
    expect(degreesToRationals(21.999999999)).toEqual([[22, 1], [0, 1], [0, 10_000]]);
    expect(buildExifSegment(evidence).length).toBeLessThan(400);
  });
});
