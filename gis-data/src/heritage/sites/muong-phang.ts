/**
 * Sở chỉ huy Mường Phăng (the campaign command post in the Mường Phăng forest): an illustrative
 * reconstruction from public descriptions, not a survey.
 *
 * Local frame: origin in the clearing at the foot of the forested slope. Stilt houses (nhà sàn) of
 * wood, bamboo and thatch stand in the clearing; north of them the slope rises steeply and the
 * entrance of the command tunnel, framed in timber, opens into it; forest all round, a path.
 */
import type { Vec3 } from '../geodesy.ts';
import { compose, type MeshBuilder, mixLinear, rotationZ, seededRandom, translation } from '../mesh-builder.ts';
import { inRegion, quadrants, type Region, type SiteModel } from '../site-model.ts';
import { broadleafTree, distanceToPath, ground, limb, materials } from '../shapes.ts';

export const MUONG_PHANG_FEATURES = {
  houses: [
    { name: 'general', x: -14, y: -12, length: 9, width: 5.5, angle: 0.12 },
    { name: 'staff', x: 12, y: -20, length: 7, width: 4.5, angle: -0.2 },
    { name: 'guard', x: -2, y: -40, length: 5, width: 4, angle: 0.35 },
  ],
  tunnel: { x: 4, y: 34, width: 1.6, height: 2.0, floor: 1.5 },
  path: [[-2, -80], [-4, -55], [2, -30], [0, -5], [4, 12], [4, 31]] as [number, number][],
  extent: { minX: -100, maxX: 100, minY: -90, maxY: 90 },
} as const;

const { houses, tunnel, path, extent } = MUONG_PHANG_FEATURES;
const smooth = (t: number) => {
  const k = Math.min(1, Math.max(0, t));
  return k * k * (3 - 2 * k);
};

/** Ground height: a gentle clearing, the mountain slope rising north, the cut for the tunnel mouth. */
export function muongPhangHeight(x: number, y: number): number {
  let h = 0.02 * y + 0.6 * Math.sin(x / 17 + 1.3) * Math.cos(y / 13) + 0.3 * Math.sin(x / 7.3) * Math.sin(y / 9.1);
  // the slope of the mountain north of the clearing (≈ 30°), reaching ≈ 40 m at the north edge
  h += 0.6 * Math.max(0, y - 20) * smooth((y - 20) / 12) + 0.08 * Math.max(0, y - 20) * Math.sin(x / 23);
  // a cut into the slope in front of the tunnel mouth: its floor ramps up gently to the mouth
  const cx = Math.abs(x - tunnel.x);
  if (cx < 5 && y > 18 && y < tunnel.y + 0.3) {
    const floor = 0.5 + (tunnel.floor - 0.5) * smooth((y - 18) / (tunnel.y - 18));
    const blend = smooth((cx - 2.5) / 2.5);
    h = Math.min(h, floor + (h - floor) * blend);
  }
  // level platforms for the houses
  for (const house of houses) {
    const d = Math.hypot(x - house.x, y - house.y);
    const level = 0.02 * house.y;
    h = level + (h - level) * smooth((d - house.length * 0.7) / 6);
  }
  return h;
}

function muongPhangColour(x: number, y: number, z: number): Vec3 {
  // bare earth where the ground was cut (steep faces)
  const slope = Math.hypot(muongPhangHeight(x + 0.5, y) - muongPhangHeight(x - 0.5, y), muongPhangHeight(x, y + 0.5) - muongPhangHeight(x, y - 0.5));
  if (slope > 1.2) return mixLinear(ground.earth, ground.darkEarth, Math.min(1, (slope - 1.2) / 1.5));
  const onPath = distanceToPath(path, x, y);
  if (onPath < 1.1) return mixLinear(ground.path, ground.earth, onPath / 1.1);
  if (Math.abs(x - tunnel.x) < 3.5 && y > 18 && y < tunnel.y + 1) return mixLinear(ground.earth, ground.darkEarth, (y - 18) / 16);
  const clearing = houses.some((house) => Math.hypot(x - house.x, y - house.y) < house.length * 0.8);
  if (clearing) return mixLinear(ground.earth, ground.dryGrass, 0.6);
  const variation = 0.5 + 0.5 * Math.sin(x * 0.3 + Math.cos(y * 0.23) * 3);
  return mixLinear(0x4f6e2c, ground.grass, 0.4 * variation + Math.min(0.3, Math.max(0, z / 60)));
}

/**
 * A Thái-style stilt house: posts, a floor ≈ 1.8 m up, bamboo walls, a deep thatched roof with
 * rounded (hip) ends, a ladder. Coarse: posts, a wall block and the roof.
 */
function stiltHouse(b: MeshBuilder, house: (typeof houses)[number], detailed: boolean): void {
  const z = muongPhangHeight(house.x, house.y);
  const [hl, hw] = [house.length / 2, house.width / 2];
  const floor = 1.8;
  const eave = floor + 1.9;
  const ridge = eave + house.width * 0.55;
  b.with(compose(translation(house.x, house.y, z), rotationZ(house.angle)), () => {
    // posts on a grid
    const postsX = Math.max(2, Math.round(house.length / 2.2)) + 1;
    for (let i = 0; i < postsX; i++) {
      for (const py of [-hw + 0.2, 0, hw - 0.2]) {
        const px = -hl + 0.2 + (i * (house.length - 0.4)) / (postsX - 1);
        if (detailed) b.with(translation(px, py, -0.3), () => b.cylinder(materials.darkWood, 0.12, 0.11, 0, floor + 0.3, 6, { caps: false }));
        else if (py !== 0) b.box(materials.darkWood, [px - 0.12, py - 0.12, -0.3], [px + 0.12, py + 0.12, floor]);
      }
    }
    // floor and walls
    b.box(materials.wood, [-hl, -hw, floor], [hl, hw, floor + 0.15]);
    if (detailed) {
      const wall = 0.06;
      b.box(materials.bamboo, [-hl + 0.3, -hw + 0.3, floor + 0.15], [-0.7, -hw + 0.3 + wall, eave]);
      b.box(materials.bamboo, [0.7, -hw + 0.3, floor + 0.15], [hl - 0.3, -hw + 0.3 + wall, eave]);
      b.box(materials.bamboo, [-0.7, -hw + 0.3, floor + 2.0], [0.7, -hw + 0.3 + wall, eave]);
      b.box(materials.void, [-0.7, -hw + 0.33, floor + 0.15], [0.7, -hw + 0.34, floor + 2.0]);
      b.box(materials.bamboo, [-hl + 0.3, hw - 0.3 - wall, floor + 0.15], [hl - 0.3, hw - 0.3, eave]);
      b.box(materials.bamboo, [-hl + 0.3, -hw + 0.3, floor + 0.15], [-hl + 0.3 + wall, hw - 0.3, eave]);
      b.box(materials.bamboo, [hl - 0.3 - wall, -hw + 0.3, floor + 0.15], [hl - 0.3, hw - 0.3, eave]);
      // windows: dark openings on the long walls
      for (const wx of [-hl + 1.4, hl - 1.4]) b.box(materials.void, [wx - 0.5, hw - 0.3 - 0.07, floor + 0.9], [wx + 0.5, hw - 0.3 + 0.01, floor + 1.5]);
      // a ladder up to the door
      for (const side of [-0.35, 0.35]) limb(b, materials.darkWood, [side, -hw - 1.3, 0], [side, -hw + 0.05, floor + 0.1], 0.05, 0.05, 5);
      for (let k = 1; k <= 5; k++) {
        const t = k / 6;
        b.box(materials.darkWood, [-0.35, -hw - 1.3 + t * 1.35 - 0.04, t * floor - 0.03], [0.35, -hw - 1.3 + t * 1.35 + 0.04, t * floor + 0.03]);
      }
    } else {
      b.box(materials.bamboo, [-hl + 0.3, -hw + 0.3, floor + 0.15], [hl - 0.3, hw - 0.3, eave]);
    }
    // the roof: two long slopes and hipped ends, with an overhang
    const [ol, ow] = [hl + 0.8, hw + 0.9];
    const ridgeHalf = hl - house.width * 0.25;
    const eaveZ = eave - 0.35;
    const e0: Vec3 = [-ol, -ow, eaveZ];
    const e1: Vec3 = [ol, -ow, eaveZ];
    const e2: Vec3 = [ol, ow, eaveZ];
    const e3: Vec3 = [-ol, ow, eaveZ];
    const r0: Vec3 = [-ridgeHalf, 0, ridge];
    const r1: Vec3 = [ridgeHalf, 0, ridge];
    b.face(materials.thatch, [e0, e1, r1, r0]);
    b.face(materials.thatch, [e2, e3, r0, r1]);
    b.face(materials.thatch, [e1, e2, r1]);
    b.face(materials.thatch, [e3, e0, r0]);
    if (detailed) {
      // the ridge pole and the thatch's thickness at the eaves
      limb(b, materials.darkWood, [-ridgeHalf - 0.3, 0, ridge + 0.05], [ridgeHalf + 0.3, 0, ridge + 0.05], 0.1, 0.1, 6);
      b.face(materials.thatch, [[-ol, -ow, eaveZ - 0.15], [ol, -ow, eaveZ - 0.15], e1, e0]);
      b.face(materials.thatch, [[ol, ow, eaveZ - 0.15], [-ol, ow, eaveZ - 0.15], e3, e2]);
    }
  });
}

/** The tunnel mouth: a timber frame set into the cut, a dark opening, log revetments either side. */
function tunnelMouth(b: MeshBuilder, detailed: boolean): void {
  const { x, y, width, height, floor } = tunnel;
  const half = width / 2;
  b.box(materials.void, [x - half, y - 0.2, floor - 0.1], [x + half, y + 1.5, floor + height]);
  b.box(materials.darkWood, [x - half - 0.25, y - 0.3, floor - 0.1], [x - half, y + 0.1, floor + height]);
  b.box(materials.darkWood, [x + half, y - 0.3, floor - 0.1], [x + half + 0.25, y + 0.1, floor + height]);
  b.box(materials.darkWood, [x - half - 0.45, y - 0.35, floor + height], [x + half + 0.45, y + 0.15, floor + height + 0.3]);
  if (detailed) {
    // horizontal logs holding the cut on either side of the mouth
    for (const side of [-1, 1]) {
      for (let k = 0; k < 6; k++) {
        const z = floor + k * 0.4 + 0.2;
        const x0 = x + side * (half + 0.3);
        const x1 = x + side * (half + 2.6);
        limb(b, materials.trunk, [x0, y - 0.2, z], [x1, y - 0.9 - k * 0.05, z], 0.17, 0.16, 6);
      }
    }
    // a drainage board and a few steps down from the path
    b.box(materials.wood, [x - 1.2, y - 4.5, floor - 0.05], [x + 1.2, y - 0.4, floor + 0.05]);
  }
}

function forest(): { x: number; y: number; height: number; seed: number }[] {
  const random = seededRandom(1954_01);
  const out: { x: number; y: number; height: number; seed: number }[] = [];
  for (let guard = 0; guard < 6000 && out.length < 170; guard++) {
    const x = extent.minX + 4 + random() * (extent.maxX - extent.minX - 8);
    const y = extent.minY + 4 + random() * (extent.maxY - extent.minY - 8);
    const height = 9 + random() * 11;
    const seed = Math.floor(random() * 1e9);
    if (distanceToPath(path, x, y) < 3 + 0.4 * height) continue; // keep crowns off the path
    if (houses.some((house) => Math.hypot(x - house.x, y - house.y) < house.length + 4)) continue;
    if (Math.abs(x - tunnel.x) < 8 && y > 10 && y < tunnel.y + 6) continue;
    if (Math.hypot(x, y + 15) < 26) continue; // the clearing
    out.push({ x, y, height, seed });
  }
  return out;
}
const trees = forest();

function drawForest(b: MeshBuilder, region: Region | null, detailed: boolean): void {
  for (const tree of trees) {
    if (inRegion(region, tree.x, tree.y)) broadleafTree(b, tree.x, tree.y, muongPhangHeight(tree.x, tree.y), tree.height, seededRandom(tree.seed), detailed);
  }
}

export const muongPhang: SiteModel = {
  code: 'DT-MUONG-PHANG',
  name: 'Mường Phăng campaign command post',
  // Mường Phăng lies in the hills east of the Điện Biên basin; ≈ 900 m above sea level is a rough
  // figure, used as the ellipsoidal height (approximate; only globe viewers care).
  groundHeight: 900,
  tilesetGeometricError: 100,
  rootGeometricError: 3,
  coarse(b) {
    b.heightField(materials.terrain, extent.minX, extent.minY, extent.maxX, extent.maxY, 50, 45, muongPhangHeight, muongPhangColour);
    for (const house of houses) stiltHouse(b, house, false);
    tunnelMouth(b, false);
    drawForest(b, null, false);
  },
  groundAt: muongPhangHeight,
  regions: quadrants(extent.minX, extent.maxX, extent.minY, extent.maxY),
  fine(b, region) {
    const r = region ?? { name: 'all', ...extent };
    b.heightField(materials.terrain, r.minX, r.minY, r.maxX, r.maxY, Math.round((r.maxX - r.minX) / 2), Math.round((r.maxY - r.minY) / 2), muongPhangHeight, muongPhangColour);
    for (const house of houses) if (inRegion(region, house.x, house.y)) stiltHouse(b, house, true);
    if (inRegion(region, tunnel.x, tunnel.y)) tunnelMouth(b, true);
    drawForest(b, region, true);
  },
};
