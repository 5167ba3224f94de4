import type { Kysely, Transaction } from 'kysely';
import type { Database, DatabaseExecutor } from '../../db/database-schema.ts';
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
