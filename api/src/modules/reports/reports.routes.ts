import { mkdtempSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cameraStatusEvent, feedPositionEvent, reportStatuses, type CameraStatusEventData, type FeedPositionData } from '@bandoso/contracts';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { DatabaseRateLimitStore } from '../rate-limits/database-rate-limit-store.ts';
import { z } from 'zod';
import { createPhotoUpload, uploadedPhotos } from '../../http/photo-upload.ts';
import { readPublic } from '../../db/replica.ts';
import { AppError, DATABASE_RETRY_AFTER_S, databaseUnavailableError } from '../../errors/app-error.ts';
import { parseInput } from '../../http/validate-input.ts';
import { requireRole } from '../auth/auth.middleware.ts';
import { newSecret } from '../auth/auth.service.ts';
import { isoDateOrDateTimeNamed } from '../boundaries/boundaries.schema.ts';
import type { FeedEndReason, ReportFeed } from './report-feed.service.ts';
import { findPreviousSubmission, submitReport, MAX_PHOTOS, type PreviousSubmission } from './report-intake.service.ts';
import { getOriginalPhotoForStaff, getReportForStaff, listReportsForStaff, viewAfterAction } from './report-staff.service.ts';
import { addCitizenInformation, followReport, rateReport } from './report-citizen.service.ts';
import { performStaffAction } from './report-workflow.service.ts';
import { citizenInformationSchema, staffActionSchema } from './report-workflow.schema.ts';
import type { ReportsContext } from './reports-context.ts';
import * as repository from './reports.repository.ts';
import { listDuplicateCandidates, listTransferOptions } from './report-desk.service.ts';
import {
  communeCodeSchema,
  humanText,
  idempotencyKeySchema,
  listReportsQuerySchema,
  nearbyQuerySchema,
  ratingBodySchema,
  routingPreviewQuerySchema,
  submitReportSchema,
  trackingCodeSchema,
} from './reports.schema.ts';
import { getPublicReport, listPublicCategories, listReports, listReportsNearby, previewRouting } from './reports.service.ts';

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/** How long a new live-feed stream waits for the feed to be live (start-up, a reconnect) before 503. */
const FEED_WAIT_MS = 2000;

/**
 * The largest multipart body a route takes: every photo at its largest, plus the JSON part and the
 * framing. A larger `Content-Length` is refused before the body is read; a chunked body is cut off
 * once it passes it.
 */
export const MAX_MULTIPART_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 1024 * 1024;

export const staffListQuerySchema = z
  .object({
    status: z
      .string()
      .transform((value) => value.split(',').map((item) => item.trim()))
      .pipe(z.array(z.enum(reportStatuses)))
      .optional(),
    category: z.string().trim().max(400).optional(),
    overdue: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
    office: z.string().trim().max(60).optional(),
    commune: communeCodeSchema.optional(),
    q: humanText(200).optional(),
    sort: z.enum(['deadline', 'newest'], { error: 'sort must be "deadline" (overdue and soonest due first) or "newest"' }).default('deadline'),
    from: isoDateOrDateTimeNamed('from').optional(),
    to: isoDateOrDateTimeNamed('to').optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export const duplicateCandidatesQuerySchema = z
  .object({
    radiusM: z.coerce
      .number({ error: 'radiusM must be a number of metres' })
      .finite('radiusM must be a number of metres')
      .min(1, 'radiusM must be at least 1 metre')
      .max(2000, 'radiusM must be at most 2000 metres')
      .default(500),
  })
  .strict();

const uuidSchema = z.string().uuid('must be a UUID');

function requireBodyType(request: Request, _response: Response, next: NextFunction) {
  if (request.is(['application/json', 'multipart/form-data'])) {
    next();
    return;
  }
  next(
    new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the report as application/json or multipart/form-data (a "report" JSON part and "photos").', {
      vi: 'Hãy gửi phản ánh dạng application/json hoặc multipart/form-data.',
    }),
  );
}

export interface ReportsRouterOptions {
  submissionsPerHour: number;
  /** Camera health changes, sent on the live feed as `camera.status` (restricted cameras to the IOC and admins only). */
  cameraStatus?: { subscribe(listener: (event: CameraStatusEventData) => void): () => void };
  /** Folder of uploads' temporary files. Default: a new folder under the system's temporary one. */
  uploadDir?: string;
  /** Live-feed streams held at most: in all (503 beyond, SSE_MAX_CLIENTS) and per client address (429, SSE_MAX_CLIENTS_PER_IP). */
  sse?: { maxClients: number; maxClientsPerIp: number };
}

/** Retry-After (seconds) of a live feed refused because the process holds as many streams as it may. */
const SSE_BUSY_RETRY_AFTER_S = 30;

export function createReportsRouter(context: ReportsContext, feed: ReportFeed, options: ReportsRouterOptions): Router {
  const router = Router();
  const { db } = context;
  const upload = createPhotoUpload(options.uploadDir ?? mkdtempSync(path.join(os.tmpdir(), 'bandoso-uploads-')), {
    maxPhotos: MAX_PHOTOS,
    maxPhotoBytes: MAX_PHOTO_BYTES,
    maxBodyBytes: MAX_MULTIPART_BYTES,
  });
  const sse = options.sse ?? { maxClients: 2000, maxClientsPerIp: 20 };
  const streams = { total: 0, byClient: new Map<string, number>() };

  router.get('/api/categories', async (_request, response) => {
    response.set('Cache-Control', 'public, max-age=60').json({ categories: await listPublicCategories(db) });
  });

  const submissionLimiter = rateLimit({
    windowMs: 60 * 60 * 1000,
    limit: options.submissionsPerHour,
    // Shared by every API process on this database (per client address).
    store: new DatabaseRateLimitStore(context.db, 'reports:'),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // A resent submission (a known Idempotency-Key) is answered from what was stored, never counted.
    // What the lookup found goes on to the handler, so a submission reads its key once.
    skip: async (request, response) => {
      const key = idempotencyKeySchema.safeParse(request.get('idempotency-key'));
      if (!key.success) return false;
      const previous = await findPreviousSubmission(db, key.data);
      response.locals.previousSubmission = previous;
      return previous !== null;
    },
    handler: (_request, _response, next) =>
      next(
        new AppError('RATE_LIMITED', `Too many reports from this connection: at most ${options.submissionsPerHour} per hour. Try again later.`, {
          vi: `Bạn đã gửi quá nhiều phản ánh (tối đa ${options.submissionsPerHour} mỗi giờ). Vui lòng thử lại sau.`,
        }),
      ),
  });

  router.post('/api/reports', submissionLimiter, requireBodyType, upload.multipart('report'), async (request, response) => {
    const input = parseInput(submitReportSchema, request.body, 'body');
    const rawKey = request.get('idempotency-key');
    const idempotencyKey = rawKey === undefined ? undefined : parseInput(idempotencyKeySchema, rawKey, 'body');
    const previous = response.locals.previousSubmission as PreviousSubmission | null | undefined;
    const result = await submitReport(context, input, uploadedPhotos(request), {
      ...(idempotencyKey ? { idempotencyKey, ...(previous === undefined ? {} : { previous }) } : {}),
      userId: request.principal?.role === 'citizen' ? request.principal.userId : null,
    });
    if (result.status === 200) response.set('Idempotent-Replayed', 'true');
    response.status(result.status).location(`/api/reports/${result.body.trackingCode}`).json(result.body);
  });

  router.get('/api/reports', async (request, response) => {
    const query = parseInput(listReportsQuerySchema, request.query, 'query');
    // Public reads go to the read replica when it is current (see db/replica.ts), else the primary.
    response.set('Cache-Control', 'no-cache').json(await readPublic(db, (reader) => listReports(reader, query)));
  });

  router.get('/api/reports/nearby', async (request, response) => {
    const query = parseInput(nearbyQuerySchema, request.query, 'query');
    const radius = query.radius ?? context.config.nearbyRadiusM;
    const nearby = await readPublic(db, (reader) => listReportsNearby(reader, query.lon, query.lat, query.category, radius));
    response.type('application/geo+json').set('Cache-Control', 'no-cache').send(JSON.stringify(nearby));
  });

  router.get('/api/reports/routing-preview', async (request, response) => {
    const query = parseInput(routingPreviewQuerySchema, request.query, 'query');
    response.set('Cache-Control', 'no-cache').json(await previewRouting(db, query.lon, query.lat, query.category, context.config.borderFlagDistanceM));
  });

  router.get('/api/reports/events', async (request, response) => {
    // Capped in all and per client (its address as TRUST_PROXY yields it, like the rate limits).
    const client = request.ip ?? request.socket.remoteAddress ?? '';
    if (streams.total >= sse.maxClients) {
      response.set('Retry-After', String(SSE_BUSY_RETRY_AFTER_S));
      throw new AppError('SERVER_BUSY', `The live feed is full (${sse.maxClients} connections). Try again in ${SSE_BUSY_RETRY_AFTER_S} seconds.`, {
        vi: `Kênh cập nhật trực tiếp đang quá tải. Vui lòng thử lại sau ${SSE_BUSY_RETRY_AFTER_S} giây.`,
      });
    }
    if ((streams.byClient.get(client) ?? 0) >= sse.maxClientsPerIp) {
      response.set('Retry-After', String(SSE_BUSY_RETRY_AFTER_S));
      throw new AppError('RATE_LIMITED', `Too many live-feed connections from this address: at most ${sse.maxClientsPerIp} at once. Close one (another tab?) and try again.`, {
        vi: `Quá nhiều kết nối cập nhật trực tiếp từ địa chỉ này (tối đa ${sse.maxClientsPerIp}). Hãy đóng bớt một kết nối (tab khác?) rồi thử lại.`,
      });
    }
    streams.total += 1;
    streams.byClient.set(client, (streams.byClient.get(client) ?? 0) + 1);
    response.once('close', () => {
      streams.total -= 1;
      const left = (streams.byClient.get(client) ?? 1) - 1;
      if (left > 0) streams.byClient.set(client, left);
      else streams.byClient.delete(client);
    });
    const header = request.get('last-event-id') ?? (typeof request.query.lastEventId === 'string' ? request.query.lastEventId : undefined);
    const lastSeq = header !== undefined && /^\d{1,18}$/.test(header) ? Number(header) : null;
    // Refused with 503 (and Retry-After) while the feed cannot hear new reports or read what was
    // missed, rather than opened empty: the stream opens once the backlog query has answered.
    await feed.waitUntilLive(FEED_WAIT_MS);
    let opened = false;
    // Its first event is its position: a client that loses the stream before any report event
    // resumes from there (Last-Event-ID) and misses nothing.
    const open = (afterSeq: number) => {
      opened = true;
      response.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      response.write(`retry: 3000\nid: ${afterSeq}\nevent: ${feedPositionEvent}\ndata: ${JSON.stringify({ after: afterSeq } satisfies FeedPositionData)}\n\n`);
    };
    let heartbeat: NodeJS.Timeout | undefined;
    let unsubscribe = () => {};
    // The stream ends when the feed goes down or the process stops; `retry` tells EventSource when
    // to come back (it resumes after the last id it received).
    const end = (reason: FeedEndReason) => {
      clearInterval(heartbeat);
      unsubscribe();
      if (response.writableEnded) return;
      // Before the stream opened, the route answers 503 instead (below).
      if (opened) response.end(`retry: ${reason === 'shutdown' ? 1000 : DATABASE_RETRY_AFTER_S * 1000}\n\n`);
    };
    let gone = false;
    request.on('close', () => {
      gone = true;
      clearInterval(heartbeat);
      unsubscribe();
    });
    try {
      unsubscribe = await feed.subscribe(lastSeq, {
        open,
        deliver: (event) => {
          if (!response.writableEnded) response.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
        },
        end,
      });
    } catch (error) {
      if (!opened) throw error;
      end('unavailable');
      return;
    }
    if (gone || response.writableEnded) {
      unsubscribe();
      return;
    }
    if (!opened) throw databaseUnavailableError();
    // Camera health changes ride along without an id: they are state, not history, and not replayed.
    const seesRestricted = request.principal?.role === 'ioc_operator' || request.principal?.role === 'admin';
    const stopCameraStatus = options.cameraStatus?.subscribe((event) => {
      if (response.writableEnded || (event.camera.visibility === 'restricted' && !seesRestricted)) return;
      response.write(`event: ${cameraStatusEvent}\ndata: ${JSON.stringify(event)}\n\n`);
    });
    if (stopCameraStatus) {
      const stopFeed = unsubscribe;
      unsubscribe = () => {
        stopFeed();
        stopCameraStatus();
      };
    }
    heartbeat = setInterval(() => response.write(': keep-alive\n\n'), 20_000);
  });

  router.get('/api/reports/:trackingCode', async (request, response) => {
    const trackingCode = parseInput(trackingCodeSchema, request.params.trackingCode, 'path');
    response.set('Cache-Control', 'no-cache').json(await readPublic(db, (reader) => getPublicReport(reader, trackingCode)));
  });

  router.post('/api/reports/:trackingCode/rating', async (request, response) => {
    const trackingCode = parseInput(trackingCodeSchema, request.params.trackingCode, 'path');
    const body = parseInput(ratingBodySchema, request.body, 'body');
    await rateReport(context, trackingCode, body.token ?? request.get('x-reporter-token'), body.rating, body.comment);
    response.json(await getPublicReport(db, trackingCode));
  });

  router.post('/api/reports/:trackingCode/information', upload.multipart('information'), async (request, response) => {
    const trackingCode = parseInput(trackingCodeSchema, request.params.trackingCode, 'path');
    const body = parseInput(citizenInformationSchema, request.body, 'body');
    await addCitizenInformation(context, trackingCode, body.token ?? request.get('x-reporter-token'), body.note, uploadedPhotos(request));
    response.json(await getPublicReport(db, trackingCode));
  });

  router.post('/api/reports/:trackingCode/follow', async (request, response) => {
    const trackingCode = parseInput(trackingCodeSchema, request.params.trackingCode, 'path');
    const userId = request.principal?.userId ?? null;
    const followerToken = userId ? null : newSecret();
    await followReport(db, trackingCode, userId, followerToken);
    response.status(201).json({ trackingCode, following: true, ...(followerToken ? { followerToken } : {}) });
  });

  router.get('/api/photos/:photoId', async (request, response) => {
    const photoId = parseInput(uuidSchema, request.params.photoId, 'path');
    const photo = await repository.findPhoto(db, photoId);
    if (!photo) throw new AppError('NOT_FOUND', 'No such photo.', { vi: 'Không tìm thấy ảnh.' });
    const bytes = await context.photoStorage.readPublic(photo.public_path);
    response.type(photo.content_type).set('Cache-Control', 'public, max-age=86400, immutable').send(bytes);
  });

  // ---- staff -------------------------------------------------------------------------------------
  const staff = requireRole('officer', 'ioc_operator', 'admin');

  router.get('/api/staff/reports', staff, async (request, response) => {
    const query = parseInput(staffListQuerySchema, request.query, 'query');
    response.set('Cache-Control', 'no-store').json(await listReportsForStaff(context, request.principal!, query));
  });

  router.get('/api/staff/reports/:reportId', staff, async (request, response) => {
    const reportId = parseInput(uuidSchema, request.params.reportId, 'path');
    response.set('Cache-Control', 'no-store').json(await getReportForStaff(context, request.principal!, reportId));
  });

  router.get('/api/staff/reports/:reportId/transfer-options', staff, async (request, response) => {
    const reportId = parseInput(uuidSchema, request.params.reportId, 'path');
    response.set('Cache-Control', 'no-store').json(await listTransferOptions(db, request.principal!, reportId));
  });

  router.get('/api/staff/reports/:reportId/duplicate-candidates', staff, async (request, response) => {
    const reportId = parseInput(uuidSchema, request.params.reportId, 'path');
    const query = parseInput(duplicateCandidatesQuerySchema, request.query, 'query');
    response.set('Cache-Control', 'no-store').json(await listDuplicateCandidates(db, request.principal!, reportId, query.radiusM));
  });

  router.post('/api/staff/reports/:reportId/actions', staff, upload.multipart('action'), async (request, response) => {
    const reportId = parseInput(uuidSchema, request.params.reportId, 'path');
    const action = parseInput(staffActionSchema, request.body, 'body');
    await performStaffAction(context, request.principal!, reportId, action, uploadedPhotos(request));
    response.set('Cache-Control', 'no-store').json(await viewAfterAction(context, request.principal!, reportId));
  });

  router.get('/api/staff/photos/:photoId/original', staff, async (request, response) => {
    const photoId = parseInput(uuidSchema, request.params.photoId, 'path');
    const photo = await getOriginalPhotoForStaff(db, request.principal!, photoId);
    const bytes = await fs.readFile(context.photoStorage.resolvePrivate(photo.original_path));
    response.type(photo.original_content_type).set('Cache-Control', 'private, no-store').send(bytes);
  });

  return router;
}
