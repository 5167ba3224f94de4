import { closedReportStatuses } from '@bandoso/contracts';
import type { Kysely } from 'kysely';
import type { Database, ReportStatus } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Principal } from '../auth/auth.service.ts';
import { canActOnReport } from './report-workflow.service.ts';
import * as deskRepository from './report-desk.repository.ts';
import { findCategory } from './category-index.ts';
import type { WorkingCalendar } from './working-time.ts';

/** The deadline of a report's current step, as the staff desk shows it. */
export interface ReportDeadline {
  kind: 'acknowledge' | 'resolve';
  dueAt: string;
  /** Working minutes left (whole minutes; negative once overdue), counted in the holiday calendar. */
  workingMinutesLeft: number;
  /** True while the report waits for the citizen: the clock is stopped. */
  paused: boolean;
}

export interface DeadlineState {
  status: ReportStatus;
  acknowledged_at: Date | null;
  acknowledge_due_at: Date;
  due_at: Date | null;
  paused_at: Date | null;
  paused_remaining_minutes: number | null;
}

/**
 * The current step's deadline, or null for a closed report. Computed when asked (not stored) so that
 * a holiday an admin adds moves every open report's working minutes at once.
 *
 * - While waiting for the citizen the clock is stopped: the minutes left are those frozen when the
 *   office asked (`paused_remaining_minutes`), and `dueAt` is when the step would be due if the report
 *   resumed now (the stored `due_at` is cleared while paused).
 * - Before acknowledgement the step is the acknowledgement, unless the handling deadline comes first
 *   (an urgent category may have a shorter handling time than its acknowledgement time).
 * - Whole minutes, rounded toward "less time": 10.5 minutes left shows 10, 0.5 minutes overdue shows -1,
 *   so a negative number always means overdue. The queue's SQL order (by due instant) is the order of
 *   these numbers, because working time between now and an instant never decreases as the instant moves later.
 */
export function reportDeadline(calendar: WorkingCalendar, state: DeadlineState, now: Date): ReportDeadline | null {
  if (closedReportStatuses.includes(state.status)) return null;
  if (state.paused_at !== null) {
    const left = Math.max(0, state.paused_remaining_minutes ?? 0);
    // The frozen minutes are those of the handling deadline (asking the citizen acknowledges the report).
    return { kind: 'resolve', dueAt: calendar.addWorkingMinutes(now, left).toISOString(), workingMinutesLeft: Math.floor(left), paused: true };
  }
  // The same choice as the queue's SQL order (`currentDueAt` in report-desk.repository.ts).
  const step = state.acknowledged_at === null && (state.due_at === null || state.acknowledge_due_at.getTime() <= state.due_at.getTime()) ? 'acknowledge' : 'resolve';
  const dueAt = step === 'acknowledge' ? state.acknowledge_due_at : state.due_at;
  if (!dueAt) return null;
  const workingMinutesLeft = dueAt.getTime() >= now.getTime() ? Math.floor(calendar.workingMinutesBetween(now, dueAt)) : -Math.ceil(calendar.workingMinutesBetween(dueAt, now));
  return { kind: step, dueAt: dueAt.toISOString(), workingMinutesLeft: workingMinutesLeft === 0 ? 0 : workingMinutesLeft, paused: false };
}

function notAmongYours(): AppError {
  // The same answer as the staff view: officers of other offices learn nothing about the report.
  return new AppError('NOT_FOUND', 'No such report among those your office handles.', { vi: 'Không tìm thấy phản ánh trong danh sách của đơn vị bạn.' });
}

async function deskReport(db: Kysely<Database>, principal: Principal, reportId: string) {
  const report = await deskRepository.findDeskReport(db, reportId);
  if (!report || !canActOnReport(principal, report)) throw notAmongYours();
  return report;
}

/**
 * Where a report could be transferred: every other office, those that both handle its category (the
 * category's responsibility, or commune committees for committee categories: the rule routing applies)
 * and cover its place first, then the rest; nearest first within each group.
 */
export async function listTransferOptions(db: Kysely<Database>, principal: Principal, reportId: string) {
  const report = await deskReport(db, principal, reportId);
  const category = await findCategory(db, report.category_code);
  const offices = await deskRepository.listOfficesAroundReport(db, report.id, report.office_id);
  const options = offices.map((office) => ({
    code: office.code,
    name: office.name,
    nameEn: office.name_en,
    handlesCategory:
      category === undefined
        ? false
        : category.responsible_kind === 'commune_committee'
          ? office.kind === 'commune_committee'
          : category.responsibility !== null && office.responsibilities.includes(category.responsibility),
    coversPlace: office.covers_place,
    distanceM: office.distance_m === null ? null : Math.round(office.distance_m),
  }));
  const group = (option: (typeof options)[number]) => (option.handlesCategory && option.coversPlace ? 0 : 1);
  options.sort(
    (a, b) =>
      group(a) - group(b) ||
      (a.distanceM ?? Number.POSITIVE_INFINITY) - (b.distanceM ?? Number.POSITIVE_INFINITY) ||
      // Two offices covering the place (a committee and a department): the one with the category first.
      Number(b.handlesCategory) - Number(a.handlesCategory) ||
      a.code.localeCompare(b.code),
  );
  return { offices: options };
}

export const DUPLICATE_CANDIDATES_LIMIT = 20;

/** Reports near this one that may be the same problem (for "mark as duplicate"). */
export async function listDuplicateCandidates(db: Kysely<Database>, principal: Principal, reportId: string, radiusM: number) {
  const report = await deskReport(db, principal, reportId);
  const rows = await deskRepository.listDuplicateCandidates(db, report.id, radiusM, DUPLICATE_CANDIDATES_LIMIT);
  return {
    reports: rows.map((row) => ({
      trackingCode: row.tracking_code,
      category: { code: row.category_code, nameVi: row.category_name_vi, nameEn: row.category_name_en },
      status: row.status,
      description: row.description,
      createdAt: row.created_at.toISOString(),
      distanceM: Math.round(row.distance_m),
    })),
  };
}
