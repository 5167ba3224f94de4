// The API compiles this module with its own tsconfig (no Vite types): the overlays reach, through
// lazily loaded camera modules, imports that only Vite's and the client's declarations describe.
/// <reference types="vite/client" />
/// <reference path="../types/hls-light.d.ts" />
import type { StyleSpecification } from 'maplibre-gl';
import type { ClientConfig } from '../app/client-config.ts';
import type { Language } from '../app/i18n.ts';
import { allOverlays } from '../overlays/index.ts';
import { buildOfflineStyle } from './map-style.ts';
import type { OverlayId } from './map-overlay.ts';
import { tileJsonUrl } from './tile-catalog.ts';

export interface DefaultStyleOptions {
  config: ClientConfig;
  /** The origin every URL is made absolute on (the one the style was asked on). */
  origin: string;
  /** Tile layers the platform serves. */
  availableTileLayers: ReadonlySet<string>;
  language?: Language;
}

/**
 * The map as the client composes it at start (the overlays that are on by default visible, the
 * others present but hidden), as one self-contained MapLibre style with absolute URLs: what
 * `GET /styles/default.json` publishes for QGIS and other MapLibre clients. Composing only, no DOM:
 * the API imports it, so the published style and the page cannot drift apart. A deployment's own
 * base map (BASEMAP_STYLE_URL) is not fetched here: the style then carries the platform's layers
 * over no base map, with the province tinted as it is over a base map.
 */
export function buildDefaultStyle({ config, origin, availableTileLayers, language = config.defaultLanguage }: DefaultStyleOptions): StyleSpecification {
  const deploymentBasemap = config.basemapStyleUrl !== null;
  const overlays = deploymentBasemap ? allOverlays.filter((overlay) => !overlay.isBasemap) : allOverlays;
  const visibleOverlays = new Set<OverlayId>(overlays.filter((overlay) => overlay.visibleByDefault).map((overlay) => overlay.id));
  const style = buildOfflineStyle({
    overlays,
    availableTileLayers,
    visibleOverlays,
    context: { config, language, origin, hasBasemap: deploymentBasemap, tileJsonUrl: (layer) => tileJsonUrl(config.tilesUrl, layer, origin) },
  });
  return { ...style, name: 'Bản đồ số Điện Biên', center: config.defaultCenter, zoom: config.defaultZoom };
}
