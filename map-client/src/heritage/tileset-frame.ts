import { Box3, MathUtils, Matrix4, Sphere, Vector3 } from 'three';
import { WGS84_ELLIPSOID, type TilesRenderer } from '3d-tiles-renderer/three';

/**
 * Where a site's tileset goes in a three.js scene. 3D Tiles content lives in earth-centred,
 * earth-fixed metres (ECEF; the renderer has already turned each glTF's y-up into the tileset's
 * z-up), placed there by the tileset's root `transform`: the site's east-north-up frame on the WGS 84
 * ellipsoid. Undoing that transform gives local metres (x east, y north, z up, origin the site's
 * point); a quarter turn about east then gives three.js's y-up. Both the tour and the in-map layer
 * draw in these scene coordinates.
 */

/** ENU (z up) → scene (y up): scene = (east, up, −north). */
export const enuToScene = Object.freeze(new Matrix4().makeRotationX(-Math.PI / 2));
/** Scene (y up) → ENU (z up). */
export const sceneToEnu = Object.freeze(new Matrix4().makeRotationX(Math.PI / 2));

/**
 * ECEF → the site's local ENU metres: the inverse of the root tile's transform. A tileset without one
 * (a contractor's, in ECEF) gets the ENU frame at the site's position, at the height of its bounds.
 */
export function ecefToLocalEnu(tiles: TilesRenderer, position: readonly [number, number]): Matrix4 {
  const transform = (tiles.root as { transform?: number[] } | null)?.transform ?? (tiles.rootTileset as { root?: { transform?: number[] } } | null)?.root?.transform;
  if (Array.isArray(transform) && transform.length === 16) return new Matrix4().fromArray(transform).invert();
  const sphere = new Sphere();
  const height = tiles.getBoundingSphere(sphere) ? WGS84_ELLIPSOID.getPositionToCartographic(sphere.center, { lat: 0, lon: 0, height: 0 }).height : 0;
  const frame = WGS84_ELLIPSOID.getEastNorthUpFrame(MathUtils.degToRad(position[1]), MathUtils.degToRad(position[0]), height, new Matrix4());
  return frame.invert();
}

/** Puts the tiles' group in scene coordinates; answers the ECEF → ENU matrix used. */
export function placeTilesInSiteFrame(tiles: TilesRenderer, position: readonly [number, number]): Matrix4 {
  const ecefToEnu = ecefToLocalEnu(tiles, position);
  tiles.group.matrix.multiplyMatrices(enuToScene as Matrix4, ecefToEnu);
  tiles.group.matrix.decompose(tiles.group.position, tiles.group.quaternion, tiles.group.scale);
  tiles.group.matrixAutoUpdate = false;
  tiles.group.updateMatrixWorld(true);
  return ecefToEnu;
}

/** The root tile's bounds in local ENU metres (x east, y north, z up), or undefined before the root loaded. */
export function localBounds(tiles: TilesRenderer, ecefToEnu: Matrix4): Box3 | undefined {
  const box = new Box3();
  const frame = new Matrix4();
  if (!tiles.getOrientedBoundingBox(box, frame)) return undefined;
  const toLocal = new Matrix4().multiplyMatrices(ecefToEnu, frame);
  const bounds = new Box3();
  for (const x of [box.min.x, box.max.x]) for (const y of [box.min.y, box.max.y]) for (const z of [box.min.z, box.max.z]) bounds.expandByPoint(new Vector3(x, y, z).applyMatrix4(toLocal));
  return bounds;
}
