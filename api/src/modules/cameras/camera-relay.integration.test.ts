import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parse, type types } from 'hls-parser';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { CameraRelay, CameraUnavailableError, type CameraRelayOptions } from './camera-relay.ts';

/**
 * The relay against a real HTTP camera on a real port: a small live HLS stream whose media sequence
 * advances every 500 ms (EXT-X-TARGETDURATION:1), with MPEG-TS-shaped segments (188-byte packets
 * starting with 0x47) that say which run and media sequence number they are, and a count of every
 * request it receives.
 */

const SEGMENT_MS = 500;
const WINDOW = 4;
const SECRET_PATH = 'secret-cam-path';
const TOKEN = 's3cr3t-token';

type CameraMode = 'live' | 'html' | 'missing' | 'hang' | 'html-segments';

interface TestCameraOptions {
  /** EXT-X-PROGRAM-DATE-TIME on the first segment of each playlist (default true). */
  programDateTime?: boolean;
  /** fMP4 segments with an absolute EXT-X-MAP and an AES-128 EXT-X-KEY (the relay passes both on under its names). */
  fmp4?: boolean;
}

class TestCamera {
  readonly requests = new Map<string, number>();
  mode: CameraMode = 'live';
  run = 1;
  #base = 100;
  /** Finished segments at the start: a full window at first, one after a restart (as a real encoder). */
  #finishedAtStart = WINDOW;
  #startedAt = Date.now();
  #server: http.Server;
  #port = 0;
  readonly #hanging = new Set<http.ServerResponse>();

  constructor(private readonly options: TestCameraOptions = {}) {
    this.#server = this.#createServer();
  }

  get host(): string {
    return `127.0.0.1:${this.#port}`;
  }

  get playlistUrl(): string {
    return `http://${this.host}/${SECRET_PATH}/live.m3u8?token=${TOKEN}`;
  }

  get masterUrl(): string {
    return `http://${this.host}/${SECRET_PATH}/master.m3u8?token=${TOKEN}`;
  }

  async start(port = 0): Promise<void> {
    this.#server = this.#createServer();
    await new Promise<void>((resolve) => this.#server.listen(port, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  /** Goes away: connections refused from now on. */
  async stop(): Promise<void> {
    for (const response of this.#hanging) response.destroy();
    this.#hanging.clear();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Comes back on the same port. */
  async resume(): Promise<void> {
    await this.start(this.#port);
  }

  /** The camera's segments get other addresses from now on, numbers going on (a new encoder behind the same playlist). */
  rename(): void {
    this.run += 1;
  }

  /** The camera starts over: media sequence back to 0, new segment names. */
  restart(): void {
    this.run += 1;
    this.#base = 0;
    this.#finishedAtStart = 1;
    this.#startedAt = Date.now();
  }

  segmentRequests(): Map<string, number> {
    return new Map([...this.requests].filter(([pathname]) => /\.(ts|m4s)$/.test(pathname)));
  }

  playlistRequests(): number {
    return [...this.requests].filter(([pathname]) => pathname.endsWith('live.m3u8')).reduce((sum, [, count]) => sum + count, 0);
  }

  /** What the camera lists now: its last WINDOW finished segments, and when each started. */
  currentSegments(): { mediaSequence: number; start: number }[] {
    const last = Math.floor((Date.now() - this.#startedAt) / SEGMENT_MS) + this.#finishedAtStart - 1;
    const first = Math.max(0, last - WINDOW + 1);
    const segments = [];
    for (let index = first; index <= last; index += 1) segments.push({ mediaSequence: this.#base + index, start: this.startOf(this.#base + index) });
    return segments;
  }

  /** When a segment of the current run started (the time its EXT-X-PROGRAM-DATE-TIME says). */
  startOf(mediaSequence: number): number {
    return this.#startedAt + (mediaSequence - this.#base - this.#finishedAtStart) * SEGMENT_MS;
  }

  #createServer(): http.Server {
    return http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://camera');
      this.requests.set(url.pathname, (this.requests.get(url.pathname) ?? 0) + 1);
      if (this.mode === 'hang') {
        this.#hanging.add(response);
        return;
      }
      if (this.mode === 'html') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>Login required</body></html>');
      if (this.mode === 'missing') return void response.writeHead(404).end('not found');
      const extension = this.options.fmp4 ? 'm4s' : 'ts';
      if (url.pathname === `/${SECRET_PATH}/master.m3u8`) {
        return void response.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' }).end(`#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=1280x720\nlive.m3u8?token=${TOKEN}\n#EXT-X-STREAM-INF:BANDWIDTH=200000\nlow.m3u8\n`);
      }
      if (url.pathname === `/${SECRET_PATH}/live.m3u8`) {
        const segments = this.currentSegments();
        const lines = ['#EXTM3U', `#EXT-X-VERSION:${this.options.fmp4 ? 6 : 3}`, '#EXT-X-TARGETDURATION:1', `#EXT-X-MEDIA-SEQUENCE:${segments[0]!.mediaSequence}`];
        if (this.options.fmp4) {
          lines.push(`#EXT-X-MAP:URI="http://${this.host}/${SECRET_PATH}/init-${this.run}.mp4?token=${TOKEN}"`);
          lines.push(`#EXT-X-KEY:METHOD=AES-128,URI="http://${this.host}/${SECRET_PATH}/key-${this.run}.bin?token=${TOKEN}",IV=0x000102030405060708090a0b0c0d0e0f`);
        }
        for (const [index, segment] of segments.entries()) {
          if (index === 0 && this.options.programDateTime !== false) lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segment.start).toISOString()}`);
          lines.push(`#EXTINF:${(SEGMENT_MS / 1000).toFixed(3)},`, `seg-${this.run}-${segment.mediaSequence}.${extension}?token=${TOKEN}`);
        }
        return void response.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' }).end(`${lines.join('\n')}\n`);
      }
      const segment = /^\/secret-cam-path\/seg-(\d+)-(\d+)\.(ts|m4s)$/.exec(url.pathname);
      if (segment) {
        if (this.mode === 'html-segments') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>');
        return void response.writeHead(200, { 'content-type': 'video/mp2t' }).end(segmentBody(Number(segment[1]), Number(segment[2])));
      }
      if (/^\/secret-cam-path\/(init|key)-\d+\.(mp4|bin)$/.test(url.pathname)) return void response.writeHead(200).end(Buffer.from(`${url.pathname.split('/').at(-1)}`));
      response.writeHead(404).end();
    });
  }
}

/** Two 188-byte packets, each starting with the sync byte, the first saying which segment this is. */
function segmentBody(run: number, mediaSequence: number): Buffer {
  const body = Buffer.alloc(188 * 2, 0xff);
  body[0] = 0x47;
  body[188] = 0x47;
  body.write(`run=${run} msn=${mediaSequence};`, 4, 'ascii');
  return body;
}

function identify(body: Buffer): { run: number; mediaSequence: number } {
  const match = /run=(\d+) msn=(\d+);/.exec(body.toString('latin1'));
  if (!match) throw new Error('not a test segment');
  return { run: Number(match[1]), mediaSequence: Number(match[2]) };
}

function readPlaylist(text: string): types.MediaPlaylist {
  const playlist = parse(text);
  if (playlist.isMasterPlaylist) throw new Error('expected a media playlist');
  return playlist as types.MediaPlaylist;
}

function segmentNames(text: string): string[] {
  return readPlaylist(text).segments.map((segment) => new URL(segment.uri, 'http://relay').pathname.split('/').at(-1)!);
}

const CAMERA_ID = '2f0c6a52-7d1e-4c55-9a0e-3b3f1c2d4e5f';

function signedUri(name: string): string {
  return `/api/cameras/${CAMERA_ID}/hls/${name}?exp=1&sig=abc`;
}

/** Captures every log line, to show that no camera address reaches the logs. */
function capturingLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function startCamera(options?: TestCameraOptions): Promise<TestCamera> {
  const camera = new TestCamera(options);
  await camera.start();
  cleanups.push(() => camera.stop().catch(() => undefined));
  return camera;
}

async function startRelay(sourceUrl: () => string | undefined, options: Partial<CameraRelayOptions> = {}): Promise<{ relay: CameraRelay; rewindDir: string }> {
  const rewindDir = await fs.mkdtemp(path.join(os.tmpdir(), 'camera-relay-test-'));
  const relay = new CameraRelay(async (cameraId) => (cameraId === CAMERA_ID ? sourceUrl() : undefined), {
    rewindDir,
    rewindMinutes: 0,
    fetchUpstream: (url, init) => fetch(url, init),
    upstreamTimeoutMs: 1_000,
    ...options,
  });
  cleanups.push(async () => {
    await relay.close();
    await fs.rm(rewindDir, { recursive: true, force: true });
  });
  return { relay, rewindDir };
}

function expectNoCameraAddress(text: string, camera: TestCamera): void {
  expect(text).not.toContain('127.0.0.1');
  expect(text).not.toContain(String(camera.host.split(':')[1]));
  expect(text).not.toContain(SECRET_PATH);
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain('seg-');
}

async function expectUnavailable(work: Promise<unknown>, camera: TestCamera): Promise<CameraUnavailableError> {
  const error = await work.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(CameraUnavailableError);
  const unavailable = error as CameraUnavailableError;
  expectNoCameraAddress(`${unavailable.message} ${unavailable.stack ?? ''} ${JSON.stringify(unavailable)}`, camera);
  expect(unavailable.cause).toBeUndefined();
  return unavailable;
}

describe('CameraRelay against a live HLS camera', () => {
  it('rewrites the live playlist under its own names, with no trace of the camera’s address', async () => {
    const camera = await startCamera();
    const { relay } = await startRelay(() => camera.playlistUrl);

    const text = await relay.livePlaylist(CAMERA_ID, signedUri);
    expectNoCameraAddress(text, camera);
    const playlist = readPlaylist(text);
    expect(playlist.targetDuration).toBe(1);
    expect(playlist.segments).toHaveLength(WINDOW);
    expect(playlist.mediaSequenceBase ?? 0).toBe(0);
    expect(playlist.segments.map((segment) => segment.uri)).toEqual(['0.ts', '1.ts', '2.ts', '3.ts'].map(signedUri));
    expect(text).toMatch(/#EXT-X-PROGRAM-DATE-TIME:/);
    // The camera's program date time is kept, and carried to every segment.
    expect(playlist.segments.every((segment) => segment.programDateTime instanceof Date)).toBe(true);

    const firstSegment = await relay.segment(CAMERA_ID, '0.ts');
    const segment = await relay.segment(CAMERA_ID, '3.ts');
    expect(segment?.contentType).toBe('video/mp2t');
    expect(identify(segment!.body).mediaSequence - identify(firstSegment!.body).mediaSequence).toBe(3);
    expect(playlist.segments[0]!.programDateTime!.getTime()).toBe(camera.startOf(identify(firstSegment!.body).mediaSequence));
    expect(await relay.segment(CAMERA_ID, '999.ts')).toBeUndefined();
    expect(await relay.segment(CAMERA_ID, '../etc/passwd')).toBeUndefined();
    expect(await relay.segment('another-camera', '3.ts')).toBeUndefined();
    await expectUnavailable(relay.livePlaylist('another-camera', signedUri), camera);
  });

  it('follows a master playlist, and relays EXT-X-MAP and EXT-X-KEY under its own names', async () => {
    const camera = await startCamera({ fmp4: true });
    const { relay } = await startRelay(() => camera.masterUrl);

    const text = await relay.livePlaylist(CAMERA_ID, signedUri);
    expectNoCameraAddress(text, camera);
    expect(text).not.toContain('key-1.bin');
    const playlist = readPlaylist(text);
    const first = playlist.segments[0]!;
    expect(first.uri).toBe(signedUri('0.m4s'));
    expect(first.map?.uri).toBe(signedUri('init-0.mp4'));
    expect(first.key?.uri).toBe(signedUri('key-0.key'));
    expect(first.key?.method).toBe('AES-128');
    expect(text).toContain('IV=0x000102030405060708090A0B0C0D0E0F');
    expect(text).toContain('#EXT-X-VERSION:6');
    // One initialisation section and one key for all segments.
    expect(new Set(playlist.segments.map((segment) => segment.map?.uri)).size).toBe(1);

    expect((await relay.segment(CAMERA_ID, 'init-0.mp4'))?.body.toString()).toBe('init-1.mp4');
    expect((await relay.segment(CAMERA_ID, 'key-0.key'))?.body.toString()).toBe('key-1.bin');
    const media = await relay.segment(CAMERA_ID, '0.m4s');
    expect(media?.contentType).toBe('video/iso.segment');
    expect(identify(media!.body).run).toBe(1);
    expect(camera.requests.get(`/${SECRET_PATH}/low.m3u8`)).toBeUndefined();
  });

  it('serves five viewers with one upstream request per segment and at most one playlist request per target duration', async () => {
    const camera = await startCamera();
    const { relay } = await startRelay(() => camera.playlistUrl);
    const startedAt = Date.now();
    const bodiesByName = new Map<string, string>();

    const viewer = async (): Promise<number> => {
      const seen = new Set<string>();
      while (Date.now() - startedAt < 3_000) {
        const names = segmentNames(await relay.livePlaylist(CAMERA_ID, signedUri));
        await Promise.all(
          names
            .filter((name) => !seen.has(name))
            .map(async (name) => {
              seen.add(name);
              const segment = await relay.segment(CAMERA_ID, name);
              const body = segment!.body.toString('hex');
              expect(bodiesByName.get(name) ?? body).toBe(body);
              bodiesByName.set(name, body);
            }),
        );
        await sleep(100 + Math.random() * 100);
      }
      return seen.size;
    };
    const seenByViewer = await Promise.all([viewer(), viewer(), viewer(), viewer(), viewer()]);
    const elapsedS = (Date.now() - startedAt) / 1000;

    const perSegment = camera.segmentRequests();
    expect(perSegment.size).toBeGreaterThanOrEqual(8);
    expect([...perSegment.values()].every((count) => count === 1)).toBe(true);
    expect(perSegment.size).toBe(bodiesByName.size);
    // A viewer's last playlist may be a little older than another's.
    expect(Math.min(...seenByViewer)).toBeGreaterThanOrEqual(bodiesByName.size - 2);
    const playlistFetches = camera.playlistRequests();
    expect(playlistFetches).toBeLessThanOrEqual(Math.ceil(elapsedS / 1) + 1);
    expect(relay.counters(CAMERA_ID)).toEqual({ playlistFetches, segmentFetches: perSegment.size });
    console.info(`[camera relay] 5 viewers, ${elapsedS.toFixed(1)} s: ${perSegment.size} segments, ${[...perSegment.values()].reduce((a, b) => a + b, 0)} segment requests upstream, ${playlistFetches} playlist requests upstream`);
  });

  it('keeps counting and marks a discontinuity when the camera restarts', async () => {
    const camera = await startCamera();
    const { relay } = await startRelay(() => camera.playlistUrl);
    const playlists: string[] = [];
    const runBySequence = new Map<number, number>();
    const watch = async (untilMs: number): Promise<void> => {
      const until = Date.now() + untilMs;
      while (Date.now() < until) {
        const text = await relay.livePlaylist(CAMERA_ID, signedUri);
        playlists.push(text);
        for (const name of segmentNames(text)) {
          const sequence = Number.parseInt(name, 10);
          if (runBySequence.has(sequence)) continue;
          const segment = await relay.segment(CAMERA_ID, name);
          runBySequence.set(sequence, identify(segment!.body).run);
        }
        await sleep(150);
      }
    };
    await watch(1_200);
    camera.restart();
    await watch(3_000);

    const parsed = playlists.map(readPlaylist);
    // The relay's sequence only goes up, across the restart too.
    for (let index = 1; index < parsed.length; index += 1) expect(parsed[index]!.mediaSequenceBase ?? 0).toBeGreaterThanOrEqual(parsed[index - 1]!.mediaSequenceBase ?? 0);
    const sequences = [...runBySequence.keys()].sort((a, b) => a - b);
    expect(sequences).toEqual(sequences.map((_, index) => index));
    const firstOfRun2 = sequences.find((sequence) => runBySequence.get(sequence) === 2)!;
    expect(firstOfRun2).toBeGreaterThan(0);
    expect(sequences.filter((sequence) => sequence > firstOfRun2).every((sequence) => runBySequence.get(sequence) === 2)).toBe(true);

    // The discontinuity is shown before the first segment of the new run while older ones are still listed…
    const withTag = parsed.filter((playlist) => playlist.segments.some((segment, index) => index > 0 && segment.discontinuity));
    expect(withTag.length).toBeGreaterThan(0);
    for (const playlist of withTag) {
      const index = playlist.segments.findIndex((segment) => segment.discontinuity);
      expect((playlist.mediaSequenceBase ?? 0) + index).toBe(firstOfRun2);
      expect(playlist.discontinuitySequenceBase ?? 0).toBe(0);
    }
    // …and counted in EXT-X-DISCONTINUITY-SEQUENCE once it has left the window.
    const last = parsed.at(-1)!;
    expect(last.discontinuitySequenceBase).toBe(1);
    expect(last.segments.some((segment) => segment.discontinuity)).toBe(false);
    // Every playlist agrees on each segment's discontinuity sequence number.
    const discontinuityBySequence = new Map<number, number>();
    for (const playlist of parsed) {
      let discontinuitySequence = playlist.discontinuitySequenceBase ?? 0;
      for (const [index, segment] of playlist.segments.entries()) {
        if (segment.discontinuity) discontinuitySequence += 1;
        const sequence = (playlist.mediaSequenceBase ?? 0) + index;
        expect(discontinuityBySequence.get(sequence) ?? discontinuitySequence).toBe(discontinuitySequence);
        discontinuityBySequence.set(sequence, discontinuitySequence);
      }
    }
    // Segment names of the old run that were not cached are never fetched at the camera's new addresses.
    expect([...camera.segmentRequests().values()].every((count) => count === 1)).toBe(true);
  });

  it('treats segment addresses that all change under the same numbers as a restart', async () => {
    const camera = await startCamera();
    const { relay } = await startRelay(() => camera.playlistUrl);
    const before = readPlaylist(await relay.livePlaylist(CAMERA_ID, signedUri));
    camera.rename();
    await sleep(1_100);
    const text = await relay.livePlaylist(CAMERA_ID, signedUri);
    const after = readPlaylist(text);
    expect(after.mediaSequenceBase).toBeGreaterThan(before.mediaSequenceBase ?? 0);
    // The whole window is new, so the discontinuity is counted in EXT-X-DISCONTINUITY-SEQUENCE.
    expect(after.discontinuitySequenceBase).toBe(1);
    for (const name of segmentNames(text)) expect(identify((await relay.segment(CAMERA_ID, name))!.body).run).toBe(2);
    expect([...camera.segmentRequests().values()].every((count) => count === 1)).toBe(true);
  });

  it('records a camera nobody watches, rewinds from the segment covering a time, and prunes what is too old', async () => {
    const camera = await startCamera();
    // 0.05 minutes: segments are kept 3 s.
    const { relay, rewindDir } = await startRelay(() => camera.playlistUrl, { rewindMinutes: 0.05 });
    relay.record([CAMERA_ID]);
    await sleep(2_000);

    const folder = path.join(rewindDir, CAMERA_ID);
    const stored = await storedFiles(folder);
    expect(stored.segments.length).toBeGreaterThanOrEqual(5);
    expect(stored.indexed).toEqual(stored.segments);
    expect([...camera.segmentRequests().values()].every((count) => count === 1)).toBe(true);

    // A time inside the third stored segment, by the camera's own program date times.
    const recording = readPlaylist((await relay.rewindPlaylist(CAMERA_ID, new Date(stored.firstProgramDateTime), signedUri))!);
    expect(recording.segments.length).toBeGreaterThanOrEqual(stored.segments.length);
    const third = recording.segments[2]!;
    const from = new Date(third.programDateTime!.getTime() + 200);
    const text = (await relay.rewindPlaylist(CAMERA_ID, from, signedUri))!;
    expectNoCameraAddress(text, camera);
    expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(text).toContain('#EXT-X-ENDLIST');
    const rewind = readPlaylist(text);
    const start = rewind.segments[0]!;
    expect(start.uri).toBe(third.uri);
    expect(start.programDateTime!.getTime()).toBeLessThanOrEqual(from.getTime());
    expect(start.programDateTime!.getTime() + start.duration * 1000).toBeGreaterThan(from.getTime());
    expect(rewind.segments.every((segment) => segment.programDateTime instanceof Date)).toBe(true);
    expect(rewind.segments.length).toBeGreaterThanOrEqual(recording.segments.length - 2);
    // Served from the disk, and it is the segment the camera made at that time. (The recorder keeps
    // fetching new segments meanwhile, so the relay's counter may move: the camera's count per
    // segment says nothing was fetched twice.)
    const name = new URL(start.uri, 'http://relay').pathname.split('/').at(-1)!;
    const segment = await relay.segment(CAMERA_ID, name);
    expect([...camera.segmentRequests().values()].every((count) => count === 1)).toBe(true);
    expect(camera.startOf(identify(segment!.body).mediaSequence)).toBe(start.programDateTime!.getTime());
    // Nothing recorded covers a time before the recording or after its newest segment.
    expect(await relay.rewindPlaylist(CAMERA_ID, new Date(stored.firstProgramDateTime - 1_000), signedUri)).toBeUndefined();
    expect(await relay.rewindPlaylist(CAMERA_ID, new Date(Date.now() + 60_000), signedUri)).toBeUndefined();

    // A live viewer meanwhile costs the camera nothing more.
    for (const liveName of segmentNames(await relay.livePlaylist(CAMERA_ID, signedUri))) await relay.segment(CAMERA_ID, liveName);
    expect([...camera.segmentRequests().values()].every((count) => count === 1)).toBe(true);

    // Three seconds on, the oldest are gone, from the index and the folder alike.
    await sleep(3_000);
    const later = await storedFiles(folder);
    expect(later.indexed).toEqual(later.segments);
    expect(later.segments).not.toContain(name);
    expect(Math.min(...later.segments.map((file) => Number.parseInt(file, 10)))).toBeGreaterThan(Number.parseInt(name, 10));
    expect(await relay.rewindPlaylist(CAMERA_ID, from, signedUri)).toBeUndefined();
    console.info(`[camera relay] recording: ${stored.segments.length} segments stored after 2 s; ${later.segments.length} kept after 5 s (3 s window)`);
  });

  it('answers CameraUnavailableError quickly while the camera is down or hangs, keeps recording with backoff, and recovers', async () => {
    const camera = await startCamera();
    const { logger, lines } = capturingLogger();
    const { relay, rewindDir } = await startRelay(() => camera.playlistUrl, { upstreamTimeoutMs: 300, logger, rewindMinutes: 1 });
    const folder = path.join(rewindDir, CAMERA_ID);
    relay.record([CAMERA_ID]);
    await relay.livePlaylist(CAMERA_ID, signedUri);

    // Hanging: the timeout answers.
    camera.mode = 'hang';
    await sleep(1_100);
    let startedAt = Date.now();
    const hung = await expectUnavailable(relay.livePlaylist(CAMERA_ID, signedUri), camera);
    const hangMs = Date.now() - startedAt;
    expect(hung.reason).toBe('timeout');
    expect(hangMs).toBeLessThan(700);

    // Gone: connections refused (or, within a second of the last failure, that failure again).
    await camera.stop();
    await sleep(1_100);
    startedAt = Date.now();
    const refused = await expectUnavailable(relay.livePlaylist(CAMERA_ID, signedUri), camera);
    const refusedMs = Date.now() - startedAt;
    expect(['unreachable', 'timeout']).toContain(refused.reason);
    expect(refusedMs).toBeLessThan(300);
    await expectUnavailable(relay.probe(camera.playlistUrl), camera);
    const storedWhileDown = (await storedFiles(folder)).segments.length;

    // Back: live playlists and the recording resume.
    camera.mode = 'live';
    await camera.resume();
    await sleep(1_100);
    const names = segmentNames(await relay.livePlaylist(CAMERA_ID, signedUri));
    expect(identify((await relay.segment(CAMERA_ID, names.at(-1)!))!.body).run).toBe(1);
    await sleep(1_000);
    const storedAfter = (await storedFiles(folder)).segments.length;
    expect(storedAfter).toBeGreaterThan(storedWhileDown);

    const logged = lines.join('');
    expect(logged).toContain('camera recording failed; retrying');
    expect(logged).toContain(CAMERA_ID);
    expectNoCameraAddress(logged, camera);
    console.info(`[camera relay] hanging camera answered in ${hangMs} ms (timeout 300 ms), refused camera in ${refusedMs} ms; recording ${storedWhileDown} → ${storedAfter} segments 2 s after it came back`);
  });

  it('turns HTML, 404, garbage segments and a camera gone between playlist and segment into CameraUnavailableError', async () => {
    const camera = await startCamera();
    const { relay } = await startRelay(() => camera.playlistUrl);

    camera.mode = 'html';
    expect((await expectUnavailable(relay.livePlaylist(CAMERA_ID, signedUri), camera)).reason).toBe('not-a-playlist');
    expect((await expectUnavailable(relay.probe(camera.playlistUrl), camera)).reason).toBe('not-a-playlist');

    camera.mode = 'missing';
    await sleep(1_100);
    const missing = await expectUnavailable(relay.livePlaylist(CAMERA_ID, signedUri), camera);
    expect(missing.reason).toBe('upstream-status');
    expect(missing.upstreamStatus).toBe(404);

    camera.mode = 'html-segments';
    await sleep(1_100);
    const names = segmentNames(await relay.livePlaylist(CAMERA_ID, signedUri));
    expect((await expectUnavailable(relay.segment(CAMERA_ID, names[0]!), camera)).reason).toBe('not-media');

    await camera.stop();
    expect((await expectUnavailable(relay.segment(CAMERA_ID, names[1]!), camera)).reason).toBe('unreachable');
    await camera.resume();

    camera.mode = 'live';
    expect(identify((await relay.segment(CAMERA_ID, names[0]!))!.body).run).toBe(1);
    const before = camera.currentSegments()[0]!.mediaSequence;
    const probe = await relay.probe(camera.playlistUrl);
    const after = camera.currentSegments()[0]!.mediaSequence;
    expect(probe.mediaSequence).toBeGreaterThanOrEqual(before);
    expect(probe.mediaSequence).toBeLessThanOrEqual(after);
    expect(probe).toMatchObject({ targetDurationS: 1, segments: WINDOW });
    expect(await relay.probe(camera.masterUrl)).toMatchObject({ targetDurationS: 1, segments: WINDOW });
    // Probes are not the camera's viewers: they are not counted as its relay's requests.
    expect(relay.counters(CAMERA_ID).playlistFetches).toBe(3);
  });

  it('forgets a camera whose source changed, and carries on counting with a discontinuity', async () => {
    const first = await startCamera();
    const second = await startCamera();
    let source = first.playlistUrl;
    const { relay } = await startRelay(() => source);
    const before = readPlaylist(await relay.livePlaylist(CAMERA_ID, signedUri));
    source = second.playlistUrl;
    relay.forget(CAMERA_ID);
    const after = readPlaylist(await relay.livePlaylist(CAMERA_ID, signedUri));
    expect(after.mediaSequenceBase).toBe((before.mediaSequenceBase ?? 0) + before.segments.length);
    expect(after.discontinuitySequenceBase).toBe(1);
    expect(await relay.segment(CAMERA_ID, '0.ts')).toBeUndefined();
    expect(second.playlistRequests()).toBe(1);
  });

  it('stops every request on close, and leaves nothing that keeps a process alive', async () => {
    const camera = await startCamera();
    const { relay } = await startRelay(() => camera.playlistUrl, { rewindMinutes: 1 });
    relay.record([CAMERA_ID]);
    await sleep(1_000);
    await relay.close();
    const requests = [...camera.requests.values()].reduce((sum, count) => sum + count, 0);
    expect(requests).toBeGreaterThan(0);
    await sleep(1_000);
    expect([...camera.requests.values()].reduce((sum, count) => sum + count, 0)).toBe(requests);
    await expect(relay.livePlaylist(CAMERA_ID, signedUri)).rejects.toBeInstanceOf(CameraUnavailableError);

    // A process that records, watches and closes the relay exits by itself.
    const relayModule = fileURLToPath(new URL('./camera-relay.ts', import.meta.url));
    const rewindDir = await fs.mkdtemp(path.join(os.tmpdir(), 'camera-relay-child-'));
    cleanups.push(() => fs.rm(rewindDir, { recursive: true, force: true }));
    const script = `
      const { CameraRelay } = await import(${JSON.stringify(relayModule)});
      const relay = new CameraRelay(async () => ${JSON.stringify(camera.playlistUrl)}, { rewindDir: ${JSON.stringify(rewindDir)}, rewindMinutes: 1, fetchUpstream: (url, init) => fetch(url, init) });
      relay.record(['cam-1']);
      await relay.livePlaylist('cam-1', (name) => name);
      await new Promise((resolve) => setTimeout(resolve, 600));
      await relay.close();
      console.log('closed at', Date.now());
    `;
    const startedAt = Date.now();
    const exit = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the process did not exit after close():\n${output}`));
      }, 15_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });
    expect(exit.code, exit.output).toBe(0);
    const closedAt = Number(/closed at (\d+)/.exec(exit.output)?.[1]);
    expect(Date.now() - closedAt).toBeLessThan(2_000);
    console.info(`[camera relay] child process exited ${Date.now() - closedAt} ms after close() (${Date.now() - startedAt} ms in all)`);
  });
});

/** Segment files in a camera's folder and the names its index lists, both sorted. */
async function storedFiles(folder: string): Promise<{ segments: string[]; indexed: string[]; firstProgramDateTime: number }> {
  const files = await fs.readdir(folder).catch(() => []);
  const index = await fs.readFile(path.join(folder, 'index.jsonl'), 'utf8').catch(() => '');
  const lines = index
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { name: string; pdt: number });
  const byNumber = (a: string, b: string): number => Number.parseInt(a, 10) - Number.parseInt(b, 10);
  return {
    segments: files.filter((name) => /^\d+\.ts$/.test(name)).sort(byNumber),
    indexed: lines.map((line) => line.name).sort(byNumber),
    firstProgramDateTime: lines[0]?.pdt ?? Number.NaN,
  };
}
