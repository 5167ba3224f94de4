import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../../config/config.ts';

/** What the map client needs to know about this deployment before it draws anything. */
export interface ClientConfig {
  /** A MapLibre style to draw under the platform's layers; null: the platform's own offline style. */
  basemapStyleUrl: string | null;
  /** [lon, lat] the map opens on when the whole province does not fit. */
  defaultCenter: [number, number];
  defaultZoom: number;
  /** [west, south, east, north] of the province, WGS84: the map opens fitted to it. */
  provinceBounds: [number, number, number, number];
  /** Where the tile catalog and each layer's TileJSON are (`{tiles}/{layer}.json`). */
  tilesUrl: string;
  /** MapLibre glyphs URL template, served by this platform (no font leaves the premises). */
  glyphsUrl: string;
  fontStacks: { regular: string; bold: string };
  defaultLanguage: 'vi';
}

/** The fonts the platform ships (map-client/glyphs); any other font name gets the regular one. */
export const FONT_STACKS = Object.freeze({ regular: 'Noto Sans Regular', bold: 'Noto Sans Bold' });

export function buildClientConfig(config: Pick<AppConfig, 'basemapStyleUrl'>): ClientConfig {
  return {
    basemapStyleUrl: config.basemapStyleUrl ?? null,
    defaultCenter: [103.02, 21.39],
    defaultZoom: 8,
    provinceBounds: [102.14, 20.88, 103.6, 22.55],
    tilesUrl: '/tiles',
    glyphsUrl: '/fonts/{fontstack}/{range}.pbf',
    fontStacks: { ...FONT_STACKS },
    defaultLanguage: 'vi',
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
 * that MapLibre draws what it can instead of reporting an error for every label.
 * Wire format: field 1 (fontstack, length-delimited) { field 1 name, field 2 range }.
 */
export function emptyGlyphRange(fontStack: string, start: number, end: number): Buffer {
  const name = Buffer.from(fontStack, 'utf8');
  const range = Buffer.from(`${start}-${end}`, 'utf8');
  const stack = Buffer.concat([lengthDelimited(1, name), lengthDelimited(2, range)]);
  return lengthDelimited(1, stack);
}

function lengthDelimited(field: number, payload: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(payload.length), payload]);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
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
