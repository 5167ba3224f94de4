/**
 * A tiny procedural modelling kit. Geometry is written in the site's local east-north-up frame
 * (metres; x east, y north, z up) and grouped by material; `gltf-write.ts` turns a builder into a
 * GLB (converting to glTF's y-up). Winding: counter-clockwise seen from outside.
 *
 * Everything is deterministic: no clocks, and randomness only from {@link seededRandom}.
 */
import { identity, type Mat4, multiply, transformPoint, type Vec3 } from './geodesy.ts';

/** A flat PBR material; `vertexColors` multiplies the base colour by per-vertex colours (COLOR_0). */
export interface MaterialSpec {
  name: string;
  /** sRGB colour, 0xRRGGBB. */
  color: number;
  roughness: number;
  metallic: number;
  doubleSided?: boolean;
  vertexColors?: boolean;
}

export interface MeshGroup {
  material: MaterialSpec;
  positions: number[];
  normals: number[];
  /** Linear RGB per vertex when the material uses vertex colours. */
  colors: number[];
  indices: number[];
}

/** sRGB 0xRRGGBB → linear [r, g, b] (glTF colour factors and COLOR_0 are linear). */
export function linearRgb(hex: number): Vec3 {
  const channel = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return [channel((hex >> 16) & 0xff), channel((hex >> 8) & 0xff), channel(hex & 0xff)];
}

/** Mixes two sRGB colours (t in [0, 1]) and returns linear RGB. */
export function mixLinear(a: number, b: number, t: number): Vec3 {
  const [x, y] = [linearRgb(a), linearRgb(b)];
  const k = Math.min(1, Math.max(0, t));
  return [x[0] + (y[0] - x[0]) * k, x[1] + (y[1] - x[1]) * k, x[2] + (y[2] - x[2]) * k];
}

/** Mulberry32: a small seeded PRNG in [0, 1). Same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const translation = (x: number, y: number, z: number): Mat4 => [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, x, y, z, 1];
export const rotationZ = (angle: number): Mat4 => {
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  return [c, s, 0, 0, -s, c, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
};
export const rotationX = (angle: number): Mat4 => {
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  return [1, 0, 0, 0, 0, c, s, 0, 0, -s, c, 0, 0, 0, 0, 1];
};
export const rotationY = (angle: number): Mat4 => {
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  return [c, 0, -s, 0, 0, 1, 0, 0, s, 0, c, 0, 0, 0, 0, 1];
};
export const scaling = (x: number, y: number, z: number): Mat4 => [x, 0, 0, 0, 0, y, 0, 0, 0, 0, z, 0, 0, 0, 0, 1];
/** Products of matrices, applied right to left to points (the last one first). */
export const compose = (...matrices: Mat4[]): Mat4 => matrices.reduce((acc, m) => multiply(acc, m), identity());

function normalize([x, y, z]: Vec3): Vec3 {
  const length = Math.hypot(x, y, z) || 1;
  return [x / length, y / length, z / length];
}
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

/** Inverse transpose of the upper 3×3 of m (for normals), column-major 3×3. */
function normalMatrix(m: Mat4): number[] {
  const [a, b, c, d, e, f, g, h, i] = [m[0]!, m[1]!, m[2]!, m[4]!, m[5]!, m[6]!, m[8]!, m[9]!, m[10]!];
  // columns of the 3×3: (a b c) (d e f) (g h i); cofactor matrix = det * inverse transpose
  return [e * i - f * h, f * g - d * i, d * h - e * g, c * h - b * i, a * i - c * g, b * g - a * h, b * f - c * e, c * d - a * f, a * e - b * d];
}

export class MeshBuilder {
  private readonly groups = new Map<string, MeshGroup>();
  private matrix: Mat4 = identity();
  private normalM = normalMatrix(identity());

  /** Runs `draw` with `transform` applied (after the current one) to everything it adds. */
  with(transform: Mat4, draw: () => void): void {
    const saved = this.matrix;
    const savedNormal = this.normalM;
    this.matrix = multiply(saved, transform);
    this.normalM = normalMatrix(this.matrix);
    try {
      draw();
    } finally {
      this.matrix = saved;
      this.normalM = savedNormal;
    }
  }

  /** Material groups in insertion order (stable output). */
  meshGroups(): MeshGroup[] {
    return [...this.groups.values()].filter((group) => group.indices.length > 0);
  }

  vertexCount(): number {
    return this.meshGroups().reduce((sum, group) => sum + group.positions.length / 3, 0);
  }

  private group(material: MaterialSpec): MeshGroup {
    let group = this.groups.get(material.name);
    if (!group) {
      group = { material, positions: [], normals: [], colors: [], indices: [] };
      this.groups.set(material.name, group);
    }
    return group;
  }

  /**
   * Adds an indexed triangle set in local coordinates (transformed by the current matrix).
   * `colors` (linear RGB per vertex) only for vertex-coloured materials; others get white.
   */
  addMesh(material: MaterialSpec, positions: readonly number[], normals: readonly number[], indices: readonly number[], colors?: readonly number[]): void {
    const group = this.group(material);
    const base = group.positions.length / 3;
    const m = this.matrix;
    const nm = this.normalM;
    for (let i = 0; i < positions.length; i += 3) {
      group.positions.push(...transformPoint(m, [positions[i]!, positions[i + 1]!, positions[i + 2]!]));
      const [x, y, z] = [normals[i]!, normals[i + 1]!, normals[i + 2]!];
      group.normals.push(...normalize([nm[0]! * x + nm[3]! * y + nm[6]! * z, nm[1]! * x + nm[4]! * y + nm[7]! * z, nm[2]! * x + nm[5]! * y + nm[8]! * z]));
      if (material.vertexColors) group.colors.push(colors?.[i] ?? 1, colors?.[i + 1] ?? 1, colors?.[i + 2] ?? 1);
    }
    for (const index of indices) group.indices.push(base + index);
  }

  /** A flat convex polygon (counter-clockwise seen from its front), fan-triangulated. */
  face(material: MaterialSpec, corners: readonly Vec3[], color?: Vec3): void {
    if (corners.length < 3) return;
    const n = normalize(cross(sub(corners[1]!, corners[0]!), sub(corners[2]!, corners[0]!)));
    const positions = corners.flat();
    const normals = corners.flatMap(() => n);
    const indices: number[] = [];
    for (let i = 1; i + 1 < corners.length; i++) indices.push(0, i, i + 1);
    this.addMesh(material, positions, normals, indices, color ? corners.flatMap(() => color) : undefined);
  }

  /** An axis-aligned box (in the current frame) from min to max corner. */
  box(material: MaterialSpec, min: Vec3, max: Vec3, color?: Vec3): void {
    const [x0, y0, z0] = min;
    const [x1, y1, z1] = max;
    const c = (x: number, y: number, z: number): Vec3 => [x, y, z];
    this.face(material, [c(x0, y0, z1), c(x1, y0, z1), c(x1, y1, z1), c(x0, y1, z1)], color); // top
    this.face(material, [c(x0, y1, z0), c(x1, y1, z0), c(x1, y0, z0), c(x0, y0, z0)], color); // bottom
    this.face(material, [c(x0, y0, z0), c(x1, y0, z0), c(x1, y0, z1), c(x0, y0, z1)], color); // south
    this.face(material, [c(x1, y1, z0), c(x0, y1, z0), c(x0, y1, z1), c(x1, y1, z1)], color); // north
    this.face(material, [c(x1, y0, z0), c(x1, y1, z0), c(x1, y1, z1), c(x1, y0, z1)], color); // east
    this.face(material, [c(x0, y1, z0), c(x0, y0, z0), c(x0, y0, z1), c(x0, y1, z1)], color); // west
  }

  /** A box centred on (cx, cy) in plan, from z0 up to z1, turned by `angle` about z. */
  block(material: MaterialSpec, cx: number, cy: number, z0: number, sx: number, sy: number, z1: number, angle = 0, color?: Vec3): void {
    this.with(compose(translation(cx, cy, 0), rotationZ(angle)), () => this.box(material, [-sx / 2, -sy / 2, z0], [sx / 2, sy / 2, z1], color));
  }

  /**
   * A frustum / cylinder / cone along z: radius r0 at z0 to r1 at z1, `segments` sides, smooth or
   * faceted sides, optional caps.
   */
  cylinder(material: MaterialSpec, r0: number, r1: number, z0: number, z1: number, segments: number, options: { smooth?: boolean; caps?: boolean; color?: Vec3 } = {}): void {
    const { smooth = true, caps = true, color } = options;
    const positions: number[] = [];
    const normals: number[] = [];
    const indices: number[] = [];
    const slope = (r0 - r1) / (z1 - z0 || 1);
    const ring = (k: number) => (2 * Math.PI * k) / segments;
    if (smooth) {
      for (let k = 0; k <= segments; k++) {
        const a = ring(k);
        const n = normalize([Math.cos(a), Math.sin(a), slope]);
        positions.push(r0 * Math.cos(a), r0 * Math.sin(a), z0, r1 * Math.cos(a), r1 * Math.sin(a), z1);
        normals.push(...n, ...n);
      }
      for (let k = 0; k < segments; k++) {
        const i = k * 2;
        indices.push(i, i + 2, i + 3, i, i + 3, i + 1);
      }
      this.addMesh(material, positions, normals, indices, color ? positions.map((_, i) => color[i % 3]!) : undefined);
    } else {
      for (let k = 0; k < segments; k++) {
        const [a, b] = [ring(k), ring(k + 1)];
        this.face(material, [
          [r0 * Math.cos(a), r0 * Math.sin(a), z0],
          [r0 * Math.cos(b), r0 * Math.sin(b), z0],
          [r1 * Math.cos(b), r1 * Math.sin(b), z1],
          [r1 * Math.cos(a), r1 * Math.sin(a), z1],
        ].filter((p, i, all) => i === 0 || Math.hypot(p[0]! - all[i - 1]![0]!, p[1]! - all[i - 1]![1]!, p[2]! - all[i - 1]![2]!) > 1e-9) as Vec3[], color);
      }
    }
    if (caps) {
      const top: Vec3[] = [];
      const bottom: Vec3[] = [];
      for (let k = 0; k < segments; k++) {
        const a = ring(k);
        top.push([r1 * Math.cos(a), r1 * Math.sin(a), z1]);
        bottom.push([r0 * Math.cos(-a), r0 * Math.sin(-a), z0]);
      }
      if (r1 > 1e-9) this.face(material, top, color);
      if (r0 > 1e-9) this.face(material, bottom, color);
    }
  }

  /** A low-poly sphere (or ellipsoid with `scale`) centred at c. */
  sphere(material: MaterialSpec, c: Vec3, radius: number, segments = 10, rings = 6, color?: Vec3): void {
    const positions: number[] = [];
    const normals: number[] = [];
    const indices: number[] = [];
    for (let j = 0; j <= rings; j++) {
      const v = (Math.PI * j) / rings;
      for (let k = 0; k <= segments; k++) {
        const u = (2 * Math.PI * k) / segments;
        const n: Vec3 = [Math.sin(v) * Math.cos(u), Math.sin(v) * Math.sin(u), Math.cos(v)];
        positions.push(c[0] + radius * n[0], c[1] + radius * n[1], c[2] + radius * n[2]);
        normals.push(...n);
      }
    }
    const row = segments + 1;
    for (let j = 0; j < rings; j++) {
      for (let k = 0; k < segments; k++) {
        const a = j * row + k;
        if (j > 0) indices.push(a, a + row, a + 1);
        if (j < rings - 1) indices.push(a + 1, a + row, a + row + 1);
      }
    }
    this.addMesh(material, positions, normals, indices, color ? positions.map((_, i) => color[i % 3]!) : undefined);
  }

  /** A prism: a simple polygon (counter-clockwise in plan) extruded from z0 to z1. */
  prism(material: MaterialSpec, outline: readonly [number, number][], z0: number, z1: number, color?: Vec3): void {
    const n = outline.length;
    for (let i = 0; i < n; i++) {
      const [a, b] = [outline[i]!, outline[(i + 1) % n]!];
      this.face(material, [[a[0], a[1], z0], [b[0], b[1], z0], [b[0], b[1], z1], [a[0], a[1], z1]], color);
    }
    const triangles = earClip(outline);
    const cap = (z: number, up: boolean) => {
      const positions = outline.flatMap(([x, y]) => [x, y, z]);
      const normals = outline.flatMap(() => [0, 0, up ? 1 : -1]);
      const indices = up ? triangles : triangles.map((_, i) => triangles[i - (i % 3) + (2 - (i % 3))]!);
      this.addMesh(material, positions, normals, indices, color ? outline.flatMap(() => color) : undefined);
    };
    cap(z1, true);
    cap(z0, false);
  }

  /**
   * A height field over [x0, x1] × [y0, y1] with nx × ny cells: smooth normals from the field,
   * optional per-vertex colour. Adjacent fields with the same function and spacing share edges exactly.
   */
  heightField(material: MaterialSpec, x0: number, y0: number, x1: number, y1: number, nx: number, ny: number, height: (x: number, y: number) => number, color?: (x: number, y: number, z: number) => Vec3): void {
    const positions: number[] = [];
    const normals: number[] = [];
    const colors: number[] = [];
    const indices: number[] = [];
    const dx = (x1 - x0) / nx;
    const dy = (y1 - y0) / ny;
    const h = Math.min(dx, dy) / 2;
    for (let j = 0; j <= ny; j++) {
      for (let i = 0; i <= nx; i++) {
        const x = x0 + i * dx;
        const y = y0 + j * dy;
        const z = height(x, y);
        positions.push(x, y, z);
        normals.push(...normalize([height(x - h, y) - height(x + h, y), height(x, y - h) - height(x, y + h), 2 * h]));
        if (color) colors.push(...color(x, y, z));
      }
    }
    const row = nx + 1;
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const a = j * row + i;
        // alternate the diagonal for a less directional look
        if ((i + j) % 2 === 0) indices.push(a, a + 1, a + row + 1, a, a + row + 1, a + row);
        else indices.push(a, a + 1, a + row, a + 1, a + row + 1, a + row);
      }
    }
    this.addMesh(material, positions, normals, indices, color ? colors : undefined);
  }

  /**
   * A surface of revolution-like sweep: `profile(u, v)` gives a point for u in [0, 1] (columns) and
   * v in [0, 1] (rows); normals from finite differences, oriented by `outward` (flip when false).
   */
  sweep(material: MaterialSpec, nu: number, nv: number, profile: (u: number, v: number) => Vec3, outward = true, color?: (u: number, v: number) => Vec3): void {
    const positions: number[] = [];
    const normals: number[] = [];
    const colors: number[] = [];
    const indices: number[] = [];
    const e = 1e-4;
    for (let j = 0; j <= nv; j++) {
      for (let i = 0; i <= nu; i++) {
        const [u, v] = [i / nu, j / nv];
        const p = profile(u, v);
        const du = sub(profile(Math.min(1, u + e), v), profile(Math.max(0, u - e), v));
        const dv = sub(profile(u, Math.min(1, v + e)), profile(u, Math.max(0, v - e)));
        const n = normalize(cross(du, dv));
        positions.push(...p);
        normals.push(...(outward ? n : ([-n[0], -n[1], -n[2]] as Vec3)));
        if (color) colors.push(...color(u, v));
      }
    }
    const row = nu + 1;
    for (let j = 0; j < nv; j++) {
      for (let i = 0; i < nu; i++) {
        const a = j * row + i;
        if (outward) indices.push(a, a + 1, a + row + 1, a, a + row + 1, a + row);
        else indices.push(a, a + row + 1, a + 1, a, a + row, a + row + 1);
      }
    }
    this.addMesh(material, positions, normals, indices, color ? colors : undefined);
  }
}

/** Ear clipping of a simple counter-clockwise polygon; returns triangle indices. */
export function earClip(outline: readonly [number, number][]): number[] {
  const remaining = outline.map((_, i) => i);
  const triangles: number[] = [];
  const area2 = (a: [number, number], b: [number, number], c: [number, number]) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  let guard = 0;
  while (remaining.length > 3 && guard++ < 10_000) {
    let clipped = false;
    for (let k = 0; k < remaining.length; k++) {
      const [ia, ib, ic] = [remaining[(k + remaining.length - 1) % remaining.length]!, remaining[k]!, remaining[(k + 1) % remaining.length]!];
      const [a, b, c] = [outline[ia]!, outline[ib]!, outline[ic]!];
      if (area2(a, b, c) <= 1e-12) continue;
      const inside = remaining.some((ip) => {
        if (ip === ia || ip === ib || ip === ic) return false;
        const p = outline[ip]!;
        return area2(a, b, p) >= 0 && area2(b, c, p) >= 0 && area2(c, a, p) >= 0;
      });
      if (inside) continue;
      triangles.push(ia, ib, ic);
      remaining.splice(k, 1);
      clipped = true;
      break;
    }
    if (!clipped) break;
  }
  if (remaining.length === 3) triangles.push(remaining[0]!, remaining[1]!, remaining[2]!);
  return triangles;
}
