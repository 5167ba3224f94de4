import { boundsIntersect, type LonLatBounds } from './tile-coordinates.ts';
import { SharedRead } from './shared-read.ts';

/** A `data_changed` notification, as sent by the triggers of migration 0005. */
export interface DataChange {
  /** The table that changed. */
  source: string;
  /** Its new version (tile_source_version). */
  version: number;
  /** WGS84 extent of the changed rows, before and after; null: anywhere. */
  bbox: LonLatBounds | null;
}

export function parseDataChange(payload: string): DataChange | undefined {
  try {
    const value = JSON.parse(payload) as { source?: unknown; version?: unknown; bbox?: unknown };
    if (typeof value.source !== 'string' || typeof value.version !== 'number') return undefined;
    const bbox =
      Array.isArray(value.bbox) && value.bbox.length === 4 && value.bbox.every((item) => typeof item === 'number' && Number.isFinite(item))
        ? (value.bbox as LonLatBounds)
        : null;
    return { source: value.source, version: value.version, bbox };
  } catch {
    return undefined;
  }
}

interface LoggedChange {
  generation: number;
  source: string;
  bbox: LonLatBounds | null;
}

/** The version counters, and optionally the primary's WAL position read by the same query. */
export interface SourceVersions {
  versions: Map<string, number>;
  /** `pg_current_wal_insert_lsn()` in bytes, read with the versions: above every commit they show. */
  position?: bigint;
}

export interface ChangeTrackerOptions {
  /** Reads every source's version from the database (one cheap query). */
  readVersions(): Promise<Map<string, number> | SourceVersions>;
  /** Drops cached tiles of the layers fed by `source` that touch `bbox` (all of them when null). */
  invalidate(source: string, bbox: LonLatBounds | null): void;
  /** How long to wait for a notification the database says was sent before invalidating coarsely. */
  waitForNotificationsMs: number;
  /** Called when notifications were missing (listener down or late): the cache fell back to coarse invalidation. */
  onMissedNotification?(source: string, expected: number, heard: number): void;
  /**
   * Called with the check's WAL position (when `readVersions` gives one) whenever the check found
   * versions it had not heard of (first sight, or notifications not heard yet), before it applies
   * them: a read replica must then replay up to there (see TileServerOptions.replica).
   */
  onUnheardChanges?(position: bigint): void;
}

/**
 * Knows which changes the tile cache has already applied, so that a tile is never served stale
 * after a write returned.
 *
 * Notifications (LISTEN data_changed) arrive a moment after the writer's commit; on a server they
 * travel on another connection and may come after the writer's HTTP response. So before a tile is
 * served, `ensureCurrent()` reads the version counters the triggers bump inside the writer's
 * transaction: a write that returned is visible there. If the counters are ahead of what was heard,
 * it waits briefly for the notifications, then drops the whole layer rather than risk a stale tile.
 * Concurrent requests share one read (started after each of them arrived), so the check costs one
 * round trip per burst, not per tile.
 *
 * Every applied change gets a generation number; a tile computed while a change to its area was
 * applied is not cached (`changedSince`), which closes the race between a slow tile query and a write.
 */
export class TileChangeTracker {
  readonly #options: ChangeTrackerOptions;
  readonly #heard = new Map<string, number>();
  readonly #log: LoggedChange[] = [];
  readonly #waiters = new Set<() => void>();
  #generation = 0;
  #oldestLogged = 1;
  readonly #checks = new SharedRead(() => this.#check());
  #listening = true;

  static readonly LOG_LIMIT = 2000;

  constructor(options: ChangeTrackerOptions) {
    this.#options = options;
  }

  /** Increases with every applied change. */
  get generation(): number {
    return this.#generation;
  }

  /** Applies a notification: invalidates the cache and remembers the change. */
  apply(change: DataChange): void {
    const heard = this.#heard.get(change.source);
    // A gap in the versions means notifications were lost (a reconnecting listener): be coarse.
    const bbox = heard !== undefined && change.version > heard + 1 ? null : change.bbox;
    this.#record(change.source, bbox);
    if (heard === undefined || change.version > heard) this.#heard.set(change.source, change.version);
    for (const wake of this.#waiters) wake();
  }

  #record(source: string, bbox: LonLatBounds | null): void {
    this.#generation += 1;
    this.#log.push({ generation: this.#generation, source, bbox });
    if (this.#log.length > TileChangeTracker.LOG_LIMIT) {
      this.#log.splice(0, this.#log.length - TileChangeTracker.LOG_LIMIT);
      this.#oldestLogged = this.#log[0]!.generation;
    }
    this.#options.invalidate(source, bbox);
  }

  /**
   * Whether notifications can arrive. While they cannot (the listening connection is down), a read
   * that finds the counters ahead invalidates at once instead of waiting for notifications that
   * will never come.
   */
  setListening(listening: boolean): void {
    this.#listening = listening;
    if (!listening) for (const wake of this.#waiters) wake();
  }

  /**
   * After notifications were not heard for a while (a reconnect): every source may have changed
   * unseen, so every layer is dropped as a whole, and the next read takes the counters as they are.
   * Call it once the subscription is back, so that every later change is heard.
   */
  resynchronise(): void {
    const sources = [...this.#heard.keys()];
    this.#heard.clear();
    for (const source of sources) this.#record(source, null);
    this.#listening = true;
  }

  /** True when a change to one of `sources` touching `bounds` was applied after `generation`. */
  changedSince(sources: readonly string[], bounds: LonLatBounds, generation: number): boolean {
    if (generation === this.#generation) return false;
    if (generation + 1 < this.#oldestLogged) return true;
    for (let index = this.#log.length - 1; index >= 0; index -= 1) {
      const change = this.#log[index]!;
      if (change.generation <= generation) break;
      if (sources.includes(change.source) && (change.bbox === null || boundsIntersect(change.bbox, bounds))) return true;
    }
    return false;
  }

  /** Resolves once every change committed before this call has been applied. */
  ensureCurrent(): Promise<void> {
    return this.#checks.read();
  }

  async #check(): Promise<void> {
    const read = await this.#options.readVersions();
    const { versions, position } = read instanceof Map ? { versions: read, position: undefined } : read;
    const behind = (): Array<[string, number]> => [...versions].filter(([source, version]) => (this.#heard.get(source) ?? -1) < version);
    let lagging = behind();
    if (lagging.length > 0 && position !== undefined) this.#options.onUnheardChanges?.(position);
    for (const [source, version] of lagging) {
      // Never heard of (first check): nothing can be cached from before, just start from here.
      if (!this.#heard.has(source)) this.#heard.set(source, version);
    }
    lagging = behind();
    if (lagging.length === 0) return;
    const deadline = Date.now() + this.#options.waitForNotificationsMs;
    while (lagging.length > 0 && this.#listening && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, Math.max(1, deadline - Date.now()));
        this.#waiters.add(wake);
      });
      lagging = behind();
    }
    for (const [source, version] of lagging) {
      this.#options.onMissedNotification?.(source, version, this.#heard.get(source) ?? -1);
      this.#heard.set(source, version);
      this.#record(source, null);
    }
  }
}
