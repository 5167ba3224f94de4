import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOsmFixture, osmFixtureNames as names } from '@bandoso/gis-data/basemap';
import { ogcFeatureCollectionSchema, ogcFeatureWithLinksSchema } from '@bandoso/contracts';
import { tileContaining, type DecodedFeature } from '@bandoso/tiles';
import type { DatabaseHandle } from '../../db/database.ts';
import { prepareDatabase } from '../../prepare-database.ts';
import { createCliTestDatabase, repositoryRoot, runEntryPoint, startTestServer, type CliTestDatabase } from '../../testing/index.ts';
import { importReferenceFile } from '../imports/imports.service.ts';
import { fetchTile } from '../tiles/tile-test-helpers.ts';

// `npm run import -- basemap` end to end: the project's own OSM fixture (gis-data/src/basemap),
// turned into PBF by osmium, imported by the command line, and read back as tiles from the real
// server. Runs on the embedded database and, with DATABASE_URL, on a PostGIS server.

const cli = 'api/src/cli/import-cli.ts';
const osmiumInstalled = spawnSync('osmium', ['--version']).status === 0;
const missingOsmium = 'osmium-tool is not installed (apt-get install osmium-tool); the base map import needs it.';

function describeWithOsmium(name: string, body: () => void): void {
  if (osmiumInstalled) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs osmium-tool (CI=true: a missing osmium fails the run)', () => {
        throw new Error(missingOsmium);
      });
    });
    return;
  }
  console.warn(`\n[base map import tests skipped] ${missingOsmium}\n`);
  describe.skip(name, body);
}

/** Each test runs the command (node + tsx + the database: a few seconds, more on a busy machine) and a server. */
const TEST_TIMEOUT_MS = 300_000;

describeWithOsmium('npm run import -- basemap (OpenStreetMap base map)', () => {
  let target: CliTestDatabase;
  let files: { first: string; second: string; truncated: string };

  beforeAll(async () => {
    target = await createCliTestDatabase('basemap');
    const write = (name: string, revision: 1 | 2) => {
      const osm = path.join(target.scratch, `${name}.osm`);
      const pbf = path.join(target.scratch, `${name}.osm.pbf`);
      fs.writeFileSync(osm, buildOsmFixture({ revision }));
      const converted = spawnSync('osmium', ['cat', osm, '-o', pbf, '--overwrite', '--no-progress'], { encoding: 'utf8' });
      expect(converted.status, converted.stderr).toBe(0);
      return pbf;
    };
    const first = write('dien-bien-phu', 1);
    const second = write('dien-bien-phu-newer', 2);
    const truncated = path.join(target.scratch, 'dien-bien-phu-broken.osm.pbf');
    const bytes = fs.readFileSync(second);
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    files = { first, second, truncated };
    // The default clip is the province of the boundary set in force: a fresh embedded database has none yet.
    await target.use(async (database) => {
      await prepareDatabase(database, { seed: false });
      const provinces = await sql<{ count: number }>`SELECT count(*)::integer AS count FROM admin_unit WHERE level = 'province'`.execute(database.db);
      if (provinces.rows[0]!.count > 0) return;
      for (const layer of ['province', 'communes'] as const) {
        const file = path.join(repositoryRoot, 'gis-data/sample', layer === 'province' ? 'province.geojson' : 'communes-2025.geojson');
        const report = await importReferenceFile(database.db, { layer, source: { path: file }, boundarySet: { name: 'dienbien-2025', validFrom: '2025-07-01' } });
        expect(report.status, JSON.stringify(report.rejected)).toBe('imported');
      }
    });
  }, 240_000);
  afterAll(() => target?.close());

  /** The tiles of several layers at the given places, from a server started on the test database. */
  async function readTiles(requests: Array<{ layer: string; lon: number; lat: number; z: number }>): Promise<Array<{ status: number; etag: string | null; features: DecodedFeature[] }>> {
    return target.use(async (database: DatabaseHandle) => {
      const server = await startTestServer(database);
      try {
        const results = [];
        for (const request of requests) {
          const { z, x, y } = tileContaining(request.lon, request.lat, request.z);
          const tile = await fetchTile(`${server.baseUrl}/tiles/${request.layer}/${z}/${x}/${y}.mvt`);
          expect([200, 204], `${request.layer} ${z}/${x}/${y}`).toContain(tile.status);
          if (tile.status === 200) expect(tile.layers).toEqual([request.layer]);
          results.push({ status: tile.status, etag: tile.headers.get('etag'), features: tile.features });
        }
        return results;
      } finally {
        await server.close();
      }
    });
  }

  const namesIn = (features: DecodedFeature[]) => features.map((feature) => feature.properties.name).filter((name) => name !== undefined).sort();

  const places = {
    mainStreet: { lon: 103.02, lat: 21.388 },
    smallStreet: { lon: 103.021, lat: 21.382 },
    river: { lon: 103.016, lat: 21.39 },
    museum: { lon: 103.0297, lat: 21.3852 },
  };

  it('imports the fixture (clipped to the province), and the tiles at z12 and z16 draw the roads and the river with their names', async () => {
    const started = performance.now();
    const result = await runEntryPoint(cli, ['basemap', files.first], target.environment);
    const seconds = (performance.now() - started) / 1000;
    expect(result.stderr).not.toMatch(/Error|Refused/);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/clipping to the province of boundary set/);
    expect(result.stderr).toMatch(/read \d+ nodes, \d+ ways, \d+ relations…/);
    expect(result.stdout).toMatch(/Imported the base map from dien-bien-phu\.osm\.pbf \(clip: province\)/);
    console.info(`[basemap] fixture import through the CLI: ${seconds.toFixed(1)} s`);

    const [roads12, waterways12, roads16, smallStreet16, waterways16, water16, buildings16, pois16, places12, landuse16] = await readTiles([
      { layer: 'basemap-roads', ...places.mainStreet, z: 12 },
      { layer: 'basemap-waterways', ...places.river, z: 12 },
      { layer: 'basemap-roads', ...places.mainStreet, z: 16 },
      { layer: 'basemap-roads', ...places.smallStreet, z: 16 },
      { layer: 'basemap-waterways', ...places.river, z: 16 },
      { layer: 'basemap-water', ...places.river, z: 16 },
      { layer: 'basemap-buildings', ...places.museum, z: 16 },
      { layer: 'basemap-pois', ...places.museum, z: 16 },
      { layer: 'basemap-places', ...places.mainStreet, z: 12 },
      { layer: 'basemap-landuse', lon: 103.0205, lat: 21.3845, z: 16 },
    ]);
    // z12: the main roads with names and refs, lines in tile space; the residential street and the footway wait for z13.
    const main = roads12!.features.find((feature) => feature.properties.name === names.mainStreet);
    expect(main).toMatchObject({ type: 'LineString', properties: { kind: 'road', class: 'primary', ref: 'QL279' } });
    expect(main!.rings.flat().length).toBeGreaterThanOrEqual(2);
    expect(namesIn(roads12!.features)).toEqual([names.secondStreet, names.mainStreet, names.eastStreet].sort());
    expect(roads12!.features.map((feature) => feature.properties.class)).not.toContain('footway');
    // The river, not yet the stream.
    expect(waterways12!.features.map((feature) => [feature.type, feature.properties.name, feature.properties.class])).toEqual([['LineString', names.river, 'river']]);
    expect(namesIn(places12!.features)).toEqual([names.village, names.town].sort());

    // z16: every class, and the smaller things.
    expect(namesIn(roads16!.features)).toEqual(expect.arrayContaining([names.mainStreet]));
    expect(namesIn(smallStreet16!.features)).toContain(names.smallStreet);
    expect(smallStreet16!.features.find((feature) => feature.properties.name === names.smallStreet)!.properties).toEqual({ kind: 'road', class: 'residential', name: names.smallStreet });
    expect(waterways16!.features.filter((feature) => feature.properties.name === names.river).map((feature) => feature.type)).toEqual(['LineString']);
    expect(water16!.features.map((feature) => [feature.type, feature.properties.name])).toEqual([['Polygon', names.river]]);
    expect(buildings16!.features.find((feature) => feature.properties.name === names.museum)).toMatchObject({ type: 'Polygon', properties: { class: 'yes' } });
    expect(pois16!.features.map((feature) => [feature.type, feature.properties.class, feature.properties.name])).toContainEqual(['Point', 'museum', names.museum]);
    expect(landuse16!.features.map((feature) => [feature.properties.kind, feature.properties.class, feature.properties.name])).toContainEqual(['park', 'park', names.park]);

    await target.use(async (database) => {
      const imports = await sql<{ source_name: string; clip: string; source_sha256: string; counts: Record<string, Record<string, number>> }>`
        SELECT source_name, clip, source_sha256, counts FROM basemap_import`.execute(database.db);
      expect(imports.rows).toHaveLength(1);
      expect(imports.rows[0]).toMatchObject({ source_name: 'dien-bien-phu.osm.pbf', clip: 'province', counts: { line: { road: 6, waterway: 2 } } });
      expect(imports.rows[0]!.source_sha256).toMatch(/^[0-9a-f]{64}$/);
      // Valid, WGS84, multi; names folded for search; points in their commune.
      const checks = await sql<{ invalid: number; srids: number[]; folded: string; commune: string | null }>`
        SELECT
          (SELECT count(*)::integer FROM (SELECT geom FROM basemap_line UNION ALL SELECT geom FROM basemap_area) AS g WHERE NOT ST_IsValid(g.geom)) AS invalid,
          (SELECT array_agg(DISTINCT ST_SRID(geom)) FROM basemap_area) AS srids,
          (SELECT name_folded FROM basemap_line WHERE name = ${names.mainStreet}) AS folded,
          (SELECT commune_code FROM basemap_point WHERE name = ${names.museum}) AS commune`.execute(database.db);
      expect(checks.rows[0]).toMatchObject({ invalid: 0, srids: [4326], folded: 'duong vo nguyen giap' });
      expect(checks.rows[0]!.commune).not.toBeNull();
    });
  }, TEST_TIMEOUT_MS);

  it('replaces the whole base map on a re-import (a street renamed, a footway gone)', async () => {
    const result = await runEntryPoint(cli, ['basemap', files.second], target.environment);
    expect(result.stderr).not.toMatch(/Error|Refused/);
    expect(result.code).toBe(0);
    const [smallStreet16] = await readTiles([{ layer: 'basemap-roads', ...places.smallStreet, z: 16 }]);
    expect(namesIn(smallStreet16!.features)).toContain(names.smallStreetRenamed);
    expect(namesIn(smallStreet16!.features)).not.toContain(names.smallStreet);
    await target.use(async (database) => {
      const rows = await sql<{ old: number; renamed: number; footways: number; roads: number; imports: number }>`
        SELECT (SELECT count(*)::integer FROM basemap_line WHERE name = ${names.smallStreet}) AS old,
          (SELECT count(*)::integer FROM basemap_line WHERE name = ${names.smallStreetRenamed}) AS renamed,
          (SELECT count(*)::integer FROM basemap_line WHERE class = 'footway') AS footways,
          (SELECT count(*)::integer FROM basemap_line WHERE kind = 'road') AS roads,
          (SELECT count(*)::integer FROM basemap_import) AS imports`.execute(database.db);
      expect(rows.rows[0]).toEqual({ old: 0, renamed: 1, footways: 0, roads: 5, imports: 2 });
    });
  }, TEST_TIMEOUT_MS);

  it('refuses a broken PBF with exit status 1 and says why; the previous base map keeps serving the same tiles', async () => {
    const requests = [
      { layer: 'basemap-roads', ...places.smallStreet, z: 16 },
      { layer: 'basemap-waterways', ...places.river, z: 12 },
    ];
    const before = await readTiles(requests);
    const result = await runEntryPoint(cli, ['basemap', files.truncated], target.environment);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Refused: dien-bien-phu-broken\.osm\.pbf cannot be read as OpenStreetMap data: osmium \S+ failed .*Nothing was changed: the previous base map stays\./);
    expect(result.stderr).toMatch(/Từ chối:/);
    const after = await readTiles(requests);
    expect(after.map((tile) => tile.etag)).toEqual(before.map((tile) => tile.etag));
    expect(after.map((tile) => namesIn(tile.features))).toEqual(before.map((tile) => namesIn(tile.features)));
    expect(namesIn(after[0]!.features)).toContain(names.smallStreetRenamed);

    const missing = await runEntryPoint(cli, ['basemap', path.join(target.scratch, 'no-such-file.osm.pbf')], target.environment);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot be read \(ENOENT\)/);
    const usage = await runEntryPoint(cli, ['basemap', files.second, '--clip', '103,21,102,22'], target.environment);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--clip 103,21,102,22: .*min before max/);
  }, TEST_TIMEOUT_MS);

  it('keeps only what lies in the box with --clip W,S,E,N (ways crossing its edge stay whole)', async () => {
    const result = await runEntryPoint(cli, ['basemap', files.first, '--clip', '103.010,21.370,103.027,21.400'], target.environment);
    expect(result.stderr).not.toMatch(/Error|Refused/);
    expect(result.code).toBe(0);
    await target.use(async (database) => {
      const named = await sql<{ name: string }>`
        SELECT name FROM basemap_line WHERE name IS NOT NULL UNION SELECT name FROM basemap_area WHERE name IS NOT NULL UNION SELECT name FROM basemap_point ORDER BY name`.execute(database.db);
      const kept = named.rows.map((row) => row.name);
      expect(kept).toEqual(expect.arrayContaining([names.mainStreet, names.secondStreet, names.smallStreet, names.river, names.park]));
      for (const outside of [names.eastStreet, names.museum, names.village]) expect(kept).not.toContain(outside);
      // The main street crosses the box's east edge and is kept whole (all four of its points).
      const main = await sql<{ points: number }>`SELECT ST_NPoints(geom) AS points FROM basemap_line WHERE name = ${names.mainStreet}`.execute(database.db);
      expect(main.rows[0]!.points).toBe(4);
      const latest = await sql<{ clip: string; bbox: string }>`SELECT clip, ST_AsText(bbox) AS bbox FROM basemap_import ORDER BY imported_at DESC LIMIT 1`.execute(database.db);
      expect(latest.rows[0]!.clip).toBe('103.01,21.37,103.027,21.4');

      // The base map is an OGC API collection too (bigint ids): pages by cursor, one feature by id.
      const server = await startTestServer(database);
      try {
        // What the contracts say of every collection (response-contracts.e2e.test.ts skips the base map's while empty).
        const first = ogcFeatureCollectionSchema.parse(await (await fetch(`${server.baseUrl}/ogc/collections/basemap-roads/items?limit=2`)).json()) as any;
        expect(first.numberMatched).toBe(4);
        expect(first.features.map((feature: any) => feature.geometry.type)).toEqual(['MultiLineString', 'MultiLineString']);
        const next = first.links.find((link: { rel: string }) => link.rel === 'next');
        const second = (await (await fetch(next.href)).json()) as any;
        expect(second.features).toHaveLength(2);
        const ids = [...first.features, ...second.features].map((feature: any) => String(feature.id));
        expect(new Set(ids).size).toBe(4);
        const one = await fetch(`${server.baseUrl}/ogc/collections/basemap-roads/items/${ids[0]}`);
        expect(one.status).toBe(200);
        ogcFeatureWithLinksSchema.parse(await one.json());
        expect((await fetch(`${server.baseUrl}/ogc/collections/basemap-roads/items/not-a-number`)).status).toBe(404);
        const collection = (await (await fetch(`${server.baseUrl}/ogc/collections/basemap-roads`)).json()) as any;
        expect(collection.attribution ?? JSON.stringify(collection)).toMatch(/OpenStreetMap contributors/);
      } finally {
        await server.close();
      }
    });
  }, TEST_TIMEOUT_MS);
});
