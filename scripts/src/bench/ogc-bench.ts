/**
 * npm run bench:ogc   (needs DATABASE_URL: a PostGIS server)
 *
 * OGC API – Features paging over a million reports (million-reports.ts): a page of 100 reports at
 * depths from the first page to the last, reached two ways:
 *
 *   offset   `?offset=N`, as links made before cursors read: the database walks N rows first;
 *   cursor   `?cursor=…`, as the next links give it: a row comparison the (created_at, id) index answers.
 *
 * Each is timed as raw SQL (the page query through `pg`: the baseline) and served through HTTP by
 * the platform in its own process, sequentially (one client: this is about a deep page's cost, not
 * throughput). A served page also counts numberMatched, in parallel; its cost is printed apart.
 */
import { sql } from 'kysely';
import { featureCountQuery, featuresQuery, findLayer, type PagePosition } from '../../../tiles/src/index.ts';
import { encodeCursor } from '../../../api/src/modules/ogc/ogc.schema.ts';
import { serverDatabaseUrl } from '../../../api/src/testing/server-databases.ts';
import { measure, printTable } from './bench-statistics.ts';
import { millionReportsDatabaseName, openMillionReports } from './million-reports.ts';
import { startPlatformProcess } from './platform-process.ts';

const DEPTHS = [0, 1_000, 10_000, 100_000, 500_000, 990_000];
const LIMIT = 100;
const REPEATS = Number(process.env.BENCH_OGC_REPEATS ?? 5);

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.error('bench:ogc measures the server backend: set DATABASE_URL (a PostGIS server whose user may CREATE DATABASE).');
  process.exit(2);
}

const database = await openMillionReports(baseUrl);
const server = await startPlatformProcess(serverDatabaseUrl(baseUrl, millionReportsDatabaseName(baseUrl)));
const layer = findLayer('reports')!;
const parameters = { filters: {} };
const rows: Array<Record<string, string | number>> = [];

async function getPage(query: string): Promise<number> {
  const response = await fetch(`${server.baseUrl}/ogc/collections/reports/items?limit=${LIMIT}&${query}`);
  const body = (await response.json()) as { numberReturned?: number };
  if (response.status !== 200 || body.numberReturned !== LIMIT) throw new Error(`${query} answered ${response.status} with ${body.numberReturned} features`);
  return body.numberReturned;
}

try {
  const total = (await sql<{ count: number }>`SELECT count(*)::integer AS count FROM report`.execute(database.db)).rows[0]!.count;
  console.log(`\n${total} reports; pages of ${LIMIT}; ${REPEATS} requests per cell, one at a time`);
  // Warm up both paths (plans, the index, the platform's connections).
  await featuresQuery(layer, parameters, { limit: LIMIT + 1 }).execute(database.db);
  await getPage('offset=0');
  for (const depth of DEPTHS) {
    // The feature just before this depth, in the layer's order: where a next link would start.
    const before = await sql<{ position: string[] }>`
      SELECT json_build_array(created_at, id) AS position FROM report ORDER BY created_at DESC, id DESC OFFSET ${Math.max(0, depth - 1)}::integer LIMIT 1`.execute(database.db);
    const position: PagePosition | undefined = depth === 0 ? undefined : { after: before.rows[0]!.position };
    const start = position ?? { offset: 0 };
    const cursor = position ? `cursor=${encodeCursor(layer, position)}` : 'offset=0';
    const rawOffset = await measure('raw offset', REPEATS, () => featuresQuery(layer, parameters, { limit: LIMIT + 1, offset: depth }).execute(database.db));
    const httpOffset = await measure('HTTP offset', REPEATS, () => getPage(`offset=${depth}`));
    const rawCursor = await measure('raw cursor', REPEATS, () => featuresQuery(layer, parameters, { limit: LIMIT + 1, ...start }).execute(database.db));
    const httpCursor = await measure('HTTP cursor', REPEATS, () => getPage(cursor));
    rows.push({
      depth,
      'raw SQL offset p50 ms': rawOffset.p50Ms,
      'HTTP offset p50 ms': httpOffset.p50Ms,
      'raw SQL cursor p50 ms': rawCursor.p50Ms,
      'HTTP cursor p50 ms': httpCursor.p50Ms,
      'HTTP cursor vs raw SQL offset': rawOffset.p50Ms / httpCursor.p50Ms,
    });
  }
  const count = await measure('count', REPEATS, () => featureCountQuery(layer, parameters, {}).execute(database.db));
  printTable(`OGC API – Features, reports, pages of ${LIMIT} (speed-up: raw SQL offset p50 / HTTP cursor p50)`, rows);
  console.log(`\nnumberMatched (count of every report, raw SQL, in parallel with each served page): p50 ${count.p50Ms.toFixed(1)} ms`);
} finally {
  await server.stop();
  await database.close();
}
