import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors/app-error.ts';
import type { OriginalContentType, ProcessedPhoto } from './photo-processing.ts';

/**
 * Photo files under one media root:
 *
 *   <mediaRoot>/public/ab/ab12…-uuid.jpg     public copies (metadata stripped): may be served statically
 *   <mediaRoot>/private/ab/ab12…-uuid.heic   originals as uploaded (evidence, with GPS): staff only,
 *                                            never under a static route
 *
 * Files are named by the photo's UUID (validated, lower case), sharded by its first two hex digits so no
 * folder grows past a few thousand entries. Each file is written to a temporary name in its final
 * folder and renamed into place, so a reader never sees half a photo and a crash leaves at most a
 * stray `.tmp` file. Paths stored in the database are relative to the root with forward slashes; every
 * path read back is checked against the exact shape we write, so it can never leave the root.
 */
export interface StoredPhotoPaths {
  /** Relative to the media root, e.g. 'public/ab/ab12…-uuid.jpg'. */
  publicPath: string;
  /** Relative to the media root, e.g. 'private/ab/ab12…-uuid.heic'. */
  originalPath: string;
}

export interface PhotoStorage {
  save(id: string, photo: ProcessedPhoto): Promise<StoredPhotoPaths>;
  readPublic(publicPath: string): Promise<Buffer>;
  readOriginal(originalPath: string): Promise<Buffer>;
  /** The absolute file of a private original (for streaming it to staff). */
  resolvePrivate(originalPath: string): string;
  /** Deletes both files; missing files are not an error (removing twice is harmless). */
  remove(paths: StoredPhotoPaths): Promise<void>;
  /** Absolute folder of the public copies (its layout matches `publicPath` without the 'public/' prefix). */
  publicDirectory: string;
  /** Absolute folder of the originals: never serve it statically. */
  privateDirectory: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PUBLIC_PATH = /^public\/([0-9a-f]{2})\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(jpg|webp)$/;
const PRIVATE_PATH = /^private\/([0-9a-f]{2})\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(jpg|png|webp|heic|heif)$/;

const publicExtension: Record<ProcessedPhoto['public']['contentType'], string> = { 'image/jpeg': 'jpg', 'image/webp': 'webp' };
const originalExtension: Record<OriginalContentType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
};

export function createPhotoStorage(mediaRoot: string): PhotoStorage {
  const root = path.resolve(mediaRoot);
  const publicDirectory = path.join(root, 'public');
  const privateDirectory = path.join(root, 'private');

  const toAbsolute = (relative: string, pattern: RegExp): string => {
    const match = pattern.exec(relative);
    // The shard must be the id's own prefix: one file, one place.
    if (!match || !match[2]!.startsWith(match[1]!)) {
      throw new AppError('NOT_FOUND', 'No such photo file.', { vi: 'Không tìm thấy tệp ảnh.', details: { path: 'not a photo path of this storage' } });
    }
    const absolute = path.join(root, ...relative.split('/'));
    // Belt and braces: the pattern already forbids '..', absolute paths and separators in names.
    if (!absolute.startsWith(root + path.sep)) throw new Error(`Photo path escapes the media root: ${relative}`);
    return absolute;
  };

  const readFile = async (relative: string, pattern: RegExp): Promise<Buffer> => {
    try {
      return await fs.readFile(toAbsolute(relative, pattern));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new AppError('NOT_FOUND', 'The photo file is missing.', { vi: 'Tệp ảnh không còn trên máy chủ.' });
      }
      throw error;
    }
  };

  return {
    publicDirectory,
    privateDirectory,

    async save(id, photo) {
      const uuid = id.toLowerCase();
      if (!UUID.test(uuid)) throw new Error(`Photo id must be a UUID, got "${id}".`);
      const shard = uuid.slice(0, 2);
      const paths: StoredPhotoPaths = {
        publicPath: `public/${shard}/${uuid}.${publicExtension[photo.public.contentType]}`,
        originalPath: `private/${shard}/${uuid}.${originalExtension[photo.original.contentType]}`,
      };
      const written: string[] = [];
      try {
        // The evidence first: a public copy never exists without its original.
        for (const [relative, pattern, bytes] of [
          [paths.originalPath, PRIVATE_PATH, photo.original.bytes],
          [paths.publicPath, PUBLIC_PATH, photo.public.bytes],
        ] as const) {
          const absolute = toAbsolute(relative, pattern);
          await writeFileAtomically(absolute, bytes);
          written.push(absolute);
        }
      } catch (error) {
        await Promise.all(written.map((file) => fs.rm(file, { force: true })));
        throw error;
      }
      return paths;
    },

    readPublic: (publicPath) => readFile(publicPath, PUBLIC_PATH),
    readOriginal: (originalPath) => readFile(originalPath, PRIVATE_PATH),
    resolvePrivate: (originalPath) => toAbsolute(originalPath, PRIVATE_PATH),

    async remove(paths) {
      await Promise.all([
        fs.rm(toAbsolute(paths.publicPath, PUBLIC_PATH), { force: true }),
        fs.rm(toAbsolute(paths.originalPath, PRIVATE_PATH), { force: true }),
      ]);
    },
  };
}

async function writeFileAtomically(file: string, bytes: Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  // Same folder as the target, so the rename never crosses file systems; 'wx' never follows a planted file.
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(temporary, 'wx', 0o640);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
