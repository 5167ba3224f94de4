import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { parseInput } from '../../http/validate-input.ts';
import { SESSION_COOKIE } from './auth.middleware.ts';
import { createTokenBodySchema, loginBodySchema } from './auth.schema.ts';
import { signIn, signOut, type Principal } from './auth.service.ts';

export function describePrincipal(principal: Principal) {
  return {
    id: principal.userId,
    email: principal.email,
    displayName: principal.displayName,
    role: principal.role,
    office: principal.officeCode ? { code: principal.officeCode, name: principal.officeName } : null,
  };
}

export function createAuthRouter(db: Kysely<Database>): Router {
  const router = Router();

  router.post('/api/auth/login', async (request, response) => {
    const body = parseInput(loginBodySchema, request.body, 'body');
    const signedIn = await signIn(db, body.email, body.password, 'cookie');
    response.cookie(SESSION_COOKIE, signedIn.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: request.secure,
      path: '/',
      expires: signedIn.expiresAt,
    });
    response.json({ user: describePrincipal(signedIn.principal), csrfToken: signedIn.principal.csrfToken });
  });

  router.post('/api/auth/logout', async (request, response) => {
    if (request.principal) await signOut(db, request.principal);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    response.status(204).end();
  });

  router.get('/api/auth/me', (request, response) => {
    if (!request.principal) throw new AppError('UNAUTHENTICATED', 'Not signed in.', { vi: 'Chưa đăng nhập.' });
    response.set('Cache-Control', 'no-store').json({ user: describePrincipal(request.principal), csrfToken: request.principal.csrfToken });
  });

  // "Who is signed in here?" for pages that work either way (the IOC, the desk, the admin console ask
  // before showing their sign-in form): signed out is an answer, not an error, so 200 with `user: null`.
  // /api/auth/me keeps answering 401 for callers that need a session.
  router.get('/api/auth/session', (request, response) => {
    response.set('Cache-Control', 'no-store');
    if (!request.principal) response.json({ user: null });
    else response.json({ user: describePrincipal(request.principal), csrfToken: request.principal.csrfToken });
  });

  // Bearer tokens for API clients: sign in with e-mail and password, get a token to send as
  // `Authorization: Bearer <token>`.
  router.post('/api/auth/tokens', async (request, response) => {
    const credentials = parseInput(loginBodySchema, request.body, 'body');
    const { days } = parseInput(createTokenBodySchema, { days: (request.body as { days?: unknown })?.days }, 'body');
    const signedIn = await signIn(db, credentials.email, credentials.password, 'bearer', days);
    response.status(201).json({ token: signedIn.token, tokenType: 'Bearer', expiresAt: signedIn.expiresAt.toISOString(), user: describePrincipal(signedIn.principal) });
  });

  return router;
}
