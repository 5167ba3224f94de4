import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DatabaseHandle } from '../../db/database.ts';
import { readOperationalFigures, type OperationalFigures } from './metrics.repository.ts';

/** What the metrics read, each where it already lives: nothing here keeps a second count of its own. */
export interface MetricsSources {
  database: DatabaseHandle;
  /** The tile service: tiles served from its cache and built (`served`), and the cache's size. */
  tiles: { served: { hits: number; misses: number }; server: { cache: { bytes: number; size: number; maxBytes: number } } };
  /** The live feed: streams connected now. */
  feed: { subscriberCount: number };
  /**
   * Seconds the read replica's replay is behind the primary (null: not known right now). Given only
   * when a replica is configured: without one, `bandoso_replica_lag_seconds` is not exported at all.
   */
  replicaLagSeconds?: () => number | null | Promise<number | null>;
}

export interface MetricsOptions {
  /** How long a scrape waits for the database's figures before it reports them as unknown (NaN). */
  databaseTimeoutMs: number;
  /** How long the database's figures are reused: scrapers in a pair, or a person reloading, cost one query. */
  figuresMaxAgeMs?: number;
}

/** Request durations: from a map tile's tens of microseconds to a slow export's seconds. */
const DURATION_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const DEFAULT_FIGURES_MAX_AGE_MS = 5_000;

let processRegistry: Registry | undefined;

/**
 * Node's own metrics (CPU, memory, event loop lag, GC, handles): one collector per process, however
 * many apps it runs (tests run dozens), since they describe the process.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The platform's Prometheus metrics, for one app instance. Each process has its own registry: under
 * several processes (node:cluster) a scrape through the shared port reaches one of them, so scrape
 * each process, or aggregate them in the primary (prom-client's AggregatorRegistry).
 *
 * Counts kept elsewhere (tile cache, pool, live feed) are read when scraped; the database's figures
 * (overdue reports, webhook backlog) are one cheap query per scrape, reused for a few seconds.
 */
export class PlatformMetrics {
  readonly registry = new Registry();
  readonly #sources: MetricsSources;
  readonly #options: Required<MetricsOptions>;
  readonly #duration: Histogram<'method' | 'route' | 'status'>;
  #figures: { at: number; read: Promise<OperationalFigures | undefined> } | undefined;
  /** What the current scrape read from the database (undefined: it did not answer). */
  #lastFigures: OperationalFigures | undefined;

  constructor(sources: MetricsSources, options: MetricsOptions) {
    this.#sources = sources;
    this.#options = { figuresMaxAgeMs: DEFAULT_FIGURES_MAX_AGE_MS, ...options };
    processMetrics();
    const registers = [this.registry];
    const backend = sources.database.backend;

    this.#duration = new Histogram({
      name: 'bandoso_http_request_duration_seconds',
      help: 'Time to answer an HTTP request (to its last byte), by method, route template and status. Live-feed streams are not counted (see bandoso_sse_clients).',
      labelNames: ['method', 'route', 'status'],
      buckets: DURATION_BUCKETS_S,
      registers,
    });

    const { tiles } = sources;
    let countedHits = 0;
    let countedMisses = 0;
    new Counter({
      name: 'bandoso_tile_cache_hits_total',
      help: 'Vector tiles answered from the in-process tile cache.',
      registers,
      collect() {
        this.inc(tiles.served.hits - countedHits);
        countedHits = tiles.served.hits;
      },
    });
    new Counter({
      name: 'bandoso_tile_cache_misses_total',
      help: 'Vector tiles built by the database (not in the cache, or joined while being built).',
      registers,
      collect() {
        this.inc(tiles.served.misses - countedMisses);
        countedMisses = tiles.served.misses;
      },
    });
    new Gauge({
      name: 'bandoso_tile_cache_bytes',
      help: 'Bytes held by the tile cache (tiles and their gzip copies).',
      registers,
      collect() {
        this.set(tiles.server.cache.bytes);
      },
    });
    new Gauge({
      name: 'bandoso_tile_cache_max_bytes',
      help: 'Byte budget of the tile cache (TILE_CACHE_MB).',
      registers,
      collect() {
        this.set(tiles.server.cache.maxBytes);
      },
    });
    new Gauge({
      name: 'bandoso_tile_cache_entries',
      help: 'Tiles held by the tile cache.',
      registers,
      collect() {
        this.set(tiles.server.cache.size);
      },
    });

    // The pool: on the server backend pg's pool; embedded, PGlite's one connection that queries queue for.
    const pool = () => sources.database.poolStatus?.() ?? { total: 0, idle: 0, waiting: 0, max: 0 };
    const poolGauge = (name: string, help: string, read: (status: ReturnType<typeof pool>) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['backend'],
        registers,
        collect() {
          this.set({ backend }, read(pool()));
          // The read replica's own pool (DATABASE_REPLICA_URL), beside the primary's.
          const replicaPool = sources.database.replica?.handle.poolStatus?.();
          if (replicaPool) this.set({ backend: 'replica' }, read(replicaPool));
        },
      });
    poolGauge('bandoso_database_pool_in_use', 'Connections lent to a query or transaction now (embedded: PGlite’s one connection, 0 or 1).', (status) => status.total - status.idle);
    poolGauge('bandoso_database_pool_idle', 'Connections open and free.', (status) => status.idle);
    poolGauge('bandoso_database_pool_waiting', 'Queries waiting for a free connection.', (status) => status.waiting);
    poolGauge('bandoso_database_pool_max', 'Most connections the pool opens (DATABASE_POOL_SIZE; embedded: 1).', (status) => status.max);

    new Gauge({
      name: 'bandoso_notification_listener_up',
      help: 'Whether the connection that hears the database’s change notifications (live feed, tile cache) is listening (1) or reconnecting (0).',
      labelNames: ['backend'],
      registers,
      aggregator: 'min',
      collect() {
        this.set({ backend }, sources.database.notificationState() === 'listening' ? 1 : 0);
      },
    });

    new Gauge({
      name: 'bandoso_sse_clients',
      help: 'Live-feed (Server-Sent Events) streams open on this process.',
      registers,
      collect() {
        this.set(sources.feed.subscriberCount);
      },
    });

    // With DATABASE_REPLICA_URL the database handle has the replica: its lag, and where public reads went.
    const replica = sources.database.replica;
    const replicaLag = sources.replicaLagSeconds ?? (replica ? () => replica.lagSeconds() : undefined);
    if (replica) {
      let counted = { replica: 0, primary: 0 };
      new Counter({
        name: 'bandoso_public_reads_total',
        help: 'Public reads (tile misses, OGC API items, public report lists and views, statistics) by the server that answered: the read replica, or the primary (replica behind, or down).',
        labelNames: ['server'],
        registers,
        collect() {
          const now = { ...replica.reads };
          this.inc({ server: 'replica' }, now.replica - counted.replica);
          this.inc({ server: 'primary' }, now.primary - counted.primary);
          counted = now;
        },
      });
      new Gauge({
        name: 'bandoso_replica_lag_bytes',
        help: 'Bytes of WAL the read replica has still to replay (primary’s insert position − replica’s replay position; NaN: unknown).',
        registers,
        aggregator: 'max',
        async collect() {
          this.set((await replica.lagBytes().catch(() => null)) ?? Number.NaN);
        },
      });
      new Gauge({
        name: 'bandoso_replica_up',
        help: 'Whether the read replica answered its last check as a standby (1), or public reads go to the primary for now (0).',
        registers,
        aggregator: 'min',
        collect() {
          this.set(replica.state === 'up' ? 1 : 0);
        },
      });
    }
    if (replicaLag) {
      new Gauge({
        name: 'bandoso_replica_lag_seconds',
        help: 'How far the read replica’s replay is behind the primary (NaN: unknown, e.g. the replica is down).',
        registers,
      aggregator: 'max',
        async collect() {
          let lag: number | null = null;
          try {
            lag = await replicaLag();
          } catch {
            lag = null;
          }
          this.set(lag ?? Number.NaN);
        },
      });
    }

    // The database's figures: read once per scrape (see `scrape`), NaN while the database does not answer.
    const figures = () => this.#lastFigures;
    new Gauge({
      name: 'bandoso_database_up',
      help: 'Whether the database answered this scrape’s query within HEALTH_TIMEOUT_S.',
      labelNames: ['backend'],
      registers,
      aggregator: 'min',
      collect() {
        this.set({ backend }, figures() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'bandoso_reports_overdue_open',
      help: 'Open reports past an acknowledgement or handling deadline (flagged by the deadline watcher).',
      registers,
      aggregator: 'max',
      collect() {
        this.set(figures()?.overdueOpenReports ?? Number.NaN);
      },
    });
    new Gauge({
      name: 'bandoso_webhook_outbox_backlog',
      help: 'Webhook work waiting: outbox messages not yet fanned out to deliveries (stage="fan_out"), deliveries not yet delivered or dead (stage="delivery").',
      labelNames: ['stage'],
      registers,
      aggregator: 'max',
      collect() {
        const value = figures();
        this.set({ stage: 'fan_out' }, value?.outboxPending ?? Number.NaN);
        this.set({ stage: 'delivery' }, value?.deliveriesPending ?? Number.NaN);
      },
    });
    new Gauge({
      name: 'bandoso_webhook_outbox_oldest_age_seconds',
      help: 'Age of the oldest waiting webhook work, by stage (0: none waiting).',
      labelNames: ['stage'],
      registers,
      aggregator: 'max',
      collect() {
        const value = figures();
        this.set({ stage: 'fan_out' }, value?.outboxOldestAgeS ?? Number.NaN);
        this.set({ stage: 'delivery' }, value?.deliveriesOldestAgeS ?? Number.NaN);
      },
    });
  }

  /** This app's registry and the process's: what a cluster worker hands to prom-client's AggregatorRegistry.setRegistries. */
  get registries(): Registry[] {
    return [this.registry, processMetrics()];
  }

  /** The content type of `scrape`'s text (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** One answered request (see `timeRequests`): `route` is a template, never a raw path. */
  observeRequest(labels: { method: string; route: string; status: string }, seconds: number): void {
    this.#duration.observe(labels, seconds);
  }

  /**
   * The same metrics in prom-client's JSON form, for a cluster's primary to aggregate (see
   * api/src/cluster): counters and histograms add up; gauges add up unless their `aggregator` says
   * otherwise (the database's figures are the same for every process: the largest is taken).
   */
  async scrapeJson(): Promise<unknown[]> {
    this.#lastFigures = await this.#readFigures();
    return [...(await this.registry.getMetricsAsJSON()), ...(await processMetrics().getMetricsAsJSON())];
  }

  /** Every metric of this app and of the process, in Prometheus' text format. */
  async scrape(): Promise<string> {
    this.#lastFigures = await this.#readFigures();
    return (await this.registry.metrics()) + (await processMetrics().metrics());
  }

  /** The database's figures, at most `figuresMaxAgeMs` old; undefined when it did not answer in time. */
  #readFigures(): Promise<OperationalFigures | undefined> {
    const now = Date.now();
    if (this.#figures && now - this.#figures.at < this.#options.figuresMaxAgeMs) return this.#figures.read;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), this.#options.databaseTimeoutMs)));
    const read = Promise.race([readOperationalFigures(this.#sources.database.db).catch(() => undefined), timedOut]).finally(() => clearTimeout(timer));
    this.#figures = { at: now, read };
    // A failed read is not reused: the next scrape asks again.
    void read.then((value) => {
      if (value === undefined && this.#figures?.read === read) this.#figures = undefined;
    });
    return read;
  }
}
