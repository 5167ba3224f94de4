/**
 * Tượng đài Chiến thắng Điện Biên Phủ on hill D1: an illustrative, stylised reconstruction from
 * public descriptions, not a survey (and not a likeness of the sculpture).
 *
 * Local frame: origin on the valley floor below the hilltop. The hill (≈ 25 m high here) has a flat
 * paved top with the monument in its middle: a stone plinth with steps, a bronze base, three
 * soldiers and a flag on a pole, ≈ 12.6 m from the base to the top. A long stairway climbs the
 * south slope.
 */
import type { Vec3 } from '../geodesy.ts';
import { compose, type MeshBuilder, mixLinear, rotationZ, seededRandom, translation } from '../mesh-builder.ts';
import type { SiteModel } from '../site-model.ts';
import { broadleafTree, ground, limb, materials } from '../shapes.ts';

export const MONUMENT_FEATURES = {
  hill: { height: 25, topRadius: 24, footRadius: 95 },
  plinth: { half: 7, height: 1.2 },
  /** The monument: from the top of the plinth (z = hill + plinth) to the flag's top, 12.6 m higher. */
  statue: { base: 25 + 1.2, top: 25 + 1.2 + 12.6 },
  stairs: { halfWidth: 3, fromY: -100, toY: -24 },
  extent: { minX: -112, maxX: 112, minY: -112, maxY: 112 },
} as const;

const { hill, plinth, stairs, extent } = MONUMENT_FEATURES;

const smooth = (t: number) => {
  const k = Math.min(1, Math.max(0, t));
  return k * k * (3 - 2 * k);
};

/** Ground height: the hill with its flat top, the stair corridor graded to a straight slope. */
export function monumentHeight(x: number, y: number): number {
  const r = Math.hypot(x, y * 1.08);
  let h = hill.height * smooth((hill.footRadius - r) / (hill.footRadius - hill.topRadius));
  if (r > hill.topRadius) h += 0.6 * Math.sin(x / 12 + 0.4) * Math.cos(y / 15) * Math.min(1, h / 5);
  // the stair corridor: a straight grade from the foot to the top
  if (y < stairs.toY + 2 && y > stairs.fromY - 4 && Math.abs(x) < stairs.halfWidth + 4) {
    const t = (y - stairs.fromY) / (stairs.toY - stairs.fromY);
    const grade = hill.height * Math.min(1, Math.max(0, t));
    const blend = smooth((Math.abs(x) - stairs.halfWidth - 0.5) / 3.5);
    h = grade + (h - grade) * blend;
  }
  return h;
}

function monumentColour(x: number, y: number, z: number): Vec3 {
  const r = Math.hypot(x, y * 1.08);
  if (r < hill.topRadius - 1.5) return mixLinear(ground.paving, ground.path, 0.15 + 0.1 * Math.sin(x * 0.8) * Math.sin(y * 0.8));
  if (Math.abs(x) < stairs.halfWidth + 0.6 && y < stairs.toY + 1 && y > stairs.fromY - 1) return mixLinear(ground.paving, ground.path, 0.3);
  const variation = 0.5 + 0.5 * Math.sin(x * 0.15 + Math.cos(y * 0.2) * 2);
  return mixLinear(ground.grass, ground.dryGrass, 0.3 * variation + Math.max(0, (z - 20) / 30));
}

interface Pose {
  /** Hand positions relative to the figure's feet in its frame (x to its right, −y ahead, z up), as fractions of its height. */
  leftHand: Vec3;
  rightHand: Vec3;
  /** Half the distance between the feet, front to back, as a fraction of height. */
  stride: number;
}

const ellipse = (sx: number, sy: number, sz = 1): number[] => [sx, 0, 0, 0, 0, sy, 0, 0, 0, 0, sz, 0, 0, 0, 0, 1];

/**
 * A stylised standing soldier `height` metres tall at (x, y, z), turned `heading` radians
 * (counter-clockwise seen from above; 0 faces south): boots, trousers, a belted tunic, shoulders,
 * arms reaching to the pose's hands, a head under a domed helmet.
 */
function figure(b: MeshBuilder, x: number, y: number, z: number, height: number, heading: number, pose: Pose, detailed: boolean): void {
  const s = height;
  const seg = detailed ? 12 : 6;
  const m = materials.bronze;
  b.with(compose(translation(x, y, z), rotationZ(heading)), () => {
    const hip = 0.5 * s;
    const shoulder = 0.8 * s;
    for (const side of [-1, 1]) {
      const foot: Vec3 = [side * 0.085 * s, side * pose.stride * s, 0.035 * s];
      const knee: Vec3 = [side * 0.08 * s, side * pose.stride * 0.45 * s - 0.025 * s, 0.28 * s];
      const hipJoint: Vec3 = [side * 0.07 * s, 0, hip];
      limb(b, m, foot, knee, 0.05 * s, 0.06 * s, seg);
      limb(b, m, knee, hipJoint, 0.06 * s, 0.085 * s, seg);
      b.sphere(m, knee, 0.06 * s, seg, 4);
      // boot
      b.with(compose(translation(foot[0], foot[1] - 0.035 * s, 0), ellipse(0.055 * s, 0.11 * s, 0.07 * s)), () => b.sphere(m, [0, 0, 0.3], 1, seg, 5));
    }
    // hips, then the tunic: an elliptical frustum widening to the chest, a belt
    b.with(compose(translation(0, 0, hip), ellipse(1, 0.7)), () => b.sphere(m, [0, 0, 0], 0.14 * s, seg, 5));
    b.with(compose(translation(0, 0, hip - 0.02 * s), ellipse(1, 0.62)), () => b.cylinder(m, 0.14 * s, 0.18 * s, 0, shoulder - hip + 0.03 * s, seg + 2));
    if (detailed) b.with(compose(translation(0, 0, hip + 0.07 * s), ellipse(1, 0.64)), () => b.cylinder(materials.bronze, 0.152 * s, 0.155 * s, 0, 0.035 * s, seg + 2));
    // shoulders and arms
    for (const [side, hand] of [[-1, pose.leftHand], [1, pose.rightHand]] as const) {
      const shoulderJoint: Vec3 = [side * 0.17 * s, 0, shoulder - 0.01 * s];
      const target: Vec3 = [hand[0] * s, hand[1] * s, hand[2] * s];
      // the elbow bends outwards and backwards from the straight line
      const elbow: Vec3 = [(shoulderJoint[0] + target[0]) / 2 + side * 0.06 * s, (shoulderJoint[1] + target[1]) / 2 + 0.04 * s, (shoulderJoint[2] + target[2]) / 2 - 0.03 * s];
      b.sphere(m, shoulderJoint, 0.07 * s, seg, 5);
      limb(b, m, shoulderJoint, elbow, 0.058 * s, 0.048 * s, seg);
      b.sphere(m, elbow, 0.048 * s, seg, 4);
      limb(b, m, elbow, target, 0.046 * s, 0.038 * s, seg);
      b.sphere(m, target, 0.045 * s, seg, 4);
    }
    // neck, head, helmet (a low dome with a brim)
    limb(b, m, [0, 0, shoulder], [0, -0.01 * s, 0.87 * s], 0.05 * s, 0.045 * s, seg);
    b.with(compose(translation(0, -0.012 * s, 0.925 * s), ellipse(0.9, 1, 1.1)), () => b.sphere(m, [0, 0, 0], 0.066 * s, seg, detailed ? 8 : 4));
    b.with(compose(translation(0, -0.01 * s, 0.955 * s), ellipse(1, 1, 0.6)), () => b.sphere(m, [0, 0, 0], 0.088 * s, seg, detailed ? 8 : 4));
  });
}

/** A point given in a figure's frame (fractions of its height), in the site frame. */
function onFigure(x: number, y: number, z: number, height: number, heading: number, local: Vec3): Vec3 {
  const [c, sn] = [Math.cos(heading), Math.sin(heading)];
  const [lx, ly, lz] = [local[0] * height, local[1] * height, local[2] * height];
  return [x + lx * c - ly * sn, y + lx * sn + ly * c, z + lz];
}

/** A child sitting on a soldier's arm, holding a bunch of flowers up. */
function child(b: MeshBuilder, at: Vec3, detailed: boolean): void {
  const m = materials.bronze;
  const seg = detailed ? 10 : 5;
  const [x, y, z] = at;
  b.with(compose(translation(x, y, z), ellipse(1, 0.75)), () => b.cylinder(m, 0.3, 0.26, 0, 0.8, seg));
  b.sphere(m, [x, y - 0.05, z + 1.05], 0.24, seg, detailed ? 7 : 4);
  for (const side of [-1, 1]) limb(b, m, [x + side * 0.14, y, z + 0.05], [x + side * 0.16, y - 0.55, z - 0.1], 0.11, 0.09, seg);
  limb(b, m, [x + 0.25, y, z + 0.7], [x + 0.45, y - 0.25, z + 1.5], 0.08, 0.07, seg);
  limb(b, m, [x - 0.25, y, z + 0.7], [x - 0.35, y - 0.3, z + 0.4], 0.08, 0.07, seg);
  // the flowers
  for (const [dx, dy, dz] of [[0, 0, 0], [0.15, 0.05, 0.1], [-0.12, 0.08, 0.12], [0.05, -0.12, 0.14]] as const) b.sphere(m, [x + 0.48 + dx, y - 0.28 + dy, z + 1.68 + dz], 0.13, seg, 4);
}

function drawMonument(b: MeshBuilder, detailed: boolean): void {
  const top = hill.height;
  // stone plinth with three steps all round
  for (let k = 0; k < 3; k++) {
    const half = plinth.half + (2 - k) * 0.6;
    b.box(materials.stone, [-half, -half, top - 0.3], [half, half, top + (k + 1) * (plinth.height / 3)]);
  }
  const base = top + plinth.height;
  // the bronze base: the rounded roof of the bunker the soldiers stand on
  b.with(compose(translation(0, 0, base), ellipse(4.8, 3.6, 1.9)), () => b.sphere(materials.bronze, [0, 0, 0], 1, detailed ? 20 : 8, detailed ? 8 : 4));
  if (detailed) {
    // corrugation ribs on the bronze roof, like the bunker's steel arch
    for (let k = -4; k <= 4; k++) {
      const x = k * 0.95;
      const w = Math.sqrt(Math.max(0, 1 - (x / 4.8) ** 2));
      b.with(compose(translation(x, 0, base), ellipse(0.12, 3.62 * w, 1.92 * w)), () => b.sphere(materials.bronze, [0, 0, 0], 1, 4, 6));
    }
  }
  const standing = base + 1.5;
  // three soldiers: the flag-bearer in the middle and behind, one on each side in front
  figure(b, 0, 0.7, standing, 7.4, 0, { leftHand: [-0.02, -0.02, 1.1], rightHand: [0.1, -0.02, 0.8], stride: 0.1 }, detailed);
  figure(b, -2.2, -1.1, base + 1.05, 6.7, 0.3, { leftHand: [-0.26, -0.16, 0.98], rightHand: [0.14, -0.2, 0.6], stride: 0.08 }, detailed);
  figure(b, 2.2, -1.1, base + 1.05, 6.7, -0.3, { leftHand: [-0.05, -0.24, 0.66], rightHand: [0.24, -0.18, 0.92], stride: 0.09 }, detailed);
  // the left soldier's raised rifle, the child on the right soldier's arm
  const hand = onFigure(-2.2, -1.1, base + 1.05, 6.7, 0.3, [-0.26, -0.16, 0.98]);
  limb(b, materials.bronze, [hand[0] + 0.3, hand[1] + 0.25, hand[2] - 1.4], [hand[0] - 0.35, hand[1] - 0.3, hand[2] + 1.8], 0.1, 0.07, detailed ? 6 : 4);
  child(b, onFigure(2.2, -1.1, base + 1.05, 6.7, -0.3, [-0.03, -0.25, 0.64]), detailed);
  // the flag pole from the bearer's hands up to the top (≈ 12.6 m above the base)
  const poleBottom: Vec3 = [0.55, 0.4, standing + 4.4];
  const poleTop: Vec3 = [-0.35, 0.6, base + 12.6];
  limb(b, materials.bronze, poleBottom, poleTop, 0.1, 0.08, detailed ? 8 : 4);
  // the flag: a waving sheet from the pole's top, blown east
  const flagLength = 4.4;
  const flagHeight = 2.8;
  b.sweep(
    materials.redFlag,
    detailed ? 24 : 6,
    detailed ? 8 : 2,
    (u, v) => [poleTop[0] + u * flagLength, poleTop[1] + (detailed ? 0.4 : 0.25) * Math.sin(u * 2.5 * Math.PI) * u, poleTop[2] - 0.15 - v * flagHeight + 0.3 * u - 0.15 * Math.sin(v * Math.PI) * u],
    true,
  );
}

function drawStairs(b: MeshBuilder, detailed: boolean): void {
  const rise = 0.16;
  const count = Math.round(hill.height / rise);
  const run = (stairs.toY - stairs.fromY) / count;
  if (!detailed) return;
  for (let k = 0; k < count; k++) {
    const y = stairs.fromY + k * run;
    const zTop = (k + 1) * rise;
    b.box(materials.stone, [-stairs.halfWidth, y, zTop - rise - 0.25], [stairs.halfWidth, y + run, zTop]);
  }
  // low side walls
  for (const side of [-1, 1]) {
    const x = side * (stairs.halfWidth + 0.2);
    b.sweep(materials.stone, 1, 24, (u, v) => {
      const y = stairs.fromY + v * (stairs.toY - stairs.fromY);
      return [x + (u - 0.5) * 0.4, y, hill.height * v + 0.45];
    }, true);
  }
}

function drawTrees(b: MeshBuilder, detailed: boolean): void {
  const random = seededRandom(2004);
  let placed = 0;
  for (let guard = 0; guard < 2000 && placed < 40; guard++) {
    const angle = random() * 2 * Math.PI;
    const radius = hill.topRadius + 6 + random() * (hill.footRadius - hill.topRadius - 4);
    const [x, y] = [radius * Math.cos(angle), (radius * Math.sin(angle)) / 1.08];
    const height = 6 + random() * 6;
    const treeSeed = Math.floor(random() * 1e9);
    if (Math.abs(x) < stairs.halfWidth + 6 && y < 0) continue;
    if (Math.max(Math.abs(x), Math.abs(y)) > extent.maxX - 6) continue;
    broadleafTree(b, x, y, monumentHeight(x, y), height, seededRandom(treeSeed), detailed);
    placed++;
  }
}

export const tuongDai: SiteModel = {
  code: 'DT-TUONG-DAI',
  name: 'Điện Biên Phủ Victory Monument (hill D1)',
  // The valley floor around D1 is ≈ 480 m above sea level; used as the ellipsoidal height (approximate).
  groundHeight: 480,
  tilesetGeometricError: 100,
  rootGeometricError: 3,
  coarse(b) {
    b.heightField(materials.terrain, extent.minX, extent.minY, extent.maxX, extent.maxY, 56, 56, monumentHeight, monumentColour);
    drawMonument(b, false);
    drawTrees(b, false);
  },
  groundAt: monumentHeight,
  regions: [null],
  fine(b) {
    b.heightField(materials.terrain, extent.minX, extent.minY, extent.maxX, extent.maxY, 140, 140, monumentHeight, monumentColour);
    drawMonument(b, true);
    drawStairs(b, true);
    drawTrees(b, true);
  },
};
