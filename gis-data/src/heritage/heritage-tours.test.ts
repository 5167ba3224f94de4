import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { heritageStopSchema, type HeritageStop } from '@bandoso/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSiteTileset } from './build-tileset.ts';
import { readSitePositions } from './ensure-tilesets.ts';
import { generatedSites } from './sites/index.ts';

const toursFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../sample/heritage-tours.json');
/** How far (m) a target may lie outside the model's bounding box. */
const TARGET_PADDING = 10;
/** The camera's farthest horizontal distance (m) from the site's origin. */
const MAX_DISTANCE = 600;

let tours: Record<string, { stops: unknown[] }>;
let text: string;
const rootBoxes = new Map<string, number[]>();

beforeAll(async () => {
  text = await readFile(toursFile, 'utf8');
  tours = JSON.parse(text) as typeof tours;
  const positions = await readSitePositions();
  for (const site of generatedSites) {
    const files = await buildSiteTileset(site, positions.get(site.code)!);
    const tileset = JSON.parse(new TextDecoder().decode(files.get('tileset.json'))) as { root: { boundingVolume: { box: number[] } } };
    rootBoxes.set(site.code, tileset.root.boundingVolume.box);
  }
}, 60_000);

describe('sample/heritage-tours.json', () => {
  it('has a tour of at least five stops for every generated site, and nothing else', () => {
    expect(Object.keys(tours).sort()).toEqual(generatedSites.map((site) => site.code).sort());
    for (const site of generatedSites) expect(tours[site.code]!.stops.length, site.code).toBeGreaterThanOrEqual(5);
  });

  it('is valid against the shared contract, with ordinals 1, 2, 3…', () => {
    for (const [code, tour] of Object.entries(tours)) {
      const stops = tour.stops.map((stop) => heritageStopSchema.parse(stop));
      expect(stops.map((stop) => stop.ordinal), code).toEqual(stops.map((_, i) => i + 1));
    }
  });

  it('is Unicode NFC, with Vietnamese diacritics in the Vietnamese texts', () => {
    expect(text.normalize('NFC')).toBe(text);
    for (const [code, tour] of Object.entries(tours)) {
      for (const stop of tour.stops as HeritageStop[]) {
        for (const field of [stop.title, stop.narration]) {
          expect(field.vi.trim(), code).not.toBe('');
          expect(field.en.trim(), code).not.toBe('');
          expect(field.vi, `${code} ${stop.ordinal}`).toMatch(/[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i);
          expect(field.en, `${code} ${stop.ordinal}`).not.toBe(field.vi);
        }
      }
    }
  });

  it('tells the campaign’s key dates', () => {
    const all = Object.values(tours)
      .flatMap((tour) => (tour.stops as HeritageStop[]).flatMap((stop) => [stop.narration.vi, stop.narration.en]))
      .join('\n');
    for (const fact of ['13/3', '7/5/1954', '6/5/1954', '2004', '“đánh nhanh, thắng nhanh”', '“đánh chắc, tiến chắc”', '13 March', '7 May 1954', '6 May 1954', '960 kg']) expect(all).toContain(fact);
  });

  it('stands every camera near its site, above the ground, and aims it at the model', () => {
    for (const site of generatedSites) {
      const box = rootBoxes.get(site.code)!;
      const [cx, cy, cz, hx, , , , hy, , , , hz] = box as [number, number, number, number, number, number, number, number, number, number, number, number];
      for (const stop of tours[site.code]!.stops as HeritageStop[]) {
        const where = `${site.code} stop ${stop.ordinal}`;
        const [x, y, z] = stop.camera.position;
        expect(Math.hypot(x, y), where).toBeLessThanOrEqual(MAX_DISTANCE);
        expect(z - site.groundAt(x, y), `${where}: camera height above the ground`).toBeGreaterThanOrEqual(1.5);
        const [tx, ty, tz] = stop.camera.target;
        expect(Math.abs(tx - cx), `${where}: target east`).toBeLessThanOrEqual(hx + TARGET_PADDING);
        expect(Math.abs(ty - cy), `${where}: target north`).toBeLessThanOrEqual(hy + TARGET_PADDING);
        expect(Math.abs(tz - cz), `${where}: target up`).toBeLessThanOrEqual(hz + TARGET_PADDING);
        expect(Math.hypot(tx - x, ty - y, tz - z), `${where}: the camera looks somewhere`).toBeGreaterThan(2);
      }
    }
  });
});
