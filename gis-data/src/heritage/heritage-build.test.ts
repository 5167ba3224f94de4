import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enuFrameToEcef } from './geodesy.ts';
import { checkTileset, DEFAULT_MAX_FIRST_LEVEL_BYTES, DEFAULT_MAX_TOTAL_BYTES, ensureHeritageTilesets, generatedSites, readSitePositions, readTilesetFolder, tilesetVersion, type EnsureHeritageResult } from './index.ts';

let root: string;
let first: EnsureHeritageResult;
const lines: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'heritage-build-'));
  first = await ensureHeritageTilesets({ outDir: path.join(root, 'a'), log: (line) => lines.push(line) });
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ensureHeritageTilesets', () => {
  it('builds the four sites, each in its own folder, and says so', () => {
    expect(Object.keys(first.sites)).toEqual(['DT-A1', 'DT-HAM-DE-CASTRIES', 'DT-TUONG-DAI', 'DT-MUONG-PHANG']);
    for (const [code, site] of Object.entries(first.sites)) {
      expect(site.folder).toBe(path.join(root, 'a', code));
      expect(site.version).toMatch(/^[0-9a-f]{16}$/);
      expect(lines.some((line) => line.startsWith(`${code}: built`))).toBe(true);
    }
  });

  it('makes tilesets that pass every rule and gltf-validator, within the budget', async () => {
    for (const [code, site] of Object.entries(first.sites)) {
      const files = await readTilesetFolder(site.folder);
      expect(tilesetVersion(files)).toBe(site.version);
      const result = await checkTileset(files);
      expect(result.errors, code).toEqual([]);
      expect(result.warnings, code).toEqual([]);
      expect(result.stats.firstLevelBytes, code).toBeLessThanOrEqual(DEFAULT_MAX_FIRST_LEVEL_BYTES);
      expect(result.stats.totalBytes, code).toBeLessThanOrEqual(DEFAULT_MAX_TOTAL_BYTES);
      expect(result.stats.depth, code).toBeGreaterThanOrEqual(2);
    }
    // Đồi A1 is large: a coarse root and four finer children
    const a1 = await checkTileset(await readTilesetFolder(first.sites['DT-A1']!.folder));
    expect(a1.stats.tiles).toBe(5);
  });

  it('places each tileset at its site, upright, and marks it illustrative', async () => {
    const positions = await readSitePositions();
    for (const site of generatedSites) {
      const files = await readTilesetFolder(first.sites[site.code]!.folder);
      const tileset = JSON.parse(new TextDecoder().decode(files.get('tileset.json'))) as {
        asset: { version: string; extras: { illustrative: boolean; notice: { vi: string; en: string } } };
        root: { transform: number[]; boundingVolume: { box: number[] }; refine: string; children: { geometricError: number }[] };
        geometricError: number;
      };
      const position = positions.get(site.code)!;
      expect(tileset.asset.version).toBe('1.1');
      expect(tileset.asset.extras.illustrative).toBe(true);
      expect(tileset.asset.extras.notice.vi).toBe('Mô phỏng minh họa, không phải số liệu khảo sát');
      expect(tileset.root.transform).toEqual(enuFrameToEcef(position.lon, position.lat, site.groundHeight));
      expect(tileset.root.refine).toBe('REPLACE');
      expect(tileset.geometricError).toBeGreaterThan(tileset.root.children[0]!.geometricError);
      // z is up: the model is much wider than it is tall, and stands on (not under) the ground
      const [, , cz, hx, , , , hy, , , , hz] = tileset.root.boundingVolume.box as [number, number, number, number, number, number, number, number, number, number, number, number];
      expect(hz).toBeLessThan(Math.min(hx, hy));
      expect(cz + hz).toBeGreaterThan(3);
      expect(cz - hz).toBeGreaterThan(-12);
    }
  });

  it('is deterministic: a forced rebuild elsewhere gives the same bytes', async () => {
    const second = await ensureHeritageTilesets({ outDir: path.join(root, 'b'), force: true });
    for (const [code, site] of Object.entries(first.sites)) {
      const [a, b] = [await readTilesetFolder(site.folder), await readTilesetFolder(second.sites[code]!.folder)];
      expect([...b.keys()]).toEqual([...a.keys()]);
      for (const [file, bytes] of a) expect(Buffer.compare(Buffer.from(bytes), Buffer.from(b.get(file)!)), `${code}/${file}`).toBe(0);
      expect(second.sites[code]!.version).toBe(site.version);
    }
  }, 120_000);

  it('skips sites that are up to date', async () => {
    const log: string[] = [];
    const again = await ensureHeritageTilesets({ outDir: path.join(root, 'a'), log: (line) => log.push(line) });
    expect(log.every((line) => line.endsWith(')') && line.includes('up to date'))).toBe(true);
    expect(again.sites).toEqual(first.sites);
  });

  it('survives two builds at once into the same folder', async () => {
    const out = path.join(root, 'c');
    const [x, y] = await Promise.all([ensureHeritageTilesets({ outDir: out }), ensureHeritageTilesets({ outDir: out })]);
    expect(x.sites).toEqual(y.sites);
    for (const [code, site] of Object.entries(x.sites)) {
      expect(site.version).toBe(first.sites[code]!.version);
      expect(tilesetVersion(await readTilesetFolder(site.folder))).toBe(site.version);
    }
  }, 120_000);
});
