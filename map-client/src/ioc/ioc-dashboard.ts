import type { PickingInfo } from '@deck.gl/core';
import type { Feature, FeatureCollection, Geometry, Point } from 'geojson';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { describeError, fetchJson } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { formatDateTime, formatPercent, i18nAttributes, localized, onLanguageChange, t, type MessageKey } from '../app/i18n.ts';
import { cameraStatuses } from '@bandoso/contracts';
import { closeOpenCameraPanel } from '../cameras/camera-loaders.ts';
import { cameraSymbolUrl } from '../cameras/camera-symbols.ts';
import { categoryName, loadCategories, type Category } from '../reports/report-api.ts';
import { mountIocCameras } from './ioc-cameras.ts';
import { newReportMs } from './ioc-colours.ts';
import { buildIocLayers, densityOpacity, iocLabelLayer, iocLayerIds, pointsOf, type IocLayerData, type IocLayerVisibility } from './ioc-layers.ts';
import { mountIocOverlay } from './ioc-overlay.ts';
import { iocText } from './ioc-messages.ts';
import { deskReportPath, navigateTo } from '../views/view.ts';
import { createIocReportDetail } from './ioc-report-detail.ts';
import { connectLiveReports, mergeLiveReport, type FeedState, type LiveReport } from './live-reports.ts';
import { createStatsPanel, type StatisticsReport } from './stats-panel.ts';

/** What the browser tests (and a curious operator in the console) can ask the running dashboard. */
export interface IocProbe {
  /** Tracking codes in the data of the live deck.gl layer, as deck.gl draws it now. */
  liveLayerTrackingCodes(): string[];
  /** The tracking code deck.gl picks at a map coordinate in the live layer (reads the rendered frame). */
  pickLiveReport(lngLat: [number, number]): string | undefined;
  /** Ids of the deck.gl layers drawn now. */
  layerIds(): string[];
  /** Communes in the choropleth, and how many have an on-time rate. */
  choropleth(): { communes: number; withRate: number };
  feedState(): FeedState;
  /** Health by camera code, as the IOC's camera layer draws it now. */
  cameraStatuses(): Record<string, string>;
  /** The tracking code of the report whose details are open. */
  reportDetail(): string | undefined;
}

declare global {
  interface Window {
    bandosoIoc?: IocProbe;
  }
}

/**
 * The operations dashboard, mounted once an operator has signed in: deck.gl layers on the map (the
 * on-time choropleth by commune, report density hexagons, the live reports with a pulse on the new
 * ones), the live list (Server-Sent Events), and the statistics panel.
 */
export function mountIocDashboard(map: MapLibreMap, container: HTMLElement, announce: (message: string) => void): { destroy(): void } {
  const data: IocLayerData = { communes: undefined, onTimeRates: new Map(), reportPoints: [], live: [] };
  const visible: IocLayerVisibility & { cameras: boolean } = { density: true, onTime: true, live: true, cameras: true };
  let feedState: FeedState = 'connecting';
  let destroyed = false;
  let animation: number | undefined;
  let statsTimer: ReturnType<typeof setTimeout> | undefined;
  let categories: Category[] = [];
  const nameOfCategory = (code: string) => {
    const category = categories.find((item) => item.code === code);
    return category ? categoryName(category) : code;
  };

  const tooltip = (info: PickingInfo): string | null => {
    if (!info.object || !info.layer) return null;
    if (info.layer.id === iocLayerIds.onTime) {
      const feature = info.object as Feature<Geometry, { code: string; name: string }>;
      const rate = data.onTimeRates.get(feature.properties.code);
      return t('ioc.communeTooltip', { name: feature.properties.name, rate: rate === null || rate === undefined ? t('ioc.noRate') : formatPercent(rate) });
    }
    if (info.layer.id === iocLayerIds.density) return t('ioc.hexagonTooltip', { count: (info.object as { count?: number; points?: unknown[] }).count ?? (info.object as { points?: unknown[] }).points?.length ?? 0 });
    if (info.layer.id === iocLayerIds.live) {
      const report = info.object as LiveReport;
      return `${report.trackingCode} · ${nameOfCategory(report.category)} · ${t(`status.${report.status}` as MessageKey)} · ${report.commune}`;
    }
    return null;
  };
  const overlay = mountIocOverlay(map, {
    getTooltip: tooltip,
    // A click on a live report opens its details (and the cameras that see its place).
    onClick: (info) => {
      if (info.layer?.id === iocLayerIds.live && info.object) detail.show(info.object as LiveReport);
    },
  });
  const dataStatus = h('p', { className: 'error', role: 'alert' });
  const cameras = mountIocCameras(map, {
    beforeLabels: iocLabelLayer,
    onError: (error) => {
      dataStatus.textContent = `${t('camera.listFailed')} ${describeError(error)}`;
    },
  });
  const detail = createIocReportDetail({
    nameOfCategory,
    flyTo: (coordinates) => map.flyTo({ center: coordinates, zoom: Math.max(map.getZoom(), 15) }),
    open: (report) => navigateTo(deskReportPath(report.id)),
    onCameraError: () => announce(t('camera.openFailed')),
  });

  const redraw = () => {
    if (destroyed) return;
    overlay.setLayers(buildIocLayers(data, visible, Date.now(), map.getLayer(iocLabelLayer) ? iocLabelLayer : undefined, map.getZoom()));
  };
  // The density hexagons fade with the zoom: redraw when their opacity has changed visibly.
  let drawnDensity = densityOpacity(map.getZoom());
  const onZoom = () => {
    const next = densityOpacity(map.getZoom());
    if (Math.abs(next - drawnDensity) < 0.02 && (next === 0) === (drawnDensity === 0)) return;
    drawnDensity = next;
    redraw();
  };
  map.on('zoom', onZoom);
  // While a report is new, redraw a few times a second for its pulse; then stop.
  const animate = () => {
    animation = undefined;
    redraw();
    if (!destroyed && data.live.some((report) => Date.now() - report.arrivedAt < newReportMs)) animation = requestAnimationFrame(() => setTimeout(animate, 100));
  };

  // ---- the panel ----------------------------------------------------------------------------------
  // The chunk's own message (not in i18n.ts, so not filled by translateDom): set again on a switch below.
  const densityNote = h('p', { className: 'muted' }, iocText.t('densityHidden'));
  const layerToggles = h(
    'fieldset',
    { className: 'layer-switcher ioc-layers' },
    h('legend', i18nAttributes('ioc.layers'), t('ioc.layers')),
    ([
      ['onTime', 'ioc.layerOnTime'],
      ['density', 'ioc.layerDensity'],
      ['live', 'ioc.layerLive'],
      ['cameras', 'ioc.layerCameras'],
    ] as const).map(([key, label]) => {
      const input = h('input', { type: 'checkbox', id: `ioc-layer-${key}`, checked: visible[key] });
      input.addEventListener('change', () => {
        visible[key] = input.checked;
        if (key === 'cameras') cameras.setVisible(input.checked);
        else redraw();
      });
      return h('div', { className: 'layer-option' }, input, h('label', { for: `ioc-layer-${key}`, ...i18nAttributes(label) }, t(label)));
    }),
    h('p', { className: 'ioc-legend' }, h('span', {}, '0 %'), h('span', { className: 'ramp', 'aria-hidden': 'true' }), h('span', {}, '100 %')),
    h('p', { className: 'muted', ...i18nAttributes('ioc.legendOnTime') }, t('ioc.legendOnTime')),
    densityNote,
    // The cameras' health, by shape as well as colour (the same icons as on the map).
    h('ul', { className: 'ioc-camera-legend' }, cameraStatuses.map((status) => h('li', {}, h('img', { src: cameraSymbolUrl(status), alt: '', width: 18, height: 18 }), h('span', i18nAttributes(`legend.camera.${status}`), t(`legend.camera.${status}`))))),
  );
  const feedStatus = h('p', { className: 'muted feed-status', role: 'status' });
  const liveList = h('ol', { className: 'live-list', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const liveSection = h('section', { className: 'ioc-section', 'aria-labelledby': 'ioc-live-title' }, h('h3', { id: 'ioc-live-title', ...i18nAttributes('ioc.liveTitle') }, t('ioc.liveTitle')), feedStatus, liveList);
  const stats = createStatsPanel({
    onShowReport: (coordinates) => map.flyTo({ center: coordinates, zoom: Math.max(map.getZoom(), 15) }),
    onOpenReport: (report) => navigateTo(deskReportPath(report.id)),
    categoryName: (category) => {
      const known = categories.find((item) => item.code === category.code);
      return known ? localized({ vi: known.nameVi, en: known.nameEn }) : category.name;
    },
    onCommuneRates: (report: StatisticsReport) => {
      data.onTimeRates = new Map(report.groups.map((group) => [group.key, group.onTimeRate]));
      redraw();
    },
  });
  container.append(detail.element, layerToggles, liveSection, stats.element, dataStatus);

  const renderFeedStatus = () => {
    feedStatus.textContent = feedState === 'open' ? t('ioc.liveConnected') : feedState === 'reconnecting' ? t('ioc.liveReconnecting') : t('app.loading');
    feedStatus.dataset.state = feedState;
  };
  const renderLive = () => {
    if (data.live.length === 0) {
      replaceChildren(liveList, h('li', { className: 'muted' }, t('ioc.liveEmpty')));
      return;
    }
    const now = Date.now();
    replaceChildren(
      liveList,
      data.live.slice(0, 20).map((report) => {
        const show = h('button', { type: 'button', className: 'link-button', 'aria-label': t('ioc.showDetails', { code: report.trackingCode }) }, report.trackingCode);
        show.addEventListener('click', () => {
          map.flyTo({ center: report.coordinates, zoom: Math.max(map.getZoom(), 15) });
          detail.show(report);
        });
        return h(
          'li',
          { className: `live-item${now - report.arrivedAt < newReportMs ? ' is-new' : ''}`, 'data-tracking-code': report.trackingCode, 'data-status': report.status },
          show,
          h('span', {}, ` · ${nameOfCategory(report.category)} · ${t(`status.${report.status}` as MessageKey)} · ${report.commune}`),
          h('span', { className: 'muted' }, ` · ${formatDateTime(report.createdAt)}`),
        );
      }),
    );
  };
  renderFeedStatus();
  renderLive();

  // ---- data -----------------------------------------------------------------------------------------
  const feed = connectLiveReports(
    (type, event) => {
      if (destroyed) return;
      data.live = mergeLiveReport(data.live, event, Date.now());
      detail.update(data.live.find((report) => report.trackingCode === event.report.trackingCode));
      if (type === 'report.created') {
        data.reportPoints = [...data.reportPoints, event.report.location.coordinates];
        announce(t('ioc.liveAnnounce', { code: event.report.trackingCode, category: nameOfCategory(event.report.category), commune: event.report.commune.name }));
      }
      renderLive();
      if (animation === undefined) animate();
      // The statistics follow, a little later (several reports often arrive together).
      if (statsTimer) clearTimeout(statsTimer);
      statsTimer = setTimeout(() => void stats.refresh(), 5_000);
    },
    (state) => {
      // Back after an interruption: camera health changes meanwhile were not replayed; the list has them.
      if (state === 'open' && feedState === 'reconnecting') void cameras.reload();
      feedState = state;
      renderFeedStatus();
    },
    (event) => {
      if (destroyed) return;
      cameras.applyStatus(event);
      detail.applyCameraStatus(event);
    },
  );

  void (async () => {
    try {
      const [communes, reports] = await Promise.all([
        fetchJson<FeatureCollection<Geometry, { code: string; name: string }>>('/ogc/collections/communes/items?limit=1000&f=json'),
        fetchJson<FeatureCollection<Point | null>>('/ogc/collections/reports/items?limit=10000&f=json'),
      ]);
      if (destroyed) return;
      data.communes = communes;
      data.reportPoints = [...pointsOf(reports), ...data.reportPoints];
      redraw();
    } catch (error) {
      dataStatus.textContent = `${t('ioc.dataFailed')} ${describeError(error)}`;
    }
  })();
  void stats.refresh();
  void loadCategories()
    .then((loaded) => {
      categories = loaded;
      if (!destroyed) renderLive();
    })
    .catch(() => undefined);
  redraw();
  const stopLanguage = onLanguageChange(() => {
    densityNote.textContent = iocText.t('densityHidden');
    renderFeedStatus();
    renderLive();
    stats.render();
    detail.update();
  });

  window.bandosoIoc = {
    liveLayerTrackingCodes() {
      const layer = overlay.layers().find((item) => item.id === iocLayerIds.live);
      return ((layer?.props.data as LiveReport[] | undefined) ?? []).map((report) => report.trackingCode);
    },
    pickLiveReport(lngLat) {
      const point = map.project(lngLat);
      const picked = overlay.pick(point.x, point.y, [iocLayerIds.live], 8);
      return (picked?.object as LiveReport | undefined)?.trackingCode;
    },
    layerIds: () => overlay.layers().map((layer) => layer.id),
    choropleth: () => ({ communes: data.communes?.features.length ?? 0, withRate: [...data.onTimeRates.values()].filter((value) => value !== null).length }),
    feedState: () => feedState,
    cameraStatuses: () => cameras.statuses(),
    reportDetail: () => detail.shown(),
  };

  return {
    destroy() {
      destroyed = true;
      stopLanguage();
      feed.close();
      if (animation !== undefined) cancelAnimationFrame(animation);
      if (statsTimer) clearTimeout(statsTimer);
      map.off('zoom', onZoom);
      overlay.remove();
      cameras.destroy();
      // A restricted camera must not keep playing once its operator has left (signed out).
      closeOpenCameraPanel();
      delete window.bandosoIoc;
    },
  };
}
