import type { Kysely } from 'kysely';
import type { Database, ReportStatus } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Principal } from '../auth/auth.service.ts';
import { canActOnReport } from './report-workflow.service.ts';
import { publicSummary, staffTimeline } from './report-views.ts';
import * as repository from './reports.repository.ts';
import { instantOf } from './reports.service.ts';
import { findOfficeByCode } from '../offices/offices.service.ts';
import * as workflowRepository from './report-workflow.repository.ts';
import * as deskRepository from './report-desk.repository.ts';
import { reportDeadline } from './report-desk.service.ts';
import type { ReportsContext } from './reports-context.ts';

/**
 * What staff see. An officer sees only the reports of their own office; IOC operators and admins see
 * all. The reporter's identity and contact are shown to IOC operators and admins, and to the handling
 * office only if the reporter consented to be contacted.
 */
export function mayReadContact(principal: Principal, report: { office_id: string }, consent: boolean): boolean {
  if (principal.role === 'admin' || principal.role === 'ioc_operator') return true;
  return principal.role === 'officer' && principal.officeId === report.office_id && consent;
}

export interface StaffListQuery {
  status?: ReportStatus[];
  commune?: string;
  q?: string;
  sort: 'deadline' | 'newest';
  category?: string;
  overdue?: boolean;
  office?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export async function listReportsForStaff(context: ReportsContext, principal: Principal, query: StaffListQuery, now: Date = new Date()) {
  const { db } = context;
  const filter: deskRepository.StaffQueueFilter = { sort: query.sort, now, limit: query.limit, offset: query.offset };
  if (principal.role === 'officer') {
    filter.officeId = principal.officeId!;
  } else if (query.office) {
    const office = await findOfficeByCode(db, query.office);
    if (!office) throw new AppError('VALIDATION_FAILED', `office ${query.office} does not exist.`, { vi: `Không có cơ quan mã ${query.office}.` });
    filter.officeId = office.id;
  }
  if (query.status) filter.statuses = query.status;
  if (query.commune) filter.communeCode = query.commune;
  if (query.q) filter.search = query.q;
  if (query.category) filter.categories = query.category.split(',').map((code) => code.trim()).filter(Boolean);
  if (query.overdue) filter.overdueOnly = true;
  if (query.from) filter.createdFrom = instantOf(query.from);
  if (query.to) filter.createdBefore = instantOf(query.to, true);
  const [{ rows, total }, calendar] = await Promise.all([deskRepository.listStaffQueue(db, filter), context.calendar.get()]);
  return {
    total,
    limit: query.limit,
    offset: query.offset,
    reports: rows.map((row) => ({ ...publicSummary(row), deadline: reportDeadline(calendar, row, now), pausedAt: row.paused_at?.toISOString() ?? null })),
  };
}

export async function getReportForStaff(context: ReportsContext, principal: Principal, reportId: string, now: Date = new Date()) {
  const { db } = context;
  const row = await repository.findPublicReportById(db, reportId);
  const internal = row ? await workflowRepository.lockFreeInternalState(db, reportId) : undefined;
  if (!row || !internal || !canActOnReport(principal, internal)) {
    throw new AppError('NOT_FOUND', 'No such report among those your office handles.', { vi: 'Không tìm thấy phản ánh trong danh sách của đơn vị bạn.' });
  }
  const [events, photos, reporter, followers, deadlineState, calendar] = await Promise.all([
    repository.listEvents(db, reportId, false),
    repository.listPhotos(db, reportId),
    workflowRepository.findReporterPrivate(db, reportId),
    workflowRepository.countFollowers(db, reportId),
    deskRepository.findDeadlineState(db, reportId),
    context.calendar.get(),
  ]);
  const consent = reporter?.consent_to_contact ?? false;
  return {
    ...publicSummary(row),
    followers,
    nearBorder: internal.near_border,
    borderConfirmedAt: internal.border_confirmed_at?.toISOString() ?? null,
    location: row.location,
    accuracyM: internal.accuracy_m,
    locationCheck: { verdict: internal.location_verdict, detail: internal.location_verdict_detail },
    escalatedAt: internal.escalated_at?.toISOString() ?? null,
    pausedAt: internal.paused_at?.toISOString() ?? null,
    deadline: deadlineState ? reportDeadline(calendar, deadlineState, now) : null,
    reporter: reporter
      ? mayReadContact(principal, internal, consent)
        ? { name: reporter.name, phone: reporter.phone, email: reporter.email, consentToContact: consent, hasAccount: reporter.user_id !== null }
        : { hidden: true, consentToContact: consent }
      : null,
    photos: photos.map((photo) => ({ id: photo.id, url: `/api/photos/${photo.id}`, originalUrl: `/api/staff/photos/${photo.id}/original`, role: photo.role, eventId: photo.event_id, takenAt: photo.taken_at?.toISOString() ?? null })),
    timeline: staffTimeline(events, photos),
  };
}

/** The private original of a photo (evidence), for staff who may see its report. */
export async function getOriginalPhotoForStaff(db: Kysely<Database>, principal: Principal, photoId: string) {
  const photo = await repository.findPhoto(db, photoId);
  const internal = photo ? await workflowRepository.lockFreeInternalState(db, photo.report_id) : undefined;
  if (!photo || !internal || !canActOnReport(principal, internal)) {
    throw new AppError('NOT_FOUND', 'No such photo among your office’s reports.', { vi: 'Không tìm thấy ảnh.' });
  }
  return photo;
}

/**
 * What the caller sees after acting on a report: the staff view while the report is still theirs,
 * the public view once it has left their office (a transfer or "not our responsibility").
 */
export async function viewAfterAction(context: ReportsContext, principal: Principal, reportId: string) {
  const { db } = context;
  const internal = await workflowRepository.lockFreeInternalState(db, reportId);
  if (internal && canActOnReport(principal, internal)) return getReportForStaff(context, principal, reportId);
  const row = await repository.findPublicReportById(db, reportId);
  if (!row) throw new AppError('NOT_FOUND', 'No such report.', { vi: 'Không tìm thấy phản ánh.' });
  return publicSummary(row);
}
