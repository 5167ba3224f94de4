import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openServerDatabase } from './database.ts';
import { createTestDatabase, type TestDatabase } from '../testing/index.ts';

/**
 * An operator's own backup of the server's database, with PostgreSQL's tools and nothing of ours:
 * `pg_dump --format=custom`, then a plain `pg_restore` into an empty database. It failed with
 * `type "geometry" does not exist` (pg_restore empties search_path, and camera.fov's generated
 * column calls a function that names PostGIS's types without a schema) until migration 0015.
 */
const why = process.env.DATABASE_URL ? undefined : 'pg_dump and pg_restore work on a PostgreSQL server: set DATABASE_URL';
if (why) console.info(`plain pg_dump / pg_restore not tested: ${why}`);

describe.skipIf(Boolean(why))('pg_dump and a plain pg_restore of the platform’s database', () => {
  const opened: TestDatabase[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bandoso-pgdump-'));
  afterAll(async () => {
    for (const database of opened) await database.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('restores every camera with its computed field of view', { timeout: 120_000 }, async () => {
    const source = await createTestDatabase();
    opened.push(source);
    const target = await createTestDatabase({ empty: true });
    opened.push(target);
    const sourceUrl = source.childEnvironment!.DATABASE_URL!;
    const targetUrl = target.childEnvironment!.DATABASE_URL!;
    const dump = path.join(scratch, 'platform.dump');
    execFileSync('pg_dump', ['--format=custom', '--no-password', `--file=${dump}`, `--dbname=${sourceUrl}`], { stdio: 'pipe' });
    // --exit-on-error: the failure this guards against was one error among many statements.
    execFileSync('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${targetUrl}`, dump], { stdio: 'pipe' });
    const restored = await openServerDatabase(targetUrl);
    try {
      const count = async (db: typeof source.db) => (await sql<{ cameras: number; fovs: string }>`SELECT count(*)::int AS cameras, string_agg(md5(ST_AsBinary(fov)), ',' ORDER BY code) AS fovs FROM camera`.execute(db)).rows[0]!;
      const before = await count(source.db);
      expect(before.cameras).toBeGreaterThan(0);
      expect(await count(restored.db)).toEqual(before);
    } finally {
      await restored.close();
    }
  });
});
