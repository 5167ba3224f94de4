import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.ts';
import type { ProcessedPhoto } from './photo-processing.ts';
import { createPhotoStorage } from './photo-storage.ts';

/** A processed photo with recognisable bytes (storage does not look inside them). */
function processedPhoto(overrides: { originalType?: ProcessedPhoto['original']['contentType']; publicType?: ProcessedPhoto['public']['contentType'] } = {}): ProcessedPhoto {
  return {
    original: { bytes: Buffer.from(`original evidence ${randomUUID()}`), contentType: overrides.originalType ?? 'image/heic' },
    public: { bytes: Buffer.from(`public copy ${randomUUID()}`), contentType: overrides.publicType ?? 'image/jpeg', width: 10, height: 10 },
    exif: { latitude: null, longitude: null, takenAt: null },
  };
}

function listFiles(directory: string): string[] {
  return fs.readdirSync(directory, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)));
}

describe('photo storage', () => {
  let mediaRoot: string;
  beforeEach(() => {
    mediaRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bandoso-media-'));
  });
  afterEach(() => {
    fs.rmSync(mediaRoot, { recursive: true, force: true });
  });

  it('writes the public copy and the private original under separate folders, sharded by id', async () => {
    const storage = createPhotoStorage(mediaRoot);
    const id = 'ab0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3';
    const photo = processedPhoto();
    const paths = await storage.save(id, photo);

    expect(paths).toEqual({ publicPath: `public/ab/${id}.jpg`, originalPath: `private/ab/${id}.heic` });
    expect(storage.publicDirectory).toBe(path.join(mediaRoot, 'public'));
    expect(storage.privateDirectory).toBe(path.join(mediaRoot, 'private'));
    expect(fs.readFileSync(path.join(mediaRoot, 'public', 'ab', `${id}.jpg`))).toEqual(photo.public.bytes);
    expect(fs.readFileSync(path.join(mediaRoot, 'private', 'ab', `${id}.heic`))).toEqual(photo.original.bytes);
    // Nothing of the original under the public folder; no temporary files left behind.
    expect(listFiles(storage.publicDirectory)).toEqual([path.join('ab', `${id}.jpg`)]);
    expect(listFiles(mediaRoot).some((file) => file.endsWith('.tmp'))).toBe(false);

    expect(await storage.readPublic(paths.publicPath)).toEqual(photo.public.bytes);
    expect(await storage.readOriginal(paths.originalPath)).toEqual(photo.original.bytes);
    expect(storage.resolvePrivate(paths.originalPath)).toBe(path.join(mediaRoot, 'private', 'ab', `${id}.heic`));
  });

  it('names files by content type: WebP public copies, PNG/JPEG/WebP/HEIF originals', async () => {
    const storage = createPhotoStorage(mediaRoot);
    const id = randomUUID();
    const paths = await storage.save(id, processedPhoto({ originalType: 'image/png', publicType: 'image/webp' }));
    expect(paths.publicPath).toBe(`public/${id.slice(0, 2)}/${id}.webp`);
    expect(paths.originalPath).toBe(`private/${id.slice(0, 2)}/${id}.png`);
  });

  it('accepts an upper-case UUID but stores it in lower case', async () => {
    const storage = createPhotoStorage(mediaRoot);
    const paths = await storage.save('AB0C1D2E-3F40-4A5B-8C6D-7E8F90A1B2C3', processedPhoto());
    expect(paths.publicPath).toBe('public/ab/ab0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3.jpg');
  });

  it('refuses ids that are not UUIDs (no path can be smuggled in)', async () => {
    const storage = createPhotoStorage(mediaRoot);
    for (const id of ['../../etc/passwd', 'not-a-uuid', '', `${randomUUID()}/x`, `../${randomUUID()}`]) {
      await expect(storage.save(id, processedPhoto()), id).rejects.toThrow(/must be a UUID/);
    }
    expect(fs.readdirSync(mediaRoot)).toEqual([]);
  });

  it('refuses to read any path that is not exactly one of its own', async () => {
    const storage = createPhotoStorage(mediaRoot);
    const id = randomUUID();
    const paths = await storage.save(id, processedPhoto());
    fs.writeFileSync(path.join(mediaRoot, 'secret.txt'), 'secret');
    const attempts = [
      '../secret.txt',
      'secret.txt',
      path.join(mediaRoot, 'secret.txt'),
      `public/${id.slice(0, 2)}/../../secret.txt`,
      `public/${id.slice(0, 2)}/${id}.jpg/../../../secret.txt`,
      paths.originalPath, // an original is never readable as a public copy
      `public/zz/${id}.jpg`, // wrong shard
      `public/${id.slice(0, 2)}/${id}.heic`,
      `public\\${id.slice(0, 2)}\\${id}.jpg`,
      `/public/${id.slice(0, 2)}/${id}.jpg`,
    ];
    for (const attempt of attempts) {
      const error = await storage.readPublic(attempt).catch((caught: unknown) => caught);
      expect(error, attempt).toBeInstanceOf(AppError);
      expect((error as AppError).code, attempt).toBe('NOT_FOUND');
    }
    expect(() => storage.resolvePrivate(paths.publicPath)).toThrow(AppError);
    expect(() => storage.resolvePrivate('private/../secret.txt')).toThrow(AppError);
  });

  it('a missing file is NOT_FOUND', async () => {
    const storage = createPhotoStorage(mediaRoot);
    const id = randomUUID();
    await expect(storage.readPublic(`public/${id.slice(0, 2)}/${id}.jpg`)).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('removes both files, and removing twice is harmless', async () => {
    const storage = createPhotoStorage(mediaRoot);
    const paths = await storage.save(randomUUID(), processedPhoto());
    await storage.remove(paths);
    expect(listFiles(mediaRoot)).toEqual([]);
    await storage.remove(paths);
  });

  it('a second save of the same id replaces the files whole', async () => {
    const storage = createPhotoStorage(mediaRoot);
    const id = randomUUID();
    await storage.save(id, processedPhoto());
    const second = processedPhoto();
    const paths = await storage.save(id, second);
    expect(await storage.readPublic(paths.publicPath)).toEqual(second.public.bytes);
    expect(listFiles(mediaRoot)).toHaveLength(2);
  });

  it('if the public copy cannot be written, the original is removed too and no temporary file remains', async () => {
    const storage = createPhotoStorage(mediaRoot);
    // A file where the public folder should be: creating public/<shard>/ fails.
    fs.writeFileSync(path.join(mediaRoot, 'public'), 'in the way');
    await expect(storage.save(randomUUID(), processedPhoto())).rejects.toThrow();
    expect(listFiles(path.join(mediaRoot, 'private'))).toEqual([]);
  });

  it('writes atomically: concurrent readers see the old or the new file, never a partial one', async () => {
    const storage = createPhotoStorage(mediaRoot);
    const id = randomUUID();
    const big = (fill: number): ProcessedPhoto => ({ ...processedPhoto(), public: { bytes: Buffer.alloc(4 * 1024 * 1024, fill), contentType: 'image/jpeg', width: 1, height: 1 } });
    const paths = await storage.save(id, big(1));
    const seen = new Set<string>();
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const bytes = await storage.readPublic(paths.publicPath);
        seen.add(`${bytes.length}:${bytes[0]}:${bytes[bytes.length - 1]}`);
      }
    })();
    for (let round = 0; round < 5; round += 1) await storage.save(id, big(round % 2 === 0 ? 2 : 1));
    writing = false;
    await reader;
    for (const entry of seen) expect(['4194304:1:1', '4194304:2:2']).toContain(entry);
  });
});
