/**
 * What a generated site is: a coarse model for the root tile and fine models for its children
 * (one child, or one per plan region for large sites), drawn by the site's module.
 */
import type { MeshBuilder } from './mesh-builder.ts';

/** A rectangle in plan (east/north metres). Features belong to the region holding their anchor point. */
export interface Region {
  name: string;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

export function inRegion(region: Region | null, x: number, y: number): boolean {
  return region === null || (x >= region.minX && x < region.maxX && y >= region.minY && y < region.maxY);
}

/** The four quadrants of a rectangle around the origin, split at (0, 0). */
export function quadrants(minX: number, maxX: number, minY: number, maxY: number): Region[] {
  return [
    { name: 'sw', minX, maxX: 0, minY, maxY: 0 },
    { name: 'se', minX: 0, maxX, minY, maxY: 0 },
    { name: 'nw', minX, maxX: 0, minY: 0, maxY },
    { name: 'ne', minX: 0, maxX, minY: 0, maxY },
  ];
}

export interface SiteModel {
  code: string;
  /** Short English name, used in the tileset's asset.extras. */
  name: string;
  /**
   * Height of the local frame's origin above the WGS 84 ellipsoid (m): the ground around the site.
   * Approximate (see each site); only globe viewers that place the tileset on real terrain care,
   * the map layer and the tour use the local frame.
   */
  groundHeight: number;
  /** The tileset's geometricError: the error of showing nothing (≈ the site's size). */
  tilesetGeometricError: number;
  /** The root tile's error (what the coarse model leaves out, in metres). */
  rootGeometricError: number;
  /** Draws the coarse whole-site model of the root tile. */
  coarse(b: MeshBuilder): void;
  /** Ground height (m, local frame) at (x east, y north): for placing things and checking tour cameras. */
  groundAt(x: number, y: number): number;
  /** Plan regions of the fine children; a single `null` region means one child with everything. */
  regions: (Region | null)[];
  /** Draws the fine model of one region (or all of it for `null`). */
  fine(b: MeshBuilder, region: Region | null): void;
}
