import { sql } from 'kysely';
import type { DatabaseExecutor, RateLimitCounterRow } from '../../db/database-schema.ts';

export type CounterRow = Pick<RateLimitCounterRow, 'hits' | 'window_end'>;

/**
 * Counts one hit for `key`, on the database's clock: in its current window, or in a new one of
 * `windowMs` starting now when there is none or it has ended. Returns the hits and the window's end.
 */
export async function countHit(db: DatabaseExecutor, key: string, windowMs: number): Promise<CounterRow> {
  const window = sql`make_interval(secs => ${windowMs / 1000}::double precision)`;
  const result = await sql<CounterRow>`
    INSERT INTO rate_limit_counter AS c (key, window_start, window_end, hits) VALUES (${key}, now(), now() + ${window}, 1)
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN c.window_end <= now() THEN 1 ELSE c.hits + 1 END,
      window_start = CASE WHEN c.window_end <= now() THEN excluded.window_start ELSE c.window_start END,
      window_end = CASE WHEN c.window_end <= now() THEN excluded.window_end ELSE c.window_end END
    RETURNING hits, window_end`.execute(db);
  return result.rows[0]!;
}

/** The hits of `key` in its current window, if it has one. */
export async function findCurrentHits(db: DatabaseExecutor, key: string): Promise<CounterRow | undefined> {
  const result = await sql<CounterRow>`SELECT hits, window_end FROM rate_limit_counter WHERE key = ${key} AND window_end > now()`.execute(db);
  return result.rows[0];
}

/** Takes one hit back from `key`'s current window. */
export async function uncountHit(db: DatabaseExecutor, key: string): Promise<void> {
  await sql`UPDATE rate_limit_counter SET hits = greatest(hits - 1, 0) WHERE key = ${key} AND window_end > now()`.execute(db);
}

export async function deleteCounter(db: DatabaseExecutor, key: string): Promise<void> {
  await sql`DELETE FROM rate_limit_counter WHERE key = ${key}`.execute(db);
}
