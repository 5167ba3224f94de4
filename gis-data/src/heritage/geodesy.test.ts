import { describe, expect, it } from 'vitest';
import { ecefToGeodetic, enuFrameToEcef, enuToGltf, geodeticToEcef, transformPoint, type Vec3, WGS84_A, WGS84_B, Y_UP_TO_Z_UP } from './geodesy.ts';

const column = (m: number[], c: number): Vec3 => [m[c * 4]!, m[c * 4 + 1]!, m[c * 4 + 2]!];
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const unit = (a: Vec3): Vec3 => {
  const l = Math.hypot(...a);
  return [a[0] / l, a[1] / l, a[2] / l];
};

describe('geodeticToEcef / ecefToGeodetic', () => {
  it('puts the equator/prime meridian and the pole where WGS 84 says', () => {
    expect(geodeticToEcef(0, 0, 0)).toEqual([WGS84_A, 0, 0]);
    const pole = geodeticToEcef(0, 90, 0);
    expect(pole[2]).toBeCloseTo(WGS84_B, 6);
    expect(geodeticToEcef(90, 0, 100)[1]).toBeCloseTo(WGS84_A + 100, 6);
  });

  it('round-trips Điện Biên Phủ positions to well under a millimetre', () => {
    for (const [lon, lat, h] of [[103.0245, 21.3828, 480], [103.1445, 21.4625, 900], [-70, -45, -30]] as const) {
      const [lon2, lat2, h2] = ecefToGeodetic(geodeticToEcef(lon, lat, h));
      expect(lon2).toBeCloseTo(lon, 10);
      expect(lat2).toBeCloseTo(lat, 10);
      expect(h2).toBeCloseTo(h, 4);
    }
  });
});

describe('enuFrameToEcef', () => {
  const [lon, lat, height] = [103.0245, 21.3828, 480];
  const m = enuFrameToEcef(lon, lat, height);

  it('is a column-major 4×4 whose origin is the geodetic → ECEF position', () => {
    expect(m).toHaveLength(16);
    expect([m[3], m[7], m[11], m[15]]).toEqual([0, 0, 0, 1]);
    const origin = geodeticToEcef(lon, lat, height);
    expect(column(m, 3)).toEqual(origin);
    expect(transformPoint(m, [0, 0, 0])).toEqual(origin);
  });

  it('has orthonormal east, north, up columns: up is the ellipsoid normal, east and north follow the graticule', () => {
    const [east, north, up] = [column(m, 0), column(m, 1), column(m, 2)];
    for (const axis of [east, north, up]) expect(Math.hypot(...axis)).toBeCloseTo(1, 12);
    expect(dot(east, north)).toBeCloseTo(0, 12);
    expect(dot(east, up)).toBeCloseTo(0, 12);
    expect(dot(north, up)).toBeCloseTo(0, 12);
    // right-handed: east × north = up
    expect(east[1] * north[2] - east[2] * north[1]).toBeCloseTo(up[0], 12);
    // up: the direction in which the ellipsoidal height grows
    const p = geodeticToEcef(lon, lat, height);
    const upward = unit(sub(geodeticToEcef(lon, lat, height + 1), p));
    for (let k = 0; k < 3; k++) expect(up[k]).toBeCloseTo(upward[k]!, 9);
    // east: growing longitude; north: growing latitude
    const eastward = unit(sub(geodeticToEcef(lon + 1e-6, lat, height), p));
    const northward = unit(sub(geodeticToEcef(lon, lat + 1e-6, height), p));
    for (let k = 0; k < 3; k++) {
      expect(east[k]).toBeCloseTo(eastward[k]!, 6);
      expect(north[k]).toBeCloseTo(northward[k]!, 6);
    }
  });

  it('maps local metres to the right place on the ellipsoid', () => {
    // 100 m north of the origin: latitude grows by ≈ 100 / 110 700 degrees, height stays ≈ the same
    const [, lat2, h2] = ecefToGeodetic(transformPoint(m, [0, 100, 0]));
    expect((lat2 - lat) * 110_700).toBeCloseTo(100, 0);
    expect(h2 - height).toBeCloseTo(0, 2);
    // 30 m up: the height grows by 30 m
    expect(ecefToGeodetic(transformPoint(m, [0, 0, 30]))[2]).toBeCloseTo(height + 30, 6);
  });
});

describe('the glTF y-up → z-up convention', () => {
  it('undoes our ENU → glTF mapping: glTF +y is up, −z is north', () => {
    for (const p of [[1, 0, 0], [0, 1, 0], [0, 0, 1], [3, -4, 5]] as Vec3[]) {
      expect(transformPoint(Y_UP_TO_Z_UP, enuToGltf(p)).map((v) => v + 0)).toEqual(p);
    }
    expect(enuToGltf([0, 0, 1])).toEqual([0, 1, -0]);
  });
});
