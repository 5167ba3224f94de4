import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { errorBodySchema, heritageSiteListSchema, heritageSiteSchema, type HeritageSite } from '@bandoso/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, createTestDatabase, createTestUser, databaseFingerprint, rawRequest, startTestServer, type TestDatabase, type TestServer } from '../../testing/index.ts';
import { enuFrameToEcef } from '@bandoso/gis-data/heritage';
import { sampleStops } from './heritage-test-support.ts';

/**
 * The heritage API, its admin edit and the tileset files, over HTTP on a real server and a database
 * of its own (the admin tests change tours). The generated tilesets are the sample data's.
 */
let database: TestDatabase;
let server: TestServer;
let mediaDir: string;
const generated = ['DT-A1', 'DT-HAM-DE-CASTRIES', 'DT-TUONG-DAI', 'DT-MUONG-PHANG'];

beforeAll(async () => {
  database = await createTestDatabase();
  mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bandoso-heritage-media-'));
  server = await startTestServer(database, { MEDIA_DIR: mediaDir });
});
afterAll(async () => {
  await server?.close();
  await database?.close();
  if (mediaDir) fs.rmSync(mediaDir, { recursive: true, force: true });
});

async function getJson(pathname: string, expectedStatus = 200): Promise<unknown> {
  const response = await fetch(`${server.baseUrl}${pathname}`);
  expect(response.status, pathname).toBe(expectedStatus);
  return response.json();
}

async function site(code: string): Promise<HeritageSite> {
  return heritageSiteSchema.parse(await getJson(`/api/heritage/${code}`));
}

describe('GET /api/heritage and /api/heritage/{code}', () => {
  it('lists every site, those with a tileset first, then by name', async () => {
    const { sites } = heritageSiteListSchema.parse(await getJson('/api/heritage'));
    expect(sites.length).toBeGreaterThanOrEqual(12);
    const withTileset = sites.filter((item) => item.tileset !== null);
    expect(withTileset.map((item) => item.code).sort()).toEqual([...generated].sort());
    expect(sites.slice(0, withTileset.length).every((item) => item.tileset !== null)).toBe(true);
    // The others by their folded name (the database's collation decides, as for every list here).
    const byName = await database.db.selectFrom('heritage_site').select('code').where('tileset_version', 'is', null).orderBy('name_folded').orderBy('code').execute();
    expect(sites.slice(withTileset.length).map((item) => item.code)).toEqual(byName.map((row) => row.code));
    for (const item of withTileset) {
      expect(item.tileset).toMatchObject({ source: 'generated', illustrative: true });
      expect(item.tileset!.url).toBe(`${server.baseUrl}/heritage/tilesets/${item.code}/${item.tileset!.version}/tileset.json`);
      expect(item.stops, item.code).toBeGreaterThanOrEqual(5);
    }
  });

  it('answers one site with its tour, in order', async () => {
    const a1 = await site('DT-A1');
    expect(a1.name.vi).toBe('Đồi A1');
    expect(a1.rank).toBe('special_national');
    expect(a1.position).toEqual([103.0245, 21.3828]);
    expect(a1.openingHours).toMatch(/07:00/);
    expect(a1.stops.map((stop) => stop.ordinal)).toEqual(a1.stops.map((_, index) => index + 1));
    expect(a1.stops.length).toBeGreaterThanOrEqual(5);
    for (const stop of a1.stops) expect(stop.title.vi && stop.title.en && stop.narration.vi && stop.narration.en).toBeTruthy();
    const other = await site('DT-HIM-LAM');
    expect(other.tileset).toBeNull();
  });

  it('answers 404 with a message in both languages for an unknown code, 400 for a malformed one', async () => {
    const unknown = errorBodySchema.parse(await getJson('/api/heritage/DT-NO-SUCH-SITE', 404));
    expect(unknown.error.message).toMatch(/No heritage site has the code DT-NO-SUCH-SITE/);
    expect(unknown.error.messageVi).toMatch(/Không có di tích nào mang mã DT-NO-SUCH-SITE/);
    const malformed = errorBodySchema.parse(await getJson('/api/heritage/DT%20A1!', 400));
    expect(malformed.error.message).toMatch(/code: a heritage site code is/);
  });
});

describe('PUT /api/admin/heritage/{code}/stops', () => {
  const put = (token: string | null, code: string, body: unknown) =>
    fetch(`${server.baseUrl}/api/admin/heritage/${code}/stops`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('is for admins only: 401 without an account, 403 for other roles', async () => {
    expect((await put(null, 'DT-TUONG-DAI', { stops: sampleStops(2) })).status).toBe(401);
    for (const role of ['citizen', 'officer', 'planner'] as const) {
      const token = await bearerToken(server.baseUrl, await createTestUser(database.db, role, role === 'officer' ? 'UBND-03127' : null));
      expect((await put(token, 'DT-TUONG-DAI', { stops: sampleStops(2) })).status, role).toBe(403);
    }
  });

  it('refuses a bad tour with a message that names the problem, and changes nothing', async () => {
    const token = await bearerToken(server.baseUrl, await createTestUser(database.db, 'admin'));
    const before = await databaseFingerprint(database.db);
    const cases: Array<[string, unknown, RegExp]> = [
      ['ordinals with a gap', { stops: sampleStops(3).map((stop, index) => ({ ...stop, ordinal: index === 2 ? 4 : stop.ordinal })) }, /ordinals must be 1 to 3, each once \(got 1, 2, 4\)/],
      ['a camera too far away', { stops: sampleStops(2).map((stop, index) => (index === 1 ? { ...stop, camera: { ...stop.camera, position: [1200, 300, 50] } } : stop)) }, /stop 2: the camera stands 1236\.9 m from the site's point; it must be within 1000 m/],
      ['a camera underground', { stops: sampleStops(1).map((stop) => ({ ...stop, camera: { ...stop.camera, position: [10, 10, -80] } })) }, /the camera is -80 m up; it must be between -50 and 1500 m/],
      ['a target too far away', { stops: sampleStops(1).map((stop) => ({ ...stop, camera: { ...stop.camera, target: [0, 2000, 0] } })) }, /looks at a point 2000 m from the site's point/],
      ['an English narration of spaces', { stops: sampleStops(1).map((stop) => ({ ...stop, narration: { vi: 'Có', en: '   ' } })) }, /stops\.0\.narration\.en: narration\.en must not be empty/],
      ['no stop', { stops: [] }, /a tour has 1 to 30 stops/],
      ['31 stops', { stops: sampleStops(31) }, /a tour has 1 to 30 stops/],
      ['stops that are not a list', { stops: 'x' }, /stops/],
    ];
    for (const [what, body, message] of cases) {
      const response = await put(token, 'DT-TUONG-DAI', body);
      expect(response.status, what).toBe(400);
      const error = errorBodySchema.parse(await response.json()).error;
      expect(error.code, what).toBe('VALIDATION_FAILED');
      expect(error.message, what).toMatch(message);
      expect(error.messageVi, what).toBeTruthy();
    }
    const vietnamese = errorBodySchema.parse(await (await put(token, 'DT-TUONG-DAI', cases[1]![1])).json()).error.messageVi;
    expect(vietnamese).toMatch(/máy quay đặt cách điểm di tích 1236\.9 m; phải trong vòng 1000 m/);
    expect((await put(token, 'DT-NO-SUCH-SITE', { stops: sampleStops(2) })).status).toBe(404);
    expect(await databaseFingerprint(database.db)).toEqual(before);
  });

  it('replaces the tour in one go and answers the site', async () => {
    const token = await bearerToken(server.baseUrl, await createTestUser(database.db, 'admin'));
    const stops = sampleStops(3).reverse(); // any order; ordinals decide
    stops[0]!.title.vi = '  Chân tượng đài  ';
    const response = await put(token, 'DT-TUONG-DAI', { stops });
    expect(response.status).toBe(200);
    const answered = heritageSiteSchema.parse(await response.json());
    expect(answered.stops.map((stop) => stop.ordinal)).toEqual([1, 2, 3]);
    expect(answered.stops[2]!.title.vi).toBe('Chân tượng đài');
    expect(answered.tileset?.source).toBe('generated');
    expect((await site('DT-TUONG-DAI')).stops).toEqual(answered.stops);
  });
});

describe('GET /heritage/tilesets/{code}/{version}/…', () => {
  let a1: HeritageSite;
  let base: string;
  beforeAll(async () => {
    a1 = await site('DT-A1');
    base = new URL(a1.tileset!.url).pathname.replace(/tileset\.json$/, '');
  });

  it('serves tileset.json as JSON: strong ETag, a year of caching, gzip when accepted, CORS', async () => {
    const plain = await rawRequest(server.baseUrl, `${base}tileset.json`, { headers: { 'Accept-Encoding': 'identity', Origin: 'https://viewer.example' } });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['access-control-allow-origin']).toBe('*');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(plain.headers.vary).toMatch(/Accept-Encoding/);
    const tileset = JSON.parse(plain.body.toString('utf8'));
    expect(tileset.asset.version).toBe('1.1');

    const gzipped = await rawRequest(server.baseUrl, `${base}tileset.json`, { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.etag).not.toBe(plain.headers.etag);
    expect(gzipped.headers.etag).not.toMatch(/^W\//);
    expect(zlib.gunzipSync(gzipped.body).equals(plain.body)).toBe(true);
    expect(gzipped.body.byteLength).toBeLessThan(plain.body.byteLength);

    for (const etag of [plain.headers.etag!, gzipped.headers.etag!, `W/${plain.headers.etag!}`, `"other", ${plain.headers.etag!}`]) {
      const revalidated = await rawRequest(server.baseUrl, `${base}tileset.json`, { headers: { 'If-None-Match': etag, 'Accept-Encoding': 'gzip' } });
      expect(revalidated.status, etag).toBe(304);
      expect(revalidated.body.byteLength).toBe(0);
      expect(revalidated.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    expect((await rawRequest(server.baseUrl, `${base}tileset.json`, { headers: { 'If-None-Match': '"stale"' } })).status).toBe(200);
  });

  it('serves every content as model/gltf-binary, not gzipped, and answers HEAD and OPTIONS', async () => {
    const tileset = JSON.parse((await rawRequest(server.baseUrl, `${base}tileset.json`)).body.toString('utf8'));
    const uris: string[] = [];
    const walk = (tile: { content?: { uri: string }; children?: unknown[] }) => {
      if (tile.content) uris.push(tile.content.uri);
      for (const child of tile.children ?? []) walk(child as typeof tile);
    };
    walk(tileset.root);
    expect(uris.length).toBeGreaterThanOrEqual(2);
    for (const uri of uris) {
      const content = await rawRequest(server.baseUrl, `${base}${uri}`, { headers: { 'Accept-Encoding': 'gzip' } });
      expect(content.status, uri).toBe(200);
      expect(content.headers['content-type'], uri).toBe('model/gltf-binary');
      expect(content.headers['content-encoding'], uri).toBeUndefined();
      expect(content.body.subarray(0, 4).toString('latin1'), uri).toBe('glTF');
      expect(content.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(Number(content.headers['content-length'])).toBe(content.body.byteLength);
    }
    const head = await rawRequest(server.baseUrl, `${base}${uris[0]}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.byteLength).toBe(0);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    const preflight = await rawRequest(server.baseUrl, `${base}tileset.json`, { method: 'OPTIONS', headers: { Origin: 'https://viewer.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'if-none-match' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toMatch(/GET/);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/If-None-Match/i);
  });

  it('places the tileset at the site’s position in the database', async () => {
    const tileset = JSON.parse((await rawRequest(server.baseUrl, `${base}tileset.json`)).body.toString('utf8'));
    const row = await database.db
      .selectFrom('heritage_site')
      .select((eb) => [eb.fn<number>('ST_X', ['location']).as('lon'), eb.fn<number>('ST_Y', ['location']).as('lat')])
      .where('code', '=', 'DT-A1')
      .executeTakeFirstOrThrow();
    // The height of the frame above the ellipsoid is the generator's (the database has none).
    const expected = enuFrameToEcef(row.lon, row.lat, tileset.asset.extras.site.height);
    const transform: number[] = tileset.root.transform;
    expect(transform).toHaveLength(16);
    transform.forEach((value, index) => {
      const scale = Math.max(1, Math.abs(expected[index]!));
      expect(Math.abs(value - expected[index]!) / scale, `transform[${index}]`).toBeLessThan(1e-6);
    });
  });

  it('serves only the current version, and no path outside the tileset', async () => {
    const version = a1.tileset!.version;
    const notFound = async (pathname: string) => {
      const response = await rawRequest(server.baseUrl, pathname);
      expect([400, 404], pathname).toContain(response.status);
      expect(response.headers['content-type'], pathname).toMatch(/application\/json/);
      expect(response.headers['cache-control'] ?? '', pathname).not.toMatch(/immutable/);
      expect(response.body.toString('utf8'), pathname).not.toMatch(/root:|"asset"/);
      return response;
    };
    expect((await notFound(`/heritage/tilesets/DT-A1/0123456789abcdef/tileset.json`)).status).toBe(404);
    expect((await notFound(`/heritage/tilesets/DT-HIM-LAM/${version}/tileset.json`)).status).toBe(404);
    expect((await notFound(`/heritage/tilesets/DT-A1/not-a-version/tileset.json`)).status).toBe(400);
    const wrongVersion = errorBodySchema.parse(JSON.parse((await notFound(`/heritage/tilesets/DT-A1/0123456789abcdef/tileset.json`)).body.toString('utf8')));
    expect(wrongVersion.error.message).toContain(`The current version of DT-A1 is ${version}`);
    for (const escape of [
      `${base}../../../../../../etc/passwd`,
      `${base}..%2F..%2F..%2F..%2Fetc%2Fpasswd`,
      `${base}%2e%2e/%2e%2e/package.json`,
      `${base}tiles/..%2F..%2F..%2F..%2F..%2Fpackage.json`,
      `${base}%2Fetc%2Fpasswd`,
      `${base}.stamp`,
      `${base}tiles%5C..%5Ctileset.json`,
      `${base}tiles/`,
      `${base}tiles`,
      `${base}tileset.json%00.png`,
      `${base}tileset.JSON.exe`,
    ]) {
      await notFound(escape);
    }
  });
});

describe('the OGC API and the tiles', () => {
  it('give heritage-sites features the absolute URL of their tileset (null without one)', async () => {
    const page = (await getJson('/ogc/collections/heritage-sites/items?limit=100')) as { features: Array<{ id: string; properties: Record<string, unknown> }> };
    const byCode = new Map(page.features.map((feature) => [feature.properties.code as string, feature.properties]));
    const a1 = await site('DT-A1');
    expect(byCode.get('DT-A1')!.tileset).toBe(a1.tileset!.url);
    expect(byCode.get('DT-A1')!.has_3d).toBe(true);
    expect(byCode.get('DT-HIM-LAM')!.tileset).toBeNull();
    expect(byCode.get('DT-HIM-LAM')!.has_3d).toBe(false);
    const one = (await getJson(`/ogc/collections/heritage-sites/items/${page.features.find((feature) => feature.properties.code === 'DT-A1')!.id}`)) as { properties: Record<string, unknown> };
    expect(one.properties.tileset).toBe(a1.tileset!.url);
  });
});
