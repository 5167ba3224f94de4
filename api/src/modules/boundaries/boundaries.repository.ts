import { sql } from 'kysely';
import type { AdminLevel, BoundarySetRow as BoundarySetTableRow, DatabaseExecutor } from '../../db/database-schema.ts';
import { makePoint, stCovers } from '../../db/postgis.ts';

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
