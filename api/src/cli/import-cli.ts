/**
 * npm run import -- <layer> <file> [options]
 *
 * Imports a GeoJSON or zipped Shapefile into one reference layer of the configured database
 * (DATABASE_URL, or the embedded one in DATA_DIR), all or nothing, and prints a report.
 */
import { importLayers, parseSourceSrs, type ImportLayer } from '@bandoso/gis-data';
import { AppError } from '../errors/app-error.ts';
import { isRealDate } from '../http/validate-input.ts';
import { command, type Command } from './command.ts';
import { importReferenceFile, type ImportProgress, type ImportReport } from '../modules/imports/imports.service.ts';
import { prepareDatabase } from '../platform.ts';
import { ensureStatisticsGroupedByCurrentUnits } from '../modules/stats/stats.service.ts';

const usage = `Usage: npm run import -- <layer> <file> [options]

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
    help: { type: 'boolean', short: 'h', default: false },
  },
});
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
