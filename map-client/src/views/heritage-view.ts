import type { HeritageSiteSummary } from '@bandoso/contracts';
import type { MapMouseEvent } from 'maplibre-gl';
import { describeError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { getLanguage, onLanguageChange, t, type MessageKey } from '../app/i18n.ts';
import { loadHeritageSites, localText, orderSites, tourPath } from '../heritage/heritage-api.ts';
import { cameraAt, openCameraAt } from '../overlays/cameras-overlay.ts';
import { heritageSiteAt } from '../overlays/heritage-overlay.ts';
import type { AppView, ViewContext } from './view.ts';

const rankKeys: Record<HeritageSiteSummary['rank'], MessageKey> = {
  special_national: 'legend.heritage.special_national',
  national: 'legend.heritage.national',
  provincial: 'legend.heritage.provincial',
};

/**
 * /heritage: the historic sites on the map and as a list, those with a 3D tour first. A site opens
 * its tour (/heritage/{code}); "see the model on the map" tilts the map over it, where the heritage
 * overlay stands the model in place (overlays/heritage-overlay.ts).
 */
export async function enterHeritageView({ map, panel, layers, announce }: ViewContext): Promise<AppView> {
  const wasVisible = layers.isVisible('heritage');
  layers.setVisible('heritage', true);
  let sites: HeritageSiteSummary[] | undefined;
  let failure: unknown;
  let left = false;
  const list = h('div', { className: 'heritage-sites' });
  replaceChildren(panel, h('h2', { 'data-i18n': 'heritage.title' }, t('heritage.title')), h('p', { className: 'hint', 'data-i18n': 'heritage.intro' }, t('heritage.intro')), list);

  const reducedMotion = () => globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  const showInPlace = (site: HeritageSiteSummary) => {
    const camera = { center: site.position, zoom: 17, pitch: 60, bearing: -25 };
    if (reducedMotion()) map.jumpTo(camera);
    else map.flyTo({ ...camera, duration: 2500 });
  };

  const render = () => {
    if (failure) return replaceChildren(list, h('p', { role: 'alert', className: 'error' }, `${t('heritage.loadFailed')} ${describeError(failure)}`));
    if (!sites) return replaceChildren(list, h('p', { role: 'status', className: 'muted' }, t('heritage.loading')));
    const language = getLanguage();
    replaceChildren(
      list,
      h(
        'ul',
        { className: 'heritage-list' },
        orderSites(sites, language).map((site) => {
          const name = localText(site.name, language);
          const summary = site.tileset ? t('heritage.tour3d', { count: site.stops }) : site.stops > 0 ? t('heritage.stopsOnly', { count: site.stops }) : t('heritage.noTour');
          const inPlace = site.tileset ? h('button', { type: 'button', className: 'link-button heritage-in-place', 'aria-label': t('heritage.showOnMapLabel', { name }) }, t('heritage.showOnMap')) : null;
          inPlace?.addEventListener('click', () => showInPlace(site));
          return h(
            'li',
            { className: `heritage-site${site.tileset ? ' has-tour' : ''}`, 'data-code': site.code },
            h('a', { className: 'heritage-site-link', href: tourPath(site.code) }, h('span', { className: 'heritage-site-name' }, name), h('span', { className: 'heritage-site-meta' }, `${t(rankKeys[site.rank])} · ${summary}`)),
            inPlace,
          );
        }),
      ),
    );
  };

  // A click on a site's point opens its tour.
  const onClick = (event: MapMouseEvent) => {
    if (openCameraAt(map, event.point, announce)) return;
    const site = heritageSiteAt(map, event.point);
    if (site) location.assign(tourPath(site.code));
  };
  const onMove = (event: MapMouseEvent) => {
    map.getCanvas().style.cursor = heritageSiteAt(map, event.point) || cameraAt(map, event.point) ? 'pointer' : '';
  };
  map.on('click', onClick);
  map.on('mousemove', onMove);
  const stopLanguage = onLanguageChange(render);
  render();

  try {
    sites = (await loadHeritageSites()).sites;
  } catch (error) {
    failure = error;
    announce(t('heritage.loadFailed'));
  }
  if (!left) {
    render();
    const withTour = (sites ?? []).filter((site) => site.tileset);
    const framed = withTour.length ? withTour : (sites ?? []);
    if (framed.length) {
      const lons = framed.map((site) => site.position[0]);
      const lats = framed.map((site) => site.position[1]);
      const wide = globalThis.innerWidth >= 900;
      map.fitBounds(
        [
          [Math.min(...lons), Math.min(...lats)],
          [Math.max(...lons), Math.max(...lats)],
        ],
        { padding: wide ? { top: 48, bottom: 48, left: 48, right: 440 } : { top: 40, bottom: Math.round(globalThis.innerHeight * 0.45) + 16, left: 32, right: 64 }, maxZoom: 15, duration: 0 },
      );
    }
  }

  return {
    id: 'heritage',
    leave() {
      left = true;
      map.off('click', onClick);
      map.off('mousemove', onMove);
      map.getCanvas().style.cursor = '';
      stopLanguage();
      if (!wasVisible) layers.setVisible('heritage', false);
    },
  };
}
