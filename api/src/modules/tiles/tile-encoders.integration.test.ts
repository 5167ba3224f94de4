import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeTile,
  embeddedTileEncoder,
  listLayers,
  ringArea,
  serverTileEncoder,
  tileContaining,
  type DecodedFeature,
  type LayerDefinition,
  type LayerParameters,
  type TileAddress,
} from '@bandoso/tiles';
import { openEmbeddedDatabase, type DatabaseHandle } from '../../db/database.ts';
import { prepareDatabase } from '../../prepare-database.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/index.ts';
import { insertTestReports, type TestReportSpec } from '../../testing/report-factory.ts';

// The two MVT encoders side by side: ST_AsMVT on the PostGIS server and the SQL emulation + vt-pbf
// of the embedded database must find the same features, with the same properties, at the same
// coordinates (±1 unit of the 4096 grid). Needs both backends, so it runs when DATABASE_URL is set.

const places = [
  { lon: 103.0169, lat: 21.386 }, // Điện Biên Phủ
  { lon: 103.0, lat: 21.38 },
  { lon: 103.35, lat: 21.65 }, // Tuần Giáo side
  { lon: 102.45, lat: 22.2 }, // north-west
];

describe.skipIf(!process.env.DATABASE_URL)('ST_AsMVT (server) and the vt-pbf encoder (embedded) agree', () => {
  let server: TestDatabase;
  let embedded: DatabaseHandle;

  beforeAll(async () => {
    server = await createTestDatabase();
    embedded = await openEmbeddedDatabase({ dataDir: 'memory://' });
    await prepareDatabase(embedded, { seed: true });
    const points = await sql<{ lon: number; lat: number }>`
      SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
      FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id, LATERAL ST_Dump(ST_GeneratePoints(u.geom, 300, 7)) AS p
      WHERE s.name = 'dienbien-2025' AND u.level = 'province'`.execute(server.db);
    const statuses = ['received', 'accepted', 'resolved', 'rejected'] as const;
    const specs: TestReportSpec[] = [
      ...points.rows.map((point, index) => ({ ...point, status: statuses[index % 4]!, createdAt: '2025-09-01T10:00:00+07:00' })),
      // A dense spot in the city, so z14 tiles there hold many points.
      ...Array.from({ length: 50 }, (_, index) => ({ lon: 103.0169 + (index % 10) * 0.0007, lat: 21.386 + Math.floor(index / 10) * 0.0007, createdAt: '2025-09-02T10:00:00+07:00' })),
    ];
    await insertTestReports(server.db, specs);
    await insertTestReports(embedded.db, specs);
  });
  afterAll(async () => {
    await server?.close();
    await embedded?.close();
  });

  async function parametersFor(database: DatabaseHandle, layer: LayerDefinition): Promise<LayerParameters> {
    if (!layer.usesBoundarySet) return { filters: {} };
    const set = await sql<{ id: string }>`SELECT id FROM boundary_set WHERE name = 'dienbien-2025'`.execute(database.db);
    return { filters: {}, boundarySetId: set.rows[0]!.id };
  }

  const cases: Array<{ layer: LayerDefinition; tile: TileAddress }> = [];
  for (const layer of listLayers()) {
    for (const z of layer.id === 'reports' ? [7, 10, 12, 13, 15] : [6, 9, 12, 14]) {
      for (const place of places) cases.push({ layer, tile: tileContaining(place.lon, place.lat, z) });
    }
  }

  it('for every layer, at several zooms and places', async () => {
    let compared = 0;
    for (const { layer, tile } of cases) {
      const label = `${layer.id} ${tile.z}/${tile.x}/${tile.y}`;
      const fromServer = decodeTile(await serverTileEncoder.encode(server.db, layer, tile, await parametersFor(server, layer)));
      const fromEmbedded = decodeTile(await embeddedTileEncoder.encode(embedded.db, layer, tile, await parametersFor(embedded, layer)));
      expect(Object.keys(fromEmbedded), label).toEqual(Object.keys(fromServer));
      // Report ids and tracking codes are made per database; everything else must match.
      const a = sortFeatures((fromServer[layer.id] ?? []).map(withoutIdentity));
      const b = sortFeatures((fromEmbedded[layer.id] ?? []).map(withoutIdentity));
      expect(b.map((feature) => feature.properties), label).toEqual(a.map((feature) => feature.properties));
      a.forEach((feature, index) => expectSameGeometry(feature, b[index]!, `${label} ${JSON.stringify(feature.properties).slice(0, 80)}`));
      compared += a.length;
    }
    expect(compared).toBeGreaterThan(500);
  });
});

function withoutIdentity(feature: DecodedFeature): DecodedFeature {
  const { id: _id, tracking_code: _code, ...properties } = feature.properties;
  return { ...feature, properties };
}

function sortFeatures(features: DecodedFeature[]): DecodedFeature[] {
  const key = (feature: DecodedFeature) => `${JSON.stringify(Object.entries(feature.properties).sort())} ${feature.type === 'Point' ? feature.rings[0]!.join(';') : ''}`;
  return [...features].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
}

function expectSameGeometry(a: DecodedFeature, b: DecodedFeature, label: string): void {
  expect(b.type, label).toBe(a.type);
  if (a.type === 'Point') {
    const pointsA = a.rings.flat();
    const pointsB = b.rings.flat();
    expect(pointsB.length, label).toBe(pointsA.length);
    pointsA.forEach(([x, y], index) => {
      expect(Math.abs(pointsB[index]![0] - x), label).toBeLessThanOrEqual(1);
      expect(Math.abs(pointsB[index]![1] - y), label).toBeLessThanOrEqual(1);
    });
    return;
  }
  // Polygons: the same area (within what ±1 unit per vertex can change), every vertex of one within
  // one unit (diagonal) of the other's outline, and exteriors wound the MVT way in both.
  const area = (feature: DecodedFeature) => feature.rings.reduce((sum, ring) => sum + ringArea(ring), 0);
  const perimeter = a.rings.reduce((sum, ring) => sum + ring.reduce((length, point, index) => length + Math.hypot(point[0] - ring[(index + 1) % ring.length]![0], point[1] - ring[(index + 1) % ring.length]![1]), 0), 0);
  expect(Math.abs(area(a) - area(b)), label).toBeLessThanOrEqual(perimeter * 1.5 + 4);
  expect(ringArea(a.rings[0]!), label).toBeGreaterThan(0);
  expect(ringArea(b.rings[0]!), label).toBeGreaterThan(0);
  expect(maxDistanceToOutline(a, b), label).toBeLessThanOrEqual(Math.SQRT2 + 1e-9);
  expect(maxDistanceToOutline(b, a), label).toBeLessThanOrEqual(Math.SQRT2 + 1e-9);
}

/** The largest distance from a vertex of `from` to the nearest edge of `to`. */
function maxDistanceToOutline(from: DecodedFeature, to: DecodedFeature): number {
  const segments: Array<[[number, number], [number, number]]> = [];
  for (const ring of to.rings) for (let index = 0; index < ring.length; index += 1) segments.push([ring[index]!, ring[(index + 1) % ring.length]!]);
  let worst = 0;
  for (const ring of from.rings) {
    for (const point of ring) {
      let best = Number.POSITIVE_INFINITY;
      for (const [p, q] of segments) best = Math.min(best, distanceToSegment(point, p, q));
      worst = Math.max(worst, best);
    }
  }
  return worst;
}

function distanceToSegment([x, y]: [number, number], [x1, y1]: [number, number], [x2, y2]: [number, number]): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const length = dx * dx + dy * dy;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / length));
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy));
}
