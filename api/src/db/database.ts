import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { AppConfig } from '../config/config.ts';
import type { Database } from './database-schema.ts';
import { acquireEmbeddedLock, type EmbeddedLock } from './embedded-lock.ts';
import { PgliteDialect } from './pglite-dialect.ts';
import { sharedTypeParsers } from './type-parsers.ts';

export type DatabaseBackend = 'embedded' | 'server';

/**
 * The one place that knows which backend is in use. Everything else receives a `DatabaseHandle` and
 * runs the same Kysely queries on both. Differences between the backends live behind this interface:
 * opening and closing, and `backend`, which the tile encoder reads to choose its MVT encoder.
 */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly backend: DatabaseBackend;
  /** Where the data lives, for logs and messages (never includes a password). */
  readonly location: string;
  close(): Promise<void>;
  /**
   * Subscribes to a PostgreSQL notification channel (NOTIFY, e.g. sent by `notify()` or a trigger).
   * Server: a dedicated connection LISTENs, so every API process sees every write. Embedded: PGlite's
   * in-process LISTEN. Returns the function that unsubscribes.
   */
  listen(channel: NotificationChannel, handler: (payload: string) => void): Promise<() => Promise<void>>;
  /** Embedded only: the whole data folder as a tarball (test templates, backups). */
  dumpDataDir?(): Promise<Blob>;
}

/** The notification channels in use: a fixed list, because channel names cannot be bound parameters. */
export type NotificationChannel = 'data_changed' | 'report_events' | 'outbox_message';

export interface OpenEmbeddedOptions {
  /** A folder, or `memory://` for a database that lives only in this process. */
  dataDir: string;
  /** Start from a dumped data folder (a `dumpDataDir` tarball): tests use it to skip migrations. */
  loadDataDir?: Blob;
}

export async function openDatabase(database: AppConfig['database']): Promise<DatabaseHandle> {
  return database.kind === 'server'
    ? openServerDatabase(database.url, database.poolSize)
    : openEmbeddedDatabase({ dataDir: database.dataDir });
}

export async function openServerDatabase(url: string, poolSize = 10): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        sharedTypeParsers[oid] ?? pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server closes (restart, DROP DATABASE … FORCE) must not crash the process;
  // the pool replaces it on the next query.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Set<pg.Client>();
  return {
    db,
    backend: 'server',
    location: redactUrl(url),
    async listen(channel, handler) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      client.on('notification', (message) => {
        if (message.channel === channel) handler(message.payload ?? '');
      });
      // A lost listening connection must not take the process down; the next listen() reconnects.
      client.on('error', () => listeners.delete(client));
      await client.query(`LISTEN ${channel}`);
      listeners.add(client);
      return async () => {
        if (!listeners.delete(client)) return;
        await client.end();
      };
    },
    async close() {
      await Promise.all([...listeners].map((client) => client.end()));
      listeners.clear();
      await db.destroy();
    },
  };
}

export async function openEmbeddedDatabase(options: OpenEmbeddedOptions): Promise<DatabaseHandle> {
  const inMemory = options.dataDir === 'memory://';
  let lock: EmbeddedLock | undefined;
  if (!inMemory) lock = acquireEmbeddedLock(options.dataDir);
  let client: PGlite;
  try {
    client = await PGlite.create({
      ...(inMemory ? {} : { dataDir: path.join(options.dataDir, 'pgdata') }),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      extensions: { postgis },
      parsers: sharedTypeParsers,
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PgliteDialect(client) });
  return {
    db,
    backend: 'embedded',
    location: inMemory ? 'memory' : options.dataDir,
    dumpDataDir: () => client.dumpDataDir('gzip'),
    async listen(channel, handler) {
      return client.listen(channel, handler);
    },
    async close() {
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
