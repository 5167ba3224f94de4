import type { Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';
import { createBaseMap } from '../map/base-map.ts';
import { recoverMapWhenOnline } from '../map/map-recovery.ts';
import { buildOfflineStyle, composeWithBasemap, isOverlayAvailable, type ComposeOptions } from '../map/map-style.ts';
import type { OverlayId, StyleContext } from '../map/map-overlay.ts';
import { loadTileCatalog, tileJsonUrl } from '../map/tile-catalog.ts';
import { allOverlays } from '../overlays/index.ts';
import { mountEmergencyPanel } from '../features/emergency-panel.ts';
import { enterCitizenView } from '../views/citizen-view.ts';
import { loadAdminView, loadHeritageView, loadIocView, loadOfficeView, loadPlannerView } from '../views/lazy-views.ts';
import { viewForPath, viewPaths, type AppView, type ViewContext, type ViewId } from '../views/view.ts';
import { fallbackClientConfig, loadClientConfig, type ClientConfig } from './client-config.ts';
import { h } from './dom.ts';
import { getLanguage, onLanguageChange, setLanguage, t, translateDom } from './i18n.ts';
import { createLayerPanel, type LayerPanel } from './layer-panel.ts';
import { createStatusToast } from './status-toast.ts';
import { createSearchBox } from '../search/search-box.ts';
import { followViewPanel } from './panel-layout.ts';

export interface RunningApp {
  map: MapLibreMap;
  config: ClientConfig;
  layers: LayerPanel;
  /** Resolves when the first view has been entered. */
  ready: Promise<void>;
}

/**
 * The app shell: header (title, views, layers, language), the map, the layer panel, the view's
 * panel and the emergency button. It composes overlays and views; it knows none of their insides.
 */
export async function startApp(root: HTMLElement): Promise<RunningApp> {
  // The desk and the admin console are for staff: reached from the IOC view or by their address, not from the citizens' menu.
  const views = ['citizen', 'heritage', 'planning', 'ioc'] as const satisfies readonly ViewId[];
  const navigation = h(
    'nav',
    { className: 'view-nav', 'data-i18n-label': 'nav.views', 'aria-label': t('nav.views') },
    views.map((view) => h('a', { href: viewPaths[view], 'data-view': view, 'data-i18n': `view.${view}` }, t(`view.${view}`))),
  );
  const layersToggle = h('button', { type: 'button', className: 'layers-toggle', 'aria-controls': 'layers-panel', 'aria-expanded': 'false', 'data-i18n-label': 'layers.toggle', 'aria-label': t('layers.toggle') }, h('span', { 'aria-hidden': 'true' }, '☰'), h('span', { className: 'layers-toggle-text', 'data-i18n': 'layers.title' }, t('layers.title')));
  const languageToggle = h('button', { type: 'button', className: 'language-toggle', 'data-i18n': 'language.toggle', 'data-i18n-label': 'language.toggleLabel', 'aria-label': t('language.toggleLabel') }, t('language.toggle'));
  const mapElement = h('div', { id: 'map', className: 'map', role: 'region', 'data-i18n-label': 'map.label', 'aria-label': t('map.label') });
  const layersPanel = h('aside', { id: 'layers-panel', className: 'panel layers-panel', 'data-i18n-label': 'layers.title', 'aria-label': t('layers.title') });
  const viewPanel = h('section', { id: 'view-panel', className: 'panel view-panel', 'aria-live': 'polite' });
  // The page's status messages (status-toast.ts): over the map, expiring, re-translated.
  const status = createStatusToast();
  // Usable at once: a query typed before the map exists runs when it does (the box waits for `attach`).
  const searchBox = createSearchBox((message) => announce(message));
  root.replaceChildren(
    h('a', { className: 'skip-link', href: '#map', 'data-i18n': 'app.skipToMap' }, t('app.skipToMap')),
    h('header', { className: 'app-header' }, h('h1', { className: 'app-title', 'data-i18n': 'app.title' }, t('app.title')), searchBox.element, navigation, layersToggle, languageToggle),
    h('main', { className: 'app-main' }, mapElement, layersPanel, viewPanel, status.element),
  );

  const announce = status.announce;
  languageToggle.addEventListener('click', () => setLanguage(getLanguage() === 'vi' ? 'en' : 'vi'));
  layersToggle.addEventListener('click', () => {
    const open = layersToggle.getAttribute('aria-expanded') !== 'true';
    layersToggle.setAttribute('aria-expanded', String(open));
    layersPanel.classList.toggle('is-open', open);
    if (open) layersPanel.querySelector<HTMLElement>('input:not([disabled])')?.focus();
  });
  layersPanel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && layersPanel.classList.contains('is-open')) {
      layersPanel.classList.remove('is-open');
      layersToggle.setAttribute('aria-expanded', 'false');
      layersToggle.focus();
    }
  });
  window.addEventListener('offline', () => announce({ key: 'app.offline' }, 'warning'));
  window.addEventListener('online', () => announce({ key: 'app.backOnline' }));

  // Both at once: the catalog is almost always at the default place; fetched again only if not.
  const [config, defaultCatalog] = await Promise.all([loadClientConfig(), loadTileCatalog(fallbackClientConfig.tilesUrl)]);
  const catalog = config.tilesUrl === fallbackClientConfig.tilesUrl ? defaultCatalog : await loadTileCatalog(config.tilesUrl);
  const context: StyleContext = {
    config,
    language: getLanguage(),
    hasBasemap: config.basemapStyleUrl !== null,
    origin: location.origin,
    tileJsonUrl: (layer) => tileJsonUrl(config.tilesUrl, layer, location.origin),
  };
  // A deployment's own base map (BASEMAP_STYLE_URL) replaces ours: then ours is neither drawn nor offered.
  const usable = allOverlays.filter((overlay) => !(overlay.isBasemap && config.basemapStyleUrl !== null));
  const available = new Set<OverlayId>(usable.filter((overlay) => isOverlayAvailable(overlay, catalog)).map((overlay) => overlay.id));
  const visible = new Set<OverlayId>(allOverlays.filter((overlay) => overlay.visibleByDefault).map((overlay) => overlay.id));
  const compose: ComposeOptions = { overlays: allOverlays, availableTileLayers: catalog, visibleOverlays: visible, context };

  const map = config.basemapStyleUrl
    ? createBaseMap({
        container: mapElement,
        config,
        style: config.basemapStyleUrl,
        transformStyle: (_previous, next: StyleSpecification) => composeWithBasemap(next, compose),
      })
    : createBaseMap({ container: mapElement, config, style: buildOfflineStyle(compose) });

  // A layer that failed (offline, server restarting) is asked for again when the connection returns,
  // and the message says so rather than "reload the page" (map/map-recovery.ts).
  recoverMapWhenOnline(map, announce);

  const layers = createLayerPanel(layersPanel, map, usable, available, visible);
  searchBox.attach(map);
  mountEmergencyPanel(document.body, map);
  // The map's padding follows the bottom sheet; a tap's result comes into view (app/panel-layout.ts).
  followViewPanel(map, viewPanel);

  map.once('load', () => {
    for (const overlay of allOverlays) if (available.has(overlay.id)) overlay.attach?.(map, context);
  });
  onLanguageChange((language) => {
    for (const overlay of allOverlays) if (available.has(overlay.id)) overlay.applyLanguage?.(map, language);
  });

  let current: AppView | undefined;
  let generation = 0;
  const showView = async (view: ViewId) => {
    const mine = ++generation;
    current?.leave();
    current = undefined;
    viewPanel.replaceChildren();
    for (const link of navigation.querySelectorAll<HTMLAnchorElement>('a')) {
      if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    document.body.dataset.view = view;
    const viewContext: ViewContext = { map, panel: viewPanel, layers, config, announce };
    const entered =
      view === 'planning'
        ? await (await loadPlannerView()).enterPlannerView(viewContext)
        : view === 'ioc'
          ? await (await loadIocView()).enterIocView(viewContext)
          : view === 'heritage'
            ? await (await loadHeritageView()).enterHeritageView(viewContext)
            : view === 'office'
              ? await (await loadOfficeView()).enterOfficeView(viewContext)
              : view === 'admin'
                ? await (await loadAdminView()).enterAdminView(viewContext)
                : enterCitizenView(viewContext);
    if (mine !== generation) entered.leave();
    else current = entered;
  };

  navigation.addEventListener('click', (event) => {
    const link = (event.target as HTMLElement).closest<HTMLAnchorElement>('a[data-view]');
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    history.pushState(null, '', link.href);
    void showView(viewForPath(location.pathname));
  });
  window.addEventListener('popstate', () => void showView(viewForPath(location.pathname)));

  translateDom(document.body);
  const ready = new Promise<void>((resolve) => {
    const start = () => void showView(viewForPath(location.pathname)).then(resolve, resolve);
    if (map.loaded()) start();
    else map.once('load', start);
  });
  return { map, config, layers, ready };
}
