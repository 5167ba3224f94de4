import type { Map as MapLibreMap, MapGeoJSONFeature, PointLike } from 'maplibre-gl';
import type { MapOverlay, PickKind, PickableLayer } from './map-overlay.ts';

/** A place of the platform's own layers under a tap: a report pin, a heritage site, a camera… */
export interface MapPick {
  kind: PickKind;
  /** What names it in its layer: tracking code, site, facility or camera code, zone code (a cluster: its count). */
  id: string;
  /** Where it is: the point's position, or the tapped place inside a zone. */
  lngLat: [number, number];
  properties: Record<string, unknown>;
}

/** Points are small and fingers are not: a point counts when it is this close to the tap (px). */
const fingerRadius = 10;

/** Most specific first: a pin in a zone is about the pin; a camera over a report, about the camera. */
const kindOrder: readonly PickKind[] = ['report', 'camera', 'heritage', 'facility', 'cluster', 'zone'];

/**
 * "What did I tap?" for every overlay at once (DESIGN principle 12): each overlay declares which of its
 * layers a tap picks (`pickable`), and this asks the rendered features of the visible ones around the
 * tap. Areas (planning zones) count only under the tap itself, points within a finger's width. One
 * place per kind and name, most specific kind first, nearest first within a kind.
 */
export function pickAt(map: MapLibreMap, point: { x: number; y: number }, overlays: readonly Pick<MapOverlay, 'pickable'>[]): MapPick[] {
  const pickable = overlays.flatMap((overlay) => overlay.pickable ?? []).filter(({ layerId }) => map.getLayer(layerId) && map.getLayoutProperty(layerId, 'visibility') !== 'none');
  const areas = pickable.filter(({ kind }) => kind === 'zone');
  const points = pickable.filter(({ kind }) => kind !== 'zone');
  const box: [PointLike, PointLike] = [
    [point.x - fingerRadius, point.y - fingerRadius],
    [point.x + fingerRadius, point.y + fingerRadius],
  ];
  const tapped = map.unproject([point.x, point.y]).toArray() as [number, number];
  const found = [
    ...(points.length ? map.queryRenderedFeatures(box, { layers: points.map(({ layerId }) => layerId) }) : []),
    ...(areas.length ? map.queryRenderedFeatures([point.x, point.y], { layers: areas.map(({ layerId }) => layerId) }) : []),
  ];
  const byLayer = new Map<string, PickableLayer>(pickable.map((layer) => [layer.layerId, layer]));
  const seen = new Set<string>();
  const picks: (MapPick & { distance: number })[] = [];
  for (const feature of found) {
    const layer = byLayer.get(feature.layer.id);
    const id = layer ? feature.properties[layer.idProperty] : undefined;
    if (!layer || id === undefined || id === null) continue;
    // A cluster carries `cluster: true`; a report pin never does (the same tiles hold both).
    if (layer.kind === 'report' && feature.properties.cluster) continue;
    const key = `${layer.kind}:${String(id)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const lngLat = layer.kind === 'zone' ? tapped : (pointOf(feature) ?? tapped);
    const screen = map.project(lngLat);
    picks.push({ kind: layer.kind, id: String(id), lngLat, properties: { ...feature.properties }, distance: Math.hypot(screen.x - point.x, screen.y - point.y) });
  }
  picks.sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || a.distance - b.distance);
  return picks.map(({ distance: _distance, ...pick }) => pick);
}

function pointOf(feature: MapGeoJSONFeature): [number, number] | undefined {
  return feature.geometry.type === 'Point' ? (feature.geometry.coordinates as [number, number]) : undefined;
}
