import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Database, ReportPriority } from '../../db/database-schema.ts';
import { isUniqueViolation } from '../../db/postgres-errors.ts';
import { AppError } from '../../errors/app-error.ts';
import { createApiClient, createUser } from '../auth/auth.service.ts';
import type { ReportCalendarSource } from '../reports/report-calendar.ts';
import type { calendarExceptionBodySchema, categoryBodySchema, userBodySchema } from './admin.schema.ts';
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
