import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, LocationVerdict, PhotoRole, ReportPriority, ReportStatus, ActorRole, RejectionReason, DatabaseExecutor } from '../../db/database-schema.ts';
import { asGeoJson, makePoint } from '../../db/postgis.ts';


// ---- rules -------------------------------------------------------------------------------------

export async function listCategories(db: DatabaseExecutor, includeInactive = false) {
  let query = db
    .selectFrom('report_category')
    .innerJoin('report_priority', 'report_priority.code', 'report_category.default_priority')
    .select([
      'report_category.code',
      'report_category.name_vi',
      'report_category.name_en',
      'report_category.description_vi',
      'report_category.description_en',
      'report_category.responsible_kind',
      'report_category.responsibility',
      'report_category.default_priority',
      'report_category.acknowledge_working_minutes',
      'report_category.resolve_working_minutes',
      'report_priority.resolve_working_minutes as priority_resolve_working_minutes',
      'report_category.active',
      'report_category.sort_order',
    ])
    .orderBy('report_category.sort_order')
    .orderBy('report_category.code');
  if (!includeInactive) query = query.where('report_category.active', '=', true);
  return query.execute();
}

export type CategoryRow = Awaited<ReturnType<typeof listCategories>>[number];

export async function findCategory(db: DatabaseExecutor, code: string): Promise<CategoryRow | undefined> {
  return (await listCategories(db, true)).find((category) => category.code === code);
}

export async function findPriority(db: DatabaseExecutor, code: ReportPriority) {
  return db.selectFrom('report_priority').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
}

export async function listCalendarExceptions(db: DatabaseExecutor) {
  return db.selectFrom('calendar_exception').select(['day', 'kind']).orderBy('day').execute();
}

// ---- routing -----------------------------------------------------------------------------------

export interface OfficeSummaryRow {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  kind: string;
}

/**
 * The offices covering any of `unitCodes` (most specific first, as given) in a boundary set, that
 * have `responsibility` — or are commune People's Committees when it is null.
 */
export async function findCoveringOffices(db: DatabaseExecutor, boundarySetId: string, unitCodes: string[], responsibility: string | null): Promise<Array<OfficeSummaryRow & { unit_code: string }>> {
  if (unitCodes.length === 0) return [];
  let query = db
    .selectFrom('office_coverage')
    .innerJoin('office', 'office.id', 'office_coverage.office_id')
    .select(['office.id', 'office.code', 'office.name', 'office.name_en', 'office.kind', 'office_coverage.unit_code'])
    .where('office_coverage.boundary_set_id', '=', boundarySetId)
    .where('office_coverage.unit_code', 'in', unitCodes);
  query = responsibility === null ? query.where('office.kind', '=', 'commune_committee') : query.where(sql<boolean>`${responsibility} = ANY(office.responsibilities)`);
  const rows = await query.orderBy('office.code').execute();
  return rows.sort((a, b) => unitCodes.indexOf(a.unit_code) - unitCodes.indexOf(b.unit_code));
}

export async function findOfficeByCode(db: DatabaseExecutor, code: string): Promise<(OfficeSummaryRow & { supervisor_id: string | null }) | undefined> {
  return db.selectFrom('office').select(['id', 'code', 'name', 'name_en', 'kind', 'supervisor_id']).where('code', '=', code).executeTakeFirst();
}

export async function findOfficeById(db: DatabaseExecutor, id: string): Promise<(OfficeSummaryRow & { supervisor_id: string | null }) | undefined> {
  return db.selectFrom('office').select(['id', 'code', 'name', 'name_en', 'kind', 'supervisor_id']).where('id', '=', id).executeTakeFirst();
}

/** Other commune-level units of the set within `metres` of the point (the pin is near their border). */
export async function findNeighbourUnitsWithin(db: DatabaseExecutor, boundarySetId: string, exceptCode: string, longitude: number, latitude: number, metres: number) {
  return db
    .selectFrom('admin_unit')
    .select(['code', 'name'])
    .where('boundary_set_id', '=', boundarySetId)
    .where('level', 'in', ['commune', 'ward', 'town'])
    .where('code', '<>', exceptCode)
    .where(sql<boolean>`ST_DWithin(admin_unit.geom::geography, ${makePoint(longitude, latitude)}::geography, ${metres}::double precision)`)
    .orderBy('code')
    .execute();
}

export async function findBoundarySetIdByName(db: DatabaseExecutor, name: string): Promise<string | undefined> {
  return (await db.selectFrom('boundary_set').select('id').where('name', '=', name).executeTakeFirst())?.id;
}

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

export async function insertEvent(db: DatabaseExecutor, event: NewEvent): Promise<{ id: string; seq: number }> {
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
    .returning(['id', 'seq'])
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

const publicReportColumns = (db: DatabaseExecutor) =>
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

// ---- state for the workflow (staff) ---------------------------------------------------------------

export async function lockReport(db: Transaction<Database>, reportId: string) {
  return db
    .selectFrom('report')
    .select([
      'id',
      'tracking_code',
      'category_code',
      'priority',
      'status',
      'office_id',
      'boundary_set_id',
      'unit_code',
      'created_at',
      'acknowledged_at',
      'resolved_at',
      'acknowledge_due_at',
      'due_at',
      'paused_at',
      'paused_remaining_minutes',
      'overdue',
      'escalated_at',
      'near_border',
      'border_confirmed_at',
      'duplicate_of',
      'rating',
      'version',
    ])
    .where('id', '=', reportId)
    .forUpdate()
    .executeTakeFirst();
}

export type LockedReport = NonNullable<Awaited<ReturnType<typeof lockReport>>>;

export interface ReportPatch {
  status?: ReportStatus;
  office_id?: string;
  rejection_reason?: RejectionReason | null;
  duplicate_of?: string | null;
  public_answer?: string | null;
  answered_at?: Date | null;
  acknowledged_at?: Date | null;
  resolved_at?: Date | null;
  closed_at?: Date | null;
  acknowledge_due_at?: Date;
  due_at?: Date | null;
  paused_at?: Date | null;
  paused_remaining_minutes?: number | null;
  overdue?: boolean;
  escalated_at?: Date | null;
  border_confirmed_at?: Date | null;
  rating?: 'satisfied' | 'not_satisfied' | null;
  rating_comment?: string | null;
  rated_at?: Date | null;
}

export async function updateReport(db: DatabaseExecutor, reportId: string, patch: ReportPatch, now: Date): Promise<void> {
  await db
    .updateTable('report')
    .set({ ...patch, updated_at: now, version: sql<number>`version + 1` })
    .where('id', '=', reportId)
    .execute();
}

export async function findReporterPrivate(db: DatabaseExecutor, reportId: string) {
  return db.selectFrom('report_reporter').select(['name', 'phone', 'email', 'consent_to_contact', 'user_id', 'token_hash']).where('report_id', '=', reportId).executeTakeFirst();
}

export async function findReportIdByTrackingCode(db: DatabaseExecutor, trackingCode: string): Promise<string | undefined> {
  return (await db.selectFrom('report').select('id').where('tracking_code', '=', trackingCode).executeTakeFirst())?.id;
}

export async function insertFollower(db: DatabaseExecutor, follower: { reportId: string; userId: string | null; tokenHash: string | null; movedFrom?: string | null }): Promise<boolean> {
  const result = await db
    .insertInto('report_follower')
    .values({ report_id: follower.reportId, user_id: follower.userId, token_hash: follower.tokenHash, moved_from_report_id: follower.movedFrom ?? null })
    .onConflict((conflict) => conflict.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Moves followers of a duplicate to its original, and the duplicate's reporter becomes a follower. */
export async function moveFollowers(db: DatabaseExecutor, fromReportId: string, toReportId: string): Promise<number> {
  const followers = await db.selectFrom('report_follower').select(['user_id', 'token_hash']).where('report_id', '=', fromReportId).execute();
  const reporter = await findReporterPrivate(db, fromReportId);
  const moving = [...followers, ...(reporter ? [{ user_id: reporter.user_id, token_hash: reporter.token_hash }] : [])];
  let moved = 0;
  for (const follower of moving) {
    if (await insertFollower(db, { reportId: toReportId, userId: follower.user_id, tokenHash: follower.token_hash, movedFrom: fromReportId })) moved += 1;
  }
  await db.deleteFrom('report_follower').where('report_id', '=', fromReportId).execute();
  return moved;
}

export async function countFollowers(db: DatabaseExecutor, reportId: string): Promise<number> {
  const row = await db.selectFrom('report_follower').select(sql<number>`count(*)::int`.as('count')).where('report_id', '=', reportId).executeTakeFirstOrThrow();
  return row.count;
}

/** Open reports whose current step deadline has passed and are not flagged yet. */
export async function listNewlyOverdueReports(db: DatabaseExecutor, now: Date, openStatuses: readonly ReportStatus[]) {
  return db
    .selectFrom('report')
    .select(['id', 'tracking_code', 'status', 'office_id', 'acknowledged_at', 'acknowledge_due_at', 'due_at'])
    .where('overdue', '=', false)
    .where('status', 'in', [...openStatuses].filter((status) => status !== 'waiting_for_citizen'))
    .where((eb) => eb.or([eb('due_at', '<', now), eb.and([eb('acknowledged_at', 'is', null), eb('acknowledge_due_at', '<', now)])]))
    .orderBy('created_at')
    .limit(500)
    .execute();
}

/** Internal (staff-only) columns of a report, without locking it. */
export async function lockFreeInternalState(db: DatabaseExecutor, reportId: string) {
  return db
    .selectFrom('report')
    .select([
      'id',
      'office_id',
      'near_border',
      'border_confirmed_at',
      'accuracy_m',
      'location_verdict',
      'location_verdict_detail',
      'escalated_at',
      'paused_at',
    ])
    .where('id', '=', reportId)
    .executeTakeFirst();
}
