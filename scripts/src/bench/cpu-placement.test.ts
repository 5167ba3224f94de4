import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { baseDatabaseName } from '../../../api/src/testing/server-databases.ts';
import { createTestDatabase, type TestDatabase } from '../../../api/src/testing/index.ts';
import { allowedCores, separateDatabase, separatePlacementUnavailable } from './cpu-placement.ts';

/** "0-2,5" → [0, 1, 2, 5], written out here so the test does not trust the module's parser. */
function expandForTest(list: string): number[] {
  const cores: number[] = [];
  for (const range of list.split(',')) {
    const [first, last] = range.includes('-') ? range.split('-').map(Number) : [Number(range), Number(range)];
    for (let core = first!; core <= last!; core += 1) cores.push(core);
  }
  return cores;
}

// The benchmark's "database on a core of its own": only where a PostgreSQL server runs on this
// machine and its processes may be moved (CI's server pass runs as root).
describe('CPU placement of the tile benchmark', () => {
  let database: TestDatabase | undefined;
  let name = '';
  let unavailable: string | undefined = 'the embedded database has no PostgreSQL processes';

  beforeAll(async () => {
    if (inject('testDatabase').backend !== 'server') return; // not worth booting a PGlite to skip
    database = await createTestDatabase({ empty: true });
    name = baseDatabaseName(database.childEnvironment!.DATABASE_URL!);
    await sql`SELECT 1`.execute(database.db); // a backend of this database exists
    unavailable = separatePlacementUnavailable(name);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('moves only the backends of one database to the first core, the benchmark to the others, and gives every process its cores back', async (context) => {
    if (unavailable) {
      console.log(`CPU placement not tested: ${unavailable}`);
      context.skip();
    }
    const backend = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(database!.db)).rows[0]!.pid;
    const postmaster = Number(fs.readFileSync(`/proc/${backend}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    const before = { backend: allowedCores(backend), own: allowedCores(process.pid), postmaster: allowedCores(postmaster) };
    const [first, ...others] = expandForTest(before.own);
    const placement = separateDatabase(name, []);
    try {
      expect(allowedCores(backend)).toBe(String(first));
      expect(expandForTest(allowedCores(process.pid))).toEqual(others);
      // The postmaster, which forks every new backend, is left alone.
      expect(allowedCores(postmaster)).toBe(before.postmaster);
    } finally {
      placement.release();
    }
    expect({ backend: allowedCores(backend), own: allowedCores(process.pid), postmaster: allowedCores(postmaster) }).toEqual(before);
  });
});
