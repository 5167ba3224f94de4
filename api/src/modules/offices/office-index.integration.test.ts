import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, startTestServer, type TestDatabase, type TestServer } from '../../testing/index.ts';
import { CURRENT_BOUNDARY_SET } from '../imports/sample-data.ts';
import { attachOfficeIndex, type OfficeIndex } from './office-index.ts';
import { findCoveringOffices } from './offices.repository.ts';
import { currentOfficeCoverage, upsertOffices } from './offices.service.ts';

let database: TestDatabase;
let index: OfficeIndex;
let detach: () => Promise<void>;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ index, detach } = attachOfficeIndex(database));
  server = await startTestServer(database);
  await vi.waitFor(() => expect(index.state).toBe('ready'), { timeout: 60_000, interval: 50 });
});
afterAll(async () => {
  await server?.close();
  await detach?.();
  await database?.close();
});

describe('the office index (offices’ areas in memory, for routing)', () => {
  it('answers every set, unit list and responsibility exactly as findCoveringOffices', async () => {
    const coverage = await currentOfficeCoverage(database.db);
    expect(coverage).toBeDefined();
    const units = await sql<{ set_id: string; commune: string; district: string | null; province: string }>`
      SELECT s.id AS set_id, u.code AS commune, d.code AS district, p.code AS province
      FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
      LEFT JOIN admin_unit d ON d.id = u.parent_id AND d.level = 'district'
      JOIN admin_unit p ON p.boundary_set_id = s.id AND p.level = 'province'
      WHERE u.level IN ('commune', 'ward', 'town') ORDER BY s.name, u.code`.execute(database.db);
    const responsibilities = await sql<{ name: string }>`SELECT DISTINCT unnest(responsibilities) AS name FROM office ORDER BY 1`.execute(database.db);
    expect(units.rows.length).toBeGreaterThan(40);
    expect(responsibilities.rows.length).toBeGreaterThan(2);
    let found = 0;
    for (const unit of units.rows) {
      const codes = [unit.commune, unit.district, unit.province].filter((code): code is string => code !== null);
      for (const responsibility of [null, 'nobody-has-this', ...responsibilities.rows.map((row) => row.name)]) {
        const expected = await findCoveringOffices(database.db, unit.set_id, codes, responsibility);
        found += expected.length;
        expect(coverage!.covering(unit.set_id, codes, responsibility), `${unit.commune} ${responsibility}`).toEqual(expected);
      }
    }
    expect(found).toBeGreaterThan(100);
  }, 180_000);

  it('routes to a new office at once after upsertOffices, and answers from memory again once rebuilt', async () => {
    const centre = 'lon=103.0169&lat=21.3860';
    const before = await (await fetch(`${server.baseUrl}/api/reports/routing-preview?${centre}&category=water_supply`)).json();
    expect(before.commune.code).toMatch(/^\d{5}$/);
    await upsertOffices(database.db, [
      {
        code: 'AAA-TEST-WATER',
        name: 'Đội cấp nước thử nghiệm',
        kind: 'utility',
        responsibilities: ['water'],
        covers: { set: CURRENT_BOUNDARY_SET, unit_codes: [before.commune.code] },
      },
    ]);
    // The count was bumped with the write: the snapshot from before is not used.
    const immediately = await currentOfficeCoverage(database.db);
    expect(immediately).toBeUndefined();
    const after = await (await fetch(`${server.baseUrl}/api/reports/routing-preview?${centre}&category=water_supply`)).json();
    expect(after.office.code).toBe('AAA-TEST-WATER');

    await vi.waitFor(() => expect(index.state).toBe('ready'), { timeout: 60_000, interval: 50 });
    const coverage = await currentOfficeCoverage(database.db);
    expect(coverage).toBeDefined();
    const setId = (await sql<{ id: string }>`SELECT id FROM boundary_set WHERE name = ${CURRENT_BOUNDARY_SET}`.execute(database.db)).rows[0]!.id;
    expect(coverage!.covering(setId, [before.commune.code], 'water').map((office) => office.code)).toContain('AAA-TEST-WATER');
    const again = await (await fetch(`${server.baseUrl}/api/reports/routing-preview?${centre}&category=water_supply`)).json();
    expect(again).toEqual(after);
  });
});
