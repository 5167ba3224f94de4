/**
 * Build the generated 3D Tiles of the heritage sites (illustrative reconstructions) into
 * gis-data/build/heritage/<CODE>/, check each against the tileset rules and gltf-validator, and
 * print a table of their sizes. Up-to-date sites are not rebuilt unless --force.
 *
 *   node --import tsx gis-data/tools/build-heritage.ts [--force] [--out <dir>]
 *
 * Exit code 0 when every tileset passes, 1 when one fails a rule, 2 on bad arguments.
 */
import path from 'node:path';
import { checkTileset, ensureHeritageTilesets, readTilesetFolder } from '../src/heritage/index.ts';

const usage = 'Cách dùng — usage: node --import tsx gis-data/tools/build-heritage.ts [--force] [--out <dir>]';

function parseArgs(argv: string[]): { force: boolean; outDir?: string } {
  const options: { force: boolean; outDir?: string } = { force: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--force') options.force = true;
    else if (arg === '--out' && argv[i + 1]) options.outDir = path.resolve(argv[++i]!);
    else if (arg === '--help' || arg === '-h') {
      console.log(usage);
      process.exit(0);
    } else {
      console.error(`Không hiểu tham số '${arg}' — unknown argument '${arg}'.\n${usage}`);
      process.exit(2);
    }
  }
  return options;
}

const options = parseArgs(process.argv.slice(2));
const started = performance.now();
const result = await ensureHeritageTilesets({ ...options, log: (line) => console.log(`  ${line}`) });
const built = performance.now();

const rows: string[][] = [['site', 'tiles', 'depth', 'first level KB', 'total KB', 'version']];
let failed = 0;
for (const [code, site] of Object.entries(result.sites)) {
  const check = await checkTileset(await readTilesetFolder(site.folder));
  for (const error of check.errors) console.error(`  ✗ ${code}: ${error}`);
  for (const warning of check.warnings) console.warn(`  ! ${code}: ${warning}`);
  if (check.errors.length) failed++;
  const { stats } = check;
  rows.push([code, String(stats.tiles), String(stats.depth), (stats.firstLevelBytes / 1024).toFixed(1), (stats.totalBytes / 1024).toFixed(1), site.version]);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
console.log('');
for (const [index, row] of rows.entries()) {
  console.log(row.map((cell, c) => (c === 0 || c === 5 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  if (index === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
console.log('');
console.log(`Thư mục — output: ${result.dir}`);
console.log(`Dựng ${((built - started) / 1000).toFixed(1)} s, kiểm tra ${((performance.now() - built) / 1000).toFixed(1)} s — built in ${((built - started) / 1000).toFixed(1)} s, checked in ${((performance.now() - built) / 1000).toFixed(1)} s`);
if (failed) {
  console.error(`${failed} tileset không đạt — ${failed} tileset(s) failed the rules`);
  process.exit(1);
}
