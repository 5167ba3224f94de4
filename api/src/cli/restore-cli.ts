/**
 * npm run restore -- <file> [--force]
 * npm run restore -- <file> --check
 *
 * Restores an archive of `npm run backup` into the configured database (DATABASE_URL, or the embedded
 * one in DATA_DIR) and media folder, after checking the whole archive; or only checks it.
 */
import { EmbeddedDatabaseLockedError } from '../db/embedded-lock.ts';
import { command, type Command } from './command.ts';
import { BackupArchiveError, BackupRefusedError, checkBackup, formatBytes, restoreBackup, type RestoreResult } from '../modules/backup/backup.service.ts';
import type { BackupManifest } from '../modules/backup/backup-archive.ts';

const usage = `Usage: npm run restore -- <file> [--force]
       npm run restore -- <file> --check

Restores an archive written by \`npm run backup\`: the database into DATABASE_URL (or the embedded
one in DATA_DIR), and the media folder into MEDIA_DIR (default DATA_DIR/media). The whole archive is
checked against its manifest (every file's SHA-256) before anything is touched: a damaged or
incomplete archive is refused and the target stays as it was. The restored rows are counted and
compared with the manifest.

Options:
  --force     replace a target that holds data (a database, or files in the media folder)
  --check     only check the archive; change nothing
  -h, --help  this help

Embedded database: stop \`npm start\` first. PostgreSQL server: restore into an empty database
(createdb), or add --force to replace everything in it (in one transaction); needs pg_restore and
psql. Owners and grants are not restored: the objects belong to the user of DATABASE_URL.
Then start the platform: \`npm start\` migrates a database made by an older version.

Exit status: 0 restored (or checked), 1 refused (target not empty, archive damaged or incomplete),
2 wrong usage, 3 database busy or unavailable.`;

const cli = command(usage);
// Annotated, so that TypeScript knows a call never returns (and narrows after it).
const fail: Command['fail'] = cli.fail;
const { values, positionals } = cli.parse({
  allowPositionals: true,
  options: {
    force: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const [file, ...extra] = positionals;
if (!file) fail('Give the archive file to restore.');
if (extra.length > 0) cli.fail(`Unexpected arguments: ${extra.join(' ')}`);

if (values.check) {
  try {
    const { manifest, archiveBytes } = await checkBackup(file);
    console.log(`The archive is whole: ${file} (${formatBytes(archiveBytes)})`);
    describe(manifest);
    process.exit(0);
  } catch (error) {
    if (error instanceof BackupArchiveError) refuse(error.message);
    throw error;
  }
}

const config = cli.config();
if (config.database.kind === 'server') {
  // A server that does not answer: one sentence and exit 3, as every command says it.
  const { database } = await cli.openDatabase('run the restore');
  await database.close();
}

let result: RestoreResult;
try {
  result = await restoreBackup({ file, force: values.force, config, command: config.command, onProgress: (message) => console.error(message) });
} catch (error) {
  if (error instanceof BackupRefusedError || error instanceof BackupArchiveError) refuse(error.message);
  if (error instanceof EmbeddedDatabaseLockedError) {
    console.error(`${error.message}\nNothing was changed; stop it (Ctrl+C), run the restore, then start it again.`);
    process.exit(3);
  }
  throw error;
}
console.log(`Restored ${file} (${formatBytes(result.archiveBytes)}) in ${(result.durationMs / 1000).toFixed(1)} s${result.replaced ? ', replacing what the target held' : ''}`);
describe(result.manifest);
console.log('  checked:  every file matched its SHA-256 and every table its row count');
console.log('Start the platform with npm start (it brings an older database up to this version).');

function describe(manifest: BackupManifest): void {
  const rows = Object.values(manifest.counts).reduce((sum, count) => sum + count, 0);
  console.log(`  made:     ${manifest.createdAt} by ${manifest.app.name} ${manifest.app.version}`);
  console.log(`  database: ${manifest.backend}, PostgreSQL ${manifest.database.postgresVersion}, migration ${manifest.database.migration ?? 'none'}`);
  console.log(`  rows:     ${rows} in ${Object.keys(manifest.counts).length} tables (reports ${manifest.counts['public.report'] ?? 0}, photos ${manifest.counts['public.report_photo'] ?? 0})`);
  console.log(`  media:    ${manifest.media.files} files, ${formatBytes(manifest.media.bytes)}`);
}

function refuse(message: string): never {
  console.error(message);
  process.exit(1);
}
