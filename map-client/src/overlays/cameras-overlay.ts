import { cameraStatuses } from '@bandoso/contracts';
import type { ExpressionSpecification, FillLayerSpecification, Map as MapLibreMap, PointLike, SymbolLayerSpecification } from 'maplibre-gl';
import { t } from '../app/i18n.ts';
import type { CameraSummary } from '../cameras/camera-api.ts';
import { openCameraPanel } from '../cameras/camera-loaders.ts';
import { cameraImageId, cameraSymbolUrl, ensureCameraIcons, knownCameraStatus } from '../cameras/camera-symbols.ts';
import type { MapOverlay, OverlayStyle, StyleContext } from '../map/map-overlay.ts';
import { palette } from '../map/map-colours.ts';

const statusColour = ['match', ['get', 'status'], 'online', palette.camera.online, 'degraded', palette.camera.degraded, 'maintenance', palette.camera.maintenance, palette.camera.offline] as ExpressionSpecification;
const statusIcon: ExpressionSpecification = ['match', ['get', 'status'], 'online', cameraImageId('online'), 'degraded', cameraImageId('degraded'), 'maintenance', cameraImageId('maintenance'), cameraImageId('offline')];

/** A camera's field of view, tinted by its health (the vector tiles, or the IOC's own GeoJSON source). */
export function cameraFovLayer(id: string, source: string, sourceLayer?: string): FillLayerSpecification {
  return {
    id,
    type: 'fill',
    source,
    ...(sourceLayer ? { 'source-layer': sourceLayer } : {}),
    minzoom: 13,
    paint: { 'fill-color': statusColour, 'fill-opacity': 0.15, 'fill-outline-color': statusColour },
  };
}

/** A camera's icon: shape, mark and colour by its health (cameras/camera-symbols.ts). Always drawn: a camera hidden by a label would look like no camera. */
export function cameraPointLayer(id: string, source: string, sourceLayer?: string): SymbolLayerSpecification {
  return {
    id,
    type: 'symbol',
    source,
    ...(sourceLayer ? { 'source-layer': sourceLayer } : {}),
    minzoom: 11,
    layout: {
      'icon-image': statusIcon,
      'icon-size': ['interpolate', ['linear'], ['zoom'], 11, 0.7, 16, 1],
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
    },
  };
}

/** The public camera whose icon is at a screen point (a finger's width around it), if any. */
export function cameraAt(map: MapLibreMap, point: { x: number; y: number }, layerId = 'cameras-point'): CameraSummary | undefined {
  if (!map.getLayer(layerId) || map.getLayoutProperty(layerId, 'visibility') === 'none') return undefined;
  const box: [PointLike, PointLike] = [
    [point.x - 12, point.y - 12],
    [point.x + 12, point.y + 12],
  ];
  return cameraSummaryOf(map.queryRenderedFeatures(box, { layers: [layerId] })[0]?.properties);
}

/** The camera a tile feature describes (its properties), if it is one. */
export function cameraSummaryOf(properties: Record<string, unknown> | null | undefined): CameraSummary | undefined {
  if (typeof properties?.code !== 'string') return undefined;
  return {
    ...(typeof properties.id === 'string' ? { id: properties.id } : {}),
    code: properties.code,
    name: typeof properties.name === 'string' ? properties.name : properties.code,
    status: knownCameraStatus(properties.status),
    visibility: properties.visibility === 'restricted' ? 'restricted' : 'public',
  };
}

/** A tap on a camera opens its player (the views call this before their own click handling). */
export function openCameraAt(map: MapLibreMap, point: { x: number; y: number }, announce: (message: string) => void): boolean {
  const camera = cameraAt(map, point);
  if (!camera) return false;
  openCameraPanel(camera, { onError: () => announce(t('camera.openFailed')) });
  keepCameraInView(map, map.unproject([point.x, point.y]).toArray() as [number, number]);
  return true;
}

/** On a phone the player's panel covers the lower half of the map: the camera moves above it. */
export function keepCameraInView(map: MapLibreMap, lngLat: [number, number]): void {
  const container = map.getContainer();
  if (container.clientWidth >= 900) return;
  map.easeTo({ center: lngLat, offset: [0, -container.clientHeight * 0.3], duration: 300 });
}

/**
 * Public traffic and security cameras with their field of view, coloured and shaped by health. A tap
 * on one opens its live player (cameras/camera-panel.ts with hls.js, both loaded only then). The IOC
 * draws every camera, restricted ones too, from `GET /api/cameras` (ioc/ioc-cameras.ts).
 */
export const camerasOverlay: MapOverlay = {
  id: 'cameras',
  labelKey: 'layers.cameras',
  tileLayers: ['cameras', 'camera-fov'],
  visibleByDefault: false,
  pickable: [{ layerId: 'cameras-point', kind: 'camera', idProperty: 'code' }],
  style(context: StyleContext): OverlayStyle {
    return {
      sources: {
        cameras: { type: 'vector', url: context.tileJsonUrl('cameras') },
        'camera-fov': { type: 'vector', url: context.tileJsonUrl('camera-fov') },
      },
      layers: [
        { slot: 'polygons', layer: cameraFovLayer('cameras-fov', 'camera-fov', 'camera-fov') },
        // With the labels: an icon, and above the report dots (a camera is the thing to tap).
        { slot: 'labels', layer: cameraPointLayer('cameras-point', 'cameras', 'cameras') },
      ],
    };
  },
  legend() {
    return [
      ...cameraStatuses.map((status) => ({ labelKey: `legend.camera.${status}` as const, swatch: { kind: 'icon' as const, colour: palette.camera[status], image: cameraSymbolUrl(status) } })),
      { labelKey: 'legend.camera.fov', swatch: { kind: 'fill', colour: palette.camera.fov } },
    ];
  },
  attach(map: MapLibreMap) {
    ensureCameraIcons(map);
    map.on('mouseenter', 'cameras-point', () => {
      map.getCanvas().style.cursor = 'pointer';
    });
    map.on('mouseleave', 'cameras-point', () => {
      map.getCanvas().style.cursor = '';
    });
  },
};
