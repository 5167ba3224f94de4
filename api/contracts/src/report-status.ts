/**
 * The report life cycle's vocabulary, in one place for every side: the database types, the API's
 * validation and statistics, the tile layers, the staff workflow, the deadline watcher and the map
 * client all import it. Migrations keep their own frozen copies (they import nothing), so a status
 * added here needs a migration too (the CHECK of migration 0003, the lists of 0004 and 0005).
 *
 * Plain values, no zod: the map client bundles this file.
 */

/** Every status a report can have. */
export const reportStatuses = ['received', 'accepted', 'in_progress', 'waiting_for_citizen', 'resolved', 'rejected', 'transferred', 'reopened', 'duplicate'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

/** Still being handled: counted as open by the statistics, offered as "already reported?" nearby. */
export const openReportStatuses = ['received', 'accepted', 'in_progress', 'waiting_for_citizen', 'transferred', 'reopened'] as const satisfies readonly ReportStatus[];
export type OpenReportStatus = (typeof openReportStatuses)[number];

/** Handled: resolved, rejected, or a duplicate of another report. */
export const closedReportStatuses: readonly ReportStatus[] = reportStatuses.filter((status) => !isOpenReportStatus(status));

/**
 * Open statuses whose deadline clock runs: waiting for the citizen pauses it, so the deadline watcher
 * never flags a report in that state.
 */
export const deadlineRunningStatuses: readonly ReportStatus[] = openReportStatuses.filter((status) => status !== 'waiting_for_citizen');

export function isReportStatus(value: unknown): value is ReportStatus {
  return typeof value === 'string' && (reportStatuses as readonly string[]).includes(value);
}

export function isOpenReportStatus(status: ReportStatus): status is OpenReportStatus {
  return (openReportStatuses as readonly ReportStatus[]).includes(status);
}

/** What staff can do to a report (the `action` of `POST /api/staff/reports/{id}/actions`). */
export const staffActionNames = ['accept', 'start', 'request_information', 'resume', 'resolve', 'reject', 'transfer', 'mark_duplicate', 'confirm_location', 'add_note', 'escalate'] as const;
export type StaffActionName = (typeof staffActionNames)[number];

export interface StatusTransition {
  /** The statuses the action may be taken from. */
  from: readonly ReportStatus[];
  /** The status it leads to; null: the status stays (a note, a confirmed location). */
  to: ReportStatus | null;
}

/**
 * The staff workflow:
 *
 *   received ─accept→ accepted ─start→ in_progress ─resolve→ resolved ─(not satisfied)→ reopened
 *   any open ─request_information→ waiting_for_citizen (clock paused) ─resume/citizen answers→ in_progress
 *   any open ─reject (not eligible / not enough information)→ rejected
 *   any open ─reject (not our responsibility, names the office) / transfer→ transferred (new office)
 *   any open ─mark_duplicate→ duplicate (followers move to the original)
 *   any open ─escalate (IOC and admins only)→ the same status, flagged for the supervising office
 *
 * The citizen's own steps (rating, adding the information asked for) are not staff actions.
 */
export const staffTransitions: Readonly<Record<StaffActionName, StatusTransition>> = {
  accept: { from: ['received', 'transferred', 'reopened'], to: 'accepted' },
  start: { from: ['accepted', 'reopened'], to: 'in_progress' },
  request_information: { from: ['accepted', 'in_progress', 'reopened'], to: 'waiting_for_citizen' },
  resume: { from: ['waiting_for_citizen'], to: 'in_progress' },
  resolve: { from: ['accepted', 'in_progress', 'reopened'], to: 'resolved' },
  reject: { from: openReportStatuses, to: 'rejected' },
  transfer: { from: openReportStatuses, to: 'transferred' },
  mark_duplicate: { from: openReportStatuses, to: 'duplicate' },
  confirm_location: { from: openReportStatuses, to: null },
  add_note: { from: reportStatuses, to: null },
  escalate: { from: openReportStatuses, to: null },
};

/** Actions only the operations centre (IOC operators) and admins take; an office's officers may not. */
export const operationsOnlyStaffActions: readonly StaffActionName[] = ['escalate'];

/** The name of each status as people read it, Vietnamese and English (the map shows these). */
export const reportStatusNames: Readonly<Record<ReportStatus, { vi: string; en: string }>> = {
  received: { vi: 'Đã tiếp nhận', en: 'Received' },
  accepted: { vi: 'Đã xác nhận', en: 'Acknowledged' },
  in_progress: { vi: 'Đang xử lý', en: 'In progress' },
  waiting_for_citizen: { vi: 'Chờ người dân bổ sung', en: 'Waiting for the citizen' },
  resolved: { vi: 'Đã giải quyết', en: 'Resolved' },
  rejected: { vi: 'Từ chối', en: 'Rejected' },
  transferred: { vi: 'Đã chuyển', en: 'Transferred' },
  reopened: { vi: 'Mở lại', en: 'Reopened' },
  duplicate: { vi: 'Trùng lặp', en: 'Duplicate' },
};
