/**
 * A three.js camera from a clip-space matrix (pure arithmetic on column-major 4×4 arrays,
 * unit-tested in map-client/test/heritage-map-camera.test.ts).
 *
 * MapLibre hands a custom layer one matrix, mercator → clip. Multiplied by the site's model matrix it
 * maps the site's scene (local metres) straight to clip space: enough to draw, not enough for
 * 3d-tiles-renderer, which picks each tile's level of detail from the camera's position and vertical
 * field of view (projection element [5]). So the matrix is split here into a camera placement
 * (position, orientation and a uniform scale) and a projection, whose product is the same matrix.
 */
export type Matrix = ArrayLike<number>;

export interface SplitCamera {
  /** The camera's world matrix (scene units), column-major. */
  world: number[];
  /** The projection, such that projection × inverse(world) = the clip matrix. */
  projection: number[];
  /** The camera's position in the scene. */
  eye: [number, number, number];
  /** 1 / tan(vertical field of view / 2). */
  focal: number;
}

/**
 * A site's scene (local metres: x east, y up, z south; see tileset-frame.ts) → MapLibre's mercator
 * coordinates (x east, y south, z up, in units of the world's width), given the site's
 * MercatorCoordinate and how many mercator units a metre is there. Column-major.
 */
export function siteModelMatrix(origin: { x: number; y: number; z: number }, metre: number): number[] {
  // mercator x = east = scene x; mercator y = south = scene z; mercator z = up = scene y.
  return [metre, 0, 0, 0, 0, 0, metre, 0, 0, metre, 0, 0, origin.x, origin.y, origin.z, 1];
}

const at = (m: Matrix, row: number, column: number) => m[column * 4 + row]!;
const dot = (a: readonly number[], b: readonly number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
const length = (a: readonly number[]) => Math.sqrt(dot(a, a));
const scale = (a: readonly number[], s: number) => [a[0]! * s, a[1]! * s, a[2]! * s];
const subtract = (a: readonly number[], b: readonly number[]) => [a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!];

export function multiply(a: Matrix, b: Matrix): number[] {
  const out = new Array<number>(16);
  for (let column = 0; column < 4; column++) {
    for (let row = 0; row < 4; row++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += at(a, row, k) * at(b, k, column);
      out[column * 4 + row] = sum;
    }
  }
  return out;
}

/** The inverse of a 4×4 matrix (cofactors), or undefined when it has none. */
export function invert(m: Matrix): number[] | undefined {
  const a = Array.from({ length: 16 }, (_, index) => m[index]!);
  const [a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33] = a as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
  const b00 = a00 * a11 - a01 * a10;
  const b01 = a00 * a12 - a02 * a10;
  const b02 = a00 * a13 - a03 * a10;
  const b03 = a01 * a12 - a02 * a11;
  const b04 = a01 * a13 - a03 * a11;
  const b05 = a02 * a13 - a03 * a12;
  const b06 = a20 * a31 - a21 * a30;
  const b07 = a20 * a32 - a22 * a30;
  const b08 = a20 * a33 - a23 * a30;
  const b09 = a21 * a32 - a22 * a31;
  const b10 = a21 * a33 - a23 * a31;
  const b11 = a22 * a33 - a23 * a32;
  const determinant = b00 * b11 - b01 * b10 + b02 * b09 + b03 * b08 - b04 * b07 + b05 * b06;
  if (!determinant || !Number.isFinite(determinant)) return undefined;
  const d = 1 / determinant;
  return [
    (a11 * b11 - a12 * b10 + a13 * b09) * d,
    (a02 * b10 - a01 * b11 - a03 * b09) * d,
    (a31 * b05 - a32 * b04 + a33 * b03) * d,
    (a22 * b04 - a21 * b05 - a23 * b03) * d,
    (a12 * b08 - a10 * b11 - a13 * b07) * d,
    (a00 * b11 - a02 * b08 + a03 * b07) * d,
    (a32 * b02 - a30 * b05 - a33 * b01) * d,
    (a20 * b05 - a22 * b02 + a23 * b01) * d,
    (a10 * b10 - a11 * b08 + a13 * b06) * d,
    (a01 * b08 - a00 * b10 - a03 * b06) * d,
    (a30 * b04 - a31 * b02 + a33 * b00) * d,
    (a21 * b02 - a20 * b04 - a23 * b00) * d,
    (a11 * b07 - a10 * b09 - a12 * b06) * d,
    (a00 * b09 - a01 * b07 + a02 * b06) * d,
    (a31 * b01 - a30 * b03 - a32 * b00) * d,
    (a20 * b03 - a21 * b01 + a22 * b00) * d,
  ];
}

/**
 * Splits a perspective clip matrix C (scene → clip) into a camera and a projection.
 *
 * For C = P · V, with V a rotation and a uniform scale k about the eye: the eye is the point every
 * ray passes through, where clip x, y and w are all 0 (C⁻¹ · (0, 0, 1, 0)); the w row is −k times the
 * camera's back axis; the y row, less its share along that axis, is f·k times the camera's up axis
 * (f = 1 / tan(fov/2)); likewise x. The world matrix carries the scale 1/k, so that the projection
 * keeps f in its element [5], where 3d-tiles-renderer reads it.
 */
export function splitClipMatrix(clip: Matrix): SplitCamera | undefined {
  const inverse = invert(clip);
  if (!inverse) return undefined;
  const homogeneousEye = [inverse[8]!, inverse[9]!, inverse[10]!, inverse[11]!];
  if (Math.abs(homogeneousEye[3]!) < 1e-300) return undefined;
  const eye: [number, number, number] = [homogeneousEye[0]! / homogeneousEye[3]!, homogeneousEye[1]! / homogeneousEye[3]!, homogeneousEye[2]! / homogeneousEye[3]!];
  const rowX = [at(clip, 0, 0), at(clip, 0, 1), at(clip, 0, 2)];
  const rowY = [at(clip, 1, 0), at(clip, 1, 1), at(clip, 1, 2)];
  const rowW = [at(clip, 3, 0), at(clip, 3, 1), at(clip, 3, 2)];
  const k = length(rowW);
  if (!(k > 0)) return undefined;
  // The camera looks down its −z axis, and w grows with distance ahead: back = −rowW / k.
  const back = scale(rowW, -1 / k);
  const upRaw = subtract(rowY, scale(back, dot(rowY, back)));
  const rightRaw = subtract(rowX, scale(back, dot(rowX, back)));
  const focal = length(upRaw) / k;
  const up = scale(upRaw, 1 / length(upRaw));
  const right = scale(rightRaw, 1 / length(rightRaw));
  const s = 1 / k;
  const world = [right[0]! * s, right[1]! * s, right[2]! * s, 0, up[0]! * s, up[1]! * s, up[2]! * s, 0, back[0]! * s, back[1]! * s, back[2]! * s, 0, eye[0], eye[1], eye[2], 1];
  return { world, projection: multiply(clip, world), eye, focal };
}
