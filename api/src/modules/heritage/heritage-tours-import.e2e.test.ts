import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database-schema.ts';
import { prepareDatabase } from '../../prepare-database.ts';
import { createCliTestDatabase, databaseFingerprint, runEntryPoint, type CliTestDatabase } from '../../testing/index.ts';
import { importReferenceFile } from '../imports/imports.service.ts';
import { sampleDataDirectory } from '../imports/sample-data.ts';
import { importTours } from './heritage-tours.service.ts';
import { toursFileSchema, type ToursFile } from './heritage.schema.ts';

/**
 * `npm run import -- heritage-tours`, as users run it (a child process on the database): what a
 * database created before the tours existed (migration 0010 adds them; seeding runs only on an empty
 * database) needs to get the sample tours, or an edited file of them, all sites or none.
 */
const cli = 'api/src/cli/import-cli.ts';
const sampleTours = path.join(sampleDataDirectory, 'heritage-tours.json');
let target: CliTestDatabase;
let tours: ToursFile;

beforeAll(async () => {
  target = await createCliTestDatabase('heritage-tours');
  tours = toursFileSchema.parse(JSON.parse(fs.readFileSync(sampleTours, 'utf8')));
  // The sample sites without any tour (a copy of the seeded database on a server: its tours removed).
  await target.use(async (database) => {
    await prepareDatabase(database, { seed: false });
    const report = await importReferenceFile(database.db, { layer: 'heritage-sites', source: { path: `${sampleDataDirectory}heritage-sites.geojson` } });
    expect(report.status).toBe('imported');
    await sql`DELETE FROM heritage_stop`.execute(database.db);
  });
}, 180_000);
afterAll(() => target?.close());

/** Stops per site, for the sites that have any. */
async function stopCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await sql<{ code: string; stops: number }>`SELECT s.code, count(t.*)::int AS stops FROM heritage_site s LEFT JOIN heritage_stop t ON t.site_id = s.id GROUP BY s.code HAVING count(t.*) > 0 ORDER BY s.code`.execute(db);
  return Object.fromEntries(rows.rows.map((row) => [row.code, row.stops]));
}

function writeFile(name: string, content: unknown): string {
  const file = path.join(target.scratch, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

// Each run of the command starts Node and tsx (seconds each): four runs, the rest in process.
describe('npm run import -- heritage-tours', { timeout: 240_000 }, () => {
  it('refuses a missing file argument with exit status 2, and a file that is not tours with 1', async () => {
    expect((await runEntryPoint(cli, ['heritage-tours'], target.environment)).code).toBe(2);
    const wrongShape = await runEntryPoint(cli, ['heritage-tours', writeFile('shape.json', { 'DT-A1': { stops: [{ ordinal: 1 }] } })], target.environment);
    expect(wrongShape.code).toBe(1);
    expect(wrongShape.stderr).toMatch(/is not a file of tours .*DT-A1\.stops\.0\.title/);
    expect(wrongShape.stderr).toMatch(/Nothing was changed/);
  });

  it('checks every site first and names every problem: a camera too far and an unknown site, and nothing is written', async () => {
    const bad: ToursFile = { ...structuredClone(tours), 'DT-NO-SUCH-SITE': tours['DT-A1']! };
    bad['DT-TUONG-DAI']!.stops[2]!.camera.position = [4000, 0, 50];
    const before = await target.use((database) => databaseFingerprint(database.db));
    const result = await runEntryPoint(cli, ['heritage-tours', writeFile('bad.json', bad)], target.environment);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Nothing was changed: the file has 2 problems\./);
    expect(result.stderr).toMatch(/DT-TUONG-DAI: stop 3: the camera stands 4000 m from the site's point; it must be within 1000 m/);
    expect(result.stderr).toMatch(/DT-NO-SUCH-SITE: No heritage site has the code DT-NO-SUCH-SITE/);
    expect(await target.use((database) => databaseFingerprint(database.db))).toEqual(before);
  });

  it('writes nothing in a dry run, then gives the sites their tours, and replaces only the sites of a later file', async () => {
    await target.use(async (database) => {
      expect(await importTours(database.db, tours, { dryRun: true })).toMatchObject({ status: 'valid', problems: [] });
      expect(await stopCounts(database.db)).toEqual({});
    });

    const imported = await runEntryPoint(cli, ['heritage-tours', sampleTours], target.environment);
    expect(imported.stderr).not.toMatch(/Error/);
    expect(imported.code).toBe(0);
    const expected = Object.fromEntries(Object.entries(tours).map(([code, tour]) => [code, tour.stops.length]));
    expect(imported.stdout).toContain(`DT-A1 (${expected['DT-A1']} stops)`);
    await target.use(async (database) => {
      expect(await stopCounts(database.db)).toEqual(expected);
      // A shorter tour for one site replaces its stops; the others keep theirs.
      expect((await importTours(database.db, { 'DT-A1': { stops: tours['DT-A1']!.stops.slice(0, 5) } })).status).toBe('imported');
      expect(await stopCounts(database.db)).toEqual({ ...expected, 'DT-A1': 5 });
    });
  });
});
