import { Marker, type GeoJSONSource, type MapMouseEvent } from 'maplibre-gl';
import { describeError, fetchJson, NetworkError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { formatDistance, formatNumber, onLanguageChange, t } from '../app/i18n.ts';
import { tileJsonUrl } from '../map/tile-catalog.ts';
import type { QueuedReport } from '../offline/report-queue.ts';
import { applyReportFilters, noReportFilters, reportAt, type ReportFilters } from '../overlays/reports-overlay.ts';
import { categoryName, loadCategories, type Category } from '../reports/report-api.ts';
import type { CitizenNavigator, CitizenScreen, LocateResponse, Place } from './citizen-screens.ts';
import type { AppView, ViewContext } from './view.ts';

/** The heavier screens, each in its own chunk (precached by the service worker for offline use). */
export const loadReportForm = () => import('../reports/report-form.ts');
export const loadReportDetail = () => import('../reports/report-detail.ts');
export const loadMyReports = () => import('../reports/my-reports-screen.ts');
export const loadReportStorage = () => import('../offline/report-queue-runtime.ts');

type ScreenId = 'home' | 'place' | 'form' | 'detail' | 'mine';

let filters: ReportFilters = noReportFilters;

/**
 * The citizen's map. Tap the map (or use the device position, or pin the map centre from the
 * keyboard) to pin a problem; the panel shows the commune, then the report form: which office will
 * receive it, the category, the description, photos, nearby reports of the same category to follow
 * instead; "send" queues it (offline too) and shows its tracking code. A tap on a report pin opens
 * its public detail; on a cluster, zooms in. "My reports" lists what this device sent or follows.
 */
export function enterCitizenView({ map, panel, config, announce }: ViewContext): AppView {
  let place: Place | undefined;
  let marker: Marker | undefined;
  let screen: CitizenScreen | undefined;
  let screenId: ScreenId = 'home';
  let shownCode: string | undefined;
  let generation = 0;
  let locateRequest: AbortController | undefined;
  let pending: QueuedReport[] = [];
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
    source?.setData({ type: 'FeatureCollection', features });
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

  const setPlace = (lngLat: [number, number], source: Place['source'], accuracyM?: number) => {
    locateRequest?.abort();
    locateRequest = new AbortController();
    const signal = locateRequest.signal;
    place = { lngLat, accuracyM, source, locate: { status: 'loading' } };
    if (!marker) {
      marker = new Marker({ color: '#0b5d3b', draggable: true }).setLngLat(lngLat).addTo(map);
      marker.getElement().setAttribute('aria-label', t('citizen.placeTitle'));
      marker.on('dragend', () => {
        const moved = marker!.getLngLat();
        setPlace([moved.lng, moved.lat], 'map');
      });
    } else marker.setLngLat(lngLat);
    drawAccuracy(place);
    const current = place;
    fetchJson<LocateResponse>(`/api/locate?lon=${lngLat[0].toFixed(6)}&lat=${lngLat[1].toFixed(6)}`, { signal })
      .then((result) => {
        current.locate = { status: 'loaded', result };
      })
      .catch((error: unknown) => {
        if ((error as Error).name === 'AbortError') return;
        current.locate = { status: 'failed', error };
      })
      .finally(() => {
        if (signal.aborted || place !== current) return;
        if (screenId === 'place') renderPlace();
        screen?.setPlace?.(current);
      });
    if (screenId === 'form' && screen?.setPlace) screen.setPlace(place);
    else void show('place');
  };

  // ---- screens ----------------------------------------------------------------------------------

  const placeCard = h('section', { className: 'place-card', 'aria-labelledby': 'place-title' });
  const renderPlace = () => {
    if (!place) return;
    const [lon, lat] = place.lngLat;
    const close = h('button', { type: 'button', className: 'dialog-close', 'aria-label': t('citizen.close') }, '×');
    close.addEventListener('click', () => {
      clearPlace();
      void show('home');
    });
    const locate = place.locate;
    const offline = locate.status === 'failed' && locate.error instanceof NetworkError;
    const body =
      locate.status === 'loading'
        ? h('p', { role: 'status' }, t('citizen.locating'))
        : locate.status === 'failed'
          ? h('p', { role: offline ? 'status' : 'alert', className: offline ? 'muted' : 'error' }, offline ? t('citizen.offlinePlace') : describeError(locate.error))
          : h(
              'dl',
              { className: 'facts' },
              h('dt', {}, t('citizen.commune')),
              h('dd', { className: 'place-commune' }, locate.result.commune?.name ?? '—'),
              h('dt', {}, t('citizen.province')),
              h('dd', {}, locate.result.province?.name ?? '—'),
              locate.result.onBorderWith.length ? h('dd', { className: 'muted' }, t('citizen.onBorder', { names: locate.result.onBorderWith.map((unit) => unit.name).join(', ') })) : null,
            );
    // Outside the province (404) nothing can be reported; offline, the platform decides later.
    const canReport = locate.status === 'loaded' ? locate.result.commune !== null : offline;
    const report = h('button', { type: 'button', className: 'primary-button report-here', disabled: !canReport }, t('citizen.reportHere'));
    report.addEventListener('click', () => void show('form'));
    replaceChildren(
      placeCard,
      h('div', { className: 'dialog-header' }, h('h2', { id: 'place-title' }, t('citizen.placeTitle')), close),
      body,
      h('p', { className: 'muted' }, `${t('citizen.coordinates')}: ${formatNumber(lat, 5)}, ${formatNumber(lon, 5)}`),
      place.accuracyM !== undefined ? h('p', { className: 'muted place-accuracy' }, t('citizen.accuracy', { accuracy: formatDistance(place.accuracyM) })) : null,
      report,
      h('p', { className: 'muted' }, t('citizen.movePin')),
    );
  };

  const homeStatus = h('p', { className: 'muted', role: 'status' });
  const renderHome = (): HTMLElement => {
    const useLocation = h('button', { type: 'button', className: 'secondary-button use-location' }, h('span', { 'aria-hidden': 'true' }, '◎ '), t('citizen.useMyLocation'));
    useLocation.addEventListener('click', locateDevice);
    const pinCentre = h('button', { type: 'button', className: 'secondary-button pin-centre' }, t('citizen.pinCentre'));
    pinCentre.addEventListener('click', () => {
      const centre = map.getCenter();
      setPlace([centre.lng, centre.lat], 'centre');
    });
    const mine = h('button', { type: 'button', className: 'secondary-button my-reports-button' }, t('citizen.myReports'), pending.length ? h('span', { className: 'badge', 'aria-label': t('citizen.queueSummary', { count: pending.length }) }, String(pending.length)) : null);
    mine.addEventListener('click', () => void show('mine'));
    return h(
      'div',
      { className: 'citizen-home' },
      h('p', { className: 'hint' }, t('citizen.hint')),
      h('div', { className: 'button-row' }, useLocation, pinCentre, mine),
      pending.length ? h('p', { className: 'queue-summary muted' }, t('citizen.queueSummary', { count: pending.length })) : null,
      homeStatus,
      renderFilters(),
    );
  };

  const renderFilters = (): HTMLElement => {
    const category = h(
      'select',
      { id: 'filter-category' },
      h('option', { value: '' }, t('filters.allCategories')),
      categories.map((item) => h('option', { value: item.code, selected: filters.category === item.code }, categoryName(item))),
    );
    const status = h(
      'select',
      { id: 'filter-status' },
      h('option', { value: '' }, t('filters.allStatuses')),
      (['open', 'resolved', 'closed'] as const).map((value) => h('option', { value, selected: filters.statusGroup === value }, t(`filters.${value}`))),
    );
    const period = h(
      'select',
      { id: 'filter-period' },
      h('option', { value: '' }, t('filters.periodAll')),
      ([7, 30, 365] as const).map((days) => h('option', { value: String(days), selected: filters.periodDays === days }, t(`filters.period${days}`))),
    );
    const reset = h('button', { type: 'button', className: 'link-button' }, t('filters.reset'));
    const apply = () => {
      filters = {
        category: category.value || undefined,
        statusGroup: (status.value || undefined) as ReportFilters['statusGroup'],
        periodDays: period.value ? Number(period.value) : undefined,
      };
      applyReportFilters(map, reportsTileJson, filters);
    };
    for (const select of [category, status, period]) select.addEventListener('change', apply);
    reset.addEventListener('click', () => {
      category.value = status.value = period.value = '';
      apply();
    });
    const active = filters.category || filters.statusGroup || filters.periodDays;
    return h(
      'details',
      { className: 'report-filters', open: Boolean(active) },
      h('summary', {}, t('filters.title')),
      h('label', { for: 'filter-category' }, t('filters.category')),
      category,
      h('label', { for: 'filter-status' }, t('filters.status')),
      status,
      h('label', { for: 'filter-period' }, t('filters.period')),
      period,
      reset,
    );
  };

  const locateDevice = () => {
    if (!('geolocation' in globalThis.navigator)) {
      homeStatus.textContent = t('citizen.locationDenied');
      return;
    }
    homeStatus.textContent = t('citizen.locatingDevice');
    globalThis.navigator.geolocation.getCurrentPosition(
      (position) => {
        if (left) return;
        const lngLat: [number, number] = [position.coords.longitude, position.coords.latitude];
        setPlace(lngLat, 'device', position.coords.accuracy);
        map.flyTo({ center: lngLat, zoom: Math.max(map.getZoom(), 16) });
      },
      () => {
        homeStatus.textContent = t('citizen.locationDenied');
        announce(t('citizen.locationDenied'));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  };

  const show = async (next: ScreenId, trackingCode?: string) => {
    const mine = ++generation;
    screen?.destroy();
    screen = undefined;
    screenId = next;
    shownCode = trackingCode;
    if (next === 'home') {
      // Home has no pinned place: a pin left from a sent report or a closed card would mislead.
      clearPlace();
      replaceChildren(panel, renderHome());
      return;
    }
    if (next === 'place') {
      renderPlace();
      replaceChildren(panel, placeCard);
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

  const onClick = (event: MapMouseEvent) => {
    const hit = reportAt(map, event.point);
    if (hit?.kind === 'report') {
      void show('detail', hit.trackingCode);
      return;
    }
    if (hit?.kind === 'cluster') {
      announce(t('citizen.clusterZoom', { count: hit.count }));
      map.easeTo({ center: hit.coordinates, zoom: Math.min(map.getZoom() + 2, 14) });
      return;
    }
    setPlace([event.lngLat.lng, event.lngLat.lat], 'map');
  };

  map.on('click', onClick);
  const stopLanguage = onLanguageChange(() => {
    // The form keeps what the person typed (its labels change on its next opening); the others are redrawn.
    if (screenId === 'home' || screenId === 'mine') void show(screenId);
    else if (screenId === 'detail' && shownCode) void show('detail', shownCode);
    else if (screenId === 'place') renderPlace();
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
          const waiting = reports.filter((report) => report.state.status !== 'sent');
          const changed = waiting.length !== pending.length;
          pending = waiting;
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
