import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { Map as MapLibreMap } from 'maplibre-gl';

export interface IocOverlay {
  /** Replaces the deck.gl layers. */
  setLayers(layers: Layer[]): void;
  /** The layers deck.gl draws now. */
  layers(): readonly Layer[];
  /** What deck.gl drew at a pixel of the map (picking reads the rendered frame). */
  pick(x: number, y: number, layerIds: string[], radius?: number): PickingInfo | null;
  remove(): void;
}

/**
 * deck.gl drawn inside MapLibre's own WebGL context (`interleaved: true`): deck layers sort with
 * the map's layers and labels (a layer's `beforeId` puts it under a map layer) instead of floating
 * over them, and there is one canvas, not two.
 */
export function mountIocOverlay(map: MapLibreMap, options: { getTooltip?: (info: PickingInfo) => string | null; onClick?: (info: PickingInfo) => void } = {}): IocOverlay {
  exposeTransformForDeck(map);
  let current: Layer[] = [];
  const overlay = new MapboxOverlay({ interleaved: true, layers: [], ...(options.getTooltip ? { getTooltip: options.getTooltip } : {}), ...(options.onClick ? { onClick: options.onClick } : {}) });
  map.addControl(overlay);
  return {
    setLayers(layers) {
      current = layers;
      overlay.setProps({ layers });
    },
    layers: () => current,
    pick: (x, y, layerIds, radius = 6) => overlay.pickObject({ x, y, radius, layerIds }),
    remove: () => map.removeControl(overlay),
  };
}

/**
 * MapLibre 6 keeps its transform at `map._camera.transform`; @deck.gl/mapbox 9.4 still reads
 * `map.transform` (height, near/far planes) in interleaved mode and throws without it. Until deck.gl
 * follows, the old name is made to point at the new place (read-only, on this map only).
 */
function exposeTransformForDeck(map: MapLibreMap): void {
  const candidate = map as unknown as { transform?: unknown; _camera?: { transform?: unknown } };
  if (candidate.transform !== undefined || candidate._camera?.transform === undefined) return;
  Object.defineProperty(map, 'transform', { configurable: true, get: () => candidate._camera?.transform });
}
