import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from './database-schema.ts';
import type { NotificationChannel, NotificationHandlers } from './notification-listener.ts';
import { describeDatabaseError, isDatabaseUnavailable } from './postgres-errors.ts';
import { SharedRead } from '@bandoso/tiles';

/**
 * A streaming read replica (DATABASE_REPLICA_URL) for the public reads that dominate at scale: tile
 * misses, OGC API items, public report lists and views, statistics. Writes, staff work, sign-in and
 * everything inside a transaction stay on the primary, since they run on `database.db`.
 *
 * ## When the replica may answer: the WAL-position scheme
 *
 * The replica keeps a *floor*: a WAL position of the primary at or above the commit record of every
 * change the platform has announced. A read goes to the replica only when its
 * `pg_last_wal_replay_lsn()` is at or past the floor (replay moves only forward, so every snapshot
 * the replica takes afterwards shows those commits); otherwise it runs on the primary, and the
 * replica is asked again for the next read.
 *
 * The floor is raised:
 * - when a change notification (`data_changed`, `report_events`) is heard: the primary is asked for
 *   `pg_current_wal_insert_lsn()` (one query per burst of notifications). A notification is
 *   delivered only after its transaction committed, so the position read afterwards is above its
 *   commit record. Reads wait for that answer before they use the floor;
 * - by the tile cache's version check (`tile_source_version`, read with the insert position in the
 *   same query), whenever it finds a change it has not heard of yet: a write that returned to its
 *   client before the notification reached this process. Public reads take that check first (one
 *   small query per burst of reads, shared with the tile cache), so a report that was just sent, or
 *   whose status just changed, is on every map and list at once, from any process;
 * - when notifications (re)start: whatever was committed before is covered by the position then.
 * While notifications cannot be heard (not subscribed yet, connection lost), every read takes a
 * fresh insert position as its floor instead.
 *
 * Why not the position a trigger could put in the notification: `pg_current_wal_lsn()` inside the
 * writing transaction is taken before its commit record, so a replica past it may still not show
 * the write. And why not the primary's current position for every read: it moves with every WAL
 * record (other databases, vacuum, rate-limit counters), so a replica a few milliseconds behind
 * would almost never be used; the floor moves only when data the public sees changes.
 *
 * The insert position may point just past a WAL page header while replay stops at the page
 * boundary: then the replica looks behind until the next WAL record arrives, and reads go to the
 * primary meanwhile (safe, only less offloaded).
 *
 * A replica that is down, refuses or fails a query (stopped, restarting, a recovery conflict) is
 * left alone for a short backoff (0.25 s doubling to 5 s) while the primary answers; the failed
 * read runs again on the primary, so the client sees no error.
 */
/** The replica's own connections: a server database handle (database.ts), seen from here. */
export interface ReplicaConnection {
  readonly db: Kysely<Database>;
  readonly location: string;
  close(): Promise<void>;
  poolStatus?(): { total: number; idle: number; waiting: number; max: number };
}

/** The primary, as the replica uses it: queries, and its notification listener. */
export interface PrimaryConnection {
  readonly db: Kysely<Database>;
  listen(channel: NotificationChannel, handlers: NotificationHandlers): Promise<() => Promise<void>>;
}

export class ReadReplica {
  /** Public reads answered by each server (for /metrics and tests). */
  readonly reads = { replica: 0, primary: 0 };
  /** The replica's own handle (its pool; tests read its `location`). */
  readonly handle: ReplicaConnection;
  readonly #primary: Kysely<Database>;
  readonly #listen: PrimaryConnection['listen'];
  readonly #logger: Logger | undefined;
  readonly #insertPosition: SharedRead<bigint>;
  readonly #replay: SharedRead<{ inRecovery: boolean; replayed: bigint | null }>;
  #state: 'unknown' | 'up' | 'down' | 'not_a_replica' = 'unknown';
  #failures = 0;
  #retryAt = 0;
  /** At or above the commit of every announced change (valid while #listening and the last lookup succeeded). */
  #floor = -1n;
  /** The last lookup of the insert position started for a heard notification. */
  #lookup: Promise<void> | undefined;
  #lookupFailed = false;
  readonly #listeningChannels = new Set<string>();
  #subscription: Promise<Array<() => Promise<void>>> | undefined;
  #changeCheck: (() => Promise<void>) | undefined;
  #closed = false;

  constructor(primary: PrimaryConnection, replica: ReplicaConnection, logger?: Logger) {
    this.#primary = primary.db;
    this.#listen = primary.listen;
    this.handle = replica;
    this.#logger = logger;
    this.#insertPosition = new SharedRead(() => readInsertPosition(primary.db));
    this.#replay = new SharedRead(() => readReplayPosition(replica.db));
  }

  /** `up`: answering (it may still lag); `down`: failing, tried again after a backoff; `not_a_replica`: the URL reaches a server not in recovery. */
  get state(): 'unknown' | 'up' | 'down' | 'not_a_replica' {
    return this.#state;
  }

  /**
   * The tile cache's version check (TilesService): public reads run it first, so that a change
   * committed before them and not heard of yet raises the floor (see the class comment).
   */
  useChangeCheck(check: () => Promise<void>): void {
    this.#changeCheck = check;
  }

  /** Every read from now on needs the replica replayed up to `position` (bytes of WAL). */
  raiseFloor(position: bigint): void {
    if (position > this.#floor) this.#floor = position;
  }

  /** A public read: the change check, then `run`. */
  async read<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    await this.#changeCheck?.();
    return this.run(work);
  }

  /**
   * Runs a read on the replica when it has replayed up to the floor, else on the primary; a read the
   * replica fails for being away runs again on the primary.
   */
  async run<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    if (await this.#caughtUpTo(await this.#requiredPosition())) {
      try {
        const result = await work(this.handle.db);
        this.reads.replica += 1;
        return result;
      } catch (error) {
        if (!isReplicaProblem(error)) throw error;
        this.#fail(error);
      }
    }
    this.reads.primary += 1;
    return work(this.#primary);
  }

  /**
   * Seconds the replica's replay is behind (0 when it has replayed all it received), null when it
   * cannot say (down, or nothing replayed yet). For bandoso_replica_lag_seconds.
   */
  async lagSeconds(): Promise<number | null> {
    const result = await sql<{ lag: number | string | null }>`
      SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                  ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END AS lag`.execute(this.handle.db);
    const lag = result.rows[0]?.lag;
    return lag === null || lag === undefined ? null : Math.max(0, Number(lag));
  }

  /** Bytes of WAL the replica has still to replay (primary's insert position − replica's replay position); null when unknown. */
  async lagBytes(): Promise<number | null> {
    const [inserted, replay] = await Promise.all([this.#insertPosition.read(), readReplayPosition(this.handle.db)]);
    if (!replay.inRecovery || replay.replayed === null) return null;
    return Number(inserted > replay.replayed ? inserted - replay.replayed : 0n);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const unsubscribe = await this.#subscription?.catch(() => []);
    for (const end of unsubscribe ?? []) await end().catch(() => undefined);
    await this.handle.close();
  }

  /** The floor a read needs now (see the class comment); a fresh insert position while notifications are not heard. */
  async #requiredPosition(): Promise<bigint> {
    this.#subscribe();
    if (this.#listeningChannels.size === NOTIFICATION_CHANNELS.length) {
      await this.#lookup;
      if (!this.#lookupFailed && this.#listeningChannels.size === NOTIFICATION_CHANNELS.length) return this.#floor;
    }
    const position = await this.#insertPosition.read();
    this.raiseFloor(position);
    return position;
  }

  /** Subscribes (once, at the first read) to the notifications that announce changes. */
  #subscribe(): void {
    if (this.#subscription || this.#closed) return;
    const subscriptions = NOTIFICATION_CHANNELS.map((channel) =>
      this.#listen(channel, {
        onNotification: () => this.#announce(),
        onListening: () => {
          // Whatever was committed before the LISTEN took effect is below the position read now.
          this.#announce();
          this.#listeningChannels.add(channel);
        },
        onLost: () => this.#listeningChannels.delete(channel),
      }),
    );
    this.#subscription = Promise.all(subscriptions);
    this.#subscription.catch((error: unknown) => this.#logger?.error({ err: error }, 'read replica: could not subscribe to change notifications; every read takes a fresh floor'));
  }

  /** A change was announced: raise the floor to the primary's insert position read after it. */
  #announce(): void {
    this.#lookup = this.#insertPosition.read().then(
      (position) => {
        this.raiseFloor(position);
        this.#lookupFailed = false;
      },
      () => {
        // The primary did not answer: reads take a fresh floor (and fail with it) until a lookup succeeds.
        this.#lookupFailed = true;
      },
    );
  }

  async #caughtUpTo(position: bigint): Promise<boolean> {
    if ((this.#state === 'down' || this.#state === 'not_a_replica') && Date.now() < this.#retryAt) return false;
    let replay: { inRecovery: boolean; replayed: bigint | null };
    try {
      replay = await this.#replay.read();
    } catch (error) {
      this.#fail(error);
      return false;
    }
    if (!replay.inRecovery || replay.replayed === null) {
      // A primary (a promoted replica, or a wrong URL): reading it could miss what the real primary committed.
      if (this.#state !== 'not_a_replica') this.#logger?.error({ replica: this.handle.location }, 'DATABASE_REPLICA_URL reaches a server that is not replaying WAL (not a standby); reading from the primary');
      this.#state = 'not_a_replica';
      this.#retryAt = Date.now() + 30_000;
      return false;
    }
    if (this.#state !== 'up') {
      if (this.#state !== 'unknown') this.#logger?.info({ replica: this.handle.location, failures: this.#failures }, 'read replica: answering again');
      this.#state = 'up';
      this.#failures = 0;
    }
    return replay.replayed >= position;
  }

  #fail(error: unknown): void {
    this.#failures += 1;
    this.#retryAt = Date.now() + Math.min(5_000, 250 * 2 ** Math.min(this.#failures - 1, 5));
    if (this.#state !== 'down') this.#logger?.warn({ replica: this.handle.location, error: describeDatabaseError(error) }, 'read replica: not answering; reading from the primary');
    this.#state = 'down';
  }
}

/** The notifications that announce a change the public sees (map data, reports and their timelines). */
const NOTIFICATION_CHANNELS = ['data_changed', 'report_events'] as const;

/**
 * Errors that say the replica is away or cannot finish the read (not that the read is wrong): the
 * read is run again on the primary. Besides an unavailable server, a hot standby cancels queries
 * that conflict with the WAL it replays (40001, 40P01), and has no relation a migration just added
 * until it replays it (42P01, 42703: a replica that lags behind a deployment).
 */
function isReplicaProblem(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) return true;
  const code = (error as { code?: unknown })?.code;
  return code === '40001' || code === '40P01' || code === '42P01' || code === '42703';
}

/** The WAL position as a number of bytes (pg_lsn − '0/0' is numeric; as text it is exact). */
async function readInsertPosition(db: Kysely<Database>): Promise<bigint> {
  const result = await sql<{ position: string }>`SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::text AS position`.execute(db);
  return BigInt(result.rows[0]!.position);
}

async function readReplayPosition(db: Kysely<Database>): Promise<{ inRecovery: boolean; replayed: bigint | null }> {
  const result = await sql<{ in_recovery: boolean; replayed: string | null }>`
    SELECT pg_is_in_recovery() AS in_recovery, (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::text AS replayed`.execute(db);
  const row = result.rows[0]!;
  return { inRecovery: row.in_recovery, replayed: row.replayed === null ? null : BigInt(row.replayed) };
}

/** The replica of each primary's query builder: lets modules that receive `database.db` route a public read. */
const replicas = new WeakMap<Kysely<Database>, ReadReplica>();

export function registerReplica(primary: Kysely<Database>, replica: ReadReplica): void {
  replicas.set(primary, replica);
}

/**
 * Runs a public read (no personal data, nothing the reader writes in the same request) on the read
 * replica of `db` when there is one and it has replayed every change announced before this call
 * (see `ReadReplica`); otherwise on `db` itself. Without a replica (the embedded database, or none
 * configured) this is `work(db)`. A transaction has no replica: passed one, the read runs in it.
 */
export function readPublic<T>(db: Kysely<Database>, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const replica = replicas.get(db);
  return replica ? replica.read(work) : work(db);
}
