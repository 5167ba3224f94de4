import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import * as repository from './rate-limits.repository.ts';

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
  readonly #db: Kysely<Database>;
  #windowMs = 60_000;

  constructor(db: Kysely<Database>, prefix: string) {
    this.#db = db;
    this.prefix = prefix;
  }

  init(options: Options): void {
    this.#windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const row = await repository.findCurrentHits(this.#db, this.prefix + key);
    return row ? { totalHits: row.hits, resetTime: row.window_end } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const row = await repository.countHit(this.#db, this.prefix + key, this.#windowMs);
    return { totalHits: row.hits, resetTime: row.window_end };
  }

  async decrement(key: string): Promise<void> {
    await repository.uncountHit(this.#db, this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    await repository.deleteCounter(this.#db, this.prefix + key);
  }
}
