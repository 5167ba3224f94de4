import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';

export async function selectPostgisVersion(db: Kysely<Database>): Promise<string> {
  const result = await sql<{ version: string }>`SELECT postgis_lib_version() AS version`.execute(db);
  return result.rows[0]?.version ?? 'unknown';
}
