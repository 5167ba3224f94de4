/**
 * Builds the generated heritage tilesets into `gis-data/build/heritage/<CODE>/` unless they are up
 * to date. Up to date = the folder's `.stamp` names the same inputs: the generator's sources, the
 * site's position, the glTF Transform version. Safe when several processes start at once: each
 * builds in its own temporary folder and renames it into place (the bytes are deterministic, so
 * whoever wins writes the same files).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION as GLTF_TRANSFORM_VERSION } from '@gltf-transform/core';
import { buildSiteTileset, GENERATOR_VERSION, type SitePosition } from './build-tileset.ts';
import { tilesetVersion } from './check-tileset.ts';
import { generatedSites } from './sites/index.ts';

const moduleDir = path.dirname(fileURLToPath(import.meta.url));
const gisDataDir = path.resolve(moduleDir, '../..');
/** Default output folder (gitignored). */
export const defaultHeritageBuildDir = path.join(gisDataDir, 'build', 'heritage');
export const heritageSitesFile = path.join(gisDataDir, 'sample', 'heritage-sites.geojson');

export interface EnsureHeritageOptions {
  /** Output folder; default gis-data/build/heritage. */
  outDir?: string;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Rebuild even when up to date. */
  force?: boolean;
}

export interface EnsureHeritageResult {
  dir: string;
  sites: Record<string, { version: string; folder: string }>;
}

interface Stamp {
  inputs: string;
  version: string;
}

/** Positions (lon, lat) of the sample heritage sites by code. */
export async function readSitePositions(file = heritageSitesFile): Promise<Map<string, SitePosition>> {
  const collection = JSON.parse(await readFile(file, 'utf8')) as { features: { properties: { code: string }; geometry: { coordinates: [number, number] } }[] };
  return new Map(collection.features.map((feature) => [feature.properties.code, { lon: feature.geometry.coordinates[0], lat: feature.geometry.coordinates[1] }]));
}

/** The generator's own source files (not its tests), sorted. */
async function generatorSources(): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(full);
    }
  };
  await walk(moduleDir);
  return out.sort();
}

async function inputsHash(code: string, position: SitePosition): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`generator ${GENERATOR_VERSION}\ngltf-transform ${GLTF_TRANSFORM_VERSION}\nsite ${code} ${position.lon} ${position.lat}\n`);
  for (const file of await generatorSources()) {
    hash.update(`${path.relative(moduleDir, file)}\0`);
    hash.update(await readFile(file));
  }
  return hash.digest('hex');
}

async function readStamp(folder: string): Promise<Stamp | undefined> {
  try {
    return JSON.parse(await readFile(path.join(folder, '.stamp'), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

let unique = 0;

/** Temporary folders of builds that died over an hour ago. */
async function removeLeftovers(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !/^\.(tmp|old)-/.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    try {
      if (Date.now() - (await stat(full)).mtimeMs > 3_600_000) await rm(full, { recursive: true, force: true });
    } catch {
      // another process removed it
    }
  }
}

export async function ensureHeritageTilesets(options: EnsureHeritageOptions = {}): Promise<EnsureHeritageResult> {
  const dir = path.resolve(options.outDir ?? defaultHeritageBuildDir);
  const log = options.log ?? (() => {});
  const positions = await readSitePositions();
  await mkdir(dir, { recursive: true });
  await removeLeftovers(dir);
  const result: EnsureHeritageResult = { dir, sites: {} };
  for (const site of generatedSites) {
    const position = positions.get(site.code);
    if (!position) throw new Error(`Không thấy di tích ${site.code} trong ${heritageSitesFile} — site ${site.code} is missing from ${heritageSitesFile}; add it or remove it from gis-data/src/heritage/sites/index.ts`);
    const folder = path.join(dir, site.code);
    const inputs = await inputsHash(site.code, position);
    const stamp = await readStamp(folder);
    if (!options.force && stamp?.inputs === inputs && existsSync(path.join(folder, 'tileset.json'))) {
      log(`${site.code}: up to date (${stamp.version})`);
      result.sites[site.code] = { version: stamp.version, folder };
      continue;
    }
    const started = performance.now();
    log(`${site.code}: building${options.force ? ' (forced)' : stamp ? ' (inputs changed)' : ''}…`);
    const files = await buildSiteTileset(site, position, log);
    const version = tilesetVersion(files);
    const temporary = path.join(dir, `.tmp-${site.code}-${process.pid}-${unique++}`);
    await rm(temporary, { recursive: true, force: true });
    for (const [file, bytes] of files) {
      await mkdir(path.dirname(path.join(temporary, file)), { recursive: true });
      await writeFile(path.join(temporary, file), bytes);
    }
    await writeFile(path.join(temporary, '.stamp'), `${JSON.stringify({ inputs, version } satisfies Stamp)}\n`);
    // Swap: move the old folder aside, move the new one in. If another process got there first with
    // the same inputs, keep theirs (same bytes).
    const old = path.join(dir, `.old-${site.code}-${process.pid}-${unique++}`);
    try {
      await rename(folder, old);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    try {
      await rename(temporary, folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      const theirs = await readStamp(folder);
      if (theirs?.inputs !== inputs) throw new Error(`${folder} was replaced by another build with other inputs while building; run the build again`);
    } finally {
      await rm(temporary, { recursive: true, force: true });
      await rm(old, { recursive: true, force: true });
    }
    log(`${site.code}: built ${files.size} files, version ${version}, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    result.sites[site.code] = { version, folder };
  }
  return result;
}
