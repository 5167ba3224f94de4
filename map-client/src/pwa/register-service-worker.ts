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
  const register = () => void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => console.warn('service worker not installed', error));
  if (options.after) void options.after.then(register, register);
  else window.addEventListener('load', register);
}
