import type { Map as MapLibreMap, VectorTileSource } from 'maplibre-gl';

/**
 * Points a vector source at another TileJSON (another plan version, other report filters) by
 * removing the source and its layers and adding them again in place, with their current filters and
 * visibility. `setUrl`/`setTiles` on the live source sometimes left it without a single tile request
 * in MapLibre 6 (about one switch in three in headless Chromium): the layer then drew nothing.
 */
export function replaceVectorSource(map: MapLibreMap, sourceId: string, url: string): void {
  const source = map.getSource<VectorTileSource>(sourceId);
  if (!source || source.url === url) return;
  addVectorSourceAgain(map, sourceId, url);
}

/**
 * Removes a vector source and its layers and adds them again, pointed at `url` (its TileJSON): the
 * TileJSON and every tile are asked for again. Also how a source that failed (offline) is retried
 * (map/map-recovery.ts).
 */
export function addVectorSourceAgain(map: MapLibreMap, sourceId: string, url: string): void {
  if (!map.getSource(sourceId)) return;
  const uses = (layer: { source?: unknown }) => layer.source === sourceId;
  const layers = map.getStyle().layers;
  const ours = layers
    .map((layer, index) => ({ layer, before: layers.slice(index + 1).find((next) => !uses(next as { source?: unknown }))?.id }))
    .filter(({ layer }) => uses(layer as { source?: unknown }));
  for (const { layer } of ours) map.removeLayer(layer.id);
  map.removeSource(sourceId);
  map.addSource(sourceId, { type: 'vector', url });
  for (const { layer, before } of ours) map.addLayer(layer, before);
}
