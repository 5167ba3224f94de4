import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { openEmbeddedDatabase, openServerDatabase, type DatabaseHandle } from '../db/database.ts';
import { createServerDatabase, dropServerDatabase, serverDatabaseUrl } from './server-databases.ts';

let shared: Promise<DatabaseHandle> | undefined;

/**
 * The migrated, seeded database this test worker shares between its test files (opening one costs
 * seconds). Tests that share it create their own rows with unique codes and never change what others
 * read (e.g. never replace the boundary set in force): those use `createTestDatabase()`.
 */
export function getSharedTestDatabase(): Promise<DatabaseHandle> {
  shared ??= openCopy('shared');
  return shared;
}

export interface TestDatabase extends DatabaseHandle {
  /** Environment variables that let a child process (a CLI under test) reach this database; undefined for an in-memory one. */
  readonly childEnvironment: Record<string, string> | undefined;
  /** Closes the connection and deletes the copy. */
  close(): Promise<void>;
}

/** A private copy of the seeded database (or an empty one, without even PostGIS, with `empty`). */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  return openCopy(randomBytes(4).toString('hex'), options.empty === true);
}

async function openCopy(label: string, empty = false): Promise<TestDatabase> {
  const target = inject('testDatabase');
  if (target.backend === 'embedded') {
    const handle = await openEmbeddedDatabase({
      dataDir: 'memory://',
      ...(empty ? {} : { loadDataDir: new Blob([fs.readFileSync(target.templatePath)]) }),
    });
    return Object.assign(handle, { childEnvironment: undefined });
  }
  const name = `${target.prefix}w${process.pid}_${label}`;
  await createServerDatabase(target.baseUrl, name, empty ? undefined : target.template);
  const url = serverDatabaseUrl(target.baseUrl, name);
  const handle = await openServerDatabase(url, { poolSize: 5 });
  return {
    ...handle,
    childEnvironment: { DATABASE_URL: url },
    async close() {
      await handle.close();
      await dropServerDatabase(target.baseUrl, name);
    },
  };
}
