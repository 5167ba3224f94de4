import type { Kysely, Transaction } from 'kysely';
import type { Database, ReportPriority } from '../../db/database-schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface CategoryInput {
  code: string;
  name_vi: string;
  name_en: string;
  description_vi: string | null;
  description_en: string | null;
  responsible_kind: 'commune_committee' | 'office';
  responsibility: string | null;
  default_priority: ReportPriority;
  acknowledge_working_minutes: number;
  resolve_working_minutes: number | null;
  active: boolean;
  sort_order: number;
}

export async function upsertCategory(db: Executor, category: CategoryInput): Promise<void> {
  const { code, ...columns } = category;
  await db
    .insertInto('report_category')
    .values(category)
    .onConflict((conflict) => conflict.column('code').doUpdateSet({ ...columns, updated_at: new Date() }))
    .execute();
}

export async function upsertCalendarException(db: Executor, day: string, kind: 'holiday' | 'working_day', nameVi: string, nameEn: string | null): Promise<void> {
  await db
    .insertInto('calendar_exception')
    .values({ day, kind, name_vi: nameVi, name_en: nameEn })
    .onConflict((conflict) => conflict.column('day').doUpdateSet({ kind, name_vi: nameVi, name_en: nameEn }))
    .execute();
}

export async function deleteCalendarException(db: Executor, day: string): Promise<number> {
  const result = await db.deleteFrom('calendar_exception').where('day', '=', day).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listCalendarExceptions(db: Executor) {
  return db.selectFrom('calendar_exception').selectAll().orderBy('day').execute();
}

export async function updatePriority(db: Executor, code: ReportPriority, resolveWorkingMinutes: number): Promise<number> {
  const result = await db.updateTable('report_priority').set({ resolve_working_minutes: resolveWorkingMinutes }).where('code', '=', code).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findOfficeIdByCode(db: Executor, code: string): Promise<string | undefined> {
  return (await db.selectFrom('office').select('id').where('code', '=', code).executeTakeFirst())?.id;
}

export async function officeResponsibilities(db: Executor): Promise<Set<string>> {
  const rows = await db.selectFrom('office').select('responsibilities').execute();
  return new Set(rows.flatMap((row) => row.responsibilities));
}
