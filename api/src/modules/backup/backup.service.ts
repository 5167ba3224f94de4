import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import type { Kysely } from 'kysely';
import { applicationTablesSql, kyselyQuery, qualifiedTable, readDatabaseFacts, type DatabaseFacts } from './backup.repository.ts';
import pg from 'pg';
import { migrations } from '@bandoso/migrations';
import type { AppConfig } from '../../config/config.ts';
import { openEmbeddedDatabase, type DatabaseHandle } from '../../db/database.ts';
import { acquireEmbeddedLock } from '../../db/embedded-lock.ts';
import { ARCHIVE_FORMAT, ARCHIVE_FORMAT_VERSION, ArchiveWriter, BackupArchiveError, MEDIA_PREFIX, readArchive, type BackupManifest } from './backup-archive.ts';

export { BackupArchiveError } from './backup-archive.ts';

/**
 * `npm run backup` and `npm run restore`: the database and the media folder (report photos are
 * evidence; heritage tilesets live there too) in one archive (see backup-archive.ts).
 *
 * - Embedded (PGlite): the data folder as PGlite dumps it (dumpDataDir), taken while the command holds
 *   the folder's lock, so nothing writes meanwhile; restored with PGlite's loadDataDir into a folder
 *   beside the target, checked (row counts), then swapped in.
 * - Server: pg_dump --format=custom inside an exported snapshot that the row counts are read in too;
 *   restored with pg_restore's script run by psql as one transaction that ends by checking the row
 *   counts, so a restore that fails anywhere leaves the database as it was.
 *
 * The database is dumped before the media folder is read: a photo is written before the row that
 * names it, so every photo the dump names is in the archive (a few newer ones may be too).
 */

/** A backup or restore that cannot be done as asked (exit status 1); the message says what to do. */
export class BackupRefusedError extends Error {
  override name = 'BackupRefusedError';
}

type Progress = (message: string) => void;

/** The platform's name and version (the repository's package.json). */
function appIdentity(): { name: string; version: string } {
  const packageJson = JSON.parse(fs.readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return { name: packageJson.name, version: packageJson.version };
}

/** An embedded database exists in this folder (opening one that does not would create it). */
export function embeddedDatabaseExists(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, 'pgdata', 'PG_VERSION'));
}

/** Every file of the media folder, sorted, as paths relative to it with forward slashes. */
export async function listMediaFiles(mediaDir: string): Promise<Array<{ relative: string; absolute: string; size: number }>> {
  const files: Array<{ relative: string; absolute: string; size: number }> = [];
  const walk = async (folder: string, prefix: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(folder, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && prefix === '') return;
      throw error;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = path.join(folder, entry.name);
      const relative = `${prefix}${entry.name}`;
      if (entry.isDirectory()) await walk(absolute, `${relative}/`);
      // A photo being written (photo-storage.ts writes `.name.<random>.tmp`, then renames it).
      else if (entry.isFile() && !(entry.name.startsWith('.') && entry.name.endsWith('.tmp'))) files.push({ relative, absolute, size: (await fsp.stat(absolute)).size });
    }
  };
  await walk(mediaDir, '');
  return files;
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
  durationMs: number;
}

export async function createBackup(options: { file: string; force: boolean; config: AppConfig; database: DatabaseHandle; onProgress?: Progress }): Promise<BackupResult> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  const file = path.resolve(options.file);
  const { config, database } = options;
  if (fs.existsSync(file) && !options.force) throw new BackupRefusedError(`${file} already exists. Give another file name (e.g. with the date in it), or add --force to replace it.`);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const scratch = await fsp.mkdtemp(path.join(path.dirname(file), '.bandoso-backup-'));
  const writer = ArchiveWriter.create(file);
  try {
    let facts: DatabaseFacts;
    let member: string;
    if (database.backend === 'embedded') {
      if (!database.dumpDataDir) throw new Error('this embedded database cannot dump its data folder');
      progress('Reading the row counts…');
      facts = await readDatabaseFacts(kyselyQuery(database.db as Kysely<unknown>));
      progress('Dumping the embedded database (PGlite data folder)…');
      const dump = Buffer.from(await (await database.dumpDataDir()).arrayBuffer());
      member = 'database/pgdata.tar.gz';
      await writer.addBuffer(member, dump);
    } else {
      if (config.database.kind !== 'server') throw new Error('a server database needs DATABASE_URL');
      const dumpFile = path.join(scratch, 'bandoso.pgdump');
      facts = await dumpServerDatabase(config.database.url, dumpFile, progress);
      member = 'database/bandoso.pgdump';
      await writer.addFile(member, dumpFile);
      await fsp.rm(dumpFile, { force: true });
    }
    const media = await listMediaFiles(config.mediaDir);
    const mediaBytes = media.reduce((sum, item) => sum + item.size, 0);
    progress(`Archiving the media folder ${config.mediaDir}: ${media.length} files, ${formatBytes(mediaBytes)}…`);
    for (const item of media) await writer.addFile(`${MEDIA_PREFIX}${item.relative}`, item.absolute);
    const written = await writer.finish({
      format: ARCHIVE_FORMAT,
      formatVersion: ARCHIVE_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      app: appIdentity(),
      backend: database.backend,
      database: {
        member,
        kind: database.backend === 'embedded' ? 'pglite-data-dir' : 'pg-dump-custom',
        postgresVersion: facts.postgresVersion,
        migration: facts.migration,
        migrations: facts.migrations,
      },
      counts: facts.counts,
      media: { files: media.length, bytes: mediaBytes },
    });
    progress('Reading the archive back to check it…');
    await readArchive(written.file);
    return { ...written, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    await writer.abort();
    throw error;
  } finally {
    await fsp.rm(scratch, { recursive: true, force: true });
  }
}

/** The URL without its password, and the environment that gives libpq the password. */
function toolConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: 'bandoso:backup' };
  if (password) env.PGPASSWORD = password;
  return { dbname: parsed.toString(), env };
}

async function dumpServerDatabase(url: string, dumpFile: string, progress: Progress): Promise<DatabaseFacts> {
  const client = new pg.Client({ connectionString: url, application_name: 'bandoso:backup' });
  await client.connect();
  try {
    await client.query('SET statement_timeout = 0');
    await client.query('SET idle_in_transaction_session_timeout = 0');
    // One snapshot for the counts and pg_dump: the manifest describes exactly what the dump holds.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
    progress('Reading the row counts…');
    const facts = await readDatabaseFacts(async <Row>(text: string) => (await client.query(text)).rows as Row[]);
    progress('Dumping the database (pg_dump --format=custom)…');
    const { dbname, env } = toolConnection(url);
    await runTool('pg_dump', ['--format=custom', `--snapshot=${snapshot}`, '--no-password', `--file=${dumpFile}`, `--dbname=${dbname}`], env);
    await client.query('COMMIT');
    return facts;
  } finally {
    await client.end();
  }
}

export interface RestoreResult {
  manifest: BackupManifest;
  archiveBytes: number;
  /** Whether a database or media files were replaced (--force). */
  replaced: boolean;
  durationMs: number;
}

/** Checks an archive without touching anything. */
export async function checkBackup(file: string): Promise<{ manifest: BackupManifest; archiveBytes: number }> {
  return readArchive(path.resolve(file));
}

/**
 * Restores an archive into the configured target (DATA_DIR or DATABASE_URL, and the media folder).
 * Refuses a target that holds data unless `force`. The whole archive is checked before the target is
 * touched; embedded, the database is rebuilt and checked beside the target and swapped in.
 */
export async function restoreBackup(options: { file: string; force: boolean; config: AppConfig; command: string; onProgress?: Progress }): Promise<RestoreResult> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  const { config } = options;
  const file = path.resolve(options.file);
  const backend = config.database.kind;
  if (config.database.kind === 'embedded' && config.database.dataDir === 'memory://') throw new BackupRefusedError('DATA_DIR is memory://: there is nowhere to restore to. Set DATA_DIR to a folder.');
  const lock = config.database.kind === 'embedded' ? acquireEmbeddedLock(config.database.dataDir, options.command) : undefined;
  const id = randomBytes(4).toString('hex');
  const mediaDir = config.mediaDir;
  const mediaStaging = path.join(path.dirname(mediaDir), `.${path.basename(mediaDir)}.restore-${id}`);
  const workDir = config.database.kind === 'embedded' ? path.join(config.database.dataDir, `.restore-${id}`) : path.join(path.dirname(mediaDir), `.bandoso-restore-${id}`);
  try {
    // 1. The target: empty, or --force.
    const occupied: string[] = [];
    if (config.database.kind === 'embedded') {
      if (fs.existsSync(path.join(config.database.dataDir, 'pgdata'))) occupied.push(`DATA_DIR ${config.database.dataDir} holds a database`);
    } else {
      const tables = await countServerTables(config.database.url);
      if (tables > 0) occupied.push(`the database ${toolConnection(config.database.url).dbname} has ${tables} tables`);
    }
    const mediaFiles = (await listMediaFiles(mediaDir)).length;
    if (mediaFiles > 0) occupied.push(`the media folder ${mediaDir} holds ${mediaFiles} files`);
    if (occupied.length > 0 && !options.force) {
      throw new BackupRefusedError(`The target is not empty: ${occupied.join(', and ')}. Nothing was changed. Restoring replaces all of it: add --force to do so, or restore into an empty ${backend === 'embedded' ? 'DATA_DIR' : 'database (createdb)'}.`);
    }

    // 2. The whole archive, checked against its manifest, written beside the target.
    progress(`Reading and checking ${file}…`);
    await fsp.mkdir(workDir, { recursive: true });
    const { manifest, archiveBytes } = await readArchive(file, {
      destination: (name) => {
        if (name.startsWith(MEDIA_PREFIX)) return path.join(mediaStaging, ...name.slice(MEDIA_PREFIX.length).split('/'));
        if (name.startsWith('database/')) return path.join(workDir, ...name.split('/'));
        return undefined;
      },
    });
    if (manifest.backend !== backend) {
      throw new BackupRefusedError(
        manifest.backend === 'embedded'
          ? 'This archive holds an embedded database (PGlite, DATA_DIR), and DATABASE_URL points at a PostgreSQL server. Restore it without DATABASE_URL, into a DATA_DIR. Nothing was changed.'
          : 'This archive holds a PostgreSQL server\'s database (pg_dump), and no DATABASE_URL is set. Set DATABASE_URL to an empty database (createdb) and restore again. Nothing was changed.',
      );
    }
    if (manifest.database.migration !== null && !(manifest.database.migration in migrations)) {
      throw new BackupRefusedError(`This archive was made by a newer version of the platform (${manifest.app.version}): its database is at migration ${manifest.database.migration}, which this version does not know. Restore it with that version or a later one. Nothing was changed.`);
    }
    const databaseFile = path.join(workDir, ...manifest.database.member.split('/'));
    progress(`The archive is whole: ${manifest.members.length} members, ${formatBytes(archiveBytes)}, made ${manifest.createdAt} by ${manifest.app.name} ${manifest.app.version}.`);

    // 3. The database.
    if (config.database.kind === 'embedded') {
      const dataDir = config.database.dataDir;
      progress('Rebuilding the embedded database beside the target (PGlite loadDataDir)…');
      const rebuilt = path.join(workDir, 'db');
      const handle = await openEmbeddedDatabase({ dataDir: rebuilt, loadDataDir: new Blob([await fsp.readFile(databaseFile)]), command: options.command });
      let facts: DatabaseFacts;
      try {
        facts = await readDatabaseFacts(kyselyQuery(handle.db as Kysely<unknown>));
      } finally {
        await handle.close();
      }
      const difference = compareCounts(manifest.counts, facts.counts);
      if (difference) throw new BackupArchiveError(`The restored database does not match the archive's manifest (${difference}). Nothing was changed.`);
      await swapIn(path.join(rebuilt, 'pgdata'), path.join(dataDir, 'pgdata'), id);
    } else {
      progress('Restoring the database (pg_restore, one transaction)…');
      await restoreServerDatabase(config.database.url, databaseFile, manifest.counts, options.force, workDir);
    }

    // 4. The media folder.
    progress(`Putting the media folder in place: ${manifest.media.files} files, ${formatBytes(manifest.media.bytes)}…`);
    await fsp.mkdir(mediaStaging, { recursive: true });
    await swapIn(mediaStaging, mediaDir, id);
    return { manifest, archiveBytes, replaced: occupied.length > 0, durationMs: Math.round(performance.now() - started) };
  } finally {
    await fsp.rm(workDir, { recursive: true, force: true });
    await fsp.rm(mediaStaging, { recursive: true, force: true });
    lock?.release();
  }
}

async function countServerTables(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, application_name: 'bandoso:restore' });
  await client.connect();
  try {
    return (await client.query<{ tables: number }>(`SELECT count(*)::int AS tables FROM (${applicationTablesSql}) AS t`)).rows[0]?.tables ?? 0;
  } finally {
    await client.end();
  }
}

/** Puts `staged` where `live` is (renames on one file system); what was there is removed. */
async function swapIn(staged: string, live: string, id: string): Promise<void> {
  const replaced = path.join(path.dirname(live), `.${path.basename(live)}.replaced-${id}`);
  const hadLive = fs.existsSync(live);
  if (hadLive) await fsp.rename(live, replaced);
  try {
    await fsp.rename(staged, live);
  } catch (error) {
    if (hadLive) await fsp.rename(replaced, live);
    throw error;
  }
  if (hadLive) await fsp.rm(replaced, { recursive: true, force: true });
}

function compareCounts(expected: Record<string, number>, actual: Record<string, number>): string | undefined {
  const tables = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const table of [...tables].sort()) {
    if (expected[table] !== actual[table]) return `${table}: ${actual[table] ?? 'missing'} rows, the manifest says ${expected[table] ?? 'none'}`;
  }
  return undefined;
}

/**
 * pg_restore writes the dump as SQL; psql runs it as one transaction (--single-transaction,
 * ON_ERROR_STOP) between a prologue that, with --force, empties the database, and an epilogue that
 * checks every table's row count against the manifest. Any error rolls everything back.
 * Owners and grants are not restored: the objects belong to the user of DATABASE_URL.
 */
async function restoreServerDatabase(url: string, dumpFile: string, counts: Record<string, number>, force: boolean, workDir: string): Promise<void> {
  const { dbname, env } = toolConnection(url);
  // COMMENT ON EXTENSION needs to own the extension, which a DBA may have created: leave comments out.
  const list = await runTool('pg_restore', ['--list', dumpFile], env);
  const listFile = path.join(workDir, 'restore.list');
  await fsp.writeFile(listFile, list.split('\n').filter((line) => !/^\d+; \d+ \d+ COMMENT - EXTENSION /.test(line)).join('\n'));

  const prologue = [
    'SET client_min_messages = warning;',
    ...(force
      ? [
          `DO $drop$ DECLARE s text; BEGIN
  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP;
END $drop$;`,
          'CREATE SCHEMA public;',
          'GRANT USAGE ON SCHEMA public TO PUBLIC;',
        ]
      : []),
    '',
  ].join('\n');
  const checks = Object.entries(counts).map(
    ([table, rows]) => `  SELECT count(*) INTO actual FROM ${qualifiedTable(table)};
  IF actual <> ${rows} THEN RAISE EXCEPTION 'after the restore, % has % rows; the archive''s manifest says ${rows}', ${sqlString(table)}, actual; END IF;`,
  );
  const epilogue = `\nDO $check$ DECLARE actual bigint; BEGIN\n${checks.join('\n')}\nEND $check$;\n`;

  const psql = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '--no-password', `--dbname=${dbname}`, '-f', '-'], { env, stdio: ['pipe', 'ignore', 'pipe'] });
  const restore = spawn('pg_restore', ['--no-owner', '--no-privileges', `--use-list=${listFile}`, '--file=-', dumpFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const settle = (done: Promise<void>) => done.then(() => undefined, (error: unknown) => error as Error);
  const psqlDone = settle(toolExit(psql, 'psql'));
  const restoreDone = settle(toolExit(restore, 'pg_restore'));
  // psql stopped (an SQL error): pg_restore would wait forever to write the rest.
  psql.on('close', () => {
    if (restore.exitCode === null && restore.signalCode === null) restore.kill('SIGKILL');
  });
  psql.stdin.on('error', () => {}); // psql stopping early is reported by its exit status
  psql.stdin.write(prologue);
  const script = restore.stdout.pipe(withSchemaSearchPath());
  const scriptRead = new Promise<void>((resolve) => script.on('end', resolve));
  script.pipe(psql.stdin, { end: false });
  const restoreError = await restoreDone;
  if (restoreError) {
    // psql stopping first made pg_restore fail: psql's message is the one that says why.
    const psqlError = await Promise.race([psqlDone, new Promise<undefined>((resolve) => setTimeout(resolve, 2000))]);
    // Otherwise the script is incomplete: end psql without committing.
    psql.kill('SIGKILL');
    await psqlDone;
    throw psqlError ?? restoreError;
  }
  // pg_restore has exited; the end of its script may still be on its way to psql.
  await scriptRead;
  psql.stdin.end(epilogue);
  const psqlError = await psqlDone;
  if (psqlError) throw psqlError;
}

/**
 * pg_restore's script starts by emptying search_path, and then fails on the platform's SQL functions
 * that name PostGIS types unqualified (camera.fov is a column generated by camera_field_of_view(),
 * whose body says `::geometry`): "type geometry does not exist". Everything else in the script is
 * schema-qualified, so the script runs with search_path = public instead. Only that one statement of
 * the script's header is changed; the data that follows passes through untouched.
 */
function withSchemaSearchPath(): Transform {
  const statement = "SELECT pg_catalog.set_config('search_path', '', false);";
  let header = '';
  let done = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (done) return callback(null, chunk);
      header += chunk.toString('latin1');
      const at = header.indexOf(statement);
      if (at >= 0 || header.length > 1024 * 1024) {
        done = true;
        const text = at >= 0 ? `${header.slice(0, at)}SELECT pg_catalog.set_config('search_path', 'public', false);${header.slice(at + statement.length)}` : header;
        header = '';
        return callback(null, Buffer.from(text, 'latin1'));
      }
      callback();
    },
    flush(callback) {
      callback(null, header ? Buffer.from(header, 'latin1') : undefined);
    },
  });
}

const sqlString = (value: string): string => `'${value.replaceAll("'", "''")}'`;

/** Runs one of PostgreSQL's client tools; resolves with its standard output. */
async function runTool(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(name, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  await toolExit(child, name);
  return stdout;
}

function toolExit(child: ReturnType<typeof spawn>, name: string): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new BackupRefusedError(`${name} was not found. Install PostgreSQL's client tools of the server's major version or newer (Debian: apt-get install postgresql-client-15).`)
          : error,
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new BackupRefusedError(`${name} failed (${signal ?? `exit status ${code}`}): ${stderr.trim() || 'no message'}. Nothing was changed.`));
    });
  });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
