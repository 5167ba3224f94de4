import type { Map as MapLibreMap, MapSourceDataEvent, VectorTileSource } from 'maplibre-gl';

/**
 * What the first visit loaded, handed to the service worker once it runs.
 *
 * The service worker installs after the page has loaded (register-service-worker.ts), so everything
 * the first visit asked for (the client config, the /tiles catalog, the layers' TileJSON, the glyphs,
 * the tiles on screen) went past it: nothing was cached, and a reload offline drew a blank map. When
 * the worker takes control of the page, the page asks for those URLs again through it; its runtime
 * routes (sw.ts) keep them, each in its cache. The browser's HTTP cache answers most of them, so this
 * costs little network.
 *
 * The page's own requests are in the Resource Timing entries; the tiles are not (MapLibre fetches
 * them from its worker), so the map's loaded tiles are recorded from its `sourcedata` events.
 */

/** Same-origin GET requests a later visit needs offline: what sw.ts routes to its runtime caches. */
const worthKeeping = (pathname: string) =>
  pathname === '/api/client-config' ||
  pathname === '/api/categories' ||
  pathname === '/api/planning/plans' ||
  pathname === '/tiles' ||
  /^\/tiles\/[\w-]+\.json$/.test(pathname) ||
  /^\/tiles\/[\w-]+\/\d+\/\d+\/\d+/.test(pathname) ||
  pathname.startsWith('/fonts/') ||
  pathname.startsWith('/assets/');

const tileUrls = new Set<string>();
/** Set once the first visit was handed over: tiles loaded later in this visit follow one by one. */
let handOver: ((url: string) => void) | undefined;
/** At most this many tiles (a first visit's screens; the SW keeps up to 3000). */
const maxTiles = 600;

/** The maps of this page: their sources' TileJSON URLs are part of what a later visit needs. */
const maps = new Set<MapLibreMap>();

/** Records the tiles the map loads (their URLs, from the source's TileJSON template). */
export function recordLoadedTiles(map: MapLibreMap): void {
  maps.add(map);
  map.on('sourcedata', (event: MapSourceDataEvent) => {
    const canonical = (event.coord as { canonical?: { z: number; x: number; y: number } } | undefined)?.canonical;
    if (!event.tile || !canonical || tileUrls.size >= maxTiles) return;
    const template = map.getSource<VectorTileSource>(event.sourceId)?.tiles?.[0];
    if (!template) return;
    const url = template.replace('{z}', String(canonical.z)).replace('{x}', String(canonical.x)).replace('{y}', String(canonical.y));
    if (tileUrls.has(url)) return;
    tileUrls.add(url);
    handOver?.(url);
  });
}

/** The URLs of this page's first visit that sw.ts keeps, same origin only. */
export function firstVisitUrls(): string[] {
  const urls = new Set<string>();
  const consider = (href: string) => {
    try {
      const url = new URL(href, location.href);
      if (url.origin === location.origin && worthKeeping(url.pathname)) urls.add(url.href);
    } catch {
      // not a URL
    }
  };
  for (const entry of performance.getEntriesByType('resource')) consider(entry.name);
  for (const href of tileUrls) consider(href);
  // MapLibre asks for the TileJSON from its worker: not in this page's Resource Timing.
  for (const map of maps) {
    for (const source of Object.values(map.getStyle()?.sources ?? {})) if ('url' in source && typeof source.url === 'string') consider(source.url);
  }
  return [...urls];
}

/** The Resource Timing buffer holds 250 entries by default: a first visit of the map makes more. */
export function keepResourceEntries(): void {
  performance.setResourceTimingBufferSize?.(3000);
}

/**
 * Asks for `urls` again through the service worker that now controls the page (a few at a time), then
 * marks the page (`data-offline-ready` on <html>): a reload without a connection draws this view.
 */
export async function handFirstVisitToServiceWorker(urls: readonly string[] = firstVisitUrls()): Promise<number> {
  let kept = 0;
  const queue = [...urls];
  // MapLibre's worker started before the service worker and may stay outside it for this visit.
  handOver = (url) => void fetch(url, { credentials: 'same-origin', cache: 'force-cache' }).catch(() => undefined);
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      try {
        const response = await fetch(url, { credentials: 'same-origin', cache: 'force-cache' });
        if (response.ok || response.status === 204) kept += 1;
      } catch {
        // Offline again, or gone: the next visit caches it as it goes.
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  document.documentElement.dataset.offlineReady = 'true';
  return kept;
}
