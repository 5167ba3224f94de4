import type { Logger } from 'pino';
import { describeDatabaseError, isDatabaseUnavailable } from '../db/postgres-errors.ts';

interface Entry {
  loggedAt: number;
  /** Occurrences since the last line. */
  repeated: number;
  fields: Record<string, unknown>;
  message: string;
  level: 'warn' | 'error';
  timer: NodeJS.Timeout | undefined;
}

/**
 * Logs a repeated event once per interval with a count, instead of once per occurrence: during a
 * database outage every request fails the same way, and a line (let alone a stack) for each would
 * bury everything else. The first occurrence of a key is logged at once; later ones within the
 * interval are counted and reported in one line when the interval ends.
 */
export class ThrottledLog {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 10_000,
  ) {}

  warn(key: string, fields: Record<string, unknown>, message: string): void {
    this.#record('warn', key, fields, message);
  }

  error(key: string, fields: Record<string, unknown>, message: string): void {
    this.#record('error', key, fields, message);
  }

  /**
   * A failed step of background work (a pass of a timer, a delivery): while the database is
   * unavailable, one counted line per interval without a stack; anything else is an error with its
   * stack, every time.
   */
  failure(error: unknown, message: string): void {
    if (isDatabaseUnavailable(error)) this.warn(`failure:${message}`, { error: describeDatabaseError(error) }, `${message}: the database is unavailable`);
    else this.logger.error({ err: error }, message);
  }

  #record(level: Entry['level'], key: string, fields: Record<string, unknown>, message: string): void {
    const now = Date.now();
    const entry = this.#entries.get(key);
    if (!entry || now - entry.loggedAt >= this.intervalMs) {
      if (entry?.timer) clearTimeout(entry.timer);
      const repeated = entry?.repeated ?? 0;
      this.logger[level](repeated > 0 ? { ...fields, repeated } : fields, message);
      this.#entries.set(key, { loggedAt: now, repeated: 0, fields, message, level, timer: undefined });
      return;
    }
    entry.repeated += 1;
    entry.fields = fields;
    entry.message = message;
    // Report the count when the interval ends even if nothing else happens by then.
    entry.timer ??= setTimeout(() => this.#flush(key), Math.max(1, entry.loggedAt + this.intervalMs - now)).unref();
  }

  #flush(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    entry.timer = undefined;
    if (entry.repeated === 0) return;
    this.logger[entry.level]({ ...entry.fields, repeated: entry.repeated, intervalS: this.intervalMs / 1000 }, `${entry.message} (repeated)`);
    entry.repeated = 0;
    entry.loggedAt = Date.now();
  }

  /** Writes the pending counts now (at shutdown). */
  flush(): void {
    for (const [key, entry] of this.#entries) {
      if (entry.timer) clearTimeout(entry.timer);
      this.#flush(key);
    }
  }
}
