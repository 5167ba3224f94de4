import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { getSharedTestDatabase, startTestServer, type TestServer } from '../../testing/index.ts';
import { CURRENT_BOUNDARY_SET, PRE_2025_BOUNDARY_SET } from '../imports/sample-data.ts';

let database: DatabaseHandle;
let server: TestServer;

beforeAll(async () => {
  database = await getSharedTestDatabase();
  server = await startTestServer(database);
});
afterAll(() => server.close());

async function locate(query: string) {
  const response = await fetch(`${server.baseUrl}/api/locate?${query}`);
  return { status: response.status, body: (await response.json()) as any };
}

describe('GET /api/locate on the sample data', () => {
  it('answers every 2025 unit at its own ST_PointOnSurface', async () => {
    const units = await sql<{ code: string; name: string; level: string; lon: number; lat: number }>`
      SELECT u.code, u.name, u.level, ST_X(ST_PointOnSurface(u.geom)) AS lon, ST_Y(ST_PointOnSurface(u.geom)) AS lat
      FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
      WHERE s.name = ${CURRENT_BOUNDARY_SET} AND u.level IN ('commune', 'ward', 'town')
      ORDER BY u.code`.execute(database.db);
    expect(units.rows).toHaveLength(45);
    for (const unit of units.rows) {
      const { status, body } = await locate(`lon=${unit.lon}&lat=${unit.lat}&at=2026-01-15`);
      expect(status, unit.name).toBe(200);
      expect(body.commune, unit.name).toEqual({ code: unit.code, name: unit.name, level: unit.level });
      expect(body.province).toEqual({ code: '11', name: 'Tỉnh Điện Biên' });
      expect(body.boundarySet).toEqual({ name: CURRENT_BOUNDARY_SET, validFrom: '2025-07-01', validTo: null });
    }
  });

  it('uses the set in force on the requested date: the city centre before and after 1 July 2025', async () => {
    const before = await locate('lon=103.0169&lat=21.3860&at=2025-06-30');
    expect(before.status).toBe(200);
    expect(before.body.boundarySet.name).toBe(PRE_2025_BOUNDARY_SET);
    expect(before.body.district).toEqual({ code: '094', name: 'Thành phố Điện Biên Phủ', level: 'district' });
    expect(before.body.commune.level).toBe('ward');

    const after = await locate('lon=103.0169&lat=21.3860&at=2025-07-01');
    expect(after.body.boundarySet.name).toBe(CURRENT_BOUNDARY_SET);
    expect(after.body.district).toBeNull();
    expect(after.body.commune.name).toMatch(/^Phường /);
  });

  it('reads a date-time in Vietnam time: 30 June 23:30 UTC is already 1 July in Điện Biên', async () => {
    const { body } = await locate(`lon=103.0169&lat=21.3860&at=${encodeURIComponent('2025-06-30T23:30:00Z')}`);
    expect(body.at).toBe('2025-07-01');
    expect(body.boundarySet.name).toBe(CURRENT_BOUNDARY_SET);
  });

  it('defaults to today', async () => {
    const { status, body } = await locate('lon=103.0169&lat=21.3860');
    expect(status).toBe(200);
    expect(body.boundarySet.name).toBe(CURRENT_BOUNDARY_SET);
  });

  it('answers 404 with a message outside the province (Hà Nội), and for swapped coordinates', async () => {
    const hanoi = await locate('lon=105.8542&lat=21.0285');
    expect(hanoi.status).toBe(404);
    expect(hanoi.body.error.code).toBe('OUTSIDE_PROVINCE');
    expect(hanoi.body.error.message).toMatch(/outside Điện Biên province/);
    expect(hanoi.body.error.messageVi).toMatch(/ngoài tỉnh Điện Biên/);
  });

  it('answers 404 when no boundary set was in force (before the province existed)', async () => {
    const { status, body } = await locate('lon=103.0169&lat=21.3860&at=1990-01-01');
    expect(status).toBe(404);
    expect(body.error.code).toBe('NO_BOUNDARY_SET');
  });

  it.each([
    ['missing lon', 'lat=21.38', /lon/],
    ['missing both', '', /lon.*lat|lat.*lon/],
    ['non-numeric lat', 'lon=103.01&lat=abc', /lat must be a decimal number/],
    ['hexadecimal', 'lon=0x67&lat=21.38', /lon must be a decimal number/],
    ['latitude out of range (swapped)', 'lon=21.38&lat=103.01', /swap/],
    ['longitude out of range', 'lon=200&lat=21.38', /lon must be between/],
    ['infinite', 'lon=1e400&lat=21.38', /lon must be between/],
    ['impossible date', 'lon=103.01&lat=21.38&at=2025-02-30', /at is not a real date/],
    ['month 13', 'lon=103.01&lat=21.38&at=2025-13-01', /at is not a real date/],
    ['month 13 in a date-time', `lon=103.01&lat=21.38&at=${encodeURIComponent('2025-13-01T08:00:00+07:00')}`, /at is not a real date/],
    ['not a date', 'lon=103.01&lat=21.38&at=yesterday', /ISO 8601/],
    ['repeated parameter', 'lon=103.01&lon=103.02&lat=21.38', /lon/],
  ])('answers 400 for %s', async (_name, query, message) => {
    const { status, body } = await locate(query);
    expect(status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toMatch(message);
    expect(body.error.requestId).toMatch(/\S/);
  });
});

describe('GET /api/health', () => {
  it('names the backend and the PostGIS version', async () => {
    const response = await fetch(`${server.baseUrl}/api/health`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({ status: 'ok', database: database.backend, postgis: expect.stringMatching(/^3\.\d+\.\d+/), notifications: 'listening' });
    expect(database.backend).toBe(process.env.DATABASE_URL ? 'server' : 'embedded');
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const response = await fetch(`${server.baseUrl}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('NOT_FOUND');
  });
});
