import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * Kysely dialect for PGlite (embedded PostgreSQL in WebAssembly).
 *
 * Written here rather than taken from npm because the published PGlite dialects pin PGlite ≤ 0.4 and we
 * need 0.5 (the version the PostGIS extension is built for). It is deliberately small: PGlite is a
 * single connection, so the driver hands it out to one user at a time (queries and whole transactions
 * queue behind each other) and otherwise speaks plain PostgreSQL through Kysely's Postgres adapter.
 */
export class PgliteDialect implements Dialect {
  readonly #client: PGlite;
  #driver: PgliteDriver | undefined;

  constructor(client: PGlite) {
    this.#client = client;
  }

  /** Whether the one connection is lent out, and how many wait for it (for /metrics). */
  connectionStatus(): { inUse: boolean; waiting: number } {
    return { inUse: this.#driver?.inUse ?? false, waiting: this.#driver?.waiting ?? 0 };
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    this.#driver = new PgliteDriver(this.#client);
    return this.#driver;
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}

class PgliteDriver implements Driver {
  readonly #connection: PgliteConnection;
  #queue: Promise<void> = Promise.resolve();
  #releaseCurrent: (() => void) | undefined;
  /** Users queued behind the current one (read by metrics). */
  waiting = 0;

  constructor(client: PGlite) {
    this.#connection = new PgliteConnection(client);
  }

  async init(): Promise<void> {}

  get inUse(): boolean {
    return this.#releaseCurrent !== undefined;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.waiting += 1;
    await previous;
    this.waiting -= 1;
    this.#releaseCurrent = release;
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#releaseCurrent;
    this.#releaseCurrent = undefined;
    release?.();
  }

  // The PGlite instance is owned (and closed) by the database handle, not by Kysely.
  async destroy(): Promise<void> {}
}

class PgliteConnection implements DatabaseConnection {
  readonly #client: PGlite;

  constructor(client: PGlite) {
    this.#client = client;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.#client.query<R>(compiledQuery.sql, [...compiledQuery.parameters], { rowMode: 'object' });
    return {
      rows: result.rows,
      ...(result.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
    };
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on the embedded database; page with limit/offset instead.');
  }
}
