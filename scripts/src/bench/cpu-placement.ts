import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * Where a benchmark's processes run. On a machine of a few cores, the benchmark's client, the
 * platform and PostgreSQL share them, and a served/raw throughput ratio is then a ratio of CPU per
 * operation: every millisecond the platform spends on HTTP and gzip is taken from PostgreSQL. In a
 * deployment the database has cores of its own, and the question becomes whether the platform keeps
 * up with it. `separateDatabase` reproduces that on one machine with Linux CPU affinity: the
 * PostgreSQL backends serving one database on the first core, this process and the platform on the
 * others.
 *
 * Only the backends of the named database are moved (found in /proc by their process title), never
 * the postmaster or another database's backends; `release` gives them their cores back, and they
 * end with their connections anyway. A backend opened later (a pool growing) is moved by a rescan
 * every 50 ms. Moving PostgreSQL's processes needs the right to (same user, or root / CAP_SYS_NICE).
 */
export interface Placement {
  /** Gives every process it moved its former cores back. */
  release(): void;
}

/** The cores a process may run on, as Linux lists them ("0-3,6"). */
export function allowedCores(pid: number): string {
  return /^Cpus_allowed_list:\s*(\S+)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';
}

/** "0-3,6" → [0, 1, 2, 3, 6]. */
function expandCoreList(list: string): number[] {
  return list.split(',').flatMap((range) => {
    const [first, last = first] = range.split('-').map(Number) as [number, number?];
    return Number.isInteger(first) && Number.isInteger(last) ? Array.from({ length: last! - first + 1 }, (_, index) => first + index) : [];
  });
}

function setAffinity(pid: number, cores: string): boolean {
  const result = spawnSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cores, String(pid)], { stdio: 'ignore' });
  return result.status === 0;
}

/** PostgreSQL backends connected to `database` on this machine (their title: "postgres: … user database host …"). */
function backendPids(database: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let title: string;
    try {
      title = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (title.startsWith('postgres:') && title.replaceAll('\0', ' ').split(/\s+/).includes(database)) pids.push(Number(entry));
  }
  return pids;
}

/** Why the database cannot be given a core of its own here, or undefined when it can. */
export function separatePlacementUnavailable(database: string): string | undefined {
  if (process.platform !== 'linux') return 'CPU affinity is set through Linux only';
  if (expandCoreList(allowedCores(process.pid)).length < 2) return 'this process may use one core only';
  if (spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status !== 0) return 'taskset (util-linux) is not installed';
  const backends = backendPids(database);
  if (backends.length === 0) return `no PostgreSQL backend of ${database} runs on this machine`;
  if (!setAffinity(backends[0]!, allowedCores(backends[0]!))) return 'not allowed to set the affinity of PostgreSQL processes (run as their user or as root)';
  return undefined;
}

/**
 * PostgreSQL's backends of `database` on the first core this process may use; this process and
 * `otherPids` on the rest. `release` gives every process moved its own former cores back.
 */
export function separateDatabase(database: string, otherPids: number[]): Placement {
  const cores = expandCoreList(allowedCores(process.pid));
  const databaseCore = String(cores[0]);
  const rest = cores.slice(1).join(',');
  const former = new Map<number, string>();
  const move = (pid: number, to: string) => {
    if (former.has(pid)) return;
    let cores: string;
    try {
      cores = allowedCores(pid);
    } catch {
      return; // the backend ended between the scan and the move
    }
    if (setAffinity(pid, to)) former.set(pid, cores);
  };
  const moveBackends = () => {
    for (const pid of backendPids(database)) move(pid, databaseCore);
  };
  for (const pid of [process.pid, ...otherPids]) move(pid, rest);
  moveBackends();
  const rescan = setInterval(moveBackends, 50);
  rescan.unref();
  return {
    release() {
      clearInterval(rescan);
      for (const [pid, cores] of former) setAffinity(pid, cores);
    },
  };
}
