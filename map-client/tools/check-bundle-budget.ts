/**
 * The weight budget of the map client, checked after every `vite build` (npm run build) and by a test.
 *
 * - The citizen entry (the page's script and everything it imports statically, plus its CSS) stays
 *   within the budget in gzip bytes: it is what a phone on 3G downloads before the map appears.
 * - deck.gl, luma.gl, three.js and hls.js never reach that static graph: they load with their views;
 *   nor do exifr (photos) and idb (the report queue): they load when a report is written or queued.
 * - A chunk the service worker precaches (works offline) imports only precached chunks: a shared
 *   chunk Rollup splits out of two views would otherwise be missing offline.
 * - The heritage 3D code (three.js + 3d-tiles-renderer) loads with a tour or the in-map layer: each
 *   of those, with everything it imports beyond the entry, stays within its own gzip budget; the tour
 *   page itself (text, buttons) stays free of three.js, so the narration shows before the model loads.
 * - hls.js is a chunk of its own, fetched by the camera player with import() when a stream starts
 *   (not when a camera's panel opens, nor with the IOC dashboard); a camera's panel with the player,
 *   hls.js and its demuxing worker stays within its gzip budget.
 * - The staff views (the office desk, the admin console) are chunks of their own, each with what it
 *   loads beyond the entry (its modules, messages and CSS) within its own gzip budget.
 * - zod stays out of the entry: the client imports only types from the `*.contract.ts` files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const budgets = Object.freeze({
  /** Entry JavaScript (MapLibre is ~295 kB of it). */
  entryScriptGzipBytes: 330 * 1024,
  entryStyleGzipBytes: 20 * 1024,
  /** MapLibre's worker, fetched by the entry at start. */
  mapWorkerGzipBytes: 160 * 1024,
  /** A heritage tour's 3D part or the in-map 3D layer: three.js, 3d-tiles-renderer and our code, beyond the entry. */
  heritage3dGzipBytes: 250 * 1024,
  /** A tour's page (tour.html): its scripts and CSS, before three.js; no MapLibre. */
  tourPageGzipBytes: 60 * 1024,
  /** A camera's panel or the video wall, with the player, hls.js (light) and its worker, beyond the entry. */
  cameraPlayerGzipBytes: 180 * 1024,
  /** The office's desk (`/office`): its view, the desk's modules, messages and CSS, beyond the entry. */
  officeDeskGzipBytes: 40 * 1024,
  /** The admin console (`/admin`): likewise. */
  adminConsoleGzipBytes: 60 * 1024,
});

/** The build's two pages (vite.config.ts `build.rollupOptions.input`): the map, and a site's tour. */
export const mapEntry = 'index.html';
export const tourEntry = 'tour.html';

/** The modules that bring three.js and 3d-tiles-renderer, each loaded with import() (heritage/). */
export const heritage3dModules = ['src/heritage/tour-scene.ts', 'src/heritage/heritage-3d-layer.ts'] as const;
/** Loaded before them, and kept free of three.js: the tour page's entry and the /heritage view. */
export const heritagePageModules = [tourEntry, 'src/views/heritage-view.ts'] as const;

/** What opens a camera's player (cameras/camera-loaders.ts), each loaded with import(). */
export const cameraPlayerModules = ['src/cameras/camera-panel.ts', 'src/cameras/video-wall.ts'] as const;
/** The module that fetches hls.js (with import()), in the chunk vite.config.ts names `camera-player-*.js`: the only one allowed to load it. */
export const hlsLoaderModule = 'src/cameras/camera-stream-player.ts';
const hlsLoaderChunk = /(^|\/)camera-player-[\w-]+\.js$/;

/** Packages that must stay out of the entry's static import graph. */
export const lazyOnlyPackages = ['@deck.gl/', '@luma.gl/', 'three', '3d-tiles-renderer', 'hls.js', 'exifr', 'idb'] as const;

/** The staff views, each loaded with import() (views/lazy-views.ts), and their budgets. */
/**
 * The staff views: each is a chunk with its sign-in form, which fetches its working parts with import()
 * once a member of staff has signed in. The budget holds both together: what a signed-in officer or
 * admin downloads beyond the entry.
 */
export const staffViewModules = {
  'src/views/office-view.ts': { budget: 'officeDeskGzipBytes', afterSignIn: 'src/office/office-desk-parts.ts' },
  'src/views/admin-view.ts': { budget: 'adminConsoleGzipBytes', afterSignIn: 'src/admin/admin-console.ts' },
} as const satisfies Record<string, { budget: keyof typeof budgets; afterSignIn: string }>;

interface ManifestChunk {
  file: string;
  src?: string;
  name?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  assets?: string[];
}

export interface ChunkSize {
  file: string;
  role: 'entry script' | 'entry style' | 'map worker' | 'tour page' | 'lazy';
  bytes: number;
  gzipBytes: number;
  /** For lazy chunks: the view or module that loads it. */
  loadedBy?: string;
}

export interface BudgetReport {
  chunks: ChunkSize[];
  entryScriptGzipBytes: number;
  entryStyleGzipBytes: number;
  mapWorkerGzipBytes: number;
  /** Per heritage 3D module: the gzip bytes of its chunk and the chunks it imports, beyond the entry. */
  heritage3dGzipBytes: Record<string, number>;
  /** The tour page's scripts and CSS (tour.html's static graph), gzip. */
  tourPageGzipBytes: number;
  /** Per camera module: its chunks beyond the entry, hls.js and hls.js's worker, gzip. */
  cameraPlayerGzipBytes: Record<string, number>;
  /** The chunk hls.js is in. */
  hlsChunk?: string;
  /** Per staff view (office desk, admin console): its chunks and their CSS beyond the entry, gzip. */
  staffViewGzipBytes: Record<string, number>;
  problems: string[];
}

export function checkBundleBudget(distDirectory: string): BudgetReport {
  const manifestPath = path.join(distDirectory, 'build-manifest.json');
  if (!fs.existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: run vite build first`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;
  const size = (file: string) => {
    const content = fs.readFileSync(path.join(distDirectory, file));
    return { bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  };

  if (!manifest[mapEntry]?.isEntry) throw new Error(`the build has no entry for ${mapEntry}`);
  /** An entry with everything it imports statically (manifest keys). */
  const staticGraphOf = (entry: string) => {
    const graph = new Set<string>();
    const visit = (key: string) => {
      if (graph.has(key)) return;
      graph.add(key);
      for (const imported of manifest[key]?.imports ?? []) visit(imported);
    };
    visit(entry);
    return graph;
  };
  const staticGraph = staticGraphOf(mapEntry);
  const tourGraph = manifest[tourEntry]?.isEntry ? staticGraphOf(tourEntry) : new Set<string>();

  const chunks: ChunkSize[] = [];
  const problems: string[] = [];
  const entryFiles = new Set<string>();
  for (const key of staticGraph) {
    const chunk = manifest[key]!;
    entryFiles.add(chunk.file);
    chunks.push({ file: chunk.file, role: 'entry script', ...size(chunk.file) });
    for (const css of chunk.css ?? []) chunks.push({ file: css, role: 'entry style', ...size(css) });
    for (const asset of chunk.assets ?? []) if (/maplibre-gl-worker/.test(asset)) chunks.push({ file: asset, role: 'map worker', ...size(asset) });
    for (const name of lazyOnlyPackages) {
      if (key.includes(`node_modules/${name}`)) problems.push(`${key} (${name}) is in the entry's static import graph: import it with import() from its view`);
    }
  }
  // Modules bundled into an entry chunk are not manifest keys; look for their code by marker too.
  for (const file of entryFiles) {
    const code = fs.readFileSync(path.join(distDirectory, file), 'utf8');
    if (/luma\.gl|deck\.gl|@deck\.gl/.test(code) && /MapboxOverlay|Deck\b/.test(code)) problems.push(`${file} contains deck.gl code`);
    if (/WebGLRenderer/.test(code) && /THREE|three\.module/.test(code)) problems.push(`${file} contains three.js code`);
    if (/hls\.js|Hls\.isSupported|hlsManifestParsed/.test(code)) problems.push(`${file} contains hls.js code`);
    if (/\$ZodType|ZodError/.test(code)) problems.push(`${file} contains zod: import only types from @bandoso/contracts' *.contract.ts files (their values bring zod with them)`);
  }
  // The tour page: small, and without MapLibre (a QR code at the gate opens it on one bar of signal).
  if (!manifest[tourEntry]?.isEntry) problems.push(`the build has no entry for ${tourEntry} (vite.config.ts build.rollupOptions.input)`);
  for (const key of tourGraph) {
    const chunk = manifest[key]!;
    if (!staticGraph.has(key)) chunks.push({ file: chunk.file, role: 'tour page', ...size(chunk.file) });
    if (key.includes('node_modules/maplibre-gl') || /maplibregl|maplibre-gl-worker/.test(fs.readFileSync(path.join(distDirectory, chunk.file), 'utf8'))) problems.push(`${chunk.file} (loaded by ${tourEntry}) contains MapLibre: the tour page must not import the map`);
  }
  const tourFiles = new Set([...tourGraph].flatMap((key) => [manifest[key]!.file, ...(manifest[key]!.css ?? [])]));
  const tourPageGzipBytes = [...tourFiles].reduce((total, file) => total + size(file).gzipBytes, 0);
  for (const [key, chunk] of Object.entries(manifest)) {
    if (staticGraph.has(key) || tourGraph.has(key) || !chunk.file.endsWith('.js')) continue;
    const loader = Object.entries(manifest).find(([, other]) => other.dynamicImports?.includes(key))?.[0];
    chunks.push({ file: chunk.file, role: 'lazy', ...size(chunk.file), ...(loader ? { loadedBy: loader } : {}) });
  }

  problems.push(...offlineGaps(distDirectory, manifest));

  // What a tour (or the in-map layer) downloads for its 3D part: its chunk and, recursively, the
  // chunks it imports statically, except those the entry already loaded.
  const closureKeys = (key: string) => {
    const seen = new Set<string>();
    const walk = (current: string) => {
      if (seen.has(current) || staticGraph.has(current) || tourGraph.has(current) || !manifest[current]) return;
      seen.add(current);
      for (const imported of manifest[current]!.imports ?? []) walk(imported);
    };
    walk(key);
    return [...seen];
  };
  const closure = (key: string) => closureKeys(key).map((item) => manifest[item]!.file);
  const heritage3dGzipBytes: Record<string, number> = {};
  for (const module of heritage3dModules) {
    if (!manifest[module]) {
      problems.push(`${module} is not a chunk of its own: load it with import()`);
      continue;
    }
    const files = closure(module);
    heritage3dGzipBytes[module] = files.reduce((total, file) => total + size(file).gzipBytes, 0);
    if (heritage3dGzipBytes[module]! > budgets.heritage3dGzipBytes) problems.push(`${module} with its chunks (${files.join(', ')}) is ${kib(heritage3dGzipBytes[module]!)} gzipped, over the budget of ${kib(budgets.heritage3dGzipBytes)}: import only what it uses from three.js and 3d-tiles-renderer`);
  }
  for (const module of heritagePageModules) {
    if (!manifest[module]) continue;
    const files = module === tourEntry ? [...tourGraph].map((key) => manifest[key]!.file) : closure(module);
    for (const file of files) {
      const code = fs.readFileSync(path.join(distDirectory, file), 'utf8');
      if (/WebGLRenderer/.test(code) || /TilesRenderer/.test(code)) problems.push(`${file} (loaded by ${module}) contains three.js or 3d-tiles-renderer: import them from heritage/tour-scene.ts or heritage/heritage-3d-layer.ts only`);
    }
  }

  // hls.js: a chunk of its own, imported by nothing statically, fetched only by the stream player.
  const hlsKey = Object.keys(manifest).find((key) => key.includes('node_modules/hls.js/') && !/\.worker\./.test(key));
  const hlsChunk = hlsKey ? manifest[hlsKey]!.file : undefined;
  const cameraPlayerGzipBytes: Record<string, number> = {};
  if (!hlsKey) problems.push('hls.js is not a chunk of its own: load it with import() from the camera player');
  else {
    for (const [key, chunk] of Object.entries(manifest)) {
      if (chunk.imports?.includes(hlsKey)) problems.push(`${chunk.file} imports hls.js statically: only ${hlsLoaderModule} may fetch it, with import()`);
      if (chunk.dynamicImports?.includes(hlsKey) && chunk.src !== hlsLoaderModule && !hlsLoaderChunk.test(chunk.file)) problems.push(`${chunk.file} loads hls.js: only ${hlsLoaderModule} should`);
      if (key !== hlsKey && !/hls\.worker/.test(key) && chunk.file.endsWith('.js') && /hlsManifestParsed/.test(fs.readFileSync(path.join(distDirectory, chunk.file), 'utf8'))) problems.push(`${chunk.file} contains hls.js code besides its own chunk ${hlsChunk}`);
    }
    const hlsWorker = Object.values(manifest).flatMap((chunk) => chunk.assets ?? []).find((asset) => /hls\.worker/.test(asset));
    const hlsFiles = [hlsChunk!, ...(hlsWorker ? [hlsWorker] : [])];
    for (const module of cameraPlayerModules) {
      if (!manifest[module]) {
        problems.push(`${module} is not a chunk of its own: load it with import() (cameras/camera-loaders.ts)`);
        continue;
      }
      const files = [...new Set([...closure(module), ...hlsFiles])];
      cameraPlayerGzipBytes[module] = files.reduce((total, file) => total + size(file).gzipBytes, 0);
      if (cameraPlayerGzipBytes[module]! > budgets.cameraPlayerGzipBytes) problems.push(`${module} with its chunks, hls.js and its worker (${files.join(', ')}) is ${kib(cameraPlayerGzipBytes[module]!)} gzipped, over the budget of ${kib(budgets.cameraPlayerGzipBytes)}`);
    }
  }

  // The staff views: what opening one downloads beyond the entry (its chunks and their CSS).
  const staffViewGzipBytes: Record<string, number> = {};
  for (const [module, { budget, afterSignIn }] of Object.entries(staffViewModules)) {
    if (!manifest[module]) {
      problems.push(`${module} is not a chunk of its own: load it with import() (views/lazy-views.ts)`);
      continue;
    }
    if (!manifest[afterSignIn]) {
      problems.push(`${afterSignIn} is not a chunk of its own: ${module} loads it with import() after sign-in`);
      continue;
    }
    if (closureKeys(module).includes(afterSignIn)) problems.push(`${module} imports ${afterSignIn} statically: it must wait for sign-in (import())`);
    const keys = [...new Set([...closureKeys(module), ...closureKeys(afterSignIn)])];
    const files = [...new Set(keys.flatMap((key) => [manifest[key]!.file, ...(manifest[key]!.css ?? [])]))];
    staffViewGzipBytes[module] = files.reduce((total, file) => total + size(file).gzipBytes, 0);
    if (staffViewGzipBytes[module]! > budgets[budget]) problems.push(`${module} with its chunks and CSS (${files.join(', ')}) is ${kib(staffViewGzipBytes[module]!)} gzipped, over the budget of ${kib(budgets[budget])}`);
  }

  const sum = (role: ChunkSize['role']) => chunks.filter((chunk) => chunk.role === role).reduce((total, chunk) => total + chunk.gzipBytes, 0);
  const report: BudgetReport = { chunks, entryScriptGzipBytes: sum('entry script'), entryStyleGzipBytes: sum('entry style'), mapWorkerGzipBytes: sum('map worker'), heritage3dGzipBytes, tourPageGzipBytes, cameraPlayerGzipBytes, ...(hlsChunk ? { hlsChunk } : {}), staffViewGzipBytes, problems };
  if (tourPageGzipBytes > budgets.tourPageGzipBytes) problems.push(`the tour page (${tourEntry}: ${[...tourFiles].join(', ')}) is ${kib(tourPageGzipBytes)} gzipped, over the budget of ${kib(budgets.tourPageGzipBytes)}`);
  if (report.entryScriptGzipBytes > budgets.entryScriptGzipBytes) problems.push(`entry scripts are ${kib(report.entryScriptGzipBytes)} gzipped, over the budget of ${kib(budgets.entryScriptGzipBytes)}`);
  if (report.entryStyleGzipBytes > budgets.entryStyleGzipBytes) problems.push(`entry CSS is ${kib(report.entryStyleGzipBytes)} gzipped, over the budget of ${kib(budgets.entryStyleGzipBytes)}`);
  if (report.mapWorkerGzipBytes > budgets.mapWorkerGzipBytes) problems.push(`the map worker is ${kib(report.mapWorkerGzipBytes)} gzipped, over the budget of ${kib(budgets.mapWorkerGzipBytes)}`);
  return report;
}

/** Static imports of precached chunks that the service worker does not precache (dist/sw.js lists what it does). */
function offlineGaps(distDirectory: string, manifest: Record<string, ManifestChunk>): string[] {
  const worker = path.join(distDirectory, 'sw.js');
  if (!fs.existsSync(worker)) return [];
  const precached = new Set([...fs.readFileSync(worker, 'utf8').matchAll(/"url":"([^"]+)"/g)].map((match) => match[1]!));
  const gaps: string[] = [];
  for (const chunk of Object.values(manifest)) {
    if (!precached.has(chunk.file)) continue;
    for (const imported of chunk.imports ?? []) {
      const file = manifest[imported]?.file;
      if (file && !precached.has(file)) gaps.push(`${chunk.file} works offline but imports ${file}, which the service worker does not precache: add it to injectManifest.globPatterns (vite.config.ts)`);
    }
  }
  return gaps;
}

export function formatBudgetReport(report: BudgetReport): string {
  const lines = report.chunks
    .sort((a, b) => a.role.localeCompare(b.role) || b.gzipBytes - a.gzipBytes)
    .map((chunk) => `  ${chunk.role.padEnd(12)} ${chunk.file.padEnd(48)} ${kib(chunk.bytes).padStart(10)} ${kib(chunk.gzipBytes).padStart(10)} gzip${chunk.loadedBy ? `  ← ${chunk.loadedBy}` : ''}`);
  return [
    'map-client bundle (gzip -9):',
    ...lines,
    `  entry scripts ${kib(report.entryScriptGzipBytes)} / ${kib(budgets.entryScriptGzipBytes)}; entry CSS ${kib(report.entryStyleGzipBytes)} / ${kib(budgets.entryStyleGzipBytes)}; map worker ${kib(report.mapWorkerGzipBytes)} / ${kib(budgets.mapWorkerGzipBytes)}`,
    `  tour page (${tourEntry}, scripts and CSS) ${kib(report.tourPageGzipBytes)} / ${kib(budgets.tourPageGzipBytes)}`,
    ...Object.entries(report.heritage3dGzipBytes).map(([module, bytes]) => `  heritage 3D: ${module} with its chunks ${kib(bytes)} / ${kib(budgets.heritage3dGzipBytes)}`),
    ...Object.entries(report.cameraPlayerGzipBytes).map(([module, bytes]) => `  camera player: ${module} with its chunks, hls.js (${report.hlsChunk}) and its worker ${kib(bytes)} / ${kib(budgets.cameraPlayerGzipBytes)}`),
    ...Object.entries(report.staffViewGzipBytes).map(([module, bytes]) => `  staff view: ${module} and, after sign-in, ${staffViewModules[module as keyof typeof staffViewModules].afterSignIn}, with their chunks and CSS ${kib(bytes)} / ${kib(budgets[staffViewModules[module as keyof typeof staffViewModules].budget])}`),
  ].join('\n');
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const report = checkBundleBudget(fileURLToPath(new URL('../dist/', import.meta.url)));
  console.log(formatBudgetReport(report));
  if (report.problems.length) {
    console.error(`\nOver budget:\n${report.problems.map((problem) => `  - ${problem}`).join('\n')}`);
    process.exit(1);
  }
}
