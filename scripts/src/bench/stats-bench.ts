/**
 * npm run bench:stats   (needs DATABASE_URL: a PostGIS server; the user must be allowed to CREATE DATABASE)
 *
 * Statistics at 10 000 and at 1 000 000 reports, in one run, on the server backend: `GET /api/stats`
 * over HTTP and the service function directly (both read the incremental aggregates of migration
 * 0004), against the brute-force baseline — the same figures computed with GROUP BY over the report
 * table, whose cost grows with the number of reports. Also, at each size: what the statistics
 * triggers add to a write (EXPLAIN ANALYZE's trigger times for single-row INSERT / UPDATE like the
 * API's, and a bulk INSERT … SELECT, in a transaction rolled back), the one-time cost of a full
 * regroup, and a check that the aggregates equal the brute force.
 *
 * Works in its own database `<database>_bench_stats`, created at the start and dropped at the end
 * (BENCH_STATS_KEEP=true leaves it for inspection). BENCH_STATS_SIZES (default 10000,1000000) and
 * BENCH_STATS_QUERIES (default 200) change the sizes and the number of queries per measurement.
 *
 * Synthetic reports: 2 years of creation times (2024-12-01 … 2026-11-27), locations spread evenly
 * over the 45 communes and wards, categories evenly, each routed like the API routes (commune
 * committee or the office with the category's responsibility); before 1 July 2025, locations inside
 * the pre-2025 units are routed under the pre-2025 set (so the statistics regroup them). Status mix:
 * 62 % resolved, 8 % rejected, 3 % duplicates, 27 % open (received, accepted, in progress, waiting,
 * transferred, reopened), open ones past their deadline flagged overdue; durations log-uniform.
 * Inserted with INSERT … SELECT generate_series through the triggers, in chunks of 100 000.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { openServerDatabase } from '../../../api/src/db/database.ts';
import type { Database } from '../../../api/src/db/database-schema.ts';
import { getStatistics, regroupStatisticsByCurrentUnits } from '../../../api/src/modules/stats/stats.service.ts';
import type { StatisticsGrouping } from '../../../api/contracts/src/index.ts';
import { prepareDatabase } from '../../../api/src/prepare-database.ts';
import { baseDatabaseName, createServerDatabase, dropServerDatabase, serverDatabaseUrl } from '../../../api/src/testing/server-databases.ts';
import { startTestServer } from '../../../api/src/testing/test-server.ts';
import { measure, printTable, type Measurement } from './bench-statistics.ts';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  // Like bench:locate's server half: skipped, not failed, so that `npm run bench` runs without a server.
  console.log('(DATABASE_URL is not set: bench:stats measures the server backend only, skipped)');
  process.exit(0);
}
const sizes = (process.env.BENCH_STATS_SIZES ?? '10000,1000000').split(',').map(Number);
const queries = Number(process.env.BENCH_STATS_QUERIES ?? 200);
const bruteForceQueries = (size: number) => (size >= 500_000 ? 5 : 30);
const chunk = 100_000;
const keep = process.env.BENCH_STATS_KEEP === 'true';

// The period every query asks for: twelve months, not aligned on months (so day rows are read too).
const period = { from: '2025-11-15', to: '2026-11-14' };
const groupings: StatisticsGrouping[] = ['commune', 'office', 'category', 'day'];
const spanDays = 727;

const benchName = `${baseDatabaseName(databaseUrl).replace(/[^a-z0-9_]/g, '_')}_bench_stats`;
await dropServerDatabase(databaseUrl, benchName);
await createServerDatabase(databaseUrl, benchName);
const database = await openServerDatabase(serverDatabaseUrl(databaseUrl, benchName), { poolSize: 4, timeouts: { statementMs: 0 } });
const db = database.db;
let version = '';

const results: Array<Record<string, string | number>> = [];
const notes: Array<Record<string, string | number>> = [];
try {
  await prepareDatabase(database, { seed: true });
  version = `PostgreSQL ${(await sql<{ version: string }>`SELECT current_setting('server_version') || ', PostGIS ' || postgis_lib_version() AS version`.execute(db)).rows[0]!.version}`;
  console.log(`bench database ${benchName}: migrated and seeded (${version})`);
  await regroupStatisticsByCurrentUnits(db);
  await preparePools(db);
  const original = await insertOriginal(db);

  const server = await startTestServer(database);
  try {
    let inserted = 0;
    for (const size of sizes) {
      const started = performance.now();
      while (inserted < size) {
        const count = Math.min(chunk, size - inserted);
        await insertSyntheticReports(db, inserted, count, original);
        inserted += count;
        process.stdout.write(`\r  ${inserted} reports`);
      }
      process.stdout.write('\n');
      notes.push({ step: `insert to ${label(size)} through the triggers (INSERT … SELECT, chunks of ${chunk})`, seconds: (performance.now() - started) / 1000, detail: '' });
      // FULL: the sizes below must not count rows that earlier measurements rolled back.
      await sql`VACUUM (FULL, ANALYZE) report`.execute(db);
      await sql`VACUUM (FULL, ANALYZE) report_statistics`.execute(db);
      const aggregate = (await sql<{ rows: number; bytes: number }>`SELECT count(*)::int AS rows, pg_total_relation_size('report_statistics')::bigint AS bytes FROM report_statistics`.execute(db)).rows[0]!;
      const reportBytes = (await sql<{ bytes: number }>`SELECT pg_total_relation_size('report')::bigint AS bytes`.execute(db)).rows[0]!.bytes;
      notes.push({ step: `${label(size)}: report table`, seconds: '', detail: `${megabytes(reportBytes)} MB` });
      notes.push({ step: `${label(size)}: report_statistics`, seconds: '', detail: `${aggregate.rows} rows, ${megabytes(aggregate.bytes)} MB` });

      notes.push(...(await measureTriggerCost(db, original, label(size))));

      for (const groupBy of groupings) {
        for (let index = 0; index < 20; index += 1) await fetch(`${server.baseUrl}/api/stats?groupBy=${groupBy}&from=${period.from}&to=${period.to}`);
        const http = await measure(`HTTP GET /api/stats?groupBy=${groupBy}`, queries, async () => {
          const response = await fetch(`${server.baseUrl}/api/stats?groupBy=${groupBy}&from=${period.from}&to=${period.to}`);
          if (response.status !== 200) throw new Error(`stats answered ${response.status}: ${await response.text()}`);
          await response.arrayBuffer();
        });
        const service = await measure(`getStatistics() groupBy=${groupBy}`, queries, () => getStatistics(db, { groupBy, ...period }));
        results.push(row(size, groupBy, 'aggregates, HTTP', http), row(size, groupBy, 'aggregates, service', service));
        if (groupBy !== 'day' && groupBy !== 'month') {
          const baseline = bruteForce(groupBy);
          await baseline.execute(db);
          const brute = await measure(`brute force groupBy=${groupBy}`, bruteForceQueries(size), () => baseline.execute(db));
          results.push(row(size, groupBy, 'brute force SQL', brute));
        }
      }
      const regroupStarted = performance.now();
      await regroupStatisticsByCurrentUnits(db);
      notes.push({ step: `${label(size)}: full regroup (rebuild of report_statistics; writers wait)`, seconds: (performance.now() - regroupStarted) / 1000, detail: '' });
      await checkAgainstBruteForce(db, size);
    }
  } finally {
    await server.close();
  }
} finally {
  await database.close();
  if (!keep) await dropServerDatabase(databaseUrl, benchName);
}

printTable(`Statistics query latency (ms), period ${period.from} … ${period.to}, one client, sequential — ${version}`, withRatios(results));
printTable('Writes and one-time costs', notes);

// ---- data ----------------------------------------------------------------------------------------

async function preparePools(db: Kysely<Database>): Promise<void> {
  // 400 points per 2025 commune/ward, with the commune committee, and the pre-2025 unit if any.
  await sql`DROP TABLE IF EXISTS bench_point`.execute(db);
  await sql`
    CREATE TABLE bench_point AS
    SELECT (row_number() OVER (ORDER BY u.code, p.path) - 1)::int AS idx, u.code AS unit_code, u.name AS unit_name, p.geom AS location,
           o.id AS committee_id, old.boundary_set_id AS old_set_id, old.code AS old_code, old.name AS old_name
    FROM admin_unit u
    JOIN boundary_set s ON s.id = u.boundary_set_id AND s.name = 'dienbien-2025'
    JOIN office_coverage c ON c.boundary_set_id = s.id AND c.unit_code = u.code
    JOIN office o ON o.id = c.office_id AND o.kind = 'commune_committee'
    CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(u.geom, 400, 7)) AS p
    LEFT JOIN LATERAL (
      SELECT a.boundary_set_id, a.code, a.name FROM admin_unit a JOIN boundary_set os ON os.id = a.boundary_set_id AND os.name = 'dienbien-pre2025'
      WHERE a.level IN ('commune', 'ward', 'town') AND ST_Covers(a.geom, p.geom) ORDER BY a.code LIMIT 1) AS old ON true
    WHERE u.level IN ('commune', 'ward', 'town')`.execute(db);
  await sql`ALTER TABLE bench_point ADD PRIMARY KEY (idx)`.execute(db);
  // Categories with the office that answers them (null: the commune committee).
  await sql`DROP TABLE IF EXISTS bench_category`.execute(db);
  await sql`
    CREATE TABLE bench_category AS
    SELECT (row_number() OVER (ORDER BY c.code) - 1)::int AS idx, c.code, c.default_priority AS priority,
           (SELECT o.id FROM office o WHERE c.responsibility = ANY (o.responsibilities) ORDER BY o.code LIMIT 1) AS office_id
    FROM report_category c WHERE c.active`.execute(db);
  await sql`ALTER TABLE bench_category ADD PRIMARY KEY (idx)`.execute(db);
}

/** The report every synthetic duplicate points at. */
async function insertOriginal(db: Kysely<Database>): Promise<string> {
  await insertSyntheticReports(db, -1, 1, null);
  return (await sql<{ id: string }>`SELECT id FROM report WHERE tracking_code = 'BENCH--1'`.execute(db)).rows[0]!.id;
}

async function insertSyntheticReports(db: Kysely<Database>, first: number, count: number, originalId: string | null): Promise<void> {
  await syntheticReportsInsert(first, count, originalId).execute(db);
}

function syntheticReportsInsert(first: number, count: number, originalId: string | null) {
  return sql`
    INSERT INTO report (tracking_code, category_code, priority, description, location, status, boundary_set_id, unit_code, unit_name, office_id,
                        location_verdict, duplicate_of, rejection_reason, created_at, updated_at, acknowledged_at, resolved_at, closed_at,
                        acknowledge_due_at, due_at, overdue, rating, rated_at)
    SELECT 'BENCH-' || g.n, c.code, c.priority, 'Phản ánh tổng hợp cho đo hiệu năng', p.location, g.status,
           CASE WHEN g.created < timestamptz '2025-07-01 00:00+07' AND p.old_set_id IS NOT NULL THEN p.old_set_id ELSE (SELECT id FROM boundary_set WHERE name = 'dienbien-2025') END,
           CASE WHEN g.created < timestamptz '2025-07-01 00:00+07' AND p.old_set_id IS NOT NULL THEN p.old_code ELSE p.unit_code END,
           CASE WHEN g.created < timestamptz '2025-07-01 00:00+07' AND p.old_set_id IS NOT NULL THEN p.old_name ELSE p.unit_name END,
           CASE WHEN g.status = 'transferred' THEN coalesce((SELECT id FROM office WHERE code = 'IOC-DB'), p.committee_id) ELSE coalesce(c.office_id, p.committee_id) END,
           'unverified',
           CASE WHEN g.status = 'duplicate' THEN ${originalId}::uuid END,
           CASE WHEN g.status = 'rejected' THEN 'not_eligible' END,
           g.created, g.created,
           CASE WHEN g.status IN ('received', 'transferred') THEN NULL ELSE g.created + g.acknowledge_minutes * interval '1 minute' END,
           CASE WHEN g.status = 'resolved' THEN g.created + g.resolve_minutes * interval '1 minute' END,
           CASE WHEN g.status IN ('resolved', 'rejected', 'duplicate') THEN g.created + g.resolve_minutes * interval '1 minute' END,
           g.created + interval '1 day', g.due,
           g.status IN ('received', 'accepted', 'in_progress', 'waiting_for_citizen', 'transferred', 'reopened') AND g.due < now(),
           CASE WHEN g.status = 'reopened' THEN 'not_satisfied' WHEN g.status = 'resolved' AND g.r_rating < 0.45 THEN 'satisfied' WHEN g.status = 'resolved' AND g.r_rating < 0.6 THEN 'not_satisfied' END,
           CASE WHEN g.status = 'reopened' OR (g.status = 'resolved' AND g.r_rating < 0.6) THEN g.created + g.resolve_minutes * interval '1 minute' + interval '2 days' END
    FROM (
      SELECT n, created, created + (1 + floor(r_due * 10)) * interval '1 day' AS due,
             CASE WHEN r_status < 0.62 THEN 'resolved' WHEN r_status < 0.70 THEN 'rejected' WHEN r_status < 0.73 AND ${originalId}::uuid IS NOT NULL THEN 'duplicate'
                  WHEN r_status < 0.80 THEN 'received' WHEN r_status < 0.85 THEN 'accepted' WHEN r_status < 0.93 THEN 'in_progress'
                  WHEN r_status < 0.96 THEN 'waiting_for_citizen' WHEN r_status < 0.98 THEN 'transferred' ELSE 'reopened' END AS status,
             exp(r_acknowledge * ln(3000)) AS acknowledge_minutes, exp(r_resolve * ln(40000)) AS resolve_minutes,
             r_rating, r_point, r_category
      FROM (
        SELECT n, timestamptz '2024-12-01 00:00+07' + random() * ${spanDays} * interval '1 day' AS created,
               random() AS r_due, random() AS r_status, random() AS r_acknowledge, random() AS r_resolve, random() AS r_rating, random() AS r_point, random() AS r_category
        FROM generate_series(${first}::int, ${first + count - 1}::int) AS n) AS drawn) AS g
    JOIN bench_point p ON p.idx = floor(g.r_point * (SELECT count(*) FROM bench_point))::int
    JOIN bench_category c ON c.idx = floor(g.r_category * (SELECT count(*) FROM bench_category))::int`;
}

// ---- what the triggers cost a writer -------------------------------------------------------------

interface ExplainedStatement {
  'Execution Time': number;
  Triggers?: Array<{ 'Trigger Name': string; Time: number; Calls: number }>;
}

/** Runs a statement under EXPLAIN ANALYZE: its execution time and the time of each trigger. */
async function explainAnalyze(db: Kysely<Database>, statement: RawBuilder<unknown>): Promise<{ totalMs: number; triggerMs: number }> {
  const result = await sql<{ 'QUERY PLAN': ExplainedStatement[] | string }>`EXPLAIN (ANALYZE, FORMAT JSON) ${statement}`.execute(db);
  const raw = result.rows[0]!['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? (JSON.parse(raw) as ExplainedStatement[]) : raw)[0]!;
  const triggerMs = (plan.Triggers ?? []).filter((trigger) => trigger['Trigger Name'].startsWith('report_statistics_')).reduce((sum, trigger) => sum + trigger.Time, 0);
  return { totalMs: plan['Execution Time'], triggerMs };
}

/**
 * What the statistics triggers add to a write, measured by PostgreSQL itself (EXPLAIN ANALYZE
 * reports each trigger's time): single-row INSERTs like the intake's, single-row UPDATEs like an
 * "accept", and a bulk INSERT … SELECT of 20 000 rows. All in one transaction that is rolled back, so
 * nothing stays behind. "Without" is the statement's time minus the triggers' time.
 */
async function measureTriggerCost(db: Kysely<Database>, originalId: string, size: string): Promise<Array<Record<string, string | number>>> {
  const singles = 600;
  const warmUp = 100;
  const sample = (
    await sql<{ lon: number; lat: number; unit_code: string; unit_name: string; office_id: string; category: string; priority: string; set_id: string }>`
      SELECT ST_X(p.location) AS lon, ST_Y(p.location) AS lat, p.unit_code, p.unit_name, coalesce(c.office_id, p.committee_id) AS office_id, c.code AS category, c.priority,
             (SELECT id FROM boundary_set WHERE name = 'dienbien-2025') AS set_id
      FROM bench_point p JOIN bench_category c ON c.idx = p.idx % (SELECT count(*) FROM bench_category)
      ORDER BY md5(p.idx::text) LIMIT ${singles}`.execute(db)
  ).rows;
  const timings: Record<'insert' | 'update' | 'bulk', Array<{ totalMs: number; triggerMs: number }>> = { insert: [], update: [], bulk: [] };
  const rollback = new Error('rollback');
  await db
    .transaction()
    .execute(async (transaction) => {
      const executor = transaction as unknown as Kysely<Database>;
      for (let index = 0; index < singles; index += 1) {
        const item = sample[index]!;
        const trackingCode = `BENCH-T-${index}`;
        const inserted = await explainAnalyze(
          executor,
          sql`INSERT INTO report (tracking_code, category_code, priority, description, location, status, boundary_set_id, unit_code, unit_name, office_id,
                                  location_verdict, created_at, updated_at, acknowledge_due_at, due_at)
              VALUES (${trackingCode}, ${item.category}, ${item.priority}, 'Phản ánh đo hiệu năng',
                      ST_SetSRID(ST_MakePoint(${item.lon}::double precision, ${item.lat}::double precision), 4326), 'received', ${item.set_id}, ${item.unit_code}, ${item.unit_name}, ${item.office_id},
                      'verified', now(), now(), now() + interval '1 day', now() + interval '3 days')`,
        );
        const updated = await explainAnalyze(executor, sql`UPDATE report SET status = 'accepted', acknowledged_at = now(), updated_at = now(), version = version + 1 WHERE tracking_code = ${trackingCode}`);
        if (index >= warmUp) {
          timings.insert.push(inserted);
          timings.update.push(updated);
        }
      }
      for (let pass = 0; pass < 3; pass += 1) timings.bulk.push(await explainAnalyze(executor, syntheticReportsInsert(5_000_000 + pass * 100_000, 20_000, originalId)));
      throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  const rows: Array<Record<string, string | number>> = [];
  for (const [name, kind] of [
    ['single-row INSERT (like the intake)', 'insert'],
    ['single-row UPDATE (like "accept")', 'update'],
    ['bulk INSERT … SELECT of 20 000 rows', 'bulk'],
  ] as const) {
    const total = median(timings[kind].map((timing) => timing.totalMs));
    const trigger = median(timings[kind].map((timing) => timing.triggerMs));
    rows.push({
      step: `${size}: ${name}: statement time, of which statistics triggers (p50 of ${timings[kind].length})`,
      seconds: '',
      detail: `${total.toFixed(3)} ms, of which ${trigger.toFixed(3)} ms (${((trigger / total) * 100).toFixed(0)} %)`,
    });
  }
  return rows;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

// ---- the baseline that grows ----------------------------------------------------------------------

/** The same figures from the report table, as one would compute them without aggregates. */
function bruteForce(groupBy: Exclude<StatisticsGrouping, 'day' | 'month'>): RawBuilder<Record<string, number | string>> {
  const key = sql.ref({ commune: 'unit_code', office: 'office_id', category: 'category_code' }[groupBy]);
  const open = sql`status IN ('received', 'accepted', 'in_progress', 'waiting_for_citizen', 'transferred', 'reopened')`;
  return sql<Record<string, number | string>>`
    SELECT ${key}::text AS key, count(*) AS received,
      count(*) FILTER (WHERE ${open}) AS open,
      count(*) FILTER (WHERE ${open} AND overdue) AS overdue,
      count(*) FILTER (WHERE status = 'resolved') AS resolved,
      count(*) FILTER (WHERE status = 'resolved' AND (due_at IS NULL OR resolved_at <= due_at)) AS resolved_on_time,
      count(*) FILTER (WHERE status = 'rejected') AS rejected,
      count(*) FILTER (WHERE status = 'duplicate') AS duplicates,
      count(acknowledged_at) AS acknowledged,
      count(rating) AS rated,
      count(*) FILTER (WHERE rating = 'satisfied') AS satisfied,
      percentile_disc(0.5) WITHIN GROUP (ORDER BY acknowledged_at - created_at) AS median_acknowledge,
      percentile_disc(0.5) WITHIN GROUP (ORDER BY CASE WHEN status = 'resolved' THEN resolved_at - created_at END) AS median_resolve
    FROM report
    WHERE created_at >= (${period.from}::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
      AND created_at < (${period.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
    GROUP BY ${key}`;
}

/** At each size: the API's category figures equal the brute force's (the counters exactly). */
async function checkAgainstBruteForce(db: Kysely<Database>, size: number): Promise<void> {
  const brute = await bruteForce('category').execute(db);
  const answer = await getStatistics(db, { groupBy: 'category', ...period });
  for (const expected of brute.rows) {
    const group = answer.groups.find((item) => item.key === expected.key);
    const actual = group && [group.received, group.open, group.overdue, group.resolved, group.resolvedOnTime, group.rejected, group.duplicates, group.acknowledged, group.rated, group.satisfied];
    const wanted = ['received', 'open', 'overdue', 'resolved', 'resolved_on_time', 'rejected', 'duplicates', 'acknowledged', 'rated', 'satisfied'].map((name) => Number(expected[name]));
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) throw new Error(`at ${label(size)}, category ${expected.key}: aggregates ${JSON.stringify(actual)} ≠ brute force ${JSON.stringify(wanted)}`);
  }
  console.log(`  ${label(size)}: aggregates = brute force for every category (${brute.rows.length} groups, ${answer.totals.received} reports in the period)`);
}

// ---- output ---------------------------------------------------------------------------------------

function row(size: number, groupBy: string, path: string, measurement: Measurement): Record<string, string | number> {
  return { reports: label(size), groupBy, path, queries: measurement.count, 'p50 ms': measurement.p50Ms, 'p95 ms': measurement.p95Ms };
}

/** Adds, on the largest size's rows, p50 at that size ÷ p50 at the smallest. */
function withRatios(rows: Array<Record<string, string | number>>): Array<Record<string, string | number>> {
  const smallest = label(sizes[0]!);
  const largest = label(sizes.at(-1)!);
  return rows.map((item) => {
    const base = rows.find((other) => other.reports === smallest && other.groupBy === item.groupBy && other.path === item.path);
    const ratio = item.reports === largest && base ? Number(item['p50 ms']) / Number(base['p50 ms']) : '';
    return { ...item, [`p50 ${largest}/${smallest}`]: ratio };
  });
}

function label(size: number): string {
  return size >= 1_000_000 ? `${size / 1_000_000}M` : size >= 1000 ? `${size / 1000}k` : String(size);
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
