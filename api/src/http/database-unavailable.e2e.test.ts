import { tileContaining } from '@bandoso/tiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startTestServer, type TestDatabase, type TestServer } from '../testing/index.ts';

const CITY = { lon: 103.0169, lat: 21.386 };

let database: TestDatabase;
let server: TestServer;
let cachedTile: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  const tile = tileContaining(CITY.lon, CITY.lat, 11);
  cachedTile = `/tiles/communes/${tile.z}/${tile.x}/${tile.y}.mvt`;
  expect((await fetch(`${server.baseUrl}${cachedTile}`)).status).toBe(200);
  // The database goes away under the running platform (here: its connection pool is closed, which
  // fails every later query the way a lost server does; the drills stop a real server).
  await database.close();
});
afterAll(() => server?.close());

async function expectUnavailable(path: string, init: RequestInit = {}) {
  const started = performance.now();
  const response = await fetch(`${server.baseUrl}${path}`, init);
  const text = await response.text();
  expect(response.status, `${path}: ${text}`).toBe(503);
  expect(response.headers.get('retry-after'), path).toBe('5');
  expect(performance.now() - started, path).toBeLessThan(5000);
  return { response, text };
}

describe('with the database unavailable', () => {
  it('answers 503 DATABASE_UNAVAILABLE with Retry-After on the API, in the usual error format', async () => {
    for (const path of ['/api/locate?lon=103.0169&lat=21.386', '/api/categories', '/api/reports', '/api/stats', '/api/planning/at?lon=103.0169&lat=21.386']) {
      const { text } = await expectUnavailable(path);
      const body = JSON.parse(text) as { error: { code: string; message: string; messageVi: string; requestId: string } };
      expect(body.error.code).toBe('DATABASE_UNAVAILABLE');
      expect(body.error.message).toMatch(/try again/);
      expect(body.error.messageVi).toMatch(/thử lại/);
      expect(body.error.requestId).toMatch(/\S/);
    }
  });

  it('refuses a report with 503 (the rate limit reads the database first) and stores nothing', async () => {
    const { text } = await expectUnavailable('/api/reports', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'unavailable-test-0001' },
      body: JSON.stringify({ category: 'public_lighting', description: 'Đèn đường hỏng', location: { type: 'Point', coordinates: [CITY.lon, CITY.lat] } }),
    });
    expect(JSON.parse(text).error.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('keeps serving a cached tile, and answers 503 for a tile it does not have', async () => {
    const cached = await fetch(`${server.baseUrl}${cachedTile}`);
    expect(cached.status).toBe(200);
    expect(cached.headers.get('x-tile-cache')).toBe('hit');
    const other = tileContaining(CITY.lon, CITY.lat, 13);
    const { text } = await expectUnavailable(`/tiles/communes/${other.z}/${other.x}/${other.y}.mvt`);
    expect(JSON.parse(text).error.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('answers 503 on OGC API – Features and TileJSON', async () => {
    await expectUnavailable('/ogc/collections/communes/items?limit=5');
    await expectUnavailable('/tiles/reports.json');
  });

  it('answers 503 on Open311, in the spec’s error format', async () => {
    const { response, text } = await expectUnavailable('/open311/v2/services.json');
    expect(response.headers.get('content-type')).toMatch(/json/);
    expect(JSON.parse(text)).toEqual([{ code: 503, description: expect.stringMatching(/try again/) }]);
  });

  it('refuses a live-feed stream with 503 instead of opening it empty', async () => {
    const { text } = await expectUnavailable('/api/reports/events');
    expect(JSON.parse(text).error.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('says so on /api/health within its timeout', async () => {
    const started = performance.now();
    const response = await fetch(`${server.baseUrl}/api/health`);
    expect(response.status).toBe(503);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await response.json()).toMatchObject({ status: 'unavailable', postgis: null });
  });
});
