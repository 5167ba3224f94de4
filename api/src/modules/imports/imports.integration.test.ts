import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseFingerprint, repositoryRoot, startTestServer, type TestDatabase, type TestServer } from '../../testing/index.ts';
import { importReferenceFile, type ImportRequest } from './imports.service.ts';

const fixture = (name: string) => path.join(repositoryRoot, 'gis-data/fixtures', name);
const sharedData = (name: string) => path.resolve(repositoryRoot, '../shared/data', name);

let database: TestDatabase;
let server: TestServer;
beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
});
afterAll(async () => {
  await server.close();
  await database.close();
});

const importFile = (file: string, extra: Partial<ImportRequest> = {}) =>
  importReferenceFile(database.db, { layer: 'communes', source: { path: file }, boundarySet: { name: 'fixture-set', validFrom: '2099-01-01' }, ...extra });

async function locate(lon: number, lat: number, at: string) {
  const response = await fetch(`${server.baseUrl}/api/locate?lon=${lon}&lat=${lat}&at=${at}`);
  return { status: response.status, body: (await response.json()) as any };
}

describe('the bad-file corpus', () => {
  it.each([
    ['broken-json.geojson', 1, /broken-json\.geojson/, /not valid JSON.*line 10, column 67/],
    ['lat-lon-swapped.geojson', 1, /feature #1/, /swapped/],
    ['outside-vietnam.geojson', 1, /feature #1/, /outside Vietnam/],
    ['antimeridian.geojson', 1, /feature #1/, /180° meridian/],
    ['wrong-geometry-type.geojson', 1, /feature #1/, /LineString.*Polygon or MultiPolygon/],
    ['missing-properties.geojson', 1, /feature #2/, /missing required property "name"/],
    ['unclosed-ring.geojson', 1, /feature #1/, /not closed/],
    ['projected-without-srs.geojson', 1, /.+/, /look projected.*--srs/],
    ['self-intersecting.geojson', 1, /feature #1/, /Self-intersection\[103\.005 21\.385\].*--repair/],
  ])('rejects %s, naming the feature and the problem, and changes nothing', async (file, count, feature, reason) => {
    const before = await databaseFingerprint(database.db);
    const report = await importFile(fixture(file));
    expect(report.status).toBe('rejected');
    expect(report.imported).toBe(0);
    expect(report.rejected).toHaveLength(count);
    expect(report.rejected[0]!.feature).toMatch(feature);
    expect(report.rejected[0]!.reason).toMatch(reason);
    expect(await databaseFingerprint(database.db)).toEqual(before);
  });

  it('rejects a file with good and bad features as a whole, naming exactly the bad ones', async () => {
    const before = await databaseFingerprint(database.db);
    const report = await importFile(fixture('mixed-good-and-bad.geojson'));
    expect(report.status).toBe('rejected');
    expect(report.featureCount).toBe(5);
    expect(report.rejected.map((note) => note.feature.match(/#\d+/)?.[0])).toEqual(['#2', '#4']);
    expect(await databaseFingerprint(database.db)).toEqual(before);
  });

  it('rejects duplicate codes within one file', async () => {
    const before = await databaseFingerprint(database.db);
    const data = JSON.stringify({
      type: 'FeatureCollection',
      features: [1, 2].map((n) => ({
        type: 'Feature',
        properties: { code: '99990', name: `Xã Trùng ${n}`, unit_type: 'xã' },
        geometry: { type: 'Polygon', coordinates: [[[103 + n / 100, 21.3], [103.005 + n / 100, 21.3], [103.005 + n / 100, 21.305], [103 + n / 100, 21.3]]] },
      })),
    });
    const report = await importReferenceFile(database.db, {
      layer: 'communes',
      source: { data, fileName: 'duplicates.geojson' },
      boundarySet: { name: 'fixture-set', validFrom: '2099-01-01' },
    });
    expect(report.status).toBe('rejected');
    expect(report.rejected).toEqual([{ feature: expect.stringMatching(/#2/), reason: expect.stringMatching(/duplicate code "99990" \(also feature #1/) }]);
    expect(await databaseFingerprint(database.db)).toEqual(before);
  });

  it('refuses to create a boundary set without a start date, and writes nothing', async () => {
    const before = await databaseFingerprint(database.db);
    await expect(importFile(fixture('hole.geojson'), { boundarySet: { name: 'no-date' } })).rejects.toThrow(/--valid-from/);
    expect(await databaseFingerprint(database.db)).toEqual(before);
  });

  it('writes nothing on a dry run of a good file', async () => {
    const before = await databaseFingerprint(database.db);
    const report = await importFile(fixture('hole.geojson'), { dryRun: true });
    expect(report.status).toBe('validated');
    expect(await databaseFingerprint(database.db)).toEqual(before);
  });
});

describe('importing edge cases that must work', () => {
  it('repairs a self-intersecting polygon only with --repair, and says so', async () => {
    const report = await importFile(fixture('self-intersecting.geojson'), { repair: true, boundarySet: { name: 'repaired', validFrom: '2098-01-01' } });
    expect(report.status).toBe('imported');
    expect(report.repaired).toEqual([{ feature: expect.stringMatching(/#1/), reason: expect.stringMatching(/Self-intersection/) }]);
    const stored = await sql<{ valid: boolean; parts: number }>`
      SELECT ST_IsValid(u.geom) AS valid, ST_NumGeometries(u.geom) AS parts
      FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id WHERE s.name = 'repaired'`.execute(database.db);
    expect(stored.rows).toEqual([{ valid: true, parts: 2 }]);
  });

  it('keeps a hole: a point in it is not in the unit', async () => {
    const report = await importFile(fixture('hole.geojson'), { boundarySet: { name: 'holes', validFrom: '2097-01-01', validTo: '2097-12-31' } });
    expect(report.status).toBe('imported');
    const hole = await sql<{ lon: number; lat: number; outer_lon: number; outer_lat: number }>`
      SELECT ST_X(ST_PointOnSurface(ST_MakePolygon(ST_InteriorRingN(ST_GeometryN(u.geom, 1), 1)))) AS lon,
             ST_Y(ST_PointOnSurface(ST_MakePolygon(ST_InteriorRingN(ST_GeometryN(u.geom, 1), 1)))) AS lat,
             ST_X(ST_PointOnSurface(u.geom)) AS outer_lon, ST_Y(ST_PointOnSurface(u.geom)) AS outer_lat
      FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id WHERE s.name = 'holes'`.execute(database.db);
    const row = hole.rows[0]!;
    expect((await locate(row.outer_lon, row.outer_lat, '2097-06-01')).status).toBe(200);
    expect((await locate(row.lon, row.lat, '2097-06-01')).status).toBe(404);
  });

  it('reprojects VN-2000 TM-3° (central meridian 103°) to WGS84 with the published Helmert shift', async () => {
    const report = await importFile(fixture('vn2000-tm3-103.geojson'), { srs: 'vn2000-tm3-103', boundarySet: { name: 'vn2000', validFrom: '2096-01-01' } });
    expect(report.status).toBe('imported');
    expect(report.sourceSrs).toBe('vn2000-tm3-103');
    const stored = await sql<{ lon: number; lat: number }>`
      SELECT ST_X(ST_Centroid(u.geom)) AS lon, ST_Y(ST_Centroid(u.geom)) AS lat
      FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id WHERE s.name = 'vn2000'`.execute(database.db);
    expect(stored.rows[0]!.lon).toBeCloseTo(103.0163589, 6);
    expect(stored.rows[0]!.lat).toBeCloseTo(21.3933748, 6);
  });

  it('resolves points on a shared border to the smallest code, and lists the neighbour', async () => {
    const report = await importFile(fixture('shared-border-point.geojson'), { boundarySet: { name: 'shared-border', validFrom: '2099-01-01' } });
    expect(report.status).toBe('imported');
    const points = JSON.parse(fs.readFileSync(fixture('shared-border-point.points.geojson'), 'utf8')) as {
      features: Array<{ properties: { case: string; expected_code: string | null }; geometry: { coordinates: [number, number] } }>;
    };
    for (const point of points.features) {
      const [lon, lat] = point.geometry.coordinates;
      // Twice: the answer must not depend on the order rows come back in.
      for (let repeat = 0; repeat < 2; repeat += 1) {
        const { status, body } = await locate(lon, lat, '2099-06-01');
        if (point.properties.expected_code === null) {
          expect(status, point.properties.case).toBe(404);
        } else {
          expect(body.commune?.code, point.properties.case).toBe(point.properties.expected_code);
          expect(body.boundarySet.name).toBe('shared-border');
        }
      }
    }
    const edge = await locate(103.01, 21.385, '2099-06-01');
    expect(edge.body.onBorderWith.map((unit: { code: string }) => unit.code)).toEqual(['99902']);
  });
});

describe('the real 2025 boundaries (../shared/data, test data only)', () => {
  beforeAll(async () => {
    const set = { name: 'real-2025', validFrom: '2025-07-01' };
    const province = await importReferenceFile(database.db, { layer: 'province', source: { path: sharedData('dienbien-province.geojson') }, boundarySet: set });
    expect(province.status).toBe('imported');
    const communes = await importReferenceFile(database.db, { layer: 'communes', source: { path: sharedData('dienbien-communes-2025.geojson') }, boundarySet: set });
    expect(communes.rejected).toEqual([]);
    expect(communes.imported).toBe(45);
  });

  it('locates random points inside every real unit to that unit', async () => {
    const points = await sql<{ code: string; lon: number; lat: number }>`
      SELECT u.code, ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
      FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id,
           LATERAL ST_Dump(ST_GeneratePoints(u.geom, 4, 2025)) AS p
      WHERE s.name = 'real-2025' AND u.level <> 'province'
      ORDER BY u.code`.execute(database.db);
    expect(points.rows).toHaveLength(45 * 4);
    for (const point of points.rows) {
      const { status, body } = await locate(point.lon, point.lat, '2026-03-01');
      expect(status, `${point.code} at ${point.lon},${point.lat}`).toBe(200);
      expect(body.boundarySet.name).toBe('real-2025');
      expect(body.commune.code, `${point.lon},${point.lat}`).toBe(point.code);
    }
  });

  it('re-importing the same set keeps unit ids and removes nothing', async () => {
    const before = await sql<{ ids: string }>`
      SELECT string_agg(u.id::text, ',' ORDER BY u.code) AS ids FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id WHERE s.name = 'real-2025'`.execute(database.db);
    const again = await importReferenceFile(database.db, {
      layer: 'communes',
      source: { path: sharedData('dienbien-communes-2025.geojson') },
      boundarySet: { name: 'real-2025' },
    });
    expect(again.status).toBe('imported');
    expect(again.removed).toBe(0);
    const after = await sql<{ ids: string }>`
      SELECT string_agg(u.id::text, ',' ORDER BY u.code) AS ids FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id WHERE s.name = 'real-2025'`.execute(database.db);
    expect(after.rows[0]!.ids).toBe(before.rows[0]!.ids);
  });

  it('each sample unit’s administrative seat lies in the real unit with the same code', async () => {
    const misplaced = await sql<{ code: string }>`
      SELECT sample.code FROM admin_unit sample
      JOIN boundary_set sample_set ON sample_set.id = sample.boundary_set_id AND sample_set.name = 'dienbien-2025'
      JOIN admin_unit real ON real.code = sample.code
      JOIN boundary_set real_set ON real_set.id = real.boundary_set_id AND real_set.name = 'real-2025'
      WHERE sample.level <> 'province' AND NOT ST_Covers(real.geom, sample.admin_center)`.execute(database.db);
    expect(misplaced.rows).toEqual([]);
  });
});
