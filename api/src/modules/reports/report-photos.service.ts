import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type { Transaction } from 'kysely';
import type { Database, PhotoRole } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { processPhoto, PhotoRejectedError, type ProcessedPhoto } from '../photos/photo-processing.ts';
import type { StoredPhotoPaths } from '../photos/photo-storage.ts';
import type { ReportsContext } from './reports-context.ts';
import * as repository from './reports.repository.ts';

/**
 * A photo as it came in a multipart request: streamed to a temporary file (never held in memory
 * while it arrives), deleted by the route once the response is sent.
 */
export interface UploadedFile {
  path: string;
  size: number;
  fileName: string | undefined;
}

/** Checks and converts uploaded photos (read one at a time from their files), naming the faulty one. */
export async function processUploadedPhotos(photos: UploadedFile[]): Promise<ProcessedPhoto[]> {
  const processed: ProcessedPhoto[] = [];
  for (const [index, photo] of photos.entries()) {
    try {
      processed.push(await processPhoto(await fs.readFile(photo.path), photo.fileName));
    } catch (error) {
      if (error instanceof PhotoRejectedError) {
        throw new AppError(error.code, `Photo ${index + 1}: ${error.message}`, {
          vi: `Ảnh ${index + 1}: ${error.messageVi}`,
          details: [{ parameter: `photos[${index}]`, problem: error.message }],
        });
      }
      throw error;
    }
  }
  return processed;
}

export interface StoredPhoto {
  id: string;
  paths: StoredPhotoPaths;
  photo: ProcessedPhoto;
}

/**
 * Photos of an event: processed and written to storage before the transaction (files cannot take
 * part in it), recorded inside it with `attach`, and deleted with `discard` if it fails.
 */
export async function storeEventPhotos(context: ReportsContext, photos: UploadedFile[]) {
  const processed = await processUploadedPhotos(photos);
  const stored: StoredPhoto[] = [];
  try {
    for (const photo of processed) {
      const id = randomUUID();
      stored.push({ id, paths: await context.photoStorage.save(id, photo), photo });
    }
  } catch (error) {
    await Promise.all(stored.map((item) => context.photoStorage.remove(item.paths).catch(() => undefined)));
    throw error;
  }
  return {
    stored,
    async attach(transaction: Transaction<Database>, reportId: string, eventId: string | null, role: PhotoRole) {
      for (const item of stored) await repository.insertPhoto(transaction, photoRow(item, reportId, eventId, role));
    },
    async discard() {
      await Promise.all(stored.map((item) => context.photoStorage.remove(item.paths).catch(() => undefined)));
    },
  };
}

export function photoRow(item: StoredPhoto, reportId: string, eventId: string | null, role: PhotoRole): repository.NewPhoto {
  return {
    id: item.id,
    reportId,
    eventId,
    role,
    publicPath: item.paths.publicPath,
    originalPath: item.paths.originalPath,
    contentType: item.photo.public.contentType,
    originalContentType: item.photo.original.contentType,
    width: item.photo.public.width,
    height: item.photo.public.height,
    bytes: item.photo.original.bytes.length,
    takenAt: item.photo.exif.takenAt,
    takenLongitude: item.photo.exif.longitude,
    takenLatitude: item.photo.exif.latitude,
  };
}
