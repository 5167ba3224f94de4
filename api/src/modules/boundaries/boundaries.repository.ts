import { sql, type Kysely } from 'kysely';
import type { AdminLevel, BoundarySetRow as BoundarySetTableRow, Database, DatabaseExecutor } from '../../db/database-schema.ts';
import { makePoint, stCovers } from '../../db/postgis.ts';
import { readSourceVersions } from '@bandoso/tiles';

export type BoundarySetRow = Pick<BoundarySetTableRow, 'id' | 'name' | 'valid_from' | 'valid_to'>;

export async function findBoundarySetByName(db: DatabaseExecutor, name: string): Promise<BoundarySetRow | undefined> {
  return db.selectFrom('boundary_set').select(['id', 'name', 'valid_from', 'valid_to']).where('name', '=', name).executeTakeFirst();
}

/** Which of `codes` are units of the set. */
export async function listUnitCodesInSet(db: DatabaseExecutor, boundarySetId: string, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('admin_unit').select('code').where('boundary_set_id', '=', boundarySetId).where('code', 'in', codes).execute();
  return rows.map((row) => row.code);
}

/** Other commune-level units of the set within `metres` of the point (the pin is near their border). */
export async function findNeighbourUnitsWithin(db: DatabaseExecutor, boundarySetId: string, exceptCode: string, longitude: number, latitude: number, metres: number) {
  return db
    .selectFrom('admin_unit')
    .select(['code', 'name'])
    .where('boundary_set_id', '=', boundarySetId)
    .where('level', 'in', ['commune', 'ward', 'town'])
    .where('code', '<>', exceptCode)
    .where(sql<boolean>`ST_DWithin(admin_unit.geom::geography, ${makePoint(longitude, latitude)}::geography, ${metres}::double precision)`)
    .orderBy('code')
    .execute();
}

/** Which of the units `unitIds` are within `metres` of the point (the same test as findNeighbourUnitsWithin). */
export async function findUnitIdsWithin(db: DatabaseExecutor, unitIds: string[], longitude: number, latitude: number, metres: number): Promise<string[]> {
  if (unitIds.length === 0) return [];
  const rows = await db
    .selectFrom('admin_unit')
    .select('id')
    .where('id', 'in', unitIds)
    .where(sql<boolean>`ST_DWithin(admin_unit.geom::geography, ${makePoint(longitude, latitude)}::geography, ${metres}::double precision)`)
    .execute();
  return rows.map((row) => row.id);
}

/**
 * The set with the latest `valid_from` not after `date`; when two share that day, the one imported
 * last. Whether it has expired (`valid_to`) is the service's decision.
 */
export async function findLatestBoundarySetStartingBy(db: DatabaseExecutor, date: string): Promise<BoundarySetRow | undefined> {
  return latestSetStartingBy(db, date).executeTakeFirst();
}

function latestSetStartingBy(db: DatabaseExecutor, date: string) {
  return db
    .selectFrom('boundary_set')
    .select(['id', 'name', 'valid_from', 'valid_to'])
    .where('valid_from', '<=', date)
    .orderBy('valid_from', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(1);
}

export interface CoveringUnitRow {
  id: string;
  code: string;
  name: string;
  level: AdminLevel;
}

/**
 * The boundary set in force on `date` (as `findLatestBoundarySetStartingBy` picks it) and every unit
 * of it whose area covers the point (boundary included), smallest code first — in one round trip.
 */
export async function findUnitsCoveringPointOn(
  db: DatabaseExecutor,
  date: string,
  longitude: number,
  latitude: number,
): Promise<{ set: BoundarySetRow | undefined; units: CoveringUnitRow[] }> {
  const rows = await db
    .with('s', () => latestSetStartingBy(db, date))
    .selectFrom('s')
    .leftJoin('admin_unit as u', (join) => join.onRef('u.boundary_set_id', '=', 's.id').on(stCovers(sql.ref('u.geom'), makePoint(longitude, latitude))))
    .select(['s.id as set_id', 's.name as set_name', 's.valid_from', 's.valid_to', 'u.id', 'u.code', 'u.name', 'u.level'])
    .orderBy('u.code')
    .execute();
  const first = rows[0];
  if (!first) return { set: undefined, units: [] };
  return {
    set: { id: first.set_id, name: first.set_name, valid_from: first.valid_from, valid_to: first.valid_to },
    units: rows.flatMap((row) => (row.id === null || row.code === null || row.name === null || row.level === null ? [] : [{ id: row.id, code: row.code, name: row.name, level: row.level }])),
  };
}

/** Every change counter (tile_source_version): one small read. */
export async function readChangeCounters(db: DatabaseExecutor): Promise<Map<string, number>> {
  return readSourceVersions(db);
}

/**
 * The change counters of `sources` (tile_source_version, bumped by triggers inside every writer's
 * transaction: migration 0005). A missing row counts as 0.
 */
export async function readBoundaryVersions(db: DatabaseExecutor, sources: readonly string[]): Promise<Map<string, number>> {
  const versions = await readChangeCounters(db);
  return new Map(sources.map((source) => [source, versions.get(source) ?? 0]));
}

/**
 * Every boundary set (in the order that picks the set in force) and every unit (smallest code
 * first, as PostgreSQL orders codes), with the change counters of `sources`, all from one snapshot.
 * Geometries come as GeoJSON with 15 decimals, finer than a double's resolution at these magnitudes
 * (so the coordinates come back exactly), and only for EPSG:4326 (Multi)Polygons (else null).
 */
export async function readBoundarySnapshot(db: Kysely<Database>, sources: readonly string[]) {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (transaction) => {
      const versions = await readBoundaryVersions(transaction, sources);
      const sets = await transaction
        .selectFrom('boundary_set')
        .select(['id', 'name', 'valid_from', 'valid_to'])
        .orderBy('valid_from', 'desc')
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute();
      const units = await transaction
        .selectFrom('admin_unit')
        .select([
          'id',
          'boundary_set_id',
          'code',
          'name',
          'level',
          sql<string | null>`CASE WHEN ST_SRID(geom) = 4326 AND GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON') THEN ST_AsGeoJSON(geom, 15) END`.as('geojson'),
        ])
        .orderBy('code')
        .execute();
      return { versions, sets, units };
    });
}
