import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Language } from '../app/i18n.ts';
import type { MapOverlay, OverlayStyle, StyleContext } from '../map/map-overlay.ts';
import { palette } from '../map/map-colours.ts';

const nameField = (language: Language) => ['coalesce', ['get', language === 'vi' ? 'name_vi' : 'name_en'], ['get', 'name_vi']];

/**
 * The Điện Biên Phủ battlefield and other historic sites. The 3D tour (three.js) will open from here
 * in its own view, loaded only when asked for (heritage issue).
 */
export const heritageOverlay: MapOverlay = {
  id: 'heritage',
  labelKey: 'layers.heritage',
  tileLayers: ['heritage-sites'],
  visibleByDefault: true,
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
            minzoom: 13,
            layout: {
              'text-field': nameField(context.language) as never,
              'text-font': [context.config.fontStacks.regular],
              'text-size': 12,
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
  applyLanguage(map: MapLibreMap, language: Language) {
    if (map.getLayer('heritage-label')) map.setLayoutProperty('heritage-label', 'text-field', nameField(language) as never);
  },
};
