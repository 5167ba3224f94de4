import { sql, type Kysely } from 'kysely';

// Frozen once merged: never import application code here, never edit after release.
//
// Reports are listed newest first, ties broken by id (OGC API – Features items, the reports layer's
// order). Paging by position (keyset: "after this report") compares (created_at, id) as a row, which
// only a two-column index can answer without reading every newer report first. It replaces the
// index on created_at alone, which is its prefix.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX report_created_id_idx ON report (created_at DESC, id DESC)`.execute(db);
  await sql`DROP INDEX report_created_idx`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX report_created_idx ON report (created_at DESC)`.execute(db);
  await sql`DROP INDEX report_created_id_idx`.execute(db);
}
