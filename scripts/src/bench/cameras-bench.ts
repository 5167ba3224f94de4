/**
 * npm run bench:cameras
 *
 * Viewers of one simulated camera (ffmpeg, 1 s segments) through the platform's relay, against the
 * same viewers reading the simulator directly, in one run, at 1, 10, 50 and 200 viewers. A viewer
 * is an HTTP client that does what hls.js does on a live stream: reads the playlist once per target
 * duration and fetches each new segment. For each count: p50 and p95 segment time (relayed ÷
 * direct), the platform's CPU per viewer, and the camera's fetches per segment (must be 1).
 *
 * The platform runs as users run it (api/src/main.ts, embedded database with the sample data) in its
 * own process, so its CPU is its own; viewers share this process. Options: --seconds N (per run,
 * default 12), --viewers 1,10,50,200, --no-recording (the relay fetches only when viewers ask).
 *
 * Then the glass-to-glass delay in Chromium with hls.js: the wall clock of the page minus the time of
 * the frame on screen. The simulator burns each frame's wall-clock time into the picture and stamps
 * each segment with the same clock (EXT-X-PROGRAM-DATE-TIME of its first frame), so hls.js's
 * `playingDate` (that time plus the position inside the segment) is the burned-in clock of the frame
 * shown, to within a frame (100 ms at 10 fps), without reading the picture.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../api/src/testing/free-port.ts';
import { startCameraSimulator } from '../camera-sim/camera-simulator.ts';
import { chromiumPath, launchBrowser } from '../e2e/browser.ts';
import { percentile, printTable } from './bench-statistics.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const seconds = Number(argument('seconds') ?? 12);
const viewerCounts = (argument('viewers') ?? '1,10,50,200').split(',').map(Number);
// As deployed, the relay records every camera that answers the health checker (for rewind), so a
// segment is usually fetched before any viewer asks; --no-recording measures the relay on demand.
const recording = !process.argv.includes('--no-recording');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const simulator = await startCameraSimulator({ port: 0, codes: ['CAM-005'], listSize: 6 });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bandoso-bench-cameras-'));
const port = await freePort();
const password = 'bench-cameras-password';
const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
  cwd: repositoryRoot,
  env: {
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'DATABASE_URL')),
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DEMO_PASSWORD: password,
    DEADLINE_CHECK_INTERVAL_S: '0',
    CAMERA_HEALTH_INTERVAL_S: recording ? '2' : '0',
    CAMERA_REWIND_MINUTES: recording ? '10' : '0',
    CAMERA_ALLOWED_NETWORKS: '127.0.0.1/32',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
const cleanUp = async () => {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  await simulator.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
};

try {
  for (let waited = 0; ; waited += 250) {
    if (child.exitCode !== null) throw new Error(`the platform exited with ${child.exitCode}`);
    if (await fetch(`${base}/api/health`).then((response) => response.ok, () => false)) break;
    if (waited > 180_000) throw new Error('the platform did not start within 180 s');
    await sleep(250);
  }
  const login = await fetch(`${base}/api/auth/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.bandoso.vn', password }) });
  const { token } = (await login.json()) as { token: string };
  const cameras = (await (await fetch(`${base}/api/cameras`)).json()) as { features: Array<{ id: string; properties: { code: string } }> };
  const cameraId = cameras.features.find((feature) => feature.properties.code === 'CAM-005')!.id;
  const patched = await fetch(`${base}/api/admin/cameras/${cameraId}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ streamUrl: simulator.streamUrl('CAM-005') }),
  });
  if (!patched.ok) throw new Error(`could not point CAM-005 at the simulator: ${patched.status} ${await patched.text()}`);
  // The checker finds it online and the relay starts recording it.
  if (recording) await sleep(6_000);

  /** One viewer for `durationMs`: the playlist once a second, each new segment once. */
  async function view(playlistUrl: string, durationMs: number, times: number[], errors: { count: number }, requested: Set<string>): Promise<void> {
    const seen = new Set<string>();
    const until = Date.now() + durationMs;
    // Viewers do not arrive on the same millisecond.
    await sleep(Math.random() * 1000);
    while (Date.now() < until) {
      const tick = Date.now();
      try {
        const response = await fetch(playlistUrl);
        const playlist = await response.text();
        if (!response.ok) throw new Error(String(response.status));
        const uris = playlist.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
        // A live player starts near the live edge: the newest three segments, then each new one.
        for (const uri of uris.slice(-3)) {
          const url = new URL(uri, playlistUrl).toString();
          const key = new URL(url).pathname;
          if (seen.has(key)) continue;
          seen.add(key);
          requested.add(key);
          const started = performance.now();
          const segment = await fetch(url);
          const body = await segment.arrayBuffer();
          if (!segment.ok || new Uint8Array(body)[0] !== 0x47) throw new Error(`segment ${segment.status}`);
          times.push(performance.now() - started);
        }
      } catch {
        errors.count += 1;
      }
      await sleep(Math.max(0, 1000 - (Date.now() - tick)));
    }
  }

  const rows: Array<Record<string, string | number>> = [];
  let holds = 0;
  for (const viewers of viewerCounts) {
    const measured: Record<'relayed' | 'direct', { times: number[]; errors: { count: number }; cpuMs: number; fetchesPerSegment: number }> = {} as never;
    for (const mode of ['relayed', 'direct'] as const) {
      const times: number[] = [];
      const errors = { count: 0 };
      const requested = new Set<string>();
      const servedBefore = new Map(simulator.servedRequests());
      const urls = await Promise.all(
        Array.from({ length: viewers }, async () => {
          if (mode === 'direct') return simulator.streamUrl('CAM-005');
          const watch = (await (await fetch(`${base}/api/cameras/${cameraId}/watch`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json()) as { url: string };
          return new URL(watch.url, base).toString();
        }),
      );
      const cpuBefore = cpuMs(child.pid!);
      await Promise.all(urls.map((url) => view(url, seconds * 1000, times, errors, requested)));
      const cpu = cpuMs(child.pid!) - cpuBefore;
      // The camera's segment requests in this run, over the distinct segments it served.
      const served = [...simulator.servedRequests()].filter(([key]) => key.endsWith('.ts')).map(([key, count]) => [key, count - (servedBefore.get(key) ?? 0)] as const).filter(([, count]) => count > 0);
      const fetchesPerSegment = served.length === 0 ? 0 : served.reduce((sum, [, count]) => sum + count, 0) / served.length;
      measured[mode] = { times: times.sort((a, b) => a - b), errors, cpuMs: cpu, fetchesPerSegment };
      await sleep(1500);
    }
    const relayed = measured.relayed;
    const direct = measured.direct;
    const p95Relayed = percentile(relayed.times, 0.95);
    const p95Direct = percentile(direct.times, 0.95);
    const cpuPerViewer = relayed.cpuMs / seconds / viewers;
    if (relayed.errors.count === 0 && p95Relayed < 1000) holds = viewers;
    rows.push({
      viewers,
      'segments fetched': relayed.times.length,
      'p50 direct (ms)': percentile(direct.times, 0.5),
      'p50 relayed (ms)': percentile(relayed.times, 0.5),
      'p95 direct (ms)': p95Direct,
      'p95 relayed (ms)': p95Relayed,
      'p95 relayed ÷ direct': p95Relayed / p95Direct,
      'platform CPU per viewer (ms/s)': cpuPerViewer,
      'camera fetches per segment (relayed)': relayed.fetchesPerSegment,
      'camera fetches per segment (direct)': direct.fetchesPerSegment,
      'errors relayed / direct': `${relayed.errors.count} / ${direct.errors.count}`,
    });
  }
  printTable(`bench:cameras — one simulated camera (1 s segments), ${seconds} s per run, relayed through one API process (${recording ? 'recording for rewind, as deployed' : 'no recording: on demand'}) vs read directly`, rows);

  if (chromiumPath) {
    const browser = await launchBrowser();
    try {
      const delays: Array<Record<string, string | number>> = [];
      for (const mode of ['relayed', 'direct'] as const) {
        const page = await browser.newPage();
        // Same origin as the relay (a JSON page of the platform); the simulator answers CORS *.
        await page.goto(`${base}/api/health`);
        await page.addScriptTag({ path: path.join(repositoryRoot, 'node_modules/hls.js/dist/hls.light.min.js') });
        const url =
          mode === 'direct'
            ? simulator.streamUrl('CAM-005')
            : new URL(((await (await fetch(`${base}/api/cameras/${cameraId}/watch`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json()) as { url: string }).url, base).toString();
        const samples = await page.evaluate(
          `new Promise((resolve, reject) => {
            const video = document.createElement('video');
            video.muted = true;
            document.body.append(video);
            const hls = new Hls({ lowLatencyMode: false });
            hls.loadSource(${JSON.stringify(url)});
            hls.attachMedia(video);
            video.play().catch(() => undefined);
            const samples = [];
            const timer = setInterval(() => {
              if (video.currentTime > 0 && hls.playingDate) samples.push(Date.now() - hls.playingDate.getTime());
              if (samples.length >= 40) { clearInterval(timer); hls.destroy(); resolve(samples); }
            }, 250);
            setTimeout(() => { clearInterval(timer); hls.destroy(); samples.length ? resolve(samples) : reject(new Error('no frame played in 40 s')); }, 40000);
          })`,
        ) as number[];
        await page.close();
        const sorted = [...samples].sort((a, b) => a - b);
        delays.push({ stream: mode, samples: sorted.length, 'p50 glass-to-glass (ms)': percentile(sorted, 0.5), 'p95 glass-to-glass (ms)': percentile(sorted, 0.95) });
      }
      printTable('Glass to glass in Chromium (hls.js, default live settings): page clock minus the burned-in clock of the frame shown', delays);
    } finally {
      await browser.close();
    }
  } else console.log('\n(Chromium not found: no glass-to-glass measurement.)');
  const last = rows.at(-1)!;
  const perViewer = Number(last['platform CPU per viewer (ms/s)']);
  console.log(`\nOne API process (one core): ${Math.floor(1000 / perViewer)} viewers by CPU at ${perViewer.toFixed(2)} ms of CPU per viewer-second (measured at ${String(last.viewers)} viewers); the largest count measured here with no error and p95 under one segment: ${holds}.`);
} finally {
  await cleanUp();
}
