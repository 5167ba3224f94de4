import { describe, expect, it } from 'vitest';
import { gltfLinks, tilesetLinks } from '../src/heritage/tileset-walk.ts';

const base = 'https://bandoso.example/heritage/tilesets/DT-A1/0123456789abcdef/tileset.json';

describe('walking a tileset for offline use', () => {
  it('finds every content of every level, resolved against the tileset’s URL, once each', () => {
    const tileset = {
      asset: { version: '1.1' },
      geometricError: 200,
      root: {
        geometricError: 50,
        content: { uri: 'hill.glb' },
        children: [
          { geometricError: 5, content: { uri: 'detail/bunker.glb' } },
          { geometricError: 5, contents: [{ uri: 'detail/tank.glb' }, { uri: './detail/crater.glb' }], children: [{ geometricError: 0, content: { uri: 'detail/bunker.glb' } }] },
          { geometricError: 5, content: { url: 'legacy.b3dm' } },
          { geometricError: 5, content: { uri: 'more/tileset.json' } },
        ],
      },
    };
    const links = tilesetLinks(tileset, base);
    const folder = 'https://bandoso.example/heritage/tilesets/DT-A1/0123456789abcdef/';
    expect(links.contents.sort()).toEqual(['detail/bunker.glb', 'detail/crater.glb', 'detail/tank.glb', 'hill.glb', 'legacy.b3dm'].map((file) => folder + file));
    expect(links.tilesets).toEqual([`${folder}more/tileset.json`]);
    expect(links.problems).toEqual([]);
  });

  it('says so when a tileset cannot be walked (no root, implicit tiling)', () => {
    expect(tilesetLinks({}, base).problems).toHaveLength(1);
    expect(tilesetLinks({ root: { implicitTiling: { subdivisionScheme: 'QUADTREE' }, content: { uri: 'content/{level}/{x}/{y}.glb' } } }, base).problems[0]).toMatch(/implicit tiling/);
  });

  it('finds the external buffers and images of a glTF, and nothing in a self-contained GLB', () => {
    const gltf = new TextEncoder().encode(JSON.stringify({ asset: { version: '2.0' }, buffers: [{ uri: 'bunker.bin', byteLength: 4 }], images: [{ uri: 'textures/roof.png' }, { uri: 'data:image/png;base64,AAAA' }] }));
    expect(gltfLinks(gltf, 'https://x.example/t/bunker.gltf')).toEqual(['https://x.example/t/bunker.bin', 'https://x.example/t/textures/roof.png']);

    const json = new TextEncoder().encode(JSON.stringify({ asset: { version: '2.0' }, buffers: [{ byteLength: 4 }] }).padEnd(48, ' '));
    const glb = new Uint8Array(12 + 8 + json.length);
    const view = new DataView(glb.buffer);
    view.setUint32(0, 0x46546c67, true);
    view.setUint32(4, 2, true);
    view.setUint32(8, glb.length, true);
    view.setUint32(12, json.length, true);
    view.setUint32(16, 0x4e4f534a, true);
    glb.set(json, 20);
    expect(gltfLinks(glb, 'https://x.example/t/bunker.glb')).toEqual([]);
    expect(gltfLinks(new Uint8Array([1, 2, 3]), 'https://x.example/t/broken.glb')).toEqual([]);
  });
});
