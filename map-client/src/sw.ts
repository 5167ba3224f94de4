/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst, StaleWhileRevalidate } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

/**
 * The map's service worker. Precached: the app shell (page, entry scripts, MapLibre and its worker,
 * icons), so the page opens offline. At run time: glyphs (cache first: they never change within a
 * release), TileJSON and the client config (network first), and every tile the person has seen
 * (stale-while-revalidate; reports tiles network first, they change by the minute).
 * Also precached: the citizen's report screens and the photo preparation, so that a report can be
 * written and queued with no connection (offline/report-queue.ts sends it when the page is back online).
 */
// Take over at once (the promise only says when): a new deploy serves its own files on the next load.
void self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

const sameOrigin = (url: URL) => url.origin === self.location.origin;

registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//, /^\/tiles/, /^\/fonts\//, /^\/ogc/] }));

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
