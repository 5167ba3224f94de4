/**
 * The tour's arithmetic, free of three.js (unit-tested in map-client/test/heritage-tour.test.ts).
 *
 * Two frames meet here. A stop's pose comes from the API in the site's local east-north-up frame
 * (metres; x east, y north, z up; origin the site's point at ground level). three.js wants y up, so
 * the scene is that same frame turned a quarter turn about east: scene x = east, scene y = up,
 * scene z = south.
 */
export type Vec3 = [number, number, number];

/** Where the camera stands and what it looks at. */
export interface CameraPose {
  position: Vec3;
  target: Vec3;
}

/** Local east-north-up metres → three.js scene coordinates. */
export function enuToScene([east, north, up]: readonly number[]): Vec3 {
  return [east ?? 0, up ?? 0, -(north ?? 0)];
}

/** three.js scene coordinates → local east-north-up metres. */
export function sceneToEnu([x, y, z]: readonly number[]): Vec3 {
  return [x ?? 0, -(z ?? 0), y ?? 0];
}

export function distance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot((a[0] ?? 0) - (b[0] ?? 0), (a[1] ?? 0) - (b[1] ?? 0), (a[2] ?? 0) - (b[2] ?? 0));
}

/** How far apart two poses are: the larger of the cameras' and the targets' distances (metres). */
export function poseDistance(a: CameraPose, b: CameraPose): number {
  return Math.max(distance(a.position, b.position), distance(a.target, b.target));
}

/** Slow start, slow end. */
export function easeInOutCubic(t: number): number {
  const x = Math.min(1, Math.max(0, t));
  return x < 0.5 ? 4 * x * x * x : 1 - (-2 * x + 2) ** 3 / 2;
}

/**
 * The camera `t` of the way (0…1, eased) between two poses of the same frame (either ENU or scene,
 * with `upAxis` saying which coordinate is up). Long moves rise a little in the middle, so the camera
 * passes over the relic rather than through it.
 */
export function interpolatePose(from: CameraPose, to: CameraPose, t: number, upAxis: 1 | 2 = 2): CameraPose {
  const eased = easeInOutCubic(t);
  if (eased >= 1) return { position: [...to.position] as Vec3, target: [...to.target] as Vec3 };
  const lerp = (a: readonly number[], b: readonly number[]): Vec3 => [0, 1, 2].map((i) => (a[i] ?? 0) + ((b[i] ?? 0) - (a[i] ?? 0)) * eased) as Vec3;
  const position = lerp(from.position, to.position);
  const lift = Math.min(distance(from.position, to.position) * 0.2, 60) * Math.sin(Math.PI * eased);
  position[upAxis] += lift;
  return { position, target: lerp(from.target, to.target) };
}

/** How long a flight between two poses lasts (ms); 0, a jump, when the person asked for reduced motion. */
export function flightDuration(from: CameraPose, to: CameraPose, reducedMotion: boolean): number {
  if (reducedMotion) return 0;
  return Math.round(Math.min(3500, Math.max(1200, 900 + poseDistance(from, to) * 6)));
}

/** How long autoplay stays at a stop: time to read its narration (about 15 characters a second), 6 to 25 s. */
export function dwellTime(narration: string): number {
  return Math.round(Math.min(25_000, Math.max(6_000, (narration.length / 15) * 1000)));
}

/** The stop after or before `index` (0-based), staying within the tour. */
export function stepStop(index: number, count: number, direction: 'next' | 'previous'): number {
  if (count <= 0) return 0;
  return Math.min(count - 1, Math.max(0, index + (direction === 'next' ? 1 : -1)));
}

/** Whether a pose is reached: both the camera and its target within `tolerance` metres. */
export function poseReached(actual: CameraPose, expected: CameraPose, tolerance = 0.5): boolean {
  return poseDistance(actual, expected) <= tolerance;
}
