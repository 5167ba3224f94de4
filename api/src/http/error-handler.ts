import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error.ts';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/** Maps errors raised by Express itself (body parsing) to the API's error codes. */
function fromExpressError(error: BodyParserError): AppError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new AppError('VALIDATION_FAILED', `The request body is not valid JSON: ${error.message}`, {
        vi: 'Nội dung gửi lên không phải JSON hợp lệ.',
      });
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large.', { vi: 'Nội dung gửi lên quá lớn.' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', error.message, { vi: 'Bảng mã của nội dung không được hỗ trợ; hãy dùng UTF-8.' });
    default:
      return undefined;
  }
}

/**
 * The one error handler: `{ error: { code, message, messageVi, details?, requestId } }`. Unknown
 * errors become a generic 500 (their detail goes to the log, never to the client).
 */
export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const appError = error instanceof AppError ? error : fromExpressError(error as BodyParserError);
    // pino-http names every request; the routes mounted before it (tiles) get a name here.
    let requestId = request.id === undefined ? '' : String(request.id);
    if (!requestId) {
      requestId = randomUUID();
      response.setHeader('X-Request-Id', requestId);
    }
    if (appError) {
      response.status(appError.status).json({
        error: {
          code: appError.code,
          message: appError.message,
          ...(appError.messageVi ? { messageVi: appError.messageVi } : {}),
          ...(appError.details === undefined ? {} : { details: appError.details }),
          requestId,
        },
      });
      return;
    }
    logger.error({ err: error, requestId }, 'unhandled error');
    response.status(500).json({
      error: {
        code: 'INTERNAL',
        message: 'Something went wrong on our side. Please try again; if it keeps happening, report the request id.',
        messageVi: 'Hệ thống gặp lỗi. Vui lòng thử lại; nếu lỗi lặp lại, hãy báo mã yêu cầu.',
        requestId,
      },
    });
  };
}

export const notFoundHandler: RequestHandler = (request, _response, next) => {
  next(
    new AppError('NOT_FOUND', `No such endpoint: ${request.method} ${request.path}`, {
      vi: `Không có địa chỉ ${request.method} ${request.path}`,
    }),
  );
};
