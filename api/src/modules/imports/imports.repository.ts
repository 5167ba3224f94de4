import { sql, type Selectable } from 'kysely';
import type { Geometry } from 'geojson';
import type { AdminLevel, CameraTable, DatabaseExecutor, EmergencyFacilityTable, HeritageSiteTable, PlanningZoneTable } from '../../db/database-schema.ts';
import { geometryFromGeoJson } from '../../db/postgis.ts';

export interface GeometryValidity {
  valid: boolean;
  reason: string;
  empty: boolean;
  /** Present when the geometry is invalid: what ST_MakeValid makes of it (areas only), or null if nothing is left. */
  repairedIsEmpty: boolean | null;
}

/** PostGIS's verdict on a geometry, and whether a repair would leave anything. Read-only. */
export async function checkGeometryValidity(db: DatabaseExecutor, geometry: Geometry): Promise<GeometryValidity> {
  const result = await sql<GeometryValidity>`
    SELECT ST_IsValid(g) AS valid,
           ST_IsValidReason(g) AS reason,
           ST_IsEmpty(g) AS empty,
           CASE WHEN ST_IsValid(g) THEN NULL ELSE ST_IsEmpty(${repairedSql(sql`g`, geometry.type)}) END AS "repairedIsEmpty"
    FROM (SELECT ${geometryFromGeoJson(geometry)} AS g) AS input`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('validity check returned no row');
  return row;
}

/**
 * The geometry to store: as given, or repaired with ST_MakeValid when asked to. Polygons stay polygons
 * (a repair can also produce lines and points along the fold; those are dropped) and are always multi.
 */
function storedGeometry(geometry: Geometry, repair: boolean) {
  const input = geometryFromGeoJson(geometry);
  if (geometry.type === 'Point') return input;
  if (!repair) return sql<string>`ST_Multi(${input})`;
  return sql<string>`(SELECT CASE WHEN ST_IsValid(g) THEN ST_Multi(g) ELSE ${repairedSql(sql`g`, geometry.type)} END FROM (SELECT ${input} AS g) AS input)`;
}

function repairedSql(geometry: ReturnType<typeof sql>, type: Geometry['type']) {
  if (type === 'Point' || type === 'MultiPoint') return sql`ST_MakeValid(${geometry})`;
  return sql`ST_Multi(ST_CollectionExtract(ST_MakeValid(${geometry}), 3))`;
}

// ---- boundary sets -------------------------------------------------------------------------------

export async function hasAnyBoundarySet(db: DatabaseExecutor): Promise<boolean> {
  return (await db.selectFrom('boundary_set').select('id').limit(1).executeTakeFirst()) !== undefined;
}

export interface BoundarySetInput {
  name: string;
  validFrom: string | undefined;
  validTo: string | null | undefined;
  description: string | undefined;
}

export async function upsertBoundarySet(db: DatabaseExecutor, input: BoundarySetInput & { validFrom: string }): Promise<string> {
  const row = await db
    .insertInto('boundary_set')
    .values({ name: input.name, valid_from: input.validFrom, valid_to: input.validTo ?? null, description: input.description ?? null })
    .onConflict((conflict) =>
      conflict.column('name').doUpdateSet((excluded) => ({
        valid_from: excluded.ref('excluded.valid_from'),
        ...(input.validTo === undefined ? {} : { valid_to: excluded.ref('excluded.valid_to') }),
        ...(input.description === undefined ? {} : { description: excluded.ref('excluded.description') }),
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listUnitCodes(db: DatabaseExecutor, boundarySetId: string): Promise<Map<string, AdminLevel>> {
  const rows = await db.selectFrom('admin_unit').select(['code', 'level']).where('boundary_set_id', '=', boundarySetId).execute();
  return new Map(rows.map((row) => [row.code, row.level]));
}

export interface AdminUnitInput {
  code: string;
  name: string;
  nameFolded: string;
  level: AdminLevel;
  adminCenter: Geometry | null;
  geometry: Geometry;
  properties: Record<string, unknown>;
}

/** Inserts or updates a unit by (set, code), so that unit ids stay stable when a set is re-imported. */
export async function upsertAdminUnit(db: DatabaseExecutor, boundarySetId: string, unit: AdminUnitInput, repair: boolean): Promise<void> {
  await db
    .insertInto('admin_unit')
    .values({
      boundary_set_id: boundarySetId,
      code: unit.code,
      name: unit.name,
      name_folded: unit.nameFolded,
      level: unit.level,
      admin_center: unit.adminCenter ? geometryFromGeoJson(unit.adminCenter) : null,
      geom: storedGeometry(unit.geometry, repair),
      properties: JSON.stringify(unit.properties),
    })
    .onConflict((conflict) =>
      conflict.columns(['boundary_set_id', 'code']).doUpdateSet((excluded) => ({
        name: excluded.ref('excluded.name'),
        name_folded: excluded.ref('excluded.name_folded'),
        level: excluded.ref('excluded.level'),
        admin_center: excluded.ref('excluded.admin_center'),
        geom: excluded.ref('excluded.geom'),
        properties: excluded.ref('excluded.properties'),
      })),
    )
    .execute();
}

/** Removes the units of the given levels that the new file no longer has. */
export async function deleteUnitsNotIn(db: DatabaseExecutor, boundarySetId: string, levels: AdminLevel[], keepCodes: string[]): Promise<number> {
  if (levels.length === 0) return 0;
  let query = db.deleteFrom('admin_unit').where('boundary_set_id', '=', boundarySetId).where('level', 'in', levels);
  if (keepCodes.length > 0) query = query.where('code', 'not in', keepCodes);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Links units to their parents: the named parent code, otherwise the set's province. */
export async function linkUnitParents(db: DatabaseExecutor, boundarySetId: string, parentCodes: Map<string, string>): Promise<void> {
  for (const [code, parentCode] of parentCodes) {
    await db
      .updateTable('admin_unit')
      .set((eb) => ({
        parent_id: eb
          .selectFrom('admin_unit as parent')
          .select('parent.id')
          .where('parent.boundary_set_id', '=', boundarySetId)
          .where('parent.code', '=', parentCode),
      }))
      .where('boundary_set_id', '=', boundarySetId)
      .where('code', '=', code)
      .execute();
  }
  await db
    .updateTable('admin_unit')
    .set((eb) => ({
      parent_id: eb
        .selectFrom('admin_unit as province')
        .select('province.id')
        .where('province.boundary_set_id', '=', boundarySetId)
        .where('province.level', '=', 'province')
        .orderBy('province.code')
        .limit(1),
    }))
    .where('boundary_set_id', '=', boundarySetId)
    .where('level', '<>', 'province')
    .where('parent_id', 'is', null)
    .execute();
}

// ---- other reference layers: upserted by their natural key ---------------------------------------

/**
 * A reference-layer row as an import writes it: the table's own columns, without what the database
 * fills in, with GeoJSON instead of the stored geometries and the properties as an object.
 */
type ImportedRow<Table, GeometryColumns extends keyof Table> = Omit<Selectable<Table>, 'id' | 'created_at' | 'updated_at' | 'properties' | GeometryColumns> & {
  properties: Record<string, unknown>;
};

export type PlanningZoneInput = ImportedRow<PlanningZoneTable, 'geom'> & { geometry: Geometry };

export async function upsertPlanningZone(db: DatabaseExecutor, zone: PlanningZoneInput, repair: boolean): Promise<void> {
  const { geometry, properties, ...columns } = zone;
  await db
    .insertInto('planning_zone')
    .values({ ...columns, geom: storedGeometry(geometry, repair), properties: JSON.stringify(properties) })
    .onConflict((conflict) =>
      conflict.columns(['plan_code', 'plan_version', 'zone_code']).doUpdateSet((excluded) => ({
        plan_name: excluded.ref('excluded.plan_name'),
        decision_number: excluded.ref('excluded.decision_number'),
        decision_date: excluded.ref('excluded.decision_date'),
        approving_authority: excluded.ref('excluded.approving_authority'),
        land_use_code: excluded.ref('excluded.land_use_code'),
        land_use_name: excluded.ref('excluded.land_use_name'),
        max_density_pct: excluded.ref('excluded.max_density_pct'),
        max_floors: excluded.ref('excluded.max_floors'),
        max_height_m: excluded.ref('excluded.max_height_m'),
        far: excluded.ref('excluded.far'),
        geom: excluded.ref('excluded.geom'),
        properties: excluded.ref('excluded.properties'),
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

/** A site as a reference file describes it; its tileset (columns tileset_*) is not the file's to change. */
export type HeritageSiteInput = Omit<ImportedRow<HeritageSiteTable, 'location' | 'footprint'>, 'tileset_source' | 'tileset_version' | 'tileset_illustrative' | 'tileset_folder'> & {
  location: Geometry;
  footprint: Geometry | null;
};

export async function upsertHeritageSite(db: DatabaseExecutor, site: HeritageSiteInput, repair: boolean): Promise<void> {
  const { location, footprint, properties, ...columns } = site;
  await db
    .insertInto('heritage_site')
    .values({
      ...columns,
      location: storedGeometry(location, false),
      footprint: footprint ? storedGeometry(footprint, repair) : null,
      properties: JSON.stringify(properties),
    })
    .onConflict((conflict) =>
      conflict.column('code').doUpdateSet((excluded) => ({
        name_vi: excluded.ref('excluded.name_vi'),
        name_en: excluded.ref('excluded.name_en'),
        name_folded: excluded.ref('excluded.name_folded'),
        rank: excluded.ref('excluded.rank'),
        description_vi: excluded.ref('excluded.description_vi'),
        description_en: excluded.ref('excluded.description_en'),
        opening_hours: excluded.ref('excluded.opening_hours'),
        position_source: excluded.ref('excluded.position_source'),
        location: excluded.ref('excluded.location'),
        footprint: excluded.ref('excluded.footprint'),
        properties: excluded.ref('excluded.properties'),
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

export type CameraInput = Omit<ImportedRow<CameraTable, 'location' | 'fov'>, 'last_seen_at' | 'retired_at'> & { location: Geometry };

export async function upsertCamera(db: DatabaseExecutor, camera: CameraInput): Promise<void> {
  const { location, properties, ...columns } = camera;
  await db
    .insertInto('camera')
    .values({ ...columns, location: storedGeometry(location, false), properties: JSON.stringify(properties) })
    .onConflict((conflict) =>
      conflict.column('code').doUpdateSet((excluded) => ({
        name: excluded.ref('excluded.name'),
        bearing_deg: excluded.ref('excluded.bearing_deg'),
        hfov_deg: excluded.ref('excluded.hfov_deg'),
        range_m: excluded.ref('excluded.range_m'),
        stream_url: excluded.ref('excluded.stream_url'),
        status: excluded.ref('excluded.status'),
        visibility: excluded.ref('excluded.visibility'),
        owner: excluded.ref('excluded.owner'),
        location: excluded.ref('excluded.location'),
        properties: excluded.ref('excluded.properties'),
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

export type FacilityInput = ImportedRow<EmergencyFacilityTable, 'location'> & { location: Geometry };

export async function upsertFacility(db: DatabaseExecutor, facility: FacilityInput): Promise<void> {
  const { location, properties, ...columns } = facility;
  await db
    .insertInto('emergency_facility')
    .values({ ...columns, location: storedGeometry(location, false), properties: JSON.stringify(properties) })
    .onConflict((conflict) =>
      conflict.column('code').doUpdateSet((excluded) => ({
        name: excluded.ref('excluded.name'),
        name_folded: excluded.ref('excluded.name_folded'),
        kind: excluded.ref('excluded.kind'),
        hotline: excluded.ref('excluded.hotline'),
        phone: excluded.ref('excluded.phone'),
        address: excluded.ref('excluded.address'),
        location: excluded.ref('excluded.location'),
        properties: excluded.ref('excluded.properties'),
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}
