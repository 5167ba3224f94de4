import fs from 'node:fs';

/**
 * CPU time spent by the processes of a benchmark, from Linux's /proc: this process, the platform's
 * process, and the PostgreSQL server's processes (when the server runs on this machine). On a
 * machine whose cores are shared by all three, throughput ratios are CPU budgets: this says where
 * each served tile's CPU went.
 */
export interface CpuSample {
  client: number;
  platform: number | undefined;
  database: number | undefined;
}

const TICK_MS = 10; // USER_HZ is 100 on every Linux Node.js supports.

function processTicks(pid: number | string): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

function postgresTicks(): number | undefined {
  let total: number | undefined;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').startsWith('postgres')) continue;
    } catch {
      continue;
    }
    const ticks = processTicks(entry);
    if (ticks !== undefined) total = (total ?? 0) + ticks;
  }
  return total;
}

export function sampleCpu(platformPid: number | undefined): CpuSample {
  const own = process.cpuUsage();
  const platform = platformPid === undefined ? undefined : processTicks(platformPid);
  const database = postgresTicks();
  return {
    client: (own.user + own.system) / 1000,
    platform: platform === undefined ? undefined : platform * TICK_MS,
    database: database === undefined ? undefined : database * TICK_MS,
  };
}

/** CPU milliseconds per operation between two samples, as "db / platform / client" (n/a when unknown). */
export function cpuPerOperation(before: CpuSample, after: CpuSample, operations: number): string {
  const per = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? 'n/a' : ((b - a) / operations).toFixed(2));
  return `${per(before.database, after.database)} / ${per(before.platform, after.platform)} / ${per(before.client, after.client)}`;
}
