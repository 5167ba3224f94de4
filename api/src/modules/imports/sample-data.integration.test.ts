import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { getSharedTestDatabase, repositoryRoot } from '../../testing/index.ts';
import { CURRENT_BOUNDARY_SET, PRE_2025_BOUNDARY_SET } from './sample-data.ts';

// Official names and codes (facts) from the shared test data; geometry is never read from there here.
const sharedData = path.resolve(repositoryRoot, '../shared/data');
const official2025 = (JSON.parse(fs.readFileSync(path.join(sharedData, 'dienbien-communes-2025.geojson'), 'utf8')) as {
  features: Array<{ properties: { code: string; name: string; unit_type: string } }>;
}).features.map((feature) => feature.properties);
const officialPre2025 = (JSON.parse(fs.readFileSync(path.join(sharedData, 'dienbien-communes-pre2025-list.json'), 'utf8')) as {
  communes: Array<{ code: string; name: string; district_code: string }>;
}).communes;

let database: DatabaseHandle;
beforeAll(async () => {
  database = await getSharedTestDatabase();
});

async function unitsOf(setName: string, levels: string[]) {
  const result = await sql<{ code: string; name: string; level: string; parent: string | null }>`
    SELECT u.code, u.name, u.level, p.code AS parent
    FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id LEFT JOIN admin_unit p ON p.id = u.parent_id
    WHERE s.name = ${setName} AND u.level = ANY(${levels}::text[]) ORDER BY u.code`.execute(database.db);
  return result.rows;
}

/** Topology of one set: valid units, no overlap, no gap or spill against the outline (areas in m²). */
async function topology(setName: string, outlineLevel: 'province' | 'district', memberLevels: string[]) {
  const result = await sql<{ invalid: number; overlap: number; gap: number; spill: number; centres_outside: number; centres_missing: number }>`
    WITH members AS (
      SELECT u.* FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
      WHERE s.name = ${setName} AND u.level = ANY(${memberLevels}::text[])
    ), outline AS (
      SELECT ST_Union(u.geom) AS geom FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
      WHERE s.name = ${setName} AND u.level = ${outlineLevel}
    ), covered AS (SELECT ST_Union(geom) AS geom FROM members)
    SELECT
      (SELECT count(*) FROM members WHERE NOT ST_IsValid(geom))::int AS invalid,
      coalesce((SELECT sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)) FROM members a JOIN members b ON a.code < b.code AND a.geom && b.geom), 0) AS overlap,
      (SELECT ST_Area(ST_Difference(outline.geom, covered.geom)::geography) FROM outline, covered) AS gap,
      (SELECT ST_Area(ST_Difference(covered.geom, outline.geom)::geography) FROM outline, covered) AS spill,
      (SELECT count(*) FROM members WHERE admin_center IS NOT NULL AND NOT ST_Covers(geom, admin_center))::int AS centres_outside,
      (SELECT count(*) FROM members WHERE admin_center IS NULL)::int AS centres_missing`.execute(database.db);
  return result.rows[0]!;
}

describe('the Điện Biên sample data, as loaded by the seed', () => {
  it('has the 45 units of 2025 with their official codes and names', async () => {
    const units = await unitsOf(CURRENT_BOUNDARY_SET, ['commune', 'ward', 'town']);
    expect(units.map(({ code, name }) => ({ code, name }))).toEqual(
      official2025.map(({ code, name }) => ({ code, name })).sort((a, b) => a.code.localeCompare(b.code)),
    );
    expect(units.filter((unit) => unit.level === 'ward')).toHaveLength(3);
    expect(units.filter((unit) => unit.level === 'commune')).toHaveLength(42);
    expect(new Set(units.map((unit) => unit.parent))).toEqual(new Set(['11']));
  });

  it('has the 12 pre-2025 units of Thành phố Điện Biên Phủ under their district', async () => {
    const units = await unitsOf(PRE_2025_BOUNDARY_SET, ['commune', 'ward', 'town']);
    const expected = officialPre2025.filter((unit) => unit.district_code === '094');
    expect(units.map(({ code, name }) => ({ code, name }))).toEqual(
      expected.map(({ code, name }) => ({ code, name })).sort((a, b) => a.code.localeCompare(b.code)),
    );
    expect(new Set(units.map((unit) => unit.parent))).toEqual(new Set(['094']));
    const districts = await unitsOf(PRE_2025_BOUNDARY_SET, ['district']);
    expect(districts).toEqual([{ code: '094', name: 'Thành phố Điện Biên Phủ', level: 'district', parent: '11' }]);
  });

  it('is topologically clean in 2025: the units tile the province with no overlap and no gap, each around its seat', async () => {
    const result = await topology(CURRENT_BOUNDARY_SET, 'province', ['commune', 'ward', 'town']);
    expect(result).toEqual({ invalid: 0, overlap: expect.any(Number), gap: expect.any(Number), spill: expect.any(Number), centres_outside: 0, centres_missing: 0 });
    expect(result.overlap).toBeLessThan(1);
    expect(result.gap).toBeLessThan(1);
    expect(result.spill).toBeLessThan(1);
  });

  it('is topologically clean before 2025: the 12 city units tile the city, which lies inside the province', async () => {
    const result = await topology(PRE_2025_BOUNDARY_SET, 'district', ['commune', 'ward', 'town']);
    expect(result.invalid).toBe(0);
    expect(result.centres_outside).toBe(0);
    expect(result.centres_missing).toBe(0);
    expect(result.overlap).toBeLessThan(1);
    expect(result.gap).toBeLessThan(1);
    expect(result.spill).toBeLessThan(1);
    const inside = await topology(PRE_2025_BOUNDARY_SET, 'province', ['district']);
    expect(inside.spill).toBeLessThan(1);
  });

  it('has planning zones in two versions, not overlapping within a version', async () => {
    const zones = await sql<{ version: string; count: number; overlap: number }>`
      SELECT a.plan_version AS version, count(DISTINCT a.id)::int AS count,
             coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)) FILTER (WHERE b.id IS NOT NULL), 0) AS overlap
      FROM planning_zone a
      LEFT JOIN planning_zone b ON b.plan_code = a.plan_code AND b.plan_version = a.plan_version AND a.zone_code < b.zone_code AND a.geom && b.geom
      GROUP BY a.plan_version ORDER BY 1`.execute(database.db);
    expect(zones.rows.length).toBeGreaterThanOrEqual(2);
    for (const version of zones.rows) {
      expect(version.count).toBeGreaterThanOrEqual(30);
      expect(version.overlap, `overlap in version ${version.version}`).toBeLessThan(1);
    }
  });

  it('has heritage sites, cameras and facilities inside the province', async () => {
    const counts = await sql<{ layer: string; total: number; outside: number }>`
      WITH province AS (
        SELECT u.geom FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id WHERE s.name = ${CURRENT_BOUNDARY_SET} AND u.level = 'province'
      )
      SELECT 'heritage' AS layer, count(*)::int AS total, count(*) FILTER (WHERE NOT ST_Covers(province.geom, location))::int AS outside FROM heritage_site, province
      UNION ALL SELECT 'cameras', count(*)::int, count(*) FILTER (WHERE NOT ST_Covers(province.geom, location))::int FROM camera, province
      UNION ALL SELECT 'facilities', count(*)::int, count(*) FILTER (WHERE NOT ST_Covers(province.geom, location))::int FROM emergency_facility, province
      ORDER BY 1`.execute(database.db);
    const byLayer = Object.fromEntries(counts.rows.map((row) => [row.layer, row]));
    expect(byLayer.heritage!.total).toBeGreaterThanOrEqual(12);
    expect(byLayer.cameras!.total).toBeGreaterThanOrEqual(10);
    expect(byLayer.facilities!.total).toBeGreaterThanOrEqual(10);
    for (const row of counts.rows) expect(row.outside, row.layer).toBe(0);
    const kinds = await database.db.selectFrom('emergency_facility').select('hotline').distinct().orderBy('hotline').execute();
    expect(kinds.map((row) => row.hotline)).toEqual(['113', '114', '115']);
  });

  it('gives the modelled heritage sites their generated tilesets (illustrative) and their tours', async () => {
    const sites = await sql<{ code: string; tileset_source: string | null; tileset_version: string | null; tileset_illustrative: boolean; stops: number }>`
      SELECT f.code, f.tileset_source, f.tileset_version, f.tileset_illustrative, (SELECT count(*)::int FROM heritage_stop s WHERE s.site_id = f.id) AS stops
      FROM heritage_site f WHERE f.tileset_source IS NOT NULL OR EXISTS (SELECT 1 FROM heritage_stop s WHERE s.site_id = f.id) ORDER BY f.code`.execute(database.db);
    expect(sites.rows.map((row) => row.code)).toEqual(['DT-A1', 'DT-HAM-DE-CASTRIES', 'DT-MUONG-PHANG', 'DT-TUONG-DAI']);
    for (const row of sites.rows) {
      expect(row, row.code).toMatchObject({ tileset_source: 'generated', tileset_illustrative: true, tileset_version: expect.stringMatching(/^[0-9a-f]{16}$/) });
      expect(row.stops, row.code).toBeGreaterThanOrEqual(5);
    }
  });

  it('gives every 2025 unit exactly one People’s Committee, and the province its departments', async () => {
    const coverage = await sql<{ code: string; committees: number }>`
      SELECT u.code, count(o.id)::int AS committees
      FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
      LEFT JOIN office_coverage c ON c.boundary_set_id = s.id AND c.unit_code = u.code
      LEFT JOIN office o ON o.id = c.office_id AND o.kind = 'commune_committee'
      WHERE s.name = ${CURRENT_BOUNDARY_SET} AND u.level IN ('commune', 'ward', 'town')
      GROUP BY u.code`.execute(database.db);
    expect(coverage.rows).toHaveLength(45);
    for (const row of coverage.rows) expect(row.committees, row.code).toBe(1);
    const provincial = await database.db.selectFrom('office').select(['kind', 'responsibilities']).where('kind', '<>', 'commune_committee').execute();
    const responsibilities = new Set(provincial.flatMap((office) => office.responsibilities));
    for (const needed of ['construction', 'transport', 'environment', 'culture', 'police', 'power', 'water']) expect(responsibilities).toContain(needed);
  });
});
