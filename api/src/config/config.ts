import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { networksProblem } from '../http/networks.ts';

/**
 * The platform's configuration: one typed, frozen object read once from the environment.
 * Every key has a default and a line of documentation; invalid values stop start-up with a message
 * that names the variable.
 */
const environmentSchema = z.object({
  /** HTTP port. 0 picks a free port (tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** A PostGIS server (postgres://user:pass@host:5432/db). Unset: the embedded PGlite + PostGIS in DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /**
   * A streaming replica of DATABASE_URL's server (postgres://…; `pg_basebackup -R`). Public reads
   * (tile misses, OGC API items, public report lists and views, statistics) go to it while it has
   * replayed every write committed before the read; otherwise, and while it is down, to the primary.
   * Server backend only: with the embedded database it is refused. Unset: everything on DATABASE_URL.
   */
  DATABASE_REPLICA_URL: z.string().url().optional(),
  /** Folder of the embedded database. `memory://` keeps it in memory (tests). */
  DATA_DIR: z.string().min(1).default('./.data'),
  /** Size of the pg pool on the server backend. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Seconds to make a connection to the server, or to wait for a free one in the pool; then 503. */
  DATABASE_CONNECT_TIMEOUT_S: z.coerce.number().min(0.1).max(300).default(2),
  /** Seconds one statement of a request may run (the server's statement_timeout); 0: no limit. */
  DATABASE_STATEMENT_TIMEOUT_S: z.coerce.number().min(0).max(86_400).default(10),
  /** Seconds one statement may run in imports, migrations and the sample data at start-up; 0: no limit. */
  DATABASE_IMPORT_STATEMENT_TIMEOUT_S: z.coerce.number().min(0).max(604_800).default(3600),
  /** Seconds a transaction may sit idle before the server ends it (idle_in_transaction_session_timeout); 0: no limit. */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_S: z.coerce.number().min(0).max(86_400).default(60),
  /** Seconds start-up waits for the server to answer (with backoff, saying so in the log) before it gives up. */
  DATABASE_WAIT_S: z.coerce.number().min(0).max(86_400).default(60),
  /** Seconds /api/health waits for the database before it answers 503. */
  HEALTH_TIMEOUT_S: z.coerce.number().min(0.1).max(60).default(1.5),
  /** Seconds requests in flight may take to finish after SIGTERM/SIGINT before their connections are cut. */
  SHUTDOWN_GRACE_S: z.coerce.number().min(0).max(3600).default(10),
  /** Load the Điện Biên sample data into an empty database on start-up. */
  SEED_SAMPLE_DATA: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * The platform's public origin (https://bando.dienbien.gov.vn), for absolute links in TileJSON,
   * OGC API and Open311 documents. Unset: taken from each request.
   */
  PUBLIC_BASE_URL: z
    .string()
    .url()
    .refine((value) => /^https?:\/\/[^/?#]+\/?$/.test(value), 'PUBLIC_BASE_URL is an origin: scheme and host, no path, e.g. https://bando.dienbien.gov.vn')
    .transform((value) => value.replace(/\/$/, ''))
    .optional(),
  /**
   * Which proxies' X-Forwarded-For / -Proto / -Host to believe (Express's `trust proxy`): `loopback`
   * (a proxy on this host), a comma-separated list of addresses, CIDRs or the names loopback,
   * linklocal, uniquelocal; a number of hops; `true` or `false`. The client address it yields keys
   * the per-client rate limit: behind an untrusted proxy every citizen shares the proxy's limit.
   */
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform(parseTrustProxy)
    .superRefine((value, context) => {
      const wrong = Array.isArray(value) ? value.find((entry) => !proxyNames.has(entry) && networksProblem(entry)) : undefined;
      if (wrong !== undefined) {
        context.addIssue({ code: 'custom', message: `TRUST_PROXY: ${JSON.stringify(wrong)} is not loopback, linklocal, uniquelocal, an address or a CIDR (or write true, false, or a number of hops)` });
      }
    }),
  /** Optional base-map style URL for deployments that have one; the map works without it. */
  BASEMAP_STYLE_URL: z.string().url().optional(),
  /** The province whose boundary sets answer /api/locate (official code). */
  PROVINCE_CODE: z.string().regex(/^\d{2}$/).default('11'),
  /** Where report photos are kept (public copies and private originals). Default: DATA_DIR/media. */
  MEDIA_DIR: z.string().min(1).optional(),
  /** Report submissions allowed per client (IP address) per hour. */
  REPORT_SUBMISSIONS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Open311 service requests allowed per partner API key per hour. */
  OPEN311_SUBMISSIONS_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Office hours that deadlines count in (Asia/Ho_Chi_Minh), Monday–Friday. */
  WORKING_HOURS: z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}(,\d{2}:\d{2}-\d{2}:\d{2})*$/, 'WORKING_HOURS looks like 07:30-11:30,13:00-17:00').default('07:30-11:30,13:00-17:00'),
  /** Radius (m) in which open reports of the same category are offered as "already reported". */
  NEARBY_RADIUS_M: z.coerce.number().min(10).max(5000).default(250),
  /** A pin closer than this (m) to another commune is flagged for the receiving office to confirm. */
  BORDER_FLAG_DISTANCE_M: z.coerce.number().min(0).max(1000).default(30),
  /** How often (s) the deadline watcher flags overdue reports and escalates them. 0 turns it off. */
  DEADLINE_CHECK_INTERVAL_S: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Memory (MiB) of the in-process vector-tile cache. */
  TILE_CACHE_MB: z.coerce.number().min(1).max(16_384).default(64),
  /**
   * `on` (default): /api/locate and report routing answer from an in-process index of the boundary
   * sets and the offices' areas (exactly PostGIS's answers; points on a border still go to PostGIS).
   * `off`: always SQL (benchmarks compare the two).
   */
  LOCATE_INDEX: z.enum(['on', 'off']).default('on'),
  /**
   * Networks webhook deliveries may reach besides public addresses (comma-separated CIDRs, e.g. an
   * internal document system's 10.20.0.0/16). Unset: public addresses only.
   */
  WEBHOOK_ALLOWED_NETWORKS: z
    .string()
    .default('')
    .superRefine((value, context) => {
      const problem = networksProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item !== '')),
  /**
   * Networks the camera relay may reach besides public addresses (comma-separated CIDRs, e.g. the
   * cameras' VLAN 10.30.0.0/16). Unset: public addresses only, except on the embedded database (a
   * single-machine demo), where the sample cameras' simulator on 127.0.0.1 is allowed.
   */
  CAMERA_ALLOWED_NETWORKS: z
    .string()
    .optional()
    .superRefine((value, context) => {
      const problem = value === undefined ? undefined : networksProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    }),
  /** How often (s) the health checker reads every camera's playlist. 0 turns it off. */
  CAMERA_HEALTH_INTERVAL_S: z.coerce.number().min(0).max(3600).default(30),
  /** Minutes of every checked camera's stream the relay keeps on disk for rewind. 0: no rewind. */
  CAMERA_REWIND_MINUTES: z.coerce.number().min(0).max(240).default(10),
  /** Seconds a signed stream URL (POST /api/cameras/{id}/watch) stays valid (at most 300). */
  CAMERA_WATCH_TTL_S: z.coerce.number().int().min(10).max(300).default(300),
  /**
   * Key (≥ 32 characters) that signs stream URLs. Processes serving one site must share it. Unset: a
   * random key per process (URLs then work only on the process that signed them).
   */
  CAMERA_URL_SECRET: z.string().min(32).optional(),
  /** Days an Idempotency-Key of a report submission is remembered (offline phones resend late). */
  RETENTION_IDEMPOTENCY_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Days the webhook delivery log (ended deliveries, their attempts and messages) is kept. */
  RETENTION_WEBHOOK_LOG_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** How often (s) expired records are purged. 0 turns it off. */
  RETENTION_INTERVAL_S: z.coerce.number().int().min(0).max(604_800).default(3600),
  /** Seed demo staff accounts with this password (only together with the sample data). Unset: none. */
  DEMO_PASSWORD: z.string().min(8).optional(),
  /**
   * Networks whose clients may read GET /metrics (comma-separated CIDRs or addresses; the client
   * address is the one TRUST_PROXY yields, as for rate limits). Default: this host only.
   */
  METRICS_ALLOWED_NETWORKS: z
    .string()
    .default('127.0.0.0/8,::1')
    .superRefine((value, context) => {
      const problem = networksProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item !== '')),
  /** A token (≥ 16 characters) that lets a scraper elsewhere read /metrics with `Authorization: Bearer <token>`. Unset: networks only. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters (e.g. openssl rand -hex 24)').optional(),
  /**
   * API processes `npm start` runs on one port (node:cluster), on the server backend. The embedded
   * database lives inside one process: with it, more than 1 is ignored with a warning. Each process
   * has its own pool (DATABASE_POOL_SIZE), tile cache (TILE_CACHE_MB) and live-feed cap (SSE_MAX_CLIENTS).
   */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** Live-feed (SSE) connections this process holds at most; more are answered 503 with Retry-After. */
  SSE_MAX_CLIENTS: z.coerce.number().int().min(1).max(1_000_000).default(2000),
  /** Live-feed connections one client (address, after TRUST_PROXY) may hold at once; more are answered 429. */
  SSE_MAX_CLIENTS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Seconds a client has to send a request's headers (slow-header clients are cut with 408). */
  HTTP_HEADERS_TIMEOUT_S: z.coerce.number().min(1).max(3600).default(30),
  /**
   * Seconds a client has to send a whole request, body included (uploads on slow links need time);
   * 0: no limit. Only receiving counts: a live-feed stream is not cut by it.
   */
  HTTP_REQUEST_TIMEOUT_S: z.coerce.number().min(0).max(86_400).default(300),
});

/** The names Express's `trust proxy` knows, besides addresses and CIDRs. */
const proxyNames = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY as Express takes it: true/false, a number of hops, or a list of names, addresses and CIDRs. */
function parseTrustProxy(value: string): boolean | number | string[] {
  const trimmed = value.trim();
  if (trimmed === '') return ['loopback'];
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (/^\d{1,2}$/.test(trimmed)) return Number(trimmed);
  return trimmed.split(',').map((item) => item.trim());
}

/** Every environment variable the platform reads. */
export const configVariables: readonly string[] = Object.keys(environmentSchema.shape);

export type AppConfig = Readonly<{
  port: number;
  host: string;
  /** Express `trust proxy` (TRUST_PROXY). */
  trustProxy: boolean | number | string[];
  database: Readonly<
    | {
        kind: 'server';
        url: string;
        /** DATABASE_REPLICA_URL: a streaming replica for public reads. */
        replicaUrl: string | undefined;
        poolSize: number;
        /** Milliseconds; 0: no limit. */
        timeouts: Readonly<{ connectMs: number; statementMs: number; idleInTransactionMs: number }>;
        /** statement_timeout (ms) of imports, migrations and seeding; 0: no limit. */
        importStatementTimeoutMs: number;
        /** How long start-up waits for the server (ms). */
        waitMs: number;
      }
    | { kind: 'embedded'; dataDir: string }
  >;
  /** How long /api/health waits for the database (ms). */
  healthTimeoutMs: number;
  /** How long requests in flight may take to finish at shutdown (ms). */
  shutdownGraceMs: number;
  /**
   * What this process is, in a person's words (`npm run import`), for messages such as "the embedded
   * database is held by …": npm's lifecycle event when run through npm, else the script's name.
   */
  command: string;
  seedSampleData: boolean;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  basemapStyleUrl: string | undefined;
  publicBaseUrl: string | undefined;
  open311SubmissionsPerHour: number;
  provinceCode: string;
  mediaDir: string;
  reports: Readonly<{
    submissionsPerHour: number;
    workingHours: string;
    nearbyRadiusM: number;
    borderFlagDistanceM: number;
    deadlineCheckIntervalS: number;
  }>;
  demoPassword: string | undefined;
  tileCacheBytes: number;
  locateIndex: boolean;
  webhooks: Readonly<{ allowedNetworks: readonly string[] }>;
  cameras: Readonly<{
    allowedNetworks: readonly string[];
    /** Milliseconds; 0: off. */
    healthIntervalMs: number;
    rewindMinutes: number;
    rewindDir: string;
    watchTtlS: number;
    urlSecret: string;
  }>;
  retention: Readonly<{ idempotencyKeyDays: number; webhookLogDays: number; intervalS: number }>;
  /** Who may read GET /metrics (METRICS_ALLOWED_NETWORKS, METRICS_TOKEN). */
  metrics: Readonly<{ allowedNetworks: readonly string[]; token: string | undefined }>;
  /** Live-feed (SSE) connection caps, per process. */
  sse: Readonly<{ maxClients: number; maxClientsPerIp: number }>;
  /** API processes to run (WEB_CONCURRENCY); only the server backend runs more than one. */
  webConcurrency: number;
  /** Node's server timeouts (ms): headers, whole request (0: none). */
  http: Readonly<{ headersTimeoutMs: number; requestTimeoutMs: number }>;
}>;

export class ConfigError extends Error {}

const seconds = (value: number): number => Math.round(value * 1000);

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration (environment variables):\n${lines.join('\n')}`);
  }
  const values = parsed.data;
  if (values.DATABASE_REPLICA_URL && !values.DATABASE_URL) {
    throw new ConfigError('Invalid configuration (environment variables):\n  DATABASE_REPLICA_URL: a read replica needs the server backend: set DATABASE_URL to its primary, or unset DATABASE_REPLICA_URL (the embedded database has no replicas).');
  }
  const database = values.DATABASE_URL
    ? ({
        kind: 'server',
        url: values.DATABASE_URL,
        replicaUrl: values.DATABASE_REPLICA_URL,
        poolSize: values.DATABASE_POOL_SIZE,
        timeouts: Object.freeze({
          connectMs: seconds(values.DATABASE_CONNECT_TIMEOUT_S),
          statementMs: seconds(values.DATABASE_STATEMENT_TIMEOUT_S),
          idleInTransactionMs: seconds(values.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_S),
        }),
        importStatementTimeoutMs: seconds(values.DATABASE_IMPORT_STATEMENT_TIMEOUT_S),
        waitMs: seconds(values.DATABASE_WAIT_S),
      } as const)
    : ({ kind: 'embedded', dataDir: values.DATA_DIR === 'memory://' ? 'memory://' : path.resolve(values.DATA_DIR) } as const);
  return Object.freeze({
    port: values.PORT,
    host: values.HOST,
    trustProxy: values.TRUST_PROXY,
    database: Object.freeze(database),
    healthTimeoutMs: seconds(values.HEALTH_TIMEOUT_S),
    command: environment.npm_lifecycle_event ? `npm run ${environment.npm_lifecycle_event}` : path.basename(process.argv[1] ?? 'node'),
    shutdownGraceMs: seconds(values.SHUTDOWN_GRACE_S),
    seedSampleData: values.SEED_SAMPLE_DATA,
    logLevel: values.LOG_LEVEL,
    basemapStyleUrl: values.BASEMAP_STYLE_URL,
    publicBaseUrl: values.PUBLIC_BASE_URL,
    open311SubmissionsPerHour: values.OPEN311_SUBMISSIONS_PER_HOUR,
    provinceCode: values.PROVINCE_CODE,
    mediaDir: path.resolve(values.MEDIA_DIR ?? path.join(values.DATA_DIR === 'memory://' ? path.join(os.tmpdir(), `bandoso-media-${process.pid}`) : values.DATA_DIR, 'media')),
    reports: Object.freeze({
      submissionsPerHour: values.REPORT_SUBMISSIONS_PER_HOUR,
      workingHours: values.WORKING_HOURS,
      nearbyRadiusM: values.NEARBY_RADIUS_M,
      borderFlagDistanceM: values.BORDER_FLAG_DISTANCE_M,
      deadlineCheckIntervalS: values.DEADLINE_CHECK_INTERVAL_S,
    }),
    demoPassword: values.DEMO_PASSWORD,
    tileCacheBytes: Math.round(values.TILE_CACHE_MB * 1024 * 1024),
    locateIndex: values.LOCATE_INDEX === 'on',
    webhooks: Object.freeze({ allowedNetworks: Object.freeze(values.WEBHOOK_ALLOWED_NETWORKS) }),
    cameras: Object.freeze({
      allowedNetworks: Object.freeze(
        values.CAMERA_ALLOWED_NETWORKS === undefined
          ? database.kind === 'embedded'
            ? ['127.0.0.1/32']
            : []
          : values.CAMERA_ALLOWED_NETWORKS.split(',').map((item) => item.trim()).filter((item) => item !== ''),
      ),
      healthIntervalMs: seconds(values.CAMERA_HEALTH_INTERVAL_S),
      rewindMinutes: values.CAMERA_REWIND_MINUTES,
      rewindDir: path.join(values.DATA_DIR === 'memory://' ? path.join(os.tmpdir(), `bandoso-cameras-${process.pid}`) : path.resolve(values.DATA_DIR), 'camera-rewind'),
      watchTtlS: values.CAMERA_WATCH_TTL_S,
      urlSecret: values.CAMERA_URL_SECRET ?? randomBytes(32).toString('base64url'),
    }),
    retention: Object.freeze({
      idempotencyKeyDays: values.RETENTION_IDEMPOTENCY_DAYS,
      webhookLogDays: values.RETENTION_WEBHOOK_LOG_DAYS,
      intervalS: values.RETENTION_INTERVAL_S,
    }),
    metrics: Object.freeze({ allowedNetworks: Object.freeze(values.METRICS_ALLOWED_NETWORKS), token: values.METRICS_TOKEN }),
    sse: Object.freeze({ maxClients: values.SSE_MAX_CLIENTS, maxClientsPerIp: values.SSE_MAX_CLIENTS_PER_IP }),
    webConcurrency: values.WEB_CONCURRENCY,
    http: Object.freeze({ headersTimeoutMs: seconds(values.HTTP_HEADERS_TIMEOUT_S), requestTimeoutMs: seconds(values.HTTP_REQUEST_TIMEOUT_S) }),
  });
}
