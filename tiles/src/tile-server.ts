import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import { layersFedBy, type LayerDefinition, type LayerParameters } from './layer-registry.ts';
import { TileCache, type CachedTile } from './tile-cache.ts';
import { parseDataChange, TileChangeTracker, type SourceVersions } from './tile-change-tracker.ts';
import { TILE_BUFFER, tileBounds, type LonLatBounds, type TileAddress } from './tile-coordinates.ts';
import { createTileEncoder, type TileEncoder } from './tile-encoder.ts';

const gzip = promisify(zlib.gzip);

/**
 * Level 4, not zlib's default 6: on z14 report tiles of the 1M-report benchmark (48 tiles, 55 KB
 * each) level 6 takes 1.24 ms a tile for 42.5 % of the bytes, level 4 0.79 ms for 43.6 %, level 1
 * 0.62 ms for 44.8 %. Every cold tile pays it once; 2.6 % more bytes is the price of a third less CPU.
 */
const GZIP_LEVEL = 4;

/**
 * Below this size a tile is compressed on the event loop: zlib's asynchronous path costs about
 * 0.35 ms of extra CPU per call (stream set-up, thread-pool hand-offs), about what compressing a
 * 30 KB tile takes (0.31 ms sync vs 0.66 ms CPU async, measured). Larger tiles go to the pool.
 */
const GZIP_SYNC_BELOW_BYTES = 128 * 1024;

export interface TileServerOptions {
  /** Which encoder: ST_AsMVT on a server, vt-pbf on the embedded database. */
  backend: 'server' | 'embedded';
  /** Byte budget of the in-memory tile cache (default 64 MiB). */
  cacheBytes?: number;
  /** How long a read waits for a notification the version counters announce (default 250 ms). */
  waitForNotificationsMs?: number;
  /** Told when notifications went missing and a layer was dropped from the cache as a whole. */
  onMissedNotification?(source: string, expected: number, heard: number): void;
  /** Told of every applied change (e.g. to forget a memoised boundary set). */
  onChange?(source: string): void;
  /**
   * A streaming read replica for cache misses (server only; the API's ReadReplica). With it, the
   * version check also reads the primary's WAL position, and hands it to the replica whenever it
   * finds changes it had not heard of; a miss runs on the replica only when the replica has
   * replayed every change announced so far (else, and when it fails, on the primary).
   */
  replica?: TileReplica;
}

/** What the tile server needs of a read replica. */
export interface TileReplica {
  /** Runs `work` on the replica when it has replayed up to every announced change, else on the primary. */
  run<T>(work: (db: Executor) => Promise<T>): Promise<T>;
  /** Every read from now on needs the replica replayed up to `position` (a WAL position in bytes). */
  raiseFloor(position: bigint): void;
}

export interface TileRequest {
  layer: LayerDefinition;
  tile: TileAddress;
  parameters: LayerParameters;
  /** The parameters in a canonical text form (part of the cache key). */
  variant: string;
}

export interface TileResponse {
  /** MVT bytes; empty when no feature falls in the tile. */
  body: Uint8Array;
  /** Strong ETag of `body` (quoted). The gzip representation's is `gzipEtag`. */
  etag: string;
  gzipEtag: string;
  /** The gzip-encoded body (made once per cached tile). */
  gzipped(): Promise<Uint8Array>;
  cached: boolean;
}

type Executor = Kysely<any>;

/** What `TileServer.listen` subscribes with (the database handle's notification handlers). */
export interface TileNotificationHandlers {
  onNotification(payload: string): void;
  onListening(): void;
  onLost(): void;
}

/**
 * Serves tiles from the cache or the database, and keeps the cache exact: the database's
 * `data_changed` notifications drop the tiles a write touched, and every read first makes sure all
 * committed writes were heard (`TileChangeTracker`). Identical concurrent misses share one query.
 */
export class TileServer {
  readonly cache: TileCache;
  readonly tracker: TileChangeTracker;
  readonly encoder: TileEncoder;
  readonly #db: Executor;
  readonly #replica: TileReplica | undefined;
  readonly #inFlight = new Map<string, { generation: number; bounds: LonLatBounds; promise: Promise<CachedTile> }>();
  #unlisten: (() => Promise<void>) | undefined;

  constructor(db: Executor, options: TileServerOptions) {
    this.#db = db;
    this.#replica = options.replica;
    this.encoder = createTileEncoder(options.backend);
    this.cache = new TileCache(options.cacheBytes ?? 64 * 1024 * 1024);
    this.tracker = new TileChangeTracker({
      readVersions: () => (options.replica ? readSourceVersionsAndPosition(db) : readSourceVersions(db)),
      invalidate: (source, bbox) => {
        options.onChange?.(source);
        for (const layer of layersFedBy(source)) this.cache.invalidate(layer.id, bbox);
      },
      waitForNotificationsMs: options.waitForNotificationsMs ?? 250,
      ...(options.onMissedNotification ? { onMissedNotification: options.onMissedNotification } : {}),
      ...(options.replica ? { onUnheardChanges: (position: bigint) => options.replica!.raiseFloor(position) } : {}),
    });
  }

  /**
   * Subscribes to `data_changed` (through the database handle's `listen`). While the subscription is
   * lost, reads invalidate whole layers when the counters moved (no stale tile, only a coarser
   * cache); when it is back, everything cached is dropped, since changes may have gone unheard.
   */
  async listen(subscribe: (handlers: TileNotificationHandlers) => Promise<() => Promise<void>>): Promise<void> {
    this.#unlisten = await subscribe({
      onNotification: (payload) => this.notify(payload),
      onListening: () => this.tracker.resynchronise(),
      onLost: () => this.tracker.setListening(false),
    });
  }

  /** Applies one `data_changed` payload. */
  notify(payload: string): void {
    const change = parseDataChange(payload);
    if (change) this.tracker.apply(change);
  }

  async close(): Promise<void> {
    await this.#unlisten?.();
    this.#unlisten = undefined;
    this.cache.clear();
  }

  /**
   * One tile. `prepare` builds the request; when it reads state that notifications refresh (the
   * memoised boundary set in force: `preparedFromCache`), it runs once every committed change has
   * been applied.
   *
   * A cache hit must first make sure every committed write was heard (`ensureCurrent`, one round
   * trip shared by a burst of requests). A miss needs no such check: its query reads a snapshot
   * taken after the request arrived, which holds every write that returned before. So a tile that
   * is neither cached nor being computed goes straight to the database (one round trip, not two);
   * one that is being computed is joined only after the check proved nothing changed since.
   */
  async getTile(prepare: () => TileRequest | Promise<TileRequest>, preparedFromCache = true): Promise<TileResponse> {
    if (this.#replica) return this.#getTileWithReplica(prepare);
    if (!preparedFromCache) {
      const request = await prepare();
      const key = tileKey(request);
      if (!this.cache.has(key) && !this.#inFlight.has(key)) return this.#miss(request, key);
      const served = await this.#ensureCurrentOrServeCached(() => key);
      return served ?? this.#cachedOrComputed(request, key);
    }
    const served = await this.#ensureCurrentOrServeCached(async () => tileKey(await prepare()));
    if (served) return served;
    const request = await prepare();
    return this.#cachedOrComputed(request, tileKey(request));
  }

  /**
   * With a read replica, a miss may be answered by a server that replays the primary's WAL late, so
   * every tile, hit or miss, first takes the version check: it proves every change committed before
   * the request was heard (by notification, or by the check itself, which then raises the replica's
   * floor to its WAL position). A miss runs on the replica only when the replica has replayed up to
   * the floor, which is above every change heard so far (else it runs on the primary).
   *
   * Caching stays exact: the generation is taken before the check, so every change applied by then
   * is below the floor and in the replica's snapshot; a change applied later to the tile's area
   * (the check itself may apply some) keeps the tile out of the cache (`changedSince`).
   */
  async #getTileWithReplica(prepare: () => TileRequest | Promise<TileRequest>): Promise<TileResponse> {
    const generation = this.tracker.generation;
    try {
      await this.tracker.ensureCurrent();
    } catch (error) {
      // As without a replica: while the primary cannot be reached, the last tile it gave beats an error.
      let cached: CachedTile | undefined;
      try {
        cached = this.cache.get(tileKey(await prepare()));
      } catch {
        cached = undefined;
      }
      if (cached) return this.#respond(cached, true);
      throw error;
    }
    const request = await prepare();
    const key = tileKey(request);
    const cached = this.cache.get(key);
    if (cached) return this.#respond(cached, true);
    const running = this.#inFlight.get(key);
    if (running && !this.tracker.changedSince(request.layer.sources, running.bounds, running.generation)) {
      return this.#respond(await running.promise, false);
    }
    return this.#miss(request, key, generation);
  }

  /**
   * The version check; when it cannot reach the database, the cached tile is served as it is: while
   * the database cannot be reached, the last tile it gave beats an error (and every cached tile is
   * dropped when notifications resume). With nothing cached the error goes on (503 upstream).
   */
  async #ensureCurrentOrServeCached(key: () => string | Promise<string>): Promise<TileResponse | undefined> {
    try {
      await this.tracker.ensureCurrent();
      return undefined;
    } catch (error) {
      let cached: CachedTile | undefined;
      try {
        cached = this.cache.get(await key());
      } catch {
        cached = undefined;
      }
      if (cached) return this.#respond(cached, true);
      throw error;
    }
  }

  /** After `ensureCurrent`: the cached tile, a running identical query, or a new one. */
  async #cachedOrComputed(request: TileRequest, key: string): Promise<TileResponse> {
    const cached = this.cache.get(key);
    if (cached) return this.#respond(cached, true);
    const running = this.#inFlight.get(key);
    if (running && !this.tracker.changedSince(request.layer.sources, running.bounds, running.generation)) {
      return this.#respond(await running.promise, false);
    }
    return this.#miss(request, key);
  }

  /** `checkedAt`: with a replica, the generation taken before the version check (see `#getTileWithReplica`). */
  async #miss(request: TileRequest, key: string, checkedAt?: number): Promise<TileResponse> {
    const bounds = tileBounds(request.tile, TILE_BUFFER);
    const generation = checkedAt ?? this.tracker.generation;
    const promise = this.#compute(request, key, bounds);
    this.#inFlight.set(key, { generation, bounds, promise });
    try {
      const entry = await promise;
      // Not cached when a change to this area was applied while the query ran: it may predate it.
      if (!this.tracker.changedSince(request.layer.sources, bounds, generation)) this.cache.set(entry);
      return this.#respond(entry, false);
    } finally {
      if (this.#inFlight.get(key)?.promise === promise) this.#inFlight.delete(key);
    }
  }

  async #compute(request: TileRequest, key: string, bounds: LonLatBounds): Promise<CachedTile> {
    const encode = (db: Executor) => this.encoder.encode(db, request.layer, request.tile, request.parameters);
    const body = this.#replica ? await this.#replica.run(encode) : await encode(this.#db);
    return { key, layer: request.layer.id, bounds, body, etag: strongEtag(body) };
  }

  #respond(entry: CachedTile, cached: boolean): TileResponse {
    return {
      body: entry.body,
      etag: entry.etag,
      gzipEtag: `${entry.etag.slice(0, -1)}.gz"`,
      cached,
      gzipped: () => {
        if (!entry.gzipped) {
          const compressed =
            entry.body.byteLength < GZIP_SYNC_BELOW_BYTES ? Promise.resolve(zlib.gzipSync(entry.body, { level: GZIP_LEVEL })) : gzip(entry.body, { level: GZIP_LEVEL });
          entry.gzipped = compressed.then((bytes) => {
            this.cache.recordGzip(entry, bytes.byteLength);
            return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          });
        }
        return entry.gzipped;
      },
    };
  }
}

function tileKey({ layer, tile, variant }: TileRequest): string {
  return `${layer.id}/${tile.z}/${tile.x}/${tile.y}?${variant}`;
}

export function strongEtag(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * The version counters and, in the same query, the primary's WAL insert position (in bytes): a
 * floor above the commit of every change the counters show (see `TileServerOptions.replica`).
 */
export async function readSourceVersionsAndPosition(db: Executor): Promise<SourceVersions> {
  const result = await sql<{ source: string; version: number | string; position: string }>`
    SELECT source, version, (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::text AS position FROM tile_source_version`.execute(db);
  const position = result.rows[0]?.position;
  return { versions: new Map(result.rows.map((row) => [row.source, Number(row.version)])), ...(position === undefined ? {} : { position: BigInt(position) }) };
}

/** Every tile source's version counter (migration 0005). */
export async function readSourceVersions(db: Executor): Promise<Map<string, number>> {
  const result = await sql<{ source: string; version: number | string }>`SELECT source, version FROM tile_source_version`.execute(db);
  return new Map(result.rows.map((row) => [row.source, Number(row.version)]));
}
