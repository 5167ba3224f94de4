import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedDatabase, type DatabaseHandle } from '../db/database.ts';
import { createTestDatabase } from './test-database.ts';

/**
 * What a test of a command line works on: with DATABASE_URL, a copy of the test template on the
 * server; without, a fresh embedded data folder that the command creates, migrates and seeds itself.
 */
export interface CliTestDatabase {
  /** A scratch folder of the test's own, removed by close(). */
  readonly scratch: string;
  /** The environment a command under test runs with to reach this database. */
  readonly environment: Record<string, string>;
  /** Uses the database from this process, once the command has exited (an embedded one admits one process). */
  use<T>(work: (database: DatabaseHandle) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function createCliTestDatabase(name: string): Promise<CliTestDatabase> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `bandoso-${name}-`));
  const server = process.env.DATABASE_URL ? await createTestDatabase() : undefined;
  const environment = server ? server.childEnvironment! : { DATA_DIR: path.join(scratch, 'data') };
  return {
    scratch,
    environment,
    async use(work) {
      if (server) return work(server);
      const database = await openEmbeddedDatabase({ dataDir: environment.DATA_DIR! });
      try {
        return await work(database);
      } finally {
        await database.close();
      }
    },
    async close() {
      await server?.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}
