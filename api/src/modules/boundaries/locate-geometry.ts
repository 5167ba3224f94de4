import Flatbush from 'flatbush';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { orient2d } from 'robust-predicates';

/**
 * The geometry of one boundary set, in memory, for point-in-polygon and "within so many metres"
 * answers that are exactly PostGIS's — or no answer at all.
 *
 * Every edge of every ring is one box in a static R-tree (flatbush: packed once, searched without
 * allocation beyond the result, which suits boundaries that change once a decade). A point is
 * - near an edge (closer than NEAR_DEGREES, about a tenth of a millimetre): no answer. On or
 *   very close to a boundary, floating point decides what ST_Covers says, and the border rule
 *   depends on it, so the caller asks PostGIS;
 * - otherwise inside a polygon exactly when a ray from it to the east crosses the polygon's rings
 *   an odd number of times. Only edges straddling the point's latitude to its east are tested (a
 *   thin box search), with Shewchuk's exact orientation test (robust-predicates); far from every
 *   edge, that is the same answer as PostGIS's, whatever the rounding.
 *
 * Distances (ST_DWithin on geography) are measured in a local plane around the point with the
 * WGS84 ellipsoid's radii at its latitude. PostGIS measures on the spheroid along great circles;
 * the two differ by far less than `distanceMargin`, and a unit whose distance falls within that
 * margin of the limit gets no answer either.
 */

/** Closer than this (degrees, ≈ 0.1 mm) to any edge: PostGIS decides. */
export const NEAR_DEGREES = 1e-9;

const WGS84_A = 6_378_137;
const WGS84_F = 1 / 298.257223563;
const WGS84_E2 = WGS84_F * (2 - WGS84_F);
const DEGREE = Math.PI / 180;

export interface GeometryUnit {
  /** Position of the unit in its set's list (smallest code first, as PostgreSQL sorts them). */
  index: number;
  geometry: Polygon | MultiPolygon;
}

/** Metres per degree of longitude and of latitude at a latitude, on the WGS84 ellipsoid. */
export function metresPerDegree(latitude: number): { x: number; y: number } {
  const sin = Math.sin(latitude * DEGREE);
  const w = 1 - WGS84_E2 * sin * sin;
  const prime = WGS84_A / Math.sqrt(w);
  const meridian = (WGS84_A * (1 - WGS84_E2)) / (w * Math.sqrt(w));
  return { x: prime * Math.cos(latitude * DEGREE) * DEGREE, y: meridian * DEGREE };
}

export class SetGeometry {
  readonly unitCount: number;
  /** Edge i runs from (ax[i], ay[i]) to (bx[i], by[i]). */
  readonly #ax: Float64Array;
  readonly #ay: Float64Array;
  readonly #bx: Float64Array;
  readonly #by: Float64Array;
  /** The polygon (shell and holes) an edge belongs to, and the unit of each polygon. */
  readonly #edgePolygon: Int32Array;
  readonly #polygonUnit: Int32Array;
  readonly #tree: Flatbush | undefined;
  /** The longest edge (m): how far a great-circle edge may stray from the straight one. */
  readonly #longestEdgeM: number;

  constructor(units: readonly GeometryUnit[]) {
    this.unitCount = units.reduce((count, unit) => Math.max(count, unit.index + 1), 0);
    const rings: Array<{ polygon: number; ring: Position[] }> = [];
    const polygonUnit: number[] = [];
    for (const unit of units) {
      const polygons = unit.geometry.type === 'Polygon' ? [unit.geometry.coordinates] : unit.geometry.coordinates;
      for (const polygon of polygons) {
        const id = polygonUnit.push(unit.index) - 1;
        for (const ring of polygon) rings.push({ polygon: id, ring });
      }
    }
    const edgeCount = rings.reduce((count, { ring }) => count + Math.max(0, ring.length - 1), 0);
    this.#ax = new Float64Array(edgeCount);
    this.#ay = new Float64Array(edgeCount);
    this.#bx = new Float64Array(edgeCount);
    this.#by = new Float64Array(edgeCount);
    this.#edgePolygon = new Int32Array(edgeCount);
    this.#polygonUnit = Int32Array.from(polygonUnit);
    let edge = 0;
    let longest = 0;
    const tree = edgeCount > 0 ? new Flatbush(edgeCount) : undefined;
    for (const { polygon, ring } of rings) {
      for (let index = 0; index + 1 < ring.length; index += 1) {
        const [ax, ay] = ring[index] as [number, number];
        const [bx, by] = ring[index + 1] as [number, number];
        this.#ax[edge] = ax;
        this.#ay[edge] = ay;
        this.#bx[edge] = bx;
        this.#by[edge] = by;
        this.#edgePolygon[edge] = polygon;
        tree!.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
        const scale = metresPerDegree((ay + by) / 2);
        longest = Math.max(longest, Math.hypot((bx - ax) * scale.x, (by - ay) * scale.y));
        edge += 1;
      }
    }
    tree?.finish();
    this.#tree = tree;
    this.#longestEdgeM = longest;
  }

  get edgeCount(): number {
    return this.#ax.length;
  }

  /**
   * The units whose area covers the point (their indexes, ascending), or `undefined` when the point
   * is so close to an edge that only PostGIS can say.
   */
  unitsCovering(longitude: number, latitude: number): number[] | undefined {
    const tree = this.#tree;
    if (!tree) return [];
    if (this.#nearAnyEdge(longitude, latitude)) return undefined;
    const polygons = new Set<number>();
    // Edges straddling the point's latitude (half-open: one end strictly above) east of it.
    for (const edge of tree.search(longitude, latitude, Math.max(longitude, tree.maxX), latitude)) {
      const ax = this.#ax[edge]!;
      const ay = this.#ay[edge]!;
      const bx = this.#bx[edge]!;
      const by = this.#by[edge]!;
      if (ay > latitude === by > latitude) continue;
      // Upward edge: it crosses east of the point when the point is on its left; downward: on its right.
      // (robust-predicates' orient2d is negative when the third point is left of a→b, e.g.
      // orient2d(0,0, 1,0, 0,1) = -1, whatever its README says: hence the minus.)
      const side = -orient2d(ax, ay, bx, by, longitude, latitude);
      if (by > ay ? side > 0 : side < 0) {
        const polygon = this.#edgePolygon[edge]!;
        if (polygons.has(polygon)) polygons.delete(polygon);
        else polygons.add(polygon);
      }
    }
    const units = new Set<number>();
    for (const polygon of polygons) units.add(this.#polygonUnit[polygon]!);
    return [...units].sort((a, b) => a - b);
  }

  #nearAnyEdge(longitude: number, latitude: number): boolean {
    const near = NEAR_DEGREES;
    const hits = this.#tree!.search(longitude - near, latitude - near, longitude + near, latitude + near);
    for (const edge of hits) {
      // Twice the margin: the distance itself is computed in floating point.
      if (segmentDistance(longitude, latitude, this.#ax[edge]!, this.#ay[edge]!, this.#bx[edge]!, this.#by[edge]!, 1, 1) < 2 * near) return true;
    }
    return false;
  }

  /**
   * How far the in-memory distance to an edge `edgeM` metres long may be from PostGIS's geography
   * distance, at `metres`: the spheroid vs the local plane (far below 0.1 % at these ranges), the
   * great-circle edge vs the straight one (its sagitta, at most L²/8R, counted four times over), and
   * rounding. A generous sum.
   */
  static distanceMargin(metres: number, edgeM: number): number {
    return 0.5 + 0.01 * metres + (edgeM * edgeM) / (2 * 6_356_752);
  }

  /**
   * The units (indexes) among those `considered` within `metres` of the point as ST_DWithin on
   * geography counts it (`within`), and those too close to the limit to tell (`unsure`: PostGIS
   * decides). `covering`: the units covering the point (distance 0 in the plane), from `unitsCovering`.
   */
  unitsWithin(longitude: number, latitude: number, metres: number, covering: readonly number[], considered: (unit: number) => boolean): { within: Set<number>; unsure: Set<number> } {
    const tree = this.#tree;
    if (!tree) return { within: new Set(covering.filter(considered)), unsure: new Set() };
    const reach = metres + SetGeometry.distanceMargin(metres, this.#longestEdgeM);
    const scale = metresPerDegree(latitude);
    // Degrees spanned by `reach` (with a latitude allowance for the box's own height).
    const dy = (reach / scale.y) * 1.01;
    const dx = (reach / metresPerDegree(Math.min(89, Math.abs(latitude) + dy)).x) * 1.01;
    const inside = new Set(covering);
    const within = new Set<number>();
    /** Units with an edge too close to the limit to tell. */
    const unsure = new Set<number>();
    for (const edge of tree.search(longitude - dx, latitude - dy, longitude + dx, latitude + dy)) {
      const unit = this.#polygonUnit[this.#edgePolygon[edge]!]!;
      if (!considered(unit) || within.has(unit)) continue;
      const ax = this.#ax[edge]!;
      const ay = this.#ay[edge]!;
      const bx = this.#bx[edge]!;
      const by = this.#by[edge]!;
      const distance = segmentDistance(longitude, latitude, ax, ay, bx, by, scale.x, scale.y);
      const margin = SetGeometry.distanceMargin(metres, Math.hypot((bx - ax) * scale.x, (by - ay) * scale.y));
      if (inside.has(unit)) {
        // Inside in the plane; on the sphere the edge bulges by its sagitta, so a point this close
        // to it may be just outside — which only matters for a limit under the margin.
        if (distance < margin && metres < margin) unsure.add(unit);
      } else if (distance <= metres - margin) within.add(unit);
      else if (distance < metres + margin) unsure.add(unit);
    }
    for (const unit of inside) if (considered(unit) && !unsure.has(unit)) within.add(unit);
    for (const unit of within) unsure.delete(unit);
    return { within, unsure };
  }
}

/** Distance from (px, py) to the segment a–b, after scaling x and y differences by sx and sy. */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number, sx: number, sy: number): number {
  const x1 = (ax - px) * sx;
  const y1 = (ay - py) * sy;
  const x2 = (bx - px) * sx;
  const y2 = (by - py) * sy;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, -(x1 * dx + y1 * dy) / length2));
  return Math.hypot(x1 + t * dx, y1 + t * dy);
}
