import fs from 'node:fs/promises';
import path from 'node:path';
import { checkTileset, tilesetVersion, type TilesetStats } from '@bandoso/gis-data/heritage';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { findSiteForImport, importedTilesetFolder, useImportedTileset } from './heritage.service.ts';
import { SITE_CODE_PATTERN } from './heritage.schema.ts';
import { horizontalDistanceMetres, rootCentreEcef } from './tileset-placement.ts';
import { readTilesetSourceFolder, readTilesetSourceZip, type TilesetSourceLimits } from './tileset-source.ts';

/**
 * `npm run import -- heritage-tileset <siteCode> <folder or .zip>`: a surveyed 3D Tiles tileset for
 * a heritage site. It is read safely (tileset-source.ts), checked against the tileset rules
 * (checkTileset: the JSON, geometric errors decreasing with depth, contents that exist, every glTF
 * through Khronos's gltf-validator, bounding volumes, sizes) and against the site (it must stand near
 * the site's point), copied into the media folder under its version, and only then does the site
 * point at it, in one statement. A refused tileset changes nothing: the site keeps the one it had.
 */

/** How far (m) a tileset's root may stand from its site's point, horizontally. */
export const MAX_TILESET_OFFSET_M = 2000;

export interface TilesetImportOptions extends TilesetSourceLimits {
  /** The platform's media folder (the tileset goes to `heritage/<code>/<version>/` in it). */
  mediaDir: string;
  /** The first level (root content) at most this many bytes: what a phone loads before it shows anything. */
  maxFirstLevelBytes: number;
  /** Mark it an illustrative reconstruction rather than a survey. */
  illustrative: boolean;
  /** Check everything, write nothing. */
  dryRun: boolean;
  onProgress?: (line: string) => void;
}

export const defaultTilesetImportLimits = {
  maxFiles: 20_000,
  maxFileBytes: 64 * 1024 * 1024,
  maxTotalBytes: 500 * 1024 * 1024,
  maxFirstLevelBytes: 300 * 1024,
} as const;

export interface TilesetImportReport {
  status: 'imported' | 'validated' | 'unchanged' | 'rejected';
  site: string;
  source: string;
  /** What the site showed before (undefined: not looked up, the files were refused first). */
  previous: { source: string; version: string } | null | undefined;
  version: string | null;
  files: number;
  totalBytes: number;
  stats: TilesetStats | null;
  /** Each problem names the file and what to fix; when any, nothing was changed. */
  errors: string[];
  warnings: string[];
  /** Where the files are now (imported). */
  folder: string | null;
}

/** A tileset read and checked on its own (no database yet): its report so far, and its files when they passed. */
export interface CheckedTileset {
  report: TilesetImportReport;
  files: Map<string, Uint8Array>;
}

/**
 * Step one, without the database: reads the folder or zip safely and checks the tileset's rules. A
 * command line opens the database only for what passes (opening it is the slow part).
 */
export async function checkTilesetSource(code: string, source: string, options: TilesetImportOptions): Promise<CheckedTileset> {
  const progress = options.onProgress ?? (() => {});
  if (!SITE_CODE_PATTERN.test(code)) {
    throw new AppError('VALIDATION_FAILED', `"${code}" is not a heritage site code: letters, digits, "-" and "_" (e.g. DT-A1).`, { vi: `"${code}" không phải mã di tích (chữ, số, "-" và "_", ví dụ DT-A1).` });
  }
  const report: TilesetImportReport = { status: 'rejected', site: code, source, previous: undefined, version: null, files: 0, totalBytes: 0, stats: null, errors: [], warnings: [], folder: null };
  const refused = (problem: string): CheckedTileset => {
    report.errors.push(problem);
    return { report, files: new Map() };
  };
  let info;
  try {
    info = await fs.stat(source);
  } catch {
    return refused(`${source}: no such file or folder`);
  }
  const isZip = info.isFile() && /\.zip$/i.test(source);
  if (!info.isDirectory() && !isZip) return refused(`${source}: give the folder that holds tileset.json, or a .zip of it`);
  progress(`Reading ${isZip ? 'the archive' : 'the folder'} ${source}`);
  const read = isZip ? await readTilesetSourceZip(source, options) : await readTilesetSourceFolder(source, options);
  if (read.skipped.length > 0) report.warnings.push(`left out ${read.skipped.length} hidden or system file(s), e.g. ${read.skipped[0]}`);
  if (read.problems.length > 0) {
    report.errors.push(...read.problems);
    return { report, files: new Map() };
  }
  report.files = read.files.size;
  report.totalBytes = [...read.files.values()].reduce((sum, bytes) => sum + bytes.byteLength, 0);
  progress(`Checking ${report.files} files (${(report.totalBytes / 1024 / 1024).toFixed(1)} MB): tileset.json, every glTF through gltf-validator…`);
  const check = await checkTileset(read.files, { maxFirstLevelBytes: options.maxFirstLevelBytes, maxTotalBytes: options.maxTotalBytes });
  report.stats = check.stats;
  report.errors.push(...check.errors);
  report.warnings.push(...check.warnings);
  if (report.errors.length > 0) return { report, files: new Map() };
  report.version = tilesetVersion(read.files);
  return { report, files: read.files };
}

/** Step two: the tileset against its site (it must stand near the site's point), then stored and shown for the site. */
export async function installTileset(db: Kysely<Database>, checked: CheckedTileset, options: TilesetImportOptions): Promise<TilesetImportReport> {
  const progress = options.onProgress ?? (() => {});
  const { report, files } = checked;
  const site = await findSiteForImport(db, report.site);
  report.previous = site.tileset;
  if (report.errors.length > 0 || !report.version) return report;
  const placement = placementProblem(files.get('tileset.json'), site);
  if (placement) {
    report.errors.push(placement);
    return report;
  }
  const version = report.version;
  const folder = importedTilesetFolder(report.site, version);
  if (site.tileset?.source === 'imported' && site.tileset.version === version) {
    report.status = 'unchanged';
    report.folder = path.join(options.mediaDir, ...folder.split('/'));
    return report;
  }
  if (options.dryRun) {
    report.status = 'validated';
    return report;
  }

  const target = path.join(options.mediaDir, ...folder.split('/'));
  progress(`Copying to ${target}`);
  const created = await writeTileset(target, files);
  try {
    await useImportedTileset(db, report.site, { version, illustrative: options.illustrative });
  } catch (error) {
    if (created) await fs.rm(target, { recursive: true, force: true });
    throw error;
  }
  report.status = 'imported';
  report.folder = target;
  // The site no longer shows the older imports of this site: their folders go.
  const siteFolder = path.dirname(target);
  for (const entry of await fs.readdir(siteFolder)) {
    if (entry !== version && /^[0-9a-f]{8,64}$/.test(entry)) await fs.rm(path.join(siteFolder, entry), { recursive: true, force: true });
  }
  return report;
}

/** Both steps, on an open database. */
export async function importHeritageTileset(db: Kysely<Database>, code: string, source: string, options: TilesetImportOptions): Promise<TilesetImportReport> {
  return installTileset(db, await checkTilesetSource(code, source, options), options);
}

/**
 * Writes the files under `target` through a temporary folder renamed into place, so a server never
 * sees half a tileset. The same version already there (same content, by its hash) is kept.
 * Answers whether it created the folder.
 */
async function writeTileset(target: string, files: Map<string, Uint8Array>): Promise<boolean> {
  try {
    await fs.access(path.join(target, 'tileset.json'));
    return false;
  } catch {
    // not there yet
  }
  const temporary = `${path.dirname(target)}/.tmp-${path.basename(target)}-${process.pid}`;
  await fs.rm(temporary, { recursive: true, force: true });
  try {
    for (const [name, bytes] of files) {
      const file = path.join(temporary, ...name.split('/'));
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, bytes, { flag: 'wx' });
    }
    await fs.rm(target, { recursive: true, force: true });
    await fs.rename(temporary, target);
  } finally {
    await fs.rm(temporary, { recursive: true, force: true });
  }
  return true;
}

/** A tileset that stands far from its site was exported without its georeference, or is another site's. */
function placementProblem(tilesetJson: Uint8Array | undefined, site: { lon: number; lat: number }): string | undefined {
  if (!tilesetJson) return undefined; // checkTileset names the missing tileset.json
  let centre;
  try {
    centre = rootCentreEcef(JSON.parse(new TextDecoder().decode(tilesetJson)));
  } catch {
    return undefined; // checkTileset names the broken JSON
  }
  if (!centre) return undefined;
  const offset = horizontalDistanceMetres(centre, site.lon, site.lat);
  if (offset <= MAX_TILESET_OFFSET_M) return undefined;
  const distance = offset >= 10_000 ? `${Math.round(offset / 1000)} km` : `${Math.round(offset)} m`;
  return `tileset.json: the tileset stands ${distance} from the site's point (${site.lon}, ${site.lat}); at most ${MAX_TILESET_OFFSET_M} m is accepted. Is it another site's tileset, or exported without its georeference (root.transform)? — mô hình nằm cách điểm di tích ${distance}; hãy kiểm tra mã di tích hoặc toạ độ gốc (root.transform)`;
}
