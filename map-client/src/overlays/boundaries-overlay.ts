import type { MapOverlay, OverlayStyle, StyleContext } from '../map/map-overlay.ts';
import { palette } from '../map/map-colours.ts';

/** The province outline and the 45 communes and wards, with their names. */
export const boundariesOverlay: MapOverlay = {
  id: 'boundaries',
  labelKey: 'layers.boundaries',
  tileLayers: ['province', 'communes', 'commune-labels'],
  visibleByDefault: true,
  style(context: StyleContext): OverlayStyle {
    const { regular } = context.config.fontStacks;
    return {
      sources: {
        province: { type: 'vector', url: context.tileJsonUrl('province') },
        communes: { type: 'vector', url: context.tileJsonUrl('communes') },
        'commune-labels': { type: 'vector', url: context.tileJsonUrl('commune-labels') },
      },
      layers: [
        {
          // The ground: under the platform's own base map (which draws on it), or, over a
          // deployment's base map, a tint in the platform's layers.
          slot: context.hasBasemap ? 'polygons' : 'ground',
          layer: {
            id: 'boundaries-province-fill',
            type: 'fill',
            source: 'province',
            'source-layer': 'province',
            paint: { 'fill-color': palette.province, 'fill-opacity': context.hasBasemap ? 0.15 : 1 },
          },
        },
        {
          // Invisible, but it makes every commune queryable (clicks, tests) anywhere inside it.
          slot: 'polygons',
          layer: {
            id: 'boundaries-commune-fill',
            type: 'fill',
            source: 'communes',
            'source-layer': 'communes',
            paint: { 'fill-color': '#000000', 'fill-opacity': 0 },
          },
        },
        {
          slot: 'lines',
          layer: {
            id: 'boundaries-commune-line',
            type: 'line',
            source: 'communes',
            'source-layer': 'communes',
            paint: {
              'line-color': palette.communeOutline,
              'line-width': ['interpolate', ['linear'], ['zoom'], 7, 0.5, 12, 1.5],
              'line-dasharray': [3, 2],
            },
          },
        },
        {
          slot: 'lines',
          layer: {
            id: 'boundaries-province-line',
            type: 'line',
            source: 'province',
            'source-layer': 'province',
            layout: { 'line-join': 'round' },
            paint: { 'line-color': palette.provinceOutline, 'line-width': ['interpolate', ['linear'], ['zoom'], 6, 1.5, 12, 3.5] },
          },
        },
        {
          slot: 'labels',
          layer: {
            // From one point per commune: labelling the polygons would repeat a name in every tile.
            id: 'boundaries-commune-label',
            type: 'symbol',
            source: 'commune-labels',
            'source-layer': 'commune-labels',
            minzoom: 7,
            layout: {
              'text-field': ['get', 'name'],
              'text-font': [regular],
              'text-size': ['interpolate', ['linear'], ['zoom'], 8, 11, 13, 16],
              'text-max-width': 8,
              'text-padding': 4,
            },
            paint: { 'text-color': palette.label, 'text-halo-color': palette.labelHalo, 'text-halo-width': 1.5 },
          },
        },
      ],
    };
  },
  legend() {
    return [
      { labelKey: 'legend.province', swatch: { kind: 'line', colour: palette.provinceOutline } },
      { labelKey: 'legend.commune', swatch: { kind: 'dashed', colour: palette.communeOutline } },
      { labelKey: 'legend.outside', swatch: { kind: 'fill', colour: palette.outside, outline: palette.communeOutline } },
    ];
  },
};
