/**
 * A site model → a 3D Tiles 1.1 tileset (path → bytes):
 *
 *   tileset.json        root `transform` = the site's east-north-up frame on the WGS 84 ellipsoid
 *   tiles/root.glb      the coarse whole-site model (the first level)
 *   tiles/<region>.glb  the fine models, children of the root (refine REPLACE)
 *
 * Bounding boxes come from the written GLBs' vertices, in the tile frame (after the glTF y-up → z-up
 * rotation). Output is byte-for-byte deterministic.
 */
import { enuFrameToEcef, type Vec3 } from './geodesy.ts';
import { tileFrameBounds, writeGlb } from './gltf-write.ts';
import { MeshBuilder } from './mesh-builder.ts';
import type { SiteModel } from './site-model.ts';

export const ILLUSTRATIVE_NOTICE = {
  vi: 'Mô phỏng minh họa, không phải số liệu khảo sát',
  en: 'Illustrative reconstruction, not a survey',
} as const;

/** Bumped when the layout or conventions of the output change (part of the build stamp). */
export const GENERATOR_VERSION = 1;

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** A 3D Tiles `box` (centre + three half-axes) around min/max, padded and rounded outwards to mm. */
export function boxAround(min: Vec3, max: Vec3, padding = 0.02): number[] {
  const lo = min.map((v) => Math.floor((v - padding) * 1000) / 1000);
  const hi = max.map((v) => Math.ceil((v + padding) * 1000) / 1000);
  // the centre is rounded to mm, so the half-axes cover the farther side
  const centre = lo.map((v, k) => round3((v + hi[k]!) / 2));
  const half = lo.map((v, k) => Math.ceil(Math.max(centre[k]! - v, hi[k]! - centre[k]!) * 1000) / 1000);
  return [centre[0]!, centre[1]!, centre[2]!, half[0]!, 0, 0, 0, half[1]!, 0, 0, 0, half[2]!];
}

function union(a: { min: Vec3; max: Vec3 }, b: { min: Vec3; max: Vec3 }): { min: Vec3; max: Vec3 } {
  return {
    min: [Math.min(a.min[0], b.min[0]), Math.min(a.min[1], b.min[1]), Math.min(a.min[2], b.min[2])],
    max: [Math.max(a.max[0], b.max[0]), Math.max(a.max[1], b.max[1]), Math.max(a.max[2], b.max[2])],
  };
}

export interface SitePosition {
  lon: number;
  lat: number;
}

/** Builds one site's tileset files. `log` gets a line per content written. */
export async function buildSiteTileset(site: SiteModel, position: SitePosition, log: (line: string) => void = () => {}): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();

  const coarse = new MeshBuilder();
  site.coarse(coarse);
  const rootGlb = await writeGlb(coarse, `${site.code} coarse`);
  const rootBounds = tileFrameBounds(rootGlb);
  files.set('tiles/root.glb', rootGlb);
  log(`${site.code}: tiles/root.glb ${coarse.vertexCount()} vertices, ${(rootGlb.byteLength / 1024).toFixed(0)} KB`);

  const children: object[] = [];
  let all = rootBounds;
  for (const region of site.regions) {
    const fine = new MeshBuilder();
    site.fine(fine, region);
    if (fine.vertexCount() === 0) continue;
    const name = region?.name ?? 'detail';
    const glb = await writeGlb(fine, `${site.code} ${name}`);
    const bounds = tileFrameBounds(glb);
    all = union(all, bounds);
    const uri = `tiles/${name}.glb`;
    files.set(uri, glb);
    log(`${site.code}: ${uri} ${fine.vertexCount()} vertices, ${(glb.byteLength / 1024).toFixed(0)} KB`);
    children.push({ boundingVolume: { box: boxAround(bounds.min, bounds.max) }, geometricError: 0, content: { uri } });
  }

  const tileset = {
    asset: {
      version: '1.1',
      generator: 'bandoso heritage generator',
      extras: {
        illustrative: true,
        notice: ILLUSTRATIVE_NOTICE,
        site: { code: site.code, name: site.name, longitude: position.lon, latitude: position.lat, height: site.groundHeight },
        frame: 'Local east-north-up metres; origin at the site point on the surrounding ground level; height above the WGS 84 ellipsoid is approximate',
      },
    },
    geometricError: site.tilesetGeometricError,
    root: {
      transform: enuFrameToEcef(position.lon, position.lat, site.groundHeight),
      boundingVolume: { box: boxAround(all.min, all.max) },
      geometricError: site.rootGeometricError,
      refine: 'REPLACE',
      content: { uri: 'tiles/root.glb' },
      ...(children.length ? { children } : {}),
    },
  };
  files.set('tileset.json', new TextEncoder().encode(`${JSON.stringify(tileset, null, 1)}\n`));
  return files;
}
