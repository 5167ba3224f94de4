import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { createPositionTransformer, transformCoordinates, transformGeometry } from './coordinate-transform.ts';
import { findSourceSrs, parseSourceSrs, sourceSrsDefinitions, vn2000ToWgs84Helmert } from './crs-registry.ts';

/** 1e-6 degrees is about 10 cm; the brief's tolerance for agreeing with PROJ. */
const degreeTolerance = 1e-6;

function expectPositionNear(actual: readonly number[], expected: readonly number[], tolerance = degreeTolerance): void {
  expect(actual).toHaveLength(2);
  expect(Math.abs(Number(actual[0]) - Number(expected[0]))).toBeLessThan(tolerance);
  expect(Math.abs(Number(actual[1]) - Number(expected[1]))).toBeLessThan(tolerance);
}

describe('reprojection agrees with PROJ 9.7 (embedded PostGIS 3.6)', () => {
  // Reference values: SELECT ST_AsText(ST_Transform(<point>, <from>, 'EPSG:4326')) in
  // @electric-sql/pglite-postgis 0.2.8 (POSTGIS 3.6.2, PROJ 9.7.0), using the registry's strings.

  it('EPSG:3405 (VN-2000 / UTM 48N) 500000 2360000', () => {
    expectPositionNear(transformCoordinates([500000, 2360000], 'vn2000-utm48n'), [105.00188853369745, 21.341038746871764]);
  });

  it('VN-2000 TM-3° 103 500000 2360000', () => {
    // ST_Transform(ST_MakePoint(500000, 2360000), '<the tmerc string>', 'EPSG:4326')
    // = POINT(103.00189122688026 21.334663748717315).
    expectPositionNear(transformCoordinates([500000, 2360000], 'vn2000-tm3-103'), [103.00189122688026, 21.334663748717315]);
  });

  it('EPSG:4756 (VN-2000 geographic) 103 21.3', () => {
    expectPositionNear(transformCoordinates([103, 21.3], 'vn2000'), [103.00189076745018, 21.299047420189005]);
  });

  it('the TM-3 fixture corner 501000 2366000 lands next to Điện Biên Phủ', () => {
    expectPositionNear(transformCoordinates([501000, 2366000], 'vn2000-tm3-103'), [103.01153626628857, 21.38885897861878]);
  });

  it('WGS 84 → TM-3 103 (the inverse direction)', () => {
    const [x, y] = transformCoordinates([103.02, 21.39], 'wgs84', 'vn2000-tm3-103');
    expect(Math.abs(x! - 501877.57069950463)).toBeLessThan(0.01);
    expect(Math.abs(y! - 2366126.410555115)).toBeLessThan(0.01);
  });

  it('the shift is the full Helmert one (hundreds of metres), not a silent no-op', () => {
    // Without +towgs84 the same point would land ~200 m away: the error this registry exists to prevent.
    const withoutShift = proj4('+proj=tmerc +lat_0=0 +lon_0=103 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +units=m +no_defs', 'WGS84', [500000, 2360000]);
    const withShift = transformCoordinates([500000, 2360000], 'vn2000-tm3-103');
    expect(Math.abs(withShift[0]! - withoutShift[0]!)).toBeGreaterThan(0.0015); // > ~150 m east-west
  });

  it('flipping the rotation signs (the coordinate-frame mistake) moves the point by ~0.7 m', () => {
    // This is 103.00188425323682 21.33466117696465, a number once quoted as the PROJ result: it is
    // what you get with the Decision's coordinate-frame signs pasted into +towgs84, not what PROJ
    // computes for the registry's string.
    const flipped = vn2000ToWgs84Helmert.replace('0.00928836,-0.01975479,0.00427372', '-0.00928836,0.01975479,-0.00427372');
    const wrong = proj4(sourceSrsDefinitions['vn2000-tm3-103'].proj4.replace(vn2000ToWgs84Helmert, flipped), 'WGS84', [500000, 2360000]);
    expectPositionNear(wrong, [103.00188425323682, 21.33466117696465]);
    const right = transformCoordinates([500000, 2360000], 'vn2000-tm3-103');
    expect(Math.abs(right[0]! - wrong[0]!)).toBeGreaterThan(5e-6);
  });

  it('transforms nested coordinates and whole geometries, keeping the nesting and dropping Z', () => {
    const ring = [
      [501000, 2366000, 12],
      [502000, 2366000, 12],
      [502000, 2367000, 12],
      [501000, 2366000, 12],
    ];
    const polygon = transformGeometry({ type: 'Polygon', coordinates: [ring] }, 'vn2000-tm3-103');
    expect(polygon.coordinates).toHaveLength(1);
    expect(polygon.coordinates[0]).toHaveLength(4);
    expect(polygon.coordinates[0]![0]).toHaveLength(2);
    expectPositionNear(polygon.coordinates[0]![0]!, [103.01153626628857, 21.38885897861878]);
    expectPositionNear(polygon.coordinates[0]![2]!, [103.02118190589034, 21.39789060553369]);
  });

  it('wgs84 → wgs84 is the identity', () => {
    expect(createPositionTransformer('wgs84')([103.1, 21.4, 5])).toEqual([103.1, 21.4]);
  });
});

describe('parseSourceSrs', () => {
  it.each([
    ['wgs84', 'wgs84'],
    ['EPSG:4326', 'wgs84'],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 'wgs84'],
    ['vn2000', 'vn2000'],
    ['VN-2000', 'vn2000'],
    ['EPSG:4756', 'vn2000'],
    ['EPSG:3405', 'vn2000-utm48n'],
    ['urn:ogc:def:crs:EPSG::3405', 'vn2000-utm48n'],
    ['3405', 'vn2000-utm48n'],
    ['vn2000-utm48n', 'vn2000-utm48n'],
    ['vn2000-tm3', 'vn2000-tm3-103'],
    ['VN2000_TM3_103', 'vn2000-tm3-103'],
    ['vn2000-tm3-103', 'vn2000-tm3-103'],
  ])('%s → %s', (input, expected) => {
    expect(parseSourceSrs(input)).toBe(expected);
  });

  it('rejects unknown systems with a message that lists the accepted values', () => {
    expect(() => parseSourceSrs('EPSG:32648')).toThrowError(/Unknown source coordinate system "EPSG:32648"/);
    expect(() => parseSourceSrs('hn72')).toThrowError(/vn2000-tm3-103 .*103°/);
    expect(() => parseSourceSrs('')).toThrowError(/wgs84.*\n.*vn2000.*\n.*vn2000-utm48n.*\n.*vn2000-tm3-103/s);
    expect(findSourceSrs('EPSG:3406')).toBeNull();
  });
});
