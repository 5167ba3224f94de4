/**
 * Đồi A1 (Eliane 2): an illustrative reconstruction from public descriptions, not a survey.
 *
 * Local frame: origin on the valley floor below the summit; the hill (≈ 200 m × 170 m, ≈ 30 m
 * high) rises above it. Features: the crater of the mine (≈ 30 m wide, ≈ 10 m deep) west of the
 * summit, the French bunker east of it, a ring of zig-zag trenches with communication trenches
 * down the slopes, the wreck of the M24 tank on the south-west slope, a few large trees.
 */
import type { Vec3 } from '../geodesy.ts';
import { compose, type MeshBuilder, mixLinear, rotationX, rotationY, rotationZ, seededRandom, translation } from '../mesh-builder.ts';
import { type Region, inRegion, quadrants, type SiteModel } from '../site-model.ts';
import { alongPath, broadleafTree, distanceToPath, ground, limb, materials, sandbagWall } from '../shapes.ts';

type Path = [number, number][];

export const A1_FEATURES = {
  summit: [0, 0] as [number, number],
  crater: { x: -12, y: 6, radius: 15, depth: 10 },
  bunker: { x: 17, y: -5, length: 9, width: 6, angle: 0.35 },
  tank: { x: -42, y: -34, heading: 0.6 },
  extent: { minX: -135, maxX: 135, minY: -111, maxY: 111 },
} as const;

const { crater, bunker, tank, extent } = A1_FEATURES;

/** The zig-zag trench ring around the summit and the communication trenches. */
function trenchPaths(): Path[] {
  const ring: Path = [];
  for (let k = 0; k <= 24; k++) {
    const angle = (k * 2 * Math.PI) / 24;
    const radius = (k % 2 === 0 ? 43 : 49) * (1 + 0.12 * Math.cos(angle));
    ring.push([radius * Math.cos(angle), radius * 0.85 * Math.sin(angle)]);
  }
  return [
    ring,
    // from the ring down the western slope towards the central sector
    [[-47, 2], [-60, -2], [-72, 4], [-88, 0], [-104, 5], [-122, 2]],
    // up the south-east slope (the attackers' approach)
    [[30, -33], [38, -48], [50, -55], [58, -70], [72, -78], [80, -96]],
    // from the ring to the bunker entrance
    [[47, -6], [36, -8], [bunker.x + 5, bunker.y - 2]],
  ];
}
const trenches = trenchPaths();

/** The hill's ground height (m) at (x east, y north), with the crater and the trenches carved in. */
export function a1Height(x: number, y: number): number {
  const rx = x > 0 ? 96 : 112;
  const ry = y > 0 ? 82 : 90;
  const s = Math.hypot(x / rx, y / ry);
  let h = 0;
  if (s < 1) {
    const t = 1 - s;
    h = 30 * t * t * (3 - 2 * t);
    h += 0.9 * Math.sin(x / 11 + 0.7) * Math.cos(y / 14 - 0.3) * t;
  }
  h += 0.25 * Math.sin(x / 23) * Math.sin(y / 19);
  // the mine crater: a bowl with a low rim of thrown-up earth
  const d = Math.hypot(x - crater.x, y - crater.y);
  if (d < crater.radius) h -= crater.depth * (1 - (d / crater.radius) ** 2) ** 1.2;
  h += 1.4 * Math.exp(-(((d - crater.radius - 1) / 2.5) ** 2));
  // trenches: ≈ 1.3 m deep, ≈ 1.2 m wide, with a low parapet of spoil
  let trench = Infinity;
  for (const path of trenches) trench = Math.min(trench, distanceToPath(path, x, y));
  if (trench < 0.8) h -= 1.3 * (1 - (trench / 0.8) ** 2);
  else if (trench < 2.4) h += 0.35 * Math.sin(((trench - 0.8) / 1.6) * Math.PI);
  return h;
}

function a1Colour(x: number, y: number, z: number): Vec3 {
  let trench = Infinity;
  for (const path of trenches) trench = Math.min(trench, distanceToPath(path, x, y));
  const d = Math.hypot(x - crater.x, y - crater.y);
  if (d < crater.radius + 0.5) return mixLinear(ground.darkEarth, ground.earth, d / crater.radius);
  if (trench < 1.0) return mixLinear(ground.darkEarth, ground.earth, trench);
  if (trench < 2.4) return mixLinear(ground.earth, ground.dryGrass, (trench - 1) / 1.4);
  const variation = 0.5 + 0.5 * Math.sin(x * 0.21 + Math.cos(y * 0.17) * 2);
  return mixLinear(ground.grass, ground.dryGrass, 0.25 * variation + Math.max(0, (z - 24) / 20));
}

/** Ground normal at (x, y), for tilting objects that rest on the slope. */
function tilt(x: number, y: number, heading: number): { pitch: number; roll: number } {
  const h = 1.5;
  const [c, s] = [Math.cos(heading), Math.sin(heading)];
  const along = (a1Height(x + c * h, y + s * h) - a1Height(x - c * h, y - s * h)) / (2 * h);
  const across = (a1Height(x - s * h, y + c * h) - a1Height(x + s * h, y - c * h)) / (2 * h);
  return { pitch: Math.atan(along), roll: Math.atan(across) };
}

/** The French bunker: a concrete shelter half in the ground, earth and sandbags on the roof, firing slits. */
function drawBunker(b: MeshBuilder, detailed: boolean, random: () => number): void {
  const z = a1Height(bunker.x, bunker.y);
  b.with(compose(translation(bunker.x, bunker.y, z), rotationZ(bunker.angle)), () => {
    const [hl, hw] = [bunker.length / 2, bunker.width / 2];
    b.box(materials.darkConcrete, [-hl, -hw, -1.2], [hl, hw, 1.6]);
    b.box(materials.earth, [-hl - 0.4, -hw - 0.4, 1.6], [hl + 0.4, hw + 0.4, 2.1]);
    // firing slits on the north, south and west faces
    for (const sx of [-2.5, 0, 2.5]) {
      b.box(materials.void, [sx - 0.6, -hw - 0.02, 0.7], [sx + 0.6, -hw + 0.3, 1.0]);
      b.box(materials.void, [sx - 0.6, hw - 0.3, 0.7], [sx + 0.6, hw + 0.02, 1.0]);
    }
    b.box(materials.void, [-hl - 0.02, -0.8, 0.7], [-hl + 0.3, 0.8, 1.0]);
    // entrance on the east end, reached from the trench
    b.box(materials.void, [hl - 0.05, -0.55, -1.0], [hl + 0.02, 0.55, 0.9]);
    if (detailed) {
      b.box(materials.concrete, [hl, -0.8, 0.9], [hl + 0.25, 0.8, 1.15]);
      // sandbags on the roof edge
      const edge: [number, number][] = [[-hl - 0.2, -hw - 0.2], [hl + 0.2, -hw - 0.2], [hl + 0.2, hw + 0.2], [-hl - 0.2, hw + 0.2], [-hl - 0.2, -hw - 0.2]];
      sandbagWall(b, edge, 2, () => 2.1, random);
      // a steel rail from the roof, bent by the blast
      limb(b, materials.rust, [-1.5, -1, 2.1], [-0.2, 0.4, 3.0], 0.06, 0.06, 5);
    }
  });
  if (detailed) {
    // sandbags lining the last metres of the trench to the entrance
    const approach: Path = [[36, -8], [bunker.x + 5, bunker.y - 2]];
    for (const side of [-1.1, 1.1]) {
      const path: Path = approach.map(([x, y]) => [x, y + side]);
      sandbagWall(b, path, 2, a1Height, random);
    }
  }
}

/** The M24 Chaffee wreck: hull, tracks and road wheels, turret with its 75 mm gun, rusted. */
export function drawTank(b: MeshBuilder, x: number, y: number, z: number, heading: number, pitch: number, roll: number, detailed: boolean): void {
  b.with(compose(translation(x, y, z - 0.15), rotationZ(heading), rotationY(-pitch), rotationX(roll)), () => {
    const hull = materials.rust;
    // tracks
    for (const side of [-1, 1]) {
      b.box(materials.darkSteel, [-2.5, side * 1.47 - 0.22, 0], [2.5, side * 1.47 + 0.22, 0.85]);
      if (detailed) {
        for (let k = 0; k < 5; k++) {
          b.with(compose(translation(-1.9 + k * 0.95, side * 1.72, 0.38), rotationX(Math.PI / 2)), () => b.cylinder(materials.tankSteel, 0.33, 0.33, -0.08, 0.08, 10, { smooth: false }));
        }
      }
    }
    // hull with a sloped glacis: side profile in x (forward) / z, extruded across
    b.with(rotationX(Math.PI / 2), () =>
      b.prism(hull, [[-2.45, 0.45], [2.2, 0.45], [2.65, 0.95], [1.7, 1.55], [-2.45, 1.55]], -1.25, 1.25),
    );
    // turret, offset to the front, turned a little on its ring
    b.with(compose(translation(0.35, 0, 1.55), rotationZ(-0.35)), () => {
      b.cylinder(hull, 0.95, 0.82, 0, 0.72, detailed ? 12 : 6, { smooth: false });
      b.box(materials.tankSteel, [0.78, -0.35, 0.18], [1.15, 0.35, 0.58]);
      limb(b, materials.tankSteel, [1.1, 0, 0.38], [3.9, 0, 0.32], 0.075, 0.065, detailed ? 8 : 4);
      if (detailed) {
        b.with(translation(-0.3, 0.35, 0.72), () => b.cylinder(materials.tankSteel, 0.3, 0.28, 0, 0.12, 8, {}));
        b.box(materials.darkSteel, [-1.05, -0.5, 0.1], [-0.8, 0.5, 0.55]);
      }
    });
    if (detailed) {
      // engine deck grilles and a tow hook
      b.box(materials.darkSteel, [-2.3, -0.8, 1.55], [-1.1, 0.8, 1.6]);
      b.box(materials.darkSteel, [2.45, -0.9, 0.5], [2.7, 0.9, 0.7]);
    }
  });
}

function trees(random: () => number): { x: number; y: number; height: number }[] {
  const out: { x: number; y: number; height: number }[] = [];
  let guard = 0;
  while (out.length < 28 && guard++ < 2000) {
    const x = extent.minX + 6 + random() * (extent.maxX - extent.minX - 12);
    const y = extent.minY + 6 + random() * (extent.maxY - extent.minY - 12);
    const height = 7 + random() * 7;
    if (Math.hypot(x - crater.x, y - crater.y) < crater.radius + 6) continue;
    if (Math.hypot(x - bunker.x, y - bunker.y) < 10 || Math.hypot(x - tank.x, y - tank.y) < 8) continue;
    if (trenches.some((path) => distanceToPath(path, x, y) < 4)) continue;
    if (Math.hypot(x / 112, y / 90) > 1.05) continue; // trees on the hill, the valley is open ground
    out.push({ x, y, height });
  }
  return out;
}

function drawTrees(b: MeshBuilder, region: Region | null, detailed: boolean): void {
  for (const tree of trees(seededRandom(5))) {
    if (inRegion(region, tree.x, tree.y)) broadleafTree(b, tree.x, tree.y, a1Height(tree.x, tree.y), tree.height, seededRandom(Math.round(tree.x * 1000 + tree.y)), detailed);
  }
}

export const doiA1: SiteModel = {
  code: 'DT-A1',
  name: 'Hill A1 (Eliane 2)',
  // The Điện Biên Phủ valley floor is ≈ 480 m above sea level; we use that as the height above the
  // ellipsoid and ignore the geoid separation: approximate, and only globe viewers care.
  groundHeight: 480,
  tilesetGeometricError: 120,
  rootGeometricError: 4,
  coarse(b) {
    b.heightField(materials.terrain, extent.minX, extent.minY, extent.maxX, extent.maxY, 54, 37, a1Height, a1Colour);
    drawBunker(b, false, seededRandom(1));
    const t = tilt(tank.x, tank.y, tank.heading);
    drawTank(b, tank.x, tank.y, a1Height(tank.x, tank.y), tank.heading, t.pitch, t.roll, false);
    drawTrees(b, null, false);
  },
  groundAt: a1Height,
  regions: quadrants(extent.minX, extent.maxX, extent.minY, extent.maxY),
  fine(b, region) {
    const r = region ?? { name: 'all', ...extent };
    // 1.5 m cells; quadrant edges fall on the same grid lines, so neighbours share their edges exactly
    b.heightField(materials.terrain, r.minX, r.minY, r.maxX, r.maxY, Math.round((r.maxX - r.minX) / 1.5), Math.round((r.maxY - r.minY) / 1.5), a1Height, a1Colour);
    if (inRegion(region, bunker.x, bunker.y)) drawBunker(b, true, seededRandom(2));
    if (inRegion(region, tank.x, tank.y)) {
      const t = tilt(tank.x, tank.y, tank.heading);
      drawTank(b, tank.x, tank.y, a1Height(tank.x, tank.y), tank.heading, t.pitch, t.roll, true);
    }
    drawTrees(b, region, true);
    // timber revetment posts along the ring trench near the summit (every 3 m, the parts in this region)
    for (const point of alongPath(trenches[0]!, 3)) {
      const x = point.x - Math.sin(point.angle) * 0.75;
      const y = point.y + Math.cos(point.angle) * 0.75;
      if (!inRegion(region, x, y)) continue;
      const z = a1Height(x, y);
      b.block(materials.darkWood, x, y, z - 0.2, 0.14, 0.14, z + 0.9);
    }
  },
};
