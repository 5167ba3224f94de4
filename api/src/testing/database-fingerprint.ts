import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database-schema.ts';

/**
 * A digest of every row of every application table: equal before and after means nothing changed
 * (used to prove that rejected imports and requests leave the database as it was).
 */
export async function databaseFingerprint(db: Kysely<Database>): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'spatial_ref_sys' AND table_name NOT LIKE 'kysely_%'
      -- A refused submission still counts against its sender's rate limit: bookkeeping, not data.
      AND table_name <> 'rate_limit_counter'
    ORDER BY 1`.execute(db);
  const fingerprint: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const result = await sql<{ digest: string }>`
      SELECT count(*) || ':' || coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') AS digest FROM ${sql.table(name)} AS t`.execute(db);
    fingerprint[name] = result.rows[0]?.digest ?? '';
  }
  return fingerprint;
}
