import { Marker, type GeoJSONSource, type MapMouseEvent } from 'maplibre-gl';
import { describeError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { onLanguageChange, t } from '../app/i18n.ts';
import { tileJsonUrl } from '../map/tile-catalog.ts';
import { pickAt } from '../map/map-pick.ts';
import type { HeritageSiteHit } from '../overlays/heritage-overlay.ts';
import { allOverlays } from '../overlays/index.ts';
import { applyReportFilters, noReportFilters, type ReportFilters } from '../overlays/reports-overlay.ts';
import { loadCategories, locatePoint, type Category } from '../reports/report-api.ts';
import { registerSearchPin } from '../search/search-pin.ts';
import { createCitizenHome, createPlaceCard } from './citizen-panels.ts';
import { openMapPickCard, type MapPickCard } from './map-pick.ts';
import type { Place } from './citizen-place.ts';
import type { CitizenNavigator, CitizenScreen } from './citizen-screens.ts';
import { unsentReports, type CitizenScreenId } from './citizen-view-state.ts';
import type { AppView, ViewContext } from './view.ts';

/** The heavier screens, each in its own chunk (precached by the service worker for offline use). */
export const loadReportForm = () => import('../reports/report-form.ts');
export const loadReportDetail = () => import('../reports/report-detail.ts');
export const loadMyReports = () => import('../reports/my-reports-screen.ts');
export const loadReportStorage = () => import('../offline/report-queue-runtime.ts');

// Outside the view: the filters stay as chosen when the person leaves the view and comes back.
let filters: ReportFilters = noReportFilters;

/**
 * The citizen's map. Tap the map (or use the device position, or pin the map centre from the
 * keyboard) to pin a problem; the panel shows the commune, then the report form: which office will
 * receive it, the category, the description, photos, nearby reports of the same category to follow
 * instead; "send" queues it (offline too) and shows its tracking code. A tap on a report pin opens
 * its public detail; on a cluster, zooms in. "My reports" lists what this device sent or follows.
 *
 * This module holds the map's part (the pin, the accuracy circle, the clicks) and which screen the
 * panel shows; citizen-panels.ts draws home and the place card, report-api.ts asks the platform.
 */
export function enterCitizenView({ map, panel, config, announce }: ViewContext): AppView {
  let place: Place | undefined;
  let marker: Marker | undefined;
  let screen: CitizenScreen | undefined;
  let screenId: CitizenScreenId = 'home';
  let shownCode: string | undefined;
  let generation = 0;
  let locateRequest: AbortController | undefined;
  let unsentCount = 0;
  let categories: Category[] = [];
  let left = false;
  let unsubscribeQueue: (() => void) | undefined;
  const reportsTileJson = tileJsonUrl(config.tilesUrl, 'reports', location.origin);

  // The device position's accuracy, drawn as a translucent circle under the pin.
  const accuracySourceId = 'citizen-accuracy';
  const ensureAccuracyLayer = () => {
    if (map.getSource(accuracySourceId)) return;
    map.addSource(accuracySourceId, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({ id: 'citizen-accuracy-fill', type: 'fill', source: accuracySourceId, paint: { 'fill-color': '#1a73e8', 'fill-opacity': 0.15 } });
    map.addLayer({ id: 'citizen-accuracy-line', type: 'line', source: accuracySourceId, paint: { 'line-color': '#1a73e8', 'line-width': 1.5 } });
  };
  const drawAccuracy = (current: Place | undefined) => {
    ensureAccuracyLayer();
    const source = map.getSource<GeoJSONSource>(accuracySourceId);
    const features = current?.accuracyM ? [accuracyCircle(current.lngLat, current.accuracyM)] : [];
    void source?.setData({ type: 'FeatureCollection', features });
  };

  const navigator: CitizenNavigator = {
    map,
    config,
    announce,
    showHome: () => void show('home'),
    showPlace: () => void show(place ? 'place' : 'home'),
    showForm: () => void show(place ? 'form' : 'home'),
    showDetail: (trackingCode) => void show('detail', trackingCode),
    showMine: () => void show('mine'),
    flyTo: (lngLat, zoom = 16) => map.flyTo({ center: lngLat, zoom: Math.max(map.getZoom(), zoom) }),
  };

  const clearPlace = () => {
    locateRequest?.abort();
    place = undefined;
    marker?.remove();
    marker = undefined;
    drawAccuracy(undefined);
  };

  const setPlace = (lngLat: [number, number], source: Place['source'], accuracyM?: number, heritage?: HeritageSiteHit) => {
    locateRequest?.abort();
    locateRequest = new AbortController();
    const signal = locateRequest.signal;
    place = { lngLat, accuracyM, source, locate: { status: 'loading' }, ...(heritage ? { heritage } : {}) };
    if (!marker) {
      marker = new Marker({ color: '#0b5d3b', draggable: true }).setLngLat(lngLat).addTo(map);
      marker.getElement().setAttribute('aria-label', t('citizen.placeTitle'));
      marker.getElement().dataset.i18nLabel = 'citizen.placeTitle';
      marker.on('dragend', () => {
        const moved = marker!.getLngLat();
        setPlace([moved.lng, moved.lat], 'map');
      });
    } else marker.setLngLat(lngLat);
    drawAccuracy(place);
    const current = place;
    locatePoint(lngLat, signal)
      .then((result) => {
        current.locate = { status: 'loaded', result };
      })
      .catch((error: unknown) => {
        if ((error as Error).name === 'AbortError') return;
        current.locate = { status: 'failed', error };
      })
      .finally(() => {
        if (signal.aborted || place !== current) return;
        if (screenId === 'place') placeCard.render(current);
        screen?.setPlace?.(current);
      });
    if (screenId === 'form' && screen?.setPlace) screen.setPlace(place);
    else void show('place');
  };

  // ---- screens ----------------------------------------------------------------------------------

  const placeCard = createPlaceCard({
    close() {
      clearPlace();
      void show('home');
    },
    report: () => void show('form'),
    announce,
  });

  const home = createCitizenHome({
    useLocation: () => locateDevice(),
    pinCentre() {
      const centre = map.getCenter();
      setPlace([centre.lng, centre.lat], 'centre');
    },
    showMine: () => void show('mine'),
    changeFilters(next) {
      filters = next;
      applyReportFilters(map, reportsTileJson, filters);
    },
  });

  // Said once, where the person asked: in home's status line (a live region), or, if they have
  // moved on meanwhile, in the status toast. Found, the place card shows it and the line empties.
  const locationDenied = () => {
    if (left) return;
    if (screenId === 'home') home.setStatus('citizen.locationDenied');
    else {
      home.setStatus(undefined);
      announce({ key: 'citizen.locationDenied' }, 'warning');
    }
  };
  const locateDevice = () => {
    if (!('geolocation' in globalThis.navigator)) return locationDenied();
    home.setStatus('citizen.locatingDevice');
    globalThis.navigator.geolocation.getCurrentPosition(
      (position) => {
        if (left) return;
        home.setStatus(undefined);
        const lngLat: [number, number] = [position.coords.longitude, position.coords.latitude];
        setPlace(lngLat, 'device', position.coords.accuracy);
        map.flyTo({ center: lngLat, zoom: Math.max(map.getZoom(), 16) });
      },
      locationDenied,
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  };

  const show = async (next: CitizenScreenId, trackingCode?: string) => {
    const mine = ++generation;
    screen?.destroy();
    screen = undefined;
    screenId = next;
    shownCode = trackingCode;
    if (next === 'home') {
      // Home has no pinned place: a pin left from a sent report or a closed card would mislead.
      clearPlace();
      replaceChildren(panel, home.render({ unsentCount, categories, filters }));
      return;
    }
    if (next === 'place') {
      if (place) placeCard.render(place);
      replaceChildren(panel, placeCard.element);
      return;
    }
    replaceChildren(panel, h('p', { role: 'status', className: 'muted' }, t('app.loading')));
    try {
      let created: CitizenScreen;
      if (next === 'form') created = (await loadReportForm()).createReportForm(navigator, place!);
      else if (next === 'detail') created = (await loadReportDetail()).createReportDetail(navigator, trackingCode!);
      else created = (await loadMyReports()).createMyReportsScreen(navigator);
      if (mine !== generation || left) {
        created.destroy();
        return;
      }
      screen = created;
      replaceChildren(panel, created.element);
      created.element.querySelector<HTMLElement>('h2')?.focus();
    } catch (error) {
      if (mine === generation) replaceChildren(panel, h('p', { role: 'alert', className: 'error' }, describeError(error)));
    }
  };

  // A tap on the platform's own layers (a report pin, a heritage site, a facility, a camera, a zone)
  // shows what is there first, with its own actions and "report a new problem here" (views/map-pick.ts);
  // a tap on a cluster zooms in; a tap anywhere else pins the place.
  let pickCard: MapPickCard | undefined;
  const onClick = (event: MapMouseEvent) => {
    if (pickCard?.open) {
      // The first tap beside an open card closes it, as a tap beside any popup does.
      pickCard.close();
      pickCard = undefined;
      return;
    }
    const tapped: [number, number] = [event.lngLat.lng, event.lngLat.lat];
    const picks = pickAt(map, event.point, allOverlays);
    const cluster = picks[0]?.kind === 'cluster' ? picks[0] : undefined;
    if (cluster) {
      announce(t('citizen.clusterZoom', { count: Number(cluster.id) }));
      map.easeTo({ center: cluster.lngLat, zoom: Math.min(map.getZoom() + 2, 14) });
      return;
    }
    if (picks.length === 0) {
      setPlace(tapped, 'map');
      return;
    }
    pickCard = openMapPickCard(map, tapped, picks, {
      reportHere: (lngLat, heritage) => setPlace(lngLat, 'map', undefined, heritage),
      openReport: (trackingCode) => void show('detail', trackingCode),
      announce: (message) => announce(message),
    });
  };

  map.on('click', onClick);
  // "Pin here" on a search result pins the place there, as a tap on the map would.
  const stopSearchPin = registerSearchPin((lngLat) => setPlace(lngLat, 'map'));
  const stopLanguage = onLanguageChange(() => {
    // The form (and the screen once sent) is translated in place by the page's translation pass,
    // keeping what the person typed; the others are redrawn.
    if (screenId === 'home' || screenId === 'mine') void show(screenId);
    else if (screenId === 'detail' && shownCode) void show('detail', shownCode);
    else if (screenId === 'place' && place) placeCard.render(place);
  });
  void show('home');

  // After the first render, when the page is idle: the report form's code and the categories (so
  // that both are there offline), and the queue, which sends what waits from an earlier visit.
  const idle = (work: () => void) => ('requestIdleCallback' in globalThis ? requestIdleCallback(work, { timeout: 3000 }) : setTimeout(work, 1500));
  idle(() => {
    if (left) return;
    void loadReportForm().catch(() => undefined);
    void loadCategories()
      .then((loaded) => {
        categories = loaded;
        if (!left && screenId === 'home') void show('home');
      })
      .catch(() => undefined);
    void loadReportStorage()
      .then(({ getReportStorage }) => getReportStorage())
      .then(({ queue }) => {
        if (left) return;
        unsubscribeQueue = queue.subscribe((reports) => {
          const unsent = unsentReports(reports).length;
          const changed = unsent !== unsentCount;
          unsentCount = unsent;
          if (changed && screenId === 'home') void show('home');
        });
      })
      .catch((error: unknown) => console.warn('report queue unavailable', error));
  });

  return {
    id: 'citizen',
    leave() {
      left = true;
      generation += 1;
      screen?.destroy();
      unsubscribeQueue?.();
      map.off('click', onClick);
      pickCard?.close();
      stopSearchPin();
      clearPlace();
      stopLanguage();
      for (const id of ['citizen-accuracy-line', 'citizen-accuracy-fill']) if (map.getLayer(id)) map.removeLayer(id);
      if (map.getSource(accuracySourceId)) map.removeSource(accuracySourceId);
    },
  };
}

/** A circle of `radiusM` metres around a point, as a 64-sided polygon (small radii: a local approximation). */
export function accuracyCircle(centre: [number, number], radiusM: number): GeoJSON.Feature<GeoJSON.Polygon> {
  const [lon, lat] = centre;
  const metresPerDegreeLat = 111_320;
  const metresPerDegreeLon = 111_320 * Math.cos((lat * Math.PI) / 180);
  const ring: [number, number][] = [];
  for (let step = 0; step <= 64; step += 1) {
    const angle = (step / 64) * 2 * Math.PI;
    ring.push([lon + (radiusM * Math.cos(angle)) / metresPerDegreeLon, lat + (radiusM * Math.sin(angle)) / metresPerDegreeLat]);
  }
  return { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } };
}
