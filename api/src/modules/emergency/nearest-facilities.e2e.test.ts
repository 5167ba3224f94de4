import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { getSharedTestDatabase, startTestServer, type TestServer } from '../../testing/index.ts';

let database: DatabaseHandle;
let server: TestServer;

beforeAll(async () => {
  database = await getSharedTestDatabase();
  server = await startTestServer(database);
});
afterAll(() => server.close());

async function nearest(query: string) {
  const response = await fetch(`${server.baseUrl}/api/facilities/nearest?${query}`);
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

describe('GET /api/facilities/nearest on the sample data', () => {
  it('answers the provincial police for the city centre, with the distance in metres and the hotline', async () => {
    const { status, body } = await nearest('lon=103.0169&lat=21.3860&kind=police');
    expect(status).toBe(200);
    expect(body.kind).toBe('police');
    expect(body.hotline).toBe('113');
    expect(body.point).toEqual({ type: 'Point', coordinates: [103.0169, 21.386] });
    expect(body.facilities.length).toBeGreaterThanOrEqual(1);
    expect(body.facilities.length).toBeLessThanOrEqual(3);
    const first = body.facilities[0];
    expect(first).toMatchObject({ code: 'FAC-001', name: 'Công an tỉnh Điện Biên', kind: 'police', hotline: '113' });
    expect(first.location.type).toBe('Point');
    // FAC-001 is at (103.0205, 21.3895): about 0.0036° east and 0.0035° north, ≈ 525 m.
    expect(first.distanceM).toBeGreaterThan(450);
    expect(first.distanceM).toBeLessThan(600);
    for (const facility of body.facilities) expect(facility.kind).toBe('police');
    const distances = body.facilities.map((facility: { distanceM: number }) => facility.distanceM);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });

  it('orders exactly as a full scan by geodesic distance would, from every commune seat, for every kind', async () => {
    const seats = await sql<{ code: string; lon: number; lat: number }>`
      SELECT code, ST_X(admin_center) AS lon, ST_Y(admin_center) AS lat FROM admin_unit
      WHERE admin_center IS NOT NULL AND level IN ('commune', 'ward', 'town') ORDER BY code LIMIT 45`.execute(database.db);
    expect(seats.rows.length).toBeGreaterThan(10);
    for (const kind of ['police', 'fire', 'hospital', 'clinic'] as const) {
      for (const seat of seats.rows) {
        const expected = await sql<{ code: string }>`
          SELECT code FROM emergency_facility WHERE kind = ${kind}
          ORDER BY ST_Distance(location::geography, ST_SetSRID(ST_MakePoint(${seat.lon}::float8, ${seat.lat}::float8), 4326)::geography), code
          LIMIT 2`.execute(database.db);
        const { status, body } = await nearest(`lon=${seat.lon}&lat=${seat.lat}&kind=${kind}&limit=2`);
        expect(status).toBe(200);
        expect(body.facilities.map((facility: { code: string }) => facility.code), `${kind} from ${seat.code}`).toEqual(expected.rows.map((row) => row.code));
      }
    }
  });

  it('answers limit facilities at most, and an empty list far from any (the hotline still works)', async () => {
    const many = await nearest('lon=103.0169&lat=21.3860&kind=hospital&limit=20');
    expect(many.status).toBe(200);
    const total = await database.db.selectFrom('emergency_facility').select(sql<number>`count(*)`.as('n')).where('kind', '=', 'hospital').executeTakeFirstOrThrow();
    expect(many.body.facilities).toHaveLength(Math.min(20, total.n));
    const one = await nearest('lon=103.0169&lat=21.3860&kind=fire&limit=1');
    expect(one.body.facilities).toHaveLength(1);
    expect(one.body.hotline).toBe('114');
    // Hà Nội: far outside the province, but the nearest station is still the nearest station.
    const far = await nearest('lon=105.8542&lat=21.0285&kind=fire');
    expect(far.status).toBe(200);
    expect(far.body.facilities[0].distanceM).toBeGreaterThan(200_000);
  });

  it.each([
    ['missing kind', 'lon=103.01&lat=21.38', /kind/],
    ['unknown kind', 'lon=103.01&lat=21.38&kind=bakery', /kind must be one of police, fire, hospital, clinic/],
    ['missing lon', 'lat=21.38&kind=police', /lon/],
    ['non-numeric lat', 'lon=103.01&lat=abc&kind=police', /lat must be a decimal number/],
    ['swapped coordinates', 'lon=21.38&lat=103.01&kind=police', /swap/],
    ['limit zero', 'lon=103.01&lat=21.38&kind=police&limit=0', /limit/],
    ['limit too large', 'lon=103.01&lat=21.38&kind=police&limit=500', /limit/],
    ['limit not a number', 'lon=103.01&lat=21.38&kind=police&limit=3.5', /limit/],
    ['repeated kind', 'lon=103.01&lat=21.38&kind=police&kind=fire', /kind/],
  ])('answers 400 for %s, naming the parameter', async (_name, query, message) => {
    const { status, body } = await nearest(query);
    expect(status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toMatch(message);
    expect(body.error.messageVi).toMatch(/không hợp lệ/);
  });
});

describe('the nearest-neighbour query plan', () => {
  it('uses the GiST index on location for the K-nearest-neighbour scan', async () => {
    // Small tables are scanned sequentially whatever the index; forbid that to see the index is usable.
    const plan = await database.db.connection().execute(async (connection) => {
      await sql`SET enable_seqscan = off`.execute(connection);
      try {
        const result = await sql<{ 'QUERY PLAN': string }>`
          EXPLAIN SELECT code FROM emergency_facility WHERE kind = 'police'
          ORDER BY location <-> ST_SetSRID(ST_MakePoint(103.0169, 21.386), 4326) LIMIT 16`.execute(connection);
        return result.rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await sql`RESET enable_seqscan`.execute(connection);
      }
    });
    expect(plan).toMatch(/emergency_facility_location_idx/);
  });
});
