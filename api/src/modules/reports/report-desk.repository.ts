import { closedReportStatuses } from '@bandoso/contracts';
import { sql, type SqlBool } from 'kysely';
import type { DatabaseExecutor, OfficeKind, ReportStatus } from '../../db/database-schema.ts';
import { foldedReportText, foldedWordPatterns } from '../../db/folded-text.ts';
import { publicReportColumns } from './reports.repository.ts';

/**
 * What the staff desk reads: the queue (with the deadline columns staff may see), the offices a
 * report could go to, and reports near it that may be the same problem.
 */

export interface StaffQueueFilter {
  officeId?: string;
  communeCode?: string;
  categories?: string[];
  statuses?: ReportStatus[];
  createdFrom?: Date;
  createdBefore?: Date;
  overdueOnly?: boolean;
  /** A tracking code (exact, any case) or words of the description or address (accents and case ignored). */
  search?: string;
  sort: 'deadline' | 'newest';
  now: Date;
  limit: number;
  offset: number;
}

const closed = [...closedReportStatuses];

/**
 * The queue's order for `sort=deadline`, all in SQL so that `limit`/`offset` page through one
 * consistent order: running deadlines first, by the instant the current step is due (the most
 * overdue first: working minutes left is a non-decreasing function of that instant, so this is the
 * order of `deadline.workingMinutesLeft`), then reports waiting for the citizen by the working
 * minutes frozen on them, then closed reports, newest first.
 */
const queueGroup = sql<number>`CASE WHEN report.status IN (${sql.join(closed)}) THEN 2 WHEN report.paused_at IS NOT NULL THEN 1 ELSE 0 END`;
/** The current step's due instant: the acknowledgement while not acknowledged (or the handling deadline if that comes first). */
const currentDueAt = sql<Date | null>`CASE WHEN report.acknowledged_at IS NULL THEN LEAST(report.acknowledge_due_at, report.due_at) ELSE report.due_at END`;

export async function listStaffQueue(db: DatabaseExecutor, filter: StaffQueueFilter) {
  // The public columns every report list reads, and the staff-only pause of the deadline clock.
  let query = publicReportColumns(db).select(['report.paused_at', 'report.paused_remaining_minutes']);
  let count = db.selectFrom('report').select(sql<number>`count(*)::int`.as('total'));
  const apply = <Q extends { where: (...args: any[]) => Q }>(builder: Q): Q => {
    let result = builder;
    if (filter.officeId) result = result.where('report.office_id', '=', filter.officeId);
    if (filter.communeCode) result = result.where('report.unit_code', '=', filter.communeCode);
    if (filter.categories?.length) result = result.where('report.category_code', 'in', filter.categories);
    if (filter.statuses?.length) result = result.where('report.status', 'in', filter.statuses);
    if (filter.createdFrom) result = result.where('report.created_at', '>=', filter.createdFrom);
    if (filter.createdBefore) result = result.where('report.created_at', '<', filter.createdBefore);
    if (filter.overdueOnly) result = result.where('report.overdue', '=', true);
    const search = filter.search?.trim();
    if (search) {
      const patterns = foldedWordPatterns(search);
      const text = foldedReportText();
      const words = patterns.map((pattern) => sql<SqlBool>`${text} LIKE ${pattern}`);
      const byCode = sql<SqlBool>`report.tracking_code = ${search.toUpperCase()}`;
      result = result.where(words.length ? sql<SqlBool>`(${byCode} OR (${sql.join(words, sql` AND `)}))` : byCode);
    }
    return result;
  };
  query = apply(query as any) as typeof query;
  count = apply(count as any) as typeof count;
  const ordered =
    filter.sort === 'newest'
      ? query.orderBy('report.created_at', 'desc')
      : query
          .orderBy(queueGroup)
          .orderBy(sql`CASE WHEN ${queueGroup} = 0 THEN ${currentDueAt} END`, (order) => order.asc().nullsLast())
          .orderBy(sql`CASE WHEN ${queueGroup} = 1 THEN report.paused_remaining_minutes END`, (order) => order.asc().nullsLast())
          .orderBy('report.created_at', 'desc');
  const [rows, total] = await Promise.all([ordered.orderBy('report.id').limit(filter.limit).offset(filter.offset).execute(), count.executeTakeFirstOrThrow()]);
  return { rows, total: total.total };
}

export type StaffQueueRow = Awaited<ReturnType<typeof listStaffQueue>>['rows'][number];

/** The deadline columns of one report (the staff view adds its deadline). */
export async function findDeadlineState(db: DatabaseExecutor, reportId: string) {
  return db
    .selectFrom('report')
    .select(['status', 'acknowledged_at', 'acknowledge_due_at', 'due_at', 'paused_at', 'paused_remaining_minutes'])
    .where('id', '=', reportId)
    .executeTakeFirst();
}

/** What a transfer or duplicate search starts from. */
export async function findDeskReport(db: DatabaseExecutor, reportId: string) {
  return db.selectFrom('report').select(['id', 'office_id', 'category_code', 'boundary_set_id']).where('id', '=', reportId).executeTakeFirst();
}

/**
 * Every office but `excludeOfficeId`, with whether its area (in the report's boundary set) covers the
 * report's point and how far that area is from it (0 inside; null when it has no area in that set).
 */
export async function listOfficesAroundReport(db: DatabaseExecutor, reportId: string, excludeOfficeId: string) {
  const rows = await sql<{ code: string; name: string; name_en: string | null; kind: OfficeKind; responsibilities: string[]; covers_place: boolean; distance_m: number | null }>`
    SELECT office.code, office.name, office.name_en, office.kind, office.responsibilities,
      coalesce(area.covers_place, false) AS covers_place, area.distance_m
    FROM office
    CROSS JOIN (SELECT location, boundary_set_id FROM report WHERE id = ${reportId}) AS target
    LEFT JOIN LATERAL (
      SELECT bool_or(ST_Covers(unit.geom, target.location)) AS covers_place,
        min(CASE WHEN ST_Covers(unit.geom, target.location) THEN 0 ELSE ST_Distance(unit.geom::geography, target.location::geography) END) AS distance_m
      FROM office_coverage AS coverage
      JOIN admin_unit AS unit ON unit.boundary_set_id = coverage.boundary_set_id AND unit.code = coverage.unit_code
      WHERE coverage.office_id = office.id AND coverage.boundary_set_id = target.boundary_set_id
    ) AS area ON true
    WHERE office.id <> ${excludeOfficeId}`.execute(db);
  return rows.rows.map((row) => ({ ...row, distance_m: row.distance_m === null ? null : Number(row.distance_m) }));
}

/** Other reports within `radiusM` of a report, not themselves duplicates: its category first, then nearest. */
export async function listDuplicateCandidates(db: DatabaseExecutor, reportId: string, radiusM: number, limit: number) {
  const rows = await sql<{
    tracking_code: string;
    category_code: string;
    category_name_vi: string;
    category_name_en: string;
    status: ReportStatus;
    description: string;
    created_at: Date;
    distance_m: number;
  }>`
    SELECT other.tracking_code, other.category_code, category.name_vi AS category_name_vi, category.name_en AS category_name_en,
      other.status, other.description, other.created_at,
      ST_Distance(other.location::geography, target.location::geography) AS distance_m
    FROM report AS target
    JOIN report AS other ON other.id <> target.id
      -- A box in degrees first, so the GiST index on report.location is used (a geography distance
      -- alone reads every report): radiusM as degrees of longitude at the report's latitude, the
      -- wider of the two, then the exact geodesic test.
      AND other.location && ST_Expand(target.location, ${radiusM}::double precision / (111320.0 * cos(radians(ST_Y(target.location)))))
      AND ST_DWithin(other.location::geography, target.location::geography, ${radiusM}::double precision)
    JOIN report_category AS category ON category.code = other.category_code
    WHERE target.id = ${reportId} AND other.status <> 'duplicate'
    ORDER BY (other.category_code = target.category_code) DESC, distance_m, other.created_at DESC, other.id
    LIMIT ${limit}`.execute(db);
  return rows.rows.map((row) => ({ ...row, created_at: new Date(row.created_at), distance_m: Number(row.distance_m) }));
}
