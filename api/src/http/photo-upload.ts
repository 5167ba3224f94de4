import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { AppError } from '../errors/app-error.ts';
import { megabytes } from './body-limit.ts';
import { closeAfterAnswer } from './lingering-close.ts';

/**
 * Multipart bodies of a JSON part and `photos`, the photos streamed to temporary files (never held
 * in memory) and deleted once the request is answered. Bounded: a photo past its size is refused the
 * moment it passes it, a chunked body is cut off past the body limit (a declared Content-Length past
 * it never gets here: refuseOversizedBodies answers first), and the connection is closed rather than
 * the rest of the body read.
 */
export interface PhotoUploadLimits {
  maxPhotos: number;
  maxPhotoBytes: number;
  /** Every photo at its largest, plus the JSON part and the framing. */
  maxBodyBytes: number;
}

export interface PhotoUpload {
  /** Reads a multipart body (JSON in `jsonField`, files in `photos`) into `request.body` and `request.files`; other bodies pass. */
  multipart(jsonField: string): RequestHandler;
}

export function createPhotoUpload(uploadDir: string, limits: PhotoUploadLimits): PhotoUpload {
  const upload = createUpload(uploadDir, limits);
  return { multipart: (jsonField) => multipartWith(upload, limits, jsonField) };
}

/** The photos of a multipart request, as written to their temporary files. */
export function uploadedPhotos(request: Request): Array<{ path: string; size: number; fileName: string }> {
  const files = (request.files as Record<string, Express.Multer.File[]> | undefined)?.photos ?? [];
  return files.map((file) => ({ path: file.path, size: file.size, fileName: file.originalname }));
}

function bodyTooLarge(limits: PhotoUploadLimits): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `The request body is too large: at most ${megabytes(limits.maxBodyBytes)} is accepted (${limits.maxPhotos} photos of at most ${megabytes(limits.maxPhotoBytes)} each).`, {
    vi: `Nội dung gửi lên vượt quá ${megabytes(limits.maxBodyBytes)} (tối đa ${limits.maxPhotos} ảnh, mỗi ảnh ${megabytes(limits.maxPhotoBytes)}).`,
  });
}

function photoTooLarge(limits: PhotoUploadLimits): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `Each photo must be at most ${limits.maxPhotoBytes / 1024 / 1024} MB.`, { vi: `Mỗi ảnh tối đa ${limits.maxPhotoBytes / 1024 / 1024} MB.` });
}

/** Refuses a request at once, closing its connection so that the rest of its body is never read. */
const refusals = new WeakMap<Request, (error: AppError) => void>();

/**
 * Multer writing photos to temporary files in `uploadDir` (never holding them in memory); a photo
 * past its size limit is refused the moment it passes it, not once the whole body has arrived.
 */
function createUpload(uploadDir: string, limits: PhotoUploadLimits) {
  const disk = multer.diskStorage({ destination: uploadDir, filename: (_request, _file, callback) => callback(null, randomUUID()) });
  const storage: multer.StorageEngine = {
    _handleFile(request, file, callback) {
      file.stream.once('limit', () => {
        refusals.get(request)?.(photoTooLarge(limits));
        // The part would end only once the rest of the body arrived, and it is not read: end the write now.
        file.stream.destroy();
      });
      disk._handleFile(request, file, (error, info) => {
        // A write that failed (or was cut off) leaves a partial file that multer does not list.
        if (error && typeof file.path === 'string') fs.rm(file.path, { force: true }).catch(() => undefined);
        callback(error, info);
      });
    },
    _removeFile: (request, file, callback) => disk._removeFile(request, file, callback),
  };
  return multer({
    storage,
    limits: { fileSize: limits.maxPhotoBytes, files: limits.maxPhotos, fields: 5, fieldSize: 256 * 1024, parts: limits.maxPhotos + 5 },
  });
}

/** The temporary files of a request's uploads (deleted once it is answered). */
function uploadedFiles(request: Request): Express.Multer.File[] {
  const files = request.files as Record<string, Express.Multer.File[]> | Express.Multer.File[] | undefined;
  if (!files) return [];
  return Array.isArray(files) ? files : Object.values(files).flat();
}

function multipartWith(upload: multer.Multer, limits: PhotoUploadLimits, jsonField: string) {
  const parse = upload.fields([{ name: 'photos', maxCount: limits.maxPhotos }]);
  return (request: Request, response: Response, next: NextFunction) => {
    if (!request.is('multipart/form-data')) {
      next();
      return;
    }
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      next(error);
    };
    const refuse = (error: AppError) => {
      if (settled) return;
      // The rest of the body is not worth reading: the connection closes once the answer is sent.
      closeAfterAnswer(request, response);
      settle(error);
    };
    // A declared Content-Length past the limit never gets here: refuseOversizedBodies (app.ts) answers it.
    refusals.set(request, refuse);
    // The temporary files go whatever the outcome: once the answer is sent (after the handler is
    // done with them), or when the connection closes. Multer deletes the files of a body it aborts.
    const removeFiles = () => {
      // Multer lists a file still being written without its path: it deletes those itself if it aborts.
      for (const file of uploadedFiles(request)) if (typeof file.path === 'string') fs.rm(file.path, { force: true }).catch(() => undefined);
    };
    const end = response.end.bind(response) as (...args: unknown[]) => Response;
    response.end = ((...args: unknown[]) => {
      const result = end(...args);
      removeFiles();
      return result;
    }) as Response['end'];
    // A chunked body has no length to check first: counted as it arrives, cut off past the limit.
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxBodyBytes) refuse(bodyTooLarge(limits));
    });
    parse(request, response, (error: unknown) => {
      if (settled) return;
      if (!error) {
        const field = (request.body as Record<string, unknown> | undefined)?.[jsonField];
        if (typeof field !== 'string') {
          settle(new AppError('VALIDATION_FAILED', `A multipart request needs a "${jsonField}" part holding the JSON.`, { vi: `Thiếu phần "${jsonField}" (JSON).` }));
          return;
        }
        try {
          request.body = JSON.parse(field);
        } catch {
          settle(new AppError('VALIDATION_FAILED', `The "${jsonField}" part is not valid JSON.`, { vi: `Phần "${jsonField}" không phải JSON hợp lệ.` }));
          return;
        }
        settle();
        return;
      }
      if (error instanceof multer.MulterError) {
        if (error.code === 'LIMIT_FILE_SIZE') {
          settle(photoTooLarge(limits));
          return;
        }
        const messages: Record<string, [string, string]> = {
          LIMIT_FILE_COUNT: [`At most ${limits.maxPhotos} photos.`, `Tối đa ${limits.maxPhotos} ảnh.`],
          LIMIT_UNEXPECTED_FILE: [`Files go in the "photos" field (at most ${limits.maxPhotos}).`, `Ảnh phải gửi trong trường "photos" (tối đa ${limits.maxPhotos}).`],
        };
        const [message, vi] = messages[error.code] ?? [`The multipart body is malformed: ${error.message}`, 'Nội dung gửi lên không hợp lệ.'];
        settle(new AppError('VALIDATION_FAILED', message, { vi }));
        return;
      }
      settle(new AppError('VALIDATION_FAILED', `The multipart body could not be read: ${(error as Error).message}`, { vi: 'Không đọc được nội dung gửi lên.' }));
    });
  };
}
