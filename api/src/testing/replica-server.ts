import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.ts';
import { withAdminClient } from './server-databases.ts';

const run = promisify(execFile);

/**
 * A real streaming replica of the test server, on loopback: `pg_basebackup -R` of the primary's
 * cluster into a temporary folder, started with the primary's own PostgreSQL binaries on a free
 * port. PostgreSQL refuses to run as root: then every command runs as the `postgres` user, in a
 * folder it owns.
 */
export interface StreamingReplica {
  readonly port: number;
  readonly dataDir: string;
  /** The replica's URL for a database of the primary (same user and password: roles are replicated). */
  url(database: string): string;
  /** One statement on the replica (pause or resume replay, read pg_stat_activity). */
  query<Row extends Record<string, unknown>>(database: string, text: string): Promise<Row[]>;
  /** Waits until the replica has replayed everything the primary had written when this was called. */
  waitForReplay(database: string, primaryUrl: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it (whatever its state) and deletes its folder. */
  destroy(): Promise<void>;
}

/** Settings a hot standby needs at least as high as its primary's, or it refuses to start. */
const MATCHED_SETTINGS = ['max_connections', 'max_prepared_transactions', 'max_locks_per_transaction', 'max_wal_senders', 'max_worker_processes'];

export async function startStreamingReplica(primaryUrl: string): Promise<StreamingReplica> {
  const primary = new URL(primaryUrl);
  const settings = await withAdminClient(primaryUrl, async (client) => {
    const values: Record<string, string> = {};
    for (const name of [...MATCHED_SETTINGS, 'server_version_num']) values[name] = String((await client.query(`SELECT current_setting('${name}') AS value`)).rows[0].value);
    return values;
  });
  const major = Math.floor(Number(settings.server_version_num) / 10_000);
  const binaries = process.env.PG_BINDIR ?? `/usr/lib/postgresql/${major}/bin`;
  if (!fs.existsSync(path.join(binaries, 'pg_basebackup'))) throw new Error(`No PostgreSQL ${major} binaries in ${binaries} (set PG_BINDIR)`);

  const asRoot = process.getuid?.() === 0;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bandoso-replica-'));
  const dataDir = path.join(folder, 'data');
  const owner = asRoot ? await postgresUser() : undefined;
  if (owner) fs.chownSync(folder, owner.uid, owner.gid);
  const command = async (program: string, args: string[], environment: Record<string, string> = {}) => {
    const file = path.join(binaries, program);
    const [executable, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', 'env', ...Object.entries(environment).map(([name, value]) => `${name}=${value}`), file, ...args]] : [file, args];
    try {
      return await run(executable, argv, { env: { ...process.env, ...environment }, cwd: folder, timeout: 120_000 });
    } catch (error) {
      const failed = error as { stderr?: string; message: string };
      throw new Error(`${program} failed: ${failed.stderr?.trim() || failed.message}`, { cause: error });
    }
  };
  const port = await freePort();
  const stop = async () => {
    if (fs.existsSync(path.join(dataDir, 'postmaster.pid'))) await command('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']).catch(() => undefined);
  };
  const start = async () => {
    await command('pg_ctl', ['-D', dataDir, '-l', path.join(folder, 'replica.log'), '-w', '-t', '60', 'start']);
  };
  try {
    await command(
      'pg_basebackup',
      ['-h', primary.hostname, '-p', primary.port || '5432', '-U', decodeURIComponent(primary.username), '-D', dataDir, '-R', '-c', 'fast', '-X', 'stream', '--no-sync'],
      { PGPASSWORD: decodeURIComponent(primary.password) },
    );
    // The primary's configuration (Debian keeps it in /etc) is not in its data folder: the replica gets its own.
    const configuration = [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${folder}'`,
      'hot_standby = on',
      'fsync = off',
      ...MATCHED_SETTINGS.map((name) => `${name} = ${settings[name]}`),
    ];
    writeOwned(path.join(dataDir, 'postgresql.conf'), `${configuration.join('\n')}\n`, owner);
    writeOwned(path.join(dataDir, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n', owner);
    await start();
  } catch (error) {
    await stop();
    fs.rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  const url = (database: string) => {
    const address = new URL(primaryUrl);
    address.hostname = '127.0.0.1';
    address.port = String(port);
    address.pathname = `/${database}`;
    return address.toString();
  };
  const query = async <Row extends Record<string, unknown>>(database: string, text: string): Promise<Row[]> => {
    const client = new pg.Client({ connectionString: url(database) });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query<Row>(text)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  return {
    port,
    dataDir,
    url,
    query,
    async waitForReplay(database, primaryDatabaseUrl, timeoutMs = 30_000) {
      const target = await withAdminClient(primaryDatabaseUrl, async (client) => (await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [row] = await query<{ caught_up: boolean }>(database, `SELECT pg_last_wal_replay_lsn() >= '${target}'::pg_lsn AS caught_up`);
        if (row?.caught_up) return;
        if (Date.now() > deadline) throw new Error(`the replica did not replay up to ${target} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop,
    start,
    async destroy() {
      await stop();
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function writeOwned(file: string, text: string, owner: { uid: number; gid: number } | undefined): void {
  fs.writeFileSync(file, text);
  if (owner) fs.chownSync(file, owner.uid, owner.gid);
}
