/**
 * Web Mercator tile arithmetic (the XYZ scheme of MapLibre and of OGC's WebMercatorQuad: y grows
 * southwards). Everything here is plain math; the SQL in `tile-sql.ts` works from the same numbers.
 */

/** Tile coordinates per side (the MVT default, what martin and ST_AsMVT use). */
export const TILE_EXTENT = 4096;
/** Tile units drawn beyond each edge, so lines and symbols do not end abruptly at tile borders. */
export const TILE_BUFFER = 64;
/** Deepest zoom served: 24 is ~2 cm per tile unit at the equator, far below what any layer needs. */
export const MAX_TILE_ZOOM = 24;
/** Half the side of the Web Mercator square, in metres (EPSG:3857). */
export const WEB_MERCATOR_HALF_SIDE = 20037508.342789244;

export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

/** [west, south, east, north] in WGS84 degrees. */
export type LonLatBounds = [number, number, number, number];

export function isTileInRange({ z, x, y }: TileAddress): boolean {
  if (!Number.isInteger(z) || !Number.isInteger(x) || !Number.isInteger(y)) return false;
  if (z < 0 || z > MAX_TILE_ZOOM) return false;
  const size = 2 ** z;
  return x >= 0 && x < size && y >= 0 && y < size;
}

/** Side of a tile at zoom z, in metres. */
export function tileSizeMeters(z: number): number {
  return (2 * WEB_MERCATOR_HALF_SIDE) / 2 ** z;
}

/**
 * Douglas–Peucker tolerance (metres) for polygons at zoom z: half a pixel of a tile drawn 512 px
 * wide (MapLibre's size for vector tiles), i.e. 4 of the 4096 units. Anything smaller is invisible,
 * and ST_AsMVTGeom snaps to whole units anyway.
 */
export function simplifyToleranceMeters(z: number): number {
  return (tileSizeMeters(z) / TILE_EXTENT) * 4;
}

function longitudeOf(u: number): number {
  return u * 360 - 180;
}

function latitudeOf(v: number): number {
  return (Math.atan(Math.sinh(Math.PI * (1 - 2 * v))) * 180) / Math.PI;
}

/** Bounds of a tile in degrees, optionally grown by `marginUnits` tile units on every side. */
export function tileBounds({ z, x, y }: TileAddress, marginUnits = 0): LonLatBounds {
  const size = 2 ** z;
  const margin = marginUnits / TILE_EXTENT;
  const u0 = Math.max(0, (x - margin) / size);
  const u1 = Math.min(1, (x + 1 + margin) / size);
  const v0 = Math.max(0, (y - margin) / size);
  const v1 = Math.min(1, (y + 1 + margin) / size);
  return [longitudeOf(u0), latitudeOf(v1), longitudeOf(u1), latitudeOf(v0)];
}

export function boundsIntersect(a: LonLatBounds, b: LonLatBounds): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** The tile at zoom z that contains a point. */
export function tileContaining(longitude: number, latitude: number, z: number): TileAddress {
  const size = 2 ** z;
  const u = (longitude + 180) / 360;
  const radians = (latitude * Math.PI) / 180;
  const v = (1 - Math.log(Math.tan(radians) + 1 / Math.cos(radians)) / Math.PI) / 2;
  const clamp = (value: number) => Math.min(size - 1, Math.max(0, Math.floor(value * size)));
  return { z, x: clamp(u), y: clamp(v) };
}

/** Every tile at zoom z that intersects the bounds (a short list for the province). */
export function tilesCovering(bounds: LonLatBounds, z: number): TileAddress[] {
  const northWest = tileContaining(bounds[0], bounds[3], z);
  const southEast = tileContaining(bounds[2], bounds[1], z);
  const tiles: TileAddress[] = [];
  for (let x = northWest.x; x <= southEast.x; x += 1) {
    for (let y = northWest.y; y <= southEast.y; y += 1) tiles.push({ z, x, y });
  }
  return tiles;
}
