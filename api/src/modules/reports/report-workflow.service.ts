import { operationsOnlyStaffActions, reportStatusNames, staffTransitions } from '@bandoso/contracts';
import type { Transaction } from 'kysely';
import type { ActorRole, Database, ReportStatus } from '../../db/database-schema.ts';
import { notify } from '../../db/notify.ts';
import { AppError } from '../../errors/app-error.ts';
import { type Principal } from '../auth/auth.service.ts';
import type { UploadedFile } from './report-photos.service.ts';
import { storeEventPhotos } from './report-photos.service.ts';
import type { ReportsContext } from './reports-context.ts';
import * as repository from './reports.repository.ts';
import type { StaffAction } from './report-workflow.schema.ts';
import type { WorkingCalendar } from './working-time.ts';
import { findOfficeByCode, findOfficeById } from '../offices/offices.service.ts';
import { findCategory } from './category-index.ts';
import * as rules from './report-rules.repository.ts';
import * as workflowRepository from './report-workflow.repository.ts';

/**
 * The report life cycle. Each action checks who may do it and from which states (the transitions of
 * @bandoso/contracts' report-status.ts), changes the report, recomputes the deadline of the step it
 * starts, and appends one event to the timeline, all in one transaction with an outbox message for
 * the office's document system.
 */

/** A status inside a Vietnamese sentence: "…ở trạng thái "đã tiếp nhận"". */
export const statusNameVi = (status: ReportStatus) => reportStatusNames[status].vi.toLowerCase();

export function canActOnReport(principal: Principal, report: { office_id: string }): boolean {
  if (principal.role === 'admin' || principal.role === 'ioc_operator') return true;
  return principal.role === 'officer' && principal.officeId === report.office_id;
}

export async function performStaffAction(
  context: ReportsContext,
  principal: Principal,
  reportId: string,
  action: StaffAction,
  photos: UploadedFile[] = [],
  now: Date = new Date(),
): Promise<{ trackingCode: string; status: ReportStatus }> {
  const { db } = context;
  const calendar = await context.calendar.get();
  const processedPhotos = await storeEventPhotos(context, photos);
  try {
    return await db.transaction().execute(async (transaction) => {
      const report = await workflowRepository.lockReport(transaction, reportId);
      if (!report || !canActOnReport(principal, report)) {
        // Officers of other offices learn nothing about the report, not even that it exists.
        throw new AppError('NOT_FOUND', 'No such report among those your office handles.', { vi: 'Không tìm thấy phản ánh trong danh sách của đơn vị bạn.' });
      }
      if (operationsOnlyStaffActions.includes(action.action) && principal.role !== 'ioc_operator' && principal.role !== 'admin') {
        throw new AppError('FORBIDDEN', `Only the operations centre (IOC) and admins may ${action.action} a report.`, { vi: 'Chỉ Trung tâm điều hành (IOC) và quản trị viên được chuyển phản ánh lên cấp trên.' });
      }
      const rule = staffTransitions[action.action];
      if (!rule.from.includes(report.status)) {
        throw new AppError('CONFLICT', `Cannot ${action.action.replace('_', ' ')} a report that is ${report.status}.`, {
          vi: `Không thể thực hiện thao tác này khi phản ánh đang ở trạng thái "${statusNameVi(report.status)}".`,
        });
      }
      const actor = { userId: principal.userId, role: principal.role as ActorRole, officeId: principal.officeId ?? report.office_id };
      const change = await planChange(transaction, calendar, report, action, now);
      if (change.patch) await workflowRepository.updateReport(transaction, report.id, change.patch, now);
      const event = await repository.insertEvent(transaction, {
        reportId: report.id,
        kind: change.kind,
        fromStatus: report.status,
        toStatus: change.patch?.status ?? report.status,
        actorUserId: actor.userId,
        actorRole: actor.role,
        officeId: change.eventOfficeId ?? actor.officeId,
        note: change.note,
        isPublic: change.isPublic,
        data: change.data,
        createdAt: now,
      });
      await processedPhotos.attach(transaction, report.id, event.id, action.action === 'resolve' ? 'after' : 'before');
      if (action.action === 'mark_duplicate' && change.data.originalId) {
        await workflowRepository.moveFollowers(transaction, report.id, String(change.data.originalId));
      }
      const newOfficeId = change.patch?.office_id;
      await repository.insertOutboxMessage(transaction, {
        topic: 'report.updated',
        reportId: report.id,
        officeId: newOfficeId ?? report.office_id,
        payload: { trackingCode: report.tracking_code, event: change.kind, status: change.patch?.status ?? report.status, at: now.toISOString() },
      });
      if (action.action === 'escalate') {
        // The supervising office hears of it as of an overdue report (report-deadlines.service.ts).
        await repository.insertOutboxMessage(transaction, {
          topic: 'report.escalated',
          reportId: report.id,
          officeId: change.eventOfficeId ?? report.office_id,
          payload: { trackingCode: report.tracking_code, status: report.status, note: change.note, at: now.toISOString() },
        });
      }
      if (newOfficeId && newOfficeId !== report.office_id) {
        await repository.insertOutboxMessage(transaction, {
          topic: 'report.transferred_away',
          reportId: report.id,
          officeId: report.office_id,
          payload: { trackingCode: report.tracking_code, status: change.patch?.status, at: now.toISOString() },
        });
      }
      await notify(transaction, 'report_events', { reportId: report.id });
      return { trackingCode: report.tracking_code, status: change.patch?.status ?? report.status };
    });
  } catch (error) {
    await processedPhotos.discard();
    throw error;
  }
}

interface PlannedChange {
  kind: string;
  /** The office the timeline names for this step, when not the actor's (an escalation names the supervisor). */
  eventOfficeId?: string;
  patch: workflowRepository.ReportPatch | null;
  note: string | null;
  isPublic: boolean;
  data: Record<string, unknown>;
}

async function planChange(db: Transaction<Database>, calendar: WorkingCalendar, report: workflowRepository.LockedReport, action: StaffAction, now: Date): Promise<PlannedChange> {
  const category = await findCategory(db, report.category_code);
  const priority = await rules.findPriority(db, report.priority);
  const resolveMinutes = category?.resolve_working_minutes ?? priority.resolve_working_minutes;
  const acknowledgeMinutes = category?.acknowledge_working_minutes ?? 480;
  const acknowledged = report.acknowledged_at ? {} : { acknowledged_at: now };
  switch (action.action) {
    case 'accept':
      return { kind: 'accepted', patch: { status: 'accepted', ...acknowledged }, note: action.note ?? null, isPublic: true, data: {} };
    case 'start':
      return { kind: 'started', patch: { status: 'in_progress', ...acknowledged }, note: action.note ?? null, isPublic: true, data: {} };
    case 'request_information': {
      const remaining = report.due_at ? Math.max(0, Math.round(calendar.workingMinutesBetween(now, report.due_at))) : resolveMinutes;
      return {
        kind: 'information_requested',
        patch: { status: 'waiting_for_citizen', paused_at: now, paused_remaining_minutes: remaining, due_at: null, ...acknowledged },
        note: action.note,
        isPublic: true,
        data: { remainingWorkingMinutes: remaining },
      };
    }
    case 'resume':
      return { kind: 'resumed', patch: resumePatch(calendar, report, now), note: action.note ?? null, isPublic: true, data: {} };
    case 'resolve':
      return {
        kind: 'resolved',
        // A new answer can be rated afresh; earlier ratings stay on the timeline.
        patch: { status: 'resolved', resolved_at: now, public_answer: action.answer, answered_at: now, rating: null, rating_comment: null, rated_at: null, ...acknowledged },
        note: action.answer,
        isPublic: true,
        data: { onTime: report.due_at === null ? true : now <= report.due_at },
      };
    case 'reject': {
      if (action.reason === 'not_our_responsibility') {
        const target = await targetOffice(db, action.targetOfficeCode!, report.office_id);
        return {
          kind: 'rejected_not_responsible',
          patch: transferPatch(calendar, now, target.id, acknowledgeMinutes, resolveMinutes),
          note: action.answer,
          isPublic: true,
          data: { reason: action.reason, toOffice: { code: target.code, name: target.name } },
        };
      }
      return {
        kind: 'rejected',
        patch: { status: 'rejected', rejection_reason: action.reason, public_answer: action.answer, answered_at: now, closed_at: now, ...acknowledged },
        note: action.answer,
        isPublic: true,
        data: { reason: action.reason },
      };
    }
    case 'transfer': {
      const target = await targetOffice(db, action.targetOfficeCode, report.office_id);
      return {
        kind: 'transferred',
        patch: transferPatch(calendar, now, target.id, acknowledgeMinutes, resolveMinutes),
        note: action.note,
        isPublic: true,
        data: { toOffice: { code: target.code, name: target.name } },
      };
    }
    case 'mark_duplicate': {
      const originalId = await repository.findReportIdByTrackingCode(db, action.originalTrackingCode);
      if (!originalId || originalId === report.id) {
        throw new AppError('VALIDATION_FAILED', `originalTrackingCode ${action.originalTrackingCode} does not name another report.`, {
          vi: 'Mã phản ánh gốc không đúng.',
        });
      }
      const original = await repository.findPublicReportById(db, originalId);
      if (original?.status === 'duplicate') {
        throw new AppError('VALIDATION_FAILED', `${action.originalTrackingCode} is itself a duplicate of ${original.duplicate_of_tracking_code}; mark it a duplicate of that one.`, {
          vi: `Phản ánh ${action.originalTrackingCode} cũng là phản ánh trùng; hãy chọn phản ánh gốc.`,
        });
      }
      return {
        kind: 'marked_duplicate',
        patch: { status: 'duplicate', duplicate_of: originalId, closed_at: now, ...acknowledged },
        note: action.note ?? null,
        isPublic: true,
        data: { originalId, originalTrackingCode: action.originalTrackingCode },
      };
    }
    case 'confirm_location':
      return { kind: 'location_confirmed', patch: { border_confirmed_at: now }, note: action.note ?? null, isPublic: false, data: {} };
    case 'add_note':
      return { kind: 'note', patch: null, note: action.note, isPublic: action.public, data: {} };
    case 'escalate': {
      // The same step the deadline watcher takes when a report is late, taken by hand by the IOC: the
      // supervising office is named on the timeline (public: the citizen sees who looks at it now).
      const office = await findOfficeById(db, report.office_id);
      const supervisorOfficeId = office?.supervisor_id ?? null;
      return {
        kind: 'escalated_by_operations',
        eventOfficeId: supervisorOfficeId ?? report.office_id,
        patch: { escalated_at: now },
        note: action.note,
        isPublic: true,
        data: { step: 'manual', supervisorOfficeId },
      };
    }
  }
}

export function resumePatch(calendar: WorkingCalendar, report: workflowRepository.LockedReport, now: Date): workflowRepository.ReportPatch {
  return {
    status: 'in_progress',
    due_at: calendar.addWorkingMinutes(now, report.paused_remaining_minutes ?? 0),
    paused_at: null,
    paused_remaining_minutes: null,
  };
}

/** A new office starts its own steps: a fresh acknowledgement and handling deadline. */
function transferPatch(calendar: WorkingCalendar, now: Date, officeId: string, acknowledgeMinutes: number, resolveMinutes: number): workflowRepository.ReportPatch {
  return {
    status: 'transferred',
    office_id: officeId,
    acknowledged_at: null,
    acknowledge_due_at: calendar.addWorkingMinutes(now, acknowledgeMinutes),
    due_at: calendar.addWorkingMinutes(now, resolveMinutes),
    paused_at: null,
    paused_remaining_minutes: null,
    overdue: false,
    escalated_at: null,
  };
}

async function targetOffice(db: Transaction<Database>, code: string, currentOfficeId: string) {
  const office = await findOfficeByCode(db, code);
  if (!office) {
    throw new AppError('VALIDATION_FAILED', `targetOfficeCode ${code} is not an office.`, { vi: `Không có cơ quan mã ${code}.`, details: [{ parameter: 'targetOfficeCode', problem: 'unknown office' }] });
  }
  if (office.id === currentOfficeId) {
    throw new AppError('VALIDATION_FAILED', 'The report is already with that office.', { vi: 'Phản ánh đã ở cơ quan này.' });
  }
  return office;
}
