import { sql, type Kysely } from 'kysely';

// Frozen once merged: never import application code here, never edit after release.
//
// Rate-limit counters in the database, so that several API processes share one limit per client
// (per citizen address for report submissions, per partner key for Open311) instead of each
// process counting alone. One row per key: its current window (which starts at the key's first
// hit, as the library's memory store does) and the hits in it; purged once the window has ended.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE rate_limit_counter (
      key text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 300),
      window_start timestamptz NOT NULL,
      window_end timestamptz NOT NULL CHECK (window_end > window_start),
      hits integer NOT NULL CHECK (hits >= 0)
    )`.execute(db);
  await sql`CREATE INDEX rate_limit_counter_window_end_idx ON rate_limit_counter (window_end)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE rate_limit_counter`.execute(db);
}
