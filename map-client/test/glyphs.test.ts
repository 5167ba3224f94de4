import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeGlyphRange } from '../src/map/glyph-pbf.ts';
import { buildGlyphs, fontStacks, glyphRanges } from '../tools/build-glyphs.ts';

const clientRoot = fileURLToPath(new URL('../', import.meta.url));
const glyphDirectory = path.join(clientRoot, 'glyphs');
const sampleDirectory = path.join(clientRoot, '..', 'gis-data', 'sample');

function glyphIds(stack: string): Set<number> {
  const ids = new Set<number>();
  for (const [start, end] of glyphRanges) {
    const range = decodeGlyphRange(fs.readFileSync(path.join(glyphDirectory, stack, `${start}-${end}.pbf`)));
    expect(range.name).toBe(stack);
    expect(range.range).toBe(`${start}-${end}`);
    for (const glyph of range.glyphs) if (glyph.id === 32 || glyph.bitmap?.length) ids.add(glyph.id);
  }
  return ids;
}

/** Every name a label may show: units, heritage sites, facilities, planning zones. */
function sampleLabelText(): string {
  const texts: string[] = [];
  for (const file of fs.readdirSync(sampleDirectory).filter((name) => name.endsWith('.geojson'))) {
    const collection = JSON.parse(fs.readFileSync(path.join(sampleDirectory, file), 'utf8')) as { features: { properties: Record<string, unknown> }[] };
    for (const feature of collection.features) {
      for (const key of ['name', 'name_vi', 'name_en', 'zone_code', 'zone_name', 'land_use_name', 'code']) {
        const value = feature.properties[key];
        if (typeof value === 'string') texts.push(value);
      }
    }
  }
  return texts.join(' ');
}

describe('the committed glyphs', () => {
  it('cover every character of every sample label, and all of Vietnamese, in both weights', () => {
    const vietnamese = 'aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY' + 'àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ';
    const needed = new Set([...(sampleLabelText() + vietnamese + vietnamese.toUpperCase() + '0123456789 –-().,/')].map((character) => character.codePointAt(0)!));
    for (const stack of fontStacks) {
      const ids = glyphIds(stack.name);
      const missing = [...needed].filter((codePoint) => !ids.has(codePoint)).map((codePoint) => String.fromCodePoint(codePoint));
      expect(missing, stack.name).toEqual([]);
    }
  });

  it('ship with the font licence (SIL OFL 1.1)', () => {
    expect(fs.readFileSync(path.join(glyphDirectory, 'OFL.txt'), 'utf8')).toMatch(/SIL Open Font License, Version 1\.1/);
    expect(fs.readFileSync(path.join(glyphDirectory, 'README.md'), 'utf8')).toMatch(/npm run glyphs/);
  });

  // fontnik is a native module with prebuilt binaries for linux/macOS x64/arm64; elsewhere, skip.
  const fontnikLoads = (() => {
    try {
      createRequire(import.meta.url)('fontnik');
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!fontnikLoads)('are what the build tool makes today, byte for byte (regenerate with npm run glyphs)', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'glyphs-'));
    try {
      const files = await buildGlyphs(directory);
      expect(files.length).toBe(fontStacks.length * glyphRanges.length);
      for (const stack of fontStacks) {
        for (const [start, end] of glyphRanges) {
          const name = path.join(stack.name, `${start}-${end}.pbf`);
          expect(fs.readFileSync(path.join(directory, name)).equals(fs.readFileSync(path.join(glyphDirectory, name))), name).toBe(true);
        }
      }
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
