import type { Kysely } from 'kysely';
import type { Database, DatabaseExecutor } from '../../db/database-schema.ts';
import { FreshSnapshot, perHandle, type Versioned } from '../boundaries/fresh-snapshot.ts';
import * as rules from './report-rules.repository.ts';

/**
 * The report categories in memory (every routing preview and submission looks one up), used only
 * while current (FreshSnapshot): every write to report_category or report_priority counts in
 * tile_source_version ('report_rules') inside its transaction and is announced (migration 0016).
 */
export type CategoryIndex = FreshSnapshot<ReadonlyMap<string, rules.CategoryRow>>;

const SOURCES = ['report_rules'];

async function loadCategories(db: Kysely<Database>): Promise<Versioned<ReadonlyMap<string, rules.CategoryRow>>> {
  const { versions, categories } = await rules.readCategorySnapshot(db);
  return {
    versions: new Map(SOURCES.map((source) => [source, versions.get(source) ?? 0])),
    value: new Map(categories.map((category) => [category.code, Object.freeze(category)])),
  };
}

/** The category index of each database handle (see `perHandle`). */
const attached = perHandle((handle, logger): CategoryIndex => new FreshSnapshot(handle, { name: 'category index', sources: SOURCES, load: loadCategories, logger }));
export const categoryIndexFor = attached.for;
export const attachCategoryIndex = attached.attach;

/** A category (active or not) by code: from memory when the index is current, else from the database (a transaction always asks it). */
export async function findCategory(db: DatabaseExecutor, code: string): Promise<rules.CategoryRow | undefined> {
  const categories = await categoryIndexFor(db)?.current();
  return categories ? categories.get(code) : rules.findCategory(db, code);
}
