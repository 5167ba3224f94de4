import { describe, expect, it } from 'vitest';
import { prjSamples } from '../testing/prj-samples.ts';
import { detectSrsFromGeoJsonCrs, detectSrsFromPrj, parseWkt } from './prj-detection.ts';

describe('detectSrsFromPrj', () => {
  it.each([
    ['wgs84Esri', 'wgs84'],
    ['wgs84Ogc', 'wgs84'],
    ['vn2000GeographicOgc', 'vn2000'],
    ['vn2000GeographicEsri', 'vn2000'],
    ['vn2000Utm48nOgc', 'vn2000-utm48n'],
    ['vn2000Utm48nEsri', 'vn2000-utm48n'],
    ['vn2000Tm3103Esri', 'vn2000-tm3-103'],
    ['vn2000Tm3103Wkt2', 'vn2000-tm3-103'],
  ] as const)('recognises %s as %s', (sample, expected) => {
    const detection = detectSrsFromPrj(prjSamples[sample]);
    expect(detection.srs).toBe(expected);
    expect(detection.reason).toBeUndefined();
  });

  it('says what an unsupported VN-2000 zone declares', () => {
    const detection = detectSrsFromPrj(prjSamples.vn2000Tm3Zone481Ogc);
    expect(detection.srs).toBeNull();
    expect(detection.declared).toBe('"VN-2000 / TM-3 zone 481" (EPSG:5896, datum Vietnam_2000, Transverse_Mercator, central meridian 102, scale 0.9999, false easting 500000)');
    expect(detection.reason).toMatch(/not one of the supported projections/);
  });

  it('does not guess the datum when TM-3 103 parameters come with a WGS 84 datum', () => {
    const detection = detectSrsFromPrj(prjSamples.tm3103OnWgs84Esri);
    expect(detection.srs).toBeNull();
    expect(detection.reason).toMatch(/pass --srs vn2000-tm3-103/);
  });

  it('rejects other datums (Hà Nội 1972, Krassovsky) by name', () => {
    const detection = detectSrsFromPrj(prjSamples.hanoi1972Gauss);
    expect(detection.srs).toBeNull();
    expect(detection.reason).toBe('the datum "Hanoi_1972" is neither WGS 84 nor VN-2000');
  });

  it('reports unreadable WKT instead of throwing', () => {
    const detection = detectSrsFromPrj('PROJCS["broken",GEOGCS[');
    expect(detection.srs).toBeNull();
    expect(detection.declared).toMatch(/^unreadable \.prj/);
  });

  it('parses bare enumeration words and nested nodes', () => {
    const node = parseWkt('AXIS["Easting",EAST]');
    expect(node).toEqual({ keyword: 'AXIS', values: ['Easting', 'EAST'] });
  });
});

describe('detectSrsFromGeoJsonCrs', () => {
  it('reads GeoJSON 2008 named CRSs', () => {
    expect(detectSrsFromGeoJsonCrs({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3405' } })?.srs).toBe('vn2000-utm48n');
    expect(detectSrsFromGeoJsonCrs({ type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } })?.srs).toBe('wgs84');
    expect(detectSrsFromGeoJsonCrs({ type: 'EPSG', properties: { code: 4756 } })?.srs).toBe('vn2000');
    expect(detectSrsFromGeoJsonCrs(undefined)).toBeNull();
  });

  it('names an unsupported CRS', () => {
    expect(detectSrsFromGeoJsonCrs({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32648' } })).toEqual({
      srs: null,
      declared: 'crs "urn:ogc:def:crs:EPSG::32648"',
      reason: '"urn:ogc:def:crs:EPSG::32648" is not a supported coordinate system',
    });
  });
});
