/**
 * npm run bench:locate:floor   (server backend: DATABASE_URL, a PostGIS server whose user may CREATE DATABASE)
 *
 * The hot path against the HTTP floor: throughput of `GET /api/locate` and of the routing preview
 * (`GET /api/reports/routing-preview`) next to `GET /api/health` on the same server, with autocannon
 * at BENCH_LOCATE_CONNECTIONS (default 8), BENCH_LOCATE_ROUNDS (default 3) rounds of the three in turn,
 * BENCH_LOCATE_SECONDS (default 5) each, in one run:
 *
 *   SQL path     LOCATE_INDEX=off: every lookup is a PostGIS query (ST_Covers, ST_DWithin)
 *   index        LOCATE_INDEX=on (the default): the in-process locate index and offices' areas
 *
 * each against `npm start` (api/src/main.ts) in a process of its own, measured with its own
 * /api/health, so the ratio survives a noisy machine. The boundaries are the real ones in
 * ../shared/data when present (test data: read from there, never copied), else the sample data.
 */
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { openServerDatabase } from '../../../api/src/db/database.ts';
import { importReferenceFile } from '../../../api/src/modules/imports/imports.service.ts';
import { repositoryRoot } from '../../../api/src/testing/index.ts';
import { baseDatabaseName, createServerDatabase, dropServerDatabase, serverDatabaseUrl } from '../../../api/src/testing/server-databases.ts';
import { printTable } from './bench-statistics.ts';
import { startPlatformProcess } from './platform-process.ts';

const seconds = Number(process.env.BENCH_LOCATE_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_LOCATE_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_LOCATE_CONNECTIONS ?? 8);
const CATEGORY = 'public_lighting';
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('bench:locate:floor measures the server backend: set DATABASE_URL (a PostGIS server whose user may CREATE DATABASE).');
  process.exit(2);
}

// A database of its own, seeded as `npm start` seeds it.
const name = `${baseDatabaseName(databaseUrl)}_locate_bench`;
await dropServerDatabase(databaseUrl, name);
await createServerDatabase(databaseUrl, name);
const url = serverDatabaseUrl(databaseUrl, name);
const seeding = await startPlatformProcess(url, { SEED_SAMPLE_DATA: 'true' });
await seeding.stop();

const sharedData = path.resolve(repositoryRoot, '../shared/data');
const realCommunes = path.join(sharedData, 'dienbien-communes-2025.geojson');
const realProvince = path.join(sharedData, 'dienbien-province.geojson');
const database = await openServerDatabase(url);
let boundaries = 'sample data (dienbien-2025)';
let points: Array<[number, number]>;
try {
  let setName = 'dienbien-2025';
  if (fs.existsSync(realCommunes) && fs.existsSync(realProvince)) {
    // Imported after the sample set with the same first day: the set in force.
    const set = { name: 'real-2025', validFrom: '2025-07-01' };
    await importReferenceFile(database.db, { layer: 'province', source: { path: realProvince }, boundarySet: set });
    const communes = await importReferenceFile(database.db, { layer: 'communes', source: { path: realCommunes }, boundarySet: set });
    if (communes.imported !== 45) throw new Error(`importing the real communes: ${JSON.stringify(communes.rejected.slice(0, 3))}`);
    setName = set.name;
    boundaries = 'real 2025 communes (../shared/data)';
    // The sample offices cover the same official codes in the real set (for the routing preview).
    await sql`
      INSERT INTO office_coverage (office_id, boundary_set_id, unit_code)
      SELECT c.office_id, real.id, c.unit_code
      FROM office_coverage c JOIN boundary_set sample ON sample.id = c.boundary_set_id AND sample.name = 'dienbien-2025', boundary_set real
      WHERE real.name = ${set.name}
      ON CONFLICT DO NOTHING`.execute(database.db);
  } else {
    console.log(`(${realCommunes} is absent: measuring on the sample data)`);
  }
  const rows = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
    FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id, LATERAL ST_Dump(ST_GeneratePoints(u.geom, 5000, 18)) AS p
    WHERE s.name = ${setName} AND u.level = 'province'
      -- The outline and the communes come from different generalisations: only points a commune covers.
      AND EXISTS (SELECT 1 FROM admin_unit c WHERE c.boundary_set_id = s.id AND c.level <> 'province' AND ST_Covers(c.geom, p.geom))`.execute(database.db);
  points = rows.rows.map((row) => [row.lon, row.lat]);
} finally {
  await database.close();
}

/** requests/s, latency and non-2xx answers of one endpoint; `path` is called for every request. */
async function run(baseUrl: string, path: () => string) {
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, method: 'GET', path: path() }) }],
  });
  return result;
}

let next = 0;
const point = () => points[(next = (next + 1) % points.length)]!;
const endpoints: Array<{ name: string; path: () => string }> = [
  { name: '/api/health', path: () => '/api/health' },
  {
    name: '/api/locate',
    path: () => {
      const [lon, lat] = point();
      return `/api/locate?lon=${lon}&lat=${lat}`;
    },
  },
  {
    name: '/api/reports/routing-preview',
    path: () => {
      const [lon, lat] = point();
      return `/api/reports/routing-preview?lon=${lon}&lat=${lat}&category=${CATEGORY}`;
    },
  },
];

const table: Array<Record<string, string | number>> = [];
try {
  for (const [label, locateIndex] of [
    ['SQL path (LOCATE_INDEX=off)', 'off'],
    ['index (LOCATE_INDEX=on)', 'on'],
  ] as const) {
    const platform = await startPlatformProcess(url, { LOCATE_INDEX: locateIndex });
    try {
      // Let the indexes build (in the background, after start-up), then warm every path.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      for (let index = 0; index < 300; index += 1) {
        for (const endpoint of endpoints) {
          const response = await fetch(`${platform.baseUrl}${endpoint.path()}`);
          if (response.status !== 200) throw new Error(`${endpoint.name} answered ${response.status}: ${await response.text()}`);
        }
      }
      // Rounds of every endpoint in turn: a machine shared with other work drifts, and each ratio
      // compares runs made close together.
      const totals = new Map(endpoints.map((endpoint) => [endpoint.name, { requests: 0, p50: [] as number[], p99: [] as number[], failed: 0 }]));
      for (let round = 0; round < rounds; round += 1) {
        for (const endpoint of endpoints) {
          const result = await run(platform.baseUrl, endpoint.path);
          const total = totals.get(endpoint.name)!;
          total.requests += result.requests.total;
          total.p50.push(result.latency.p50);
          total.p99.push(result.latency.p99);
          total.failed += result.non2xx + result.errors + result.timeouts;
        }
      }
      const perSecond = (name: string) => totals.get(name)!.requests / (rounds * seconds);
      for (const endpoint of endpoints) {
        const total = totals.get(endpoint.name)!;
        table.push({
          path: label,
          endpoint: endpoint.name,
          'requests/s': Math.round(perSecond(endpoint.name)),
          'p50 ms (median)': median(total.p50),
          'p99 ms (median)': median(total.p99),
          'non-2xx': total.failed,
          'vs health': Math.round((perSecond(endpoint.name) / perSecond('/api/health')) * 100) / 100,
        });
        console.log(`${label} ${endpoint.name}: ${Math.round(perSecond(endpoint.name))} requests/s`);
      }
    } finally {
      await platform.stop();
    }
  }
} finally {
  await dropServerDatabase(databaseUrl, name);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
printTable(`Locate and routing preview vs /api/health, ${connections} connections, ${rounds} rounds of ${seconds} s each, ${boundaries}`, table);
