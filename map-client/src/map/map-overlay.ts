import type { LayerSpecification, Map as MapLibreMap, SourceSpecification } from 'maplibre-gl';
import type { ClientConfig } from '../app/client-config.ts';
import type { Language, MessageKey } from '../app/i18n.ts';

export type OverlayId = 'boundaries' | 'planning' | 'reports' | 'heritage' | 'cameras' | 'facilities' | 'basemap';

/** What an overlay needs to describe its part of the style. */
export interface StyleContext {
  config: ClientConfig;
  language: Language;
  /** The platform's origin (MapLibre fetches from its worker, so every URL is made absolute). */
  origin: string;
  /** Absolute TileJSON URL of a tile layer. */
  tileJsonUrl(layer: string): string;
  /** A deployment's base map is drawn underneath: leave the ground to it (no opaque fills). */
  hasBasemap: boolean;
}

/**
 * Where a layer goes in the composed style, whatever overlay it comes from: the ground (the province's
 * fill), the platform's base map, then the platform's layers (polygons under lines under points under
 * labels). The base map's own labels stay in its slot, under every platform layer.
 */
export type LayerSlot = 'ground' | 'basemap' | 'polygons' | 'lines' | 'points' | 'labels';
export const layerSlots: readonly LayerSlot[] = ['ground', 'basemap', 'polygons', 'lines', 'points', 'labels'];

/** A layer with the slot it is drawn in. */
export interface SlottedLayer {
  slot: LayerSlot;
  layer: LayerSpecification;
}

export interface OverlayStyle {
  sources: Record<string, SourceSpecification>;
  /** In drawing order within each slot; every id starts with the overlay id. */
  layers: SlottedLayer[];
}

export interface LegendEntry {
  labelKey: MessageKey;
  /** How the swatch looks: a filled box, a line, a dot, or the map's own icon (`image`, a URL). */
  swatch: { kind: 'fill' | 'line' | 'dot' | 'dashed'; colour: string; outline?: string } | { kind: 'icon'; colour: string; image: string };
}

/** What kind of place a tap can pick on the platform's own layers (map/map-pick.ts, views/map-pick.ts). */
export type PickKind = 'report' | 'cluster' | 'camera' | 'heritage' | 'facility' | 'zone';

/** A layer whose features a tap picks: the kind of place each is, and the property naming it. */
export interface PickableLayer {
  layerId: string;
  kind: PickKind;
  idProperty: string;
}

/**
 * One thing drawn on the map (DESIGN principle 12): the boundaries, the planning zones, the reports…
 * Each overlay owns its sources and layers (a pure description, unit-tested), its legend, and, once
 * the map exists, its behaviour. The app shell only composes them: it never names an overlay's layers.
 */
export interface MapOverlay {
  readonly id: OverlayId;
  readonly labelKey: MessageKey;
  /** Tile layers it draws; it is offered only when the platform serves all of them. */
  readonly tileLayers: readonly string[];
  /** Drawn on the citizen view at start. */
  readonly visibleByDefault: boolean;
  /** The platform's own base map: left out when a deployment draws its own (BASEMAP_STYLE_URL). */
  readonly isBasemap?: true;
  style(context: StyleContext): OverlayStyle;
  legend(): LegendEntry[];
  /** After the style has loaded: handlers, sources of its own. */
  attach?(map: MapLibreMap, context: StyleContext): void;
  /** Its layers a tap picks ("what did I tap", map/map-pick.ts), most specific first. */
  readonly pickable?: readonly PickableLayer[];
  /** Labels that depend on the language (e.g. heritage names). */
  applyLanguage?(map: MapLibreMap, language: Language): void;
}

/** Shows or hides every layer of an overlay (layers are found by their id prefix). */
export function setOverlayVisibility(map: MapLibreMap, overlay: Pick<MapOverlay, 'id'>, visible: boolean): void {
  for (const layer of map.getStyle().layers ?? []) {
    if (layer.id.startsWith(`${overlay.id}-`)) map.setLayoutProperty(layer.id, 'visibility', visible ? 'visible' : 'none');
  }
}
