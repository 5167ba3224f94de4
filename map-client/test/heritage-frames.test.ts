import { Group, MathUtils, Matrix4, Vector3 } from 'three';
import { WGS84_ELLIPSOID, type TilesRenderer } from '3d-tiles-renderer/three';
import { describe, expect, it } from 'vitest';
import { siteModelMatrix } from '../src/heritage/map-camera.ts';
import { placeTilesInSiteFrame } from '../src/heritage/tileset-frame.ts';

// Đồi A1, at the valley's height above the ellipsoid.
const [lon, lat, height] = [103.0245, 21.3828, 480];
const enuFrame = WGS84_ELLIPSOID.getEastNorthUpFrame(MathUtils.degToRad(lat), MathUtils.degToRad(lon), height, new Matrix4());

/** The parts of a TilesRenderer the placement reads (the root tile's transform, the group). */
const tilesWithRoot = (transform: number[] | undefined) => ({ root: transform ? { transform } : {}, rootTileset: null, group: Object.assign(new Group(), { matrixWorldInverse: new Matrix4() }), getBoundingSphere: () => false }) as unknown as TilesRenderer;

describe('placing a site’s tileset', () => {
  it('undoes the root transform: a point 10 m east, 20 m north and 5 m up of the site lands at scene (10, 5, −20)', () => {
    const tiles = tilesWithRoot([...enuFrame.elements]);
    placeTilesInSiteFrame(tiles, [lon, lat]);
    // Tile content is in ECEF (the renderer has applied the root transform to it).
    const ecef = new Vector3(10, 20, 5).applyMatrix4(enuFrame);
    const scene = ecef.applyMatrix4(tiles.group.matrixWorld);
    expect(scene.x).toBeCloseTo(10, 6);
    expect(scene.y).toBeCloseTo(5, 6);
    expect(scene.z).toBeCloseTo(-20, 6);
  });

  it('uses the ENU frame at the site for a tileset without a root transform (a contractor’s, in ECEF)', () => {
    const tiles = tilesWithRoot(undefined);
    placeTilesInSiteFrame(tiles, [lon, lat]);
    const ecef = WGS84_ELLIPSOID.getCartographicToPosition(MathUtils.degToRad(lat), MathUtils.degToRad(lon), 12, new Vector3());
    const scene = ecef.applyMatrix4(tiles.group.matrixWorld);
    expect(scene.x).toBeCloseTo(0, 4);
    expect(scene.y).toBeCloseTo(12, 4);
    expect(scene.z).toBeCloseTo(0, 4);
  });

  it('stands the scene on the map: east is +x, north is −y (mercator grows southwards), up is +z, in metres scaled to mercator', () => {
    const origin = { x: 0.7861, y: 0.4388, z: 0 };
    const metre = 2.7e-8;
    const model = new Matrix4().fromArray(siteModelMatrix(origin, metre));
    // Scene (east 100, up 30, south 50) = ENU (100, −50, 30).
    const mercator = new Vector3(100, 30, 50).applyMatrix4(model);
    expect(mercator.x).toBeCloseTo(origin.x + 100 * metre, 12);
    expect(mercator.y).toBeCloseTo(origin.y + 50 * metre, 12);
    expect(mercator.z).toBeCloseTo(30 * metre, 12);
  });
});
