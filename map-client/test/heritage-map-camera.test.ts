import { Matrix4, PerspectiveCamera, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { invert, multiply, splitClipMatrix } from '../src/heritage/map-camera.ts';

/** A clip matrix made the way MapLibre's custom layer gets one: projection × view × a scaled (and mirrored) model. */
function clipFor(position: Vector3, target: Vector3, fovDegrees: number, model: Matrix4) {
  const camera = new PerspectiveCamera(fovDegrees, 1.6, 0.1, 5000);
  camera.position.copy(position);
  camera.lookAt(target);
  camera.updateMatrixWorld(true);
  return { clip: new Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse).multiply(model).toArray(), camera };
}

describe('splitting the map’s clip matrix into a camera 3d-tiles-renderer can use', () => {
  it('inverts and multiplies 4×4 matrices', () => {
    const m = new Matrix4().makeRotationY(0.3).setPosition(4, -2, 9).toArray();
    const product = multiply(m, invert(m)!);
    product.forEach((value, index) => expect(value).toBeCloseTo(index % 5 === 0 ? 1 : 0, 12));
    expect(invert(new Array(16).fill(0))).toBeUndefined();
  });

  for (const [name, model] of [
    ['a plain scene', new Matrix4()],
    // MapLibre's mercator: metres scaled down, north pointing to −y (a mirror), far from the origin.
    ['a mirrored, scaled, moved scene (mercator)', new Matrix4().makeTranslation(0.78, 0.44, 0).multiply(new Matrix4().makeScale(2.5e-8, -2.5e-8, 2.5e-8))],
  ] as const) {
    it(`finds the eye, the field of view and the same clip transform, for ${name}`, () => {
      // The camera in world units; the scene point it stands at is the model's inverse of that.
      const sceneEye = new Vector3(120, 80, -160);
      const sceneTarget = new Vector3(5, 2, -10);
      const world = (point: Vector3) => point.clone().applyMatrix4(model);
      const { clip } = clipFor(world(sceneEye), world(sceneTarget), 60, model);
      const split = splitClipMatrix(clip)!;
      expect(split).toBeDefined();
      expect(split.eye[0]).toBeCloseTo(sceneEye.x, 3);
      expect(split.eye[1]).toBeCloseTo(sceneEye.y, 3);
      expect(split.eye[2]).toBeCloseTo(sceneEye.z, 3);
      expect(split.focal).toBeCloseTo(1 / Math.tan((30 * Math.PI) / 180), 6);
      // projection × world⁻¹ is the clip matrix again; [5] holds the focal length; [15] says perspective.
      const again = multiply(split.projection, invert(split.world)!);
      again.forEach((value, index) => expect(value).toBeCloseTo(clip[index]!, 6));
      expect(split.projection[5]).toBeCloseTo(split.focal, 6);
      expect(Math.abs(split.projection[15]!)).toBeLessThan(1e-9);
      // The camera looks at the target: the target is ahead (−z of the camera), centred.
      const toTarget = new Vector3().subVectors(sceneTarget, sceneEye).normalize();
      const back = new Vector3(split.world[8], split.world[9], split.world[10]).normalize();
      expect(back.dot(toTarget)).toBeCloseTo(-1, 6);
    });
  }
});
