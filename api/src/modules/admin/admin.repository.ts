import type { Selectable } from 'kysely';
import type { DatabaseExecutor, ReportCategoryTable, ReportPriority } from '../../db/database-schema.ts';

/** A category as an administrator sets it: every column but the timestamps. */
export type CategoryInput = Omit<Selectable<ReportCategoryTable>, 'created_at' | 'updated_at'>;

export async function upsertCategory(db: DatabaseExecutor, category: CategoryInput): Promise<void> {
  const { code, ...columns } = category;
  await db
    .insertInto('report_category')
    .values(category)
    .onConflict((conflict) => conflict.column('code').doUpdateSet({ ...columns, updated_at: new Date() }))
    .execute();
}

export async function upsertCalendarException(db: DatabaseExecutor, day: string, kind: 'holiday' | 'working_day', nameVi: string, nameEn: string | null): Promise<void> {
  await db
    .insertInto('calendar_exception')
    .values({ day, kind, name_vi: nameVi, name_en: nameEn })
    .onConflict((conflict) => conflict.column('day').doUpdateSet({ kind, name_vi: nameVi, name_en: nameEn }))
    .execute();
}

export async function deleteCalendarException(db: DatabaseExecutor, day: string): Promise<number> {
  const result = await db.deleteFrom('calendar_exception').where('day', '=', day).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listCalendarExceptions(db: DatabaseExecutor) {
  return db.selectFrom('calendar_exception').selectAll().orderBy('day').execute();
}

export async function updatePriority(db: DatabaseExecutor, code: ReportPriority, resolveWorkingMinutes: number): Promise<number> {
  const result = await db.updateTable('report_priority').set({ resolve_working_minutes: resolveWorkingMinutes }).where('code', '=', code).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findOfficeIdByCode(db: DatabaseExecutor, code: string): Promise<string | undefined> {
  return (await db.selectFrom('office').select('id').where('code', '=', code).executeTakeFirst())?.id;
}

export async function officeResponsibilities(db: DatabaseExecutor): Promise<Set<string>> {
  const rows = await db.selectFrom('office').select('responsibilities').execute();
  return new Set(rows.flatMap((row) => row.responsibilities));
}
