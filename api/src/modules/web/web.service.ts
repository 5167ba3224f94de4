import fs from 'node:fs';
import path from 'node:path';
import { encodeGlyphRange } from '../../../../map-client/src/map/glyph-pbf.ts';
import type { ClientConfig } from '@bandoso/contracts';
import type { AppConfig } from '../../config/config.ts';

/** The fonts the platform ships (map-client/glyphs); any other font name gets the regular one. */
export const FONT_STACKS = Object.freeze({ regular: 'Noto Sans Regular', bold: 'Noto Sans Bold' });

/** What the map client needs to know about this deployment before it draws anything (`GET /api/client-config`). */
export function buildClientConfig(config: Pick<AppConfig, 'basemapStyleUrl'> & Partial<Pick<AppConfig, 'seedSampleData'>>): ClientConfig {
  return {
    basemapStyleUrl: config.basemapStyleUrl ?? null,
    defaultCenter: [103.02, 21.39],
    defaultZoom: 8,
    provinceBounds: [102.14, 20.88, 103.6, 22.55],
    tilesUrl: '/tiles',
    glyphsUrl: '/fonts/{fontstack}/{range}.pbf',
    fontStacks: { ...FONT_STACKS },
    defaultLanguage: 'vi',
    sampleData: config.seedSampleData ?? false,
  };
}

/**
 * The font directory that answers a requested font stack. A base map's style may ask for fonts the
 * platform does not have ("Open Sans Semibold,Arial Unicode MS Bold"); it gets Noto Sans of the
 * nearest weight rather than an error, so its labels still draw, diacritics included.
 */
export function resolveFontStack(requested: string, available: readonly string[]): string {
  const names = requested.split(',').map((name) => name.trim());
  const exact = names.find((name) => available.includes(name));
  if (exact) return exact;
  return /bold|black|heavy|semibold/i.test(names[0] ?? '') ? FONT_STACKS.bold : FONT_STACKS.regular;
}

/**
 * A valid glyph PBF with no glyphs: the answer for a range the fonts do not cover (CJK, emoji…), so
 * that MapLibre draws what it can instead of reporting an error for every label. Encoded by the
 * glyph build's own encoder, so both answers are the same format.
 */
export function emptyGlyphRange(fontStack: string, start: number, end: number): Buffer {
  const bytes = encodeGlyphRange({ name: fontStack, range: `${start}-${end}`, glyphs: [] });
  // A Buffer, not a bare Uint8Array: Express sends a Uint8Array as JSON.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Font stacks present in the glyph directory (one folder each). */
export function listFontStacks(glyphDirectory: string): string[] {
  if (!fs.existsSync(glyphDirectory)) return [];
  return fs
    .readdirSync(glyphDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function glyphFile(glyphDirectory: string, fontStack: string, start: number, end: number): string {
  return path.join(glyphDirectory, fontStack, `${start}-${end}.pbf`);
}
