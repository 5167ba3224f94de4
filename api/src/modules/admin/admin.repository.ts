import { sql, type Selectable, type SqlBool } from 'kysely';
import type { DatabaseExecutor, ReportCategoryTable, ReportPriority, UserRole } from '../../db/database-schema.ts';
import { foldedSql } from '../../db/folded-text.ts';

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

/** Every category, inactive ones too, in the order the public list shows them. */
export async function listAllCategories(db: DatabaseExecutor) {
  return db.selectFrom('report_category').selectAll().orderBy('sort_order').orderBy('code').execute();
}

export async function listPriorities(db: DatabaseExecutor) {
  // Most pressing first, as the category form offers them.
  return db
    .selectFrom('report_priority')
    .select(['code', 'resolve_working_minutes'])
    .orderBy(sql`CASE code WHEN 'urgent' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END`)
    .execute();
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

// ---- accounts -------------------------------------------------------------------------------------

const userColumns = [
  'app_user.id',
  'app_user.email',
  'app_user.display_name',
  'app_user.role',
  'app_user.office_id',
  'office.code as office_code',
  'office.name as office_name',
  'app_user.active',
  'app_user.created_at',
] as const;

export interface UserListFilter {
  /** LIKE patterns of folded words (see foldedWordPatterns), all of which must match the e-mail or name. */
  wordPatterns: string[];
  role?: UserRole;
  officeId?: string;
}

export async function listUsers(db: DatabaseExecutor, filter: UserListFilter) {
  let query = db.selectFrom('app_user').leftJoin('office', 'office.id', 'app_user.office_id').select(userColumns);
  if (filter.role) query = query.where('app_user.role', '=', filter.role);
  if (filter.officeId) query = query.where('app_user.office_id', '=', filter.officeId);
  const text = foldedSql(sql<string>`app_user.email || ' ' || app_user.display_name`);
  for (const pattern of filter.wordPatterns) query = query.where(sql<SqlBool>`${text} LIKE ${pattern}`);
  return query.orderBy('app_user.email').limit(USER_LIST_LIMIT).execute();
}

/** Enough for every staff account of a province; citizens past it are found with `q`. */
export const USER_LIST_LIMIT = 2000;

export async function findUser(db: DatabaseExecutor, id: string) {
  return db.selectFrom('app_user').leftJoin('office', 'office.id', 'app_user.office_id').select(userColumns).where('app_user.id', '=', id).executeTakeFirst();
}

export type AdminUserRow = NonNullable<Awaited<ReturnType<typeof findUser>>>;

export async function updateUser(db: DatabaseExecutor, id: string, patch: { display_name?: string; role?: UserRole; office_id?: string | null; active?: boolean }): Promise<void> {
  if (Object.keys(patch).length === 0) return;
  await db.updateTable('app_user').set(patch).where('id', '=', id).execute();
}
