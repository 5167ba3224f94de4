import { closedReportStatuses, isOpenReportStatus, openReportStatuses } from '@bandoso/contracts';
import type { Kysely } from 'kysely';
import type { Database, ReportStatus } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { photoUrl } from '../reports/report-views.ts';
import {
  findPublicReportByTrackingCode,
  findReportIdByTrackingCode,
  instantOf,
  listPublicReports,
  type PublicReportRow,
  type ReportListFilter,
} from '../reports/reports.service.ts';
import type { Open311Document, Open311Value } from './open311-format.ts';
import * as repository from './open311.repository.ts';
import { DEFAULT_WINDOW_DAYS, MAX_REQUESTS_PER_QUERY, type ListRequestsQuery, type Open311Locale } from './open311.schema.ts';
import { DAY_MS, routingNotice, toW3cDateTime, type Open311View } from './open311.service.ts';

/** Open311 GET requests: service requests (our public reports) by id, by token, or by query. */

const statusLabels: Record<ReportStatus, { vi: string; en: string }> = {
  received: { vi: 'Đã tiếp nhận.', en: 'Received.' },
  accepted: { vi: 'Cơ quan đã nhận xử lý.', en: 'Accepted by the office.' },
  in_progress: { vi: 'Đang xử lý.', en: 'In progress.' },
  waiting_for_citizen: { vi: 'Đang chờ người phản ánh bổ sung thông tin.', en: 'Waiting for more information from the reporter.' },
  transferred: { vi: 'Đã chuyển sang cơ quan khác.', en: 'Transferred to another office.' },
  reopened: { vi: 'Đã mở lại.', en: 'Reopened.' },
  resolved: { vi: 'Đã giải quyết.', en: 'Resolved.' },
  rejected: { vi: 'Không được tiếp nhận.', en: 'Rejected.' },
  duplicate: { vi: 'Trùng với một phản ánh khác.', en: 'Duplicate of another report.' },
};

/** The office's public answer when there is one; else our detailed status, which open/closed hides. */
function statusNotes(row: PublicReportRow, locale: Open311Locale): string {
  if (row.public_answer) return row.public_answer;
  if (row.status === 'duplicate' && row.duplicate_of_tracking_code) {
    return locale === 'en' ? `Duplicate of ${row.duplicate_of_tracking_code}.` : `Trùng với phản ánh ${row.duplicate_of_tracking_code}.`;
  }
  return statusLabels[row.status][locale];
}

/** For a closed request the spec wants the closing time as `updated_datetime`. */
function closedAt(row: PublicReportRow): Date {
  if (row.status === 'resolved' && row.resolved_at) return row.resolved_at;
  if (row.status === 'rejected' && row.answered_at) return row.answered_at;
  return row.updated_at;
}

/** A report as an Open311 service request: public columns only (never the reporter). */
export function toServiceRequest(row: PublicReportRow, photoId: string | undefined, view: Open311View): Record<string, Open311Value> {
  const open = isOpenReportStatus(row.status);
  const [longitude, latitude] = (row.location as unknown as { coordinates: [number, number] }).coordinates;
  const officeName = view.locale === 'en' ? (row.office_name_en ?? row.office_name) : row.office_name;
  const province = view.locale === 'en' ? 'Điện Biên Province' : 'tỉnh Điện Biên';
  return {
    service_request_id: row.tracking_code,
    status: open ? 'open' : 'closed',
    status_notes: statusNotes(row, view.locale),
    service_name: view.locale === 'en' ? row.category_name_en : row.category_name_vi,
    service_code: row.category_code,
    description: row.description,
    agency_responsible: officeName,
    service_notice: open ? routingNotice(officeName, row.due_at, view.locale, { overdue: row.overdue }) : null,
    requested_datetime: toW3cDateTime(row.created_at),
    updated_datetime: toW3cDateTime(open ? row.updated_at : closedAt(row)),
    expected_datetime: row.due_at ? toW3cDateTime(row.due_at) : null,
    address: [row.address, row.unit_name, province].filter(Boolean).join(', '),
    address_id: null,
    zipcode: null,
    lat: latitude,
    long: longitude,
    media_url: photoId ? `${view.baseUrl}${photoUrl(photoId)}` : null,
  };
}

async function toServiceRequests(db: Kysely<Database>, rows: PublicReportRow[], view: Open311View): Promise<Open311Document> {
  const photos = await repository.listFirstPublicPhotoIds(
    db,
    rows.map((row) => row.id),
  );
  return { root: 'service_requests', body: rows.map((row) => toServiceRequest(row, photos.get(row.id), view)) };
}

export interface RequestWindow {
  from: Date;
  /** Exclusive. */
  before: Date | undefined;
}

/**
 * The spec's window: `start_date`..`end_date` (both inclusive) spanning at most 90 days; one of them
 * alone extends 90 days from it; neither means the last 90 days. A bare date is a whole Vietnamese day.
 */
export function requestWindow(startDate: string | undefined, endDate: string | undefined, now: Date): RequestWindow {
  const windowMs = DEFAULT_WINDOW_DAYS * DAY_MS;
  const from = startDate === undefined ? undefined : instantOf(startDate);
  const before = endDate === undefined ? undefined : endDate.length === 10 ? instantOf(endDate, true) : new Date(Date.parse(endDate) + 1);
  if (from && before) {
    if (from >= before) {
      throw new AppError('VALIDATION_FAILED', 'start_date must be before end_date.', {
        vi: 'start_date phải trước end_date.',
        details: [{ parameter: 'start_date', problem: 'start_date must be before end_date' }],
      });
    }
    // +1 ms: end_date is inclusive, so a datetime window of exactly 90 days is allowed.
    if (before.getTime() - from.getTime() > windowMs + 1) {
      throw new AppError('VALIDATION_FAILED', `start_date and end_date may not span more than ${DEFAULT_WINDOW_DAYS} days; ask for several windows.`, {
        vi: `Khoảng thời gian không được dài quá ${DEFAULT_WINDOW_DAYS} ngày.`,
        details: [{ parameter: 'end_date', problem: `start_date..end_date may not span more than ${DEFAULT_WINDOW_DAYS} days` }],
      });
    }
    return { from, before };
  }
  if (from) return { from, before: new Date(from.getTime() + windowMs) };
  if (before) return { from: new Date(before.getTime() - windowMs), before };
  return { from: new Date(now.getTime() - windowMs), before: undefined };
}

/**
 * GET requests: by `service_request_id` (which overrides every other filter, as the spec says), or
 * by service codes, status and window; newest first, at most 1000.
 */
export async function listServiceRequests(db: Kysely<Database>, query: ListRequestsQuery, view: Open311View, now = new Date()): Promise<Open311Document> {
  if (query.service_request_id?.length) {
    const found = await Promise.all(query.service_request_id.map((id) => findPublicReportByTrackingCode(db, id)));
    return toServiceRequests(
      db,
      found.filter((row): row is PublicReportRow => row !== undefined),
      view,
    );
  }
  const window = requestWindow(query.start_date, query.end_date, now);
  const statuses = new Set(query.status ?? []);
  const filter: ReportListFilter = { createdFrom: window.from, limit: MAX_REQUESTS_PER_QUERY, offset: 0 };
  if (window.before) filter.createdBefore = window.before;
  if (query.service_code?.length) filter.categories = query.service_code;
  if (statuses.size === 1) filter.statuses = statuses.has('open') ? [...openReportStatuses] : [...closedReportStatuses];
  const { rows } = await listPublicReports(db, filter);
  return toServiceRequests(db, rows, view);
}

function requestNotFound(id: string): AppError {
  return new AppError('NOT_FOUND', `service_request_id "${id}" was not found (our ids are tracking codes such as DB-7K3M9Q).`, {
    vi: `Không tìm thấy phản ánh "${id}".`,
  });
}

export async function getServiceRequest(db: Kysely<Database>, id: string, view: Open311View): Promise<Open311Document> {
  const row = await findPublicReportByTrackingCode(db, id);
  if (!row) throw requestNotFound(id);
  return toServiceRequests(db, [row], view);
}

/**
 * Requests are created synchronously (`type` realtime), so no token is ever needed; a client that
 * asks anyway may use the service_request_id as its token, which names itself.
 */
export async function resolveToken(db: Kysely<Database>, token: string): Promise<Open311Document> {
  const reportId = await findReportIdByTrackingCode(db, token);
  if (!reportId) {
    throw new AppError('NOT_FOUND', `token "${token}" was not found: this server answers with service_request_id at once, and a token is a service_request_id.`, {
      vi: `Không tìm thấy token "${token}".`,
    });
  }
  return { root: 'service_requests', body: [{ service_request_id: token, token }] };
}
