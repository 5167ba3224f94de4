/**
 * npm run bench:load
 *
 * A mixed public workload for BENCH_LOAD_SECONDS (default 60) at BENCH_LOAD_CONNECTIONS (default 50)
 * with autocannon, as a province's visitors make it:
 *   70 % map tiles at varied z/x/y (zoom 8–16, around random places in the province, every public layer),
 *   15 % /api/locate at random points,
 *   10 % public report views (/api/reports/{trackingCode}),
 *    5 % report submissions (POST /api/reports).
 *
 * Against `npm start` (api/src/main.ts, in processes of its own) with 1 and 2 API processes
 * (WEB_CONCURRENCY), without and with a streaming read replica (DATABASE_REPLICA_URL, a real
 * `pg_basebackup -R` standby on loopback), in one run, each twice: requests/s, p50/p99, errors and
 * non-2xx answers, and the platform's memory (resident, every process) before, after the first run
 * and after the second.
 *
 * Server backend only (DATABASE_URL): the embedded database runs one process and has no replica;
 * without DATABASE_URL it measures that one configuration.
 */
import fs from 'node:fs';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { listLayers, tileContaining } from '@bandoso/tiles';
import { openServerDatabase } from '../../../api/src/db/database.ts';
import { createServerDatabase, dropServerDatabase, serverDatabaseUrl, baseDatabaseName } from '../../../api/src/testing/server-databases.ts';
import { startStreamingReplica, type StreamingReplica } from '../../../api/src/testing/replica-server.ts';
import { printTable } from './bench-statistics.ts';
import { startPlatformProcess, type PlatformProcess } from './platform-process.ts';

const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const connections = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 50);
const databaseUrl = process.env.DATABASE_URL;

interface Workload {
  points: Array<[number, number]>;
  trackingCodes: string[];
}

/** Resident memory of a process and of its API processes (node:cluster workers), in MB. */
function residentMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const pids = [pid];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('api/src/main.ts')) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  let kilobytes = 0;
  for (const one of pids) {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${one}/status`, 'utf8'));
    kilobytes += Number(match?.[1] ?? 0);
  }
  return Math.round(kilobytes / 1024);
}

const layers = listLayers().filter((layer) => !layer.id.startsWith('camera'));

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/** One autocannon run of the mix against `baseUrl`. */
async function runMix(baseUrl: string, workload: Workload) {
  const byKind = { tile: 0, locate: 0, view: 0, submit: 0 };
  const failedByKind: Record<string, number> = {};
  let submission = 0;
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (request: any) => {
          const roll = Math.random();
          const [lon, lat] = pick(workload.points);
          if (roll < 0.7) {
            const layer = pick(layers);
            const z = Math.max(layer.minzoom, Math.min(layer.maxzoom, 8 + Math.floor(Math.random() * 9)));
            const tile = tileContaining(lon, lat, z);
            byKind.tile += 1;
            return { ...request, method: 'GET', path: `/tiles/${layer.id}/${z}/${tile.x}/${tile.y}.mvt`, headers: { 'accept-encoding': 'gzip' }, body: undefined, kind: 'tile' };
          }
          if (roll < 0.85) {
            byKind.locate += 1;
            return { ...request, method: 'GET', path: `/api/locate?lon=${lon}&lat=${lat}`, headers: {}, body: undefined };
          }
          if (roll < 0.95) {
            byKind.view += 1;
            return { ...request, method: 'GET', path: `/api/reports/${pick(workload.trackingCodes)}`, headers: {}, body: undefined };
          }
          byKind.submit += 1;
          submission += 1;
          return {
            ...request,
            method: 'POST',
            path: '/api/reports',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ category: 'public_lighting', description: `Đèn đường hỏng (tải thử ${submission})`, location: { type: 'Point', coordinates: [lon, lat] } }),
          };
        },
        onResponse: (status: number, _body: string, context: any) => {
          if (status >= 400) failedByKind[String(status)] = (failedByKind[String(status)] ?? 0) + 1;
          void context;
        },
      },
    ],
  } as autocannon.Options);
  return { result, byKind, failedByKind };
}

async function prepareWorkload(url: string): Promise<Workload> {
  const database = await openServerDatabase(url);
  try {
    const points = await sql<{ lon: number; lat: number }>`
      SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
      FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id, LATERAL ST_Dump(ST_GeneratePoints(u.geom, 5000, 7)) AS p
      WHERE s.name = 'dienbien-2025' AND u.level = 'province'`.execute(database.db);
    const codes = await sql<{ tracking_code: string }>`SELECT tracking_code FROM report ORDER BY created_at DESC LIMIT 500`.execute(database.db);
    return { points: points.rows.map((row) => [row.lon, row.lat]), trackingCodes: codes.rows.map((row) => row.tracking_code) };
  } finally {
    await database.close();
  }
}

const rows: Array<Record<string, string | number>> = [];

async function measureConfiguration(label: string, start: () => Promise<PlatformProcess>, workload: () => Promise<Workload>) {
  const platform = await start();
  try {
    // Settle (the locate index, the workers) and warm the caches a little, as a running service has them.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    let load = await workload();
    // Reports to view: the sample data has none; a few citizens have written before the visitors come.
    if (load.trackingCodes.length < 100) {
      for (let index = 0; index < 100; index += 1) {
        const response = await fetch(`${platform.baseUrl}/api/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ category: 'trees', description: `Cây đổ (chuẩn bị tải thử ${index})`, location: { type: 'Point', coordinates: pick(load.points) } }),
        });
        if (response.status !== 201) throw new Error(`preparing reports: ${response.status} ${await response.text()}`);
      }
      load = await workload();
    }
    for (let index = 0; index < 200; index += 1) await fetch(`${platform.baseUrl}/api/locate?lon=${pick(load.points)[0]}&lat=${pick(load.points)[1]}`).then((response) => response.arrayBuffer());
    const before = residentMb(platform.pid);
    for (const run of [1, 2]) {
      const { result, byKind, failedByKind } = await runMix(platform.baseUrl, load);
      const after = residentMb(platform.pid);
      const total = byKind.tile + byKind.locate + byKind.view + byKind.submit;
      rows.push({
        configuration: label,
        run,
        'requests/s': Math.round(result.requests.average),
        'p50 ms': result.latency.p50,
        'p99 ms': result.latency.p99,
        errors: result.errors + result.timeouts,
        'non-2xx': result.non2xx,
        'non-2xx by status': Object.entries(failedByKind)
          .map(([status, count]) => `${status}×${count}`)
          .join(' ') || '—',
        mix: `${Math.round((byKind.tile / total) * 100)}/${Math.round((byKind.locate / total) * 100)}/${Math.round((byKind.view / total) * 100)}/${Math.round((byKind.submit / total) * 100)}`,
        'RSS before MB': run === 1 ? before : '',
        'RSS after MB': after,
      });
      console.log(`${label}, run ${run}: ${Math.round(result.requests.average)} requests/s, p99 ${result.latency.p99} ms, ${result.non2xx} non-2xx`);
    }
  } finally {
    await platform.stop();
  }
}

if (!databaseUrl) {
  console.log('(DATABASE_URL is not set: only one process on the embedded database can be measured; run with DATABASE_URL for the table the issue asks for)');
  process.exit(0);
}

// A database of its own, seeded as `npm start` seeds it, so the runs start from the same data.
const name = `${baseDatabaseName(databaseUrl)}_load_bench`;
await dropServerDatabase(databaseUrl, name);
await createServerDatabase(databaseUrl, name);
const url = serverDatabaseUrl(databaseUrl, name);
const seeding = await startPlatformProcess(url, { SEED_SAMPLE_DATA: 'true' });
await seeding.stop();

let replica: StreamingReplica | undefined;
try {
  for (const processes of [1, 2]) {
    await measureConfiguration(`${processes} process${processes > 1 ? 'es' : ''}, no replica`, () => startPlatformProcess(url, { WEB_CONCURRENCY: String(processes) }), () => prepareWorkload(url));
  }
  replica = await startStreamingReplica(databaseUrl);
  await replica.waitForReplay(name, url);
  for (const processes of [1, 2]) {
    await measureConfiguration(
      `${processes} process${processes > 1 ? 'es' : ''}, replica`,
      () => startPlatformProcess(url, { WEB_CONCURRENCY: String(processes), DATABASE_REPLICA_URL: replica!.url(name) }),
      () => prepareWorkload(url),
    );
  }
} finally {
  await replica?.destroy();
  await dropServerDatabase(databaseUrl, name).catch(() => undefined);
}

printTable(`Mixed load, ${seconds} s at ${connections} connections (mix tiles/locate/views/submissions, %), two runs per configuration`, rows);
