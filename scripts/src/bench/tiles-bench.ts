/**
 * npm run bench:tiles   (needs DATABASE_URL: a PostGIS server)
 *
 * Report tiles over a million synthetic reports, on the server backend. In one run, for zooms 8,
 * 10, 12 and 14, the same tiles are produced three ways:
 *
 *   raw SQL      the tile query the server runs (ST_AsMVT …), straight through `pg`: the baseline;
 *   HTTP cold    GET /tiles/reports/z/x/y.mvt from the real application, first request of each tile;
 *   HTTP warm    the same requests again, answered from the tile cache.
 *
 * On Linux it also says where the CPU went, per tile: PostgreSQL's processes (when the server runs
 * here), the platform's process, and this client (pg for raw SQL, HTTP for the others). On a machine
 * whose few cores all three share, the served/raw ratios are CPU budgets, and this explains them.
 * So it measures twice (BENCH_TILES_PLACEMENT): with every process on every core, then with
 * PostgreSQL's backends on a core of their own, as when the database has its own host (Linux CPU
 * affinity, see cpu-placement.ts; skipped, with the reason, where it cannot be set).
 *
 * The reports live in a database of their own (million-reports.ts: `<database>_bench_tiles`, seeded
 * on first use and kept; BENCH_TILES_RESEED=1 rebuilds it). BENCH_TILES_DROP=1 drops it at the end.
 * The demo database is never touched.
 */
import http from 'node:http';
import { sql } from 'kysely';
import { reportStatuses } from '../../../api/contracts/src/index.ts';
import { findLayer, serverTileEncoder, tileContaining, type TileAddress } from '../../../tiles/src/index.ts';
import type { DatabaseHandle } from '../../../api/src/db/database.ts';
import { dropServerDatabase, serverDatabaseUrl } from '../../../api/src/testing/server-databases.ts';
import { millionReportsDatabaseName, openMillionReports } from './million-reports.ts';
import { startPlatformProcess, type PlatformProcess } from './platform-process.ts';
import { measure, printTable, type Measurement } from './bench-statistics.ts';
import { cpuPerOperation, sampleCpu } from './process-cpu.ts';
import { separateDatabase, separatePlacementUnavailable, type Placement as CpuPlacement } from './cpu-placement.ts';

const TILES_PER_ZOOM = Number(process.env.BENCH_TILES_PER_ZOOM ?? 300);
const CONCURRENCY = Number(process.env.BENCH_TILES_CONCURRENCY ?? 8);
const ZOOMS = [8, 10, 12, 14];

/**
 * Where the processes run (BENCH_TILES_PLACEMENT, default both, one after the other):
 *   shared    the client, the platform and PostgreSQL share every core: the ratios are CPU per tile;
 *   separate  PostgreSQL's backends on core 0, the client and the platform on the others, as when the
 *             database has a host of its own: the ratios say whether the platform keeps up with it.
 */
type Placement = 'shared' | 'separate';
const PLACEMENT_LABELS: Record<Placement, string> = { shared: 'all shared', separate: 'db on its own' };

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.error('bench:tiles measures the server backend: set DATABASE_URL (a PostGIS server whose user may CREATE DATABASE).');
  process.exit(2);
}
const benchName = millionReportsDatabaseName(baseUrl);

/** Tiles where the reports are: the tiles holding randomly drawn reports (dense areas count more). */
async function sampleTiles(database: DatabaseHandle, z: number, count: number): Promise<TileAddress[]> {
  const points = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(location) AS lon, ST_Y(location) AS lat FROM report TABLESAMPLE SYSTEM (1) REPEATABLE (${z}) LIMIT ${count * 4}`.execute(database.db);
  const seen = new Map<string, TileAddress>();
  for (const point of points.rows) {
    const tile = tileContaining(point.lon, point.lat, z);
    seen.set(`${tile.x}/${tile.y}`, tile);
    if (seen.size >= count) break;
  }
  return [...seen.values()];
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function getTile(url: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers: { 'Accept-Encoding': 'gzip' } }, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes }));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

const database = await openMillionReports(baseUrl);
const layer = findLayer('reports')!;
const placements: Placement[] = [];
const wanted = process.env.BENCH_TILES_PLACEMENT ?? 'both';
if (wanted !== 'shared' && wanted !== 'separate' && wanted !== 'both') {
  console.error('BENCH_TILES_PLACEMENT is shared, separate or both.');
  process.exit(2);
}
if (wanted !== 'separate') placements.push('shared');
if (wanted !== 'shared') {
  const unavailable = separatePlacementUnavailable(benchName);
  if (unavailable) console.log(`\nPostgreSQL on a core of its own: not measured (${unavailable}).`);
  else placements.push('separate');
}
const rows: Array<Record<string, string | number>> = [];
const summaries = new Map<Placement, Record<number, ZoomSummary>>();
try {
  const reportCount = (await sql<{ count: number }>`SELECT count(*)::integer AS count FROM report`.execute(database.db)).rows[0]!.count;
  console.log(`\n${reportCount} reports; ${TILES_PER_ZOOM} tiles per zoom (where reports are); ${CONCURRENCY} concurrent clients; gzip accepted`);
  const tilesByZoom = new Map<number, TileAddress[]>();
  for (const z of ZOOMS) tilesByZoom.set(z, await sampleTiles(database, z, TILES_PER_ZOOM));
  for (const placement of placements) {
    // A platform of its own per placement: its tile cache starts empty, so "cold" is cold.
    const server = await startPlatformProcess(serverDatabaseUrl(baseUrl, benchName));
    let pinned: CpuPlacement | undefined;
    try {
      if (placement === 'separate') {
        // Open the platform's and this process's pool connections first, so their backends exist to be moved.
        await Promise.all(Array.from({ length: CONCURRENCY }, () => getTile(`${server.baseUrl}/tiles/province/0/0/0.mvt`)));
        await Promise.all(Array.from({ length: CONCURRENCY }, () => sql`SELECT pg_sleep(0.01)`.execute(database.db)));
        pinned = separateDatabase(benchName, server.pid === undefined ? [] : [server.pid]);
      }
      const summary: Record<number, ZoomSummary> = {};
      for (const z of ZOOMS) {
        summary[z] = await measureZoom(server, tilesByZoom.get(z)!, z, placement);
      }
      summaries.set(placement, summary);
    } finally {
      pinned?.release();
      await server.stop();
    }
  }
} finally {
  agent.destroy();
  await database.close();
  if (process.env.BENCH_TILES_DROP === '1') await dropServerDatabase(baseUrl, benchName);
}

interface ZoomSummary {
  raw: Measurement;
  cold: Measurement;
  warm: Measurement;
  maxBytes: number;
}

/** Raw SQL, HTTP cold and HTTP warm over the same tiles of one zoom; adds their rows to the table. */
async function measureZoom(server: PlatformProcess, tiles: TileAddress[], z: number, placement: Placement): Promise<ZoomSummary> {
  const sizes: number[] = [];
  const urlOf = (tile: TileAddress) => `${server.baseUrl}/tiles/reports/${tile.z}/${tile.x}/${tile.y}.mvt`;
  // Warm up every connection of both paths on this zoom's query (a new PostgreSQL backend plans its
  // first PostGIS queries in tens of milliseconds): the raw path on the first tiles, the platform on a
  // variant the measurement never asks for (every status named: the same features under another cache
  // key), so its cache stays cold for the measured tiles.
  const warmUp = tiles.slice(0, 2 * CONCURRENCY);
  await measure('warm-up', warmUp.length, (index) => serverTileEncoder.encode(database.db, layer, warmUp[index]!, { filters: {} }), CONCURRENCY);
  const everyStatus = reportStatuses.join(',');
  await measure('warm-up', warmUp.length, (index) => getTile(`${urlOf(warmUp[index]!)}?status=${everyStatus}`), CONCURRENCY);
  const cpu: Record<string, string> = {};
  let before = sampleCpu(server.pid);
  const raw = await measure(
    'raw SQL (pg)',
    tiles.length,
    async (index) => {
      const bytes = await serverTileEncoder.encode(database.db, layer, tiles[index]!, { filters: {} });
      sizes[index] = bytes.byteLength;
    },
    CONCURRENCY,
  );
  cpu[raw.label] = cpuPerOperation(before, sampleCpu(server.pid), raw.count);
  const wire: number[] = [];
  before = sampleCpu(server.pid);
  const cold = await measure(
    'HTTP cold',
    tiles.length,
    async (index) => {
      const response = await getTile(urlOf(tiles[index]!));
      if (response.status !== 200 && response.status !== 204) throw new Error(`tile answered ${response.status}`);
      wire[index] = response.bytes;
    },
    CONCURRENCY,
  );
  cpu[cold.label] = cpuPerOperation(before, sampleCpu(server.pid), cold.count);
  // Enough rounds for a second or more of load: shorter runs mostly measure JIT warm-up and noise.
  const warmRounds = 20;
  before = sampleCpu(server.pid);
  const warm = await measure(
    'HTTP warm (cache)',
    tiles.length * warmRounds,
    async (index) => {
      const response = await getTile(urlOf(tiles[index % tiles.length]!));
      if (response.status !== 200 && response.status !== 204) throw new Error(`tile answered ${response.status}`);
    },
    CONCURRENCY,
  );
  cpu[warm.label] = cpuPerOperation(before, sampleCpu(server.pid), warm.count);
  const maxBytes = Math.max(...sizes);
  const meanBytes = sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
  const meanWire = wire.reduce((sum, size) => sum + size, 0) / wire.length;
  for (const measurement of [raw, cold, warm]) {
    rows.push({
      cores: PLACEMENT_LABELS[placement],
      zoom: z,
      path: measurement.label,
      tiles: measurement.count,
      'tiles/s': measurement.perSecond,
      'p50 ms': measurement.p50Ms,
      'p95 ms': measurement.p95Ms,
      'tile KB mean / max': `${(meanBytes / 1024).toFixed(1)} / ${(maxBytes / 1024).toFixed(1)}`,
      'gzip KB mean': measurement === raw ? '' : (meanWire / 1024).toFixed(1),
      'tiles/s vs raw': measurement.perSecond / raw.perSecond,
      'CPU ms/tile db / platform / client': cpu[measurement.label] ?? '',
    });
  }
  return { raw, cold, warm, maxBytes };
}

printTable(`Report tiles, server backend (${benchName})`, rows);
const checks: Array<{ target: string; cores: string; measured: number; met: string }> = [];
for (const [placement, summary] of summaries) {
  const z8 = summary[8]!;
  const z14 = summary[14]!;
  const targets = [
    ['served cold ≥ 0.8 × raw SQL throughput at z14', z14.cold.perSecond / z14.raw.perSecond, 0.8, '≥'],
    ['served warm ≥ 10 × raw SQL throughput at z14', z14.warm.perSecond / z14.raw.perSecond, 10, '≥'],
    ['p50 at z8 ≤ 5 × p50 at z14 (raw SQL)', z8.raw.p50Ms / z14.raw.p50Ms, 5, '≤'],
    ['p50 at z8 ≤ 5 × p50 at z14 (HTTP cold)', z8.cold.p50Ms / z14.cold.p50Ms, 5, '≤'],
    ['largest tile ≤ 256 KB (KB)', Math.max(...ZOOMS.map((z) => summary[z]!.maxBytes)) / 1024, 256, '≤'],
  ] as const;
  for (const [target, measured, limit, sense] of targets) {
    checks.push({ target, cores: PLACEMENT_LABELS[placement], measured, met: (sense === '≥' ? measured >= limit : measured <= limit) ? 'yes' : 'NO' });
  }
}
printTable('Targets', checks);
