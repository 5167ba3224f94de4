/**
 * npm run bench:desk   (needs DATABASE_URL: a PostGIS server whose user may CREATE DATABASE)
 *
 * The office desk's reads over the synthetic reports of million-reports.ts (BENCH_TILES_REPORTS,
 * default 1,000,000), each served by the platform in its own process over HTTP (bearer tokens), and
 * each against a baseline measured in the same run: the cheapest SQL that answers a similar question
 * from an index, through `pg` directly.
 *
 *   queue (officer)      GET /api/staff/reports?limit=50 for one commune's committee (its office's
 *                        reports, sorted by deadline in working time, with the total count)
 *                        vs. that office's 50 newest reports, by the (office_id, status) index
 *   queue (IOC, open)    every office's open reports, sorted by deadline, vs. the 50 newest open ones
 *   queue (IOC, words)   q=<three words> no report has (the trigram index of migration 0014 answers),
 *                        vs. a plain LIKE without folding; and q=<a tracking code> vs. its index
 *   duplicates           GET …/duplicate-candidates (500 m) vs. ST_DWithin on geometry with the box index
 *   transfer options     GET …/transfer-options (every office's area against the point)
 *
 * Sequential, one client (the cost of one screen, not throughput). BENCH_DESK_REPEATS (default 30).
 */
import { sql } from 'kysely';
import { createTestUser, bearerToken } from '../../../api/src/testing/index.ts';
import { serverDatabaseUrl } from '../../../api/src/testing/server-databases.ts';
import { measure, printTable, type Measurement } from './bench-statistics.ts';
import { millionReportsDatabaseName, openMillionReports } from './million-reports.ts';
import { startPlatformProcess } from './platform-process.ts';

const REPEATS = Number(process.env.BENCH_DESK_REPEATS ?? 30);
const OFFICE = 'UBND-03127';

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.error('bench:desk measures the server backend: set DATABASE_URL (a PostGIS server whose user may CREATE DATABASE).');
  process.exit(2);
}

const database = await openMillionReports(baseUrl);
const db = database.db;
const server = await startPlatformProcess(serverDatabaseUrl(baseUrl, millionReportsDatabaseName(baseUrl)));
const rows: Array<Record<string, string | number>> = [];
try {
  const officer = await bearerToken(server.baseUrl, await createTestUser(db, 'officer', OFFICE));
  const ioc = await bearerToken(server.baseUrl, await createTestUser(db, 'ioc_operator'));
  const office = await db.selectFrom('office').select('id').where('code', '=', OFFICE).executeTakeFirstOrThrow();
  const total = (await sql<{ count: number }>`SELECT count(*)::integer AS count FROM report`.execute(db)).rows[0]!.count;
  const ofOffice = (await sql<{ count: number }>`SELECT count(*)::integer AS count FROM report WHERE office_id = ${office.id}`.execute(db)).rows[0]!.count;
  // A report of that office with others around it, for the duplicate and transfer helpers.
  const target = (await sql<{ id: string; tracking_code: string }>`SELECT id, tracking_code FROM report WHERE office_id = ${office.id} ORDER BY created_at DESC LIMIT 1`.execute(db)).rows[0]!;
  const open = 'received,accepted,in_progress,waiting_for_citizen,transferred,reopened';
  // Words no synthetic report has (their descriptions are all alike): what the trigram index of
  // migration 0014 answers without folding every report. A search every report matches still reads them all.
  const words = 'đèn đường hỏng';

  const get = async (path: string, token: string) => {
    const response = await fetch(`${server.baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const compare = (what: string, served: Measurement, baseline: Measurement, baselineLabel: string) =>
    rows.push({
      what,
      'served p50 ms': served.p50Ms,
      'served p95 ms': served.p95Ms,
      baseline: baselineLabel,
      'baseline p50 ms': baseline.p50Ms,
      'p50 ratio': served.p50Ms / baseline.p50Ms,
    });

  // One of each first, not counted: plans cached, pages in memory, the platform's pools open.
  await get(`/api/staff/reports?limit=50`, officer);
  await get(`/api/staff/reports?limit=50&status=${open}`, ioc);

  compare(
    `queue, an officer (${ofOffice} reports of ${OFFICE})`,
    await measure('served', REPEATS, () => get('/api/staff/reports?limit=50', officer)),
    await measure('baseline', REPEATS, () => sql`SELECT id, tracking_code, status, created_at FROM report WHERE office_id = ${office.id} ORDER BY created_at DESC LIMIT 50`.execute(db)),
    "the office's 50 newest",
  );
  compare(
    `queue, the IOC, open reports (of ${total})`,
    await measure('served', REPEATS, () => get(`/api/staff/reports?limit=50&status=${open}`, ioc)),
    await measure('baseline', REPEATS, () => sql`SELECT id, tracking_code, status, created_at FROM report WHERE status = ANY(string_to_array(${open}, ',')) ORDER BY created_at DESC LIMIT 50`.execute(db)),
    'the 50 newest open',
  );
  compare(
    `queue, the IOC, q="${words}"`,
    await measure('served', REPEATS, () => get(`/api/staff/reports?limit=50&q=${encodeURIComponent(words)}`, ioc)),
    await measure('baseline', REPEATS, () => sql`SELECT id FROM report WHERE description LIKE '%đèn đường hỏng%' LIMIT 50`.execute(db)),
    'a plain LIKE, no folding, no index',
  );
  compare(
    'queue, the IOC, q=<a tracking code>',
    await measure('served', REPEATS, () => get(`/api/staff/reports?limit=50&q=${encodeURIComponent(target.tracking_code)}`, ioc)),
    await measure('baseline', REPEATS, () => sql`SELECT id FROM report WHERE tracking_code = ${target.tracking_code}`.execute(db)),
    'the tracking code by its index',
  );
  compare(
    'duplicate candidates, 500 m',
    await measure('served', REPEATS, () => get(`/api/staff/reports/${target.id}/duplicate-candidates`, officer)),
    await measure('baseline', REPEATS, () =>
      sql`SELECT other.id FROM report target JOIN report other ON other.id <> target.id AND ST_DWithin(other.location, target.location, 0.0049) WHERE target.id = ${target.id} LIMIT 20`.execute(db),
    ),
    'ST_DWithin on geometry (degrees)',
  );
  compare(
    'transfer options',
    await measure('served', REPEATS, () => get(`/api/staff/reports/${target.id}/transfer-options`, officer)),
    await measure('baseline', REPEATS, () => sql`SELECT code FROM office ORDER BY code`.execute(db)),
    'the office list alone',
  );
  printTable(`The office desk over ${total} reports (PostgreSQL, the platform in its own process, ${REPEATS} sequential requests each)`, rows);
} finally {
  await server.stop();
  await database.close();
}
