/**
 * Installs the service worker (src/sw.ts, built to /sw.js) in production builds: the app shell, the
 * glyphs and the visited tiles then work without a connection.
 */
export function registerServiceWorker(): void {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  // After the first render: installing precaches the shell, which should not compete with the map.
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => console.warn('service worker not installed', error));
  });
}
