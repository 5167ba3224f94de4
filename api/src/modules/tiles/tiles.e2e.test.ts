import zlib from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ringArea, tileContaining, tilesCovering, type LonLatBounds } from '@bandoso/tiles';
import type { DatabaseHandle } from '../../db/database.ts';
import { createTestDatabase, getSharedTestDatabase, startTestServer, type TestDatabase, type TestServer } from '../../testing/index.ts';
import { insertTestReports, setTestReportStatus, type TestReport } from '../../testing/report-factory.ts';
import { containsAny, fetchTile, rawGet } from './tile-test-helpers.ts';

// The same file runs on the embedded database and, with DATABASE_URL, on a PostGIS server: the two
// encoders must give the same answers.

const CITY = { lon: 103.0169, lat: 21.386 };

describe('tiles of the reference layers (shared sample data)', () => {
  let database: DatabaseHandle;
  let server: TestServer;
  beforeAll(async () => {
    database = await getSharedTestDatabase();
    server = await startTestServer(database);
  });
  afterAll(() => server.close());

  const url = (path: string) => `${server.baseUrl}${path}`;

  it('lists every layer in the catalog (the base map once one is imported: osm-basemap.browser.test.ts)', async () => {
    const response = await fetch(url('/tiles'));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { layers: Array<{ id: string; tilejson: string }> };
    expect(body.layers.map((layer) => layer.id)).toEqual([
      'province',
      'communes',
      'commune-labels',
      'planning-zones',
      'heritage-sites',
      'cameras',
      'camera-fov',
      'facilities',
      'reports',
    ]);
    expect(body.layers[0]!.tilejson).toBe(url('/tiles/province.json'));
  });

  it('describes a layer in TileJSON 3.0.0, and the tiles it names load (what MapLibre does)', async () => {
    const response = await fetch(url('/tiles/communes.json'));
    expect(response.status).toBe(200);
    const tileJson = (await response.json()) as any;
    expect(tileJson).toMatchObject({
      tilejson: '3.0.0',
      scheme: 'xyz',
      tiles: [url('/tiles/communes/{z}/{x}/{y}.mvt')],
      minzoom: 7,
      maxzoom: 16,
      vector_layers: [{ id: 'communes', fields: { code: 'String', name: 'String', level: 'String' } }],
    });
    const [west, south, east, north] = tileJson.bounds as LonLatBounds;
    expect(west).toBeGreaterThan(101.5);
    expect(east).toBeLessThan(104);
    expect(south).toBeGreaterThan(20.5);
    expect(north).toBeLessThan(23);
    expect(tileJson.center).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);

    // Every tile of the province at minzoom + 2, as a map would request them: all 45 units, once each.
    const codes = new Set<string>();
    for (const tile of tilesCovering(tileJson.bounds, tileJson.minzoom + 2)) {
      const fetched = await fetchTile(tileJson.tiles[0].replace('{z}', tile.z).replace('{x}', tile.x).replace('{y}', tile.y));
      expect([200, 204]).toContain(fetched.status);
      if (fetched.status !== 200) continue;
      expect(fetched.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
      expect(fetched.layers).toEqual(['communes']);
      for (const feature of fetched.features) {
        expect(feature.type).toBe('Polygon');
        expect(Object.keys(feature.properties).sort()).toEqual(['code', 'level', 'name']);
        codes.add(String(feature.properties.code));
      }
    }
    expect(codes.size).toBe(45);
  });

  it('labels every commune once: one point per commune, inside it, in exactly one tile', async () => {
    const tileJson = (await (await fetch(url('/tiles/commune-labels.json'))).json()) as any;
    expect(tileJson.vector_layers).toEqual([expect.objectContaining({ id: 'commune-labels', fields: { code: 'String', name: 'String', level: 'String' } })]);
    // The tile whose proper area (not its buffer) holds a point is that point's tile; every commune has one.
    const owners = new Map<string, number>();
    for (const tile of tilesCovering(tileJson.bounds, 9)) {
      const fetched = await fetchTile(url(`/tiles/commune-labels/${tile.z}/${tile.x}/${tile.y}.mvt`));
      for (const feature of fetched.features) {
        expect(feature.type).toBe('Point');
        const [x, y] = feature.rings[0]![0]!;
        if (x! >= 0 && x! < 4096 && y! >= 0 && y! < 4096) owners.set(String(feature.properties.code), (owners.get(String(feature.properties.code)) ?? 0) + 1);
      }
    }
    expect(owners.size).toBe(45);
    expect([...owners.values()].every((count) => count === 1)).toBe(true);
    // And each point lies in its own commune, as /api/locate finds it.
    const labels = (await (await fetch(url('/ogc/collections/commune-labels/items?limit=100'))).json()) as { features: Array<{ geometry: { coordinates: [number, number] }; properties: { code: string } }> };
    expect(labels.features).toHaveLength(45);
    for (const label of labels.features) {
      const [lon, lat] = label.geometry.coordinates;
      const located = (await (await fetch(url(`/api/locate?lon=${lon}&lat=${lat}`))).json()) as { commune?: { code: string } };
      expect(located.commune?.code, label.properties.code).toBe(label.properties.code);
    }
  });

  it('reads another boundary set with ?set=, and answers 404 for an unknown set', async () => {
    const tile = tileContaining(CITY.lon, CITY.lat, 11);
    const before2025 = await fetchTile(url(`/tiles/communes/${tile.z}/${tile.x}/${tile.y}.mvt?set=dienbien-pre2025`));
    expect(before2025.status).toBe(200);
    const names = before2025.features.map((feature) => String(feature.properties.name));
    expect(names.some((name) => name.startsWith('Phường '))).toBe(true);
    const current = await fetchTile(url(`/tiles/communes/${tile.z}/${tile.x}/${tile.y}.mvt`));
    expect(current.headers.get('etag')).not.toBe(before2025.headers.get('etag'));

    const unknown = await fetch(url(`/tiles/communes/${tile.z}/${tile.x}/${tile.y}.mvt?set=no-such-set`));
    expect(unknown.status).toBe(404);
  });

  it('keeps a zoom-6 province tile small: polygons are simplified to half a pixel', async () => {
    const tile = tileContaining(CITY.lon, CITY.lat, 6);
    const low = await fetchTile(url(`/tiles/province/6/${tile.x}/${tile.y}.mvt`), { headers: { 'Accept-Encoding': 'identity' } });
    expect(low.status).toBe(200);
    expect(low.bytes.byteLength).toBeLessThan(8 * 1024);
    expect(low.features).toHaveLength(1);
    for (const ring of low.features[0]!.rings) expect(ring.every(([x, y]) => Number.isInteger(x) && Number.isInteger(y))).toBe(true);
    // Exterior rings have a positive area in tile coordinates (y down), as the MVT spec wants.
    expect(ringArea(low.features[0]!.rings[0]!)).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown layer, 400 for an impossible z/x/y or an unknown parameter, 204 for an empty tile', async () => {
    expect((await fetch(url('/tiles/rivers/10/800/450.mvt'))).status).toBe(404);
    expect((await fetch(url('/tiles/rivers.json'))).status).toBe(404);
    for (const path of ['/tiles/communes/25/0/0.mvt', '/tiles/communes/3/8/0.mvt', '/tiles/communes/3/0/8.mvt', '/tiles/communes/3/a/0.mvt', '/tiles/communes/-1/0/0.mvt']) {
      const response = await fetch(url(path));
      expect(response.status, path).toBe(path.includes('-1') ? 400 : 400);
      expect(((await response.json()) as any).error.code, path).toBe('VALIDATION_FAILED');
    }
    const typo = await fetch(url(`/tiles/cameras/14/13000/7195.mvt?statuss=online`));
    expect(typo.status).toBe(400);
    const problem = ((await typo.json()) as any).error;
    expect(problem.message).toMatch(/unknown parameter/);
    // Tiles are answered ahead of the access log; their errors are still named for support.
    expect(problem.requestId).toMatch(/^[\w-]{8,}$/);
    expect(typo.headers.get('x-request-id')).toBe(problem.requestId);
    // A tile in the Pacific.
    const empty = await fetch(url('/tiles/communes/10/10/500.mvt'));
    expect(empty.status).toBe(204);
    expect((await empty.arrayBuffer()).byteLength).toBe(0);
  });

  it('sends gzip to clients that accept it, with a strong ETag per encoding, and 304 on If-None-Match', async () => {
    const tile = tileContaining(CITY.lon, CITY.lat, 12);
    const path = url(`/tiles/planning-zones/${tile.z}/${tile.x}/${tile.y}.mvt`);
    const plain = await rawGet(path, { 'Accept-Encoding': 'identity' });
    const zipped = await rawGet(path, { 'Accept-Encoding': 'gzip, deflate' });
    expect(plain.status).toBe(200);
    expect(zipped.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(zipped.body.byteLength).toBeLessThan(plain.body.byteLength);
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    expect(plain.headers['cache-control']).toMatch(/no-cache/);
    const plainEtag = String(plain.headers.etag);
    const zippedEtag = String(zipped.headers.etag);
    expect(plainEtag).toMatch(/^"[^"]+"$/);
    expect(zippedEtag).toMatch(/^"[^"]+"$/);
    expect(zippedEtag).not.toBe(plainEtag);

    const again = await rawGet(path, { 'Accept-Encoding': 'gzip', 'If-None-Match': zippedEtag });
    expect(again.status).toBe(304);
    expect(again.body.byteLength).toBe(0);
    expect(again.headers.etag).toBe(zippedEtag);
    expect((await rawGet(path, { 'Accept-Encoding': 'identity', 'If-None-Match': `W/${plainEtag}` })).status).toBe(304);
    expect((await rawGet(path, { 'Accept-Encoding': 'identity', 'If-None-Match': '"something-else"' })).status).toBe(200);

    // Negotiation follows q-values; HEAD answers the headers of GET without the body.
    const refused = await rawGet(path, { 'Accept-Encoding': 'gzip;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.equals(plain.body)).toBe(true);
    const head = await rawGet(path, { 'Accept-Encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.etag).toBe(zippedEtag);
    expect(Number(head.headers['content-length'])).toBe(zipped.body.byteLength);
    expect(head.body.byteLength).toBe(0);
  });

  it('publishes camera positions and views, never the stream address', async () => {
    const tile = tileContaining(CITY.lon, CITY.lat, 12);
    const streams = (await sql<{ stream_url: string }>`SELECT stream_url FROM camera`.execute(database.db)).rows.map((row) => row.stream_url);
    expect(streams.length).toBeGreaterThan(0);
    for (const layer of ['cameras', 'camera-fov']) {
      const fetched = await fetchTile(url(`/tiles/${layer}/${tile.z}/${tile.x}/${tile.y}.mvt`), { headers: { 'Accept-Encoding': 'identity' } });
      expect(fetched.status).toBe(200);
      expect(fetched.features.length).toBeGreaterThan(0);
      expect(containsAny(fetched.bytes, streams)).toBeUndefined();
      expect(containsAny(fetched.bytes, ['stream', 'm3u8'])).toBeUndefined();
    }
  });
});

describe('report tiles: privacy, clusters, filters and immediate invalidation (private database)', () => {
  let database: TestDatabase;
  let server: TestServer;
  let reports: TestReport[];
  let province: LonLatBounds;
  const day = '2025-11-20';

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database);
    // 400 reports spread over the province, several categories and statuses, two creation days.
    const points = await sql<{ lon: number; lat: number }>`
      SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
      FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id, LATERAL ST_Dump(ST_GeneratePoints(u.geom, 400, 42)) AS p
      WHERE s.name = 'dienbien-2025' AND u.level = 'province'`.execute(database.db);
    const statuses = ['received', 'accepted', 'in_progress', 'resolved', 'rejected'] as const;
    const categories = ['public_lighting', 'power_lines'];
    reports = await insertTestReports(
      database.db,
      points.rows.map((point, index) => ({
        ...point,
        status: statuses[index % statuses.length]!,
        category: categories[index % categories.length]!,
        createdAt: index % 3 === 0 ? `${day}T09:00:00+07:00` : '2025-10-01T09:00:00+07:00',
        overdue: index % 7 === 0,
      })),
    );
    const tileJson = (await (await fetch(`${server.baseUrl}/tiles/reports.json`)).json()) as { bounds: LonLatBounds };
    province = tileJson.bounds;
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const url = (path: string) => `${server.baseUrl}${path}`;

  async function clusterCounts(z: number, query = ''): Promise<{ count: number; byStatus: Record<string, number>; tiles: number; maxBytes: number }> {
    let count = 0;
    let tiles = 0;
    let maxBytes = 0;
    const byStatus: Record<string, number> = {};
    for (const tile of tilesCovering(province, z)) {
      const fetched = await fetchTile(url(`/tiles/reports/${z}/${tile.x}/${tile.y}.mvt${query}`), { headers: { 'Accept-Encoding': 'identity' } });
      if (fetched.status === 204) continue;
      expect(fetched.status).toBe(200);
      tiles += 1;
      maxBytes = Math.max(maxBytes, fetched.bytes.byteLength);
      for (const feature of fetched.features) {
        expect(feature.properties.cluster).toBe(true);
        expect(feature.type).toBe('Point');
        const [x, y] = feature.rings[0]![0]!;
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThan(4096);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThan(4096);
        count += Number(feature.properties.count);
        let statusSum = 0;
        for (const [name, value] of Object.entries(feature.properties)) {
          if (!name.startsWith('count_')) continue;
          byStatus[name.slice(6)] = (byStatus[name.slice(6)] ?? 0) + Number(value);
          statusSum += Number(value);
        }
        expect(statusSum).toBe(feature.properties.count);
      }
    }
    return { count, byStatus, tiles, maxBytes };
  }

  async function listed(query: string): Promise<number> {
    const response = await fetch(url(`/ogc/collections/reports/items?limit=1${query ? `&${query.slice(1)}` : ''}`));
    expect(response.status).toBe(200);
    return ((await response.json()) as { numberMatched: number }).numberMatched;
  }

  it('aggregates below zoom 13: cluster counts add up exactly to what the same filter lists', async () => {
    for (const query of ['', '?status=received,resolved', '?status=received&status=resolved', '?category=power_lines', '?category=public_lighting&status=accepted', `?from=${day}&to=${day}`, `?from=${day}&status=rejected`]) {
      const expected = await listed(query);
      expect(expected, query).toBeGreaterThan(0);
      for (const z of query === '' || query.startsWith('?from') ? [6, 8, 10, 12] : [6, 10]) {
        const counts = await clusterCounts(z, query);
        expect(counts.count, `z${z}${query}`).toBe(expected);
      }
    }
    const all = await clusterCounts(8);
    expect(all.count).toBe(reports.length);
    expect(all.byStatus.received).toBe(reports.filter((report) => report.status === 'received').length);
    expect(all.byStatus.duplicate).toBe(0);
  });

  it('shows single reports from zoom 13 with public fields only, and no contact detail anywhere', async () => {
    const report = reports[0]!;
    const tile = tileContaining(report.lon, report.lat, 14);
    const fetched = await fetchTile(url(`/tiles/reports/14/${tile.x}/${tile.y}.mvt`), { headers: { 'Accept-Encoding': 'identity' } });
    expect(fetched.status).toBe(200);
    const mine = fetched.features.find((feature) => feature.properties.id === report.id);
    expect(mine).toBeDefined();
    expect(mine!.properties).toEqual({
      id: report.id,
      tracking_code: report.trackingCode,
      category: report.category,
      status: report.status,
      created_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      overdue: true,
    });
    const contacts = reports.flatMap((item) => [item.reporter.name, item.reporter.phone, item.reporter.email]);
    for (const feature of fetched.features) expect(Object.keys(feature.properties).sort()).toEqual(['category', 'created_on', 'id', 'overdue', 'status', 'tracking_code']);
    expect(containsAny(fetched.bytes, contacts)).toBeUndefined();
    for (const z of [8, 10, 12, 13]) {
      for (const cover of tilesCovering(province, z).slice(0, 40)) {
        const other = await fetchTile(url(`/tiles/reports/${z}/${cover.x}/${cover.y}.mvt`), { headers: { 'Accept-Encoding': 'identity' } });
        expect(containsAny(other.bytes, contacts)).toBeUndefined();
      }
    }
  });

  it('filters points by status and category, and refuses bad filter values', async () => {
    const report = reports.find((item) => item.status === 'resolved')!;
    const tile = tileContaining(report.lon, report.lat, 14);
    const resolved = await fetchTile(url(`/tiles/reports/14/${tile.x}/${tile.y}.mvt?status=resolved`));
    expect(resolved.features.some((feature) => feature.properties.id === report.id)).toBe(true);
    expect(resolved.features.every((feature) => feature.properties.status === 'resolved')).toBe(true);
    const other = await fetch(url(`/tiles/reports/14/${tile.x}/${tile.y}.mvt?status=received&category=${report.category === 'power_lines' ? 'public_lighting' : 'power_lines'}`));
    if (other.status === 200) {
      const decoded = await fetchTile(url(`/tiles/reports/14/${tile.x}/${tile.y}.mvt?status=received`));
      expect(decoded.features.every((feature) => feature.properties.status === 'received')).toBe(true);
    }
    for (const query of ['status=lost', 'category=Bad-Code', 'from=2025-02-30', 'from=0000-01-01', 'from=2025-12-01&to=2025-11-01', 'colour=red', 'set=dienbien-2025']) {
      const response = await fetch(url(`/tiles/reports/14/${tile.x}/${tile.y}.mvt?${query}`));
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as any).error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('never serves a stale tile after a write returned: new reports, status changes, cameras, planning zones', async () => {
    const first = reports[1]!;
    const z14 = tileContaining(first.lon, first.lat, 14);
    const z8 = tileContaining(first.lon, first.lat, 8);
    const pointUrl = url(`/tiles/reports/14/${z14.x}/${z14.y}.mvt`);
    const clusterUrl = url(`/tiles/reports/8/${z8.x}/${z8.y}.mvt`);
    const clusterTotal = async () => (await fetchTile(clusterUrl)).features.reduce((sum, feature) => sum + Number(feature.properties.count), 0);

    const before = await fetchTile(pointUrl);
    const beforeTotal = await clusterTotal();
    // Warm: the second read comes from the cache and is identical.
    const warm = await fetchTile(pointUrl);
    expect(warm.headers.get('etag')).toBe(before.headers.get('etag'));

    const [added] = await insertTestReports(database.db, [{ lon: first.lon + 0.0001, lat: first.lat, status: 'received', category: 'power_lines' }]);
    const after = await fetchTile(pointUrl);
    expect(after.features.some((feature) => feature.properties.id === added!.id)).toBe(true);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect(await clusterTotal()).toBe(beforeTotal + 1);

    await setTestReportStatus(database.db, added!.id, 'in_progress');
    const moved = await fetchTile(pointUrl);
    expect(moved.features.find((feature) => feature.properties.id === added!.id)?.properties.status).toBe('in_progress');
    const clusters = await fetchTile(clusterUrl);
    expect(clusters.features.reduce((sum, feature) => sum + Number(feature.properties.count_in_progress), 0)).toBe(
      reports.filter((report) => report.status === 'in_progress' && tileContaining(report.lon, report.lat, 8).x === z8.x && tileContaining(report.lon, report.lat, 8).y === z8.y).length + 1,
    );

    // Updates that do not show on the map do not touch the tiles (nor their ETag).
    await sql`UPDATE report SET public_answer = 'Đã tiếp nhận' WHERE id = ${added!.id}::uuid`.execute(database.db);
    expect((await fetchTile(pointUrl)).headers.get('etag')).toBe(moved.headers.get('etag'));

    const camera = tileContaining(CITY.lon, CITY.lat, 12);
    const cameraUrl = url(`/tiles/cameras/12/${camera.x}/${camera.y}.mvt`);
    const cameraBefore = await fetchTile(cameraUrl);
    expect(cameraBefore.features.find((feature) => feature.properties.code === 'CAM-001')?.properties.status).toBe('online');
    await sql`UPDATE camera SET status = 'maintenance' WHERE code = 'CAM-001'`.execute(database.db);
    expect((await fetchTile(cameraUrl)).features.find((feature) => feature.properties.code === 'CAM-001')?.properties.status).toBe('maintenance');

    const zoneUrl = url(`/tiles/planning-zones/12/${camera.x}/${camera.y}.mvt`);
    const zonesBefore = await fetchTile(zoneUrl);
    expect(zonesBefore.features.length).toBeGreaterThan(0);
    await sql`UPDATE planning_zone SET max_floors = 99 WHERE plan_version = '2023' AND zone_code = ${String(zonesBefore.features[0]!.properties.zone_code)}`.execute(database.db);
    const zonesAfter = await fetchTile(zoneUrl);
    expect(zonesAfter.features.find((feature) => feature.properties.zone_code === zonesBefore.features[0]!.properties.zone_code)?.properties.max_floors).toBe(99);
  });

  it('invalidates only the tiles a change touches', async () => {
    const far = reports.find((report) => Math.abs(report.lon - reports[2]!.lon) > 0.3)!;
    const near = reports[2]!;
    const nearTile = tileContaining(near.lon, near.lat, 14);
    const farTile = tileContaining(far.lon, far.lat, 14);
    await fetchTile(url(`/tiles/reports/14/${nearTile.x}/${nearTile.y}.mvt`));
    await fetchTile(url(`/tiles/reports/14/${farTile.x}/${farTile.y}.mvt`));
    // The far tile survives a change near the other one: same bytes, same ETag, served from cache.
    const farBefore = await fetchTile(url(`/tiles/reports/14/${farTile.x}/${farTile.y}.mvt`));
    await insertTestReports(database.db, [{ lon: near.lon, lat: near.lat + 0.0001 }]);
    const farAfter = await fetchTile(url(`/tiles/reports/14/${farTile.x}/${farTile.y}.mvt`));
    expect(farAfter.headers.get('etag')).toBe(farBefore.headers.get('etag'));
    expect(farAfter.headers.get('x-tile-cache')).toBe('hit');
    const nearAfter = await fetchTile(url(`/tiles/reports/14/${nearTile.x}/${nearTile.y}.mvt`));
    expect(nearAfter.headers.get('x-tile-cache')).toBe('miss');
    expect(nearAfter.features.length).toBeGreaterThan(0);
  });
});
