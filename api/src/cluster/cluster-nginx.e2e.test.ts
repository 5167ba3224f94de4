import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { tileContaining } from '@bandoso/tiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnvironment, createTestDatabase, repositoryRoot, type TestDatabase } from '../testing/index.ts';
import { freePort } from '../testing/free-port.ts';
import { pointInUnit, submitTestReport } from '../testing/report-helpers.ts';
import { fetchTile } from '../modules/tiles/tile-test-helpers.ts';

/**
 * Issue 18, part 1: several API processes on one PostgreSQL, behind Debian's nginx on loopback.
 *
 * - `primary`: `WEB_CONCURRENCY=2 npm start` (node:cluster: two API processes on one port);
 * - `single`: a second `npm start` (one process) on another port, as a second host would be;
 * - nginx in front of both, with the locations the project ships (docs/nginx/bandoso-proxy.conf).
 *
 * A write through one process must show at once in another's tiles, live feed and statistics (each
 * keeps a cache, kept right by the database's change notifications), and the per-client rate limit
 * must be one limit for all (it lives in the database), whichever process nginx picks.
 */
const nginx = spawnSync('nginx', ['-v']).error ? undefined : 'nginx';
const why = !process.env.DATABASE_URL
  ? 'several API processes need the server backend (the embedded database lives inside one process): set DATABASE_URL'
  : !nginx
    ? 'nginx is not installed (apt-get install nginx; .ci/run installs it)'
    : undefined;
if (why) console.info(`several processes behind nginx not tested: ${why}`);

const SUBMISSIONS_PER_HOUR = 4;

interface Started {
  child: ChildProcess;
  output: () => string;
}

async function startNpm(environment: Record<string, string>, port: number, ready = /"msg":"ready: /): Promise<Started> {
  const began = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
    cwd: repositoryRoot,
    env: cleanEnvironment({ ...environment, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  while (performance.now() - began < 180_000) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.status === 200 && ready.test(output)) return { child, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`npm start did not get ready within 180 s:\n${output}`);
}

function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

/** The API processes whose parent is `pid` (from /proc; tsx's esbuild service is a child too). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('api/src/main.ts')) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/** Reads a Server-Sent Events stream until `until` holds for an event's data, or the time is up. */
async function readEvents(url: string, until: (data: any) => boolean, onOpen: () => Promise<void>, timeoutMs = 20_000): Promise<any[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const seen: any[] = [];
  try {
    const response = await fetch(url, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let opened = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .find((line) => line.startsWith('data: '))
          ?.slice(6);
        if (!opened) {
          // The stream is established once its first block (its position) arrived: write now.
          opened = true;
          await onOpen();
        }
        if (data === undefined) continue;
        const parsed = JSON.parse(data);
        seen.push(parsed);
        if (until(parsed)) return seen;
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return seen;
}

describe.skipIf(Boolean(why))('several API processes on one database, behind nginx (issue 18)', () => {
  let database: TestDatabase;
  let scratch: string;
  let primary: Started;
  let single: Started;
  let nginxProcess: ChildProcess;
  const ports = { primary: 0, single: 0, nginx: 0 };
  const url = (which: keyof typeof ports) => `http://127.0.0.1:${ports[which]}`;

  beforeAll(async () => {
    database = await createTestDatabase();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bandoso-cluster-'));
    ports.primary = await freePort();
    ports.single = await freePort();
    ports.nginx = await freePort();
    const environment = {
      ...database.childEnvironment!,
      REPORT_SUBMISSIONS_PER_HOUR: String(SUBMISSIONS_PER_HOUR),
      MEDIA_DIR: path.join(scratch, 'media'),
      DATA_DIR: path.join(scratch, 'data'),
      // Shared by the processes, as a deployment sets it (the cluster's own workers share theirs anyway).
      CAMERA_URL_SECRET: 'cluster-test-secret-0123456789abcdef0123',
    };
    [primary, single] = await Promise.all([startNpm({ ...environment, WEB_CONCURRENCY: '2' }, ports.primary, /\(2 API processes\)/), startNpm(environment, ports.single)]);

    // nginx on loopback, with the shipped locations; its temporary files and logs in the scratch folder.
    const prefix = path.join(scratch, 'nginx');
    fs.mkdirSync(prefix, { recursive: true, mode: 0o777 });
    fs.chmodSync(prefix, 0o777);
    const configuration = `
worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 256; }
http {
  log_format upstreams '$request_method $uri $status $upstream_addr';
  access_log ${prefix}/access.log upstreams;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  upstream bandoso {
    server 127.0.0.1:${ports.primary};
    server 127.0.0.1:${ports.single};
    keepalive 8;
  }
  server {
    listen 127.0.0.1:${ports.nginx};
    include ${path.join(repositoryRoot, 'docs/nginx/bandoso-proxy.conf')};
  }
}
`;
    fs.writeFileSync(path.join(prefix, 'nginx.conf'), configuration);
    let nginxOutput = '';
    nginxProcess = spawn('nginx', ['-e', path.join(prefix, 'error.log'), '-p', prefix, '-c', path.join(prefix, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    nginxProcess.stderr!.on('data', (chunk: Buffer) => (nginxOutput += chunk.toString()));
    for (let attempt = 0; ; attempt += 1) {
      if (nginxProcess.exitCode !== null) throw new Error(`nginx exited with ${nginxProcess.exitCode}: ${nginxOutput}${fs.existsSync(path.join(prefix, 'error.log')) ? fs.readFileSync(path.join(prefix, 'error.log'), 'utf8') : ''}`);
      try {
        if ((await fetch(`${url('nginx')}/api/health`)).status === 200) break;
      } catch {
        // not listening yet
      }
      if (attempt > 100) throw new Error(`nginx did not answer: ${nginxOutput}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 300_000);

  afterAll(async () => {
    if (nginxProcess) await stopProcess(nginxProcess, 'SIGQUIT');
    await Promise.all([primary && stopProcess(primary.child), single && stopProcess(single.child)]);
    await database?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }, 60_000);

  it('runs WEB_CONCURRENCY API processes on one port, and /metrics counts the requests of all of them', async () => {
    expect(primary.output()).toMatch(/ready: http:\/\/localhost:\d+ \(2 API processes\)/);
    const workers = childrenOf(primary.child.pid!);
    expect(workers).toHaveLength(2);
    const healthCount = async () => {
      const text = await (await fetch(`${url('primary')}/metrics`)).text();
      const count = [...text.matchAll(/^bandoso_http_request_duration_seconds_count\{method="GET",route="\/api\/health",status="\d+"\} (\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
      return { text, count };
    };
    const before = await healthCount();
    const sent = 40;
    for (let index = 0; index < sent; index += 1) expect((await fetch(`${url('primary')}/api/health`)).status).toBe(200);
    // A scrape reaches one worker; the primary adds up every worker's counts. Had a scrape answered
    // with one worker's own, the difference would be about half (connections are handed out in turn).
    const { text, count } = await healthCount();
    expect(count - before.count).toBe(sent);
    expect(text).toMatch(/^bandoso_notification_listener_up\{backend="server"\} 1$/m);
  });

  it('runs the periodic passes (overdue reports, retention) in API process 1 only', () => {
    const periodic = (slotRuns: boolean) =>
      primary
        .output()
        .split('\n')
        .filter((line) => line.includes('"msg":"periodic work'))
        .map((line) => JSON.parse(line) as { worker: number; periodicWork: boolean })
        .filter((line) => line.periodicWork === slotRuns)
        .map((line) => line.worker);
    expect(periodic(true)).toEqual([1]);
    expect(periodic(false)).toEqual([2]);
  });

  it('shows a report written through one process at once in another’s tiles, live feed and statistics', async () => {
    const place = await pointInUnit(database.db, '03127');
    const tile = tileContaining(place[0], place[1], 14);
    const tilePath = `/tiles/reports/14/${tile.x}/${tile.y}.mvt`;
    // The other process has the tile and the statistics in its caches before the write.
    // (204: no report there yet; the empty answer is cached like any tile.)
    const tileBefore = await fetchTile(`${url('single')}${tilePath}`);
    expect([200, 204]).toContain(tileBefore.status);
    expect((await fetchTile(`${url('single')}${tilePath}`)).status).toBe(tileBefore.status);
    const statsBefore = await (await fetch(`${url('single')}/api/stats?groupBy=commune`)).json();

    let report: Awaited<ReturnType<typeof submitTestReport>> | undefined;
    const events = await readEvents(
      `${url('single')}/api/reports/events`,
      (data) => report !== undefined && data?.report?.trackingCode === report.trackingCode,
      async () => {
        report = await submitTestReport(url('primary'), { category: 'trees', coordinates: place, description: 'Cây đổ chắn ngang đường (thử nhiều tiến trình)' });
      },
    );
    expect(report).toBeDefined();
    expect(events.some((data) => data?.report?.trackingCode === report!.trackingCode)).toBe(true);

    const tileAfter = await fetchTile(`${url('single')}${tilePath}`);
    expect(tileAfter.features.some((feature) => feature.properties.id === report!.id)).toBe(true);
    const statsAfter = await (await fetch(`${url('single')}/api/stats?groupBy=commune`)).json();
    expect(statsAfter.totals.received).toBe(statsBefore.totals.received + 1);
  });

  it('keeps one rate limit for a client whichever process nginx sends it to', async () => {
    // A client of its own, as nginx passes it on (TRUST_PROXY=loopback believes nginx).
    const client = '203.0.113.77';
    const place = await pointInUnit(database.db, '03127');
    const statuses: number[] = [];
    for (let index = 0; index < SUBMISSIONS_PER_HOUR + 2; index += 1) {
      const response = await fetch(`${url('nginx')}/api/reports`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': client },
        body: JSON.stringify({ category: 'trees', description: `Cành cây gãy số ${index} (thử giới hạn chung)`, location: { type: 'Point', coordinates: place } }),
      });
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses).toEqual([...Array(SUBMISSIONS_PER_HOUR).fill(201), 429, 429]);
    // nginx handed the submissions to both npm starts (round robin).
    const log = fs.readFileSync(path.join(scratch, 'nginx', 'access.log'), 'utf8');
    const upstreams = new Set(
      log
        .split('\n')
        .filter((line) => line.startsWith('POST /api/reports '))
        .map((line) => line.split(' ')[3]),
    );
    expect(upstreams).toEqual(new Set([`127.0.0.1:${ports.primary}`, `127.0.0.1:${ports.single}`]));
  });

  it('replaces an API process that dies, and stops every process on SIGTERM', { timeout: 120_000 }, async () => {
    const [victim] = childrenOf(primary.child.pid!);
    process.kill(victim!, 'SIGKILL');
    const began = Date.now();
    let replaced: number[] = [];
    while (Date.now() - began < 60_000) {
      replaced = childrenOf(primary.child.pid!);
      if (replaced.length === 2 && !replaced.includes(victim!) && (primary.output().match(/API process listening/g) ?? []).length >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(replaced).toHaveLength(2);
    expect(replaced).not.toContain(victim);
    expect((await fetch(`${url('primary')}/api/health`)).status).toBe(200);
    expect(await stopProcess(primary.child)).toBe(0);
    for (const pid of replaced) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
  });
});
