import { handFirstVisitToServiceWorker, keepResourceEntries } from './first-visit-cache.ts';

/**
 * Installs the service worker (src/sw.ts, built to /sw.js) in production builds: the app shell, the
 * glyphs and the visited tiles then work without a connection.
 *
 * By default after the page's `load` event: installing precaches the shell (≈1.8 MB), which should
 * not compete with the first render. `after` defers it further (a heritage tour: until its relic is
 * drawn; installing during three.js's start cost the tour's first frame 0.5–0.7 s on two cores).
 */
export function registerServiceWorker(options: { after?: Promise<unknown> } = {}): void {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  keepResourceEntries();
  if (navigator.serviceWorker.controller) {
    // Not the first visit: every request of this page goes through the worker, which keeps them.
    document.documentElement.dataset.offlineReady = 'true';
  } else {
    // The first visit: what it loaded went past the worker; hand it over once the worker runs (first-visit-cache.ts).
    navigator.serviceWorker.addEventListener('controllerchange', () => void handFirstVisitToServiceWorker(), { once: true });
  }
  const register = () => void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => console.warn('service worker not installed', error));
  if (options.after) void options.after.then(register, register);
  else window.addEventListener('load', register);
}
