import type { CameraStatusEventData } from '@bandoso/contracts';
import type { FeatureCollection, Point, Polygon } from 'geojson';
import type { FilterSpecification, GeoJSONSource, Map as MapLibreMap, MapLayerMouseEvent } from 'maplibre-gl';
import { cameraSummaryOf, loadCameras, type CameraFeature } from '../cameras/camera-api.ts';
import { notifyCameraStatus, openCameraPanel } from '../cameras/camera-loaders.ts';
import { ensureCameraIcons, knownCameraStatus } from '../cameras/camera-symbols.ts';
import { cameraFovLayer, cameraPointLayer, keepCameraInView } from '../overlays/cameras-overlay.ts';

export const iocCameraLayerIds = { point: 'ioc-cameras-point', fov: 'ioc-cameras-fov' } as const;
const pointSourceId = 'ioc-cameras';
const fovSourceId = 'ioc-cameras-fov';
/** The public cameras of the vector tiles: hidden while the IOC draws every camera with its live health. */
const tileCameraLayers = ['cameras-point', 'cameras-fov'];
const hideAll: FilterSpecification = ['boolean', false];

export interface IocCameras {
  setVisible(visible: boolean): void;
  /** A `camera.status` event of the live feed: the camera's colour changes at once. */
  applyStatus(event: CameraStatusEventData): void;
  /** The list again (after the feed was interrupted: status events are not replayed). */
  reload(): Promise<void>;
  /** Health by camera code, as drawn now. */
  statuses(): Record<string, string>;
  destroy(): void;
}

/**
 * Every camera the operator may watch, restricted ones included (`GET /api/cameras`), on the IOC's
 * map: the same icons and cones as the public layer, from a GeoJSON source that the live feed keeps
 * up to date. A click opens the camera's player.
 */
export function mountIocCameras(map: MapLibreMap, options: { onError(error: unknown): void; beforeLabels?: string }): IocCameras {
  let cameras: CameraFeature[] = [];
  let visible = true;
  let destroyed = false;

  const points = (): FeatureCollection<Point> => ({
    type: 'FeatureCollection',
    features: cameras.map((camera) => ({ type: 'Feature', id: camera.id, geometry: camera.geometry, properties: { id: camera.id, code: camera.properties.code, name: camera.properties.name, status: camera.properties.status, visibility: camera.properties.visibility } })),
  });
  const cones = (): FeatureCollection<Polygon> => ({
    type: 'FeatureCollection',
    features: cameras.map((camera) => ({ type: 'Feature', geometry: camera.properties.fieldOfView, properties: { code: camera.properties.code, status: camera.properties.status } })),
  });
  const draw = () => {
    if (destroyed) return;
    void map.getSource<GeoJSONSource>(pointSourceId)?.setData(points());
    void map.getSource<GeoJSONSource>(fovSourceId)?.setData(cones());
  };

  ensureCameraIcons(map);
  map.addSource(pointSourceId, { type: 'geojson', data: points() });
  map.addSource(fovSourceId, { type: 'geojson', data: cones() });
  map.addLayer(cameraFovLayer(iocCameraLayerIds.fov, fovSourceId), options.beforeLabels && map.getLayer(options.beforeLabels) ? options.beforeLabels : undefined);
  map.addLayer(cameraPointLayer(iocCameraLayerIds.point, pointSourceId));
  for (const id of tileCameraLayers) if (map.getLayer(id)) map.setFilter(id, hideAll);

  const onClick = (event: MapLayerMouseEvent) => {
    const id = event.features?.[0]?.properties?.id;
    const camera = cameras.find((item) => item.id === id);
    if (!camera) return;
    openCameraPanel(cameraSummaryOf(camera), { operator: true, onError: options.onError });
    keepCameraInView(map, camera.geometry.coordinates.slice(0, 2) as [number, number]);
  };
  const onEnter = () => {
    map.getCanvas().style.cursor = 'pointer';
  };
  const onLeave = () => {
    map.getCanvas().style.cursor = '';
  };
  map.on('click', iocCameraLayerIds.point, onClick);
  map.on('mouseenter', iocCameraLayerIds.point, onEnter);
  map.on('mouseleave', iocCameraLayerIds.point, onLeave);

  const reload = async () => {
    try {
      const collection = await loadCameras();
      cameras = collection.features;
      draw();
    } catch (error) {
      if (!destroyed) options.onError(error);
    }
  };
  void reload();

  return {
    setVisible(show) {
      visible = show;
      for (const id of Object.values(iocCameraLayerIds)) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    },
    applyStatus(event) {
      const camera = cameras.find((item) => item.id === event.camera.id);
      if (camera) {
        camera.properties = { ...camera.properties, status: knownCameraStatus(event.camera.status), lastSeenAt: event.camera.lastSeenAt };
        draw();
      }
      notifyCameraStatus(event);
    },
    reload,
    statuses: () => Object.fromEntries(cameras.map((camera) => [camera.properties.code, camera.properties.status])),
    destroy() {
      destroyed = true;
      map.off('click', iocCameraLayerIds.point, onClick);
      map.off('mouseenter', iocCameraLayerIds.point, onEnter);
      map.off('mouseleave', iocCameraLayerIds.point, onLeave);
      for (const id of Object.values(iocCameraLayerIds)) if (map.getLayer(id)) map.removeLayer(id);
      for (const id of [pointSourceId, fovSourceId]) if (map.getSource(id)) map.removeSource(id);
      for (const id of tileCameraLayers) if (map.getLayer(id)) map.setFilter(id, null);
    },
  };
}
