import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { defaultCalendarExceptions, defaultCategories, defaultPriorities } from './default-rules.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Inserts the default priorities, categories and calendar where missing; never overwrites an edit. */
export async function insertMissingDefaultRules(db: Executor): Promise<void> {
  await db.insertInto('report_priority').values([...defaultPriorities]).onConflict((conflict) => conflict.column('code').doNothing()).execute();
  await db
    .insertInto('report_category')
    .values(defaultCategories.map((category, index) => ({ ...category, sort_order: index * 10 })))
    .onConflict((conflict) => conflict.column('code').doNothing())
    .execute();
  await db.insertInto('calendar_exception').values([...defaultCalendarExceptions]).onConflict((conflict) => conflict.column('day').doNothing()).execute();
}
