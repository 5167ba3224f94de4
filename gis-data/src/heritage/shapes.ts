/**
 * Reusable pieces of the heritage models: materials, limbs, sandbag walls, trees, trench berms.
 * Sizes are in metres, in the site's east-north-up frame.
 */
import type { Mat4, Vec3 } from './geodesy.ts';
import { compose, type MaterialSpec, type MeshBuilder, mixLinear, rotationZ, translation } from './mesh-builder.ts';

export const materials = {
  terrain: { name: 'terrain', color: 0xffffff, roughness: 0.95, metallic: 0, vertexColors: true },
  earth: { name: 'earth', color: 0x7a5b3a, roughness: 0.95, metallic: 0 },
  sandbag: { name: 'sandbag', color: 0xa08a62, roughness: 0.9, metallic: 0 },
  concrete: { name: 'concrete', color: 0x8e8b84, roughness: 0.85, metallic: 0 },
  darkConcrete: { name: 'dark-concrete', color: 0x5e5c57, roughness: 0.9, metallic: 0 },
  corrugatedSteel: { name: 'corrugated-steel', color: 0x6d6a5e, roughness: 0.6, metallic: 0.55, doubleSided: true },
  rust: { name: 'rust', color: 0x6a4630, roughness: 0.7, metallic: 0.4 },
  tankSteel: { name: 'tank-steel', color: 0x4e5238, roughness: 0.65, metallic: 0.45 },
  darkSteel: { name: 'dark-steel', color: 0x2f302b, roughness: 0.6, metallic: 0.5 },
  bronze: { name: 'bronze', color: 0x7a6035, roughness: 0.45, metallic: 0.85 },
  stone: { name: 'stone', color: 0xb9b2a4, roughness: 0.8, metallic: 0 },
  redFlag: { name: 'flag', color: 0xb22222, roughness: 0.7, metallic: 0, doubleSided: true },
  wood: { name: 'wood', color: 0x7b5a3c, roughness: 0.85, metallic: 0 },
  darkWood: { name: 'dark-wood', color: 0x4f3826, roughness: 0.85, metallic: 0 },
  thatch: { name: 'thatch', color: 0x9c8653, roughness: 1, metallic: 0, doubleSided: true },
  bamboo: { name: 'bamboo', color: 0xb7a36a, roughness: 0.8, metallic: 0 },
  foliage: { name: 'foliage', color: 0x3f6b2f, roughness: 0.95, metallic: 0 },
  trunk: { name: 'trunk', color: 0x5a4632, roughness: 0.95, metallic: 0 },
  void: { name: 'opening', color: 0x0d0c0b, roughness: 1, metallic: 0 },
} satisfies Record<string, MaterialSpec>;

/** Terrain colours (sRGB). */
export const ground = {
  grass: 0x6d8a3f,
  dryGrass: 0x8c8a4e,
  earth: 0x8a6a46,
  darkEarth: 0x5c4530,
  path: 0xa89574,
  paving: 0xb8b2a6,
} as const;

export { mixLinear };

/** A rigid frame whose z axis runs from p0 towards p1 (for limbs, poles, barrels). */
export function frameAlong(p0: Vec3, p1: Vec3): { matrix: Mat4; length: number } {
  const d: Vec3 = [p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]];
  const length = Math.hypot(...d) || 1e-6;
  const w: Vec3 = [d[0] / length, d[1] / length, d[2] / length];
  const helper: Vec3 = Math.abs(w[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
  let u: Vec3 = [helper[1] * w[2] - helper[2] * w[1], helper[2] * w[0] - helper[0] * w[2], helper[0] * w[1] - helper[1] * w[0]];
  const ul = Math.hypot(...u);
  u = [u[0] / ul, u[1] / ul, u[2] / ul];
  const v: Vec3 = [w[1] * u[2] - w[2] * u[1], w[2] * u[0] - w[0] * u[2], w[0] * u[1] - w[1] * u[0]];
  return { matrix: [...u, 0, ...v, 0, ...w, 0, ...p0, 1], length };
}

/** A tapered round limb from p0 (radius r0) to p1 (radius r1). */
export function limb(b: MeshBuilder, material: MaterialSpec, p0: Vec3, p1: Vec3, r0: number, r1: number, segments = 8): void {
  const { matrix, length } = frameAlong(p0, p1);
  b.with(matrix, () => b.cylinder(material, r0, r1, 0, length, segments, { caps: true }));
}

/** A polyline's points every `step` metres (with its direction), for things laid along it. */
export function alongPath(path: readonly [number, number][], step: number, start = step / 2): { x: number; y: number; angle: number }[] {
  const out: { x: number; y: number; angle: number }[] = [];
  let carry = start;
  for (let i = 0; i + 1 < path.length; i++) {
    const [a, b] = [path[i]!, path[i + 1]!];
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const angle = Math.atan2(b[1] - a[1], b[0] - a[0]);
    let s = carry;
    for (; s <= length; s += step) out.push({ x: a[0] + ((b[0] - a[0]) * s) / length, y: a[1] + ((b[1] - a[1]) * s) / length, angle });
    carry = s - length;
  }
  return out;
}

/** Distance from (x, y) to a polyline. */
export function distanceToPath(path: readonly [number, number][], x: number, y: number): number {
  let best = Infinity;
  for (let i = 0; i + 1 < path.length; i++) {
    const [a, b] = [path[i]!, path[i + 1]!];
    const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
    const t = Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy || 1)));
    best = Math.min(best, Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy)));
  }
  return best;
}

/**
 * A wall of sandbags along a path: `courses` rows of 0.6 × 0.35 × 0.15 m bags, alternate rows
 * offset by half a bag, a little seeded jitter. `groundAt` gives the ground height.
 */
export function sandbagWall(b: MeshBuilder, path: readonly [number, number][], courses: number, groundAt: (x: number, y: number) => number, random: () => number): void {
  const bag = { length: 0.6, depth: 0.36, height: 0.16 };
  for (let course = 0; course < courses; course++) {
    const step = bag.length + 0.02;
    for (const { x, y, angle } of alongPath(path, step, course % 2 === 0 ? step / 2 : step)) {
      const jitter = (random() - 0.5) * 0.06;
      const z0 = groundAt(x, y) - 0.05 + course * bag.height;
      const tone = mixLinear(0xa08a62, 0x857250, random());
      b.with(compose(translation(x, y, z0), rotationZ(angle + jitter)), () => b.box(materials.terrain, [-bag.length / 2, -bag.depth / 2, 0], [bag.length / 2, bag.depth / 2, bag.height], tone));
    }
  }
}

/** A broadleaf tree: trunk and two or three stacked blobs of foliage (low poly). */
export function broadleafTree(b: MeshBuilder, x: number, y: number, z: number, height: number, random: () => number, detailed: boolean): void {
  const trunkHeight = height * 0.45;
  const segments = detailed ? 6 : 4;
  b.with(translation(x, y, z - 0.3), () => b.cylinder(materials.trunk, height * 0.035, height * 0.025, 0, trunkHeight + 0.3, segments, { caps: false }));
  const crown = height * (0.28 + random() * 0.08);
  const tone = mixLinear(0x3f6b2f, 0x5b7d36, random());
  if (detailed) {
    b.with(translation(x, y, z), () => {
      b.sphere(materials.terrain, [0, 0, trunkHeight + crown * 0.8], crown, 7, 5, tone);
      b.sphere(materials.terrain, [crown * 0.45, crown * 0.2, trunkHeight + crown * 1.35], crown * 0.7, 6, 4, tone);
    });
  } else {
    b.with(translation(x, y, z), () => b.cylinder(materials.terrain, crown, 0, trunkHeight, height, 5, { caps: true, smooth: false, color: tone }));
  }
}
