/**
 * Builds the map's label glyphs: SDF glyph PBFs (`glyphs/{fontstack}/{start}-{end}.pbf`) for the
 * Unicode ranges Vietnamese needs, from Noto Sans (SIL OFL 1.1) as shipped by @fontsource/noto-sans.
 *
 *   npm run glyphs -w @bandoso/map-client
 *
 * Why committed output: the platform must render Vietnamese labels with no internet, and `npm start`
 * must not depend on a native tool. fontnik (Mapbox's FreeType-based SDF generator, prebuilt binaries
 * inside its npm package) runs only here, when the glyphs are regenerated; the output is deterministic.
 *
 * @fontsource ships the font split into unicode subsets (latin, latin-ext, vietnamese) as WOFF files;
 * fontnik renders a range from each subset and the glyphs are merged by code point.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { decodeGlyphRange, encodeGlyphRange, type Glyph } from '../src/map/glyph-pbf.ts';

const require = createRequire(import.meta.url);
const clientRoot = fileURLToPath(new URL('../', import.meta.url));

/** Basic Latin + Latin-1, Latin Extended-A/B (ă đ ĩ ũ ơ ư), combining marks, Latin Extended Additional (ạ ả ấ … ỹ). */
export const glyphRanges: readonly (readonly [number, number])[] = [
  [0, 255],
  [256, 511],
  [768, 1023],
  [7680, 7935],
  // General punctuation: – — ‘ ’ “ ” … used in names and addresses.
  [8192, 8447],
];

export const fontStacks = [
  { name: 'Noto Sans Regular', weight: 400, style: 'normal' },
  { name: 'Noto Sans Bold', weight: 700, style: 'normal' },
  // Water names (rivers, lakes) in the base map style, as cartographic convention has it.
  { name: 'Noto Sans Italic', weight: 400, style: 'italic' },
] as const;

const subsets = ['vietnamese', 'latin-ext', 'latin'] as const;

interface Fontnik {
  range(options: { font: Buffer; start: number; end: number }, callback: (error: Error | null, data: Buffer) => void): void;
}

function renderRange(fontnik: Fontnik, font: Buffer, start: number, end: number): Promise<Buffer> {
  return new Promise((resolve, reject) => fontnik.range({ font, start, end }, (error, data) => (error ? reject(error) : resolve(data))));
}

export async function buildGlyphs(outputDirectory = path.join(clientRoot, 'glyphs')): Promise<string[]> {
  const fontnik = require('fontnik') as Fontnik;
  const fontDirectory = path.join(path.dirname(require.resolve('@fontsource/noto-sans/package.json')), 'files');
  const written: string[] = [];
  for (const stack of fontStacks) {
    const fonts = subsets.map((subset) => fs.readFileSync(path.join(fontDirectory, `noto-sans-${subset}-${stack.weight}-${stack.style}.woff`)));
    const stackDirectory = path.join(outputDirectory, stack.name);
    fs.mkdirSync(stackDirectory, { recursive: true });
    for (const [start, end] of glyphRanges) {
      const byCodePoint = new Map<number, Glyph>();
      for (const font of fonts) {
        for (const glyph of decodeGlyphRange(await renderRange(fontnik, font, start, end)).glyphs) {
          // The subsets come from one font; the first subset that has a code point wins.
          if (!byCodePoint.has(glyph.id)) byCodePoint.set(glyph.id, glyph);
        }
      }
      const glyphs = [...byCodePoint.values()].sort((a, b) => a.id - b.id);
      const file = path.join(stackDirectory, `${start}-${end}.pbf`);
      fs.writeFileSync(file, encodeGlyphRange({ name: stack.name, range: `${start}-${end}`, glyphs }));
      written.push(path.relative(clientRoot, file));
    }
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const files = await buildGlyphs();
  for (const file of files) console.log(`${file}  ${fs.statSync(path.join(clientRoot, file)).size} bytes`);
}
