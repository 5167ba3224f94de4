import type { OverdueReport, OverdueReportList, PointGeometry, StatisticsFigures, StatisticsGroup, StatisticsGrouping, StatisticsReport } from '@bandoso/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { findLatestBoundarySetStartingBy } from '../boundaries/boundaries.service.ts';
import { administrativeDate } from '../boundaries/boundaries.service.ts';
import { addHistogram, emptyHistogram, medianFromHistogram } from './stats-histogram.ts';
import { coverPeriod, daysInPeriod, eachDay, eachMonth, startOfYear, type CalendarDate } from './stats-periods.ts';
import * as repository from './stats.repository.ts';
import type { OverdueListQuery, StatisticsQuery } from './stats.schema.ts';

/**
 * Public statistics of citizen reports, read from the incremental aggregates of migration 0004 (the
 * cost of a query depends on the period and the number of groups, never on the number of reports).
 *
 * Definitions (the README's "Statistics" section says the same):
 * - A report counts in the period that contains the day it was created (Vietnam time), with what it
 *   is now: the March figures of a report resolved in May show it resolved.
 * - open: received, accepted, in progress, waiting for the citizen, transferred or reopened.
 *   received = open + resolved + rejected + duplicates.
 * - overdue: open and flagged by the deadline watcher (an acknowledgement or handling deadline passed).
 * - resolvedOnTime: resolved no later than its handling deadline (which excludes time waiting for the
 *   citizen and restarts after a transfer or a reopening).
 * - onTimeRate = resolvedOnTime / (resolved + overdue): open reports already late count against it,
 *   so a backlog cannot hide behind the few that were closed; null when nothing is resolved or late.
 * - rejected: refused as not eligible or without enough information. "Not our responsibility" is a
 *   transfer, not a rejection: the report counts for the office it was transferred to, as open.
 * - duplicates: reports marked as duplicates of another (neither rejected nor resolved).
 * - satisfactionRate = satisfied / rated; null when nobody rated.
 * - medians: of the time from submission to the first acknowledgement (acknowledged reports) and to
 *   resolution (resolved reports), in wall-clock minutes, read from histograms (within 9.05 %).
 * - commune: the unit of the boundary set in force today that contains the report's location (the
 *   routing unit itself for reports routed under that set); open reports keep their routing.
 *
 * The answers' shapes are @bandoso/contracts' statistics.contract.ts.
 */

/** A time series longer than this is refused (one group per day). */
export const MAX_DAYS_IN_SERIES = 731;
/** A monthly series longer than this is refused (ten years). */
export const MAX_MONTHS_IN_SERIES = 120;

/** How long a time series may be, per grouping. */
const seriesLimits = {
  day: { max: MAX_DAYS_IN_SERIES, length: daysInPeriod, unit: 'days', unitVi: 'ngày' },
  month: { max: MAX_MONTHS_IN_SERIES, length: (from: CalendarDate, to: CalendarDate) => eachMonth(from, to).length, unit: 'months', unitVi: 'tháng' },
} as const;

export async function getStatistics(db: Kysely<Database>, query: StatisticsQuery, now: Date = new Date()): Promise<StatisticsReport> {
  const today = administrativeDate(undefined, now);
  const to = query.to ?? today;
  const from = query.from ?? startOfYear(to);
  if (from > to) {
    throw new AppError('VALIDATION_FAILED', `from (${from}) is after to (${to}).`, {
      vi: `Ngày bắt đầu (${from}) sau ngày kết thúc (${to}).`,
      details: [{ parameter: 'from', problem: 'must not be after to' }],
    });
  }
  if (query.groupBy === 'day' || query.groupBy === 'month') {
    const { max, length, unit, unitVi } = seriesLimits[query.groupBy];
    if (length(from, to) > max) {
      throw new AppError('VALIDATION_FAILED', `groupBy=${query.groupBy} covers at most ${max} ${unit}; ask for a shorter period.`, {
        vi: `Thống kê theo ${unitVi} tối đa ${max} ${unitVi}; hãy chọn khoảng thời gian ngắn hơn.`,
        details: [{ parameter: 'to', problem: `at most ${max} ${unit} after from` }],
      });
    }
  }
  const boundarySetId = await ensureStatisticsGroupedByCurrentUnits(db, now);
  const boundarySet = boundarySetId ? await repository.findBoundarySetById(db, boundarySetId) : undefined;

  const rows =
    query.groupBy === 'day' || query.groupBy === 'month'
      ? await repository.sumStatisticsByPeriod(db, query.groupBy, from, to)
      : await repository.sumStatisticsByKey(db, dimensionOf[query.groupBy], coverPeriod(from, to));
  const named = await nameGroups(db, query.groupBy, rows, boundarySetId, from, to);

  const totalSums = sumRows(rows);
  return {
    groupBy: query.groupBy,
    from,
    to,
    generatedAt: now.toISOString(),
    boundarySet: boundarySet ? { name: boundarySet.name, validFrom: boundarySet.valid_from, validTo: boundarySet.valid_to } : null,
    totals: figures(totalSums),
    groups: named.map(({ key, name, nameEn, sums }) => ({ key, name, nameEn, ...figures(sums) })),
  };
}

const dimensionOf: Record<Exclude<StatisticsGrouping, 'day' | 'month'>, repository.StatisticsDimension> = {
  commune: 'unit',
  office: 'office',
  category: 'category',
};

interface NamedSums {
  key: string;
  name: string;
  nameEn: string | null;
  sums: repository.StatisticsSumRow;
}

/** Every commune / office / category / day of the period, with zeros where nothing was reported. */
async function nameGroups(
  db: Kysely<Database>,
  groupBy: StatisticsGrouping,
  rows: repository.StatisticsSumRow[],
  boundarySetId: string | null,
  from: CalendarDate,
  to: CalendarDate,
): Promise<NamedSums[]> {
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const take = (key: string) => {
    const sums = byKey.get(key) ?? zeroSums(key);
    byKey.delete(key);
    return sums;
  };
  const groups: NamedSums[] = [];
  switch (groupBy) {
    case 'commune': {
      const units = boundarySetId ? await repository.listCommuneLevelUnits(db, boundarySetId) : [];
      for (const unit of units) groups.push({ key: unit.code, name: unit.name, nameEn: null, sums: take(unit.code) });
      // Reports whose location no unit of the set covers keep their routing unit.
      const others = [...byKey.keys()].sort();
      const names = await repository.findUnitNames(db, others);
      for (const code of others) groups.push({ key: code, name: names.get(code) ?? code, nameEn: null, sums: take(code) });
      return groups;
    }
    case 'office': {
      for (const office of await repository.listOffices(db)) groups.push({ key: office.code, name: office.name, nameEn: office.name_en, sums: take(office.id) });
      for (const id of [...byKey.keys()].sort()) groups.push({ key: id, name: id, nameEn: null, sums: take(id) });
      return groups;
    }
    case 'category': {
      for (const category of await repository.listCategories(db)) {
        if (category.active || byKey.has(category.code)) groups.push({ key: category.code, name: category.name_vi, nameEn: category.name_en, sums: take(category.code) });
      }
      for (const code of [...byKey.keys()].sort()) groups.push({ key: code, name: code, nameEn: null, sums: take(code) });
      return groups;
    }
    case 'day':
      return eachDay(from, to).map((day) => ({ key: day, name: day, nameEn: null, sums: take(day) }));
    case 'month':
      return eachMonth(from, to).map((month) => ({ key: month, name: month, nameEn: null, sums: take(month) }));
  }
}

function zeroSums(key: string): repository.StatisticsSumRow {
  const sums = { key, acknowledge_histogram: emptyHistogram(), resolve_histogram: emptyHistogram() } as repository.StatisticsSumRow;
  for (const counter of repository.statisticsCounters) sums[counter] = 0;
  return sums;
}

function sumRows(rows: repository.StatisticsSumRow[]): repository.StatisticsSumRow {
  const total = zeroSums('total');
  for (const row of rows) {
    for (const counter of repository.statisticsCounters) total[counter] += row[counter];
    addHistogram(total.acknowledge_histogram, row.acknowledge_histogram);
    addHistogram(total.resolve_histogram, row.resolve_histogram);
  }
  return total;
}

export function figures(sums: repository.StatisticsSumRow): StatisticsFigures {
  const lateOrResolved = sums.resolved + sums.overdue_open;
  return {
    received: sums.received,
    open: sums.open,
    overdue: sums.overdue_open,
    resolved: sums.resolved,
    resolvedOnTime: sums.resolved_on_time,
    rejected: sums.rejected,
    duplicates: sums.duplicates,
    acknowledged: sums.acknowledged,
    rated: sums.rated,
    satisfied: sums.satisfied,
    onTimeRate: ratio(sums.resolved_on_time, lateOrResolved),
    satisfactionRate: ratio(sums.satisfied, sums.rated),
    medianAcknowledgeMinutes: roundMinutes(medianFromHistogram(sums.acknowledge_histogram)),
    medianResolveMinutes: roundMinutes(medianFromHistogram(sums.resolve_histogram)),
  };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? Math.round((numerator / denominator) * 10_000) / 10_000 : null;
}

function roundMinutes(minutes: number | null): number | null {
  return minutes === null ? null : Math.round(minutes * 10) / 10;
}

// ---- grouping by the units in force ---------------------------------------------------------------

/** The boundary set in force on a day (the locate rule), or null when none is. */
async function findBoundarySetInForce(db: Kysely<Database>, now: Date): Promise<string | null> {
  const today = administrativeDate(undefined, now);
  const set = await findLatestBoundarySetStartingBy(db, today);
  return set && (set.valid_to === null || set.valid_to >= today) ? set.id : null;
}

/**
 * Makes sure the statistics group reports by the units of the boundary set in force today, and
 * answers that set's id. Cheap when they already do (two small reads); otherwise it regroups, which
 * costs time proportional to the number of reports and holds report writers back meanwhile — that
 * happens once per boundary change (a new set comes into force, or its units are re-imported).
 */
export async function ensureStatisticsGroupedByCurrentUnits(db: Kysely<Database>, now: Date = new Date()): Promise<string | null> {
  const [inForce, state] = await Promise.all([findBoundarySetInForce(db, now), repository.findStatisticsState(db)]);
  if (!state || state.boundary_set_id !== inForce || state.units_changed) await repository.regroupStatistics(db, inForce, true);
  return inForce;
}

/**
 * Recomputes every aggregate from the reports, grouped by the units of the set in force: call it after
 * importing a boundary set (the importer, an admin task) so that no public request pays for it.
 */
export async function regroupStatisticsByCurrentUnits(db: Kysely<Database>, now: Date = new Date()): Promise<void> {
  await repository.regroupStatistics(db, await findBoundarySetInForce(db, now), false);
}

// ---- CSV --------------------------------------------------------------------------------------------

const csvColumns: ReadonlyArray<[string, (group: StatisticsGroup) => string | number | null]> = [
  ['key', (group) => group.key],
  ['name', (group) => group.name],
  ['received', (group) => group.received],
  ['open', (group) => group.open],
  ['overdue', (group) => group.overdue],
  ['resolved', (group) => group.resolved],
  ['resolved_on_time', (group) => group.resolvedOnTime],
  ['rejected', (group) => group.rejected],
  ['duplicates', (group) => group.duplicates],
  ['acknowledged', (group) => group.acknowledged],
  ['rated', (group) => group.rated],
  ['satisfied', (group) => group.satisfied],
  ['on_time_rate', (group) => group.onTimeRate],
  ['satisfaction_rate', (group) => group.satisfactionRate],
  ['median_acknowledge_minutes', (group) => group.medianAcknowledgeMinutes],
  ['median_resolve_minutes', (group) => group.medianResolveMinutes],
];

/**
 * RFC 4180 CSV, one line per group (no total line, so that summing a column in a spreadsheet gives the
 * total), with a UTF-8 byte order mark so that Excel shows Vietnamese names correctly. An empty cell
 * is an undefined rate or median.
 */
export function statisticsToCsv(report: StatisticsReport): string {
  const lines = [csvColumns.map(([name]) => name).join(',')];
  for (const group of report.groups) lines.push(csvColumns.map(([, value]) => csvCell(value(group))).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  // A cell starting with = + - @ would be a formula in a spreadsheet.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function statisticsFileName(report: StatisticsReport): string {
  return `thong-ke-phan-anh_${report.groupBy}_${report.from}_${report.to}.csv`;
}

// ---- open overdue reports -------------------------------------------------------------------------

/** Open reports flagged overdue, oldest first: public columns only (no reporter, no internal notes). */
export async function listOverdueReports(db: Kysely<Database>, query: OverdueListQuery, now: Date = new Date()): Promise<OverdueReportList> {
  const boundarySetId = await ensureStatisticsGroupedByCurrentUnits(db, now);
  const { rows, total } = await repository.listOpenOverdueReports(db, {
    unitCode: query.commune,
    officeCode: query.office,
    categoryCode: query.category,
    limit: query.limit,
    offset: query.offset,
  });
  const unitNames = new Map<string, string>();
  if (boundarySetId) for (const unit of await repository.listCommuneLevelUnits(db, boundarySetId)) unitNames.set(unit.code, unit.name);
  const reports: OverdueReport[] = rows.map((row) => ({
    id: row.id,
    trackingCode: row.tracking_code,
    status: row.status,
    category: { code: row.category_code, name: row.category_name },
    commune: { code: row.unit_code, name: unitNames.get(row.unit_code) ?? row.unit_name },
    office: { code: row.office_code, name: row.office_name },
    createdAt: row.created_at.toISOString(),
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    acknowledgeDueAt: row.acknowledge_due_at.toISOString(),
    dueAt: row.due_at?.toISOString() ?? null,
    location: row.location as PointGeometry,
  }));
  return { total, limit: query.limit, offset: query.offset, reports };
}
