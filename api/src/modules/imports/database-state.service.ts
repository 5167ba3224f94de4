import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { hasAnyBoundarySet } from './imports.repository.ts';

/**
 * No boundary set at all: a database the sample data may be loaded into (start-up asks it before it
 * loads the importers, so that a start on an existing database stays small).
 */
export async function isDatabaseEmpty(db: Kysely<Database>): Promise<boolean> {
  return !(await hasAnyBoundarySet(db));
}
