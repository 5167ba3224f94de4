/**
 * npm run bench:basemap   (needs DATABASE_URL: a PostGIS server whose user may CREATE DATABASE)
 *
 * The OpenStreetMap base map (issue 16) at the size of a city's street network, on the server
 * backend, in one run:
 *
 *   import   a synthetic OSM network (a grid of named streets cut into one way per block, a river,
 *            lakes, land use, buildings, villages and points of interest, around 103.0 E 21.4 N;
 *            ~100 000 ways by default) written here as OSM XML, turned into PBF with `osmium cat`,
 *            imported with the import's service function (`importBasemap`, what `npm run import --
 *            basemap <file> --clip none` calls): time, rows and size of the basemap_* tables;
 *   tiles    the same base map tiles at z10, z14 and z16 (a set covering the grid) three ways: the
 *            server's tile query (ST_AsMVT, tiles/src's serverTileEncoder) straight through `pg` as
 *            the baseline; GET /tiles/{layer}/z/x/y.mvt from a fresh platform process (its tile
 *            cache empty: first request of each tile, "cold"); the same requests again ("warm");
 *   search   GET /api/search for a few queries over the ~100 000 named streets, against the same
 *            search (searchByName) with index and bitmap scans switched off, i.e. a sequential scan
 *            of the same match, and against the service function with its trigram indexes.
 *
 * Works in its own database `<database>_bench_basemap`, created at the start and dropped at the end
 * (BENCH_BASEMAP_KEEP=true leaves it). Knobs: BENCH_BASEMAP_WAYS (road ways, default 100000),
 * BENCH_BASEMAP_TILES_PER_ZOOM (default 150), BENCH_BASEMAP_LAYERS (default basemap-roads),
 * BENCH_BASEMAP_CONCURRENCY (default 1: latencies, not throughput), BENCH_BASEMAP_SEARCHES (HTTP
 * searches per query, default 30), BENCH_BASEMAP_SEQSCANS (sequential-scan searches per query,
 * default 5). No sample data is loaded: no communes, so streets are merged by name only.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { foldVietnamese } from '@bandoso/gis-data';
import { openServerDatabase } from '../../../api/src/db/database.ts';
import { prepareDatabase } from '../../../api/src/prepare-database.ts';
import { importBasemap } from '../../../api/src/modules/basemap/basemap-import.service.ts';
import { searchByName } from '../../../api/src/modules/search/search.service.ts';
import { baseDatabaseName, createServerDatabase, dropServerDatabase, serverDatabaseUrl } from '../../../api/src/testing/server-databases.ts';
import { findLayer, serverTileEncoder, tilesCovering, type TileAddress } from '../../../tiles/src/index.ts';
import { startPlatformProcess, type PlatformProcess } from './platform-process.ts';
import { measure, printTable, type Measurement } from './bench-statistics.ts';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  // Like bench:stats: skipped, not failed, so that `npm run bench` runs without a server.
  console.log('(DATABASE_URL is not set: bench:basemap measures the server backend only, skipped)');
  process.exit(0);
}

const WAYS = Number(process.env.BENCH_BASEMAP_WAYS ?? 100_000);
const TILES_PER_ZOOM = Number(process.env.BENCH_BASEMAP_TILES_PER_ZOOM ?? 150);
const LAYERS = (process.env.BENCH_BASEMAP_LAYERS ?? 'basemap-roads').split(',').map((id) => id.trim());
const CONCURRENCY = Number(process.env.BENCH_BASEMAP_CONCURRENCY ?? 1);
const SEARCHES = Number(process.env.BENCH_BASEMAP_SEARCHES ?? 30);
const SEQSCANS = Number(process.env.BENCH_BASEMAP_SEQSCANS ?? 5);
const WARM_ROUNDS = 5;
const ZOOMS = [10, 14, 16];
const keep = process.env.BENCH_BASEMAP_KEEP === 'true';
for (const id of LAYERS) {
  if (!findLayer(id)) {
    console.error(`BENCH_BASEMAP_LAYERS: no layer ${id}`);
    process.exit(2);
  }
}

// ---- the synthetic network -------------------------------------------------------------------------

/** Grid lines per direction: 2·G·(G−1) block ways ≈ WAYS. */
const GRID = Math.max(3, Math.round((1 + Math.sqrt(1 + 2 * WAYS)) / 2));
/** ~170 m blocks. */
const CELL = 0.0015;
const WEST = 102.88;
const SOUTH = 21.28;
const EAST = WEST + (GRID - 1) * CELL;
const NORTH = SOUTH + (GRID - 1) * CELL;

const families = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Lò', 'Quàng', 'Cầm'];
const middles = ['Văn', 'Thị', 'Đức', 'Hữu', 'Công', 'Minh'];
const givens = ['Giáp', 'Thái', 'Cừ', 'Trỗi', 'Thanh', 'Hùng', 'Dũng', 'Quý', 'Tuấn', 'Khải', 'Mạnh', 'Lâm', 'Sơn', 'Hải', 'Phúc', 'Bình', 'Đông', 'Tây', 'Nam', 'Bắc'];

/** A distinct Vietnamese street name per grid line. */
function streetName(prefix: string, index: number): string {
  const family = families[index % families.length]!;
  const middle = middles[Math.floor(index / families.length) % middles.length]!;
  const given = givens[Math.floor(index / (families.length * middles.length)) % givens.length]!;
  const round = Math.floor(index / (families.length * middles.length * givens.length));
  return `${prefix} ${family} ${middle} ${given}${round > 0 ? ` ${round + 1}` : ''}`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface GeneratedCounts {
  roadWays: number;
  otherWays: number;
  nodes: number;
  taggedNodes: number;
}

/** Writes the network as OSM XML (nodes first, then ways, as osmium expects). */
async function writeNetwork(file: string): Promise<GeneratedCounts> {
  const out = fs.createWriteStream(file);
  const buffer: string[] = [];
  const flush = async (force = false) => {
    if (!force && buffer.length < 20_000) return;
    const text = buffer.join('\n') + '\n';
    buffer.length = 0;
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  const stamp = 'version="1" timestamp="2025-01-01T00:00:00Z"';
  const tagLines = (tags: Record<string, string>) => Object.entries(tags).map(([k, v]) => `    <tag k="${escapeXml(k)}" v="${escapeXml(v)}"/>`);
  let nodeId = 0;
  let taggedNodes = 0;
  const node = async (lon: number, lat: number, tags?: Record<string, string>) => {
    nodeId += 1;
    const attributes = `id="${nodeId}" ${stamp} lat="${lat.toFixed(7)}" lon="${lon.toFixed(7)}"`;
    if (tags) {
      taggedNodes += 1;
      buffer.push(`  <node ${attributes}>`, ...tagLines(tags), '  </node>');
    } else buffer.push(`  <node ${attributes}/>`);
    await flush();
    return nodeId;
  };
  const ways: string[] = [];
  let wayId = 0;
  const way = (refs: number[], tags: Record<string, string>) => {
    wayId += 1;
    ways.push(`  <way id="${wayId}" ${stamp}>`, ...refs.map((ref) => `    <nd ref="${ref}"/>`), ...tagLines(tags), '  </way>');
  };
  const ring = async (west: number, south: number, east: number, north: number) => {
    const refs = [await node(west, south), await node(east, south), await node(east, north), await node(west, north)];
    return [...refs, refs[0]!];
  };

  buffer.push('<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="bandoso basemap-bench">');
  // Grid intersections: node 1 + i·GRID + j at (WEST + j·CELL, SOUTH + i·CELL).
  for (let i = 0; i < GRID; i += 1) for (let j = 0; j < GRID; j += 1) await node(WEST + j * CELL, SOUTH + i * CELL);
  const at = (i: number, j: number) => 1 + i * GRID + j;
  const roadClass = (line: number) => (line % 20 === 0 ? 'primary' : line % 5 === 0 ? 'secondary' : line % 2 === 0 ? 'tertiary' : 'residential');
  let roadWays = 0;
  for (let i = 0; i < GRID; i += 1) {
    const tags: Record<string, string> = { highway: roadClass(i), name: streetName('Đường', i) };
    if (i % 20 === 0) tags.ref = `QL${279 + i / 20}`;
    for (let j = 0; j + 1 < GRID; j += 1, roadWays += 1) way([at(i, j), at(i, j + 1)], tags);
  }
  for (let j = 0; j < GRID; j += 1) {
    const tags = { highway: roadClass(j), name: streetName('Phố', j + GRID) };
    for (let i = 0; i + 1 < GRID; i += 1, roadWays += 1) way([at(i, j), at(i + 1, j)], tags);
  }
  // A river across the grid (one way per ~20 cells), lakes, land use, buildings, villages, POIs.
  const cellsDiagonal = GRID - 1;
  let previous = await node(WEST + 0.3 * CELL, SOUTH + 0.3 * CELL);
  for (let step = 1; step <= cellsDiagonal; step += 1) {
    const current = await node(WEST + (step + 0.3) * CELL * 0.999, SOUTH + (step * 0.8 + 0.3) * CELL);
    way([previous, current], { waterway: 'river', name: 'Sông Nậm Rốm' });
    previous = current;
  }
  for (let i = 5; i + 1 < GRID; i += 37) {
    for (let j = 11; j + 1 < GRID; j += 41) {
      const x = WEST + j * CELL;
      const y = SOUTH + i * CELL;
      way(await ring(x + 0.1 * CELL, y + 0.1 * CELL, x + 0.9 * CELL, y + 0.9 * CELL), { natural: 'water', water: 'lake', name: `Hồ ${i}-${j}` });
    }
  }
  for (let i = 2; i + 4 < GRID; i += 9) {
    for (let j = 3; j + 4 < GRID; j += 9) {
      const x = WEST + j * CELL;
      const y = SOUTH + i * CELL;
      const tags: Record<string, string> = (i + j) % 3 === 0 ? { leisure: 'park', name: `Công viên ${i}-${j}` } : (i + j) % 3 === 1 ? { landuse: 'residential' } : { landuse: 'farmland' };
      way(await ring(x + 0.05 * CELL, y + 0.05 * CELL, x + 2.95 * CELL, y + 2.95 * CELL), tags);
    }
  }
  // Buildings: one per 20 blocks, 30 m × 30 m.
  for (let block = 0; block < (GRID - 1) * (GRID - 1); block += 20) {
    const i = Math.floor(block / (GRID - 1));
    const j = block % (GRID - 1);
    const x = WEST + (j + 0.4) * CELL;
    const y = SOUTH + (i + 0.4) * CELL;
    way(await ring(x, y, x + 0.0003, y + 0.0003), block % 400 === 0 ? { building: 'school', name: `Trường học ${block}` } : { building: 'yes' });
  }
  for (let i = 3; i < GRID; i += 15) for (let j = 7; j < GRID; j += 15) await node(WEST + (j + 0.5) * CELL, SOUTH + (i + 0.5) * CELL, { place: 'village', name: `Bản ${families[(i + j) % families.length]} ${i}-${j}` });
  const amenities = ['school', 'hospital', 'cafe', 'restaurant', 'pharmacy', 'bank'];
  for (let i = 1; i < GRID; i += 5) {
    for (let j = 2; j < GRID; j += 5) {
      const amenity = amenities[(i * 7 + j) % amenities.length]!;
      await node(WEST + (j + 0.3) * CELL, SOUTH + (i + 0.6) * CELL, { amenity, name: `${amenity === 'cafe' ? 'Quán cà phê' : 'Điểm'} ${givens[(i + j) % givens.length]} ${i}-${j}` });
    }
  }
  const nodes = nodeId;
  await flush(true);
  for (let start = 0; start < ways.length; start += 50_000) {
    buffer.push(...ways.slice(start, start + 50_000));
    await flush(true);
  }
  buffer.push('</osm>');
  await flush(true);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { roadWays, otherWays: wayId - roadWays, nodes, taggedNodes };
}

// ---- helpers ---------------------------------------------------------------------------------------

const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(1, CONCURRENCY) });

function get(url: string): Promise<{ status: number; bytes: number }> {
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

/** Every tile covering the grid at z, or an even sample of at most `count` of them. */
function gridTiles(z: number, count: number): TileAddress[] {
  const all = tilesCovering([WEST, SOUTH, EAST, NORTH], z);
  if (all.length <= count) return all;
  const stride = all.length / count;
  return Array.from({ length: count }, (_, index) => all[Math.floor(index * stride)]!);
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

// ---- the run ---------------------------------------------------------------------------------------

const benchName = `${baseDatabaseName(databaseUrl).replace(/[^a-z0-9_]/g, '_')}_bench_basemap`;
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-basemap-'));
await dropServerDatabase(databaseUrl, benchName);
await createServerDatabase(databaseUrl, benchName);
const database = await openServerDatabase(serverDatabaseUrl(databaseUrl, benchName), { poolSize: Math.max(2, CONCURRENCY), timeouts: { statementMs: 0 } });
const db = database.db;

const importRows: Array<Record<string, string | number>> = [];
const tileRows: Array<Record<string, string | number>> = [];
const searchRows: Array<Record<string, string | number>> = [];
let version = '';
try {
  await prepareDatabase(database, { seed: false });
  version = (await sql<{ v: string }>`SELECT split_part(version(), ' ', 2) || ', PostGIS ' || postgis_lib_version() AS v`.execute(db)).rows[0]!.v;

  // (a) generate, convert, import.
  const osmFile = path.join(folder, 'network.osm');
  const pbfFile = path.join(folder, 'network.osm.pbf');
  let started = performance.now();
  const generated = await writeNetwork(osmFile);
  const generateSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  await promisify(execFile)('osmium', ['cat', osmFile, '--output', pbfFile, '--overwrite', '--no-progress']);
  const convertSeconds = (performance.now() - started) / 1000;
  console.log(
    `\nGenerated ${generated.roadWays} road ways (${GRID}×${GRID} grid, ${CELL}° blocks, ${WEST.toFixed(2)}…${EAST.toFixed(2)} E, ${SOUTH.toFixed(2)}…${NORTH.toFixed(2)} N), ` +
      `${generated.otherWays} other ways, ${generated.nodes} nodes (${generated.taggedNodes} tagged) in ${generateSeconds.toFixed(1)} s; ` +
      `OSM XML ${megabytes(fs.statSync(osmFile).size)} MB → PBF ${megabytes(fs.statSync(pbfFile).size)} MB (osmium cat, ${convertSeconds.toFixed(1)} s)`,
  );
  let lastProgress = 0;
  const report = await importBasemap(db, {
    file: pbfFile,
    clip: { kind: 'none' },
    onProgress: (line) => {
      if (performance.now() - lastProgress < 5000) return;
      lastProgress = performance.now();
      console.error(`  import: ${line}`);
    },
  });
  if (report.status !== 'imported') throw new Error(`the import was refused: ${report.problem}`);
  await sql`ANALYZE basemap_line`.execute(db);
  await sql`ANALYZE basemap_area`.execute(db);
  await sql`ANALYZE basemap_point`.execute(db);
  for (const table of ['basemap_line', 'basemap_area', 'basemap_point'] as const) {
    const { rows: count, table_mb, total_mb } = (
      await sql<{ rows: number; table_mb: number; total_mb: number }>`
        SELECT (SELECT count(*) FROM ${sql.table(table)})::integer AS rows,
               pg_relation_size(${table}::regclass) / 1048576.0 AS table_mb,
               pg_total_relation_size(${table}::regclass) / 1048576.0 AS total_mb`.execute(db)
    ).rows[0]!;
    const byKind = report.counts?.[table.slice('basemap_'.length) as 'line' | 'area' | 'point'] ?? {};
    importRows.push({
      table,
      rows: count,
      'by kind': Object.entries(byKind)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(', '),
      'heap MB': Number(table_mb),
      'total MB (with indexes, TOAST)': Number(total_mb),
    });
  }
  importRows.push({
    table: 'import',
    rows: importRows.reduce((sum, row) => sum + Number(row.rows), 0),
    'by kind': `importBasemap (= npm run import -- basemap --clip none): ${(report.durationMs / 1000).toFixed(1)} s`,
    'heap MB': importRows.reduce((sum, row) => sum + Number(row['heap MB']), 0),
    'total MB (with indexes, TOAST)': importRows.reduce((sum, row) => sum + Number(row['total MB (with indexes, TOAST)']), 0),
  });
  const importSeconds = report.durationMs / 1000;

  // (b) tiles: a fresh platform (empty tile cache) per run.
  const server = await startPlatformProcess(serverDatabaseUrl(databaseUrl, benchName));
  const summaries: Record<string, Record<number, { raw: Measurement; cold: Measurement; warm: Measurement }>> = {};
  try {
    for (const layerId of LAYERS) {
      summaries[layerId] = {};
      for (const z of ZOOMS) summaries[layerId][z] = await measureTiles(server, layerId, z);
    }
    // (c) search.
    await measureSearch(server);
  } finally {
    await server.stop();
  }
  console.log(`\nimport ${importSeconds.toFixed(1)} s`);
} finally {
  agent.destroy();
  await database.close();
  fs.rmSync(folder, { recursive: true, force: true });
  if (!keep) await dropServerDatabase(databaseUrl, benchName);
}

printTable(`Base map import, ${benchName} — PostgreSQL ${version}`, importRows);
printTable(`Base map tiles (ms), ${CONCURRENCY} client(s), gzip accepted; ratio = p50 / raw SQL p50`, tileRows);
printTable(`Search (ms), one client; ratio = p50 / sequential-scan p50`, searchRows);

async function measureTiles(server: PlatformProcess, layerId: string, z: number): Promise<{ raw: Measurement; cold: Measurement; warm: Measurement }> {
  const layer = findLayer(layerId)!;
  const tiles = gridTiles(z, TILES_PER_ZOOM);
  const urlOf = (tile: TileAddress, id = layerId) => `${server.baseUrl}/tiles/${id}/${tile.z}/${tile.x}/${tile.y}.mvt`;
  // Warm up both paths' connections on this zoom (a new backend plans its first PostGIS queries
  // slowly): the raw path on the first tiles, the platform on another layer of the same tiles, so
  // its cache stays cold for the measured ones.
  const warmUp = tiles.slice(0, Math.min(tiles.length, 4));
  await measure('warm-up', warmUp.length, (index) => serverTileEncoder.encode(db, layer, warmUp[index]!, { filters: {} }), CONCURRENCY);
  const other = layerId === 'basemap-water' ? 'basemap-landuse' : 'basemap-water';
  await measure('warm-up', warmUp.length, (index) => get(urlOf(warmUp[index]!, other)), CONCURRENCY);
  const sizes: number[] = [];
  const wire: number[] = [];
  const raw = await measure(
    'raw SQL (ST_AsMVT via pg)',
    tiles.length,
    async (index) => {
      sizes[index] = (await serverTileEncoder.encode(db, layer, tiles[index]!, { filters: {} })).byteLength;
    },
    CONCURRENCY,
  );
  const fetchTile = async (index: number) => {
    const response = await get(urlOf(tiles[index % tiles.length]!));
    if (response.status !== 200 && response.status !== 204) throw new Error(`${urlOf(tiles[index % tiles.length]!)} answered ${response.status}`);
    if (index < tiles.length) wire[index] = response.bytes;
  };
  const cold = await measure('HTTP cold (first request)', tiles.length, fetchTile, CONCURRENCY);
  const warm = await measure('HTTP warm (cache)', tiles.length * WARM_ROUNDS, fetchTile, CONCURRENCY);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  for (const measurement of [raw, cold, warm]) {
    tileRows.push({
      layer: layerId,
      zoom: z,
      path: measurement.label,
      tiles: measurement.count,
      'p50 ms': measurement.p50Ms,
      'p95 ms': measurement.p95Ms,
      'p50 ratio': measurement.p50Ms / raw.p50Ms,
      'p95 ratio': measurement.p95Ms / raw.p95Ms,
      'tile KB mean / max': measurement === raw ? `${(mean(sizes) / 1024).toFixed(1)} / ${(Math.max(...sizes) / 1024).toFixed(1)}` : '',
      'gzip KB mean': measurement === raw ? '' : (mean(wire) / 1024).toFixed(1),
    });
  }
  return { raw, cold, warm };
}

async function measureSearch(server: PlatformProcess): Promise<void> {
  const named = (await sql<{ count: number }>`SELECT count(*)::integer AS count FROM basemap_line WHERE kind = 'road' AND name_folded IS NOT NULL`.execute(db)).rows[0]!.count;
  const points = (await sql<{ count: number }>`SELECT count(*)::integer AS count FROM basemap_point WHERE name IS NOT NULL`.execute(db)).rows[0]!.count;
  console.log(`\nSearch over ${named} named road ways and ${points} named points`);
  const queries = [
    { label: 'exact street', q: streetName('Đường', 37) },
    { label: 'folded, no accents', q: foldVietnamese(streetName('Phố', GRID + Math.min(60, GRID - 1))) },
    { label: 'typo', q: 'nguyen van giapp' },
    { label: 'word prefix', q: 'quang' },
    { label: 'poi', q: 'quan ca phe hung' },
    { label: 'no match', q: 'zzqxw' },
  ];
  for (const { label, q } of queries) {
    const query = { q, limit: 10 };
    const url = `${server.baseUrl}/api/search?q=${encodeURIComponent(q)}&limit=10`;
    await get(url);
    const served = await measure('HTTP /api/search', SEARCHES, async () => {
      const response = await get(url);
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    });
    const indexed = await measure('searchByName (trigram indexes)', SEARCHES, () => searchByName(db, query));
    const seqSearch = () =>
      db.transaction().execute(async (trx) => {
        await sql`SET LOCAL enable_indexscan = off`.execute(trx);
        await sql`SET LOCAL enable_bitmapscan = off`.execute(trx);
        await sql`SET LOCAL enable_indexonlyscan = off`.execute(trx);
        return searchByName(trx, query);
      });
    const indexedResult = await searchByName(db, query);
    const seqResult = await seqSearch();
    const same = JSON.stringify(indexedResult.results.map((r) => r.name)) === JSON.stringify(seqResult.results.map((r) => r.name));
    const seq = await measure('same search, sequential scan', SEQSCANS, seqSearch);
    for (const measurement of [seq, indexed, served]) {
      searchRows.push({
        query: measurement === seq ? `${label}: "${q}"` : '',
        path: measurement.label,
        runs: measurement.count,
        'p50 ms': measurement.p50Ms,
        'p95 ms': measurement.p95Ms,
        'p50 ratio': measurement.p50Ms / seq.p50Ms,
        results: measurement === seq ? `${seqResult.results.length}${same ? ' (same as indexed)' : ' (DIFFERENT from indexed)'}` : '',
      });
    }
  }
}
