import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { checkFfmpeg, ffmpegArguments, ffmpegCommand, findOverlayFonts, prepareOverlay, PLAYLIST_FILE, SEGMENT_FILE, type EncoderSettings, type OverlayFonts } from './camera-ffmpeg.ts';

/**
 * Simulated live cameras: one ffmpeg per camera writes a rolling HLS playlist into a temporary
 * folder, and a small HTTP server serves it at the camera's `stream_url` path of the sample data
 * (`/cameras/CAM-001/index.m3u8`). A camera can be stopped (its URLs then answer 404, as a dead
 * camera's would) and started again; an ffmpeg that dies on its own is restarted after a pause.
 */

export interface CameraSimulatorOptions {
  /** Default 8090, the port of the sample cameras' `stream_url`; 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The first `count` sample cameras (default: all of them). Ignored when `codes` is given. */
  count?: number;
  /** These cameras: sample codes get their sample path and name; other codes `/cameras/{code}/index.m3u8`. */
  codes?: string[];
  /** Default 1. */
  segmentSeconds?: number;
  /** Segments in the rolling playlist; default 6. */
  listSize?: number;
  /** Default 10. */
  frameRate?: number;
  /** Default 426. */
  width?: number;
  /** Default 240. */
  height?: number;
  /** How long a camera may take to serve 2 segments before its start fails; default 20 000. */
  readyTimeoutMs?: number;
  /** Pause before an ffmpeg that died is started again (doubled while it keeps dying, to 15 s); default 1000. */
  restartDelayMs?: number;
  /** One font for all text; default Debian's DejaVu Sans (fonts-dejavu-core). */
  fontFile?: string;
  /** Default `ffmpeg` (from PATH). */
  ffmpegPath?: string;
  /** Where the simulator reports cameras that died and came back; default console.warn. */
  log?: (message: string) => void;
}

export interface SimulatedCamera {
  code: string;
  name: string;
  /** The playlist's absolute URL. */
  url: string;
}

export interface CameraSimulator {
  /** `http://host:port`, with the port actually listened on. */
  readonly baseUrl: string;
  readonly cameras: readonly SimulatedCamera[];
  /** The temporary folder of the cameras' files (removed by `stop`). */
  readonly workDirectory: string;
  /** The playlist URL of a camera of `cameras`. */
  streamUrl(code: string): string;
  /** The process id of the camera's ffmpeg, while one runs. */
  ffmpegProcessId(code: string): number | undefined;
  /** Resolves once its ffmpeg has exited and its URLs answer 404. */
  stopCamera(code: string): Promise<void>;
  /** Resolves once its playlist is served with at least 2 segments. */
  startCamera(code: string): Promise<void>;
  /** Stops every camera (waiting for each ffmpeg to exit) and the server, and removes the temporary folder. */
  stop(): Promise<void>;
  /** Requests answered 200 so far, by URL path (a benchmark counts the fetches of each segment). */
  servedRequests(): ReadonlyMap<string, number>;
}

export interface SampleCamera {
  code: string;
  name: string;
  /** The URL path of its playlist, from the sample `stream_url`. */
  playlistPath: string;
}

const sampleCamerasFile = new URL('../../../gis-data/sample/cameras.geojson', import.meta.url);
const CAMERA_CODE = /^[A-Za-z0-9_-]{1,32}$/;
// A playlist path whose every part is plain: nothing a URL parser or a file system could reinterpret.
const PLAYLIST_PATH = /^(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*\/index\.m3u8$/;
const RESTART_DELAY_LIMIT_MS = 15_000;
// A process that ran this long before dying counts as having worked: its next restart waits the base pause.
const HEALTHY_RUN_MS = 10_000;
const STOP_GRACE_MS = 2_000;

function defaultPlaylistPath(code: string): string {
  return `/cameras/${code}/${PLAYLIST_FILE}`;
}

/** The cameras of `gis-data/sample/cameras.geojson`, in file order. */
export async function readSampleCameras(): Promise<SampleCamera[]> {
  const collection = JSON.parse(await fs.promises.readFile(sampleCamerasFile, 'utf8')) as {
    features: Array<{ properties: { code?: unknown; name?: unknown; stream_url?: unknown } }>;
  };
  const cameras: SampleCamera[] = [];
  for (const { properties } of collection.features) {
    if (typeof properties.code !== 'string' || !CAMERA_CODE.test(properties.code)) continue;
    let playlistPath = defaultPlaylistPath(properties.code);
    if (typeof properties.stream_url === 'string') {
      const pathname = new URL(properties.stream_url, 'http://camera.invalid').pathname;
      if (PLAYLIST_PATH.test(pathname)) playlistPath = pathname;
    }
    cameras.push({ code: properties.code, name: typeof properties.name === 'string' ? properties.name : properties.code, playlistPath });
  }
  return cameras;
}

interface CameraRuntime {
  readonly code: string;
  readonly name: string;
  readonly playlistPath: string;
  /** Its folder inside the work directory; ffmpeg's working directory. */
  readonly directory: string;
  /** Whether it should be live: its URLs answer, and an ffmpeg that dies is restarted. */
  live: boolean;
  process?: ChildProcess;
  exited?: Promise<void>;
  startedAt: number;
  restartTimer?: NodeJS.Timeout;
  /** Inside startCamera: its first ffmpeg has not served yet. */
  starting: boolean;
  /** Deaths in a row of processes that did not run long. */
  failures: number;
  /** The last lines ffmpeg wrote to standard error (its warnings and errors). */
  stderrTail: string[];
  /** Starts and stops of one camera, one at a time. */
  queue: Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The process, if it has not exited (a plain boolean guard would wrongly narrow the other way). */
function running(child: ChildProcess | undefined): ChildProcess | undefined {
  return child !== undefined && child.exitCode === null && child.signalCode === null ? child : undefined;
}

function countSegments(playlist: string): number {
  return playlist.split('\n').filter((line) => line.startsWith('#EXTINF:')).length;
}

function checkSettings(settings: EncoderSettings): void {
  const { width, height, frameRate, segmentSeconds, listSize } = settings;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 64 || height < 64 || width % 2 || height % 2) {
    throw new Error(`camera simulator: width and height must be even integers ≥ 64 (got ${width}x${height})`);
  }
  if (!(frameRate >= 1 && frameRate <= 60)) throw new Error(`camera simulator: frameRate must be within 1–60 (got ${frameRate})`);
  if (!(segmentSeconds >= 0.5 && segmentSeconds <= 10)) throw new Error(`camera simulator: segmentSeconds must be within 0.5–10 (got ${segmentSeconds})`);
  if (!Number.isInteger(listSize) || listSize < 2) throw new Error(`camera simulator: listSize must be an integer ≥ 2 (got ${listSize})`);
}

async function chooseCameras(options: CameraSimulatorOptions): Promise<SampleCamera[]> {
  const sample = await readSampleCameras();
  if (options.codes !== undefined) {
    if (options.codes.length === 0) throw new Error('camera simulator: codes is empty');
    const chosen = options.codes.map((code) => {
      if (!CAMERA_CODE.test(code)) throw new Error(`camera simulator: camera code ${JSON.stringify(code)} is not made of letters, digits, - and _ (at most 32)`);
      return sample.find((camera) => camera.code === code) ?? { code, name: code, playlistPath: defaultPlaylistPath(code) };
    });
    if (new Set(chosen.map((camera) => camera.code)).size !== chosen.length) throw new Error('camera simulator: codes has duplicates');
    if (new Set(chosen.map((camera) => camera.playlistPath)).size !== chosen.length) throw new Error('camera simulator: two cameras share a playlist path');
    return chosen;
  }
  const count = options.count ?? sample.length;
  if (!Number.isInteger(count) || count < 1 || count > sample.length) {
    throw new Error(`camera simulator: count must be an integer within 1–${sample.length}, the sample cameras (got ${count})`);
  }
  return sample.slice(0, count);
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`camera simulator: port ${port} on ${host} is already in use (another simulator?); choose another with --port`)
          : new Error(`camera simulator: cannot listen on ${host}:${port}: ${error.message}`),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    // Players keep connections alive between playlist reloads; close does not wait for them.
    server.closeAllConnections();
  });
}

/**
 * Starts the simulator; resolves once every camera's playlist is served with at least 2 segments.
 * On any failure, what was started is stopped before the promise rejects.
 */
export async function startCameraSimulator(options: CameraSimulatorOptions = {}): Promise<CameraSimulator> {
  const settings: EncoderSettings = {
    width: options.width ?? 426,
    height: options.height ?? 240,
    frameRate: options.frameRate ?? 10,
    segmentSeconds: options.segmentSeconds ?? 1,
    listSize: options.listSize ?? 6,
  };
  checkSettings(settings);
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 8090;
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const restartDelayMs = options.restartDelayMs ?? 1_000;
  const ffmpegPath = options.ffmpegPath ?? 'ffmpeg';
  const log = options.log ?? ((message: string) => console.warn(`[camera-sim] ${message}`));
  const chosen = await chooseCameras(options);
  const fonts: OverlayFonts = findOverlayFonts(options.fontFile);
  await checkFfmpeg(ffmpegPath);

  const workDirectory = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'bandoso-camera-sim-'));
  const cameras = new Map<string, CameraRuntime>();
  const byFolderPath = new Map<string, CameraRuntime>();
  for (const camera of chosen) {
    const runtime: CameraRuntime = {
      ...camera,
      directory: path.join(workDirectory, camera.code),
      live: false,
      starting: false,
      startedAt: 0,
      failures: 0,
      stderrTail: [],
      queue: Promise.resolve(),
    };
    cameras.set(camera.code, runtime);
    byFolderPath.set(camera.playlistPath.slice(0, camera.playlistPath.lastIndexOf('/') + 1), runtime);
  }
  let stopping: Promise<void> | undefined;

  // If the process exits without `stop` (an uncaught error, process.exit), its ffmpegs go with it.
  const killOnExit = () => {
    for (const camera of cameras.values()) running(camera.process)?.kill('SIGKILL');
    fs.rmSync(workDirectory, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  const served = new Map<string, number>();
  const server = http.createServer((request, response) => {
    void serve(request, response);
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  async function serve(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    // The raw path, never decoded nor normalised: it must name a camera's folder exactly, and a
    // file of a fixed pattern, so no request can reach outside the camera's folder.
    const rawPath = (request.url ?? '/').split('?')[0]!;
    const slash = rawPath.lastIndexOf('/');
    const camera = byFolderPath.get(rawPath.slice(0, slash + 1));
    const file = rawPath.slice(slash + 1);
    const headers: http.OutgoingHttpHeaders = { 'Access-Control-Allow-Origin': '*' };
    const isPlaylist = camera !== undefined && rawPath === camera.playlistPath;
    if (camera === undefined || !camera.live || stopping || (!isPlaylist && !SEGMENT_FILE.test(file))) {
      response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    let body: Buffer;
    try {
      body = await fs.promises.readFile(path.join(camera.directory, isPlaylist ? PLAYLIST_FILE : file));
    } catch {
      // Not written yet, rolled out of the playlist, or the camera restarting.
      response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    served.set(rawPath, (served.get(rawPath) ?? 0) + 1);
    response.writeHead(200, {
      ...headers,
      'Content-Type': isPlaylist ? 'application/vnd.apple.mpegurl' : 'video/mp2t',
      'Content-Length': body.length,
      // A segment's name is never reused (numbered from the clock); the playlist changes every segment.
      'Cache-Control': isPlaylist ? 'no-cache' : 'public, max-age=60',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  function keepTail(camera: CameraRuntime, chunk: Buffer): void {
    const lines = chunk.toString().split('\n').map((line) => line.trim()).filter(Boolean);
    camera.stderrTail.push(...lines);
    camera.stderrTail.splice(0, Math.max(0, camera.stderrTail.length - 20));
  }

  async function launch(camera: CameraRuntime): Promise<void> {
    await fs.promises.rm(camera.directory, { recursive: true, force: true });
    await fs.promises.mkdir(camera.directory, { recursive: true });
    await prepareOverlay(camera.directory, camera, fonts);
    const { command, args } = ffmpegCommand(ffmpegPath, ffmpegArguments(settings));
    camera.stderrTail = [];
    camera.startedAt = Date.now();
    // Its own process group: a Ctrl+C in the terminal reaches the simulator, which stops ffmpeg itself.
    const child = spawn(command, args, { cwd: camera.directory, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    camera.process = child;
    child.stderr!.on('data', (chunk: Buffer) => keepTail(camera, chunk));
    camera.exited = new Promise<void>((resolve) => {
      let ended = false;
      const end = (description: string) => {
        if (ended) return;
        ended = true;
        resolve();
        // During startCamera, waitUntilServed reports the death as the start's failure instead.
        if (camera.process === child && camera.live && !camera.starting && !stopping) scheduleRestart(camera, description);
      };
      // 'error' also comes when a signal cannot be sent; a listener stays so that none is unhandled.
      child.on('error', (error) => end(`could not be started: ${error.message}`));
      child.once('exit', (code, signal) => end(signal ? `was ended by ${signal}` : `exited with code ${code}`));
    });
  }

  function scheduleRestart(camera: CameraRuntime, description: string): void {
    const ranMs = Date.now() - camera.startedAt;
    camera.failures = ranMs >= HEALTHY_RUN_MS ? 0 : camera.failures + 1;
    const delay = Math.min(RESTART_DELAY_LIMIT_MS, restartDelayMs * 2 ** Math.max(0, camera.failures - 1));
    const tail = camera.stderrTail.slice(-5).join(' | ');
    log(`${camera.code}: ffmpeg ${description} after ${(ranMs / 1000).toFixed(1)} s${tail ? ` (${tail})` : ''}; restarting in ${(delay / 1000).toFixed(1)} s`);
    camera.restartTimer = setTimeout(() => {
      camera.restartTimer = undefined;
      camera.queue = camera.queue.then(async () => {
        if (!camera.live || stopping || running(camera.process)) return;
        try {
          await launch(camera);
          log(`${camera.code}: ffmpeg restarted (pid ${camera.process?.pid})`);
        } catch (error) {
          log(`${camera.code}: restart failed: ${(error as Error).message}`);
          scheduleRestart(camera, 'could not be restarted');
        }
      });
    }, delay);
  }

  async function waitUntilServed(camera: CameraRuntime): Promise<void> {
    const child = camera.process;
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (camera.process !== child || !running(child)) {
        throw new Error(`camera simulator: ffmpeg of ${camera.code} exited before its stream was ready: ${camera.stderrTail.slice(-5).join(' | ') || 'no message'}`);
      }
      try {
        if (countSegments(await fs.promises.readFile(path.join(camera.directory, PLAYLIST_FILE), 'utf8')) >= 2) return;
      } catch {
        // no playlist yet
      }
      if (Date.now() > deadline) {
        throw new Error(
          `camera simulator: ${camera.code} had no playlist with 2 segments after ${readyTimeoutMs} ms (a busy machine? raise readyTimeoutMs)` +
            `${camera.stderrTail.length ? `: ${camera.stderrTail.slice(-5).join(' | ')}` : ''}`,
        );
      }
      await sleep(100);
    }
  }

  async function halt(camera: CameraRuntime): Promise<void> {
    camera.live = false;
    clearTimeout(camera.restartTimer);
    camera.restartTimer = undefined;
    const child = running(camera.process);
    if (child) {
      child.kill('SIGTERM');
      const forceful = setTimeout(() => running(child)?.kill('SIGKILL'), STOP_GRACE_MS);
      await camera.exited;
      clearTimeout(forceful);
    }
    camera.process = undefined;
    await fs.promises.rm(camera.directory, { recursive: true, force: true });
  }

  function inQueue(camera: CameraRuntime, work: () => Promise<void>): Promise<void> {
    const result = camera.queue.then(work);
    camera.queue = result.catch(() => undefined);
    return result;
  }

  function startCamera(camera: CameraRuntime): Promise<void> {
    return inQueue(camera, async () => {
      if (stopping) throw new Error('camera simulator: stopped');
      if (camera.live && running(camera.process)) return waitUntilServed(camera);
      // Live but between a death and its restart: start now, in place of the pending restart.
      clearTimeout(camera.restartTimer);
      camera.restartTimer = undefined;
      camera.live = true;
      camera.failures = 0;
      camera.starting = true;
      try {
        await launch(camera);
        await waitUntilServed(camera);
      } catch (error) {
        await halt(camera);
        throw error;
      } finally {
        camera.starting = false;
      }
    });
  }

  function cameraOf(code: string): CameraRuntime {
    const camera = cameras.get(code);
    if (camera === undefined) throw new Error(`camera simulator: no camera ${code} (cameras: ${[...cameras.keys()].join(', ')})`);
    return camera;
  }

  async function stop(): Promise<void> {
    stopping ??= (async () => {
      await Promise.all([...cameras.values()].map((camera) => inQueue(camera, () => halt(camera))));
      await closeServer(server);
      await fs.promises.rm(workDirectory, { recursive: true, force: true });
      process.off('exit', killOnExit);
    })();
    return stopping;
  }

  let baseUrl: string;
  try {
    await listen(server, requestedPort, host);
    server.on('error', (error) => log(`HTTP server: ${error.message}`));
    const { port } = server.address() as AddressInfo;
    baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    await Promise.all([...cameras.values()].map((camera) => startCamera(camera)));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    baseUrl,
    cameras: [...cameras.values()].map((camera) => ({ code: camera.code, name: camera.name, url: `${baseUrl}${camera.playlistPath}` })),
    workDirectory,
    servedRequests: () => served,
    streamUrl: (code) => `${baseUrl}${cameraOf(code).playlistPath}`,
    ffmpegProcessId: (code) => {
      return running(cameraOf(code).process)?.pid;
    },
    stopCamera: async (code) => {
      const camera = cameraOf(code);
      return inQueue(camera, () => halt(camera));
    },
    startCamera: async (code) => startCamera(cameraOf(code)),
    stop,
  };
}
