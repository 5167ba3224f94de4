import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openEmbeddedDatabase, openServerDatabase } from '../db/database.ts';
import { prepareDatabase } from '../prepare-database.ts';
import { baseDatabaseName, createServerDatabase, dropAbandonedTestDatabases, dropServerDatabase, dropServerDatabasesWithPrefix, serverDatabaseUrl } from './server-databases.ts';
import { repositoryRoot, templateFingerprint } from './template-cache.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: { backend: 'embedded'; templatePath: string } | { backend: 'server'; baseUrl: string; template: string; prefix: string };
  }
}

/**
 * Runs once per `npm test`: builds one migrated and seeded database that every test worker copies.
 * Embedded: a dumped PGlite data folder, cached in .cache/ while migrations and sample data are
 * unchanged. Server (DATABASE_URL set): a template database on that server.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const base = baseDatabaseName(databaseUrl).replace(/[^a-z0-9_]/g, '_');
    // One prefix per run (several runs may share a server); leftovers of dead runs are removed.
    await dropAbandonedTestDatabases(databaseUrl, `${base}_test_`);
    const prefix = `${base}_test_${process.pid}_`;
    const template = `${prefix}template`;
    await createServerDatabase(databaseUrl, template);
    const handle = await openServerDatabase(serverDatabaseUrl(databaseUrl, template), { poolSize: 2, timeouts: { statementMs: 0 } });
    try {
      await prepareDatabase(handle, { seed: true });
    } finally {
      await handle.close();
    }
    project.provide('testDatabase', { backend: 'server', baseUrl: databaseUrl, template, prefix });
    return async () => {
      await dropServerDatabasesWithPrefix(databaseUrl, prefix);
      await dropServerDatabase(databaseUrl, template);
    };
  }

  const cacheDirectory = path.join(repositoryRoot, '.cache');
  const templatePath = path.join(cacheDirectory, `test-template-${templateFingerprint()}.tgz`);
  if (!fs.existsSync(templatePath)) {
    fs.mkdirSync(cacheDirectory, { recursive: true });
    // Templates of older inputs, unused for an hour (another run may still be reading a recent one).
    for (const old of fs.readdirSync(cacheDirectory)) {
      const file = path.join(cacheDirectory, old);
      if (old.startsWith('test-template-') && Date.now() - fs.statSync(file).mtimeMs > 3_600_000) fs.rmSync(file, { force: true });
    }
    const handle = await openEmbeddedDatabase({ dataDir: 'memory://' });
    try {
      await prepareDatabase(handle, { seed: true });
      const dump = await handle.dumpDataDir!();
      const temporary = `${templatePath}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, Buffer.from(await dump.arrayBuffer()));
      fs.renameSync(temporary, templatePath);
    } finally {
      await handle.close();
    }
  }
  project.provide('testDatabase', { backend: 'embedded', templatePath });
  return async () => {};
}
