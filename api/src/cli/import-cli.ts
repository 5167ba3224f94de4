/**
 * npm run import -- <layer> <file> [options]
 * npm run import -- heritage-tileset <siteCode> <folder or .zip> [options]
 * npm run import -- heritage-tours <file.json> [--dry-run] [--json]
 * npm run import -- basemap <file.osm.pbf> [--clip province|none|<minLon,minLat,maxLon,maxLat>] [--json]
 *
 * Imports a GeoJSON or zipped Shapefile into one reference layer of the configured database
 * (DATABASE_URL, or the embedded one in DATA_DIR), all or nothing, and prints a report. Or a heritage
 * site's 3D Tiles tileset: checked, stored in the media folder, and shown for the site. Or the guided
 * tours of heritage sites (stops with camera poses and narration), all sites of the file or none.
 */
import fs from 'node:fs';
import { describeJsonError, importLayers, parseSourceSrs, type ImportLayer } from '@bandoso/gis-data';
import { AppError } from '../errors/app-error.ts';
import { isRealDate } from '../http/validate-input.ts';
import { command, type Command } from './command.ts';
import { importReferenceFile, type ImportProgress, type ImportReport } from '../modules/imports/imports.service.ts';
import { SITE_CODE_PATTERN, toursFileSchema } from '../modules/heritage/heritage.schema.ts';
import { useGeneratedTileset } from '../modules/heritage/heritage.service.ts';
import { importTours, type ToursImportReport } from '../modules/heritage/heritage-tours.service.ts';
import { checkTilesetSource, defaultTilesetImportLimits, installTileset, type TilesetImportOptions, type TilesetImportReport } from '../modules/heritage/tileset-import.service.ts';
import { prepareDatabase } from '../prepare-database.ts';
import { formatCount, importBasemap, parseClip, type BasemapClip, type BasemapImportReport } from '../modules/basemap/basemap-import.service.ts';
import { ensureStatisticsGroupedByCurrentUnits } from '../modules/stats/stats.service.ts';

const usage = `Usage: npm run import -- <layer> <file> [options]
       npm run import -- heritage-tileset <siteCode> <folder or .zip> [options]
       npm run import -- heritage-tileset <siteCode> --generated
       npm run import -- heritage-tours <file.json> [--dry-run] [--json]
       npm run import -- basemap <file.osm.pbf> [--clip province|none|<minLon,minLat,maxLon,maxLat>] [--json]

Layers: ${importLayers.join(', ')}
File:   GeoJSON (.geojson/.json) or a zipped Shapefile (.zip)

Options:
  --set NAME              boundary set to create or replace (communes, province)
  --valid-from YYYY-MM-DD first day the set is in force (required for a new set)
  --valid-to YYYY-MM-DD   last day the set is in force (default: open-ended)
  --description TEXT      description of the boundary set
  --srs SRS               source coordinates: wgs84 (default), vn2000, vn2000-utm48n, vn2000-tm3-103
  --encoding NAME         text encoding of a shapefile's .dbf, e.g. windows-1258 (default: its .cpg, else UTF-8)
  --map NAME=PROPERTY     read attribute NAME from PROPERTY (repeatable), e.g. --map code=MA_XA
  --repair                repair invalid geometries with ST_MakeValid (reported per feature)
  --dry-run               check everything, write nothing
  --json                  print the report as JSON
  -h, --help              this help

heritage-tileset: a 3D Tiles tileset (tileset.json and its contents) for a heritage site, e.g. a
drone survey. It is checked (the tileset rules, every glTF through Khronos's gltf-validator, no path
leaving the folder, size limits, standing near the site), copied into the media folder, and the site
shows it. A refused tileset changes nothing: the site keeps the one it had.
  --generated             show the site's generated tileset again (an illustrative reconstruction)
  --illustrative          it is an illustrative reconstruction, not a survey (shown as such)
  --max-first-level-kb N  the root tile's content at most N KB (default ${defaultTilesetImportLimits.maxFirstLevelBytes / 1024}): what a phone loads first
  --max-total-mb N        all files together at most N MB (default ${defaultTilesetImportLimits.maxTotalBytes / 1024 / 1024})
  --dry-run, --json       as above

heritage-tours: the guided tours of heritage sites, in the shape of gis-data/sample/heritage-tours.json
({ "<siteCode>": { "stops": [...] } }). Every site's stops replace the ones it had, in one
transaction; a file with one bad stop or one unknown site changes nothing. Sites not in the file keep
their tours. E.g. to give a database created before the tours existed the sample ones:
  npm run import -- heritage-tours gis-data/sample/heritage-tours.json

basemap: the OpenStreetMap base map (roads, railways, rivers and water, land use, parks, buildings,
places and named points of interest) from an extract such as Geofabrik's vietnam-latest.osm.pbf,
read with osmium-tool (apt-get install osmium-tool). It replaces the whole base map in one
transaction; a file that cannot be read changes nothing and the previous base map keeps serving.
  --clip province         keep what lies in the province of the boundary set in force (default)
  --clip W,S,E,N          keep what lies in this box (WGS84 degrees), e.g. 102.9,21.3,103.1,21.5
  --clip none             keep the whole file

Exit status: 0 imported (or valid in a dry run), 1 rejected, 2 wrong usage, 3 database busy or unavailable.`;

const cli = command(usage);
// Annotated, so that TypeScript knows a call never returns (and narrows after it).
const fail: Command['fail'] = cli.fail;
const { values, positionals } = cli.parse({
  allowPositionals: true,
  options: {
    set: { type: 'string' },
    'valid-from': { type: 'string' },
    'valid-to': { type: 'string' },
    description: { type: 'string' },
    srs: { type: 'string' },
    encoding: { type: 'string' },
    map: { type: 'string', multiple: true },
    repair: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    illustrative: { type: 'boolean', default: false },
    generated: { type: 'boolean', default: false },
    'max-first-level-kb': { type: 'string' },
    'max-total-mb': { type: 'string' },
    clip: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (positionals[0] === 'heritage-tileset') await importTileset(positionals.slice(1));
if (positionals[0] === 'heritage-tours') await importHeritageTours(positionals.slice(1));
if (positionals[0] === 'basemap') await importOsmBasemap(positionals.slice(1));
const [layerArgument, file, ...extra] = positionals;
if (!layerArgument || !file) fail('Give a layer and a file.');
if (extra.length > 0) fail(`Unexpected arguments: ${extra.join(' ')}`);
if (!(importLayers as readonly string[]).includes(layerArgument)) fail(`Unknown layer "${layerArgument}".`);
const layer = layerArgument as ImportLayer;
for (const option of ['valid-from', 'valid-to'] as const) {
  const value = values[option];
  if (value !== undefined && !isRealDate(value)) {
    fail(`--${option} must be a date written YYYY-MM-DD, got "${value}".`);
  }
}
if (values.srs) {
  try {
    parseSourceSrs(values.srs);
  } catch (error) {
    fail((error as Error).message);
  }
}
const propertyMap: Record<string, string> = {};
for (const pair of values.map ?? []) {
  const match = /^([^=]+)=(.+)$/.exec(pair);
  if (!match?.[1] || !match[2]) fail(`--map takes NAME=PROPERTY, got "${pair}".`);
  propertyMap[match[1].trim()] = match[2].trim();
}

const { database } = await cli.openDatabase('run the import');
const progress = createProgressPrinter();

let report: ImportReport;
try {
  await prepareDatabase(database, { seed: false });
  report = await importReferenceFile(database.db, {
    layer,
    source: { path: file },
    ...(values.set
      ? {
          boundarySet: {
            name: values.set,
            ...(values['valid-from'] ? { validFrom: values['valid-from'] } : {}),
            ...(values['valid-to'] ? { validTo: values['valid-to'] } : {}),
            ...(values.description ? { description: values.description } : {}),
          },
        }
      : {}),
    ...(values.srs ? { srs: values.srs } : {}),
    ...(values.encoding ? { encoding: values.encoding } : {}),
    ...(Object.keys(propertyMap).length > 0 ? { propertyMap } : {}),
    repair: values.repair,
    dryRun: values['dry-run'],
    onProgress: progress.update,
  });
  // New boundaries may regroup the statistics by commune: do it here, not in a public request.
  if (report.status === 'imported' && (layer === 'communes' || layer === 'province')) await ensureStatisticsGroupedByCurrentUnits(database.db);
} catch (error) {
  progress.done();
  await database.close();
  if (error instanceof AppError) fail(error.message);
  throw error;
}
progress.done();
await database.close();

if (values.json) console.log(JSON.stringify(report, null, 2));
else printReport(report);
process.exit(report.status === 'rejected' ? 1 : 0);

function printReport(result: ImportReport): void {
  const verdict = {
    imported: `Imported ${result.imported} of ${result.featureCount} features into ${result.layer}.`,
    validated: `Dry run: all ${result.featureCount} features are valid; nothing was written.`,
    rejected: `Rejected: ${result.rejected.length} problem(s) in ${result.featureCount} features. Nothing was written; the database is unchanged.`,
  }[result.status];
  console.log(`\n${result.source} (${result.format ?? 'unreadable'}, ${result.sourceSrs ?? '?'} → WGS84)`);
  if (result.boundarySet) {
    console.log(`Boundary set: ${result.boundarySet.name}, in force ${result.boundarySet.validFrom} → ${result.boundarySet.validTo ?? 'open'}`);
  }
  console.log(verdict);
  if (result.repaired.length > 0) {
    console.log(`Repaired with ST_MakeValid (${result.repaired.length}):`);
    for (const note of result.repaired) console.log(`  - ${note.feature}: ${note.reason}`);
  }
  if (result.removed > 0) console.log(`Removed ${result.removed} unit(s) that the new file no longer has.`);
  if (result.rejected.length > 0) {
    console.log('Problems:');
    for (const note of result.rejected) console.log(`  - ${note.feature}: ${note.reason}`);
  }
  console.log(`(${result.durationMs} ms)`);
}

function createProgressPrinter() {
  const interactive = process.stderr.isTTY;
  let lastLine = '';
  let lastPrinted = 0;
  return {
    update(step: ImportProgress) {
      if (step.total === 0) return;
      const percent = Math.floor((step.done / step.total) * 100);
      const line = `${step.phase} ${step.done}/${step.total} (${percent}%)`;
      if (line === lastLine) return;
      lastLine = line;
      if (interactive) process.stderr.write(`\r${line.padEnd(40)}`);
      else if (step.done === step.total || performance.now() - lastPrinted > 2000) {
        lastPrinted = performance.now();
        process.stderr.write(`${line}\n`);
      }
    },
    done() {
      if (interactive && lastLine) process.stderr.write('\n');
    },
  };
}

/** `heritage-tileset <siteCode> <folder or .zip>`: exits with the import's status. */
async function importTileset(args: string[]): Promise<never> {
  const [code, source, ...rest] = args;
  if (!code || (!source && !values.generated)) fail('Give a heritage site code and a folder or .zip, e.g. heritage-tileset DT-A1 ./doi-a1-tileset.zip');
  if (source && values.generated) fail('Give either a folder or .zip, or --generated, not both.');
  if (rest.length > 0) fail(`Unexpected arguments: ${rest.join(' ')}`);
  if (!SITE_CODE_PATTERN.test(code)) fail(`"${code}" is not a heritage site code: letters, digits, "-" and "_" (e.g. DT-A1).`);
  if (!source) return showGeneratedTileset(code);
  const positive = (option: 'max-first-level-kb' | 'max-total-mb', unit: number, fallback: number) => {
    const value = values[option];
    if (value === undefined) return fallback;
    if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) fail(`--${option} takes a positive number, got "${value}".`);
    return Math.round(Number(value) * unit);
  };
  const maxFirstLevelBytes = positive('max-first-level-kb', 1024, defaultTilesetImportLimits.maxFirstLevelBytes);
  const maxTotalBytes = positive('max-total-mb', 1024 * 1024, defaultTilesetImportLimits.maxTotalBytes);

  const options = (mediaDir: string): TilesetImportOptions => ({
    mediaDir,
    maxFiles: defaultTilesetImportLimits.maxFiles,
    maxFileBytes: Math.min(defaultTilesetImportLimits.maxFileBytes, maxTotalBytes),
    maxTotalBytes,
    maxFirstLevelBytes,
    illustrative: values.illustrative,
    dryRun: values['dry-run'],
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  const finish = (result: TilesetImportReport): never => {
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else printTilesetReport(result);
    process.exit(result.status === 'rejected' ? 1 : 0);
  };
  // The files first: what they get wrong is said without opening the database (the slow part).
  const checked = await checkTilesetSource(code, source, options(''));
  if (checked.report.errors.length > 0) finish(checked.report);

  const { config, database } = await cli.openDatabase('import the tileset');
  let result: TilesetImportReport;
  try {
    await prepareDatabase(database, { seed: false });
    result = await installTileset(database.db, checked, options(config.mediaDir));
  } catch (error) {
    await database.close();
    if (error instanceof AppError) {
      console.error(`${error.message}${error.messageVi ? `\n${error.messageVi}` : ''}`);
      process.exit(1);
    }
    throw error;
  }
  await database.close();
  return finish(result);
}

/** `heritage-tours <file.json>`: exits 0 imported (or valid in a dry run), 1 rejected. */
async function importHeritageTours(args: string[]): Promise<never> {
  const [file, ...rest] = args;
  if (!file) fail('Give a JSON file of tours, e.g. heritage-tours gis-data/sample/heritage-tours.json');
  if (rest.length > 0) fail(`Unexpected arguments: ${rest.join(' ')}`);
  const reject = (problem: string, vi: string): never => {
    if (values.json) console.log(JSON.stringify({ status: 'rejected', sites: [], problems: [{ site: '', parameter: 'file', problem, vi }] }, null, 2));
    else console.error(`${problem}\n${vi}`);
    process.exit(1);
  };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return reject(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, `Không đọc được tệp ${file}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return reject(`${file} is ${describeJsonError(text, error as Error)}. Nothing was changed.`, `Tệp ${file} không phải JSON hợp lệ. Không có gì bị thay đổi.`);
  }
  const parsed = toursFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    return reject(`${file} is not a file of tours ({ "<siteCode>": { "stops": [...] } }): ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? ` and ${problems.length - 10} more` : ''}. Nothing was changed.`, `Tệp ${file} không đúng dạng lộ trình tham quan. Không có gì bị thay đổi.`);
  }
  const { database } = await cli.openDatabase('import the tours');
  let report: ToursImportReport;
  try {
    await prepareDatabase(database, { seed: false });
    report = await importTours(database.db, parsed.data, { dryRun: values['dry-run'] });
  } finally {
    await database.close();
  }
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else if (report.status === 'rejected') {
    console.error(`Nothing was changed: the file has ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}.`);
    for (const item of report.problems) console.error(`  ${item.site}: ${item.problem}`);
  } else {
    const verb = report.status === 'valid' ? 'would replace (dry run, nothing written)' : 'replaced';
    console.log(`Tours ${verb}: ${report.sites.map((site) => `${site.code} (${site.stops} stops)`).join(', ')}.`);
  }
  process.exit(report.status === 'rejected' ? 1 : 0);
}

/** `heritage-tileset <siteCode> --generated`: exits 0 when the site shows its generated tileset, 1 when it has none. */
async function showGeneratedTileset(code: string): Promise<never> {
  const { database } = await cli.openDatabase('change the site’s tileset');
  try {
    await prepareDatabase(database, { seed: false });
    const version = await useGeneratedTileset(database.db, code);
    console.log(`${code} now shows its generated tileset (an illustrative reconstruction), version ${version}.`);
  } catch (error) {
    await database.close();
    if (error instanceof AppError) {
      console.error(`${error.message}${error.messageVi ? `\n${error.messageVi}` : ''}`);
      process.exit(1);
    }
    throw error;
  }
  await database.close();
  process.exit(0);
}

function printTilesetReport(result: TilesetImportReport): void {
  const previous = result.previous ? `its ${result.previous.source} tileset, version ${result.previous.version}` : result.previous === null ? 'no tileset' : 'the tileset it had';
  const size = `${result.files} files, ${(result.totalBytes / 1024 / 1024).toFixed(1)} MB${result.stats ? `; ${result.stats.tiles} tiles, depth ${result.stats.depth}, first level ${Math.round(result.stats.firstLevelBytes / 1024)} KB` : ''}`;
  const verdict = {
    imported: `${result.site} now shows the imported tileset, version ${result.version} (${size}); before, it had ${previous}.\nFiles: ${result.folder}`,
    validated: `Dry run: the tileset is valid (${size}); nothing was written. ${result.site} keeps ${previous}.`,
    unchanged: `${result.site} already shows this tileset (version ${result.version}); nothing changed.`,
    rejected: `Refused: ${result.errors.length} problem(s). Nothing was changed: ${result.site} keeps ${previous}.\nTừ chối: ${result.errors.length} lỗi. Không có gì thay đổi; di tích ${result.site} giữ nguyên mô hình hiện có.`,
  }[result.status];
  console.log(verdict);
  if (result.errors.length > 0) {
    console.log('Problems:');
    for (const problem of result.errors) console.log(`  - ${problem}`);
  }
  if (result.warnings.length > 0) {
    console.log('Warnings:');
    for (const warning of result.warnings) console.log(`  - ${warning}`);
  }
}

/** `basemap <file.osm.pbf> [--clip …]`: exits 0 imported, 1 refused (the previous base map stays). */
async function importOsmBasemap(args: string[]): Promise<never> {
  const [file, ...rest] = args;
  if (!file) fail('Give an OpenStreetMap file, e.g. basemap vietnam-latest.osm.pbf');
  if (rest.length > 0) fail(`Unexpected arguments: ${rest.join(' ')}`);
  let clip: BasemapClip;
  try {
    clip = parseClip(values.clip);
  } catch (error) {
    fail((error as Error).message);
  }
  // What can be said without the database (the slow part to open) is said first.
  if (!fs.existsSync(file)) {
    console.error(`Refused: ${file} cannot be read (ENOENT). Nothing was changed.\nTừ chối: không đọc được tệp ${file}.`);
    process.exit(1);
  }
  const { database } = await cli.openDatabase('import the base map');
  let report: BasemapImportReport;
  try {
    await prepareDatabase(database, { seed: false });
    report = await importBasemap(database.db, { file, clip, onProgress: (line) => process.stderr.write(`${line}\n`) });
  } catch (error) {
    await database.close();
    if (error instanceof AppError) {
      console.error(`${error.message}${error.messageVi ? `\n${error.messageVi}` : ''}`);
      process.exit(1);
    }
    throw error;
  }
  await database.close();
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else if (report.status === 'rejected') console.error(`Refused: ${report.problem}\nTừ chối: ${report.problemVi}`);
  else {
    const sum = (byKind: Record<string, number>) => Object.values(byKind).reduce((total, count) => total + count, 0);
    const detail = (byKind: Record<string, number>) => Object.entries(byKind).map(([kind, count]) => `${kind} ${formatCount(count)}`).join(', ');
    const counts = report.counts!;
    console.log(`Imported the base map from ${report.source} (clip: ${report.clip}) in ${(report.durationMs / 1000).toFixed(1)} s:`);
    console.log(`  lines  ${formatCount(sum(counts.line))} (${detail(counts.line)})`);
    console.log(`  areas  ${formatCount(sum(counts.area))} (${detail(counts.area)})`);
    console.log(`  points ${formatCount(sum(counts.point))} (${detail(counts.point)})`);
    console.log('The previous base map was replaced. © OpenStreetMap contributors (ODbL): the map shows the attribution.');
  }
  process.exit(report.status === 'rejected' ? 1 : 0);
}
