import type { MapOverlay, OverlayStyle, StyleContext } from '../map/map-overlay.ts';
import { palette } from '../map/map-colours.ts';

/** Police, fire and health facilities: what the emergency panel lists, on the map. */
export const facilitiesOverlay: MapOverlay = {
  id: 'facilities',
  labelKey: 'layers.facilities',
  tileLayers: ['facilities'],
  visibleByDefault: true,
  pickable: [{ layerId: 'facilities-point', kind: 'facility', idProperty: 'code' }],
  style(context: StyleContext): OverlayStyle {
    return {
      sources: { facilities: { type: 'vector', url: context.tileJsonUrl('facilities') } },
      layers: [
        {
          slot: 'points',
          layer: {
            id: 'facilities-point',
            type: 'circle',
            source: 'facilities',
            'source-layer': 'facilities',
            minzoom: 9,
            paint: {
              'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 3, 15, 7],
              'circle-color': [
                'match',
                ['get', 'kind'],
                'police', palette.facility.police,
                'fire', palette.facility.fire,
                'hospital', palette.facility.hospital,
                palette.facility.clinic,
              ],
              'circle-stroke-color': '#ffffff',
              'circle-stroke-width': 1.5,
            },
          },
        },
        {
          slot: 'labels',
          layer: {
            id: 'facilities-label',
            type: 'symbol',
            source: 'facilities',
            'source-layer': 'facilities',
            minzoom: 12,
            layout: {
              'text-field': ['get', 'name'],
              'text-font': [context.config.fontStacks.regular],
              'text-size': 11,
              'text-offset': [0, 1],
              'text-anchor': 'top',
              'text-max-width': 10,
              'text-optional': true,
            },
            paint: { 'text-color': palette.label, 'text-halo-color': palette.labelHalo, 'text-halo-width': 1.2 },
          },
        },
      ],
    };
  },
  legend() {
    return (['police', 'fire', 'hospital', 'clinic'] as const).map((kind) => ({
      labelKey: `legend.facility.${kind}` as const,
      swatch: { kind: 'dot' as const, colour: palette.facility[kind] },
    }));
  },
};
