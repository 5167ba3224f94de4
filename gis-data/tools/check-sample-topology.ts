/**
 * Check the sample data set in gis-data/sample: structure, precision, winding, and topology in
 * embedded PostGIS (validity, no overlaps, unions equal to their outlines, seats inside their units,
 * points inside the province). Exits non-zero if anything fails.
 *
 *   npx tsx gis-data/tools/check-sample-topology.ts [sample-directory]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import geojsonValidation from 'geojson-validation';

const sampleDir = process.argv[2] ? path.resolve(process.argv[2]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../sample');
/** Largest area (deg²) by which a union may differ from its outline. */
const AREA_TOLERANCE = 1e-9;

type Position = number[];
interface Feature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
}
interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

let failures = 0;
function check(condition: boolean, message: string): void {
  if (condition) {
    console.log(`  ok   ${message}`);
  } else {
    failures++;
    console.log(`  FAIL ${message}`);
  }
}

function readJson(name: string): unknown {
  return JSON.parse(readFileSync(path.join(sampleDir, name), 'utf8'));
}

function readLayer(name: string): FeatureCollection {
  const collection = readJson(name) as FeatureCollection;
  check(collection.type === 'FeatureCollection' && geojsonValidation.valid(collection), `${name}: valid GeoJSON FeatureCollection (${collection.features.length} features)`);
  return collection;
}

function positionsOf(coordinates: unknown): Position[] {
  if (Array.isArray(coordinates) && typeof coordinates[0] === 'number') return [coordinates as Position];
  return Array.isArray(coordinates) ? coordinates.flatMap(positionsOf) : [];
}

function ringsOf(geometry: Feature['geometry']): { ring: Position[]; exterior: boolean }[] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates as Position[][]] : geometry.type === 'MultiPolygon' ? (geometry.coordinates as Position[][][]) : [];
  return polygons.flatMap((polygon) => polygon.map((ring, i) => ({ ring, exterior: i === 0 })));
}

function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return sum / 2;
}

/** RFC 7946 positions: [lon, lat] inside the Điện Biên area, 6 decimals; rings closed and CCW. */
function checkCoordinates(name: string, collection: FeatureCollection, extraGeometries: (feature: Feature) => Feature['geometry'][] = () => []): void {
  const geometries = collection.features.flatMap((feature) => [feature.geometry, ...extraGeometries(feature)]);
  const positions = geometries.flatMap((geometry) => positionsOf(geometry.coordinates));
  check(
    positions.every((p) => p.length === 2 && p[0]! > 102 && p[0]! < 104 && p[1]! > 20.5 && p[1]! < 23),
    `${name}: all positions are [lon, lat] in the Điện Biên area`,
  );
  check(
    positions.every((p) => p.every((value) => (String(value).split('.')[1]?.length ?? 0) <= 6)),
    `${name}: coordinates rounded to 6 decimals`,
  );
  const rings = geometries.flatMap(ringsOf);
  check(
    rings.every(({ ring }) => ring.length >= 4 && ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1]),
    `${name}: rings closed`,
  );
  check(rings.every(({ ring, exterior }) => (signedArea(ring) > 0) === exterior), `${name}: exterior rings counter-clockwise, holes clockwise`);
}

async function scalar<T>(db: PGlite, sql: string, params: unknown[] = []): Promise<T> {
  const result = await db.query<{ value: T }>(sql, params);
  return result.rows[0]!.value;
}

async function loadLayer(db: PGlite, table: string, collection: FeatureCollection): Promise<void> {
  await db.exec(`CREATE TABLE ${table} (id serial PRIMARY KEY, props jsonb NOT NULL, geom geometry(Geometry, 4326) NOT NULL)`);
  for (const feature of collection.features) {
    await db.query(`INSERT INTO ${table} (props, geom) VALUES ($1::jsonb, ST_SetSRID(ST_GeomFromGeoJSON($2), 4326))`, [
      JSON.stringify(feature.properties),
      JSON.stringify(feature.geometry),
    ]);
  }
}

async function checkValid(db: PGlite, table: string, label: string): Promise<void> {
  const invalid = await db.query<{ reason: string }>(`SELECT props->>'code' || ' ' || coalesce(props->>'zone_code', '') || ': ' || ST_IsValidReason(geom) AS reason FROM ${table} WHERE NOT ST_IsValid(geom)`);
  invalid.rows.forEach((row) => console.log(`       ${row.reason}`));
  check(invalid.rows.length === 0, `${label}: every geometry ST_IsValid`);
}

/** Pairs whose interiors intersect (overlap area > 0 or any 2-D shared interior). */
async function checkNoOverlap(db: PGlite, table: string, label: string, samePartition = 'true'): Promise<void> {
  const overlaps = await db.query<{ pair: string; area: number }>(
    `SELECT coalesce(a.props->>'code', a.props->>'zone_code') || ' / ' || coalesce(b.props->>'code', b.props->>'zone_code') AS pair,
            ST_Area(ST_Intersection(a.geom, b.geom)) AS area
       FROM ${table} a JOIN ${table} b ON a.id < b.id AND a.geom && b.geom AND ${samePartition}
      WHERE ST_Relate(a.geom, b.geom, '2********') OR ST_Area(ST_Intersection(a.geom, b.geom)) > 0`,
  );
  overlaps.rows.forEach((row) => console.log(`       ${row.pair}: ${row.area}`));
  check(overlaps.rows.length === 0, `${label}: no two features overlap (touching edges allowed)`);
}

async function checkUnionEquals(db: PGlite, partsTable: string, wholeTable: string, label: string): Promise<void> {
  const difference = await scalar<number>(
    db,
    `SELECT ST_Area(ST_SymDifference((SELECT ST_Union(geom) FROM ${partsTable}), (SELECT ST_Union(geom) FROM ${wholeTable}))) AS value`,
  );
  check(difference <= AREA_TOLERANCE, `${label}: union equals the outline (area difference ${difference.toExponential(2)} deg² ≤ ${AREA_TOLERANCE})`);
}

async function main(): Promise<void> {
  console.log('Reading sample files');
  const province = readLayer('province.geojson');
  const communes = readLayer('communes-2025.geojson');
  const districts = readLayer('districts-pre2025.geojson');
  const cityCommunes = readLayer('communes-pre2025-tp-dien-bien-phu.geojson');
  const planning = readLayer('planning-zones.geojson');
  const heritage = readLayer('heritage-sites.geojson');
  const cameras = readLayer('cameras.geojson');
  const facilities = readLayer('facilities.geojson');
  const offices = readJson('offices.json') as Record<string, unknown>[];

  console.log('Coordinates');
  checkCoordinates('province', province);
  checkCoordinates('communes-2025', communes, (feature) => [{ type: 'Point', coordinates: feature.properties.admin_center }]);
  checkCoordinates('districts-pre2025', districts);
  checkCoordinates('communes-pre2025', cityCommunes, (feature) => [{ type: 'Point', coordinates: feature.properties.admin_center }]);
  checkCoordinates('planning-zones', planning);
  checkCoordinates('heritage-sites', heritage, (feature) => (feature.properties.footprint ? [feature.properties.footprint as Feature['geometry']] : []));
  checkCoordinates('cameras', cameras);
  checkCoordinates('facilities', facilities);
  const provinceVertices = positionsOf(province.features[0]!.geometry.coordinates).length - 1;
  check(provinceVertices >= 40 && provinceVertices <= 120, `province outline has ${provinceVertices} vertices (40–120)`);

  console.log('Attributes');
  const communeCodes = communes.features.map((feature) => String(feature.properties.code));
  check(communes.features.length === 45 && new Set(communeCodes).size === 45, 'communes-2025: 45 units with distinct codes');
  check(communes.features.filter((feature) => feature.properties.unit_type === 'phường').length === 3, 'communes-2025: 3 phường, 42 xã');
  check(
    communes.features.every((feature) => /^\d{5}$/.test(String(feature.properties.code)) && feature.geometry.type === 'MultiPolygon' && typeof feature.properties.merged_from === 'string' && typeof feature.properties.admin_center_name === 'string' && typeof feature.properties.position_note === 'string'),
    'communes-2025: code, merged_from, admin_center_name, position_note present; MultiPolygon geometry',
  );
  check(cityCommunes.features.length === 12 && cityCommunes.features.every((feature) => feature.properties.parent_code === '094'), 'communes-pre2025: 12 units of district 094');
  const landUses = new Set(['DO', 'TMDV', 'CX', 'GD', 'YT', 'GT', 'HH', 'DT', 'CQ', 'MN', 'CN']);
  const versions = [...new Set(planning.features.map((feature) => String(feature.properties.plan_version)))].sort();
  check(versions.length === 2, `planning-zones: two plan versions (${versions.join(', ')})`);
  for (const version of versions) {
    const zones = planning.features.filter((feature) => feature.properties.plan_version === version);
    const codes = zones.map((feature) => String(feature.properties.zone_code));
    check(zones.length >= 30 && new Set(codes).size === codes.length, `planning-zones ${version}: ${zones.length} zones (≥ 30) with distinct zone codes`);
  }
  check(
    planning.features.every((feature) => {
      const p = feature.properties;
      return (
        landUses.has(String(p.land_use_code)) &&
        typeof p.max_density_pct === 'number' && p.max_density_pct >= 0 && p.max_density_pct <= 100 &&
        Number.isInteger(p.max_floors) && typeof p.max_height_m === 'number' && typeof p.far === 'number' &&
        /^\d{4}-\d{2}-\d{2}$/.test(String(p.decision_date)) && String(p.zone_code).startsWith(`${String(p.land_use_code)}-`)
      );
    }),
    'planning-zones: land-use codes, density 0–100, integer floors, dates and zone-code prefixes',
  );
  check(heritage.features.length >= 12 && heritage.features.every((feature) => ['special_national', 'national', 'provincial'].includes(String(feature.properties.rank))), `heritage-sites: ${heritage.features.length} sites (≥ 12) with a valid rank`);
  check(
    cameras.features.length >= 10 &&
      cameras.features.every((feature) => {
        const p = feature.properties as Record<string, number | string>;
        return Number(p.bearing_deg) >= 0 && Number(p.bearing_deg) < 360 && Number(p.hfov_deg) >= 30 && Number(p.hfov_deg) <= 120 && Number(p.range_m) >= 50 && Number(p.range_m) <= 300;
      }),
    `cameras: ${cameras.features.length} cameras (≥ 10) with bearing, field of view and range in range`,
  );
  const hotlines: Record<string, string> = { police: '113', fire: '114', hospital: '115', clinic: '115' };
  check(
    facilities.features.length >= 10 && facilities.features.every((feature) => hotlines[String(feature.properties.kind)] === feature.properties.hotline),
    `facilities: ${facilities.features.length} facilities (≥ 10), hotline matches kind`,
  );
  const officeCodes = new Set(offices.map((office) => String(office.code)));
  const committees = offices.filter((office) => office.kind === 'commune_committee');
  const coveredUnits = committees.flatMap((office) => (office.covers as { unit_codes: string[] }).unit_codes);
  check(
    committees.length === 45 && new Set(coveredUnits).size === 45 && coveredUnits.every((code) => communeCodes.includes(code)),
    'offices: one People’s Committee per 2025 unit',
  );
  check(
    officeCodes.size === offices.length &&
      offices.every((office) => ['commune_committee', 'department', 'police', 'utility', 'ioc'].includes(String(office.kind)) && (office.supervisor_code === null || officeCodes.has(String(office.supervisor_code)))),
    `offices: ${offices.length} offices, distinct codes, known kinds, supervisors exist`,
  );

  console.log('Topology (embedded PostGIS)');
  const db = await PGlite.create({ extensions: { postgis } });
  await db.exec('CREATE EXTENSION postgis');
  await loadLayer(db, 'province', province);
  await loadLayer(db, 'communes', communes);
  await loadLayer(db, 'districts', districts);
  await loadLayer(db, 'city_communes', cityCommunes);
  await loadLayer(db, 'planning', planning);
  await loadLayer(db, 'heritage', heritage);
  await loadLayer(db, 'cameras', cameras);
  await loadLayer(db, 'facilities', facilities);

  for (const [table, label] of [['province', 'province'], ['communes', 'communes-2025'], ['districts', 'districts-pre2025'], ['city_communes', 'communes-pre2025'], ['planning', 'planning-zones']] as const) {
    await checkValid(db, table, label);
  }
  await checkNoOverlap(db, 'communes', 'communes-2025');
  await checkUnionEquals(db, 'communes', 'province', 'communes-2025');
  await checkNoOverlap(db, 'city_communes', 'communes-pre2025');
  await checkUnionEquals(db, 'city_communes', 'districts', 'communes-pre2025');
  check(await scalar<boolean>(db, 'SELECT bool_and(ST_CoveredBy(d.geom, p.geom)) AS value FROM districts d, province p'), 'districts-pre2025: inside the province outline');
  await checkNoOverlap(db, 'planning', 'planning-zones (within one version)', `a.props->>'plan_version' = b.props->>'plan_version'`);

  for (const [table, label] of [['communes', 'communes-2025'], ['city_communes', 'communes-pre2025']] as const) {
    const outside = await db.query<{ code: string }>(
      `SELECT props->>'code' AS code FROM ${table}
        WHERE NOT ST_Contains(geom, ST_SetSRID(ST_MakePoint((props->'admin_center'->>0)::float8, (props->'admin_center'->>1)::float8), 4326))`,
    );
    check(outside.rows.length === 0, `${label}: every unit contains its admin_center ${outside.rows.map((row) => row.code).join(' ')}`);
  }

  for (const [table, label] of [['heritage', 'heritage-sites'], ['cameras', 'cameras'], ['facilities', 'facilities']] as const) {
    const outside = await scalar<number>(db, `SELECT count(*)::int AS value FROM ${table} t, province p WHERE NOT ST_Contains(p.geom, t.geom)`);
    check(outside === 0, `${label}: every point inside the province outline`);
  }
  const misplaced = await db.query<{ code: string }>(
    `SELECT f.props->>'code' AS code FROM facilities f JOIN communes c ON c.props->>'code' = f.props->>'unit_code' WHERE NOT ST_Contains(c.geom, f.geom)`,
  );
  const unknownUnit = await scalar<number>(db, `SELECT count(*)::int AS value FROM facilities f WHERE NOT EXISTS (SELECT 1 FROM communes c WHERE c.props->>'code' = f.props->>'unit_code')`);
  check(misplaced.rows.length === 0 && unknownUnit === 0, `facilities: each lies inside the sample unit named by unit_code ${misplaced.rows.map((row) => row.code).join(' ')}`);
  const badFootprints = await scalar<number>(
    db,
    `SELECT count(*)::int AS value FROM heritage WHERE props ? 'footprint'
        AND NOT (ST_IsValid(ST_GeomFromGeoJSON(props->>'footprint')) AND ST_Contains(ST_SetSRID(ST_GeomFromGeoJSON(props->>'footprint'), 4326), geom))`,
  );
  check(badFootprints === 0, 'heritage-sites: footprints valid and containing their point');
  await db.close();

  console.log(failures === 0 ? 'All checks passed.' : `${failures} check(s) failed.`);
  process.exitCode = failures === 0 ? 0 : 1;
}

await main();
