import type { Kysely } from 'kysely';
import { readSourceVersions } from '@bandoso/tiles';
import type { Database, DatabaseExecutor, ReportPriority } from '../../db/database-schema.ts';
import { defaultCalendarExceptions, defaultCategories, defaultPriorities } from './default-rules.ts';


/** Inserts the default priorities, categories and calendar where missing; never overwrites an edit. */
export async function insertMissingDefaultRules(db: DatabaseExecutor): Promise<void> {
  await db.insertInto('report_priority').values([...defaultPriorities]).onConflict((conflict) => conflict.column('code').doNothing()).execute();
  await db
    .insertInto('report_category')
    .values(defaultCategories.map((category, index) => ({ ...category, sort_order: index * 10 })))
    .onConflict((conflict) => conflict.column('code').doNothing())
    .execute();
  await db.insertInto('calendar_exception').values([...defaultCalendarExceptions]).onConflict((conflict) => conflict.column('day').doNothing()).execute();
}

// ---- categories, priorities, calendar -------------------------------------------------------------------------------------

export async function listCategories(db: DatabaseExecutor, includeInactive = false) {
  let query = db
    .selectFrom('report_category')
    .innerJoin('report_priority', 'report_priority.code', 'report_category.default_priority')
    .select([
      'report_category.code',
      'report_category.name_vi',
      'report_category.name_en',
      'report_category.description_vi',
      'report_category.description_en',
      'report_category.responsible_kind',
      'report_category.responsibility',
      'report_category.default_priority',
      'report_category.acknowledge_working_minutes',
      'report_category.resolve_working_minutes',
      'report_priority.resolve_working_minutes as priority_resolve_working_minutes',
      'report_category.active',
      'report_category.sort_order',
    ])
    .orderBy('report_category.sort_order')
    .orderBy('report_category.code');
  if (!includeInactive) query = query.where('report_category.active', '=', true);
  return query.execute();
}

export type CategoryRow = Awaited<ReturnType<typeof listCategories>>[number];

export async function findCategory(db: DatabaseExecutor, code: string): Promise<CategoryRow | undefined> {
  return (await listCategories(db, true)).find((category) => category.code === code);
}

/** Every category (active or not) with the change counters, from one snapshot (the category index). */
export async function readCategorySnapshot(db: Kysely<Database>) {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (transaction) => ({ versions: await readSourceVersions(transaction), categories: await listCategories(transaction, true) }));
}

export async function findPriority(db: DatabaseExecutor, code: ReportPriority) {
  return db.selectFrom('report_priority').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
}

export async function listCalendarExceptions(db: DatabaseExecutor) {
  return db.selectFrom('calendar_exception').select(['day', 'kind']).orderBy('day').execute();
}
