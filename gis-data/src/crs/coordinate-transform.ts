import proj4 from 'proj4';
import type { Geometry, Position } from 'geojson';
import { sourceSrsDefinitions, type SourceSrs } from './crs-registry.ts';

/** A position, or arrays of positions nested to any depth (a GeoJSON `coordinates` member). */
export type NestedPositions = Position | NestedPositions[];

export type PositionTransformer = (position: readonly number[]) => [number, number];

const transformers = new Map<string, PositionTransformer>();

/**
 * Returns a function that moves one position from `from` to `to` (2D: any Z is dropped).
 * Projected systems take [easting, northing] in metres; geographic ones [longitude, latitude].
 */
export function createPositionTransformer(from: SourceSrs, to: SourceSrs = 'wgs84'): PositionTransformer {
  const key = `${from}>${to}`;
  let transformer = transformers.get(key);
  if (!transformer) {
    if (from === to) {
      transformer = (position) => [Number(position[0]), Number(position[1])];
    } else {
      const converter = proj4(sourceSrsDefinitions[from].proj4, sourceSrsDefinitions[to].proj4);
      transformer = (position) => {
        const [x, y] = converter.forward([Number(position[0]), Number(position[1])]);
        return [x ?? Number.NaN, y ?? Number.NaN];
      };
    }
    transformers.set(key, transformer);
  }
  return transformer;
}

/**
 * Transforms a position or nested arrays of positions (any GeoJSON `coordinates`) between two of the
 * registry's systems; WGS 84 longitude/latitude by default. The result has the same nesting, 2D.
 *
 * @example transformCoordinates([500000, 2360000], 'vn2000-tm3-103') // → [103.0018912…, 21.3346637…]
 */
export function transformCoordinates<T extends NestedPositions>(coordinates: T, from: SourceSrs, to: SourceSrs = 'wgs84'): T {
  const transform = createPositionTransformer(from, to);
  const walk = (value: NestedPositions): NestedPositions => {
    if (isPosition(value)) return transform(value);
    return value.map((item) => walk(item as NestedPositions));
  };
  return walk(coordinates) as T;
}

/** Transforms every position of a geometry (GeometryCollections included); returns a new object. */
export function transformGeometry<G extends Geometry>(geometry: G, from: SourceSrs, to: SourceSrs = 'wgs84'): G {
  if (geometry.type === 'GeometryCollection') {
    return { ...geometry, geometries: geometry.geometries.map((member) => transformGeometry(member, from, to)) };
  }
  const { bbox: _ignoredBbox, ...rest } = geometry as G & { bbox?: unknown };
  return { ...rest, coordinates: transformCoordinates(geometry.coordinates as NestedPositions, from, to) } as unknown as G;
}

function isPosition(value: NestedPositions): value is Position {
  return value.length === 0 || typeof value[0] === 'number';
}
