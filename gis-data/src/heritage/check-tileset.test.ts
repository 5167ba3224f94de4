import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSiteTileset } from './build-tileset.ts';
import { checkTileset, readTilesetFolder, resolveContentUri, tilesetVersion } from './check-tileset.ts';
import { materials } from './shapes.ts';
import type { SiteModel } from './site-model.ts';

/** A tiny site: a 10 m × 6 m × 3 m block as the root, a finer block and a post as the child. */
const tinySite: SiteModel = {
  code: 'TEST',
  name: 'test',
  groundHeight: 480,
  tilesetGeometricError: 20,
  rootGeometricError: 1,
  coarse(b) {
    b.box(materials.concrete, [-5, -3, 0], [5, 3, 3]);
  },
  groundAt: () => 0,
  regions: [null],
  fine(b) {
    b.box(materials.concrete, [-5, -3, 0], [5, 3, 2.8]);
    b.block(materials.wood, 0, 0, 2.8, 0.3, 0.3, 4);
  },
};

let good: Map<string, Uint8Array>;

interface Tile {
  boundingVolume: { box?: number[]; sphere?: number[] };
  geometricError: number;
  content?: { uri: string };
  children?: Tile[];
}
interface Tileset {
  asset: { version: string };
  geometricError: number;
  root: Tile;
}

const readJson = (files: Map<string, Uint8Array>) => JSON.parse(new TextDecoder().decode(files.get('tileset.json'))) as Tileset;
/** A copy of the good tileset with tileset.json edited. */
function edited(edit: (tileset: Tileset) => void, extra?: (files: Map<string, Uint8Array>) => void): Map<string, Uint8Array> {
  const files = new Map(good);
  const tileset = readJson(files);
  edit(tileset);
  files.set('tileset.json', new TextEncoder().encode(JSON.stringify(tileset)));
  extra?.(files);
  return files;
}

beforeAll(async () => {
  good = await buildSiteTileset(tinySite, { lon: 103.0125, lat: 21.3808 });
});

describe('checkTileset accepts', () => {
  it('a generated tileset, and reports its stats', async () => {
    const result = await checkTileset(good);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.stats.tiles).toBe(2);
    expect(result.stats.depth).toBe(2);
    expect(result.stats.contents).toBe(2);
    expect(result.stats.firstLevelBytes).toBe(good.get('tileset.json')!.byteLength + good.get('tiles/root.glb')!.byteLength);
    expect(result.stats.totalBytes).toBe([...good.values()].reduce((sum, bytes) => sum + bytes.byteLength, 0));
  });

  it('a sphere bounding volume that holds the content, and an external tileset', async () => {
    const files = edited(
      (tileset) => {
        tileset.root.boundingVolume = { sphere: [0, 0, 2, 7] };
        tileset.root.children = [{ boundingVolume: { sphere: [0, 0, 2, 7] }, geometricError: 0.5, content: { uri: 'sub/inner.json' } }];
      },
      (map) => {
        const inner = { asset: { version: '1.1' }, geometricError: 0.5, root: { boundingVolume: { sphere: [0, 0, 2, 7] }, geometricError: 0, refine: 'ADD', content: { uri: 'd/detail.glb' } } };
        map.set('sub/inner.json', new TextEncoder().encode(JSON.stringify(inner)));
        map.set('sub/d/detail.glb', map.get('tiles/detail.glb')!);
        map.delete('tiles/detail.glb');
      },
    );
    const result = await checkTileset(files);
    expect(result.errors).toEqual([]);
    expect(result.stats.tiles).toBe(3);
    expect(result.stats.depth).toBe(3);
  });
});

describe('checkTileset reads what contractors export', () => {
  it('glTF JSON with an external buffer, next to it in a subfolder', async () => {
    // split the GLB into its JSON and binary chunks
    const glb = good.get('tiles/detail.glb')!;
    const view = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
    const jsonLength = view.getUint32(12, true);
    const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + jsonLength))) as { buffers: { uri?: string; byteLength: number }[] };
    const binStart = 20 + jsonLength + 8;
    const bin = glb.subarray(binStart, binStart + json.buffers[0]!.byteLength);
    json.buffers[0]!.uri = 'detail.bin';
    const files = edited((tileset) => (tileset.root.children![0]!.content = { uri: 'tiles/gltf/detail.gltf' }));
    files.delete('tiles/detail.glb');
    files.set('tiles/gltf/detail.gltf', new TextEncoder().encode(JSON.stringify(json)));
    files.set('tiles/gltf/detail.bin', bin);
    const result = await checkTileset(files);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('legacy b3dm with RTC_CENTER (with a warning), and finds a box that ignores the RTC_CENTER', async () => {
    const glb = good.get('tiles/detail.glb')!;
    const featureTable = new TextEncoder().encode(JSON.stringify({ BATCH_LENGTH: 0, RTC_CENTER: [100, 0, 0] }).padEnd(48, ' '));
    const header = new DataView(new ArrayBuffer(28));
    const b3dm = new Uint8Array(28 + featureTable.byteLength + glb.byteLength);
    new Uint8Array(header.buffer).set(new TextEncoder().encode('b3dm'));
    header.setUint32(4, 1, true);
    header.setUint32(8, b3dm.byteLength, true);
    header.setUint32(12, featureTable.byteLength, true);
    b3dm.set(new Uint8Array(header.buffer));
    b3dm.set(featureTable, 28);
    b3dm.set(glb, 28 + featureTable.byteLength);
    const moved = (box: number[]) => [box[0]! + 100, ...box.slice(1)];
    const files = edited(
      (tileset) => {
        const child = tileset.root.children![0]!;
        child.content = { uri: 'tiles/detail.b3dm' };
        child.boundingVolume.box = moved(child.boundingVolume.box!);
        tileset.root.boundingVolume.box![3] = 120;
      },
      (map) => {
        map.delete('tiles/detail.glb');
        map.set('tiles/detail.b3dm', b3dm);
      },
    );
    const result = await checkTileset(files);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([expect.stringMatching(/tiles\/detail\.b3dm: .*b3dm is a legacy 3D Tiles 1\.0 format/)]);
    // the same b3dm with the box where the glTF alone would be
    const wrong = new Map(files);
    const tileset = readJson(wrong);
    tileset.root.children![0]!.boundingVolume.box = readJson(good).root.children![0]!.boundingVolume.box!;
    wrong.set('tileset.json', new TextEncoder().encode(JSON.stringify(tileset)));
    expect((await checkTileset(wrong)).errors).toEqual([expect.stringMatching(/tiles\/detail\.b3dm .*outside the tile’s boundingVolume/)]);
  });
});

describe('checkTileset refuses', () => {
  it('a folder without tileset.json', async () => {
    const files = new Map(good);
    files.delete('tileset.json');
    const { errors } = await checkTileset(files);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/tileset\.json is missing/);
  });

  it('tileset.json that is not JSON, or has the wrong version', async () => {
    const broken = new Map(good).set('tileset.json', new TextEncoder().encode('{"asset": '));
    expect((await checkTileset(broken)).errors[0]).toMatch(/^tileset\.json: .*not valid JSON/);
    const wrongVersion = edited((tileset) => (tileset.asset.version = '2.0'));
    expect((await checkTileset(wrongVersion)).errors[0]).toMatch(/asset\.version is "2\.0"/);
  });

  it('a corrupt GLB, quoting the validator', async () => {
    const bytes = good.get('tiles/detail.glb')!.slice();
    // break the JSON chunk in the middle of the file's header area
    bytes.fill(0x20, 24, 60);
    bytes.set(new TextEncoder().encode('{"asset":'), 20);
    const files = new Map(good).set('tiles/detail.glb', bytes);
    const { errors } = await checkTileset(files);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^tiles\/detail\.glb: gltf-validator found \d+ error|^tiles\/detail\.glb: gltf-validator báo \d+ lỗi/);
  });

  it('a GLB cut short', async () => {
    const bytes = good.get('tiles/root.glb')!.slice(0, 200);
    const { errors } = await checkTileset(new Map(good).set('tiles/root.glb', bytes));
    expect(errors.join('\n')).toMatch(/tiles\/root\.glb: .*(gltf-validator|not a readable glTF)/);
  });

  it('a missing content file', async () => {
    const files = new Map(good);
    files.delete('tiles/detail.glb');
    const { errors } = await checkTileset(files);
    expect(errors).toEqual([expect.stringMatching(/root\.children\[0\]\.content: .*'tiles\/detail\.glb' is missing from the folder/)]);
  });

  it('a child whose geometricError is larger than its parent’s', async () => {
    const files = edited((tileset) => (tileset.root.children![0]!.geometricError = 5));
    const { errors } = await checkTileset(files);
    expect(errors).toEqual([expect.stringMatching(/root\.children\[0\]: .*geometricError 5 is larger than its parent's 1/)]);
  });

  it('content URIs with .. or that are absolute URLs or paths', async () => {
    for (const uri of ['../tiles/detail.glb', 'tiles/../../x.glb', 'https://example.com/detail.glb', '/tiles/detail.glb', 'file:///etc/passwd', '//cdn.example.com/a.glb']) {
      const files = edited((tileset) => (tileset.root.children![0]!.content = { uri }));
      const { errors } = await checkTileset(files);
      expect(errors.length, uri).toBeGreaterThanOrEqual(1);
      expect(errors[0], uri).toMatch(/contains '\.\.'|absolute path or URL/);
    }
    expect(resolveContentUri('sub', 'a%20b/c.glb')).toEqual({ path: 'sub/a b/c.glb' });
    expect(resolveContentUri('', './tiles/x.glb?v=1')).toEqual({ path: 'tiles/x.glb' });
  });

  it('a bounding volume that does not contain its content', async () => {
    const files = edited((tileset) => {
      const box = tileset.root.children![0]!.boundingVolume.box!;
      box[11] = 1; // half height 1 m: the 4 m post and the block stick out
    });
    const { errors } = await checkTileset(files);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^tiles\/detail\.glb \(root\.children\[0\]\.content\): \d+ \/ \d+ .*vertices lie outside the tile’s boundingVolume by up to 0\.9\d m/);
  });

  it('a box in the wrong frame (y-up, as if the glTF had not been rotated)', async () => {
    const files = edited((tileset) => {
      const box = tileset.root.boundingVolume.box!;
      // swap the y and z half-axes and centre: the mistake of computing the box from glTF coordinates
      [box[1], box[2]] = [box[2]!, -box[1]!];
      [box[7], box[11]] = [box[11]!, box[7]!];
    });
    const { errors } = await checkTileset(files);
    expect(errors.join('\n')).toMatch(/tiles\/root\.glb \(root\.content\): .*outside the tile’s boundingVolume/);
  });

  it('content over the size limits', async () => {
    const { errors } = await checkTileset(good, { maxFirstLevelBytes: 1000, maxTotalBytes: 2000 });
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/first level .* over the 1 KB limit/);
    expect(errors[1]).toMatch(/whole tileset is .* over the 2 KB limit/);
  });

  it('legacy point clouds and other non-glTF content', async () => {
    const pnts = new Uint8Array(40);
    pnts.set(new TextEncoder().encode('pnts'));
    const { errors } = await checkTileset(new Map(good).set('tiles/detail.glb', pnts));
    expect(errors).toEqual([expect.stringMatching(/legacy 'pnts' content.*only glTF\/GLB/)]);
  });
});

describe('tilesetVersion and readTilesetFolder', () => {
  it('versions change with any byte or name, not with insertion order', () => {
    const v = tilesetVersion(good);
    expect(v).toMatch(/^[0-9a-f]{16}$/);
    expect(tilesetVersion(new Map([...good].reverse()))).toBe(v);
    const changed = new Map(good).set('tiles/root.glb', good.get('tiles/root.glb')!.slice(0, -1));
    expect(tilesetVersion(changed)).not.toBe(v);
    const renamed = new Map([...good].map(([k, b]) => [k === 'tiles/root.glb' ? 'tiles/root2.glb' : k, b]));
    expect(tilesetVersion(renamed)).not.toBe(v);
  });

  it('reads a folder as relative POSIX paths, skipping dot files and symlinks', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'heritage-folder-'));
    try {
      for (const [file, bytes] of good) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), bytes);
      }
      await writeFile(path.join(dir, '.stamp'), 'x');
      await symlink('/etc/hostname', path.join(dir, 'tiles', 'link.glb'));
      const files = await readTilesetFolder(dir);
      expect([...files.keys()].sort()).toEqual([...good.keys()].sort());
      expect(tilesetVersion(files)).toBe(tilesetVersion(good));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
