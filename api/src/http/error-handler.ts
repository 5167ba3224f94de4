import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../db/postgres-errors.ts';
import { AppError, CAMERA_RETRY_AFTER_S, DATABASE_RETRY_AFTER_S, databaseUnavailableError } from '../errors/app-error.ts';
import { ThrottledLog } from '../logging/throttled-log.ts';

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
 * Turns any error into the API's: an `AppError` as it is, Express's own by their type, and every
 * failure to reach the database into `DATABASE_UNAVAILABLE` (503). The 503s of an outage are
 * counted in one log line per interval, not logged one stack each; anything else is unknown.
 */
export function toAppError(error: unknown, outageLog?: ThrottledLog): AppError | undefined {
  if (error instanceof AppError) return error;
  const fromExpress = fromExpressError(error as BodyParserError);
  if (fromExpress) return fromExpress;
  if (isDatabaseUnavailable(error)) {
    const reason = (error as { code?: unknown; message?: unknown })?.message;
    outageLog?.warn(`503:${String(reason)}`, { reason }, 'requests answered 503: the database is unavailable');
    return databaseUnavailableError(error);
  }
  return undefined;
}

/** Headers that go with an error: Retry-After when trying again later will help. */
export function errorHeaders(error: AppError): Record<string, string> {
  if (error.code === 'DATABASE_UNAVAILABLE') return { 'Retry-After': String(DATABASE_RETRY_AFTER_S), 'Cache-Control': 'no-store' };
  if (error.code === 'CAMERA_UNAVAILABLE') return { 'Retry-After': String(CAMERA_RETRY_AFTER_S), 'Cache-Control': 'no-store' };
  return {};
}

/** Answers an error on Node's own request and response (Express's extend them). */
export type ErrorResponder = (error: unknown, request: IncomingMessage & { id?: unknown }, response: ServerResponse) => void;

/**
 * The one way errors are answered: `{ error: { code, message, messageVi, details?, requestId } }`.
 * Unknown errors become a generic 500 (their detail goes to the log, never to the client). Works on
 * Node's objects, so the tile fast path (ahead of Express) answers its errors the same way.
 */
export function createErrorResponder(logger: Logger, outageLog = new ThrottledLog(logger)): ErrorResponder {
  return (error, request, response) => {
    const appError = toAppError(error, outageLog);
    // pino-http names every request; the routes mounted before it (tiles) get a name here.
    let requestId = request.id === undefined ? '' : String(request.id);
    if (!requestId) {
      requestId = randomUUID();
      response.setHeader('X-Request-Id', requestId);
    }
    if (!appError) logger.error({ err: error, requestId }, 'unhandled error');
    const body = appError
      ? {
          code: appError.code,
          message: appError.message,
          ...(appError.messageVi ? { messageVi: appError.messageVi } : {}),
          ...(appError.details === undefined ? {} : { details: appError.details }),
          requestId,
        }
      : {
          code: 'INTERNAL',
          message: 'Something went wrong on our side. Please try again; if it keeps happening, report the request id.',
          messageVi: 'Hệ thống gặp lỗi. Vui lòng thử lại; nếu lỗi lặp lại, hãy báo mã yêu cầu.',
          requestId,
        };
    const json = JSON.stringify({ error: body });
    if (appError) for (const [name, value] of Object.entries(errorHeaders(appError))) response.setHeader(name, value);
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.setHeader('Content-Length', Buffer.byteLength(json));
    response.statusCode = appError?.status ?? 500;
    response.end(request.method === 'HEAD' ? undefined : json);
  };
}

/** The responder as Express's last middleware. */
export function createErrorHandler(logger: Logger, outageLog = new ThrottledLog(logger)): ErrorRequestHandler {
  const respond = createErrorResponder(logger, outageLog);
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    respond(error, request, response);
  };
}

export const notFoundHandler: RequestHandler = (request, _response, next) => {
  next(
    new AppError('NOT_FOUND', `No such endpoint: ${request.method} ${request.path}`, {
      vi: `Không có địa chỉ ${request.method} ${request.path}`,
    }),
  );
};
