import type { RequestHandler } from 'express';
import { AppError } from '../errors/app-error.ts';
import { closeAfterAnswer } from './lingering-close.ts';

/** Bytes as megabytes with one decimal, for limits in messages ("51 MB"). */
export const megabytes = (bytes: number): string => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * Refuses a request whose `Content-Length` is larger than any route takes (413), before a byte of its
 * body is read, and closes its connection once the answer is sent (see closeAfterAnswer): Node would
 * otherwise read the whole body (to keep the connection) before the next request. `multipartBytes` for multipart bodies (photo
 * uploads), `otherBytes` for the rest (JSON and forms: the body parsers' own limit). A chunked body
 * has no length to check: the parsers and the upload route count it as it arrives.
 */
export function refuseOversizedBodies(limits: { multipartBytes: number; otherBytes: number }): RequestHandler {
  return (request, response, next) => {
    const header = request.headers['content-length'];
    if (header === undefined) {
      next();
      return;
    }
    const declared = Number(header);
    const limit = request.is('multipart/form-data') ? limits.multipartBytes : limits.otherBytes;
    if (!Number.isFinite(declared) || declared <= limit) {
      next();
      return;
    }
    closeAfterAnswer(request, response);
    next(
      new AppError('PAYLOAD_TOO_LARGE', `The request body is too large: ${megabytes(declared)}, and at most ${megabytes(limit)} is accepted here.`, {
        vi: `Nội dung gửi lên (${megabytes(declared)}) vượt quá ${megabytes(limit)} cho phép.`,
      }),
    );
  };
}
