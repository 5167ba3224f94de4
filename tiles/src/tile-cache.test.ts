import { describe, expect, it } from 'vitest';
import { TileCache, type CachedTile } from './tile-cache.ts';
import { isTileInRange, tileBounds, tileContaining, tilesCovering } from './tile-coordinates.ts';

const entry = (key: string, layer: string, bounds: CachedTile['bounds'], size = 1000): CachedTile => ({ key, layer, bounds, body: new Uint8Array(size), etag: `"${key}"` });

describe('TileCache', () => {
  it('evicts the least recently used tiles beyond its byte budget', () => {
    const cache = new TileCache(3000);
    cache.set(entry('a', 'reports', [0, 0, 1, 1]));
    cache.set(entry('b', 'reports', [0, 0, 1, 1]));
    expect(cache.get('a')).toBeDefined();
    cache.set(entry('c', 'reports', [0, 0, 1, 1]));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.bytes).toBeLessThanOrEqual(3000);
  });

  it('invalidates the tiles of a layer that touch a changed area, or all of them', () => {
    const cache = new TileCache(1_000_000);
    cache.set(entry('near', 'reports', [103, 21, 103.1, 21.1]));
    cache.set(entry('far', 'reports', [102, 22, 102.1, 22.1]));
    cache.set(entry('other-layer', 'cameras', [103, 21, 103.1, 21.1]));
    expect(cache.invalidate('reports', [103.05, 21.05, 103.05, 21.05])).toBe(1);
    expect(cache.get('near')).toBeUndefined();
    expect(cache.get('far')).toBeDefined();
    expect(cache.get('other-layer')).toBeDefined();
    expect(cache.invalidate('reports', null)).toBe(1);
    expect(cache.size).toBe(1);
  });
});

describe('tile coordinates', () => {
  it('knows the tiles that exist', () => {
    expect(isTileInRange({ z: 0, x: 0, y: 0 })).toBe(true);
    expect(isTileInRange({ z: 3, x: 8, y: 0 })).toBe(false);
    expect(isTileInRange({ z: 25, x: 0, y: 0 })).toBe(false);
    expect(isTileInRange({ z: 2, x: 1.5, y: 0 })).toBe(false);
  });

  it('finds the tile of a point and the tiles of a box', () => {
    const tile = tileContaining(103.0169, 21.386, 14);
    const [west, south, east, north] = tileBounds(tile);
    expect(west).toBeLessThanOrEqual(103.0169);
    expect(east).toBeGreaterThan(103.0169);
    expect(south).toBeLessThanOrEqual(21.386);
    expect(north).toBeGreaterThan(21.386);
    expect(tilesCovering([102.1, 20.9, 103.6, 22.5], 8)).toHaveLength(2 * 2);
  });
});
