import { describe, expect, it } from 'vitest';
import { metresPerDegree, NEAR_DEGREES, SetGeometry } from './locate-geometry.ts';

// Two squares sharing the edge x = 103 (unit 0 west, unit 1 east, with a hole), and a
// multipolygon (unit 2) of two islands to the north.
const square = (x0: number, y0: number, x1: number, y1: number) => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const geometry = new SetGeometry([
  { index: 0, geometry: { type: 'Polygon', coordinates: [square(102.9, 21.3, 103, 21.4)] } },
  { index: 1, geometry: { type: 'Polygon', coordinates: [square(103, 21.3, 103.1, 21.4), square(103.04, 21.34, 103.06, 21.36).reverse()] } },
  {
    index: 2,
    geometry: {
      type: 'MultiPolygon',
      coordinates: [[square(102.9, 21.5, 102.95, 21.55)], [square(103.05, 21.5, 103.1, 21.55)]],
    },
  },
]);

describe('SetGeometry.unitsCovering', () => {
  it('finds the unit around a point, with holes and multipolygons', () => {
    expect(geometry.unitsCovering(102.95, 21.35)).toEqual([0]);
    expect(geometry.unitsCovering(103.02, 21.35)).toEqual([1]);
    expect(geometry.unitsCovering(103.05, 21.35)).toEqual([]); // in the hole
    expect(geometry.unitsCovering(102.92, 21.52)).toEqual([2]);
    expect(geometry.unitsCovering(103.07, 21.52)).toEqual([2]);
    expect(geometry.unitsCovering(103.0, 21.52)).toEqual([]); // between the islands
    expect(geometry.unitsCovering(105.85, 21.03)).toEqual([]);
  });

  it('gives no answer on or within 0.1 mm of an edge or vertex (PostGIS decides there)', () => {
    expect(geometry.unitsCovering(103, 21.35)).toBeUndefined();
    expect(geometry.unitsCovering(103 + NEAR_DEGREES / 2, 21.35)).toBeUndefined();
    expect(geometry.unitsCovering(103, 21.4)).toBeUndefined();
    expect(geometry.unitsCovering(103.04, 21.35)).toBeUndefined(); // the hole's edge
    // Just past the margin: an answer again, on the right side.
    expect(geometry.unitsCovering(103 - 1e-8, 21.35)).toEqual([0]);
    expect(geometry.unitsCovering(103 + 1e-8, 21.35)).toEqual([1]);
  });

  it('counts a ray through a vertex once (half-open edges)', () => {
    // The ray east from (102.95, 21.3 + ε) and from the latitude of the hole's corners.
    expect(geometry.unitsCovering(102.95, 21.34)).toEqual([0]);
    expect(geometry.unitsCovering(103.02, 21.34)).toEqual([1]);
    expect(geometry.unitsCovering(103.08, 21.36)).toEqual([1]);
  });
});

describe('SetGeometry.unitsWithin', () => {
  const everyUnit = () => true;
  const metresEast = (metres: number) => metres / metresPerDegree(21.35).x;

  // The shared edge is 0.1° (≈ 11 km) long: a great circle strays from it by up to a few metres,
  // which the margin allows for.
  const margin = SetGeometry.distanceMargin(30, 0.1 * metresPerDegree(21.35).y);
  const within = (metres: number, considered: (unit: number) => boolean = everyUnit) => {
    const units = geometry.unitsWithin(103 - metresEast(metres), 21.35, 30, [0], considered);
    return units.unsure.size > 0 ? 'unsure' : [...units.within].sort();
  };

  it('finds units within the distance, and none beyond it', () => {
    expect(margin).toBeGreaterThan(0.8);
    expect(margin).toBeLessThan(15);
    expect(within(30 - margin * 1.1)).toEqual([0, 1]);
    expect(within(5)).toEqual([0, 1]);
    expect(within(30 + margin * 1.1)).toEqual([0]);
    // Units not considered are left out (the caller's filter), however close.
    expect(within(5, (unit) => unit !== 0)).toEqual([1]);
  });

  it('leaves a unit within the safety margin of the distance to PostGIS', () => {
    expect(within(30)).toBe('unsure');
    expect(within(30 - margin * 0.9)).toBe('unsure');
    expect(within(30 + margin * 0.9)).toBe('unsure');
    const units = geometry.unitsWithin(103 - metresEast(30), 21.35, 30, [0], everyUnit);
    expect([...units.within]).toEqual([0]);
    expect([...units.unsure]).toEqual([1]);
  });

  it('measures on the WGS84 ellipsoid: a degree of latitude is about 110.7 km here, of longitude about 103.8 km', () => {
    const scale = metresPerDegree(21.35);
    expect(scale.y).toBeGreaterThan(110_700);
    expect(scale.y).toBeLessThan(110_800);
    expect(scale.x).toBeGreaterThan(103_700);
    expect(scale.x).toBeLessThan(103_900);
  });
});
