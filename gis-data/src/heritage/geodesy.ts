/**
 * WGS 84 geodesy for 3D Tiles: geodetic ↔ earth-centred earth-fixed (ECEF) coordinates and the
 * local east-north-up (ENU) frame a tileset's root `transform` puts on the ellipsoid.
 *
 * Matrices are 4×4, column-major (as 3D Tiles `transform` and glTF `matrix` store them): element
 * (row r, column c) is at index `c * 4 + r`.
 */

/** WGS 84 semi-major axis (m). */
export const WGS84_A = 6_378_137;
/** WGS 84 flattening. */
export const WGS84_F = 1 / 298.257223563;
/** First eccentricity squared. */
export const WGS84_E2 = WGS84_F * (2 - WGS84_F);
/** Semi-minor axis (m). */
export const WGS84_B = WGS84_A * (1 - WGS84_F);

const DEG = Math.PI / 180;

export type Vec3 = [number, number, number];
/** Column-major 4×4 matrix. */
export type Mat4 = number[];

/** Geodetic (degrees, metres above the ellipsoid) to ECEF metres. */
export function geodeticToEcef(lon: number, lat: number, height: number): Vec3 {
  const lambda = lon * DEG;
  const phi = lat * DEG;
  const sinPhi = Math.sin(phi);
  const cosPhi = Math.cos(phi);
  // Prime vertical radius of curvature.
  const n = WGS84_A / Math.sqrt(1 - WGS84_E2 * sinPhi * sinPhi);
  return [(n + height) * cosPhi * Math.cos(lambda), (n + height) * cosPhi * Math.sin(lambda), (n * (1 - WGS84_E2) + height) * sinPhi];
}

/** ECEF metres to geodetic [lon°, lat°, height m] (Bowring's method, then a few fixed-point steps; sub-millimetre). */
export function ecefToGeodetic([x, y, z]: Vec3): Vec3 {
  const lon = Math.atan2(y, x);
  const p = Math.hypot(x, y);
  if (p < 1e-9) return [0, z >= 0 ? 90 : -90, Math.abs(z) - WGS84_B];
  const ep2 = (WGS84_A * WGS84_A - WGS84_B * WGS84_B) / (WGS84_B * WGS84_B);
  const theta = Math.atan2(z * WGS84_A, p * WGS84_B);
  let lat = Math.atan2(z + ep2 * WGS84_B * Math.sin(theta) ** 3, p - WGS84_E2 * WGS84_A * Math.cos(theta) ** 3);
  let height = 0;
  for (let i = 0; i < 3; i++) {
    const sinLat = Math.sin(lat);
    const n = WGS84_A / Math.sqrt(1 - WGS84_E2 * sinLat * sinLat);
    height = p / Math.cos(lat) - n;
    lat = Math.atan2(z, p * (1 - (WGS84_E2 * n) / (n + height)));
  }
  return [lon / DEG, lat / DEG, height];
}

/** Unit vectors of the local frame at a geodetic position: east, north and up (the ellipsoid normal), in ECEF. */
export function enuAxes(lon: number, lat: number): { east: Vec3; north: Vec3; up: Vec3 } {
  const lambda = lon * DEG;
  const phi = lat * DEG;
  const sl = Math.sin(lambda);
  const cl = Math.cos(lambda);
  const sp = Math.sin(phi);
  const cp = Math.cos(phi);
  return { east: [-sl, cl, 0], north: [-sp * cl, -sp * sl, cp], up: [cp * cl, cp * sl, sp] };
}

/**
 * The 3D Tiles root `transform` of a site: maps the local east-north-up frame (metres; x east, y
 * north, z up along the ellipsoid normal) at (lon°, lat°, height m above the WGS 84 ellipsoid) to
 * ECEF. Column-major 4×4: columns are east, north, up and the origin.
 */
export function enuFrameToEcef(lon: number, lat: number, height: number): number[] {
  const { east, north, up } = enuAxes(lon, lat);
  const origin = geodeticToEcef(lon, lat, height);
  return [...east, 0, ...north, 0, ...up, 0, ...origin, 1];
}

// ------------------------------------------------------------------ small matrix helpers

export function identity(): Mat4 {
  return [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
}

/** a × b (column-major). */
export function multiply(a: Mat4, b: Mat4): Mat4 {
  const out = new Array<number>(16).fill(0);
  for (let c = 0; c < 4; c++) {
    for (let r = 0; r < 4; r++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += a[k * 4 + r]! * b[c * 4 + k]!;
      out[c * 4 + r] = sum;
    }
  }
  return out;
}

export function transformPoint(m: Mat4, [x, y, z]: Vec3): Vec3 {
  return [
    m[0]! * x + m[4]! * y + m[8]! * z + m[12]!,
    m[1]! * x + m[5]! * y + m[9]! * z + m[13]!,
    m[2]! * x + m[6]! * y + m[10]! * z + m[14]!,
  ];
}

/** Matrix of a glTF node's translation / rotation (quaternion x, y, z, w) / scale. */
export function composeTrs(t: readonly number[] = [0, 0, 0], q: readonly number[] = [0, 0, 0, 1], s: readonly number[] = [1, 1, 1]): Mat4 {
  const [x, y, z, w] = [q[0] ?? 0, q[1] ?? 0, q[2] ?? 0, q[3] ?? 1];
  const [sx, sy, sz] = [s[0] ?? 1, s[1] ?? 1, s[2] ?? 1];
  return [
    (1 - 2 * (y * y + z * z)) * sx, 2 * (x * y + z * w) * sx, 2 * (x * z - y * w) * sx, 0,
    2 * (x * y - z * w) * sy, (1 - 2 * (x * x + z * z)) * sy, 2 * (y * z + x * w) * sy, 0,
    2 * (x * z + y * w) * sz, 2 * (y * z - x * w) * sz, (1 - 2 * (x * x + y * y)) * sz, 0,
    t[0] ?? 0, t[1] ?? 0, t[2] ?? 0, 1,
  ];
}

/**
 * The 3D Tiles y-up → z-up convention for glTF content: the client rotates glTF content by +90°
 * about x, so a glTF point (x, y, z) lies at (x, −z, y) in the tile's frame. With the ENU root
 * transform that means glTF +x = east, +y = up, −z = north.
 */
export const Y_UP_TO_Z_UP: Mat4 = [1, 0, 0, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1];

/** Inverse of {@link Y_UP_TO_Z_UP}: an ENU point (e, n, u) is stored in glTF as (e, u, −n). */
export function enuToGltf([e, n, u]: Vec3): Vec3 {
  return [e, u, -n];
}
