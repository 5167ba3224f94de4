/**
 * Hầm chỉ huy Đờ Cát (General de Castries' command bunker): an illustrative reconstruction from
 * public descriptions, not a survey.
 *
 * Local frame: origin at the middle of the bunker on the ground. The bunker lies mostly below
 * ground; above it an arched roof of corrugated steel (≈ 20 m long east–west, ≈ 8 m wide, its crown
 * ≈ 3 m above the ground), its ends closed by sandbag walls, sandbag parapets along the sides, the
 * entrance at the east end down a sunken trench with steps.
 */
import type { Vec3 } from '../geodesy.ts';
import { type MeshBuilder, mixLinear, seededRandom } from '../mesh-builder.ts';
import type { SiteModel } from '../site-model.ts';
import { ground, materials, sandbagWall } from '../shapes.ts';

export const DE_CASTRIES_FEATURES = {
  roof: { length: 20, halfWidth: 4, height: 3 },
  entrance: { x: 10, floor: -1.6 },
  trench: { fromX: 10, toX: 18, halfWidth: 0.9 },
  extent: { minX: -40, maxX: 40, minY: -30, maxY: 30 },
} as const;

const { roof, entrance, trench, extent } = DE_CASTRIES_FEATURES;

/** Ground height: flat valley floor, the sunken entrance trench east of the bunker. */
export function deCastriesHeight(x: number, y: number): number {
  let h = 0.12 * Math.sin(x / 9 + 1) * Math.cos(y / 7) + 0.05 * Math.sin(x / 3.1) * Math.sin(y / 2.7);
  // a low mound of earth over the bunker, under the arch
  if (Math.abs(x) < roof.length / 2 + 1 && Math.abs(y) < roof.halfWidth + 1.5) {
    const mx = Math.min(1, (roof.length / 2 + 1 - Math.abs(x)) / 1.2);
    const my = Math.min(1, (roof.halfWidth + 1.5 - Math.abs(y)) / 1.5);
    h = Math.max(h, 0.35 * Math.min(mx, my));
  }
  // the trench: from the entrance floor (−1.6 m) rising to the ground 8 m east
  if (x > trench.fromX - 0.5 && x < trench.toX + 1.5 && Math.abs(y) < trench.halfWidth + 0.6) {
    const t = Math.min(1, Math.max(0, (x - trench.fromX) / (trench.toX - trench.fromX)));
    const floor = entrance.floor * (1 - t);
    const edge = Math.min(1, Math.max(0, (Math.abs(y) - trench.halfWidth) / 0.6));
    const endFade = Math.min(1, Math.max(0, (x - trench.toX) / 1.5));
    h = floor + (h - floor) * Math.max(edge, endFade);
  }
  return h;
}

function deCastriesColour(x: number, y: number, z: number): Vec3 {
  if (z < -0.2) return mixLinear(ground.darkEarth, ground.earth, 1 + z / 1.6);
  // a gravel path round the bunker for visitors
  const ring = Math.max(Math.abs(x) - (roof.length / 2 + 4), Math.abs(y) - (roof.halfWidth + 4));
  if (Math.abs(ring) < 1) return mixLinear(ground.paving, ground.path, Math.abs(ring));
  const variation = 0.5 + 0.5 * Math.sin(x * 0.4) * Math.cos(y * 0.5);
  return mixLinear(ground.grass, ground.dryGrass, 0.3 * variation);
}

/** The arch cross-section: half an ellipse, u ∈ [0, 1] from the south foot over to the north foot. */
function archPoint(u: number, x: number, inset: number): Vec3 {
  const angle = Math.PI * u;
  return [x, -(roof.halfWidth - inset) * Math.cos(angle), (roof.height - inset) * Math.sin(angle)];
}

function drawRoof(b: MeshBuilder, detailed: boolean): void {
  const [x0, x1] = [-roof.length / 2, roof.length / 2];
  // corrugations run around the arch; 0.5 m pitch (stylised), 5 cm deep
  const pitch = 0.5;
  const columns = detailed ? Math.round((roof.length / pitch) * 4) : 10;
  const rows = detailed ? 20 : 10;
  const corrugation = (x: number) => (detailed ? 0.05 * Math.sin((2 * Math.PI * (x - x0)) / pitch) : 0);
  b.sweep(materials.corrugatedSteel, rows, columns, (u, v) => {
    const x = x0 + v * (x1 - x0);
    return archPoint(u, x, -corrugation(x));
  }, false);
  if (detailed) {
    // the steel arch ribs at the ends and every 4 m
    for (let k = 0; k <= 5; k++) {
      const x = x0 + k * 4;
      b.sweep(materials.rust, 16, 1, (u, v) => archPoint(u, x - 0.06 + v * 0.12, -0.09), false);
    }
  }
}

/** The closing walls of the arch ends: stacked sandbags following the arch, a doorway at the east. */
function drawEndWalls(b: MeshBuilder, detailed: boolean, random: () => number): void {
  for (const end of [-1, 1]) {
    const x = (end * roof.length) / 2;
    if (!detailed) {
      // a solid half-ellipse of sandbag colour, 0.7 m thick: the outline in the (y, z) plane,
      // extruded along x (local x → north, local y → up, local z → east: a rotation)
      const outline: [number, number][] = [];
      for (let k = 0; k <= 12; k++) {
        const p = archPoint(k / 12, 0, 0.05);
        outline.push([p[1], p[2]]);
      }
      outline.reverse();
      b.with([0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, x, 0, 0, 1], () => b.prism(materials.sandbag, outline, -0.35, 0.35));
      if (end === 1) b.box(materials.void, [x + 0.35, -0.6, 0], [x + 0.38, 0.6, 1.7]);
      continue;
    }
    const courses = Math.floor(roof.height / 0.16) - 1;
    for (let course = 0; course < courses; course++) {
      const z = course * 0.16;
      const half = (roof.halfWidth - 0.15) * Math.sqrt(Math.max(0, 1 - (z / (roof.height - 0.1)) ** 2));
      if (half < 0.35) break;
      // leave the doorway open on the east end (1.2 m wide, up to 1.7 m)
      const spans: [number, number][] = end === 1 && z < 1.7 ? [[-half, -0.6], [0.6, half]] : [[-half, half]];
      for (const [ya, yb] of spans) {
        if (yb - ya < 0.3) continue;
        // alternate courses are laid from the other end, so the joints do not line up
        const path: [number, number][] = course % 2 === 0 ? [[x, ya], [x, yb]] : [[x, yb], [x, ya]];
        sandbagWall(b, path, 1, () => z, random);
      }
    }
    if (end === 1) {
      // the door frame and the dark inside (the floor of the bunker is below ground)
      b.box(materials.void, [x - 0.3, -0.6, entrance.floor], [x - 0.2, 0.6, 1.7]);
      b.box(materials.darkWood, [x - 0.25, -0.75, 1.7], [x + 0.2, 0.75, 1.9]);
      b.box(materials.darkWood, [x - 0.25, -0.75, entrance.floor], [x + 0.2, -0.6, 1.7]);
      b.box(materials.darkWood, [x - 0.25, 0.6, entrance.floor], [x + 0.2, 0.75, 1.7]);
    }
  }
}

function drawSideParapets(b: MeshBuilder, detailed: boolean, random: () => number): void {
  for (const side of [-1, 1]) {
    const y = side * (roof.halfWidth + 0.45);
    if (detailed) sandbagWall(b, [[-roof.length / 2 - 0.4, y], [roof.length / 2 + 0.4, y]], 4, deCastriesHeight, random);
    else b.box(materials.sandbag, [-roof.length / 2 - 0.4, y - 0.2, 0], [roof.length / 2 + 0.4, y + 0.2, 0.64]);
  }
}

function drawTrench(b: MeshBuilder, detailed: boolean, random: () => number): void {
  if (!detailed) return;
  // ten concrete steps on the sloping trench floor, down to the door
  const steps = 10;
  const run = (trench.toX - trench.fromX) / steps;
  for (let k = 0; k < steps; k++) {
    const x = trench.fromX + k * run;
    const top = entrance.floor * (1 - (k + 1) / steps) + 0.02;
    const bottom = entrance.floor * (1 - k / steps) - 0.1;
    b.box(materials.concrete, [x, -trench.halfWidth, bottom], [x + run, trench.halfWidth, Math.max(top, bottom + 0.05)]);
  }
  // sandbag revetments along the trench walls
  for (const side of [-1, 1]) {
    const y = side * (trench.halfWidth + 0.25);
    sandbagWall(b, [[trench.fromX + 0.5, y], [trench.toX, y]], 3, (x) => deCastriesHeight(x, y * 0.6), random);
  }
}

export const hamDeCastries: SiteModel = {
  code: 'DT-HAM-DE-CASTRIES',
  name: 'General de Castries’ command bunker',
  // Valley floor of Mường Thanh, ≈ 480 m above sea level, used as the ellipsoidal height (approximate).
  groundHeight: 480,
  tilesetGeometricError: 40,
  // the coarse model's real error is ≈ 0.5 m; a larger value loads the detail (corrugations,
  // sandbags, steps) from farther away, which is what a visitor comes for
  rootGeometricError: 2,
  coarse(b) {
    b.heightField(materials.terrain, extent.minX, extent.minY, extent.maxX, extent.maxY, 40, 30, deCastriesHeight, deCastriesColour);
    drawRoof(b, false);
    drawEndWalls(b, false, seededRandom(1));
    drawSideParapets(b, false, seededRandom(2));
  },
  groundAt: deCastriesHeight,
  regions: [null],
  fine(b) {
    b.heightField(materials.terrain, extent.minX, extent.minY, extent.maxX, extent.maxY, 160, 120, deCastriesHeight, deCastriesColour);
    drawRoof(b, true);
    drawEndWalls(b, true, seededRandom(3));
    drawSideParapets(b, true, seededRandom(4));
    drawTrench(b, true, seededRandom(5));
  },
};
