/**
 * npm run backup -- <file> [--force]
 *
 * Writes the configured database (DATABASE_URL, or the embedded one in DATA_DIR) and the media folder
 * into one archive file, then reads it back to check it. `npm run restore -- <file>` restores it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { command, type Command } from './command.ts';
import { BackupArchiveError, BackupRefusedError, createBackup, embeddedDatabaseExists, formatBytes, type BackupResult } from '../modules/backup/backup.service.ts';

const usage = `Usage: npm run backup -- <file> [--force]

Writes the database (DATABASE_URL, or the embedded one in DATA_DIR) and the media folder (MEDIA_DIR:
report photos, which are evidence, and heritage tilesets) into one archive file: a tar with a
manifest (format, backend, date, version, migration, rows per table) and the SHA-256 of every file.
The archive is read back and checked before the command ends. Restore it with:
  npm run restore -- <file>

Options:
  --force     replace <file> if it exists
  -h, --help  this help

Embedded database: only one process can open it, so stop \`npm start\` while the backup runs.
PostgreSQL server: needs pg_dump (PostgreSQL's client tools, the server's major version or newer);
the platform keeps running, and the dump is one consistent snapshot.

Exit status: 0 written and checked, 1 refused or failed, 2 wrong usage, 3 database busy or unavailable.`;

const cli = command(usage);
// Annotated, so that TypeScript knows a call never returns (and narrows after it).
const fail: Command['fail'] = cli.fail;
const { values, positionals } = cli.parse({
  allowPositionals: true,
  options: { force: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
});
const [file, ...extra] = positionals;
if (!file) fail('Give the archive file to write, e.g. npm run backup -- backups/bandoso-$(date +%F).tar');
if (extra.length > 0) cli.fail(`Unexpected arguments: ${extra.join(' ')}`);

const config = cli.config();
if (config.database.kind === 'embedded') {
  if (config.database.dataDir === 'memory://') refuse('DATA_DIR is memory://: that database lives only inside one process, and there is nothing on disk to back up.');
  // Opening a folder without a database would create one: say so instead.
  if (!embeddedDatabaseExists(config.database.dataDir)) refuse(`There is no database in DATA_DIR ${config.database.dataDir}: nothing to back up. Set DATA_DIR (or DATABASE_URL) to the database to back up.`);
}

if (fs.existsSync(path.resolve(file)) && !values.force) refuse(`${path.resolve(file)} already exists. Give another file name (e.g. with the date in it), or add --force to replace it.`);

const { database } = await cli.openDatabase('run the backup');
let result: BackupResult;
try {
  result = await createBackup({ file, force: values.force, config, database, onProgress: (message) => console.error(message) });
} catch (error) {
  await database.close();
  if (error instanceof BackupRefusedError || error instanceof BackupArchiveError) refuse(error.message);
  throw error;
}
await database.close();

const { manifest } = result;
const rows = Object.values(manifest.counts).reduce((sum, count) => sum + count, 0);
const count = (table: string) => manifest.counts[`public.${table}`] ?? 0;
console.log(`Backup written: ${result.file} (${formatBytes(result.bytes)}) in ${(result.durationMs / 1000).toFixed(1)} s`);
console.log(`  database: ${manifest.backend === 'embedded' ? 'embedded (PGlite data folder)' : 'PostgreSQL server (pg_dump custom format)'}, PostgreSQL ${manifest.database.postgresVersion}, migration ${manifest.database.migration ?? 'none'}`);
console.log(`  rows:     ${rows} in ${Object.keys(manifest.counts).length} tables (reports ${count('report')}, photos ${count('report_photo')}, report events ${count('report_event')}, users ${count('app_user')})`);
console.log(`  media:    ${manifest.media.files} files, ${formatBytes(manifest.media.bytes)}`);
console.log(`  checked:  read back whole, ${manifest.members.length} members match their SHA-256`);

function refuse(message: string): never {
  console.error(message);
  process.exit(1);
}
