import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer } from '@deck.gl/core';
import type { Map as MapLibreMap } from 'maplibre-gl';

export interface IocOverlay {
  /** Replaces the deck.gl layers (live reports, density, choropleth: phase 2). */
  setLayers(layers: Layer[]): void;
  remove(): void;
}

/**
 * deck.gl drawn inside MapLibre's own WebGL context (`interleaved: true`): deck layers sort with
 * the map's layers and labels instead of floating over them, and there is one canvas, not two.
 */
export function mountIocOverlay(map: MapLibreMap): IocOverlay {
  const overlay = new MapboxOverlay({ interleaved: true, layers: [] });
  map.addControl(overlay);
  return {
    setLayers: (layers) => overlay.setProps({ layers }),
    remove: () => map.removeControl(overlay),
  };
}
