import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { palette } from './map-colours.ts';
import { layerSlots, type MapOverlay, type OverlayId, type StyleContext } from './map-overlay.ts';

export interface ComposeOptions {
  overlays: readonly MapOverlay[];
  /** Tile layers the platform serves (GET /tiles); overlays needing others are left out. */
  availableTileLayers: ReadonlySet<string>;
  visibleOverlays: ReadonlySet<OverlayId>;
  context: StyleContext;
}

export interface ComposedLayers {
  sources: StyleSpecification['sources'];
  layers: LayerSpecification[];
  /** The overlays that made it into the style. */
  included: MapOverlay[];
}

export function isOverlayAvailable(overlay: Pick<MapOverlay, 'tileLayers'>, availableTileLayers: ReadonlySet<string>): boolean {
  return overlay.tileLayers.every((layer) => availableTileLayers.has(layer));
}

/** The overlays' sources and layers, ordered by slot (polygons, lines, points, labels), then by overlay order. */
export function composeOverlayLayers({ overlays, availableTileLayers, visibleOverlays, context }: ComposeOptions): ComposedLayers {
  const included = overlays.filter((overlay) => isOverlayAvailable(overlay, availableTileLayers));
  const styles = included.map((overlay) => ({ overlay, style: overlay.style(context) }));
  const sources: StyleSpecification['sources'] = {};
  for (const { style } of styles) Object.assign(sources, style.sources);
  const layers: LayerSpecification[] = [];
  for (const slot of layerSlots) {
    for (const { overlay, style } of styles) {
      for (const slotted of style.layers) {
        if (slotted.slot !== slot) continue;
        const visibility = visibleOverlays.has(overlay.id) ? 'visible' : 'none';
        layers.push({ ...slotted.layer, layout: { ...(slotted.layer.layout ?? {}), visibility } } as LayerSpecification);
      }
    }
  }
  return { sources, layers, included };
}

/**
 * The platform's own style, for a deployment without a base map: everything comes from this
 * platform (TileJSON, tiles, glyphs; no sprite, points are circles), so the map works offline and
 * asks nothing of any other host.
 */
export function buildOfflineStyle(options: ComposeOptions): StyleSpecification {
  const { sources, layers } = composeOverlayLayers(options);
  return {
    version: 8,
    name: 'Bản đồ số — offline',
    glyphs: absoluteUrl(options.context.config.glyphsUrl, options.context.origin),
    sources,
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': palette.outside } }, ...layers],
  };
}

/**
 * A deployment's base map with the platform's layers on top. The glyphs URL becomes the platform's:
 * one style has one glyph source, the platform's labels need Vietnamese glyphs, and the platform
 * answers any font name the base map asks for with Noto Sans (api/src/modules/web).
 */
export function composeWithBasemap(basemap: StyleSpecification, options: ComposeOptions): StyleSpecification {
  // The deployment's base map wins over the platform's own (one base map at a time).
  const { sources, layers } = composeOverlayLayers({ ...options, overlays: options.overlays.filter((overlay) => !overlay.isBasemap) });
  return {
    ...basemap,
    glyphs: absoluteUrl(options.context.config.glyphsUrl, options.context.origin),
    sources: { ...basemap.sources, ...sources },
    layers: [...basemap.layers, ...layers],
  };
}

/** MapLibre needs absolute URLs for resources it fetches from its worker. */
function absoluteUrl(url: string, origin: string): string {
  // Keep the {fontstack}/{range} placeholders as they are (URL() would percent-encode the braces).
  return /^https?:\/\//.test(url) ? url : `${origin}${url.startsWith('/') ? '' : '/'}${url}`;
}
