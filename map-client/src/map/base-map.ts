import { AttributionControl, GeolocateControl, Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type StyleSpecification } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { provincialCity, type ClientConfig } from '../app/client-config.ts';
import { onLanguageChange, t } from '../app/i18n.ts';
import { recordLoadedTiles } from '../pwa/first-visit-cache.ts';
import { readSavedView, rememberView, startAtCityIfThere, viewStorage, wheelZoomRate } from './start-view.ts';

// MapLibre 6 is ES modules only; under a bundler it cannot find its worker by itself, so the worker
// file is emitted as a hashed asset and named here, once, before any map exists.
setWorkerUrl(workerUrl);

export interface BaseMapOptions {
  container: HTMLElement;
  config: ClientConfig;
  style: StyleSpecification | string;
  /** Merges the platform's layers into a base map's style once it has loaded (BASEMAP_STYLE_URL). */
  transformStyle?: (previous: StyleSpecification | undefined, next: StyleSpecification) => StyleSpecification;
}

/** The MapLibre map fitted to the province, with controls labelled in the page's language. */
export function createBaseMap({ container, config, style, transformStyle }: BaseMapOptions): MapLibreMap {
  const [west, south, east, north] = config.provinceBounds;
  // The last view of this browser, or the province (then the city, when the device is there).
  const saved = readSavedView(viewStorage(), config.provinceBounds);
  const map = new MapLibreMap({
    container,
    style,
    ...(transformStyle ? { transformStyle } : {}),
    ...(saved
      ? { center: saved.center, zoom: saved.zoom }
      : {
          bounds: [
            [west, south],
            [east, north],
          ] as [[number, number], [number, number]],
          fitBoundsOptions: { padding: openingPadding() },
        }),
    maxBounds: [
      [west - 3, south - 3],
      [east + 3, north + 3],
    ],
    minZoom: 5,
    maxZoom: 19,
    attributionControl: false,
    // The map's own keyboard handling (arrows pan, +/- zoom) once the canvas has focus.
    keyboard: true,
    locale: controlLocale(),
  });
  map.scrollZoom.setWheelZoomRate(wheelZoomRate);
  rememberView(map, viewStorage());
  // The tiles of a first visit, for the service worker once it runs (pwa/first-visit-cache.ts).
  recordLoadedTiles(map);
  if (!saved) void startAtCityIfThere(map, provincialCity.bounds, openingPadding());
  map.addControl(new NavigationControl({ visualizePitch: false }), 'top-right');
  map.addControl(
    new GeolocateControl({ positionOptions: { enableHighAccuracy: true }, trackUserLocation: false, showAccuracyCircle: true, fitBoundsOptions: { maxZoom: 15 } }),
    'top-right',
  );
  map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
  // The sources' TileJSON carry the attributions (the sample data; "© OpenStreetMap contributors"
  // of the base map, which ODbL requires on screen whenever it is drawn). MapLibre lists the sources
  // that a visible layer uses, and opens the compact control expanded until the map is first dragged.
  // Sample data says so in the language on screen: the control is made again when the language changes.
  const attributionControl = () => new AttributionControl({ compact: true, ...(config.sampleData ? { customAttribution: t('map.sampleData') } : {}) });
  let attribution = attributionControl();
  map.addControl(attribution, 'bottom-right');

  const canvas = map.getCanvas();
  canvas.setAttribute('aria-label', t('map.label'));
  onLanguageChange(() => {
    canvas.setAttribute('aria-label', t('map.label'));
    if (config.sampleData) {
      // A compact attribution the person (or a drag) folded stays folded: a new control opens unfolded.
      const folded = container.querySelector('.maplibregl-ctrl-attrib.maplibregl-compact:not(.maplibregl-compact-show)') !== null;
      map.removeControl(attribution);
      attribution = attributionControl();
      map.addControl(attribution, 'bottom-right');
      if (folded) container.querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show');
    }
    relabelControls(container);
  });
  return map;
}

/** Room for the panels that cover the map (side panels from 900 px, a bottom sheet on phones). */
function openingPadding(): { top: number; bottom: number; left: number; right: number } {
  if (globalThis.innerWidth >= 900) return { top: 16, bottom: 16, left: 340, right: 400 };
  return { top: 16, bottom: 96, left: 16, right: 56 };
}

function controlLocale(): Record<string, string> {
  return {
    'NavigationControl.ZoomIn': t('map.zoomIn'),
    'NavigationControl.ZoomOut': t('map.zoomOut'),
    'NavigationControl.ResetBearing': t('map.resetBearing'),
    'GeolocateControl.FindMyLocation': t('citizen.useMyLocation'),
    'GeolocateControl.LocationNotAvailable': t('emergency.usingMapCentre'),
    'FullscreenControl.Enter': t('map.fullscreen'),
    'AttributionControl.ToggleAttribution': t('basemap.attributionToggle'),
    'ScaleControl.Meters': 'm',
    'ScaleControl.Kilometers': 'km',
  };
}

/** MapLibre reads its locale once; later language changes relabel the control buttons by hand. */
function relabelControls(container: HTMLElement): void {
  const labels: [string, string][] = [
    ['.maplibregl-ctrl-zoom-in', t('map.zoomIn')],
    ['.maplibregl-ctrl-zoom-out', t('map.zoomOut')],
    ['.maplibregl-ctrl-compass', t('map.resetBearing')],
    ['.maplibregl-ctrl-geolocate', t('citizen.useMyLocation')],
    ['.maplibregl-ctrl-attrib-button', t('basemap.attributionToggle')],
  ];
  for (const [selector, label] of labels) {
    const button = container.querySelector<HTMLElement>(selector);
    if (!button) continue;
    button.title = label;
    button.setAttribute('aria-label', label);
  }
}
