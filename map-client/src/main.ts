import './styles.css';
import { startApp } from './app/app-shell.ts';
import { initialLanguage, t, useLanguage } from './app/i18n.ts';
import { registerServiceWorker } from './pwa/register-service-worker.ts';

declare global {
  interface Window {
    /** The running app, for the browser tests and for people debugging in the console. */
    bandoso?: Awaited<ReturnType<typeof startApp>>;
  }
}

// Labels need these glyph ranges (Latin, Latin Extended, Vietnamese) before a commune tile can be
// drawn; MapLibre would ask for them only after parsing the first tiles. Asking now, while the map
// starts, puts them in the HTTP cache (they are cacheable for a week) by the time it asks.
for (const range of ['0-255', '256-511', '7680-7935']) void fetch(`/fonts/Noto%20Sans%20Regular/${range}.pbf`).catch(() => undefined);

useLanguage(initialLanguage());
const root = document.getElementById('app');
if (root) {
  root.textContent = t('app.loading');
  startApp(root)
    .then((app) => {
      window.bandoso = app;
    })
    .catch((error: unknown) => {
      console.error(error);
      root.textContent = /webgl/i.test(String(error)) ? t('map.noWebgl') : t('error.generic');
    });
}
registerServiceWorker();
