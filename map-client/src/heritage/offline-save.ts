import type { HeritageSite } from '@bandoso/contracts';
import { gltfLinks, tilesetLinks } from './tileset-walk.ts';

/**
 * "Save for offline": a site's tour (its API answer), its tileset.json, every tile content and the
 * tour's own scripts go into one named cache per site. The service worker (sw.ts) answers
 * /heritage/tilesets/… and /assets/… from any cache first, and /api/heritage/{code} from this one
 * when the network does not answer; so the tour opens and plays with no connection.
 */
export const heritageCachePrefix = 'bandoso-heritage-';
export const heritageCacheName = (code: string): string => `${heritageCachePrefix}${code}`;
/** Written last, once everything is in: the cache is complete for this tileset version. */
const markerUrl = (code: string) => new URL(`/heritage/offline/${encodeURIComponent(code)}.json`, location.origin).href;

export interface SavedTour {
  code: string;
  tilesetVersion: string | null;
  savedAt: string;
  files: number;
  bytes: number;
}

export function offlineSaveSupported(): boolean {
  return typeof caches !== 'undefined' && typeof navigator !== 'undefined' && 'serviceWorker' in navigator;
}

/** What was saved for a site, if a save completed. */
export async function savedTour(code: string): Promise<SavedTour | undefined> {
  if (!offlineSaveSupported() || !(await caches.has(heritageCacheName(code)))) return undefined;
  const cache = await caches.open(heritageCacheName(code));
  const marker = await cache.match(markerUrl(code));
  return marker ? ((await marker.json()) as SavedTour) : undefined;
}

export async function forgetSavedTour(code: string): Promise<void> {
  if (offlineSaveSupported()) await caches.delete(heritageCacheName(code));
}

export class OfflineSaveError extends Error {
  constructor(
    readonly url: string,
    readonly status: number | undefined,
  ) {
    super(`could not save ${url}${status ? ` (HTTP ${status})` : ''}`);
    this.name = 'OfflineSaveError';
  }
}

export interface SaveOptions {
  /** The site's API URL as the page asks for it (/api/heritage/{code}). */
  apiUrl: string;
  /** Called after each file: how many are in, out of how many known so far. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Saves a site's tour; answers what was saved. A failure leaves the previous save's marker untouched. */
export async function saveTourForOffline(site: HeritageSite, { apiUrl, onProgress, signal }: SaveOptions): Promise<SavedTour> {
  const cache = await caches.open(heritageCacheName(site.code));
  const queued = new Set<string>();
  const queue: string[] = [];
  const enqueue = (url: string) => {
    const absolute = new URL(url, location.origin).href;
    if (queued.has(absolute)) return;
    queued.add(absolute);
    queue.push(absolute);
  };
  enqueue(apiUrl);
  if (site.tileset) enqueue(site.tileset.url);
  for (const asset of loadedAppAssets()) enqueue(asset);

  let done = 0;
  let bytes = 0;
  onProgress?.(done, queued.size);
  const saveOne = async (url: string) => {
    let response: Response;
    try {
      response = await fetch(url, { ...(signal ? { signal } : {}), credentials: 'same-origin' });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new OfflineSaveError(url, undefined);
    }
    if (!response.ok) throw new OfflineSaveError(url, response.status);
    const body = new Uint8Array(await response.clone().arrayBuffer());
    await cache.put(url, response);
    bytes += body.byteLength;
    const path = new URL(url).pathname;
    if (path.startsWith('/heritage/tilesets/')) {
      if (/\.json$/i.test(path)) {
        const links = tilesetLinks(JSON.parse(new TextDecoder().decode(body)), url);
        for (const link of [...links.tilesets, ...links.contents]) enqueue(link);
      } else if (/\.(glb|gltf)$/i.test(path)) {
        for (const link of gltfLinks(body, url)) enqueue(link);
      }
    }
    done += 1;
    onProgress?.(done, queued.size);
  };

  // Four at a time: enough to fill a slow link, few enough to leave room for the tour itself.
  let next = 0;
  const worker = async () => {
    while (next < queue.length) await saveOne(queue[next++]!);
  };
  // A worker stops when the queue is empty, though another may still add to it: go round again.
  while (next < queue.length) await Promise.all(Array.from({ length: 4 }, worker));

  const saved: SavedTour = { code: site.code, tilesetVersion: site.tileset?.version ?? null, savedAt: new Date().toISOString(), files: done, bytes };
  await cache.put(markerUrl(site.code), new Response(JSON.stringify(saved), { headers: { 'Content-Type': 'application/json' } }));
  // A previous version's files are no longer needed.
  const keep = new Set([...queued, markerUrl(site.code)]);
  for (const request of await cache.keys()) if (!keep.has(request.url)) await cache.delete(request);
  return saved;
}

/**
 * The page's own scripts and styles loaded so far (the tour's chunks, three.js): the service worker
 * precaches the app shell, not the tour's chunks, so they are saved with the tour.
 */
function loadedAppAssets(): string[] {
  if (typeof performance === 'undefined') return [];
  return performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name, location.origin))
    .filter((url) => url.origin === location.origin && url.pathname.startsWith('/assets/') && /\.(js|mjs|css)$/.test(url.pathname))
    .map((url) => url.origin + url.pathname);
}
