/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst, StaleWhileRevalidate } from 'workbox-strategies';
import { tourCodeFromPath } from '@bandoso/contracts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

/**
 * The map's service worker. Precached: the app shell (page, entry scripts, MapLibre and its worker,
 * icons), so the page opens offline. At run time: glyphs (cache first: they never change within a
 * release), TileJSON and the client config (network first), and every tile the person has seen
 * (stale-while-revalidate; reports tiles network first, they change by the minute).
 * Also precached: the citizen's report screens and the photo preparation, so that a report can be
 * written and queued with no connection (offline/report-queue.ts sends it when the page is back online).
 * Heritage tours saved for offline (heritage/offline-save.ts, one cache per site): their tilesets are
 * answered from any cache first (the version is in their path, so a cached file never goes stale),
 * the site's /api/heritage/{code} from the network with the saved copy as the fallback, and the
 * lazily loaded scripts (hashed names) from any cache first, kept once fetched.
 */
// Take over at once (the promise only says when): a new deploy serves its own files on the next load.
void self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

const sameOrigin = (url: URL) => url.origin === self.location.origin;

// A site's tour, /heritage/{code}, is its own page without the map.
registerRoute(({ request, url }) => request.mode === 'navigate' && sameOrigin(url) && tourCodeFromPath(url.pathname) !== undefined, createHandlerBoundToURL('tour.html'));
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//, /^\/tiles/, /^\/fonts\//, /^\/ogc/, /^\/heritage\/tilesets\//] }));

/** A response from any of the caches (the precache, a saved heritage tour, the runtime caches). */
const fromAnyCache = (request: Request) => caches.match(request, { ignoreVary: true, ignoreSearch: false });

registerRoute(
  ({ url }) => sameOrigin(url) && url.pathname.startsWith('/heritage/tilesets/'),
  async ({ request }) => (await fromAnyCache(request)) ?? fetch(request),
);

// A saved tour's API answer: the network first (stops edited since are shown), the saved copy when
// the network fails or has not answered within 4 s, as on one bar of signal at Đồi A1. Only saved
// tours are answered from a cache: a copy whose tileset was not saved would not play offline.
registerRoute(
  ({ url }) => sameOrigin(url) && /^\/api\/heritage\/[^/]+$/.test(url.pathname),
  async ({ request }) => {
    const saved = await fromAnyCache(request);
    if (!saved) return fetch(request);
    const network = fetch(request).then((response) => (response.status >= 500 ? saved : response)).catch(() => saved);
    const timeout = new Promise<Response>((resolve) => setTimeout(() => resolve(saved), 4000));
    return Promise.race([network, timeout]);
  },
);

// Scripts loaded when first used (views, the tour and three.js): their names change with their
// content, so a cached copy is always right.
const lazyAssets = new CacheFirst({ cacheName: 'bandoso-assets', plugins: [new CacheableResponsePlugin({ statuses: [200] }), new ExpirationPlugin({ maxEntries: 60, maxAgeSeconds: 90 * 86_400 })] });
registerRoute(
  ({ url }) => sameOrigin(url) && url.pathname.startsWith('/assets/'),
  async (options) => (await fromAnyCache(options.request)) ?? lazyAssets.handle(options),
);

registerRoute(
  ({ url }) => sameOrigin(url) && url.pathname.startsWith('/fonts/'),
  new CacheFirst({ cacheName: 'bandoso-glyphs', plugins: [new CacheableResponsePlugin({ statuses: [200] }), new ExpirationPlugin({ maxEntries: 100 })] }),
);

registerRoute(
  ({ url }) => sameOrigin(url) && (url.pathname === '/tiles' || /^\/tiles\/[\w-]+\.json$/.test(url.pathname) || url.pathname === '/api/client-config' || url.pathname === '/api/planning/plans' || url.pathname === '/api/categories'),
  new NetworkFirst({ cacheName: 'bandoso-metadata', networkTimeoutSeconds: 4, plugins: [new CacheableResponsePlugin({ statuses: [200] })] }),
);

registerRoute(
  ({ url }) => sameOrigin(url) && url.pathname.startsWith('/tiles/reports/'),
  new NetworkFirst({ cacheName: 'bandoso-report-tiles', networkTimeoutSeconds: 4, plugins: [new CacheableResponsePlugin({ statuses: [200, 204] }), new ExpirationPlugin({ maxEntries: 500, maxAgeSeconds: 7 * 86_400 })] }),
);

registerRoute(
  ({ url }) => sameOrigin(url) && /^\/tiles\/[\w-]+\/\d+\/\d+\/\d+/.test(url.pathname),
  new StaleWhileRevalidate({ cacheName: 'bandoso-tiles', plugins: [new CacheableResponsePlugin({ statuses: [200, 204] }), new ExpirationPlugin({ maxEntries: 3000, maxAgeSeconds: 30 * 86_400 })] }),
);
