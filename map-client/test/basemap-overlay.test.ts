import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { fallbackClientConfig } from '../src/app/client-config.ts';
import { buildDefaultStyle } from '../src/map/default-style.ts';
import { buildOfflineStyle, composeWithBasemap, type ComposeOptions } from '../src/map/map-style.ts';
import type { OverlayId } from '../src/map/map-overlay.ts';
import { knownTileLayers, tileJsonUrl } from '../src/map/tile-catalog.ts';
import { basemapTileLayers, italicFontStack } from '../src/overlays/basemap-overlay.ts';
import { allOverlays } from '../src/overlays/index.ts';

const origin = 'http://127.0.0.1:3000';
const withBasemap = [...knownTileLayers, ...basemapTileLayers];
const glyphDirectory = fileURLToPath(new URL('../glyphs/', import.meta.url));

function options(available: readonly string[], hasBasemap = false): ComposeOptions {
  return {
    overlays: allOverlays,
    availableTileLayers: new Set(available),
    visibleOverlays: new Set<OverlayId>(allOverlays.filter((overlay) => overlay.visibleByDefault).map((overlay) => overlay.id)),
    context: { config: fallbackClientConfig, language: 'vi', hasBasemap, origin, tileJsonUrl: (layer) => tileJsonUrl('/tiles', layer, origin) },
  };
}
const ids = (layers: readonly { id: string }[]) => layers.map((layer) => layer.id);

describe('the OpenStreetMap base map overlay', () => {
  const style = buildOfflineStyle(options(withBasemap));
  const layerIds = ids(style.layers);
  const basemapLayers = layerIds.filter((id) => id.startsWith('basemap-'));

  it('is a valid style, with a source per base map tile layer, on the platform', () => {
    expect(validateStyleMin(style)).toEqual([]);
    for (const layer of basemapTileLayers) expect((style.sources[layer] as { url: string }).url).toBe(`${origin}/tiles/${layer}.json`);
  });

  it('lies on the ground (the province) and under every platform layer, its labels included', () => {
    expect(layerIds.slice(0, 2)).toEqual(['background', 'boundaries-province-fill']);
    const first = layerIds.indexOf(basemapLayers[0]!);
    const last = layerIds.indexOf(basemapLayers.at(-1)!);
    expect(first).toBe(2);
    expect(last - first + 1).toBe(basemapLayers.length);
    expect(basemapLayers).toEqual(expect.arrayContaining(['basemap-road-line', 'basemap-road-casing', 'basemap-waterway-line', 'basemap-water-fill', 'basemap-road-label', 'basemap-place-major-label']));
    // The province keeps its opaque fill: the base map draws on it, and hiding the base map gives today's map back.
    const province = style.layers.find((layer) => layer.id === 'boundaries-province-fill') as { paint: Record<string, unknown> };
    expect(province.paint['fill-opacity']).toBe(1);
    expect(layerIds.indexOf('basemap-road-casing')).toBeLessThan(layerIds.indexOf('basemap-road-line'));
  });

  it('labels in Vietnamese with the platform glyphs, water names in the italic face the platform ships', () => {
    for (const layer of style.layers.filter((item) => item.id.startsWith('basemap-') && item.type === 'symbol')) {
      const layout = layer.layout as { 'text-field': unknown; 'text-font': string[] };
      expect(JSON.stringify(layout['text-field']), layer.id).toContain('"name"');
      for (const font of layout['text-font']) expect(fs.existsSync(path.join(glyphDirectory, font, '7680-7935.pbf')), `${layer.id}: ${font}`).toBe(true);
    }
    const waterway = style.layers.find((layer) => layer.id === 'basemap-waterway-label')!;
    expect((waterway.layout as { 'text-font': string[] })['text-font']).toEqual([italicFontStack]);
  });

  it('is absent when the platform serves no base map: the map is as it was', () => {
    const without = buildOfflineStyle(options(knownTileLayers));
    expect(ids(without.layers).some((id) => id.startsWith('basemap-'))).toBe(false);
    expect(ids(without.layers)).toEqual(layerIds.filter((id) => !id.startsWith('basemap-')));
    expect(Object.keys(without.sources).some((id) => id.startsWith('basemap-'))).toBe(false);
  });

  it("gives way to a deployment's base map (BASEMAP_STYLE_URL)", () => {
    const deployment = { version: 8 as const, sources: {}, layers: [{ id: 'their-background', type: 'background' as const }] };
    const composed = composeWithBasemap(deployment, options(withBasemap, true));
    expect(ids(composed.layers).some((id) => id.startsWith('basemap-'))).toBe(false);
    expect(Object.keys(composed.sources).some((id) => id.startsWith('basemap-'))).toBe(false);
  });
});

describe('the published default style (/styles/default.json)', () => {
  it('is the client composition, absolute on the origin asked, with the overlays on by default visible', () => {
    const style = buildDefaultStyle({ config: fallbackClientConfig, origin: 'https://bando.dienbien.gov.vn', availableTileLayers: new Set(withBasemap) });
    expect(validateStyleMin(style)).toEqual([]);
    expect(style.glyphs).toBe('https://bando.dienbien.gov.vn/fonts/{fontstack}/{range}.pbf');
    for (const source of Object.values(style.sources)) expect((source as { url: string }).url).toMatch(/^https:\/\/bando\.dienbien\.gov\.vn\/tiles\/[a-z-]+\.json$/);
    const client = buildOfflineStyle({ ...options(withBasemap), context: { ...options(withBasemap).context, origin: 'https://bando.dienbien.gov.vn', tileJsonUrl: (layer) => tileJsonUrl('/tiles', layer, 'https://bando.dienbien.gov.vn') } });
    expect(style.layers).toEqual(client.layers);
    const visibility = (id: string) => (style.layers.find((layer) => layer.id === id)!.layout as { visibility: string }).visibility;
    expect(visibility('basemap-road-line')).toBe('visible');
    expect(visibility('reports-pin')).toBe('visible');
    expect(visibility('planning-fill')).toBe('none');
  });

  it("leaves the platform's base map out when the deployment has its own", () => {
    const style = buildDefaultStyle({ config: { ...fallbackClientConfig, basemapStyleUrl: 'https://tiles.example.vn/style.json' }, origin, availableTileLayers: new Set(withBasemap) });
    expect(ids(style.layers).some((id) => id.startsWith('basemap-'))).toBe(false);
  });
});
