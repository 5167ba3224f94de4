import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import {
  assignPointCommunes,
  countBasemapRows,
  deleteBasemap,
  findProvinceClipArea,
  geometryBounds,
  insertAreas,
  insertBasemapImport,
  insertLines,
  insertPoints,
} from './basemap.repository.ts';
import { classifyOsmFeature, type AreaRow, type LineRow, type OsmFeature, type PointRow } from './osm-features.ts';
import { OsmiumError, osmiumVersion, runOsmium } from './osmium.ts';

/**
 * `npm run import -- basemap <file.osm.pbf>`: an OpenStreetMap extract (Geofabrik's Vietnam file, or
 * any .osm.pbf / .osm) becomes the base map's tables, all or nothing.
 *
 *   1. osmium extract: clip to the province (the outline of the boundary set in force, grown by
 *      ~1 km), or to a bbox; `smart` strategy, so ways and multipolygons crossing the edge stay whole.
 *   2. osmium tags-filter: keep only the objects a base map draws (and the nodes they need).
 *   3. osmium export: GeoJSON lines (areas assembled from closed ways and multipolygon relations).
 *   4. One transaction: delete the old base map, insert the new one in batches (geometries made valid
 *      in PostGIS), give named points their commune, record the import. Until the commit the tiles
 *      keep showing the previous base map; at the commit the tile triggers invalidate the cache.
 *
 * Steps 1–3 write to a temporary folder before the transaction opens, so the transaction never waits
 * on osmium (a server ends transactions idle for more than 30 s) and a broken file is refused before
 * anything is touched.
 */

export type BasemapClip = { kind: 'province' } | { kind: 'none' } | { kind: 'bbox'; bounds: readonly [number, number, number, number] };

export interface BasemapImportOptions {
  file: string;
  clip: BasemapClip;
  /** One line of progress at a time ("read 12 345 ways…"). */
  onProgress?: (line: string) => void;
  /** Features per INSERT (default 2000). */
  batchSize?: number;
}

export interface BasemapImportReport {
  status: 'imported' | 'rejected';
  source: string;
  /** Why it was refused (English), and in Vietnamese. */
  problem?: string;
  problemVi?: string;
  sha256?: string;
  clip: string;
  osmium?: string;
  /** OSM objects read from osmium's export, by type. */
  read?: { nodes: number; ways: number; relations: number };
  counts?: Record<'line' | 'area' | 'point', Record<string, number>>;
  importId?: string;
  durationMs: number;
}

/** "12 345": thousands separated by a space, as Vietnamese and SI write them. */
export function formatCount(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

export function describeClip(clip: BasemapClip): string {
  return clip.kind === 'bbox' ? clip.bounds.join(',') : clip.kind;
}

/** `province`, `none` or `minLon,minLat,maxLon,maxLat` (WGS84); throws with what is wrong. */
export function parseClip(value: string | undefined): BasemapClip {
  if (value === undefined || value === 'province') return { kind: 'province' };
  if (value === 'none') return { kind: 'none' };
  const parts = value.split(',').map((part) => part.trim());
  const numbers = parts.map(Number);
  if (parts.length !== 4 || parts.some((part) => !/^-?\d+(\.\d+)?$/.test(part))) {
    throw new Error(`--clip takes province, none or minLon,minLat,maxLon,maxLat (e.g. 102.1,20.9,103.6,22.6), got "${value}".`);
  }
  const [west, south, east, north] = numbers as [number, number, number, number];
  if (west < -180 || east > 180 || south < -90 || north > 90 || west >= east || south >= north) {
    throw new Error(`--clip ${value}: longitudes from -180 to 180 and latitudes from -90 to 90, min before max.`);
  }
  return { kind: 'bbox', bounds: [west, south, east, north] };
}

class NothingToImport extends Error {}

/** Which osmium-tool is installed, or null. */
export const findOsmium = osmiumVersion;

/** Tag filters of step 2 (osmium tags-filter expressions). */
const keptTags = [
  'nwr/highway',
  'nwr/railway',
  'nwr/waterway',
  'nwr/building',
  'nwr/landuse',
  'nwr/natural',
  'nwr/leisure',
  'nwr/water',
  'nwr/place',
  'nwr/amenity',
  'nwr/tourism',
  'nwr/historic',
  'nwr/shop',
  'nwr/office',
];

/** osmium export's configuration: which closed ways are lines and which are areas. */
const exportConfig = {
  attributes: { type: true, id: true },
  linear_tags: ['highway', 'railway', 'waterway'],
  area_tags: ['building', 'landuse', 'natural', 'leisure', 'water', 'amenity', 'tourism', 'historic', 'shop', 'office', 'place', 'area=yes', 'waterway=riverbank'],
  exclude_tags: ['created_by', 'source', 'source:*', 'note', 'fixme', 'FIXME', 'tiger:*', 'is_in*'],
};

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function inputFormatOf(file: string): string | undefined {
  const name = file.toLowerCase();
  if (name.endsWith('.osm.pbf') || name.endsWith('.pbf')) return undefined;
  if (name.endsWith('.osm') || name.endsWith('.osm.bz2') || name.endsWith('.osm.gz') || name.endsWith('.o5m') || name.endsWith('.opl')) return undefined;
  // An extension osmium does not know: read it as PBF.
  return 'pbf';
}

export async function importBasemap(db: Kysely<Database>, options: BasemapImportOptions): Promise<BasemapImportReport> {
  const started = performance.now();
  const source = path.basename(options.file);
  const clip = describeClip(options.clip);
  const progress = options.onProgress ?? (() => {});
  const elapsed = () => Math.round(performance.now() - started);
  const reject = (problem: string, problemVi: string, extra: Partial<BasemapImportReport> = {}): BasemapImportReport => ({
    status: 'rejected',
    source,
    clip,
    ...extra,
    problem,
    problemVi,
    durationMs: elapsed(),
  });

  let size: number;
  try {
    const stat = fs.statSync(options.file);
    if (!stat.isFile()) return reject(`${options.file} is not a file.`, `${options.file} không phải là tệp.`);
    size = stat.size;
  } catch (error) {
    return reject(`${options.file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, `Không đọc được tệp ${options.file}.`);
  }
  const osmium = await osmiumVersion();
  if (osmium === null) {
    return reject(
      'osmium is not installed, and the base map import needs it (Debian/Ubuntu: apt-get install osmium-tool). Nothing was changed.',
      'Chưa cài osmium (apt-get install osmium-tool). Không có gì bị thay đổi.',
    );
  }
  progress(`${source}: ${formatCount(Math.round(size / 1024))} KB, osmium ${osmium}`);
  const sha256 = await sha256Of(options.file);

  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bandoso-basemap-'));
  try {
    // 1. Clip.
    let clippedFile = options.file;
    let bbox: [number, number, number, number] | null = null;
    const format = inputFormatOf(options.file);
    const inputArgs = (file: string) => (file === options.file && format ? ['-F', format, file] : [file]);
    if (options.clip.kind !== 'none') {
      const clipArgs: string[] = [];
      if (options.clip.kind === 'province') {
        const area = await findProvinceClipArea(db);
        if (!area) {
          return reject(
            'There is no province boundary in force to clip to: import the province first (npm run import -- province …), or give --clip minLon,minLat,maxLon,maxLat or --clip none. Nothing was changed.',
            'Chưa có ranh giới tỉnh để cắt bản đồ nền: hãy nhập ranh giới tỉnh, hoặc dùng --clip. Không có gì bị thay đổi.',
            { sha256, osmium },
          );
        }
        const polygonFile = path.join(folder, 'province.geojson');
        fs.writeFileSync(polygonFile, JSON.stringify({ type: 'Feature', properties: {}, geometry: JSON.parse(area.geometry) }));
        clipArgs.push('--polygon', polygonFile);
        bbox = await geometryBounds(db, area.geometry);
        progress(`clipping to the province of boundary set ${area.boundarySet} (osmium extract)…`);
      } else {
        bbox = [...options.clip.bounds];
        clipArgs.push('--bbox', options.clip.bounds.join(','));
        progress(`clipping to ${options.clip.bounds.join(',')} (osmium extract)…`);
      }
      clippedFile = path.join(folder, 'clipped.osm.pbf');
      await runOsmium(['extract', '--strategy', 'smart', ...clipArgs, ...inputArgs(options.file), '--output', clippedFile, '--overwrite', '--no-progress']);
    }
    // 2. Keep what a base map draws.
    progress('keeping roads, railways, water, land use, buildings, places and points of interest (osmium tags-filter)…');
    const filteredFile = path.join(folder, 'filtered.osm.pbf');
    await runOsmium(['tags-filter', ...inputArgs(clippedFile), ...keptTags, '--output', filteredFile, '--overwrite', '--no-progress']);
    // 3. Geometries.
    progress('assembling lines and areas (osmium export)…');
    const configFile = path.join(folder, 'export-config.json');
    fs.writeFileSync(configFile, JSON.stringify(exportConfig));
    const featuresFile = path.join(folder, 'features.geojsonseq');
    await runOsmium(['export', filteredFile, '--config', configFile, '--format', 'geojsonseq', '--format-option', 'print_record_separator=false', '--output', featuresFile, '--overwrite', '--no-progress']);

    // 4. One transaction.
    const read = { nodes: 0, ways: 0, relations: 0 };
    const batchSize = options.batchSize ?? 2000;
    let lastReport = performance.now();
    const reportRead = () => progress(`read ${formatCount(read.nodes)} nodes, ${formatCount(read.ways)} ways, ${formatCount(read.relations)} relations…`);
    const result = await db.transaction().execute(async (trx) => {
      await deleteBasemap(trx);
      let lines: LineRow[] = [];
      let areas: AreaRow[] = [];
      let points: PointRow[] = [];
      const flush = async (all: boolean) => {
        if (lines.length >= batchSize || (all && lines.length > 0)) await insertLines(trx, lines.splice(0));
        if (areas.length >= batchSize || (all && areas.length > 0)) await insertAreas(trx, areas.splice(0));
        if (points.length >= batchSize || (all && points.length > 0)) await insertPoints(trx, points.splice(0));
      };
      const input = readline.createInterface({ input: fs.createReadStream(featuresFile, 'utf8'), crlfDelay: Infinity });
      let lineNumber = 0;
      for await (const text of input) {
        lineNumber += 1;
        if (text.trim() === '') continue;
        let feature: OsmFeature;
        try {
          feature = JSON.parse(text.replace(/^\u001e/, '')) as OsmFeature;
        } catch {
          throw new OsmiumError(`osmium export gave an unreadable line ${lineNumber}`);
        }
        const type = feature.properties?.['@type'];
        if (type === 'node') read.nodes += 1;
        else if (type === 'way') read.ways += 1;
        else if (type === 'relation') read.relations += 1;
        for (const row of classifyOsmFeature(feature)) {
          if (row.table === 'basemap_line') lines.push(row);
          else if (row.table === 'basemap_area') areas.push(row);
          else points.push(row);
        }
        await flush(false);
        if (performance.now() - lastReport > 2000) {
          lastReport = performance.now();
          reportRead();
        }
      }
      await flush(true);
      reportRead();
      const counts = await countBasemapRows(trx);
      const total = Object.values(counts).reduce((sum, byKind) => sum + Object.values(byKind).reduce((a, b) => a + b, 0), 0);
      // Nothing inside the clip: roll back rather than replace a base map with an empty one.
      if (total === 0) throw new NothingToImport();
      progress('finding the commune of each place and point of interest…');
      await assignPointCommunes(trx);
      const record = await insertBasemapImport(trx, { sourceName: source, sourceSha256: sha256, clip, bbox, counts: { ...counts, read } });
      return { counts, record };
    });
    return { status: 'imported', source, sha256, clip, osmium, read, counts: result.counts, importId: result.record.id, durationMs: elapsed() };
  } catch (error) {
    if (error instanceof NothingToImport) {
      return reject(
        `${source} has nothing a base map draws inside the clip (${clip}). Nothing was changed: the previous base map stays. Check the file and --clip.`,
        `Tệp ${source} không có dữ liệu bản đồ nền trong vùng cắt. Không có gì bị thay đổi.`,
        { sha256, osmium },
      );
    }
    if (error instanceof OsmiumError) {
      return reject(`${source} cannot be read as OpenStreetMap data: ${error.message}. Nothing was changed: the previous base map stays.`, `Không đọc được tệp ${source} (dữ liệu OpenStreetMap). Không có gì bị thay đổi.`, { sha256, osmium });
    }
    throw error;
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
