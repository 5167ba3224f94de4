import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { parseDataChange, SharedRead } from '@bandoso/tiles';
import type { Database } from '../../db/database-schema.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { readChangeCounters } from './boundaries.repository.ts';

/**
 * Reference data held in memory and used only while it is known current (the locate index, the
 * offices' areas for routing).
 *
 * Freshness rests on the change counters in tile_source_version, which the writers bump inside
 * their own transaction (triggers of migration 0005 for the boundaries; the offices' service for
 * offices) and announce on `data_changed`. The snapshot is loaded with the counters of the same
 * database snapshot. A lookup (`current()`) gets it only when
 * - the notification connection is listening, and no build is running;
 * - the counters read after the lookup arrived are not ahead of the snapshot's: one read shared by
 *   every lookup that arrived before it started (as the tile cache checks its tiles), so a lookup
 *   made after a write committed — in this process or another — never sees the data from before.
 * Otherwise it gets `undefined`, and the caller asks the database. A change heard on `data_changed`,
 * or a reconnect of the listener (changes may have gone unheard), starts a rebuild at once.
 */

export type SnapshotState = 'idle' | 'building' | 'ready' | 'stale' | 'failed' | 'closed';

export interface Versioned<T> {
  versions: ReadonlyMap<string, number>;
  value: T;
}

export interface FreshSnapshotOptions<T> {
  /** What it is, for logs. */
  name: string;
  /** The tile_source_version sources its data depends on. */
  sources: readonly string[];
  /** Reads the data and the counters of `sources` from one database snapshot. */
  load(db: Kysely<Database>): Promise<Versioned<T>>;
  /** Log fields after a build (sizes). */
  describe?(value: T): Record<string, unknown>;
  logger?: Logger | undefined;
}

export class FreshSnapshot<T> {
  readonly #handle: DatabaseHandle;
  readonly #options: FreshSnapshotOptions<T>;
  #loaded: Versioned<T> | undefined;
  #state: SnapshotState = 'idle';
  #listening = false;
  #unsubscribe: Promise<() => Promise<void>> | undefined;
  #building: Promise<void> | undefined;
  #buildAgain = false;
  readonly #heard = new Map<string, number>();
  builds = 0;

  constructor(handle: DatabaseHandle, options: FreshSnapshotOptions<T>) {
    this.#handle = handle;
    this.#options = options;
  }

  get state(): SnapshotState {
    return this.#state;
  }

  /** Subscribes to data_changed; the first build starts once it listens. Never waits for a build. */
  start(): void {
    this.#unsubscribe ??= this.#handle
      .listen('data_changed', {
        onNotification: (payload) => {
          const change = parseDataChange(payload);
          if (!change || !this.#options.sources.includes(change.source)) return;
          if (change.version > (this.#heard.get(change.source) ?? -1)) this.#heard.set(change.source, change.version);
          if (change.version > (this.#loaded?.versions.get(change.source) ?? -1)) this.#rebuild();
        },
        onListening: () => {
          this.#listening = true;
          this.#rebuild();
        },
        onLost: () => {
          this.#listening = false;
        },
      })
      .catch((error: unknown) => {
        this.#options.logger?.error({ err: error }, `${this.#options.name}: could not subscribe to data_changed; staying on SQL`);
        this.#state = 'failed';
        return async () => undefined;
      });
  }

  async close(): Promise<void> {
    this.#state = 'closed';
    this.#loaded = undefined;
    const unsubscribe = await this.#unsubscribe;
    await this.#building?.catch(() => undefined);
    await unsubscribe?.();
  }

  /** The data, if it is current (see above); `undefined`: ask the database. */
  async current(): Promise<T | undefined> {
    if (!this.#listening || !this.#loaded || this.#state !== 'ready' || this.#handle.notificationState() !== 'listening') return undefined;
    const versions = await readVersionsShared(this.#handle.db);
    const loaded = this.#loaded;
    if (!loaded || this.#state !== 'ready') return undefined;
    for (const source of this.#options.sources) {
      if ((versions.get(source) ?? 0) > (loaded.versions.get(source) ?? 0)) {
        // Written and committed, not heard yet: not usable until rebuilt.
        this.#state = 'stale';
        this.#rebuild();
        return undefined;
      }
    }
    return loaded.value;
  }

  #rebuild(): void {
    if (this.#state === 'closed' || this.#state === 'failed') return;
    if (this.#building) {
      this.#buildAgain = true;
      return;
    }
    this.#state = 'building';
    this.#building = (async () => {
      do {
        this.#buildAgain = false;
        this.#state = 'building';
        try {
          const started = Date.now();
          const loaded = await this.#options.load(this.#handle.db);
          this.builds += 1;
          if ((this.#state as SnapshotState) === 'closed') return;
          this.#loaded = loaded;
          // A change heard during the build that the snapshot does not include: build again.
          if (this.#options.sources.some((source) => (this.#heard.get(source) ?? -1) > (loaded.versions.get(source) ?? -1))) this.#buildAgain = true;
          else this.#state = 'ready';
          this.#options.logger?.info({ ...this.#options.describe?.(loaded.value), ms: Date.now() - started }, `${this.#options.name} built`);
        } catch (error) {
          if ((this.#state as SnapshotState) === 'closed') return;
          this.#loaded = undefined;
          this.#state = 'stale';
          this.#options.logger?.warn({ err: error }, `${this.#options.name}: build failed, staying on SQL until the next change or reconnect`);
          return;
        }
      } while (this.#buildAgain);
    })().finally(() => {
      this.#building = undefined;
    });
  }
}

const reads = new WeakMap<Kysely<Database>, SharedRead<ReadonlyMap<string, number>>>();

/**
 * The change counters (every source), read after this call: one read shared by every caller on
 * the same database that arrived before it started, whichever snapshot asks. Rejects when the
 * database does not answer: every lookup waiting on it fails with that error (503 at once), rather
 * than falling back to SQL and waiting on the same failing server a second time.
 */
function readVersionsShared(db: Kysely<Database>): Promise<ReadonlyMap<string, number>> {
  let read = reads.get(db);
  if (!read) {
    read = new SharedRead(() => readChangeCounters(db));
    reads.set(db, read);
  }
  return read.read();
}

/**
 * One running instance per database handle, shared by every app on it (tests run many apps on one
 * handle): `attach` starts or joins it, and the last to detach closes it; `for` finds the instance of
 * the handle a query is made through (not of a transaction, which sees its own snapshot).
 */
export function perHandle<T extends { start(): void; close(): Promise<void> }>(create: (handle: DatabaseHandle, logger?: Logger) => T) {
  const registry = new WeakMap<Kysely<Database>, { instance: T; users: number }>();
  return {
    for(db: unknown): T | undefined {
      return registry.get(db as Kysely<Database>)?.instance;
    },
    attach(handle: DatabaseHandle, logger?: Logger): { index: T; detach(): Promise<void> } {
      let entry = registry.get(handle.db);
      if (!entry) {
        entry = { instance: create(handle, logger), users: 0 };
        registry.set(handle.db, entry);
        entry.instance.start();
      }
      entry.users += 1;
      const attached = entry;
      let detached = false;
      return {
        index: attached.instance,
        async detach() {
          if (detached) return;
          detached = true;
          attached.users -= 1;
          if (attached.users > 0) return;
          if (registry.get(handle.db) === attached) registry.delete(handle.db);
          await attached.instance.close();
        },
      };
    },
  };
}
