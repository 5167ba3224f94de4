import type { MapOverlay, OverlayStyle, StyleContext } from '../map/map-overlay.ts';
import { palette } from '../map/map-colours.ts';

/**
 * Traffic and security cameras with their field of view. The live player (hls.js) opens in its own
 * view, loaded only then (cameras issue; see views/camera-player-view.ts).
 */
export const camerasOverlay: MapOverlay = {
  id: 'cameras',
  labelKey: 'layers.cameras',
  tileLayers: ['cameras', 'camera-fov'],
  visibleByDefault: false,
  style(context: StyleContext): OverlayStyle {
    return {
      sources: {
        cameras: { type: 'vector', url: context.tileJsonUrl('cameras') },
        'camera-fov': { type: 'vector', url: context.tileJsonUrl('camera-fov') },
      },
      layers: [
        {
          slot: 'polygons',
          layer: {
            id: 'cameras-fov',
            type: 'fill',
            source: 'camera-fov',
            'source-layer': 'camera-fov',
            minzoom: 13,
            paint: { 'fill-color': palette.camera.fov, 'fill-opacity': 0.15, 'fill-outline-color': palette.camera.fov },
          },
        },
        {
          slot: 'points',
          layer: {
            id: 'cameras-point',
            type: 'circle',
            source: 'cameras',
            'source-layer': 'cameras',
            minzoom: 11,
            paint: {
              'circle-radius': 5,
              'circle-color': ['match', ['get', 'status'], 'online', palette.camera.online, palette.camera.offline],
              'circle-stroke-color': '#ffffff',
              'circle-stroke-width': 1.5,
            },
          },
        },
      ],
    };
  },
  legend() {
    return [
      { labelKey: 'legend.camera.online', swatch: { kind: 'dot', colour: palette.camera.online } },
      { labelKey: 'legend.camera.offline', swatch: { kind: 'dot', colour: palette.camera.offline } },
      { labelKey: 'legend.camera.fov', swatch: { kind: 'fill', colour: palette.camera.fov } },
    ];
  },
};
