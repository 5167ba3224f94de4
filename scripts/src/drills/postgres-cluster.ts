import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../../api/src/testing/free-port.ts';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of the drill's own (initdb in a temporary folder, on a free port), so that a
 * drill can restart, stop and freeze a real server without touching the one other tests use. Needs
 * PostgreSQL's server binaries (Debian: postgresql-15) and PostGIS for that version; as root, the
 * server runs as the `postgres` user.
 */
export interface DrillCluster {
  /** postgres://… of the database `drill`. */
  readonly url: string;
  readonly port: number;
  /** Server log so far (for a failing drill's message). */
  log(): string;
  /** `pg_ctl restart -m fast|immediate`: waits until the server accepts connections again. */
  restart(mode: 'fast' | 'immediate'): Promise<void>;
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP to the postmaster and every backend: the server accepts TCP connections and says nothing. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** Runs SQL as the superuser on the drill database (a connection of its own). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Stops the server (immediately) and deletes its folder. */
  destroy(): Promise<void>;
}

/** The newest installed PostgreSQL's bin folder, or undefined when there is none. */
export function findPostgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && fs.existsSync(path.join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], 'bin');
}

export async function createDrillCluster(): Promise<DrillCluster> {
  const bin = findPostgresBinaries();
  if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (Debian: apt-get install postgresql-15 postgresql-15-postgis-3)');
  const asRoot = process.getuid?.() === 0;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bandoso-drill-pg-'));
  const dataDir = path.join(folder, 'data');
  const logFile = path.join(folder, 'server.log');
  if (asRoot) {
    // initdb and the server refuse to run as root.
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    fs.chownSync(folder, Number(stdout.trim()), Number(gid.trim()));
  }
  const tool = (name: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, name), ...args]) : run(path.join(bin, name), args));
  const port = await freePort();
  await tool('initdb', ['-D', dataDir, '-U', 'bandoso', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  // Loopback only; durability as usual for commits (a crash of the server, not of the machine, loses
  // nothing committed even without fsync), but no fsync: this is a test server.
  fs.appendFileSync(
    path.join(dataDir, 'postgresql.conf'),
    [`port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${folder}'`, 'fsync = off', 'full_page_writes = off', 'max_connections = 60', ''].join('\n'),
  );
  const pgCtl = (args: string[]) => tool('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', ...args]);
  await pgCtl(['start']);
  const adminUrl = `postgres://bandoso@127.0.0.1:${port}/postgres`;
  const url = `postgres://bandoso@127.0.0.1:${port}/drill`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE drill');
  await admin.end();

  const serverProcesses = (): number[] => {
    const pidFile = path.join(dataDir, 'postmaster.pid');
    if (!fs.existsSync(pidFile)) return [];
    const postmaster = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    const children = fs
      .readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((entry) => {
        try {
          // Field 4 of /proc/PID/stat is the parent; the name (field 2) may hold spaces, so split after ')'.
          const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
        } catch {
          return false;
        }
      })
      .map(Number);
    return [postmaster, ...children];
  };

  return {
    url,
    port,
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    async restart(mode) {
      await pgCtl(['restart', '-m', mode]);
    },
    async stop(mode = 'fast') {
      await pgCtl(['stop', '-m', mode]);
    },
    async start() {
      await pgCtl(['start']);
    },
    async freeze() {
      for (const pid of serverProcesses()) process.kill(pid, 'SIGSTOP');
    },
    async thaw() {
      for (const pid of serverProcesses()) process.kill(pid, 'SIGCONT');
    },
    async query(text, values) {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => undefined);
      await client.connect();
      try {
        return await client.query(text, values);
      } finally {
        await client.end();
      }
    },
    async destroy() {
      for (const pid of serverProcesses()) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // gone already
        }
      }
      await pgCtl(['stop', '-m', 'immediate']).catch(() => undefined);
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}
