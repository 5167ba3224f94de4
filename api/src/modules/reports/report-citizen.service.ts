import type { Kysely, Transaction } from 'kysely';
import type { Database, ReportStatus } from '../../db/database-schema.ts';
import { notify } from '../../db/notify.ts';
import { AppError } from '../../errors/app-error.ts';
import { hashSecret } from '../auth/auth.service.ts';
import type { UploadedFile } from './report-photos.service.ts';
import { storeEventPhotos } from './report-photos.service.ts';
import type { ReportsContext } from './reports-context.ts';
import * as repository from './reports.repository.ts';
import { findCategory } from './category-index.ts';
import * as rules from './report-rules.repository.ts';
import * as workflowRepository from './report-workflow.repository.ts';
import { resumePatch, statusNameVi } from './report-workflow.service.ts';

/**
 * The citizen's side of the life cycle, proved by the token given at submission: rating the answer
 * (reopening the report when not satisfied), answering the office's question, following a report.
 */

async function lockByTrackingCodeForReporter(db: Transaction<Database>, trackingCode: string, token: string | undefined) {
  const id = await repository.findReportIdByTrackingCode(db, trackingCode);
  const report = id ? await workflowRepository.lockReport(db, id) : undefined;
  if (!report) {
    throw new AppError('NOT_FOUND', `No report has the tracking code ${trackingCode}.`, { vi: `Không tìm thấy phản ánh mã ${trackingCode}.` });
  }
  const reporter = await workflowRepository.findReporterPrivate(db, report.id);
  if (!token || !reporter || reporter.token_hash !== hashSecret(token)) {
    throw new AppError('FORBIDDEN', 'Only the person who sent the report can do this: give the reporter token you received when you sent it.', {
      vi: 'Chỉ người gửi phản ánh mới thực hiện được: hãy dùng mã bí mật nhận được khi gửi.',
    });
  }
  return report;
}

/** Satisfied keeps it resolved; not satisfied reopens it with a new deadline and tells the office. */
export async function rateReport(
  context: ReportsContext,
  trackingCode: string,
  token: string | undefined,
  rating: 'satisfied' | 'not_satisfied',
  comment: string | undefined,
  now: Date = new Date(),
): Promise<{ status: ReportStatus }> {
  const calendar = await context.calendar.get();
  return context.db.transaction().execute(async (transaction) => {
    const report = await lockByTrackingCodeForReporter(transaction, trackingCode, token);
    if (report.status !== 'resolved') {
      throw new AppError('CONFLICT', `A report can be rated once it is resolved; this one is ${report.status}.`, {
        vi: `Chỉ đánh giá được khi phản ánh đã được giải quyết; hiện đang "${statusNameVi(report.status)}".`,
      });
    }
    if (report.rating) {
      throw new AppError('CONFLICT', 'This answer was already rated.', { vi: 'Bạn đã đánh giá kết quả này.' });
    }
    const satisfied = rating === 'satisfied';
    let patch: workflowRepository.ReportPatch = { rating, rating_comment: comment ?? null, rated_at: now };
    if (satisfied) {
      patch = { ...patch, closed_at: now };
    } else {
      const category = await findCategory(transaction, report.category_code);
      const priority = await rules.findPriority(transaction, report.priority);
      patch = {
        ...patch,
        status: 'reopened',
        resolved_at: null,
        closed_at: null,
        overdue: false,
        escalated_at: null,
        due_at: calendar.addWorkingMinutes(now, category?.resolve_working_minutes ?? priority.resolve_working_minutes),
      };
    }
    await workflowRepository.updateReport(transaction, report.id, patch, now);
    await repository.insertEvent(transaction, {
      reportId: report.id,
      kind: satisfied ? 'rated_satisfied' : 'reopened',
      fromStatus: report.status,
      toStatus: patch.status ?? report.status,
      actorUserId: null,
      actorRole: 'citizen',
      officeId: report.office_id,
      note: comment ?? null,
      isPublic: true,
      data: { rating },
      createdAt: now,
    });
    await repository.insertOutboxMessage(transaction, {
      topic: satisfied ? 'report.rated' : 'report.reopened',
      reportId: report.id,
      officeId: report.office_id,
      payload: { trackingCode: report.tracking_code, rating, status: patch.status ?? report.status, at: now.toISOString() },
    });
    await notify(transaction, 'report_events', { reportId: report.id });
    return { status: patch.status ?? report.status };
  });
}

/** The citizen answers a request for information: the clock restarts where it stopped. */
export async function addCitizenInformation(context: ReportsContext, trackingCode: string, token: string | undefined, note: string, photos: UploadedFile[], now: Date = new Date()) {
  const calendar = await context.calendar.get();
  const processedPhotos = await storeEventPhotos(context, photos);
  try {
    return await context.db.transaction().execute(async (transaction) => {
      const report = await lockByTrackingCodeForReporter(transaction, trackingCode, token);
      if (report.status !== 'waiting_for_citizen') {
        throw new AppError('CONFLICT', 'The office has not asked for more information on this report.', { vi: 'Cơ quan xử lý chưa yêu cầu bổ sung thông tin.' });
      }
      const patch = resumePatch(calendar, report, now);
      await workflowRepository.updateReport(transaction, report.id, patch, now);
      const event = await repository.insertEvent(transaction, {
        reportId: report.id,
        kind: 'information_added',
        fromStatus: report.status,
        toStatus: 'in_progress',
        actorUserId: null,
        actorRole: 'citizen',
        officeId: report.office_id,
        note,
        isPublic: true,
        data: {},
        createdAt: now,
      });
      await processedPhotos.attach(transaction, report.id, event.id, 'report');
      await repository.insertOutboxMessage(transaction, {
        topic: 'report.updated',
        reportId: report.id,
        officeId: report.office_id,
        payload: { trackingCode: report.tracking_code, event: 'information_added', status: 'in_progress', at: now.toISOString() },
      });
      await notify(transaction, 'report_events', { reportId: report.id });
      return { status: 'in_progress' as ReportStatus };
    });
  } catch (error) {
    await processedPhotos.discard();
    throw error;
  }
}

/** A person follows a report (instead of sending a duplicate): by account, or with a token of their own. */
export async function followReport(db: Kysely<Database>, trackingCode: string, userId: string | null, followerToken: string | null): Promise<boolean> {
  const reportId = await repository.findReportIdByTrackingCode(db, trackingCode);
  if (!reportId) throw new AppError('NOT_FOUND', `No report has the tracking code ${trackingCode}.`, { vi: `Không tìm thấy phản ánh mã ${trackingCode}.` });
  return workflowRepository.insertFollower(db, { reportId, userId, tokenHash: followerToken ? hashSecret(followerToken) : null });
}

