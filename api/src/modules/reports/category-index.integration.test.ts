import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, startTestServer, type TestDatabase, type TestServer } from '../../testing/index.ts';
import { attachCategoryIndex, findCategory, type CategoryIndex } from './category-index.ts';
import * as rules from './report-rules.repository.ts';

let database: TestDatabase;
let index: CategoryIndex;
let detach: () => Promise<void>;
let server: TestServer;

const ready = () => vi.waitFor(() => expect(index.state).toBe('ready'), { timeout: 60_000, interval: 50 });
/** The index once it is current again after a write (its notification heard and the rebuild done). */
const current = () =>
  vi.waitFor(
    async () => {
      const categories = await index.current();
      expect(categories).toBeDefined();
      return categories!;
    },
    { timeout: 60_000, interval: 50 },
  );
const counter = async (source: string) =>
  Number((await sql<{ version: string }>`SELECT version FROM tile_source_version WHERE source = ${source}`.execute(database.db)).rows[0]?.version ?? -1);
const CENTRE = 'lon=103.0169&lat=21.3860';
const preview = (category: string) => fetch(`${server.baseUrl}/api/reports/routing-preview?${CENTRE}&category=${category}`);

beforeAll(async () => {
  database = await createTestDatabase();
  ({ index, detach } = attachCategoryIndex(database));
  server = await startTestServer(database);
  await ready();
});
afterAll(async () => {
  await server?.close();
  await detach?.();
  await database?.close();
});

describe('the category index (report categories in memory, for routing)', () => {
  it('answers every category, active or not, exactly as the database, and nothing for an unknown code', async () => {
    await sql`UPDATE report_category SET active = false WHERE code = 'public_lighting'`.execute(database.db);
    await current();
    const all = await rules.listCategories(database.db, true);
    expect(all.length).toBeGreaterThan(5);
    expect(all.some((category) => !category.active)).toBe(true);
    for (const category of all) expect(await findCategory(database.db, category.code)).toEqual(category);
    expect(await findCategory(database.db, 'no_such_category')).toBeUndefined();
    await sql`UPDATE report_category SET active = true WHERE code = 'public_lighting'`.execute(database.db);
  });

  it('sees a category switched off in psql at once (the trigger counts it), before it has rebuilt', async () => {
    await ready();
    expect((await preview('roads_pavements')).status).toBe(200);
    const builds = index.builds;
    await sql`UPDATE report_category SET active = false WHERE code = 'roads_pavements'`.execute(database.db);
    // The counter moved with the commit: the snapshot from before is refused, the database answers.
    const refused = await preview('roads_pavements');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('roads_pavements');
    expect((await current()).get('roads_pavements')?.active).toBe(false);
    expect(index.builds).toBeGreaterThan(builds);
    expect((await preview('roads_pavements')).status).toBe(400);
    await sql`UPDATE report_category SET active = true WHERE code = 'roads_pavements'`.execute(database.db);
    expect((await preview('roads_pavements')).status).toBe(200);
  });

  it('counts a change of a priority (a category carries its deadline), and not a statement that changes nothing', async () => {
    await ready();
    const before = await counter('report_rules');
    await rules.insertMissingDefaultRules(database.db);
    await sql`UPDATE report_priority SET resolve_working_minutes = resolve_working_minutes WHERE code = 'no-such-priority'`.execute(database.db);
    expect(await counter('report_rules')).toBe(before);
    await sql`UPDATE report_priority SET resolve_working_minutes = resolve_working_minutes + 60 WHERE code = 'urgent'`.execute(database.db);
    expect(await counter('report_rules')).toBe(before + 1);
    const urgent = await rules.findPriority(database.db, 'urgent');
    const expected = { default_priority: 'urgent', priority_resolve_working_minutes: urgent.resolve_working_minutes };
    // Right after the commit: either not current (the database answers) or already rebuilt, never the old minutes.
    expect(await findCategory(database.db, 'power_lines')).toMatchObject(expected);
    const atOnce = await index.current();
    if (atOnce) expect(atOnce.get('power_lines')).toMatchObject(expected);
    expect((await current()).get('power_lines')).toMatchObject(expected);
  });

  it('routes by an office edited in psql at once (office and office_coverage are counted too)', async () => {
    const before = await (await preview('water_supply')).json();
    expect(before.office.code).toBeTruthy();
    const officeCounter = await counter('office');
    // The office that receives it now loses the responsibility for it: the commune's committee answers.
    const category = (await rules.findCategory(database.db, 'water_supply'))!;
    expect(category.responsibility).toBe('water');
    await sql`UPDATE office SET responsibilities = array_remove(responsibilities, ${category.responsibility}) WHERE code = ${before.office.code}`.execute(database.db);
    expect(await counter('office')).toBe(officeCounter + 1);
    const after = await (await preview('water_supply')).json();
    expect(after.office.code).not.toBe(before.office.code);
    await sql`UPDATE office SET responsibilities = array_append(responsibilities, ${category.responsibility}) WHERE code = ${before.office.code}`.execute(database.db);
    expect((await (await preview('water_supply')).json()).office.code).toBe(before.office.code);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('the category index while its listener reconnects (server backend)', () => {
  it('asks the database meanwhile, and a change made while no one listened is in the rebuilt index', async () => {
    await current();
    const terminated = await sql<{ terminated: boolean }>`
      SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'bandoso:listen'`.execute(database.db);
    expect(terminated.rows.map((row) => row.terminated)).toEqual([true]);
    // Written while the notification connection is down: its notification is never heard.
    await sql`UPDATE report_category SET active = false WHERE code = 'waste_environment'`.execute(database.db);
    if (database.notificationState() !== 'listening') expect(await index.current()).toBeUndefined();
    expect((await preview('waste_environment')).status).toBe(400);
    // Back: the reconnect rebuilds, and the rebuilt index has the change.
    await vi.waitFor(() => expect(database.notificationState()).toBe('listening'), { timeout: 30_000, interval: 50 });
    expect((await current()).get('waste_environment')?.active).toBe(false);
    expect((await preview('waste_environment')).status).toBe(400);
    await sql`UPDATE report_category SET active = true WHERE code = 'waste_environment'`.execute(database.db);
    expect((await preview('waste_environment')).status).toBe(200);
  });
});
