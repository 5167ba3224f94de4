import { sql, type Kysely, type Transaction } from 'kysely';
import type { AdminLevel, Database } from '../../db/database-schema.ts';
import { makePoint, stCovers } from '../../db/postgis.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface BoundarySetRow {
  id: string;
  name: string;
  valid_from: string;
  valid_to: string | null;
}

/**
 * The set with the latest `valid_from` not after `date`; when two share that day, the one imported
 * last. Whether it has expired (`valid_to`) is the service's decision.
 */
export async function findLatestBoundarySetStartingBy(db: Executor, date: string): Promise<BoundarySetRow | undefined> {
  return db
    .selectFrom('boundary_set')
    .select(['id', 'name', 'valid_from', 'valid_to'])
    .where('valid_from', '<=', date)
    .orderBy('valid_from', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export interface CoveringUnitRow {
  id: string;
  code: string;
  name: string;
  level: AdminLevel;
}

/** Every unit of the set whose area covers the point (boundary included), smallest code first. */
export async function findUnitsCoveringPoint(db: Executor, boundarySetId: string, longitude: number, latitude: number): Promise<CoveringUnitRow[]> {
  return db
    .selectFrom('admin_unit')
    .select(['id', 'code', 'name', 'level'])
    .where('boundary_set_id', '=', boundarySetId)
    .where(stCovers(sql.ref('admin_unit.geom'), makePoint(longitude, latitude)))
    .orderBy('code')
    .execute();
}
