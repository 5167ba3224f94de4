import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { SubmissionReceipt } from '@bandoso/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { notify } from '../../db/notify.ts';
import { AppError } from '../../errors/app-error.ts';
import { hashSecret, newSecret } from '../auth/auth.service.ts';
import { checkReportLocation } from '../photos/location-check.ts';
import { storeEventPhotos, type UploadedFile } from './report-photos.service.ts';
import type { ReportsContext } from './reports-context.ts';
import { routeReport } from './report-routing.service.ts';
import * as repository from './reports.repository.ts';
import type { SubmitReportInput } from './reports.schema.ts';
import { newTrackingCode } from './tracking-code.ts';
import { isUniqueViolation } from '../../db/postgres-errors.ts';
import { findCategory } from './category-index.ts';
import * as rules from './report-rules.repository.ts';

export interface SubmissionResult {
  /** 201 for a new report, 200 when an Idempotency-Key replays an earlier submission. */
  status: 201 | 200;
  /** The receipt (report-submission.contract.ts); `reporterToken` is shown once, only its hash is stored. */
  body: SubmissionReceipt;
}

export const MAX_PHOTOS = 5;

/** Where a report came in: the platform's own page/API, or a partner through Open311. Staff see it. */
export interface ReportSource {
  channel: 'web' | 'open311';
  clientId?: string;
  clientName?: string;
}

/**
 * A citizen's report, from validated input to a stored, routed report: one transaction writes the
 * report, its reporter, the routing event, its photos, the outbox message and the idempotency key.
 */
export async function submitReport(
  context: ReportsContext,
  input: SubmitReportInput,
  photos: UploadedFile[],
  options: {
    idempotencyKey?: string;
    /** What `findPreviousSubmission` found for the key, when the caller looked already (null: nothing). */
    previous?: PreviousSubmission | null;
    userId?: string | null;
    now?: Date;
    source?: ReportSource;
  } = {},
): Promise<SubmissionResult> {
  const { db } = context;
  const now = options.now ?? new Date();
  if (photos.length > MAX_PHOTOS) {
    throw new AppError('VALIDATION_FAILED', `At most ${MAX_PHOTOS} photos per report.`, { vi: `Tối đa ${MAX_PHOTOS} ảnh cho mỗi phản ánh.` });
  }
  const requestHash = await hashRequest(input, photos);
  if (options.idempotencyKey) {
    const previous = options.previous === undefined ? await findPreviousSubmission(db, options.idempotencyKey) : options.previous;
    if (previous) return replay(previous, requestHash);
  }

  const category = await findCategory(db, input.category);
  if (!category || !category.active) {
    const known = (await rules.listCategories(db)).map((item) => item.code);
    throw new AppError('VALIDATION_FAILED', `Unknown category "${input.category}". Use one of: ${known.join(', ')} (GET /api/categories).`, {
      vi: `Lĩnh vực "${input.category}" không tồn tại. Hãy chọn một lĩnh vực trong danh sách.`,
      details: [{ parameter: 'category', problem: 'unknown category' }],
    });
  }
  const { longitude, latitude } = input.location;
  const routing = await routeReport(db, category, longitude, latitude, now, context.config.borderFlagDistanceM);

  const eventPhotos = await storeEventPhotos(context, photos);
  const verdict = checkReportLocation({
    pin: { longitude, latitude },
    accuracyM: input.accuracyM ?? null,
    submittedAt: now,
    photos: eventPhotos.stored.map((item) => item.photo.exif),
  });

  const calendar = await context.calendar.get();
  const acknowledgeDueAt = calendar.addWorkingMinutes(now, category.acknowledge_working_minutes);
  const dueAt = calendar.addWorkingMinutes(now, category.resolve_working_minutes ?? category.priority_resolve_working_minutes);
  const reporterToken = newSecret();

  try {
    const body = await db.transaction().execute(async (transaction) => {
      const trackingCode = await uniqueTrackingCode(transaction);
      const report = await repository.insertReport(transaction, {
        trackingCode,
        categoryCode: category.code,
        priority: category.default_priority,
        description: input.description,
        longitude,
        latitude,
        accuracyM: input.accuracyM ?? null,
        address: input.address ?? null,
        boundarySetId: routing.boundarySetId,
        unitCode: routing.located.commune.code,
        unitName: routing.located.commune.name,
        officeId: routing.office.id,
        nearBorder: routing.nearBorder,
        locationVerdict: verdict.verdict,
        locationVerdictDetail: verdict.detail,
        createdAt: now,
        acknowledgeDueAt,
        dueAt,
      });
      await repository.insertReporter(transaction, {
        reportId: report.id,
        name: input.reporter?.name ?? null,
        phone: input.reporter?.phone ?? null,
        email: input.reporter?.email ?? null,
        consentToContact: input.reporter?.consentToContact ?? false,
        userId: options.userId ?? null,
        tokenHash: hashSecret(reporterToken),
      });
      const event = await repository.insertEvent(transaction, {
        reportId: report.id,
        kind: 'routed',
        fromStatus: null,
        toStatus: 'received',
        actorUserId: options.userId ?? null,
        actorRole: 'citizen',
        officeId: routing.office.id,
        note: null,
        isPublic: true,
        data: {
          boundarySet: { id: routing.boundarySetId, name: routing.located.boundarySet.name },
          unit: routing.located.commune,
          office: { code: routing.office.code, name: routing.office.name },
          rule: routing.rule,
          nearBorder: routing.nearBorder,
          neighbours: routing.neighbours,
          locationVerdict: { verdict: verdict.verdict, detail: verdict.detail },
          source: options.source ?? { channel: 'web' },
        },
        createdAt: now,
      });
      await eventPhotos.attach(transaction, report.id, event.id, 'report');
      const response: SubmissionReceipt = {
        id: report.id,
        trackingCode,
        status: 'received',
        commune: { code: routing.located.commune.code, name: routing.located.commune.name, level: routing.located.commune.level },
        office: { code: routing.office.code, name: routing.office.name },
        acknowledgeDueAt: acknowledgeDueAt.toISOString(),
        dueAt: dueAt.toISOString(),
        nearBorder: routing.nearBorder,
        photos: eventPhotos.stored.length,
        reporterToken,
      };
      await repository.insertOutboxMessage(transaction, {
        topic: 'report.created',
        reportId: report.id,
        officeId: routing.office.id,
        payload: { trackingCode, category: category.code, status: 'received', office: routing.office.code, unit: routing.located.commune.code, at: now.toISOString() },
      });
      if (options.idempotencyKey) {
        await repository.insertIdempotencyKey(transaction, { key: options.idempotencyKey, requestHash, reportId: report.id, response: { ...response } });
      }
      await notify(transaction, 'report_events', { reportId: report.id });
      return response;
    });
    return { status: 201, body };
  } catch (error) {
    await eventPhotos.discard();
    // Two submissions with the same key raced: the other one won; answer what it answered.
    if (options.idempotencyKey && isUniqueViolation(error, 'idempotency_key')) {
      const previous = await findPreviousSubmission(db, options.idempotencyKey);
      if (previous) return replay(previous, requestHash);
    }
    throw error;
  }
}

export type PreviousSubmission = NonNullable<Awaited<ReturnType<typeof repository.findIdempotencyKey>>>;

/**
 * The submission stored under this Idempotency-Key, or null. A resend of it creates nothing (it is
 * answered with the stored report, or refused if its content differs), so the route does not count
 * it against the submission rate limit, and hands what it found to `submitReport`, which then need
 * not look again. An offline phone may resend one report many times.
 */
export async function findPreviousSubmission(db: Kysely<Database>, idempotencyKey: string): Promise<PreviousSubmission | null> {
  return (await repository.findIdempotencyKey(db, idempotencyKey)) ?? null;
}

/** The stored answer, if this request is the same report as the one the key was used for. */
function replay(previous: PreviousSubmission, requestHash: string): SubmissionResult {
  if (previous.request_hash !== requestHash) {
    throw new AppError('CONFLICT', 'This Idempotency-Key was already used for a different report. Use a new key for a new report.', {
      vi: 'Mã Idempotency-Key này đã được dùng cho một phản ánh khác. Hãy dùng mã mới cho phản ánh mới.',
    });
  }
  return { status: 200, body: previous.response as unknown as SubmissionReceipt };
}

async function uniqueTrackingCode(db: Parameters<typeof repository.trackingCodeExists>[0]): Promise<string> {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const code = newTrackingCode();
    if (!(await repository.trackingCodeExists(db, code))) return code;
  }
  throw new Error('could not find a free tracking code in 10 attempts');
}

async function hashRequest(input: SubmitReportInput, photos: UploadedFile[]): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(input));
  // Uploads are files on disk: hashed as they are read, never held whole.
  for (const photo of photos) {
    const photoHash = createHash('sha256');
    for await (const chunk of createReadStream(photo.path)) photoHash.update(chunk as Buffer);
    hash.update(photoHash.digest());
  }
  return hash.digest('hex');
}
