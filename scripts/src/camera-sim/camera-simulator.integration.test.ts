/**
 * The camera simulator with the real ffmpeg (Debian's, installed by .ci/run): live playlists at the
 * sample cameras' paths, segments that are MPEG-TS, a camera stopped, started and killed, and no
 * ffmpeg left behind by the API or by the CLI. Without ffmpeg these tests fail: they do not skip.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startCameraSimulator } from './camera-simulator.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Process ids of the ffmpegs (or the setpriv that becomes one) whose parent is `parentPid`: what
 * `ps -o pid,comm --ppid` shows, read from Linux's /proc (procps is not on every CI image).
 */
function ffmpegChildren(parentPid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // "pid (command) state ppid …"; the command may hold spaces and parentheses.
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === parentPid && (command === 'ffmpeg' || command === 'setpriv')) children.push(Number(entry));
  }
  return children;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Playlist {
  status: number;
  contentType: string | null;
  cacheControl: string | null;
  mediaSequence: number;
  segments: string[];
  programDateTimes: number[];
  text: string;
}

async function readPlaylist(url: string): Promise<Playlist> {
  const response = await fetch(url);
  const text = await response.text();
  const lines = text.split('\n').map((line) => line.trim());
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    cacheControl: response.headers.get('cache-control'),
    mediaSequence: Number(lines.find((line) => line.startsWith('#EXT-X-MEDIA-SEQUENCE:'))?.split(':')[1]),
    segments: lines.filter((line) => line !== '' && !line.startsWith('#')),
    // ffmpeg writes the offset as +0000; Date.parse wants +00:00.
    programDateTimes: lines
      .filter((line) => line.startsWith('#EXT-X-PROGRAM-DATE-TIME:'))
      .map((line) => Date.parse(line.slice('#EXT-X-PROGRAM-DATE-TIME:'.length).replace(/([+-]\d\d)(\d\d)$/, '$1:$2'))),
    text,
  };
}

/** A GET with the path sent exactly as written (fetch would normalise `..`). */
function rawStatus(baseUrl: string, rawPath: string): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    http
      .get({ hostname, port, path: rawPath, agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

describe('camera simulator (real ffmpeg)', () => {
  it('serves live HLS cameras, stops and starts one, restarts one that dies, and leaves nothing behind', async () => {
    const messages: string[] = [];
    const simulator = await startCameraSimulator({ port: 0, count: 2, listSize: 3, restartDelayMs: 300, log: (message) => messages.push(message) });
    const pidsSeen = new Set<number>();
    try {
      expect(simulator.cameras.map((camera) => camera.code)).toEqual(['CAM-001', 'CAM-002']);
      // The sample cameras' stream_url paths, on the port actually listened on.
      const url = simulator.streamUrl('CAM-001');
      expect(url).toBe(`${simulator.baseUrl}/cameras/CAM-001/index.m3u8`);
      expect(simulator.cameras[1]!.url).toBe(`${simulator.baseUrl}/cameras/CAM-002/index.m3u8`);

      for (const camera of simulator.cameras) {
        const playlist = await readPlaylist(camera.url);
        expect(playlist.status).toBe(200);
        expect(playlist.contentType).toBe('application/vnd.apple.mpegurl');
        expect(playlist.cacheControl).toBe('no-cache');
        expect(playlist.segments.length).toBeGreaterThanOrEqual(2);
        expect(playlist.text).toContain('#EXT-X-INDEPENDENT-SEGMENTS');
        expect(playlist.programDateTimes.length).toBe(playlist.segments.length);
        // Wall-clock times: the newest segment began within the last few seconds.
        expect(Math.abs(Date.now() - playlist.programDateTimes.at(-1)!)).toBeLessThan(10_000);
        pidsSeen.add(simulator.ffmpegProcessId(camera.code)!);
      }
      expect(ffmpegChildren(process.pid).sort()).toEqual([...pidsSeen].sort());

      // A segment is MPEG-TS: 188-byte packets, each starting with the sync byte 0x47.
      const before = await readPlaylist(url);
      const segment = await fetch(new URL(before.segments.at(-1)!, url));
      expect(segment.status).toBe(200);
      expect(segment.headers.get('content-type')).toBe('video/mp2t');
      const bytes = new Uint8Array(await segment.arrayBuffer());
      expect(bytes.length).toBeGreaterThan(188);
      expect(bytes.length % 188).toBe(0);
      expect(bytes[0]).toBe(0x47);
      expect(bytes[188]).toBe(0x47);

      // Live: new segments are added, and old ones leave the (3-segment) window.
      await sleep(3_200);
      const after = await readPlaylist(url);
      const newest = (playlist: Playlist) => playlist.mediaSequence + playlist.segments.length - 1;
      expect(newest(after)).toBeGreaterThanOrEqual(newest(before) + 2);
      expect(after.mediaSequence).toBeGreaterThan(before.mediaSequence);
      expect(after.segments).toHaveLength(3);
      expect(after.segments).not.toContain(before.segments[0]);

      // Nothing but the cameras' playlists and segments.
      expect(await rawStatus(simulator.baseUrl, '/cameras/CAM-001/../CAM-002/index.m3u8')).toBe(404);
      expect(await rawStatus(simulator.baseUrl, '/cameras/CAM-001/..%2F..%2F..%2Fetc%2Fpasswd')).toBe(404);
      expect(await rawStatus(simulator.baseUrl, '/cameras/CAM-001/label.txt')).toBe(404);
      expect(await rawStatus(simulator.baseUrl, '/cameras/CAM-001/')).toBe(404);
      expect(await rawStatus(simulator.baseUrl, '/cameras/CAM-003/index.m3u8')).toBe(404);
      expect(await rawStatus(simulator.baseUrl, '/')).toBe(404);

      // A stopped camera is a dead one: its ffmpeg is gone and its URLs answer 404.
      const stoppedPid = simulator.ffmpegProcessId('CAM-002')!;
      const stoppedSegment = new URL((await readPlaylist(simulator.streamUrl('CAM-002'))).segments[0]!, simulator.streamUrl('CAM-002')).href;
      await simulator.stopCamera('CAM-002');
      expect((await fetch(simulator.streamUrl('CAM-002'))).status).toBe(404);
      expect((await fetch(stoppedSegment)).status).toBe(404);
      expect(isAlive(stoppedPid)).toBe(false);
      expect(ffmpegChildren(process.pid)).not.toContain(stoppedPid);
      expect(simulator.ffmpegProcessId('CAM-002')).toBeUndefined();
      expect((await readPlaylist(url)).status).toBe(200);

      // ...and comes back when started.
      await simulator.startCamera('CAM-002');
      const restarted = await readPlaylist(simulator.streamUrl('CAM-002'));
      expect(restarted.status).toBe(200);
      expect(restarted.segments.length).toBeGreaterThanOrEqual(2);
      const startedPid = simulator.ffmpegProcessId('CAM-002')!;
      expect(startedPid).not.toBe(stoppedPid);
      pidsSeen.add(startedPid);

      // An ffmpeg that dies on its own is logged and restarted.
      process.kill(startedPid, 'SIGKILL');
      const revivedPid = await waitFor(
        'CAM-002 to come back',
        async () => {
          const pid = simulator.ffmpegProcessId('CAM-002');
          if (pid === undefined || pid === startedPid) return undefined;
          return (await readPlaylist(simulator.streamUrl('CAM-002'))).segments.length >= 2 ? pid : undefined;
        },
        15_000,
      );
      pidsSeen.add(revivedPid);
      expect(messages.some((message) => message.startsWith('CAM-002: ffmpeg was ended by SIGKILL'))).toBe(true);
    } finally {
      await simulator.stop();
    }

    expect(ffmpegChildren(process.pid)).toEqual([]);
    for (const pid of pidsSeen) expect(isAlive(pid), `ffmpeg ${pid}`).toBe(false);
    expect(fs.existsSync(simulator.workDirectory)).toBe(false);
    await expect(fetch(simulator.streamUrl('CAM-001'))).rejects.toThrow();
  });

  it('says what is missing or wrong before any camera starts', async () => {
    await expect(startCameraSimulator({ port: 0, count: 1, ffmpegPath: '/nonexistent/ffmpeg' })).rejects.toThrow(/apt-get install ffmpeg/);
    await expect(startCameraSimulator({ port: 0, count: 1, fontFile: '/nonexistent/font.ttf' })).rejects.toThrow(/font file .* does not exist/);
    await expect(startCameraSimulator({ port: 0, count: 99 })).rejects.toThrow(/count must be an integer within 1–12/);
    const occupant = http.createServer();
    await new Promise<void>((resolve) => occupant.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = occupant.address() as AddressInfo;
      await expect(startCameraSimulator({ port, count: 1 })).rejects.toThrow(new RegExp(`port ${port} on 127.0.0.1 is already in use`));
      expect(ffmpegChildren(process.pid)).toEqual([]);
    } finally {
      occupant.close();
    }
  });

  it('runs as a command: prints the live URLs, and on SIGTERM exits 0 with its ffmpeg stopped', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/src/camera-sim/camera-sim-cli.ts', '--port', '0', '--count', '1'], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    try {
      const url = await waitFor('the CLI to print its cameras', async () => output.match(/http:\/\/127\.0\.0\.1:\d+\/cameras\/CAM-001\/index\.m3u8/)?.[0], 30_000);
      await waitFor('the CLI to finish printing', async () => (output.includes('Ctrl+C') ? true : undefined), 5_000);
      const workDirectory = output.match(/Work folder: (\S+)/)?.[1];
      expect((await readPlaylist(url)).segments.length).toBeGreaterThanOrEqual(2);
      const ffmpegs = ffmpegChildren(child.pid!);
      expect(ffmpegs).toHaveLength(1);
      expect(workDirectory && fs.existsSync(workDirectory)).toBe(true);

      const signalled = Date.now();
      child.kill('SIGTERM');
      const result = await Promise.race([exited, sleep(10_000).then(() => 'timeout' as const)]);
      expect(result, output).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalled).toBeLessThan(5_000);
      for (const pid of ffmpegs) expect(isAlive(pid), `ffmpeg ${pid}`).toBe(false);
      expect(fs.existsSync(workDirectory!)).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
