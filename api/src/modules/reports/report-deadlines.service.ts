import { deadlineRunningStatuses } from '@bandoso/contracts';
import { notify } from '../../db/notify.ts';
import type { ReportsContext } from './reports-context.ts';
import * as repository from './reports.repository.ts';
import { findOfficeById } from '../offices/offices.service.ts';
import * as workflowRepository from './report-workflow.repository.ts';

/** Deadlines: flag what is overdue and escalate it to the supervising office (run by the deadline watcher). */
export async function flagOverdueReports(context: ReportsContext, now: Date = new Date()): Promise<number> {
  const candidates = await workflowRepository.listNewlyOverdueReports(context.db, now, deadlineRunningStatuses);
  let flagged = 0;
  for (const candidate of candidates) {
    await context.db.transaction().execute(async (transaction) => {
      const report = await workflowRepository.lockReport(transaction, candidate.id);
      if (!report || report.overdue) return;
      const office = await findOfficeById(transaction, report.office_id);
      const step = report.acknowledged_at === null && report.acknowledge_due_at < now ? 'acknowledge' : 'resolve';
      await workflowRepository.updateReport(transaction, report.id, { overdue: true, escalated_at: now }, now);
      await repository.insertEvent(transaction, {
        reportId: report.id,
        kind: 'escalated',
        fromStatus: report.status,
        toStatus: report.status,
        actorUserId: null,
        actorRole: 'system',
        officeId: office?.supervisor_id ?? null,
        note: null,
        isPublic: true,
        data: { step, dueAt: (step === 'acknowledge' ? report.acknowledge_due_at : report.due_at)?.toISOString() ?? null, supervisorOfficeId: office?.supervisor_id ?? null },
        createdAt: now,
      });
      await repository.insertOutboxMessage(transaction, {
        topic: 'report.overdue',
        reportId: report.id,
        officeId: office?.supervisor_id ?? report.office_id,
        payload: { trackingCode: report.tracking_code, step, office: office?.code ?? null, at: now.toISOString() },
      });
      await notify(transaction, 'report_events', { reportId: report.id });
      flagged += 1;
    });
  }
  return flagged;
}
