import { openReportStatuses } from '@bandoso/contracts';
import { sql } from 'kysely';
import type { DatabaseExecutor, ReportStatisticsStateTable, StatisticsDimension } from '../../db/database-schema.ts';

export type { StatisticsDimension };
import { asGeoJson } from '../../db/postgis.ts';
import { unpackHistogram } from './stats-histogram.ts';
import type { CalendarDate, PeriodCover } from './stats-periods.ts';

export const statisticsCounters = ['received', 'open', 'overdue_open', 'resolved', 'resolved_on_time', 'rejected', 'duplicates', 'acknowledged', 'rated', 'satisfied'] as const;
export type StatisticsCounter = (typeof statisticsCounters)[number];

export type StatisticsSumRow = { key: string; acknowledge_histogram: number[]; resolve_histogram: number[] } & Record<StatisticsCounter, number>;

// ---- grouping state ------------------------------------------------------------------------------

export async function findStatisticsState(db: DatabaseExecutor): Promise<Pick<ReportStatisticsStateTable, 'boundary_set_id' | 'units_changed'> | undefined> {
  return db.selectFrom('report_statistics_state').select(['boundary_set_id', 'units_changed']).executeTakeFirst();
}

/**
 * Rebuilds the aggregates with the units of `boundarySetId` (null: each report's routing unit), in
 * one transaction that holds report writers back meanwhile. With `onlyIfStale`, returns false without
 * doing anything when they already are grouped that way.
 */
export async function regroupStatistics(db: DatabaseExecutor, boundarySetId: string | null, onlyIfStale: boolean): Promise<boolean> {
  const result = await sql<{ regrouped: boolean }>`SELECT report_statistics_regroup(${boundarySetId}::uuid, ${onlyIfStale}) AS regrouped`.execute(db);
  return result.rows[0]?.regrouped ?? false;
}

// ---- sums ----------------------------------------------------------------------------------------

/** The sum of a packed histogram column over the grouped rows, as numeric text (a plain sum: see migration 0004). */
const histogramSum = (column: 'acknowledge_histogram' | 'resolve_histogram') => sql<string>`sum(${sql.ref(column)})::text`;

const counterSums = () => statisticsCounters.map((counter) => sql<number>`coalesce(sum(${sql.ref(counter)}), 0)::integer`.as(counter));

type PackedSumRow = Omit<StatisticsSumRow, 'acknowledge_histogram' | 'resolve_histogram'> & { acknowledge_histogram: string | null; resolve_histogram: string | null };

function unpackSums(rows: PackedSumRow[]): StatisticsSumRow[] {
  return rows.map((row) => ({ ...row, acknowledge_histogram: unpackHistogram(row.acknowledge_histogram), resolve_histogram: unpackHistogram(row.resolve_histogram) }));
}

/** Sums per key of one dimension over the rows that cover a period (no row for a key without reports). */
export async function sumStatisticsByKey(db: DatabaseExecutor, dimension: StatisticsDimension, cover: PeriodCover): Promise<StatisticsSumRow[]> {
  return db
    .selectFrom('report_statistics')
    .select(['key', ...counterSums(), histogramSum('acknowledge_histogram').as('acknowledge_histogram'), histogramSum('resolve_histogram').as('resolve_histogram')])
    .where('dimension', '=', dimension)
    .where((eb) =>
      eb.or([
        ...cover.days.map((range) => eb.and([eb('grain', '=', 'day'), eb('period_start', '>=', range.from), eb('period_start', '<=', range.to)])),
        ...(cover.months ? [eb.and([eb('grain', '=', 'month'), eb('period_start', '>=', cover.months.from), eb('period_start', '<=', cover.months.to)])] : []),
      ]),
    )
    .groupBy('key')
    .execute()
    .then((rows) => unpackSums(rows as PackedSumRow[]));
}

/**
 * Sums per creation day (key YYYY-MM-DD) or month (key YYYY-MM) of the period, from the per-category
 * day rows: a period may start or end inside a month, which the month rows cannot cut. The cost
 * grows with the length of the period (bounded by the service), never with the number of reports.
 */
export async function sumStatisticsByPeriod(db: DatabaseExecutor, period: 'day' | 'month', from: CalendarDate, to: CalendarDate): Promise<StatisticsSumRow[]> {
  const key = period === 'day' ? sql<string>`period_start::text` : sql<string>`to_char(period_start, 'YYYY-MM')`;
  return db
    .selectFrom('report_statistics')
    .select([key.as('key'), ...counterSums(), histogramSum('acknowledge_histogram').as('acknowledge_histogram'), histogramSum('resolve_histogram').as('resolve_histogram')])
    .where('dimension', '=', 'category')
    .where('grain', '=', 'day')
    .where('period_start', '>=', from)
    .where('period_start', '<=', to)
    .groupBy(key)
    .execute()
    .then((rows) => unpackSums(rows as PackedSumRow[]));
}

// ---- names of the groups ------------------------------------------------------------------------

export async function findBoundarySetById(db: DatabaseExecutor, id: string) {
  return db.selectFrom('boundary_set').select(['id', 'name', 'valid_from', 'valid_to']).where('id', '=', id).executeTakeFirst();
}

/** The communes, wards and towns of a boundary set. */
export async function listCommuneLevelUnits(db: DatabaseExecutor, boundarySetId: string) {
  return db
    .selectFrom('admin_unit')
    .select(['code', 'name'])
    .where('boundary_set_id', '=', boundarySetId)
    .where('level', 'in', ['commune', 'ward', 'town'])
    .orderBy('code')
    .execute();
}

/** Names of unit codes in whichever set has them, the most recent set first. */
export async function findUnitNames(db: DatabaseExecutor, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('admin_unit')
    .innerJoin('boundary_set', 'boundary_set.id', 'admin_unit.boundary_set_id')
    .select(['admin_unit.code', 'admin_unit.name'])
    .where('admin_unit.code', 'in', codes)
    .orderBy('boundary_set.valid_from', 'desc')
    .orderBy('boundary_set.created_at', 'desc')
    .execute();
  const names = new Map<string, string>();
  for (const row of rows) if (!names.has(row.code)) names.set(row.code, row.name);
  return names;
}

export async function listOffices(db: DatabaseExecutor) {
  return db.selectFrom('office').select(['id', 'code', 'name', 'name_en']).orderBy('code').execute();
}

export async function listCategories(db: DatabaseExecutor) {
  return db.selectFrom('report_category').select(['code', 'name_vi', 'name_en', 'active']).orderBy('sort_order').orderBy('code').execute();
}

// ---- open overdue reports (public columns only) -------------------------------------------------

export interface OverdueFilter {
  unitCode?: string | undefined;
  officeCode?: string | undefined;
  categoryCode?: string | undefined;
  limit: number;
  offset: number;
}

/** The unit a report counts for in statistics (the unit of the statistics set at its location): migration 0004's own definition. */
const statisticsUnitOfReport = sql<string>`(SELECT f.unit_key FROM report_statistics_fact(report, (SELECT boundary_set_id FROM report_statistics_state)) AS f)`;

function openOverdueReports(db: DatabaseExecutor, filter: OverdueFilter) {
  let query = db
    .selectFrom('report')
    .innerJoin('report_category', 'report_category.code', 'report.category_code')
    .innerJoin('office', 'office.id', 'report.office_id')
    .where('report.overdue', '=', true)
    .where('report.status', 'in', [...openReportStatuses]);
  if (filter.unitCode) query = query.where(statisticsUnitOfReport, '=', filter.unitCode);
  if (filter.officeCode) query = query.where('office.code', '=', filter.officeCode);
  if (filter.categoryCode) query = query.where('report.category_code', '=', filter.categoryCode);
  return query;
}

export async function listOpenOverdueReports(db: DatabaseExecutor, filter: OverdueFilter) {
  const [rows, count] = await Promise.all([
    openOverdueReports(db, filter)
      .select([
        'report.id',
        'report.tracking_code',
        'report.status',
        'report.category_code',
        'report_category.name_vi as category_name',
        statisticsUnitOfReport.as('unit_code'),
        'report.unit_name',
        'office.code as office_code',
        'office.name as office_name',
        'report.created_at',
        'report.acknowledged_at',
        'report.acknowledge_due_at',
        'report.due_at',
        asGeoJson(sql.ref('report.location')).as('location'),
      ])
      .orderBy('report.created_at')
      .orderBy('report.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    openOverdueReports(db, filter).select(sql<number>`count(*)::integer`.as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: count.total };
}
