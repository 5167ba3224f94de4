import { describe, expect, it } from 'vitest';
import { choosePhotoStrategy, detectPhotoType, fitWithin, photoLimits } from '../src/photos/photo-preparation.ts';

const MB = 1024 * 1024;

describe('preparing a photo', () => {
  it('sends a small JPEG as it is, downscales the rest, and sends what the browser cannot decode as it is up to 10 MB', () => {
    expect(choosePhotoStrategy({ type: 'image/jpeg', bytes: 0.8 * MB, width: 1600, height: 1200 })).toBe('original');
    expect(choosePhotoStrategy({ type: 'image/jpeg', bytes: 4 * MB, width: 4032, height: 3024 })).toBe('downscale');
    expect(choosePhotoStrategy({ type: 'image/jpeg', bytes: 2 * MB, width: 2000, height: 1500 })).toBe('downscale');
    expect(choosePhotoStrategy({ type: 'image/png', bytes: 0.3 * MB, width: 1080, height: 2340 })).toBe('downscale');
    expect(choosePhotoStrategy({ type: 'image/heic', bytes: 3 * MB, width: undefined, height: undefined })).toBe('original');
    expect(choosePhotoStrategy({ type: 'image/heic', bytes: 12 * MB, width: undefined, height: undefined })).toBe('too-large');
    expect(photoLimits.maxUploadBytes).toBe(10 * MB);
  });

  it('fits the longer edge within 2048 px, never enlarging', () => {
    expect(fitWithin(4032, 3024, 2048)).toEqual({ width: 2048, height: 1536 });
    expect(fitWithin(3024, 4032, 2048)).toEqual({ width: 1536, height: 2048 });
    expect(fitWithin(800, 600, 2048)).toEqual({ width: 800, height: 600 });
  });

  it('tells the type by the bytes, as the platform does', () => {
    const bytes = (...values: (number | string)[]) => new Uint8Array(values.flatMap((value) => (typeof value === 'string' ? [...value].map((character) => character.charCodeAt(0)) : [value])));
    expect(detectPhotoType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(detectPhotoType(bytes(0x89, 'PNG', 0x0d, 0x0a))).toBe('image/png');
    expect(detectPhotoType(bytes('RIFF', 0, 0, 0, 0, 'WEBP'))).toBe('image/webp');
    expect(detectPhotoType(bytes(0, 0, 0, 24, 'ftyp', 'heic'))).toBe('image/heic');
    expect(detectPhotoType(bytes(0, 0, 0, 24, 'ftyp', 'avif'))).toBeUndefined();
    expect(detectPhotoType(bytes('GIF89a'))).toBeUndefined();
  });
});
