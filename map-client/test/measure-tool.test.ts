import { describe, expect, it } from 'vitest';
import { measure } from '../src/features/measure-tool.ts';

describe('measure', () => {
  it('measures a path along the ground, in metres', () => {
    // 0.01° of longitude at 21.38° N: 111.32 km × cos(21.38°) / 100 ≈ 1036 m.
    expect(measure('distance', [[103.0, 21.38], [103.01, 21.38]])).toBeCloseTo(1036, -1);
    expect(measure('distance', [[103.0, 21.38]])).toBeUndefined();
  });

  it('measures an area once three points close it, in square metres', () => {
    const square = measure('area', [[103.0, 21.38], [103.01, 21.38], [103.01, 21.39], [103.0, 21.39]])!;
    expect(square / 1e6).toBeCloseTo(1.036 * 1.112, 1);
    expect(measure('area', [[103.0, 21.38], [103.01, 21.38]])).toBeUndefined();
  });
});
