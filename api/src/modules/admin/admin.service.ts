import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Database, ReportPriority } from '../../db/database-schema.ts';
import { isUniqueViolation } from '../../db/postgres-errors.ts';
import { AppError } from '../../errors/app-error.ts';
import { foldedWordPatterns } from '../../db/folded-text.ts';
import { createApiClient, createUser, endSessionsOfUser, listApiClients, resetPassword, revokeApiClientKey, type Principal } from '../auth/auth.service.ts';
import type { ReportCalendarSource } from '../reports/report-calendar.ts';
import type { calendarExceptionBodySchema, categoryBodySchema, userBodySchema, userListQuerySchema, userPatchSchema } from './admin.schema.ts';
import * as repository from './admin.repository.ts';

/** Creates or updates a category; a named responsibility must be one some office has. */
export async function saveCategory(db: Kysely<Database>, code: string, body: z.infer<typeof categoryBodySchema>): Promise<void> {
  const byCommittee = body.responsible === 'commune_committee';
  if (!byCommittee && !(await repository.officeResponsibilities(db)).has(body.responsible)) {
    const known = [...(await repository.officeResponsibilities(db))].sort().join(', ');
    throw new AppError('VALIDATION_FAILED', `No office has the responsibility "${body.responsible}". Known: commune_committee, ${known}.`, {
      vi: `Không cơ quan nào có trách nhiệm "${body.responsible}".`,
    });
  }
  await repository.upsertCategory(db, {
    code,
    name_vi: body.nameVi,
    name_en: body.nameEn,
    description_vi: body.descriptionVi ?? null,
    description_en: body.descriptionEn ?? null,
    responsible_kind: byCommittee ? 'commune_committee' : 'office',
    responsibility: byCommittee ? null : body.responsible,
    default_priority: body.defaultPriority,
    acknowledge_working_minutes: body.acknowledgeWorkingMinutes,
    resolve_working_minutes: body.resolveWorkingMinutes ?? null,
    active: body.active,
    sort_order: body.sortOrder,
  });
}

export async function saveCalendarException(db: Kysely<Database>, calendar: ReportCalendarSource, day: string, body: z.infer<typeof calendarExceptionBodySchema>): Promise<void> {
  await repository.upsertCalendarException(db, day, body.kind, body.nameVi, body.nameEn ?? null);
  calendar.invalidate();
}

export async function removeCalendarException(db: Kysely<Database>, calendar: ReportCalendarSource, day: string): Promise<void> {
  if ((await repository.deleteCalendarException(db, day)) === 0) {
    throw new AppError('NOT_FOUND', `${day} is not in the calendar of exceptions.`, { vi: `Ngày ${day} không có trong lịch.` });
  }
  calendar.invalidate();
}

export async function setPriorityDeadline(db: Kysely<Database>, code: ReportPriority, minutes: number): Promise<void> {
  if ((await repository.updatePriority(db, code, minutes)) === 0) throw new AppError('NOT_FOUND', `No priority ${code}.`, { vi: `Không có mức ưu tiên ${code}.` });
}

export async function addUser(db: Kysely<Database>, body: z.infer<typeof userBodySchema>): Promise<string> {
  const officeId = body.officeCode ? await repository.findOfficeIdByCode(db, body.officeCode) : null;
  if (body.officeCode && !officeId) throw new AppError('VALIDATION_FAILED', `officeCode ${body.officeCode} is not an office.`, { vi: `Không có cơ quan mã ${body.officeCode}.` });
  try {
    return await createUser(db, { email: body.email, displayName: body.displayName, password: body.password, role: body.role, officeId: officeId ?? null });
  } catch (error) {
    if (isUniqueViolation(error, 'app_user')) {
      throw new AppError('CONFLICT', `An account with the e-mail ${body.email} already exists.`, { vi: `Đã có tài khoản với thư điện tử ${body.email}.` });
    }
    throw error;
  }
}

export { createApiClient };

// ---- the admin console's lists and account changes -----------------------------------------------

export async function listCategoriesForAdmin(db: Kysely<Database>) {
  const categories = await repository.listAllCategories(db);
  return {
    categories: categories.map((category) => ({
      code: category.code,
      nameVi: category.name_vi,
      nameEn: category.name_en,
      descriptionVi: category.description_vi,
      descriptionEn: category.description_en,
      responsible: category.responsible_kind === 'commune_committee' ? 'commune_committee' : category.responsibility,
      defaultPriority: category.default_priority,
      acknowledgeWorkingMinutes: category.acknowledge_working_minutes,
      // The category's own handling time, null when it follows its priority's (what PUT takes back).
      resolveWorkingMinutes: category.resolve_working_minutes,
      active: category.active,
      sortOrder: category.sort_order,
    })),
  };
}

export async function listPrioritiesForAdmin(db: Kysely<Database>) {
  const priorities = await repository.listPriorities(db);
  return { priorities: priorities.map((priority) => ({ code: priority.code, resolveWorkingMinutes: priority.resolve_working_minutes })) };
}

function userView(user: repository.AdminUserRow) {
  return {
    id: user.id,
    email: user.email,
    displayName: user.display_name,
    role: user.role,
    office: user.office_code ? { code: user.office_code, name: user.office_name! } : null,
    active: user.active,
    createdAt: user.created_at.toISOString(),
  };
}

function unknownOffice(code: string): AppError {
  return new AppError('VALIDATION_FAILED', `officeCode ${code} is not an office.`, {
    vi: `Không có cơ quan mã ${code}.`,
    details: [{ parameter: 'officeCode', problem: 'unknown office' }],
  });
}

function noSuchUser(): AppError {
  return new AppError('NOT_FOUND', 'No account has this id.', { vi: 'Không tìm thấy tài khoản.' });
}

export async function listUsersForAdmin(db: Kysely<Database>, query: z.infer<typeof userListQuerySchema>) {
  const filter: repository.UserListFilter = { wordPatterns: foldedWordPatterns(query.q ?? '') };
  if (query.role) filter.role = query.role;
  if (query.office) {
    const officeId = await repository.findOfficeIdByCode(db, query.office);
    // An unknown office has no users: an empty list, as for any other filter that matches nothing.
    if (!officeId) return { users: [] };
    filter.officeId = officeId;
  }
  return { users: (await repository.listUsers(db, filter)).map(userView) };
}

/**
 * Changes an account. The officer⇔office rule is checked on the account as it will be: an officer
 * must keep (or be given) an office; when an account stops being an officer without an `officeCode`
 * in the request, its office is cleared, since only officers belong to one. Admins cannot lock
 * themselves out (deactivate themselves or give up their admin role): 409. Deactivating ends the
 * account's sessions at once.
 */
export async function patchUser(db: Kysely<Database>, caller: Principal, id: string, body: z.infer<typeof userPatchSchema>) {
  return db.transaction().execute(async (transaction) => {
    const user = await repository.findUser(transaction, id);
    if (!user) throw noSuchUser();
    if (user.id === caller.userId && body.active === false) {
      throw new AppError('CONFLICT', 'You cannot deactivate your own account; ask another administrator.', {
        vi: 'Bạn không thể tự khóa tài khoản của mình; hãy nhờ một quản trị viên khác.',
      });
    }
    if (user.id === caller.userId && body.role !== undefined && body.role !== 'admin') {
      throw new AppError('CONFLICT', 'You cannot take away your own admin role; ask another administrator.', {
        vi: 'Bạn không thể tự bỏ quyền quản trị của mình; hãy nhờ một quản trị viên khác.',
      });
    }
    const role = body.role ?? user.role;
    let officeId = user.office_id;
    if (body.officeCode !== undefined) {
      officeId = body.officeCode === null ? null : ((await repository.findOfficeIdByCode(transaction, body.officeCode)) ?? null);
      if (body.officeCode !== null && !officeId) throw unknownOffice(body.officeCode);
    } else if (role !== 'officer') {
      officeId = null;
    }
    if (role === 'officer' && !officeId) {
      throw new AppError('VALIDATION_FAILED', 'An officer needs an office: give officeCode.', {
        vi: 'Cán bộ phải thuộc một cơ quan: hãy chọn cơ quan (officeCode).',
        details: [{ parameter: 'officeCode', problem: 'required for officers' }],
      });
    }
    if (role !== 'officer' && officeId) {
      throw new AppError('VALIDATION_FAILED', `Only officers belong to an office; a ${role} cannot have officeCode.`, {
        vi: 'Chỉ cán bộ (officer) mới thuộc một cơ quan; hãy bỏ trống cơ quan cho vai trò này.',
        details: [{ parameter: 'officeCode', problem: 'only for officers' }],
      });
    }
    await repository.updateUser(transaction, id, {
      ...(body.displayName !== undefined ? { display_name: body.displayName } : {}),
      ...(role !== user.role ? { role } : {}),
      ...(officeId !== user.office_id ? { office_id: officeId } : {}),
      ...(body.active !== undefined ? { active: body.active } : {}),
    });
    if (body.active === false) await endSessionsOfUser(transaction, id);
    return userView((await repository.findUser(transaction, id))!);
  });
}

export async function resetUserPassword(db: Kysely<Database>, caller: Principal, id: string, password: string): Promise<void> {
  if (!(await resetPassword(db, id, password, id === caller.userId ? caller.sessionId : null))) throw noSuchUser();
}

export async function listApiClientsForAdmin(db: Kysely<Database>) {
  const clients = await listApiClients(db);
  return { clients: clients.map((client) => ({ id: client.id, name: client.name, active: client.active, createdAt: client.created_at.toISOString() })) };
}

/** Revokes an Open311 client: its key is refused from the next request on. Revoking twice is harmless. */
export async function revokeApiClient(db: Kysely<Database>, id: string): Promise<void> {
  if (!(await revokeApiClientKey(db, id))) {
    throw new AppError('NOT_FOUND', 'No API client has this id.', { vi: 'Không tìm thấy ứng dụng (API client) này.' });
  }
}
