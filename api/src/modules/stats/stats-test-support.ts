/**
 * Test-only helpers of the statistics module: a CSV reader, and a brute-force recomputation of the
 * aggregates straight from the report table (written independently of migration 0004's SQL, in
 * TypeScript, so that the two can be compared).
 */
import { randomBytes } from 'node:crypto';
import { openReportStatuses } from '@bandoso/contracts';
import { sql, type Kysely } from 'kysely';
import type { Database, ReportStatus } from '../../db/database-schema.ts';
import { bucketOfMinutes, emptyHistogram, unpackHistogram } from './stats-histogram.ts';
import { statisticsCounters, type StatisticsCounter } from './stats.repository.ts';

/** RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      row.push(field);
      field = '';
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[index + 1] === '\n') index += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += character;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const openStatuses: ReadonlySet<ReportStatus> = new Set(openReportStatuses);

export type ExpectedRow = Record<StatisticsCounter, number> & { acknowledge_histogram: number[]; resolve_histogram: number[] };

export interface ReportFacts {
  id: string;
  day: string;
  unitKey: string;
  officeKey: string;
  categoryKey: string;
  counters: Record<StatisticsCounter, number>;
  acknowledgeMinutes: number | null;
  resolveMinutes: number | null;
}

const vietnamDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Each report's facts, from its raw columns (the unit: point-in-polygon in the statistics set). */
export async function reportFacts(db: Kysely<Database>): Promise<ReportFacts[]> {
  const result = await sql<{
    id: string;
    status: ReportStatus;
    overdue: boolean;
    created_at: Date;
    due_at: Date | null;
    resolved_at: Date | null;
    rating: string | null;
    office_id: string;
    category_code: string;
    unit_key: string;
    resolved_in_time: boolean | null;
    acknowledge_seconds: number | null;
    resolve_seconds: number | null;
  }>`
    SELECT r.id, r.status, r.overdue, r.created_at, r.due_at, r.resolved_at, r.rating, r.office_id::text AS office_id, r.category_code,
      CASE WHEN s.boundary_set_id IS NULL OR s.boundary_set_id = r.boundary_set_id THEN r.unit_code ELSE coalesce(u.code, r.unit_code) END AS unit_key,
      r.resolved_at <= r.due_at AS resolved_in_time,
      extract(epoch FROM r.acknowledged_at - r.created_at)::double precision AS acknowledge_seconds,
      extract(epoch FROM r.resolved_at - r.created_at)::double precision AS resolve_seconds
    FROM report r
    LEFT JOIN report_statistics_state s ON true
    LEFT JOIN LATERAL (
      SELECT a.code FROM admin_unit a
      WHERE a.boundary_set_id = s.boundary_set_id AND a.level IN ('commune', 'ward', 'town') AND ST_Covers(a.geom, r.location)
      ORDER BY a.code LIMIT 1) AS u ON true`.execute(db);
  return result.rows.map((row) => {
    const open = openStatuses.has(row.status);
    const resolved = row.status === 'resolved';
    return {
      id: row.id,
      day: vietnamDay.format(row.created_at),
      unitKey: row.unit_key,
      officeKey: row.office_id,
      categoryKey: row.category_code,
      counters: {
        received: 1,
        open: open ? 1 : 0,
        overdue_open: open && row.overdue ? 1 : 0,
        resolved: resolved ? 1 : 0,
        resolved_on_time: resolved && (row.due_at === null || row.resolved_in_time === true) ? 1 : 0,
        rejected: row.status === 'rejected' ? 1 : 0,
        duplicates: row.status === 'duplicate' ? 1 : 0,
        acknowledged: row.acknowledge_seconds === null ? 0 : 1,
        rated: row.rating === null ? 0 : 1,
        satisfied: row.rating === 'satisfied' ? 1 : 0,
      },
      acknowledgeMinutes: row.acknowledge_seconds === null ? null : row.acknowledge_seconds / 60,
      resolveMinutes: resolved && row.resolve_seconds !== null ? row.resolve_seconds / 60 : null,
    };
  });
}

function emptyExpectedRow(): ExpectedRow {
  const row = { acknowledge_histogram: emptyHistogram(), resolve_histogram: emptyHistogram() } as ExpectedRow;
  for (const counter of statisticsCounters) row[counter] = 0;
  return row;
}

function addFacts(row: ExpectedRow, facts: ReportFacts): void {
  for (const counter of statisticsCounters) row[counter] += facts.counters[counter];
  if (facts.acknowledgeMinutes !== null) row.acknowledge_histogram[bucketOfMinutes(facts.acknowledgeMinutes)]! += 1;
  if (facts.resolveMinutes !== null) row.resolve_histogram[bucketOfMinutes(facts.resolveMinutes)]! += 1;
}

/** What report_statistics must hold, keyed `dimension|grain|period_start|key`, rows of zeros left out. */
export function expectedAggregates(facts: ReportFacts[]): Map<string, ExpectedRow> {
  const rows = new Map<string, ExpectedRow>();
  for (const report of facts) {
    for (const [grain, period] of [['day', report.day], ['month', `${report.day.slice(0, 7)}-01`]] as const) {
      for (const [dimension, key] of [['unit', report.unitKey], ['office', report.officeKey], ['category', report.categoryKey]] as const) {
        const id = `${dimension}|${grain}|${period}|${key}`;
        let row = rows.get(id);
        if (!row) rows.set(id, (row = emptyExpectedRow()));
        addFacts(row, report);
      }
    }
  }
  return rows;
}

/** Sums of facts per group key, over reports created between two days (both included). */
export function expectedGroups(facts: ReportFacts[], keyOf: (facts: ReportFacts) => string, from: string, to: string): Map<string, ExpectedRow> {
  const groups = new Map<string, ExpectedRow>();
  for (const report of facts) {
    if (report.day < from || report.day > to) continue;
    const key = keyOf(report);
    let row = groups.get(key);
    if (!row) groups.set(key, (row = emptyExpectedRow()));
    addFacts(row, report);
  }
  return groups;
}

/** report_statistics as it is, keyed like expectedAggregates, rows of zeros left out. */
export async function storedAggregates(db: Kysely<Database>): Promise<Map<string, ExpectedRow>> {
  const result = await sql<Record<StatisticsCounter, number> & { dimension: string; grain: string; period_start: string; key: string; acknowledge_histogram: string; resolve_histogram: string }>`
    SELECT dimension, grain, period_start, key, ${sql.join(statisticsCounters.map((counter) => sql.ref(counter)))},
           acknowledge_histogram::text AS acknowledge_histogram, resolve_histogram::text AS resolve_histogram
    FROM report_statistics`.execute(db);
  const rows = new Map<string, ExpectedRow>();
  for (const row of result.rows) {
    const stored: ExpectedRow = {
      ...Object.fromEntries(statisticsCounters.map((counter) => [counter, row[counter]])),
      acknowledge_histogram: unpackHistogram(row.acknowledge_histogram),
      resolve_histogram: unpackHistogram(row.resolve_histogram),
    } as ExpectedRow;
    const empty =
      statisticsCounters.every((counter) => stored[counter] === 0) && stored.acknowledge_histogram.every((count) => count === 0) && stored.resolve_histogram.every((count) => count === 0);
    if (!empty) rows.set(`${row.dimension}|${row.grain}|${row.period_start}|${row.key}`, stored);
  }
  return rows;
}


/** A deterministic pseudo-random generator (mulberry32), so that a failing sequence can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Inserts reports straight into the table, routed as the caller says: for what the API cannot do
 * (reports routed under an older boundary set, which no office of the sample data covers any more).
 */
export async function insertRoutedReports(
  db: Kysely<Database>,
  reports: Array<{ setName: string; unitCode: string; officeCode: string; categoryCode: string; createdAt: Date; location: [number, number] }>,
): Promise<string[]> {
  const ids: string[] = [];
  for (const report of reports) {
    const row = await sql<{ id: string }>`
      INSERT INTO report (tracking_code, category_code, priority, description, location, status, boundary_set_id, unit_code, unit_name, office_id,
                          location_verdict, created_at, updated_at, acknowledge_due_at, due_at)
      SELECT ${`DB-${randomBytes(3).toString('hex').toUpperCase()}`}, ${report.categoryCode}, 'normal', 'Phản ánh thử nghiệm (nhập thẳng)',
             ST_SetSRID(ST_MakePoint(${report.location[0]}::double precision, ${report.location[1]}::double precision), 4326), 'received', s.id, u.code, u.name, o.id,
             'unverified', ${report.createdAt}::timestamptz, ${report.createdAt}::timestamptz, ${report.createdAt}::timestamptz + interval '1 day', ${report.createdAt}::timestamptz + interval '3 days'
      FROM boundary_set s JOIN admin_unit u ON u.boundary_set_id = s.id, office o
      WHERE s.name = ${report.setName} AND u.code = ${report.unitCode} AND o.code = ${report.officeCode}
      RETURNING id`.execute(db);
    if (!row.rows[0]) throw new Error(`no unit ${report.unitCode} in ${report.setName} or no office ${report.officeCode}`);
    ids.push(row.rows[0].id);
  }
  return ids;
}
