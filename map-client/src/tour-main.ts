import './styles.css';
import { initialLanguage, t, useLanguage } from './app/i18n.ts';
import { loadHeritageSite, tourCodeFromPath } from './heritage/heritage-api.ts';
import { startTourPage } from './heritage/tour-page.ts';
import { registerServiceWorker } from './pwa/register-service-worker.ts';

/**
 * /heritage/{code} (tour.html): one site's 3D tour, the page a QR code at the gate points to. Its own
 * entry, without MapLibre (≈1.2 MB the tour does not use): the page and its text come first, then
 * three.js and the model (heritage/tour-scene.ts), fetched beside the site's data.
 */
useLanguage(initialLanguage());
const root = document.getElementById('app');
const code = tourCodeFromPath(location.pathname);
if (root && !code) {
  // tour.html is only served for tour paths; anything else belongs to the map.
  location.replace('/heritage');
} else if (root && code) {
  root.textContent = t('tour.loadingSite');
  const site = loadHeritageSite(code);
  // Side by side, not one after the other: the first frame of the relic comes sooner.
  site.then((answer) => (answer.tileset ? import('./heritage/tour-scene.ts') : undefined)).catch(() => undefined);
  const started = startTourPage(root, code, site);
  started.catch((error: unknown) => {
    console.error(error);
    root.textContent = t('error.generic');
  });
  // The service worker (offline use, "save for offline") installs once the relic is drawn, or after
  // 15 s at most.
  const settled = started.then(({ settled }) => settled);
  registerServiceWorker({ after: Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 15_000))]) });
}
