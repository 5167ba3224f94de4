import { sql } from 'kysely';
import type { DatabaseExecutor, PlanningZoneRow } from '../../db/database-schema.ts';
import { makePoint, stCovers } from '../../db/postgis.ts';

/** The columns a plan's versions share (one decision per version). */
type PlanDecision = Pick<PlanningZoneRow, 'plan_code' | 'plan_name' | 'plan_version' | 'decision_number' | 'decision_date' | 'approving_authority'>;

/** What a zone says about land use and building limits. */
type ZoneLimits = Pick<PlanningZoneRow, 'land_use_code' | 'land_use_name' | 'max_density_pct' | 'max_floors' | 'max_height_m' | 'far'>;

export type PlanVersionRow = PlanDecision & { zone_count: number; west: number; south: number; east: number; north: number };

/** Every version of every plan, with its decision and extent; oldest decision first within a plan. */
export async function listPlanVersions(db: DatabaseExecutor): Promise<PlanVersionRow[]> {
  return db
    .selectFrom('planning_zone')
    .select([
      'plan_code',
      sql<string>`min(plan_name)`.as('plan_name'),
      'plan_version',
      sql<string>`min(decision_number)`.as('decision_number'),
      sql<string>`min(decision_date)`.as('decision_date'),
      sql<string | null>`min(approving_authority)`.as('approving_authority'),
      sql<number>`count(*)`.as('zone_count'),
      sql<number>`ST_XMin(ST_Extent(geom))`.as('west'),
      sql<number>`ST_YMin(ST_Extent(geom))`.as('south'),
      sql<number>`ST_XMax(ST_Extent(geom))`.as('east'),
      sql<number>`ST_YMax(ST_Extent(geom))`.as('north'),
    ])
    .groupBy(['plan_code', 'plan_version'])
    .orderBy('plan_code')
    .orderBy(sql`min(decision_date)`)
    .orderBy('plan_version')
    .execute();
}

export type ZoneRow = PlanDecision & ZoneLimits & Pick<PlanningZoneRow, 'zone_code'> & { zone_name: string | null; area_m2: number };

const zoneColumns = [
  'plan_code',
  'plan_name',
  'plan_version',
  'decision_number',
  'decision_date',
  'approving_authority',
  'zone_code',
  sql<string | null>`properties->>'zone_name'`.as('zone_name'),
  'land_use_code',
  'land_use_name',
  'max_density_pct',
  'max_floors',
  'max_height_m',
  'far',
  sql<number>`ST_Area(geom::geography)`.as('area_m2'),
] as const;

/** The zones covering a point (boundary included), in the given versions of the given plans. */
export async function findZonesCoveringPoint(
  db: DatabaseExecutor,
  longitude: number,
  latitude: number,
  filter: { planCode?: string; versions?: readonly { planCode: string; version: string }[] },
): Promise<ZoneRow[]> {
  let query = db.selectFrom('planning_zone').select(zoneColumns).where(stCovers(sql.ref('geom'), makePoint(longitude, latitude)));
  if (filter.planCode !== undefined) query = query.where('plan_code', '=', filter.planCode);
  if (filter.versions !== undefined) {
    const versions = filter.versions;
    if (versions.length === 0) return [];
    query = query.where((eb) => eb.or(versions.map((item) => eb.and([eb('plan_code', '=', item.planCode), eb('plan_version', '=', item.version)]))));
  }
  return query.orderBy('plan_code').orderBy('decision_date', 'desc').orderBy('zone_code').execute();
}

export interface ZonePairRow {
  zone_code: string;
  before: ZoneAttributes | null;
  after: ZoneAttributes | null;
  geometry_equal: boolean | null;
  /** [west, south, east, north] of the zone in either version. */
  bbox: [number, number, number, number];
}

export type ZoneAttributes = ZoneLimits & { zone_name: string | null };

/**
 * The zones of two versions of one plan paired by zone code (a full outer join: a code in only one
 * version is paired with null). Geometry equality is PostGIS's topological `ST_Equals`, so a zone
 * redrawn with the same shape but another vertex order counts as unchanged.
 */
export async function pairZonesOfVersions(db: DatabaseExecutor, planCode: string, fromVersion: string, toVersion: string): Promise<ZonePairRow[]> {
  const attributes = (alias: 'a' | 'b') => sql<ZoneAttributes | null>`CASE WHEN ${sql.ref(`${alias}.zone_code`)} IS NULL THEN NULL ELSE json_build_object(
      'zone_name', ${sql.ref(`${alias}.properties`)}->>'zone_name',
      'land_use_code', ${sql.ref(`${alias}.land_use_code`)},
      'land_use_name', ${sql.ref(`${alias}.land_use_name`)},
      'max_density_pct', ${sql.ref(`${alias}.max_density_pct`)}::float8,
      'max_floors', ${sql.ref(`${alias}.max_floors`)},
      'max_height_m', ${sql.ref(`${alias}.max_height_m`)}::float8,
      'far', ${sql.ref(`${alias}.far`)}::float8) END`;
  const result = await sql<ZonePairRow>`
    SELECT coalesce(a.zone_code, b.zone_code) AS zone_code,
           ${attributes('a')} AS before,
           ${attributes('b')} AS after,
           CASE WHEN a.geom IS NULL OR b.geom IS NULL THEN NULL ELSE ST_Equals(a.geom, b.geom) END AS geometry_equal,
           json_build_array(ST_XMin(e.box), ST_YMin(e.box), ST_XMax(e.box), ST_YMax(e.box)) AS bbox
    FROM (SELECT * FROM planning_zone WHERE plan_code = ${planCode} AND plan_version = ${fromVersion}) a
    FULL OUTER JOIN (SELECT * FROM planning_zone WHERE plan_code = ${planCode} AND plan_version = ${toVersion}) b ON a.zone_code = b.zone_code
    CROSS JOIN LATERAL (SELECT ST_Extent(g) AS box FROM (VALUES (a.geom), (b.geom)) AS v(g)) e
    ORDER BY 1`.execute(db);
  return result.rows;
}
