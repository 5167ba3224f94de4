import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

export interface DecodedFeature {
  type: 'Point' | 'LineString' | 'Polygon';
  /** Rings (or point lists, or lines) in tile coordinates, as stored: 0..4096, y down. */
  rings: Array<Array<[number, number]>>;
  properties: Record<string, string | number | boolean>;
}

/** Reads MVT bytes into plain objects, layer by layer (tests, benchmarks, tools). */
export function decodeTile(bytes: Uint8Array): Record<string, DecodedFeature[]> {
  const tile = new VectorTile(new PbfReader(bytes));
  const layers: Record<string, DecodedFeature[]> = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    const features: DecodedFeature[] = [];
    for (let index = 0; index < layer.length; index += 1) {
      const feature = layer.feature(index);
      const type = (['Unknown', 'Point', 'LineString', 'Polygon'] as const)[feature.type];
      if (type === 'Unknown') throw new Error(`feature ${index} of ${name} has an unknown geometry type`);
      features.push({
        type,
        rings: feature.loadGeometry().map((ring) => ring.map((point): [number, number] => [point.x, point.y])),
        properties: { ...feature.properties },
      });
    }
    layers[name] = features;
  }
  return layers;
}

/** Signed area of a ring in tile coordinates (positive: an exterior ring in MVT). */
export function ringArea(ring: ReadonlyArray<readonly [number, number]>): number {
  let sum = 0;
  for (let index = 0, previous = ring.length - 1; index < ring.length; previous = index, index += 1) {
    sum += (ring[previous]![0] - ring[index]![0]) * (ring[index]![1] + ring[previous]![1]);
  }
  return sum / 2;
}
