/**
 * Tessellate a hand-drawn outline into Voronoi cells around seed points, so that the cells are
 * topologically clean AFTER rounding to 6 decimals (1 micro-degree, about 0.1 m).
 *
 * Why not simply `intersect(voronoiCell, outline)` and round: each neighbour would compute the point
 * where their shared Voronoi edge leaves the outline on its own, and rounding a point that lies on an
 * outline edge moves it off that edge, which leaves slivers of ~1e-8 deg² between the cells and the
 * outline. Instead we build one planar graph on the micro-degree grid:
 *
 *   1. Voronoi vertices are rounded once, so neighbours share them exactly;
 *   2. the points where Voronoi edges cross the outline are rounded once and inserted into the
 *      outline itself (the returned outline has these extra vertices);
 *   3. faces are traced from the graph, and each face goes to the seed nearest to its interior.
 *
 * All topology decisions (orientation, intersection, area) are made with exact integer arithmetic on
 * micro-degrees, so the result is deterministic and the union of the cells is exactly the outline.
 */
import { featureCollection, point, voronoi } from '@turf/turf';

export type LonLat = readonly [number, number];
/** A vertex on the micro-degree grid: integer longitude and latitude times 1e6. */
type GridPoint = readonly [number, number];

export interface Seed {
  id: string;
  position: LonLat;
}

export interface Tessellation {
  /** The outline ring (closed, counter-clockwise) with the crossing points inserted. */
  outline: LonLat[];
  /** For each seed id, the polygons of its cell: each one closed, counter-clockwise ring, no holes. */
  cells: Map<string, LonLat[][]>;
}

const SCALE = 1e6;

export function toGrid([lon, lat]: LonLat): GridPoint {
  return [Math.round(lon * SCALE), Math.round(lat * SCALE)];
}

export function fromGrid([x, y]: GridPoint): LonLat {
  return [x / SCALE, y / SCALE];
}

/** Round a coordinate to 6 decimals the same way the tessellation does. */
export function roundLonLat(position: LonLat): LonLat {
  return fromGrid(toGrid(position));
}

const keyOf = ([x, y]: GridPoint): string => `${x},${y}`;

/** Sign of the cross product (b - a) x (c - a); exact for micro-degree integers. */
function orient(a: GridPoint, b: GridPoint, c: GridPoint): number {
  const value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return Math.sign(value);
}

/** Twice the signed area of a ring (no closing vertex), exact for rings a few degrees across. */
export function doubledSignedArea(ring: readonly GridPoint[]): number {
  const origin = ring[0]!;
  let sum = 0;
  for (let i = 1; i + 1 < ring.length; i++) {
    const a = ring[i]!;
    const b = ring[i + 1]!;
    sum += (a[0] - origin[0]) * (b[1] - origin[1]) - (b[0] - origin[0]) * (a[1] - origin[1]);
  }
  return sum;
}

function pointInRing(x: number, y: number, ring: readonly GridPoint[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** True when segments ab and cd share any point other than a common endpoint. */
function segmentsConflict(a: GridPoint, b: GridPoint, c: GridPoint, d: GridPoint): boolean {
  const shared = [a, b].filter((p) => keyOf(p) === keyOf(c) || keyOf(p) === keyOf(d)).length;
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (shared > 0) {
    // Touching at the shared endpoint is fine; overlapping along a line is not.
    return o1 === 0 && o2 === 0 && shared < 2 ? collinearOverlap(a, b, c, d) : shared === 2;
  }
  if (o1 * o2 < 0 && o3 * o4 < 0) return true;
  const onSegment = (p: GridPoint, q: GridPoint, r: GridPoint): boolean =>
    Math.min(p[0], q[0]) <= r[0] && r[0] <= Math.max(p[0], q[0]) && Math.min(p[1], q[1]) <= r[1] && r[1] <= Math.max(p[1], q[1]);
  return (o1 === 0 && onSegment(a, b, c)) || (o2 === 0 && onSegment(a, b, d)) || (o3 === 0 && onSegment(c, d, a)) || (o4 === 0 && onSegment(c, d, b));
}

function collinearOverlap(a: GridPoint, b: GridPoint, c: GridPoint, d: GridPoint): boolean {
  // Segments share one endpoint and are collinear: they overlap if they leave it in the same direction.
  const [p, q, r] = keyOf(a) === keyOf(c) ? [a, b, d] : keyOf(a) === keyOf(d) ? [a, b, c] : keyOf(b) === keyOf(c) ? [b, a, d] : [b, a, c];
  return (q[0] - p[0]) * (r[0] - p[0]) + (q[1] - p[1]) * (r[1] - p[1]) > 0;
}

/** Rotate a ring so it starts at its lowest-left vertex; makes output independent of tracing order. */
function canonicalRing(ring: GridPoint[]): GridPoint[] {
  let start = 0;
  ring.forEach((p, i) => {
    const s = ring[start]!;
    if (p[0] < s[0] || (p[0] === s[0] && p[1] < s[1])) start = i;
  });
  return [...ring.slice(start), ...ring.slice(0, start)];
}

function closeRing(ring: readonly GridPoint[]): LonLat[] {
  return [...ring, ring[0]!].map(fromGrid);
}

/**
 * A point strictly inside a simple ring: on a horizontal line between two vertex latitudes near the
 * middle (so it meets no vertex), the midpoint of the widest span that lies inside the ring.
 */
function interiorPoint(ring: readonly GridPoint[]): [number, number] {
  const levels = [...new Set(ring.map((p) => p[1]))].sort((a, b) => a - b);
  const middle = Math.max(1, Math.floor(levels.length / 2));
  const y = (levels[middle - 1]! + levels[middle]!) / 2;
  const crossings: number[] = [];
  ring.forEach((a, i) => {
    const b = ring[(i + 1) % ring.length]!;
    if (a[1] > y !== b[1] > y) crossings.push(a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
  });
  crossings.sort((a, b) => a - b);
  let best: [number, number] = [NaN, y];
  let widest = -1;
  for (let i = 0; i + 1 < crossings.length; i += 2) {
    const width = crossings[i + 1]! - crossings[i]!;
    if (width > widest) {
      widest = width;
      best = [(crossings[i]! + crossings[i + 1]!) / 2, y];
    }
  }
  return best;
}

export function tessellate(outlineInput: readonly LonLat[], seeds: readonly Seed[]): Tessellation {
  let outline = outlineInput.map(toGrid);
  if (keyOf(outline[0]!) === keyOf(outline[outline.length - 1]!)) outline = outline.slice(0, -1);
  if (doubledSignedArea(outline) <= 0) throw new Error('outline must be counter-clockwise');
  const seedPoints = seeds.map((seed) => toGrid(seed.position));
  seedPoints.forEach((p, i) => {
    if (!pointInRing(p[0], p[1], outline)) throw new Error(`seed ${seeds[i]!.id} is outside the outline`);
  });

  // 1. Voronoi edges, rounded once to the grid and deduplicated.
  const xs = outline.map((p) => p[0] / SCALE);
  const ys = outline.map((p) => p[1] / SCALE);
  const bbox: [number, number, number, number] = [Math.min(...xs) - 1, Math.min(...ys) - 1, Math.max(...xs) + 1, Math.max(...ys) + 1];
  const diagram = voronoi(featureCollection(seedPoints.map((p) => point([...fromGrid(p)]))), { bbox });
  const voronoiEdges = new Map<string, [GridPoint, GridPoint]>();
  diagram.features.forEach((cell, index) => {
    if (!cell) throw new Error(`no Voronoi cell for seed ${seeds[index]!.id} (duplicate position?)`);
    const ring = cell.geometry.coordinates[0]!.map((c) => toGrid([c[0]!, c[1]!]));
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = ring[i]!;
      const b = ring[i + 1]!;
      if (keyOf(a) === keyOf(b)) continue;
      const key = [keyOf(a), keyOf(b)].sort().join('|');
      if (!voronoiEdges.has(key)) voronoiEdges.set(key, keyOf(a) < keyOf(b) ? [a, b] : [b, a]);
    }
  });

  // 2. Crossings of Voronoi edges with the outline, rounded once and shared by both.
  const outlineInsertions = outline.map(() => [] as { s: number; p: GridPoint }[]);
  const edgeBreaks = new Map<string, { t: number; p: GridPoint }[]>();
  for (const [key, [a, b]] of [...voronoiEdges].sort(([k1], [k2]) => (k1 < k2 ? -1 : 1))) {
    const breaks: { t: number; p: GridPoint }[] = [];
    outline.forEach((p, i) => {
      const q = outline[(i + 1) % outline.length]!;
      const o1 = orient(p, q, a);
      const o2 = orient(p, q, b);
      const o3 = orient(a, b, p);
      const o4 = orient(a, b, q);
      if (o1 * o2 > 0 || o3 * o4 > 0) return;
      if (o1 === 0 || o2 === 0 || o3 === 0 || o4 === 0) {
        throw new Error(`degenerate crossing between Voronoi edge ${key} and outline segment ${i}; move a seed slightly`);
      }
      const rx = b[0] - a[0];
      const ry = b[1] - a[1];
      const sx = q[0] - p[0];
      const sy = q[1] - p[1];
      const denominator = rx * sy - ry * sx;
      const t = ((p[0] - a[0]) * sy - (p[1] - a[1]) * sx) / denominator;
      const s = ((p[0] - a[0]) * ry - (p[1] - a[1]) * rx) / denominator;
      const crossing: GridPoint = [Math.round(a[0] + t * rx), Math.round(a[1] + t * ry)];
      breaks.push({ t, p: crossing });
      outlineInsertions[i]!.push({ s, p: crossing });
    });
    edgeBreaks.set(key, breaks);
  }
  const refined: GridPoint[] = [];
  outline.forEach((p, i) => {
    refined.push(p);
    for (const { p: crossing } of outlineInsertions[i]!.sort((u, v) => u.s - v.s)) refined.push(crossing);
  });
  const ring = refined.filter((p, i) => keyOf(p) !== keyOf(refined[(i + 1) % refined.length]!));

  // 3. The planar graph: outline segments plus the pieces of Voronoi edges inside the outline.
  const edges: [GridPoint, GridPoint][] = ring.map((p, i) => [p, ring[(i + 1) % ring.length]!]);
  for (const [key, [a, b]] of voronoiEdges) {
    const stops = [{ t: 0, p: a }, ...edgeBreaks.get(key)!.sort((u, v) => u.t - v.t), { t: 1, p: b }];
    for (let i = 0; i + 1 < stops.length; i++) {
      const u = stops[i]!.p;
      const v = stops[i + 1]!.p;
      if (keyOf(u) === keyOf(v)) continue;
      if (pointInRing((u[0] + v[0]) / 2, (u[1] + v[1]) / 2, ring)) edges.push([u, v]);
    }
  }
  for (let i = 0; i < edges.length; i++) {
    for (let j = i + 1; j < edges.length; j++) {
      const [a, b] = edges[i]!;
      const [c, d] = edges[j]!;
      if (segmentsConflict(a, b, c, d)) throw new Error(`rounding made edges ${keyOf(a)}-${keyOf(b)} and ${keyOf(c)}-${keyOf(d)} cross`);
    }
  }

  // 4. Trace faces: arriving at v from u, leave by the first edge clockwise from v->u.
  const vertices = new Map<string, GridPoint>();
  const neighbours = new Map<string, string[]>();
  for (const [a, b] of edges) {
    for (const [from, to] of [[a, b], [b, a]] as const) {
      vertices.set(keyOf(from), from);
      const list = neighbours.get(keyOf(from)) ?? [];
      list.push(keyOf(to));
      neighbours.set(keyOf(from), list);
    }
  }
  for (const [key, list] of neighbours) {
    if (list.length < 2) throw new Error(`dangling edge at ${key}`);
    const [vx, vy] = vertices.get(key)!;
    list.sort((k1, k2) => {
      const [x1, y1] = vertices.get(k1)!;
      const [x2, y2] = vertices.get(k2)!;
      return Math.atan2(y1 - vy, x1 - vx) - Math.atan2(y2 - vy, x2 - vx);
    });
  }
  const used = new Set<string>();
  const faces: GridPoint[][] = [];
  for (const [start, list] of [...neighbours].sort(([k1], [k2]) => (k1 < k2 ? -1 : 1))) {
    for (const first of list) {
      if (used.has(`${start}>${first}`)) continue;
      const face: GridPoint[] = [];
      let [from, to] = [start, first];
      while (!used.has(`${from}>${to}`)) {
        used.add(`${from}>${to}`);
        face.push(vertices.get(from)!);
        const around = neighbours.get(to)!;
        const back = around.indexOf(from);
        [from, to] = [to, around[(back - 1 + around.length) % around.length]!];
      }
      if (doubledSignedArea(face) > 0) faces.push(face);
    }
  }

  // 5. Each face lies in exactly one Voronoi cell: give it to the seed nearest to its interior.
  const cells = new Map<string, GridPoint[][]>(seeds.map((seed) => [seed.id, []]));
  let facesArea = 0;
  for (const face of faces) {
    if (new Set(face.map(keyOf)).size !== face.length) throw new Error('a face touches itself; adjust the seeds');
    const [ix, iy] = interiorPoint(face);
    let nearest = 0;
    seedPoints.forEach((p, i) => {
      const best = seedPoints[nearest]!;
      if ((p[0] - ix) ** 2 + (p[1] - iy) ** 2 < (best[0] - ix) ** 2 + (best[1] - iy) ** 2) nearest = i;
    });
    cells.get(seeds[nearest]!.id)!.push(canonicalRing(face));
    facesArea += doubledSignedArea(face);
  }
  if (facesArea !== doubledSignedArea(ring)) throw new Error(`faces do not tile the outline: ${facesArea} vs ${doubledSignedArea(ring)}`);
  seeds.forEach((seed, i) => {
    const own = cells.get(seed.id)!;
    const [sx, sy] = seedPoints[i]!;
    if (!own.some((face) => pointInRing(sx, sy, face))) throw new Error(`cell of ${seed.id} does not contain its seed`);
    own.sort((f1, f2) => doubledSignedArea(f2) - doubledSignedArea(f1));
  });

  return {
    outline: closeRing(canonicalRing(ring)),
    cells: new Map([...cells].map(([id, faceList]) => [id, faceList.map(closeRing)])),
  };
}
