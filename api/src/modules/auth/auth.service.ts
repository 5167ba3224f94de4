import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { Database, DatabaseExecutor, UserRole } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import * as repository from './auth.repository.ts';

/** Who is calling: a signed-in person (cookie or bearer token), or nobody. */
export interface Principal {
  userId: string;
  email: string;
  displayName: string;
  role: UserRole;
  officeId: string | null;
  officeCode: string | null;
  officeName: string | null;
  sessionId: string;
  sessionKind: 'cookie' | 'bearer';
  csrfToken: string;
}

export const COOKIE_SESSION_DAYS = 7;

/** Opaque random token; only its SHA-256 is stored, so a database leak does not leak sessions. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** argon2id with the library's defaults (OWASP's minimum: 19 MiB, 2 iterations). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// A real hash to verify against when the e-mail is unknown, so both paths cost the same time.
const unknownUserHash = hashPassword(newSecret());

export interface SignedIn {
  principal: Principal;
  /** The session or bearer token to hand to the client (never stored). */
  token: string;
  expiresAt: Date;
}

export async function signIn(db: Kysely<Database>, email: string, password: string, kind: 'cookie' | 'bearer', days = COOKIE_SESSION_DAYS): Promise<SignedIn> {
  const user = await repository.findUserByEmail(db, email);
  const valid = await verify(user?.password_hash ?? (await unknownUserHash), password).catch(() => false);
  if (!user || !valid || !user.active) {
    throw new AppError('UNAUTHENTICATED', 'Wrong e-mail or password.', { vi: 'Sai e-mail hoặc mật khẩu.' });
  }
  const token = newSecret();
  const csrfToken = newSecret(24);
  const expiresAt = new Date(Date.now() + days * 86_400_000);
  await repository.insertSession(db, { userId: user.id, tokenHash: hashSecret(token), csrfToken, kind, expiresAt });
  const session = await repository.findSessionByTokenHash(db, hashSecret(token), new Date());
  if (!session) throw new Error('session vanished after insert');
  return { principal: toPrincipal(session), token, expiresAt };
}

export async function authenticateToken(db: Kysely<Database>, token: string, kind: 'cookie' | 'bearer'): Promise<Principal | null> {
  const session = await repository.findSessionByTokenHash(db, hashSecret(token), new Date());
  if (!session || session.kind !== kind) return null;
  return toPrincipal(session);
}

export async function signOut(db: Kysely<Database>, principal: Principal): Promise<void> {
  await repository.deleteSession(db, principal.sessionId);
}

function toPrincipal(session: repository.SessionRecord): Principal {
  return {
    userId: session.id,
    email: session.email,
    displayName: session.display_name,
    role: session.role,
    officeId: session.office_id,
    officeCode: session.office_code,
    officeName: session.office_name,
    sessionId: session.session_id,
    sessionKind: session.kind,
    csrfToken: session.csrf_token,
  };
}

/** A new account; an e-mail in use fails with a unique violation unless `ifExists` is `keep` (see `insertUser`). */
export async function createUser(
  db: Kysely<Database>,
  user: { email: string; displayName: string; password: string; role: UserRole; officeId: string | null; phone?: string | null },
  ifExists: 'refuse' | 'keep' = 'refuse',
): Promise<string> {
  return repository.insertUser(db, { ...user, email: user.email.toLowerCase(), passwordHash: await hashPassword(user.password) }, ifExists);
}

/**
 * Sets a new password and ends the user's sessions, so whoever knew the old one is out at once; an
 * admin resetting their own password keeps the session they are using (`keepSessionId`).
 */
export async function resetPassword(db: Kysely<Database>, userId: string, password: string, keepSessionId: string | null = null): Promise<boolean> {
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (transaction) => {
    if ((await repository.updatePasswordHash(transaction, userId, passwordHash)) === 0) return false;
    await repository.deleteSessionsOfUser(transaction, userId, keepSessionId);
    return true;
  });
}

/** Open311 partners: a key shown once, stored as a hash. */
export async function createApiClient(db: Kysely<Database>, name: string): Promise<{ id: string; apiKey: string }> {
  const apiKey = newSecret();
  const id = await repository.insertApiClient(db, { name, keyHash: hashSecret(apiKey) });
  return { id, apiKey };
}

export async function authenticateApiKey(db: Kysely<Database>, apiKey: string): Promise<{ id: string; name: string } | null> {
  return (await repository.findApiClientByKeyHash(db, hashSecret(apiKey))) ?? null;
}

/** The Open311 clients, newest first (never their keys: only hashes are stored). */
export function listApiClients(db: Kysely<Database>) {
  return repository.listApiClients(db);
}

/** Revokes a client's key (`active` = false; `authenticateApiKey` accepts active clients only). False when there is no such client. */
export function revokeApiClientKey(db: Kysely<Database>, id: string): Promise<boolean> {
  return repository.deactivateApiClient(db, id);
}

/** Ends every session of a user (a deactivated account is signed out everywhere at once). */
export function endSessionsOfUser(db: DatabaseExecutor, userId: string): Promise<number> {
  return repository.deleteSessionsOfUser(db, userId);
}
