import { sql, type Kysely } from 'kysely';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';

/**
 * An express-rate-limit store whose counters live in the database (migration 0007), so that every
 * API process in front of the same database enforces one shared limit; the library's memory store
 * would let each of N processes admit the full limit. Like the memory store, a key's window starts
 * at its first hit and lasts `windowMs`; a hit after it starts a new one. One upsert per request,
 * on the database's clock (the same for every process). Ended windows are purged by the retention
 * pass.
 */
export class DatabaseRateLimitStore implements Store {
  /** Counts are shared by every process on the database. */
  readonly localKeys = false;
  readonly prefix: string;
  readonly #db: Kysely<any>;
  #windowMs = 60_000;

  constructor(db: Kysely<any>, prefix: string) {
    this.#db = db;
    this.prefix = prefix;
  }

  init(options: Options): void {
    this.#windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const result = await sql<{ hits: number; window_end: Date }>`
      SELECT hits, window_end FROM rate_limit_counter WHERE key = ${this.prefix + key} AND window_end > now()`.execute(this.#db);
    const row = result.rows[0];
    return row ? { totalHits: row.hits, resetTime: row.window_end } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const window = sql`make_interval(secs => ${this.#windowMs / 1000}::double precision)`;
    const result = await sql<{ hits: number; window_end: Date }>`
      INSERT INTO rate_limit_counter AS c (key, window_start, window_end, hits) VALUES (${this.prefix + key}, now(), now() + ${window}, 1)
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN c.window_end <= now() THEN 1 ELSE c.hits + 1 END,
        window_start = CASE WHEN c.window_end <= now() THEN excluded.window_start ELSE c.window_start END,
        window_end = CASE WHEN c.window_end <= now() THEN excluded.window_end ELSE c.window_end END
      RETURNING hits, window_end`.execute(this.#db);
    const row = result.rows[0]!;
    return { totalHits: row.hits, resetTime: row.window_end };
  }

  async decrement(key: string): Promise<void> {
    await sql`UPDATE rate_limit_counter SET hits = greatest(hits - 1, 0) WHERE key = ${this.prefix + key} AND window_end > now()`.execute(this.#db);
  }

  async resetKey(key: string): Promise<void> {
    await sql`DELETE FROM rate_limit_counter WHERE key = ${this.prefix + key}`.execute(this.#db);
  }
}
