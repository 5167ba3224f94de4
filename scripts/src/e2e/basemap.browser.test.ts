import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestServer } from '@bandoso/api/testing';
import { describeInBrowser, desktopViewport, launchBrowser, newContext, screenshotPath } from './browser.ts';
import { waitForIdleMap, waitForRenderedFeatures } from './map-page.ts';
import { startBrowserPlatform } from './platform.ts';

/**
 * A deployment with a base map (BASEMAP_STYLE_URL): its style, from another host, is drawn under the
 * platform's layers. The base-map host here is a small server of the test's own (this machine has no
 * internet): a style with a background, a land polygon and a label in a font the platform does not
 * have, and a glyphs URL of its own, which the composed style replaces with the platform's.
 */
describeInBrowser('a deployment with a base-map style', () => {
  let basemap: http.Server;
  let basemapOrigin: string;
  const basemapRequests: string[] = [];
  let platform: TestServer;
  let browser: Browser;

  const style = () => ({
    version: 8,
    name: 'Test base map',
    glyphs: `${basemapOrigin}/fonts/{fontstack}/{range}.pbf`,
    sources: {
      land: {
        type: 'geojson',
        data: {
          type: 'Feature',
          properties: { name: 'Đất liền' },
          geometry: { type: 'Polygon', coordinates: [[[101.5, 20.5], [104.5, 20.5], [104.5, 23], [101.5, 23], [101.5, 20.5]]] },
        },
      },
    },
    layers: [
      { id: 'basemap-background', type: 'background', paint: { 'background-color': '#cfe3f0' } },
      { id: 'basemap-land', type: 'fill', source: 'land', paint: { 'fill-color': '#e8efe0' } },
      { id: 'basemap-label', type: 'symbol', source: 'land', layout: { 'text-field': ['get', 'name'], 'text-font': ['Open Sans Regular'] } },
    ],
  });

  beforeAll(async () => {
    basemap = http.createServer((request, response) => {
      basemapRequests.push(request.url ?? '');
      // Base-map hosts serve styles to pages of other origins.
      response.setHeader('Access-Control-Allow-Origin', '*');
      if (request.url === '/style.json') return void response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(style()));
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => basemap.listen(0, '127.0.0.1', resolve));
    basemapOrigin = `http://127.0.0.1:${(basemap.address() as AddressInfo).port}`;
    [platform, browser] = await Promise.all([startBrowserPlatform({ BASEMAP_STYLE_URL: `${basemapOrigin}/style.json` }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
    await new Promise((resolve) => basemap?.close(resolve));
  });

  it('draws the base map under the platform layers, with the platform glyphs for every label', async () => {
    const context = await newContext(browser, { viewport: desktopViewport });
    try {
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`${platform.baseUrl}/`);
      await waitForRenderedFeatures(page, ['basemap-land', 'boundaries-commune-fill']);
      await waitForIdleMap(page);

      const composed = await page.evaluate(() => {
        const map = (window as unknown as { bandoso: { map: { getStyle(): { glyphs?: string; layers: Array<{ id: string }> } } } }).bandoso.map;
        const current = map.getStyle();
        return { glyphs: current.glyphs, layers: current.layers.map((layer) => layer.id) };
      });
      // The base map first, then every platform layer on top of it.
      expect(composed.layers.slice(0, 3)).toEqual(['basemap-background', 'basemap-land', 'basemap-label']);
      expect(composed.layers.indexOf('boundaries-commune-fill')).toBeGreaterThan(composed.layers.indexOf('basemap-label'));
      // One glyph source for the whole style: the platform's, which answers any font name with Noto Sans.
      expect(composed.glyphs).toMatch(new RegExp(`^${platform.baseUrl}/fonts/\\{fontstack\\}/\\{range\\}\\.pbf$`));
      await waitForRenderedFeatures(page, ['basemap-label']);
      expect(requests.some((url) => url.startsWith(`${platform.baseUrl}/fonts/Open%20Sans%20Regular/`))).toBe(true);
      // From the base-map host, only its style: no glyph request went there.
      expect(basemapRequests).toEqual(expect.arrayContaining(['/style.json']));
      expect(basemapRequests.filter((url) => url !== '/style.json')).toEqual([]);
      await page.screenshot({ path: screenshotPath('basemap-style') });
    } finally {
      await context.close();
    }
  });
});
