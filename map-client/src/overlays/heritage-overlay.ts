import type { Map as MapLibreMap, PointLike } from 'maplibre-gl';
import type { Language } from '../app/i18n.ts';
import type { MapOverlay, OverlayStyle, StyleContext } from '../map/map-overlay.ts';
import { palette } from '../map/map-colours.ts';

const nameField = (language: Language) => ['coalesce', ['get', language === 'vi' ? 'name_vi' : 'name_en'], ['get', 'name_vi']];

/** The in-map 3D layer, with three.js: loaded only when the map is pitched and zoomed in over a site with a model. */
const loadHeritage3dLayer = () => import('../heritage/heritage-3d-layer.ts');

/** From this zoom and this pitch the relics stand in place. */
export const inPlaceZoom = 15;
export const inPlacePitch = 20;

/** Whether a rendered heritage feature has a 3D model (the tiles' `has_3d`, or a `tileset` URL). */
const hasModel = (properties: Record<string, unknown> | null | undefined) => properties?.has_3d === true || (typeof properties?.tileset === 'string' && properties.tileset !== '');

/** A heritage site drawn on the map, from its tile feature. */
export interface HeritageSiteHit {
  code: string;
  name: { vi: string; en: string };
  /** It has a 3D model (its page is a 3D tour). */
  hasModel: boolean;
}

/** The heritage site drawn at a screen point (a finger's width around it), if any. */
export function heritageSiteAt(map: MapLibreMap, point: { x: number; y: number }): HeritageSiteHit | undefined {
  if (!map.getLayer('heritage-point') || map.getLayoutProperty('heritage-point', 'visibility') === 'none') return undefined;
  const box: [PointLike, PointLike] = [
    [point.x - 10, point.y - 10],
    [point.x + 10, point.y + 10],
  ];
  const properties = map.queryRenderedFeatures(box, { layers: ['heritage-point'] })[0]?.properties;
  const code = properties?.code;
  if (typeof code !== 'string') return undefined;
  const vi = typeof properties?.name_vi === 'string' ? properties.name_vi : code;
  const en = typeof properties?.name_en === 'string' && properties.name_en ? properties.name_en : vi;
  return { code, name: { vi, en }, hasModel: hasModel(properties) };
}

/**
 * The Điện Biên Phủ battlefield and other historic sites. Their tours open from the /heritage view
 * (views/heritage-view.ts); pitched and zoomed in over a site with a model, the relic stands in place
 * (heritage/heritage-3d-layer.ts, three.js, loaded then and only then).
 */
export const heritageOverlay: MapOverlay = {
  id: 'heritage',
  labelKey: 'layers.heritage',
  tileLayers: ['heritage-sites'],
  visibleByDefault: true,
  pickable: [{ layerId: 'heritage-point', kind: 'heritage', idProperty: 'code' }],
  style(context: StyleContext): OverlayStyle {
    return {
      sources: { 'heritage-sites': { type: 'vector', url: context.tileJsonUrl('heritage-sites') } },
      layers: [
        {
          slot: 'points',
          layer: {
            id: 'heritage-point',
            type: 'circle',
            source: 'heritage-sites',
            'source-layer': 'heritage-sites',
            minzoom: 9,
            paint: {
              'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 3.5, 15, 8],
              'circle-color': ['match', ['get', 'rank'], 'special_national', palette.heritage.special_national, 'national', palette.heritage.national, palette.heritage.provincial],
              'circle-stroke-color': '#ffffff',
              'circle-stroke-width': 1.5,
            },
          },
        },
        {
          slot: 'labels',
          layer: {
            id: 'heritage-label',
            type: 'symbol',
            source: 'heritage-sites',
            'source-layer': 'heritage-sites',
            // A relic's name as soon as its point is a landmark of the view; names that do not fit give way (collision).
            minzoom: 10,
            layout: {
              'text-field': nameField(context.language) as never,
              'text-font': [context.config.fontStacks.regular],
              'text-size': ['interpolate', ['linear'], ['zoom'], 10, 11, 14, 12.5],
              'text-offset': [0, 1.1],
              'text-anchor': 'top',
              'text-max-width': 9,
              'text-optional': true,
            },
            paint: { 'text-color': palette.heritage.special_national, 'text-halo-color': palette.labelHalo, 'text-halo-width': 1.5 },
          },
        },
      ],
    };
  },
  legend() {
    return [
      { labelKey: 'legend.heritage.special_national', swatch: { kind: 'dot', colour: palette.heritage.special_national } },
      { labelKey: 'legend.heritage.national', swatch: { kind: 'dot', colour: palette.heritage.national } },
    ];
  },
  attach(map: MapLibreMap) {
    let mounting: Promise<unknown> | undefined;
    const check = () => {
      if (mounting || map.getZoom() < inPlaceZoom || map.getPitch() < inPlacePitch || !map.getLayer('heritage-point')) return;
      if (map.getLayoutProperty('heritage-point', 'visibility') === 'none') return;
      if (!map.queryRenderedFeatures({ layers: ['heritage-point'] }).some((feature) => hasModel(feature.properties))) return;
      mounting = loadHeritage3dLayer()
        .then(({ mountHeritage3dLayer }) => mountHeritage3dLayer(map))
        .catch((error: unknown) => {
          // Offline or no WebGL 2 for three.js: the points stay; try again on a later move.
          console.warn('heritage 3D layer', error);
          mounting = undefined;
        });
    };
    // After a move, and once the tiles of the new view have come (the site's point is then drawn).
    map.on('moveend', check);
    map.on('idle', check);
    check();
  },
  applyLanguage(map: MapLibreMap, language: Language) {
    if (map.getLayer('heritage-label')) map.setLayoutProperty('heritage-label', 'text-field', nameField(language) as never);
  },
};
