/**
 * npm run bench:heritage
 *
 * A heritage tour against its baseline, in one run: a bare page that does nothing but draw the same
 * tileset with three.js and 3d-tiles-renderer (scripts/src/bench/heritage-bare/, built here with
 * Vite). For each site with a tileset, alternately and each in a fresh browser context (cold cache):
 *
 * - time to the first frame with tile content, from navigation start: the tour (page shell, GET
 *   /api/heritage/{code}, the 3D chunk, the tileset) against the bare page (the tileset only), from
 *   the first stop's camera pose in both; the goal is ≤ 1.5×;
 * - frames per second while the camera moves: the tour's flights from stop to stop against the bare
 *   page orbiting continuously;
 * - the sizes: the 3D chunk (gzip) and each tileset (first level, whole site).
 *
 * Chromium here renders WebGL on the CPU (SwiftShader), so frame rates are far below a phone's GPU:
 * read them as a ratio. BENCH_RUNS sets the runs per site (default 5).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { HeritageSite, HeritageSiteList } from '@bandoso/contracts';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { openEmbeddedDatabase } from '../../../api/src/db/database.ts';
import { prepareDatabase } from '../../../api/src/prepare-database.ts';
import { freePort } from '../../../api/src/testing/free-port.ts';
import { startTestServer } from '../../../api/src/testing/test-server.ts';
import { checkTileset, readTilesetFolder } from '../../../gis-data/src/heritage/index.ts';
import { checkBundleBudget, heritage3dModules } from '../../../map-client/tools/check-bundle-budget.ts';
import { distDirectory, ensureClientBuild } from '../../../map-client/tools/client-build.ts';
import { desktopViewport, launchBrowser, newContext } from '../e2e/browser.ts';
import { percentile, printTable } from './bench-statistics.ts';

const runs = Number(process.env.BENCH_RUNS ?? 5);
/** Runs per site on the emulated mobile network (each takes ≈ 5 s). */
const mobileRuns = Number(process.env.BENCH_MOBILE_RUNS ?? 3);
/**
 * A phone on mobile data at a site (Chromium's network emulation, for both pages alike): what the
 * tour is for. On the bare loopback the pages are bound by the CPU instead, which the tour's own
 * page (text, buttons, the site's data) spends more of.
 */
const mobileNetwork = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
type Network = typeof mobileNetwork | undefined;

/** A page in a fresh context, on the given network (none: loopback as it is). */
async function openPage(browser: Browser, network: Network) {
  const context = await newContext(browser, { viewport: desktopViewport });
  const page = await context.newPage();
  if (network) {
    const session = await context.newCDPSession(page);
    await session.send('Network.enable');
    await session.send('Network.emulateNetworkConditions', network);
  }
  return { context, page };
}
const fpsWindowMs = 8000;
const bareRoot = fileURLToPath(new URL('./heritage-bare/', import.meta.url));

const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 0.5);

async function buildBarePage(): Promise<string> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heritage-bare-'));
  await build({ root: bareRoot, base: './', logLevel: 'error', configFile: false, build: { outDir, emptyOutDir: true, target: 'es2022' } });
  return outDir;
}

/**
 * A static server for the bare page (its own origin; the tileset is fetched cross-origin, as CORS
 * allows). Scripts are gzipped for browsers that accept it, as the platform serves the tour's.
 */
async function serveDirectory(directory: string): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = path.join(directory, pathname === '/' ? 'index.html' : path.normalize(pathname).replace(/^([/\\])+/, ''));
    if (!file.startsWith(directory) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      response.writeHead(404).end();
      return;
    }
    const content = fs.readFileSync(file);
    const type = types[path.extname(file)] ?? 'application/octet-stream';
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? '')) && file.endsWith('.js')) {
      response.writeHead(200, { 'Content-Type': type, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' }).end(gzipSync(content, { level: 9 }));
      return;
    }
    response.writeHead(200, { 'Content-Type': type }).end(content);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** What the tour page exposes for tests and this benchmark (map-client/src/heritage/tour-page.ts). */
interface TourHandle {
  firstTileFrame(): Promise<void>;
  stopIndex(): number;
  frames(): number;
  flying(): boolean;
}

interface Sample {
  firstFrameMs: number;
}

async function tourFirstFrame(browser: Browser, baseUrl: string, code: string, network?: Network): Promise<Sample> {
  const { context, page } = await openPage(browser, network);
  try {
    await page.goto(`${baseUrl}/heritage/${encodeURIComponent(code)}`);
    await page.waitForFunction(() => (window as unknown as { __heritageTour?: TourHandle }).__heritageTour !== undefined, undefined, { timeout: 60_000 });
    const firstFrameMs = await page.evaluate(async () => {
      await (window as unknown as { __heritageTour: TourHandle }).__heritageTour.firstTileFrame();
      return performance.now();
    });
    return { firstFrameMs };
  } finally {
    await context.close();
  }
}

/** The CSS size of a tour's 3D scene on this viewport (the bare page draws at the same size). */
async function tourStageSize(browser: Browser, baseUrl: string, code: string): Promise<{ width: number; height: number }> {
  const { context, page } = await openPage(browser, undefined);
  try {
    await page.goto(`${baseUrl}/heritage/${encodeURIComponent(code)}`);
    const box = await (await page.waitForSelector('.tour-scene canvas', { timeout: 60_000 })).boundingBox();
    return { width: Math.round(box!.width), height: Math.round(box!.height) };
  } finally {
    await context.close();
  }
}

async function bareFirstFrame(browser: Browser, bareUrl: string, network?: Network): Promise<Sample> {
  const { context, page } = await openPage(browser, network);
  try {
    await page.goto(bareUrl);
    await page.waitForFunction(() => window.__bare?.firstTileFrameAt !== undefined, undefined, { timeout: 60_000 });
    return { firstFrameMs: await page.evaluate(() => window.__bare.firstTileFrameAt!) };
  } finally {
    await context.close();
  }
}

/** Frames per second of the tour while its camera flies from stop to stop (the "next" button, as autoplay moves). */
async function tourFps(browser: Browser, baseUrl: string, code: string): Promise<number> {
  const context = await newContext(browser, { viewport: desktopViewport });
  try {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/heritage/${encodeURIComponent(code)}`);
    await page.waitForFunction(() => (window as unknown as { __heritageTour?: TourHandle }).__heritageTour !== undefined, undefined, { timeout: 60_000 });
    await page.evaluate(() => (window as unknown as { __heritageTour: TourHandle }).__heritageTour.firstTileFrame());
    return await page.evaluate(async (windowMs) => {
      const tour = (window as unknown as { __heritageTour: TourHandle }).__heritageTour;
      const next = document.querySelector<HTMLButtonElement>('.tour-next')!;
      // (No named function here: tsx would wrap it in a helper the page does not have.)
      let flyingMs = 0;
      let flyingFrames = 0;
      const end = performance.now() + windowMs;
      while (performance.now() < end && !next.disabled) {
        next.click();
        const started = performance.now();
        while (!tour.flying() && performance.now() - started < 2000) await new Promise((resolve) => setTimeout(resolve, 20));
        const from = performance.now();
        const frames = tour.frames();
        while (tour.flying()) await new Promise((resolve) => setTimeout(resolve, 20));
        flyingMs += performance.now() - from;
        flyingFrames += tour.frames() - frames;
      }
      return flyingMs > 0 ? (flyingFrames / flyingMs) * 1000 : Number.NaN;
    }, fpsWindowMs);
  } finally {
    await context.close();
  }
}

async function bareFps(browser: Browser, bareUrl: string): Promise<number> {
  const context = await newContext(browser, { viewport: desktopViewport });
  try {
    const page = await context.newPage();
    await page.goto(bareUrl);
    await page.waitForFunction(() => window.__bare?.firstTileFrameAt !== undefined, undefined, { timeout: 60_000 });
    return await page.evaluate(async (windowMs) => {
      const start = performance.now();
      const frames = window.__bare.frames;
      await new Promise((resolve) => setTimeout(resolve, windowMs));
      return ((window.__bare.frames - frames) / (performance.now() - start)) * 1000;
    }, fpsWindowMs);
  } finally {
    await context.close();
  }
}

const built = await ensureClientBuild({ logLevel: 'error' });
if (built.built) console.log(`map client built in ${(built.ms / 1000).toFixed(1)} s`);
const bareDirectory = await buildBarePage();
const bare = await serveDirectory(bareDirectory);
const database = await openEmbeddedDatabase({ dataDir: 'memory://' });
await prepareDatabase(database, { seed: true });
const server = await startTestServer(database);
const browser = await launchBrowser();
try {
  const list = (await (await fetch(`${server.baseUrl}/api/heritage`)).json()) as HeritageSiteList;
  const codes = list.sites.filter((site) => site.tileset).map((site) => site.code);
  const stage = await tourStageSize(browser, server.baseUrl, codes[0]!);
  const timing: Array<Record<string, string | number>> = [];
  const mobileTiming: Array<Record<string, string | number>> = [];
  const fps: Array<Record<string, string | number>> = [];
  const sizes: Array<Record<string, string | number>> = [];
  for (const code of codes) {
    const site = (await (await fetch(`${server.baseUrl}/api/heritage/${encodeURIComponent(code)}`)).json()) as HeritageSite;
    const first = site.stops[0]!;
    const bareUrl = `${bare.baseUrl}/?tileset=${encodeURIComponent(site.tileset!.url)}&position=${first.camera.position.join(',')}&target=${first.camera.target.join(',')}&width=${stage.width}&height=${stage.height}`;
    console.log(`${code}: ${runs} runs, then ${mobileRuns} on a mobile network…`);
    for (const [table, count, network] of [
      [timing, runs, undefined],
      [mobileTiming, mobileRuns, mobileNetwork],
    ] as const) {
      const tourTimes: number[] = [];
      const bareTimes: number[] = [];
      for (let run = 0; run < count; run += 1) {
        // Alternate, so a burst of noise on the shared machine hits both.
        bareTimes.push((await bareFirstFrame(browser, bareUrl, network)).firstFrameMs);
        tourTimes.push((await tourFirstFrame(browser, server.baseUrl, code, network)).firstFrameMs);
      }
      table.push({
        site: code,
        'bare p50 ms': median(bareTimes),
        'tour p50 ms': median(tourTimes),
        'tour / bare': median(tourTimes) / median(bareTimes),
        'bare range ms': `${Math.round(Math.min(...bareTimes))}–${Math.round(Math.max(...bareTimes))}`,
        'tour range ms': `${Math.round(Math.min(...tourTimes))}–${Math.round(Math.max(...tourTimes))}`,
      });
    }
    const bareRate = await bareFps(browser, bareUrl);
    const tourRate = await tourFps(browser, server.baseUrl, code);
    fps.push({ site: code, 'bare fps (orbiting)': bareRate, 'tour fps (flights between stops)': tourRate, 'tour / bare': tourRate / bareRate });

    const files = await readTilesetFolder(path.join(fileURLToPath(new URL('../../../gis-data/build/heritage/', import.meta.url)), code));
    const checked = await checkTileset(files);
    sizes.push({
      site: code,
      tiles: checked.stats.tiles,
      depth: checked.stats.depth,
      'first level KB': checked.stats.firstLevelBytes / 1024,
      'whole site KB': checked.stats.totalBytes / 1024,
      errors: checked.errors.length,
    });
  }
  printTable(`Time to the first frame with the relic, from navigation start (desktop ${desktopViewport.width}×${desktopViewport.height}, both scenes ${stage.width}×${stage.height}, cold cache, loopback, ${runs} runs each, alternating; goal tour / bare ≤ 1.5)`, timing);
  printTable(`The same on a mobile network (${mobileNetwork.latency} ms latency, ${(mobileNetwork.downloadThroughput * 8) / 1024 / 1024} Mbit/s down, Chromium's emulation; ${mobileRuns} runs each)`, mobileTiming);
  printTable(`Frames per second while the camera moves (${fpsWindowMs / 1000} s, SwiftShader: compare the ratio)`, fps);
  printTable('Tileset sizes (goal: first level ≤ 300 KB, whole site ≤ 3 MB)', sizes);
  const report = checkBundleBudget(distDirectory);
  printTable(
    'The 3D chunks (three.js + 3d-tiles-renderer + our code, beyond the entry; goal ≤ 250 KB gzip)',
    heritage3dModules.map((module) => ({ module, 'gzip KB': (report.heritage3dGzipBytes[module] ?? Number.NaN) / 1024 })),
  );
} finally {
  await browser.close();
  await server.close();
  await database.close();
  await bare.close();
  fs.rmSync(bareDirectory, { recursive: true, force: true });
}
