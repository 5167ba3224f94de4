import { cameraCollectionSchema, camerasSeeingSchema, cameraWatchSchema } from '@bandoso/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { bearerToken, createTestUser, getSharedTestDatabase, startTestServer, type TestServer } from '../../testing/index.ts';

let database: DatabaseHandle;
let server: TestServer;
let ioc: string;
let citizen: string;

beforeAll(async () => {
  database = await getSharedTestDatabase();
  server = await startTestServer(database);
  ioc = await bearerToken(server.baseUrl, await createTestUser(database.db, 'ioc_operator'));
  citizen = await bearerToken(server.baseUrl, await createTestUser(database.db, 'citizen'));
});
afterAll(() => server?.close());

const call = async (path: string, init: { method?: string; token?: string; body?: unknown } = {}) => {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}), ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, text, body: text.startsWith('{') ? JSON.parse(text) : undefined, headers: response.headers };
};

const sampleCamera = async (code: string) =>
  (database.db.selectFrom('camera').select(['id', 'visibility', 'stream_url']).where('code', '=', code).executeTakeFirstOrThrow());

describe('cameras: who sees which', () => {
  it('lists public cameras for everyone and all of them for the IOC, never with their source address', async () => {
    const anonymous = await call('/api/cameras');
    const operator = await call('/api/cameras', { token: ioc });
    const asCitizen = await call('/api/cameras', { token: citizen });
    const publicCodes = cameraCollectionSchema.parse(anonymous.body).features.map((feature) => feature.properties.code);
    const allCodes = cameraCollectionSchema.parse(operator.body).features.map((feature) => feature.properties.code);
    expect(publicCodes).toContain('CAM-005');
    expect(publicCodes).not.toContain('CAM-007');
    expect(allCodes).toEqual(expect.arrayContaining(['CAM-005', 'CAM-007']));
    expect(cameraCollectionSchema.parse(asCitizen.body).features.map((feature) => feature.properties.code)).toEqual(publicCodes);
    for (const response of [anonymous, operator]) {
      expect(response.text).not.toContain('127.0.0.1:8090');
      expect(response.text).not.toContain('stream_url');
      expect(response.text).not.toContain('index.m3u8');
    }
  });

  it('keeps every source address out of every public output: tiles, OGC items, the API description', async () => {
    const sources = (await database.db.selectFrom('camera').select('stream_url').execute()).map((row) => row.stream_url);
    const host = new URL(sources[0]!).host;
    // The tiles around CAM-005 at zooms 13 to 16, both camera layers.
    const [lon, lat] = [103.0222, 21.3834];
    const outputs: Array<[string, Buffer]> = [];
    for (const z of [13, 14, 15, 16]) {
      const x = Math.floor(((lon + 180) / 360) * 2 ** z);
      const y = Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
      for (const layer of ['cameras', 'camera-fov']) {
        const response = await fetch(`${server.baseUrl}/tiles/${layer}/${z}/${x}/${y}.mvt`, { headers: { 'Accept-Encoding': 'identity' } });
        expect([200, 204]).toContain(response.status);
        outputs.push([`${layer} ${z}/${x}/${y}`, Buffer.from(await response.arrayBuffer())]);
      }
    }
    const tile = outputs.find(([label]) => label.startsWith('cameras 16'))![1];
    expect(tile.includes(Buffer.from('CAM-005')), 'the public camera is in its tile').toBe(true);
    for (const path of ['/ogc/collections/cameras/items?limit=100', '/ogc/collections/camera-fov/items?limit=100', '/api/openapi.json', '/api/cameras/seeing?lon=103.0222&lat=21.3834']) {
      outputs.push([path, Buffer.from(await (await fetch(`${server.baseUrl}${path}`)).arrayBuffer())]);
    }
    const ogcCameras = outputs.find(([label]) => label.startsWith('/ogc/collections/cameras/'))![1].toString();
    expect(ogcCameras).toContain('CAM-005');
    // Restricted cameras are not public, in tiles and OGC items either.
    expect(ogcCameras).not.toContain('CAM-007');
    for (const [label, body] of outputs) {
      expect(body.includes(Buffer.from(host)), label).toBe(false);
      for (const source of sources) expect(body.includes(Buffer.from(new URL(source).pathname)), label).toBe(false);
    }
  });

  it('finds the cameras that see a place, nearest first, public ones only for the public', async () => {
    // 40 m in front of CAM-005 (bearing 120°), inside its cone.
    const point = (await sql<{ lon: number; lat: number }>`
      SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_Project(location::geography, 40, radians(120))::geometry AS p FROM camera WHERE code = 'CAM-005') AS projected`.execute(database.db)).rows[0]!;
    const seen = camerasSeeingSchema.parse((await call(`/api/cameras/seeing?lon=${point.lon}&lat=${point.lat}`)).body);
    expect(seen.cameras.map((camera) => camera.properties.code)).toContain('CAM-005');
    const cam005 = seen.cameras.find((camera) => camera.properties.code === 'CAM-005')!;
    expect(cam005.distanceM).toBeGreaterThan(38);
    expect(cam005.distanceM).toBeLessThan(42);
    expect(seen.cameras.map((camera) => camera.distanceM)).toEqual([...seen.cameras.map((camera) => camera.distanceM)].sort((a, b) => a - b));
    // Behind the camera: not seen.
    const behind = (await sql<{ lon: number; lat: number }>`
      SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_Project(location::geography, 40, radians(300))::geometry AS p FROM camera WHERE code = 'CAM-005') AS projected`.execute(database.db)).rows[0]!;
    expect(camerasSeeingSchema.parse((await call(`/api/cameras/seeing?lon=${behind.lon}&lat=${behind.lat}`)).body).cameras.map((camera) => camera.properties.code)).not.toContain('CAM-005');
    expect((await call('/api/cameras/seeing?lon=abc&lat=21')).status).toBe(400);
  });
});

describe('cameras: signed stream URLs', () => {
  it('signs a public camera for anyone; a restricted one only for the IOC (401 anonymous, 403 other roles)', async () => {
    const open = await sampleCamera('CAM-005');
    const restricted = await sampleCamera('CAM-007');
    expect(restricted.visibility).toBe('restricted');
    const watch = await call(`/api/cameras/${open.id}/watch`, { method: 'POST', body: {} });
    expect(watch.status).toBe(200);
    const signed = cameraWatchSchema.parse(watch.body);
    expect(signed.url).toMatch(new RegExp(`^/api/cameras/${open.id}/stream\\.m3u8\\?exp=\\d+&sig=[\\w-]{43}$`));
    expect(new Date(signed.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(300_000);
    expect(watch.text).not.toContain('8090');
    expect((await call(`/api/cameras/${restricted.id}/watch`, { method: 'POST', body: {} })).status).toBe(401);
    expect((await call(`/api/cameras/${restricted.id}/watch`, { method: 'POST', body: {}, token: citizen })).status).toBe(403);
    expect((await call(`/api/cameras/${restricted.id}/watch`, { method: 'POST', body: {}, token: ioc })).status).toBe(200);
  });

  it('refuses a missing, tampered or expired signature on the playlist and on a segment with 403', async () => {
    const open = await sampleCamera('CAM-005');
    const other = await sampleCamera('CAM-001');
    const signed = cameraWatchSchema.parse((await call(`/api/cameras/${open.id}/watch`, { method: 'POST', body: {} })).body);
    const url = new URL(signed.url, server.baseUrl);
    const exp = url.searchParams.get('exp')!;
    const sig = url.searchParams.get('sig')!;
    const tampered = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    const cases = [
      `/api/cameras/${open.id}/stream.m3u8`,
      `/api/cameras/${open.id}/stream.m3u8?exp=${exp}&sig=${tampered}`,
      `/api/cameras/${open.id}/stream.m3u8?exp=${Number(exp) + 60}&sig=${sig}`,
      // Bound to its camera: the same signature does not open another.
      `/api/cameras/${other.id}/stream.m3u8?exp=${exp}&sig=${sig}`,
      `/api/cameras/${open.id}/segments/1.ts?exp=${exp}&sig=${tampered}`,
      `/api/cameras/${open.id}/segments/1.ts`,
    ];
    for (const path of cases) {
      const response = await call(path);
      expect(response.status, path).toBe(403);
      expect(response.body.error.code).toBe('FORBIDDEN');
    }
    // Expired: signed for a time already past (with the server's key, through a short-lived server).
    const shortLived = await startTestServer(database, { CAMERA_WATCH_TTL_S: '10', CAMERA_URL_SECRET: 'k'.repeat(40) });
    try {
      const watch = cameraWatchSchema.parse(await (await fetch(`${shortLived.baseUrl}/api/cameras/${open.id}/watch`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json());
      const expiredExp = Math.floor(Date.now() / 1000) - 1;
      const { CameraUrlSigner } = await import('./camera-url-signing.ts');
      const expired = `/api/cameras/${open.id}/stream.m3u8?${new CameraUrlSigner('k'.repeat(40)).query(open.id, expiredExp)}`;
      const answer = await fetch(`${shortLived.baseUrl}${expired}`);
      expect(answer.status).toBe(403);
      expect(((await answer.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
      expect(watch.renewAfterS).toBeLessThan(10);
    } finally {
      await shortLived.close();
    }
  });

  it('answers 503 with Retry-After when the camera cannot be reached, without its address', async () => {
    const open = await sampleCamera('CAM-005');
    const signed = cameraWatchSchema.parse((await call(`/api/cameras/${open.id}/watch`, { method: 'POST', body: {} })).body);
    // Nothing listens at the sample cameras' simulator address in this test.
    const response = await call(signed.url);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(response.body.error.code).toBe('CAMERA_UNAVAILABLE');
    expect(response.text).not.toContain('8090');
    expect(response.text).not.toContain('127.0.0.1');
  });
});

describe('cameras: the registry (IOC operators and admins)', () => {
  const good = { code: 'CAM-T01', name: 'Thử nghiệm — cổng Sở', lon: 103.02, lat: 21.385, bearingDeg: 45, hfovDeg: 60, rangeM: 150, streamUrl: 'https://cameras.example.vn/t01/index.m3u8', visibility: 'public' };

  it('refuses bad cameras with 400 and a message, and stores nothing', async () => {
    const count = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM camera`.execute(database.db)).rows[0]!.n);
    const before = await count();
    const bad: Array<[string, Record<string, unknown>, RegExp]> = [
      ['outside the province', { ...good, code: 'CAM-B1', lon: 105.85, lat: 21.03 }, /outside Điện Biên/],
      ['bearing 400', { ...good, code: 'CAM-B2', bearingDeg: 400 }, /bearingDeg/],
      ['file: URL', { ...good, code: 'CAM-B3', streamUrl: 'file:///etc/passwd' }, /streamUrl/],
      ['cloud metadata', { ...good, code: 'CAM-B4', streamUrl: 'http://169.254.169.254/latest/meta-data/' }, /169\.254\.169\.254 is not a public address/],
      ['range over 5 km', { ...good, code: 'CAM-B5', rangeM: 6000 }, /rangeM/],
      ['a private network not allowed', { ...good, code: 'CAM-B6', streamUrl: 'http://10.1.2.3/cam.m3u8' }, /CAMERA_ALLOWED_NETWORKS/],
      ['rtsp', { ...good, code: 'CAM-B7', streamUrl: 'rtsp://cameras.example.vn/t01' }, /http/],
      ['unknown field', { ...good, code: 'CAM-B8', password: 'x' }, /password/],
    ];
    for (const [label, body, message] of bad) {
      const response = await call('/api/admin/cameras', { method: 'POST', token: ioc, body });
      expect(response.status, label).toBe(400);
      expect(response.text, label).toMatch(message);
    }
    expect(await count()).toBe(before);
    expect((await call('/api/admin/cameras', { method: 'POST', body: good })).status).toBe(401);
    expect((await call('/api/admin/cameras', { method: 'POST', token: citizen, body: good })).status).toBe(403);
    expect(await count()).toBe(before);
  });

  it('creates, edits and retires a camera, each change audited (who, when, what), the source never shown', async () => {
    const operator = await createTestUser(database.db, 'ioc_operator');
    const token = await bearerToken(server.baseUrl, operator);
    const created = await call('/api/admin/cameras', { method: 'POST', token, body: good });
    expect(created.status, created.text).toBe(201);
    expect(created.text).not.toContain('cameras.example.vn');
    const id = created.body.id as string;
    expect(created.body.properties).toMatchObject({ code: 'CAM-T01', visibility: 'public', status: 'online', bearingDeg: 45 });
    expect((await call('/api/cameras')).body.features.map((feature: { id: string }) => feature.id)).toContain(id);

    const edited = await call(`/api/admin/cameras/${id}`, { method: 'PATCH', token, body: { bearingDeg: 360, visibility: 'restricted', streamUrl: 'https://cameras.example.vn/t01b/index.m3u8' } });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.properties).toMatchObject({ bearingDeg: 0, visibility: 'restricted' });
    expect((await call('/api/cameras')).body.features.map((feature: { id: string }) => feature.id)).not.toContain(id);
    expect((await call(`/api/admin/cameras/${id}`, { method: 'PATCH', token, body: { lon: 103.02 } })).status).toBe(400);

    expect((await call(`/api/admin/cameras/${id}`, { method: 'DELETE', token })).status).toBe(204);
    expect((await call('/api/cameras', { token })).body.features.map((feature: { id: string }) => feature.id)).not.toContain(id);
    expect((await call(`/api/cameras/${id}/watch`, { method: 'POST', token, body: {} })).status).toBe(404);

    const history = await call(`/api/admin/cameras/${id}/events`, { token });
    expect(history.status).toBe(200);
    expect(history.text).not.toContain('cameras.example.vn');
    expect(history.body.events.map((event: { kind: string }) => event.kind)).toEqual(['created', 'updated', 'retired']);
    expect(history.body.events[1]).toMatchObject({ actor: { role: 'ioc_operator', email: operator.email }, changes: { bearingDeg: { from: 45, to: 0 }, visibility: { from: 'public', to: 'restricted' }, streamUrl: 'changed' } });
    const registry = await call('/api/admin/cameras', { token });
    expect(registry.text).not.toContain('cameras.example.vn');
    expect(registry.text).not.toContain('127.0.0.1:8090');
  });
});

describe('cameras: the health checker and the tiles', () => {
  it('invalidates the camera tiles when a camera’s health changes, not each time it is seen', async () => {
    const version = async () => Number((await database.db.selectFrom('tile_source_version').select('version').where('source', '=', 'camera').executeTakeFirstOrThrow()).version);
    const camera = await sampleCamera('CAM-005');
    const before = await version();
    // What the checker writes every interval for a camera that answers: not shown on the map.
    await database.db.updateTable('camera').set({ last_seen_at: new Date() }).where('id', '=', camera.id).execute();
    expect(await version()).toBe(before);
    const status = (await database.db.selectFrom('camera').select('status').where('id', '=', camera.id).executeTakeFirstOrThrow()).status;
    await database.db.updateTable('camera').set({ status: status === 'degraded' ? 'online' : 'degraded' }).where('id', '=', camera.id).execute();
    expect(await version()).toBe(before + 1);
    await database.db.updateTable('camera').set({ status }).where('id', '=', camera.id).execute();
    expect(await version()).toBe(before + 2);
  });
});
