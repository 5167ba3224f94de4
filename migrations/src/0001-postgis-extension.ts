import { sql, type Kysely } from 'kysely';

// Frozen once merged: never import application code here, never edit after release.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS postgis`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP EXTENSION IF EXISTS postgis`.execute(db);
}
