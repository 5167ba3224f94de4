import type { UserRole, DatabaseExecutor } from '../../db/database-schema.ts';


export interface UserRecord {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  role: UserRole;
  office_id: string | null;
  office_code: string | null;
  office_name: string | null;
  active: boolean;
}

const userColumns = [
  'app_user.id',
  'app_user.email',
  'app_user.display_name',
  'app_user.password_hash',
  'app_user.role',
  'app_user.office_id',
  'office.code as office_code',
  'office.name as office_name',
  'app_user.active',
] as const;

export async function findUserByEmail(db: DatabaseExecutor, email: string): Promise<UserRecord | undefined> {
  return db.selectFrom('app_user').leftJoin('office', 'office.id', 'app_user.office_id').select(userColumns).where('app_user.email', '=', email).executeTakeFirst();
}

export async function insertSession(
  db: DatabaseExecutor,
  session: { userId: string; tokenHash: string; csrfToken: string; kind: 'cookie' | 'bearer'; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('user_session')
    .values({ user_id: session.userId, token_hash: session.tokenHash, csrf_token: session.csrfToken, kind: session.kind, expires_at: session.expiresAt })
    .execute();
}

export interface SessionRecord extends UserRecord {
  session_id: string;
  csrf_token: string;
  kind: 'cookie' | 'bearer';
  expires_at: Date;
}

export async function findSessionByTokenHash(db: DatabaseExecutor, tokenHash: string, now: Date): Promise<SessionRecord | undefined> {
  return db
    .selectFrom('user_session')
    .innerJoin('app_user', 'app_user.id', 'user_session.user_id')
    .leftJoin('office', 'office.id', 'app_user.office_id')
    .select([...userColumns, 'user_session.id as session_id', 'user_session.csrf_token', 'user_session.kind', 'user_session.expires_at'])
    .where('user_session.token_hash', '=', tokenHash)
    .where('user_session.expires_at', '>', now)
    .where('app_user.active', '=', true)
    .executeTakeFirst();
}

export async function deleteSession(db: DatabaseExecutor, sessionId: string): Promise<void> {
  await db.deleteFrom('user_session').where('id', '=', sessionId).execute();
}

/** Ends every session of a user (all but `keepSessionId`, the caller's own when they change their own password). */
export async function deleteSessionsOfUser(db: DatabaseExecutor, userId: string, keepSessionId: string | null = null): Promise<number> {
  let query = db.deleteFrom('user_session').where('user_id', '=', userId);
  if (keepSessionId) query = query.where('id', '<>', keepSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function updatePasswordHash(db: DatabaseExecutor, userId: string, passwordHash: string): Promise<number> {
  const result = await db.updateTable('app_user').set({ password_hash: passwordHash }).where('id', '=', userId).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * A new account. An e-mail already in use: `refuse` lets the unique constraint fail the insert (the
 * caller answers 409); `keep` returns the existing account unchanged (seeding demo accounts again).
 */
export async function insertUser(
  db: DatabaseExecutor,
  user: { email: string; displayName: string; passwordHash: string; role: UserRole; officeId: string | null; phone?: string | null },
  ifExists: 'refuse' | 'keep' = 'refuse',
): Promise<string> {
  const insert = db.insertInto('app_user').values({
    email: user.email,
    display_name: user.displayName,
    password_hash: user.passwordHash,
    role: user.role,
    office_id: user.officeId,
    phone: user.phone ?? null,
  });
  if (ifExists === 'refuse') return (await insert.returning('id').executeTakeFirstOrThrow()).id;
  const row = await insert.onConflict((conflict) => conflict.column('email').doNothing()).returning('id').executeTakeFirst();
  if (row) return row.id;
  const existing = await db.selectFrom('app_user').select('id').where('email', '=', user.email).executeTakeFirstOrThrow();
  return existing.id;
}

export async function findApiClientByKeyHash(db: DatabaseExecutor, keyHash: string): Promise<{ id: string; name: string } | undefined> {
  return db.selectFrom('api_client').select(['id', 'name']).where('key_hash', '=', keyHash).where('active', '=', true).executeTakeFirst();
}

export async function listApiClients(db: DatabaseExecutor) {
  return db.selectFrom('api_client').select(['id', 'name', 'active', 'created_at']).orderBy('created_at', 'desc').orderBy('id').execute();
}

/** Revokes a client (its key stops working: keys are only accepted while `active`); false when there is no such client. */
export async function deactivateApiClient(db: DatabaseExecutor, id: string): Promise<boolean> {
  const result = await db.updateTable('api_client').set({ active: false }).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function insertApiClient(db: DatabaseExecutor, client: { name: string; keyHash: string }): Promise<string> {
  const row = await db.insertInto('api_client').values({ name: client.name, key_hash: client.keyHash }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}
