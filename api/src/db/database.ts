import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config.ts';
import { ThrottledLog } from '../logging/throttled-log.ts';
import type { Database } from './database-schema.ts';
import { acquireEmbeddedLock, type EmbeddedLock } from './embedded-lock.ts';
import { NotificationListener, type NotificationChannel, type NotificationHandlers, type NotificationState } from './notification-listener.ts';
import { PgliteDialect } from './pglite-dialect.ts';
import { ReadReplica, registerReplica } from './replica.ts';
import { DatabaseUnavailableError, describeDatabaseError, isDatabaseUnavailable } from './postgres-errors.ts';
import { sharedTypeParsers } from './type-parsers.ts';

export type { NotificationChannel, NotificationHandlers, NotificationState } from './notification-listener.ts';

export type DatabaseBackend = 'embedded' | 'server';

/**
 * The one place that knows which backend is in use. Everything else receives a `DatabaseHandle` and
 * runs the same Kysely queries on both. Differences between the backends live behind this interface:
 * opening and closing, notifications, and `backend`, which the tile encoder reads to choose its MVT
 * encoder.
 */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly backend: DatabaseBackend;
  /** Where the data lives, for logs and messages (never includes a password). */
  readonly location: string;
  close(): Promise<void>;
  /**
   * Subscribes to a PostgreSQL notification channel (NOTIFY, e.g. sent by `notify()` or a trigger).
   * Server: one connection per process LISTENs for every subscriber and reconnects by itself (see
   * `NotificationListener`), so every API process sees every write. Embedded: PGlite's in-process
   * LISTEN, which cannot be lost. Resolves once the first attempt to listen ended, either way;
   * returns the function that unsubscribes.
   */
  listen(channel: NotificationChannel, handlers: NotificationHandlers): Promise<() => Promise<void>>;
  /** The state of the notification connection (for /api/health). */
  notificationState(): NotificationState;
  /** Embedded only: the whole data folder as a tarball (test templates, backups). */
  dumpDataDir?(): Promise<Blob>;
  /** This process's connections for queries (not the notification listener's), for /metrics. */
  poolStatus?(): ConnectionPoolStatus;
  /** Server only, with DATABASE_REPLICA_URL: the streaming replica public reads may use (see replica.ts). */
  readonly replica?: ReadReplica;
}

/** Connections of the pool (embedded: PGlite's one connection): made, idle, and queries waiting for one. */
export interface ConnectionPoolStatus {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface OpenEmbeddedOptions {
  /** A folder, or `memory://` for a database that lives only in this process. */
  dataDir: string;
  /** Start from a dumped data folder (a `dumpDataDir` tarball): tests use it to skip migrations. */
  loadDataDir?: Blob;
  /** What this process is, for the message another process gets while it holds the folder. */
  command?: string;
}

/** How long the platform waits for a server, in milliseconds; 0 turns a limit off. */
export interface ServerTimeouts {
  /** Making a connection (or waiting for a free one in the pool). */
  connectMs: number;
  /** One statement, enforced by the server (statement_timeout). */
  statementMs: number;
  /** A transaction left open without a statement, ended by the server. */
  idleInTransactionMs: number;
}

const defaultServerTimeouts: ServerTimeouts = { connectMs: 2_000, statementMs: 10_000, idleInTransactionMs: 30_000 };

export interface ServerDatabaseOptions {
  poolSize?: number;
  timeouts?: Partial<ServerTimeouts>;
  logger?: Logger | undefined;
  /** Shown in pg_stat_activity (and used by drills to find the platform's connections). */
  applicationName?: string;
  /** A streaming replica of this server for public reads (DATABASE_REPLICA_URL; see replica.ts). */
  replicaUrl?: string | undefined;
}

export async function openDatabase(database: AppConfig['database'], options: { logger?: Logger; statementTimeoutMs?: number; command?: string } = {}): Promise<DatabaseHandle> {
  if (database.kind === 'embedded') return openEmbeddedDatabase({ dataDir: database.dataDir, ...(options.command ? { command: options.command } : {}) });
  return openServerDatabase(database.url, {
    poolSize: database.poolSize,
    timeouts: { ...database.timeouts, ...(options.statementTimeoutMs === undefined ? {} : { statementMs: options.statementTimeoutMs }) },
    logger: options.logger,
    replicaUrl: database.replicaUrl,
  });
}

/**
 * A pool of connections to a PostgreSQL server, made to survive the server: it restarting, being
 * stopped, or freezing.
 *
 * - Every connection has an `error` listener for its whole life. pg-pool listens only while a
 *   connection is idle; a connection that the server terminates in the middle of a request would
 *   otherwise emit an unhandled `error` and end the process. The request's query fails instead
 *   (and answers 503), and the pool drops the connection.
 * - Connecting has a timeout (so does waiting for a free connection), statements have the server's
 *   `statement_timeout`, and a query the server does not answer at all (a frozen server) is cut
 *   client-side shortly after: its socket is destroyed, so the connection leaves the pool.
 */
export async function openServerDatabase(url: string, options: ServerDatabaseOptions = {}): Promise<DatabaseHandle> {
  const timeouts: ServerTimeouts = { ...defaultServerTimeouts, ...options.timeouts };
  const logger = options.logger;
  const throttled = logger ? new ThrottledLog(logger) : undefined;
  const connectionSettings = {
    connectionString: url,
    application_name: options.applicationName ?? 'bandoso',
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(timeouts.connectMs > 0 ? { connectionTimeoutMillis: timeouts.connectMs } : {}),
  };
  const pool = new pg.Pool({
    ...connectionSettings,
    max: options.poolSize ?? 10,
    ...(timeouts.statementMs > 0 ? { statement_timeout: timeouts.statementMs } : {}),
    ...(timeouts.idleInTransactionMs > 0 ? { idle_in_transaction_session_timeout: timeouts.idleInTransactionMs } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        sharedTypeParsers[oid] ?? pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const onConnectionError = (error: unknown) => throttled?.warn(`pool:${describeDatabaseError(error)}`, { error: describeDatabaseError(error) }, 'database connection lost');
  // Idle connections the server closes: pg-pool drops them, and this keeps the event handled.
  pool.on('error', onConnectionError);
  pool.on('connect', (client) => {
    client.on('error', onConnectionError);
    if (timeouts.statementMs > 0) cutUnansweredQueries(client, timeouts.statementMs + 2_000);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const listener = new NotificationListener({
    createClient: () => new pg.Client({ ...connectionSettings, application_name: `${connectionSettings.application_name}:listen` }),
    logger,
    heartbeatTimeoutMs: Math.max(2_000, timeouts.connectMs * 2),
  });
  // The replica's pool connects lazily: a replica that is down at start-up only sends reads to the primary.
  let replica: ReadReplica | undefined;
  if (options.replicaUrl) {
    const replicaHandle = await openServerDatabase(options.replicaUrl, { ...options, replicaUrl: undefined, applicationName: `${connectionSettings.application_name}:replica` });
    replica = new ReadReplica({ db, listen: (channel, handlers) => listener.subscribe(channel, handlers) }, replicaHandle, logger);
    registerReplica(db, replica);
  }
  return {
    db,
    backend: 'server',
    ...(replica ? { replica } : {}),
    location: redactUrl(url),
    listen: (channel, handlers) => listener.subscribe(channel, handlers),
    notificationState: () => listener.state,
    poolStatus: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: options.poolSize ?? 10 }),
    async close() {
      await listener.close();
      await replica?.close();
      await db.destroy();
      throttled?.flush();
    },
  };
}

/**
 * A query the server has not answered `timeoutMs` after it was sent is abandoned: its socket is
 * destroyed, which fails the query (and anything queued on the connection) and takes the connection
 * out of the pool. The server's own statement_timeout fires first whenever the server is alive; this
 * is for a server that is frozen or cut off, where nothing else would ever end the wait.
 */
function cutUnansweredQueries(client: pg.PoolClient, timeoutMs: number): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const result = query(...args);
    if (!(result instanceof Promise)) return result; // callback and cursor forms: not used by Kysely's queries
    const timer = setTimeout(() => {
      const stream = (client as unknown as { connection?: { stream?: { destroy(error?: Error): void } } }).connection?.stream;
      stream?.destroy(new DatabaseUnavailableError(`the database did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    return result.finally(() => clearTimeout(timer));
  };
}

/**
 * Waits until the server answers, retrying with backoff for at most `maxWaitMs`, and logs while it
 * waits. Errors that waiting cannot fix (a wrong password, a database that does not exist) end the
 * wait at once.
 */
export async function waitForDatabase(handle: DatabaseHandle, options: { maxWaitMs: number; logger?: Logger | undefined }): Promise<void> {
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      await sql`SELECT 1`.execute(handle.db);
      if (attempt > 1) options.logger?.info({ waitedS: Math.round((Date.now() - started) / 100) / 10 }, 'the database answers');
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      const waited = Date.now() - started;
      if (waited >= options.maxWaitMs) {
        throw new DatabaseUnavailableError(
          `The database at ${handle.location} did not answer within ${Math.round(options.maxWaitMs / 1000)} s (DATABASE_WAIT_S): ${describeDatabaseError(error)}. Start it, or check DATABASE_URL.`,
          { cause: error },
        );
      }
      const delay = Math.min(5_000, 250 * 2 ** Math.min(attempt - 1, 5), options.maxWaitMs - waited);
      options.logger?.warn({ attempt, waitedS: Math.round(waited / 100) / 10, error: describeDatabaseError(error), database: handle.location }, 'waiting for the database');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

export async function openEmbeddedDatabase(options: OpenEmbeddedOptions): Promise<DatabaseHandle> {
  const inMemory = options.dataDir === 'memory://';
  let lock: EmbeddedLock | undefined;
  if (!inMemory) lock = acquireEmbeddedLock(options.dataDir, options.command);
  let client: PGlite;
  try {
    // Loaded only here: a server deployment never loads PGlite and its PostGIS (about 90 MB per process).
    const [{ PGlite }, { pg_trgm }, { postgis }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite/contrib/pg_trgm'),
      import('@electric-sql/pglite-postgis'),
    ]);
    client = await PGlite.create({
      ...(inMemory ? {} : { dataDir: path.join(options.dataDir, 'pgdata') }),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      // pg_trgm: search's trigram ranking and indexes (migration 0013).
      extensions: { postgis, pg_trgm },
      parsers: sharedTypeParsers,
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const dialect = new PgliteDialect(client);
  const db = new Kysely<Database>({ dialect });
  let closed = false;
  return {
    db,
    backend: 'embedded',
    location: inMemory ? 'memory' : options.dataDir,
    dumpDataDir: () => client.dumpDataDir('gzip'),
    async listen(channel, handlers) {
      // In the same process as the database: a subscription cannot be lost.
      const unsubscribe = await client.listen(channel, (payload) => handlers.onNotification(payload));
      handlers.onListening?.();
      // Closing PGlite ends its subscriptions; unsubscribing after that would fail inside PGlite.
      return async () => {
        if (!closed) await unsubscribe();
      };
    },
    notificationState: () => (closed ? 'closed' : 'listening'),
    poolStatus: () => {
      const { inUse, waiting } = dialect.connectionStatus();
      return { total: 1, idle: inUse ? 0 : 1, waiting, max: 1 };
    },
    async close() {
      closed = true;
      await db.destroy();
      await client.close();
      lock?.release();
    },
  };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres server';
  }
}
