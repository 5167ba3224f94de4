import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { fallbackClientConfig } from '../src/app/client-config.ts';
import { buildOfflineStyle, composeWithBasemap, type ComposeOptions } from '../src/map/map-style.ts';
import type { OverlayId } from '../src/map/map-overlay.ts';
import { knownTileLayers, readTileCatalog, tileJsonUrl } from '../src/map/tile-catalog.ts';
import { allOverlays } from '../src/overlays/index.ts';
import { landUseCodes } from '../src/overlays/planning-overlay.ts';
import { landUseColours } from '../src/map/map-colours.ts';

const origin = 'http://127.0.0.1:3000';

function options(available: readonly string[] = knownTileLayers, hasBasemap = false): ComposeOptions {
  return {
    overlays: allOverlays,
    availableTileLayers: new Set(available),
    visibleOverlays: new Set<OverlayId>(['boundaries', 'heritage']),
    context: { config: fallbackClientConfig, language: 'vi', hasBasemap, origin, tileJsonUrl: (layer) => tileJsonUrl('/tiles', layer, origin) },
  };
}

describe('the offline style', () => {
  const style = buildOfflineStyle(options());

  it('is a valid MapLibre style', () => {
    expect(validateStyleMin(style)).toEqual([]);
  });

  it('takes every source from the platform TileJSON contract and every glyph from the platform', () => {
    for (const [id, source] of Object.entries(style.sources)) {
      expect(source.type, id).toBe('vector');
      expect((source as { url: string }).url, id).toBe(`${origin}/tiles/${id}.json`);
    }
    expect(Object.keys(style.sources).sort()).toEqual([...knownTileLayers].sort());
    expect(style.glyphs).toMatch(/\/fonts\/\{fontstack\}\/\{range\}\.pbf$/);
    expect(style.sprite).toBeUndefined();
    for (const layer of style.layers) {
      if ('source-layer' in layer) expect(layer['source-layer'], layer.id).toBe(layer.source);
      const fonts = (layer.layout as { 'text-font'?: string[] } | undefined)?.['text-font'];
      if (fonts) for (const font of fonts) expect(['Noto Sans Regular', 'Noto Sans Bold'], layer.id).toContain(font);
    }
    expect(JSON.stringify(style)).not.toMatch(/https?:\/\/(?!127\.0\.0\.1:3000)/);
  });

  it('draws polygons, then lines, then points, then labels, whatever overlay they come from', () => {
    const order = style.layers.map((layer) => layer.type);
    const rank = { background: 0, fill: 1, line: 2, circle: 3, symbol: 4 } as Record<string, number>;
    const ranks = order.map((type) => rank[type]!);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(style.layers.map((layer) => layer.id)).size).toBe(style.layers.length);
    for (const layer of style.layers.slice(1)) expect(allOverlays.some((overlay) => layer.id.startsWith(`${overlay.id}-`)), layer.id).toBe(true);
  });

  it('shows the overlays asked for and hides the others', () => {
    const visibility = (id: string) => (style.layers.find((layer) => layer.id === id)?.layout as { visibility?: string }).visibility;
    expect(visibility('boundaries-commune-label')).toBe('visible');
    expect(visibility('heritage-point')).toBe('visible');
    expect(visibility('planning-fill')).toBe('none');
    expect(visibility('cameras-point')).toBe('none');
  });

  it('leaves out an overlay whose tile layers the platform does not serve', () => {
    const partial = buildOfflineStyle(options(['province', 'communes', 'commune-labels', 'planning-zones']));
    expect(Object.keys(partial.sources).sort()).toEqual(['commune-labels', 'communes', 'planning-zones', 'province']);
    expect(partial.layers.some((layer) => layer.id.startsWith('reports-'))).toBe(false);
    expect(validateStyleMin(partial)).toEqual([]);
  });

  it('colours planning zones by land-use code with the colours of gis-data/README.md', () => {
    const fill = style.layers.find((layer) => layer.id === 'planning-fill') as { paint: { 'fill-color': unknown[] } };
    const expression = fill.paint['fill-color'];
    for (const code of landUseCodes) {
      const index = expression.indexOf(code);
      expect(index, code).toBeGreaterThan(0);
      expect(expression[index + 1], code).toBe(landUseColours[code]);
    }
    expect(landUseColours).toMatchObject({ DO: '#F9D976', TMDV: '#E8505B', CX: '#5DBB63', MN: '#5DADE2', DT: '#8B5A2B' });
  });
});

describe('a base map underneath (BASEMAP_STYLE_URL)', () => {
  it('keeps the base map layers first, adds the platform layers on top, and serves glyphs from the platform', () => {
    const basemap = {
      version: 8 as const,
      glyphs: 'https://tiles.example.vn/fonts/{fontstack}/{range}.pbf',
      sources: { osm: { type: 'vector' as const, url: 'https://tiles.example.vn/osm.json' } },
      layers: [{ id: 'land', type: 'background' as const, paint: { 'background-color': '#eee' } }],
    };
    const composed = composeWithBasemap(basemap, options(knownTileLayers, true));
    expect(composed.layers[0]!.id).toBe('land');
    expect(composed.sources.osm).toBeDefined();
    expect(composed.sources.communes).toBeDefined();
    expect(composed.glyphs).toBe(`${origin}/fonts/{fontstack}/{range}.pbf`);
    const provinceFill = composed.layers.find((layer) => layer.id === 'boundaries-province-fill') as { paint: { 'fill-opacity': number } };
    expect(provinceFill.paint['fill-opacity']).toBeLessThan(0.5);
    expect(validateStyleMin(composed)).toEqual([]);
  });
});

describe('the tile catalog', () => {
  it('reads the usual shapes of a catalog', () => {
    expect([...readTileCatalog([{ id: 'communes' }, { id: 'province' }])]).toEqual(['communes', 'province']);
    expect([...readTileCatalog({ layers: [{ id: 'reports', tilejson: '/tiles/reports.json' }] })]).toEqual(['reports']);
    expect([...readTileCatalog({ layers: { communes: { tilejson: '/tiles/communes.json' } } })]).toEqual(['communes']);
    expect([...readTileCatalog(['cameras'])]).toEqual(['cameras']);
  });
});
