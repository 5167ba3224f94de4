import { enuFrameToEcef } from '@bandoso/gis-data/heritage';

/**
 * Where a tileset stands, against a site's point: how far its root tile's centre lies from the point,
 * horizontally (metres along the ground, heights aside). A surveyed tileset far from its site was
 * most likely imported for the wrong site, or exported without its georeference.
 */

type Vector = [number, number, number];

const isNumbers = (value: unknown, length: number): value is number[] =>
  Array.isArray(value) && value.length === length && value.every((item) => typeof item === 'number' && Number.isFinite(item));

/** Applies a column-major 4×4 matrix to a point. */
function transformPoint(matrix: readonly number[], [x, y, z]: Vector): Vector {
  return [
    matrix[0]! * x + matrix[4]! * y + matrix[8]! * z + matrix[12]!,
    matrix[1]! * x + matrix[5]! * y + matrix[9]! * z + matrix[13]!,
    matrix[2]! * x + matrix[6]! * y + matrix[10]! * z + matrix[14]!,
  ];
}

/**
 * The centre of the root tile's bounding volume, in earth-centred coordinates (ECEF metres), or
 * undefined when the tileset does not say (no usable bounding volume).
 */
export function rootCentreEcef(tileset: unknown): Vector | undefined {
  const root = (tileset as { root?: { transform?: unknown; boundingVolume?: { box?: unknown; sphere?: unknown; region?: unknown } } } | null)?.root;
  const volume = root?.boundingVolume;
  if (!volume) return undefined;
  if (isNumbers(volume.region, 6)) {
    // Regions are geographic (radians, metres above the ellipsoid) whatever the transform says.
    const [west, south, east, north, low, high] = volume.region as [number, number, number, number, number, number];
    const degrees = (radians: number) => (radians * 180) / Math.PI;
    const frame = enuFrameToEcef(degrees((west + east) / 2), degrees((south + north) / 2), (low + high) / 2);
    return [frame[12]!, frame[13]!, frame[14]!];
  }
  const centre: Vector | undefined = isNumbers(volume.box, 12) ? [volume.box[0]!, volume.box[1]!, volume.box[2]!] : isNumbers(volume.sphere, 4) ? [volume.sphere[0]!, volume.sphere[1]!, volume.sphere[2]!] : undefined;
  if (!centre) return undefined;
  return isNumbers(root.transform, 16) ? transformPoint(root.transform, centre) : centre;
}

/** The origin of the root `transform` (ECEF metres), or undefined without one. */
export function rootOriginEcef(tileset: unknown): Vector | undefined {
  const transform = (tileset as { root?: { transform?: unknown } } | null)?.root?.transform;
  return isNumbers(transform, 16) ? [transform[12]!, transform[13]!, transform[14]!] : undefined;
}

/** Horizontal distance (m) between an earth-centred point and a longitude/latitude, in the point's local frame. */
export function horizontalDistanceMetres(point: Vector, lon: number, lat: number): number {
  const frame = enuFrameToEcef(lon, lat, 0);
  const offset: Vector = [point[0] - frame[12]!, point[1] - frame[13]!, point[2] - frame[14]!];
  const east = offset[0] * frame[0]! + offset[1] * frame[1]! + offset[2] * frame[2]!;
  const north = offset[0] * frame[4]! + offset[1] * frame[5]! + offset[2] * frame[6]!;
  return Math.hypot(east, north);
}
