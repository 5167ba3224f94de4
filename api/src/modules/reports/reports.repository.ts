import { sql } from 'kysely';
import type { ActorRole, DatabaseExecutor, LocationVerdict, PhotoRole, ReportPriority, ReportStatus } from '../../db/database-schema.ts';
import { asGeoJson, makePoint } from '../../db/postgis.ts';

/** A report's own rows: writing a new report, and reading reports with their public columns. */

// ---- writing a report --------------------------------------------------------------------------

export interface NewReport {
  trackingCode: string;
  categoryCode: string;
  priority: ReportPriority;
  description: string;
  longitude: number;
  latitude: number;
  accuracyM: number | null;
  address: string | null;
  boundarySetId: string;
  unitCode: string;
  unitName: string;
  officeId: string;
  nearBorder: boolean;
  locationVerdict: LocationVerdict;
  locationVerdictDetail: string | null;
  createdAt: Date;
  acknowledgeDueAt: Date;
  dueAt: Date;
}

export async function insertReport(db: DatabaseExecutor, report: NewReport): Promise<{ id: string }> {
  return db
    .insertInto('report')
    .values({
      tracking_code: report.trackingCode,
      category_code: report.categoryCode,
      priority: report.priority,
      description: report.description,
      location: makePoint(report.longitude, report.latitude),
      accuracy_m: report.accuracyM,
      address: report.address,
      status: 'received',
      boundary_set_id: report.boundarySetId,
      unit_code: report.unitCode,
      unit_name: report.unitName,
      office_id: report.officeId,
      near_border: report.nearBorder,
      location_verdict: report.locationVerdict,
      location_verdict_detail: report.locationVerdictDetail,
      created_at: report.createdAt,
      updated_at: report.createdAt,
      acknowledge_due_at: report.acknowledgeDueAt,
      due_at: report.dueAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function trackingCodeExists(db: DatabaseExecutor, code: string): Promise<boolean> {
  return (await db.selectFrom('report').select('id').where('tracking_code', '=', code).executeTakeFirst()) !== undefined;
}

export async function insertReporter(
  db: DatabaseExecutor,
  reporter: { reportId: string; name: string | null; phone: string | null; email: string | null; consentToContact: boolean; userId: string | null; tokenHash: string },
): Promise<void> {
  await db
    .insertInto('report_reporter')
    .values({
      report_id: reporter.reportId,
      name: reporter.name,
      phone: reporter.phone,
      email: reporter.email,
      consent_to_contact: reporter.consentToContact,
      user_id: reporter.userId,
      token_hash: reporter.tokenHash,
    })
    .execute();
}

export interface NewEvent {
  reportId: string;
  kind: string;
  fromStatus: ReportStatus | null;
  toStatus: ReportStatus | null;
  actorUserId: string | null;
  actorRole: ActorRole;
  officeId: string | null;
  note: string | null;
  isPublic: boolean;
  data: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Appends an event. Its `seq` (the live feed's order) is given when the transaction commits
 * (migration 0009), so it is not returned: any value read before the commit would be provisional.
 */
export async function insertEvent(db: DatabaseExecutor, event: NewEvent): Promise<{ id: string }> {
  return db
    .insertInto('report_event')
    .values({
      report_id: event.reportId,
      kind: event.kind,
      from_status: event.fromStatus,
      to_status: event.toStatus,
      actor_user_id: event.actorUserId,
      actor_role: event.actorRole,
      office_id: event.officeId,
      note: event.note,
      public: event.isPublic,
      data: JSON.stringify(event.data),
      created_at: event.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export interface NewPhoto {
  id: string;
  reportId: string;
  eventId: string | null;
  role: PhotoRole;
  publicPath: string;
  originalPath: string;
  contentType: string;
  originalContentType: string;
  width: number;
  height: number;
  bytes: number;
  takenAt: Date | null;
  takenLongitude: number | null;
  takenLatitude: number | null;
}

export async function insertPhoto(db: DatabaseExecutor, photo: NewPhoto): Promise<void> {
  await db
    .insertInto('report_photo')
    .values({
      id: photo.id,
      report_id: photo.reportId,
      event_id: photo.eventId,
      role: photo.role,
      public_path: photo.publicPath,
      original_path: photo.originalPath,
      content_type: photo.contentType,
      original_content_type: photo.originalContentType,
      width: photo.width,
      height: photo.height,
      bytes: photo.bytes,
      taken_at: photo.takenAt,
      taken_location: photo.takenLongitude !== null && photo.takenLatitude !== null ? makePoint(photo.takenLongitude, photo.takenLatitude) : null,
    })
    .execute();
}

export async function insertOutboxMessage(db: DatabaseExecutor, message: { topic: string; reportId: string; officeId: string | null; payload: Record<string, unknown> }): Promise<void> {
  await db
    .insertInto('outbox_message')
    .values({ topic: message.topic, report_id: message.reportId, office_id: message.officeId, payload: JSON.stringify(message.payload) })
    .execute();
}

export async function findIdempotencyKey(db: DatabaseExecutor, key: string) {
  return db.selectFrom('idempotency_key').select(['request_hash', 'response', 'report_id']).where('key', '=', key).executeTakeFirst();
}

export async function insertIdempotencyKey(db: DatabaseExecutor, entry: { key: string; requestHash: string; reportId: string; response: Record<string, unknown> }): Promise<void> {
  await db.insertInto('idempotency_key').values({ key: entry.key, request_hash: entry.requestHash, report_id: entry.reportId, response: JSON.stringify(entry.response) }).execute();
}

// ---- reading reports (public columns only unless the name says otherwise) -----------------------

/** A report with its public columns (and its category, office and original), as every list starts. */
export const publicReportColumns = (db: DatabaseExecutor) =>
  db
    .selectFrom('report')
    .innerJoin('report_category', 'report_category.code', 'report.category_code')
    .innerJoin('office', 'office.id', 'report.office_id')
    .leftJoin('report as original', 'original.id', 'report.duplicate_of')
    .select([
      'report.id',
      'report.tracking_code',
      'report.category_code',
      'report_category.name_vi as category_name_vi',
      'report_category.name_en as category_name_en',
      'report.priority',
      'report.description',
      asGeoJson(sql.ref('report.location')).as('location'),
      'report.address',
      'report.status',
      'report.unit_code',
      'report.unit_name',
      'office.code as office_code',
      'office.name as office_name',
      'office.name_en as office_name_en',
      'report.rejection_reason',
      'report.public_answer',
      'report.answered_at',
      'report.created_at',
      'report.acknowledged_at',
      'report.resolved_at',
      'report.acknowledge_due_at',
      'report.due_at',
      'report.overdue',
      'report.rating',
      'report.rating_comment',
      'report.rated_at',
      'report.updated_at',
      'original.tracking_code as duplicate_of_tracking_code',
    ]);

export type PublicReportRow = Awaited<ReturnType<ReturnType<typeof publicReportColumns>['executeTakeFirstOrThrow']>>;

/**
 * Public events after `afterSeq` (the live feed), each with its report's public columns: the same
 * column list as every public read, so the feed can never show what a public page may not.
 */
export async function listPublicEventsAfter(db: DatabaseExecutor, afterSeq: number, limit: number) {
  const rows = await publicReportColumns(db)
    .innerJoin('report_event', 'report_event.report_id', 'report.id')
    .select(['report_event.seq', 'report_event.kind', 'report_event.created_at as at'])
    .where('report_event.seq', '>', afterSeq)
    .where('report_event.public', '=', true)
    .orderBy('report_event.seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}

/** The sequence number of the latest event (0 when there is none). */
export async function findLastEventSeq(db: DatabaseExecutor): Promise<number> {
  const row = await db.selectFrom('report_event').select(sql<number>`coalesce(max(seq), 0)`.as('max')).executeTakeFirstOrThrow();
  return Number(row.max);
}

export async function findPublicReportByTrackingCode(db: DatabaseExecutor, trackingCode: string): Promise<PublicReportRow | undefined> {
  return publicReportColumns(db).where('report.tracking_code', '=', trackingCode).executeTakeFirst();
}

export async function findPublicReportById(db: DatabaseExecutor, id: string): Promise<PublicReportRow | undefined> {
  return publicReportColumns(db).where('report.id', '=', id).executeTakeFirst();
}

export interface ReportListFilter {
  communeCode?: string;
  categories?: string[];
  statuses?: ReportStatus[];
  officeId?: string;
  createdFrom?: Date;
  createdBefore?: Date;
  text?: string;
  overdueOnly?: boolean;
  limit: number;
  offset: number;
}

export async function listPublicReports(db: DatabaseExecutor, filter: ReportListFilter): Promise<{ rows: PublicReportRow[]; total: number }> {
  let query = publicReportColumns(db);
  let count = db.selectFrom('report').select(sql<number>`count(*)::int`.as('total'));
  const apply = <Q extends { where: (...args: any[]) => Q }>(builder: Q): Q => {
    let result = builder;
    if (filter.communeCode) result = result.where('report.unit_code', '=', filter.communeCode);
    if (filter.categories?.length) result = result.where('report.category_code', 'in', filter.categories);
    if (filter.statuses?.length) result = result.where('report.status', 'in', filter.statuses);
    if (filter.officeId) result = result.where('report.office_id', '=', filter.officeId);
    if (filter.createdFrom) result = result.where('report.created_at', '>=', filter.createdFrom);
    if (filter.createdBefore) result = result.where('report.created_at', '<', filter.createdBefore);
    if (filter.overdueOnly) result = result.where('report.overdue', '=', true);
    if (filter.text) {
      const pattern = `%${filter.text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
      result = result.where((eb: any) => eb.or([eb('report.description', 'ilike', pattern), eb('report.address', 'ilike', pattern), eb('report.tracking_code', 'ilike', pattern)]));
    }
    return result;
  };
  query = apply(query as any) as typeof query;
  count = apply(count as any) as typeof count;
  const [rows, total] = await Promise.all([
    query.orderBy('report.created_at', 'desc').orderBy('report.id').limit(filter.limit).offset(filter.offset).execute(),
    count.executeTakeFirstOrThrow(),
  ]);
  return { rows, total: total.total };
}

export async function listNearbyOpenReports(db: DatabaseExecutor, longitude: number, latitude: number, categoryCode: string, radiusM: number, openStatuses: readonly ReportStatus[]) {
  const point = makePoint(longitude, latitude);
  return db
    .selectFrom('report')
    .select([
      'report.id',
      'report.tracking_code',
      'report.category_code',
      'report.status',
      'report.description',
      'report.created_at',
      asGeoJson(sql.ref('report.location')).as('location'),
      sql<number>`ST_Distance(report.location::geography, ${point}::geography)`.as('distance_m'),
    ])
    .where('report.category_code', '=', categoryCode)
    .where('report.status', 'in', [...openStatuses])
    .where(sql<boolean>`ST_DWithin(report.location::geography, ${point}::geography, ${radiusM}::double precision)`)
    .orderBy('distance_m')
    .limit(20)
    .execute();
}

export async function listEvents(db: DatabaseExecutor, reportId: string, publicOnly: boolean) {
  let query = db
    .selectFrom('report_event')
    .leftJoin('office', 'office.id', 'report_event.office_id')
    .select([
      'report_event.id',
      'report_event.seq',
      'report_event.kind',
      'report_event.from_status',
      'report_event.to_status',
      'report_event.actor_role',
      'report_event.actor_user_id',
      'report_event.note',
      'report_event.public',
      'report_event.data',
      'report_event.created_at',
      'office.code as office_code',
      'office.name as office_name',
    ])
    .where('report_event.report_id', '=', reportId)
    .orderBy('report_event.seq');
  if (publicOnly) query = query.where('report_event.public', '=', true);
  return query.execute();
}

export async function listPhotos(db: DatabaseExecutor, reportId: string) {
  return db
    .selectFrom('report_photo')
    .select(['id', 'event_id', 'role', 'public_path', 'original_path', 'content_type', 'original_content_type', 'width', 'height', 'bytes', 'taken_at', 'created_at'])
    .where('report_id', '=', reportId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findPhoto(db: DatabaseExecutor, photoId: string) {
  return db
    .selectFrom('report_photo')
    .select(['id', 'report_id', 'public_path', 'original_path', 'content_type', 'original_content_type'])
    .where('id', '=', photoId)
    .executeTakeFirst();
}

export async function findReportIdByTrackingCode(db: DatabaseExecutor, trackingCode: string): Promise<string | undefined> {
  return (await db.selectFrom('report').select('id').where('tracking_code', '=', trackingCode).executeTakeFirst())?.id;
}
