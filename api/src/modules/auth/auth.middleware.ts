import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Kysely } from 'kysely';
import type { Database, UserRole } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { authenticateToken, type Principal } from './auth.service.ts';

export const SESSION_COOKIE = 'bandoso_session';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Reads the caller from `Authorization: Bearer …` (API clients) or the session cookie (the web page).
 * Cookie-authenticated unsafe requests must echo the session's CSRF token in `X-CSRF-Token`; bearer
 * tokens are not sent automatically by browsers, so they need none.
 */
export function authenticate(db: Kysely<Database>): RequestHandler {
  return async (request: Request, _response: Response, next: NextFunction) => {
    const authorization = request.headers.authorization;
    if (authorization) {
      const match = /^Bearer\s+([\w-]{20,200})$/i.exec(authorization);
      if (!match?.[1]) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".', { vi: 'Tiêu đề Authorization phải có dạng "Bearer <token>".' });
      const principal = await authenticateToken(db, match[1], 'bearer');
      if (!principal) throw new AppError('UNAUTHENTICATED', 'The bearer token is unknown or expired; sign in again.', { vi: 'Mã truy cập không hợp lệ hoặc đã hết hạn; hãy đăng nhập lại.' });
      request.principal = principal;
      next();
      return;
    }
    const cookie = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (cookie) {
      const principal = await authenticateToken(db, cookie, 'cookie');
      if (principal && unsafeMethods.has(request.method) && request.get('x-csrf-token') !== principal.csrfToken) {
        throw new AppError('FORBIDDEN', 'Missing or wrong X-CSRF-Token header for this session.', { vi: 'Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token).' });
      }
      if (principal) request.principal = principal;
    }
    next();
  };
}

/** Answers 401 without a signed-in caller, 403 when the caller's role is not among `roles`. */
export function requireRole(...roles: UserRole[]): RequestHandler {
  return (request, _response, next) => {
    const principal = request.principal;
    if (!principal) {
      next(new AppError('UNAUTHENTICATED', 'Sign in to do this.', { vi: 'Vui lòng đăng nhập.' }));
      return;
    }
    if (!roles.includes(principal.role)) {
      next(new AppError('FORBIDDEN', `This needs the role ${roles.join(' or ')}.`, { vi: 'Tài khoản của bạn không có quyền thực hiện thao tác này.' }));
      return;
    }
    next();
  };
}
