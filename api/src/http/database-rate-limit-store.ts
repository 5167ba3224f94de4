import { sql, type Kysely } from 'kysely';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';

/**
 * An express-rate-limit store whose counters live in the database (migration 0007), so that every
 * API process in front of the same database enforces one shared limit; the library's memory store
 * would let each of N processes admit the full limit. Fixed windows of `windowMs`, aligned on
 * multiples of it since the epoch; a counter is one upsert per request. Expired windows are purged
 * by the retention pass.
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

  #window(now = Date.now()): { start: Date; end: Date } {
    const start = Math.floor(now / this.#windowMs) * this.#windowMs;
    return { start: new Date(start), end: new Date(start + this.#windowMs) };
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const { start, end } = this.#window();
    const result = await sql<{ hits: number }>`
      SELECT hits FROM rate_limit_counter WHERE key = ${this.prefix + key} AND window_start = ${start}`.execute(this.#db);
    const row = result.rows[0];
    return row ? { totalHits: row.hits, resetTime: end } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const { start, end } = this.#window();
    const result = await sql<{ hits: number }>`
      INSERT INTO rate_limit_counter (key, window_start, window_end, hits) VALUES (${this.prefix + key}, ${start}, ${end}, 1)
      ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_counter.hits + 1
      RETURNING hits`.execute(this.#db);
    return { totalHits: result.rows[0]!.hits, resetTime: end };
  }

  async decrement(key: string): Promise<void> {
    const { start } = this.#window();
    await sql`UPDATE rate_limit_counter SET hits = greatest(hits - 1, 0) WHERE key = ${this.prefix + key} AND window_start = ${start}`.execute(this.#db);
  }

  async resetKey(key: string): Promise<void> {
    await sql`DELETE FROM rate_limit_counter WHERE key = ${this.prefix + key}`.execute(this.#db);
  }
}
