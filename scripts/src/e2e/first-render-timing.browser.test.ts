import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { repositoryRoot, type TestServer } from '@bandoso/api/testing';
import { describeInBrowser, desktopViewport, launchBrowser, newContext } from './browser.ts';
import { startBrowserPlatform } from './platform.ts';

/**
 * Time from navigation to the first rendered features, in headless Chromium: the map client against
 * a bare MapLibre page that shows the same single layer (communes, from the same tiles, fitted to the
 * same bounds), in the same run, alternating, each load in a fresh browser context (empty cache, no
 * service worker). Prints the medians and their ratio and writes test-results/first-render-timing.json.
 */
const runs = Number(process.env.FIRST_RENDER_RUNS ?? 5);
const require = createRequire(import.meta.url);
const maplibreDirectory = path.dirname(require.resolve('maplibre-gl/dist/maplibre-gl.mjs'));

/** Runs in every page before its scripts: records when the first feature of `layer` is on screen. */
function recordFirstFeatures(layer: string): void {
  const poll = () => {
    const map = (window as unknown as { bandoso?: { map?: unknown }; bareMap?: unknown }).bandoso?.map ?? (window as unknown as { bareMap?: unknown }).bareMap;
    const typed = map as { getLayer(id: string): unknown; queryRenderedFeatures(options: object): unknown[] } | undefined;
    if (typed?.getLayer(layer) && typed.queryRenderedFeatures({ layers: [layer] }).length > 0) {
      (window as unknown as { firstFeaturesAt: number }).firstFeaturesAt = performance.now();
      return;
    }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
}

const barePage = (baseUrl: string) => `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/__bare/maplibre-gl.css">
<style>html,body{margin:0;height:100%}#map{position:absolute;inset:0}</style></head>
<body><div id="map"></div>
<script type="module">
import { Map, setWorkerUrl } from '/__bare/maplibre-gl.mjs';
setWorkerUrl('/__bare/maplibre-gl-worker.mjs');
window.bareMap = new Map({
  container: 'map',
  bounds: [[102.14, 20.88], [103.6, 22.55]],
  fitBoundsOptions: { padding: { top: 16, bottom: 16, left: 340, right: 400 } },
  style: { version: 8, sources: { communes: { type: 'vector', url: '${baseUrl}/tiles/communes.json' } },
    layers: [{ id: 'communes', type: 'fill', source: 'communes', 'source-layer': 'communes', paint: { 'fill-color': '#f4f1e8', 'fill-outline-color': '#8f8a7a' } }] },
});
</script></body></html>`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

describeInBrowser('first rendered features: the map client against a bare MapLibre page', () => {
  let platform: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [platform, browser] = await Promise.all([startBrowserPlatform(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  async function measure(kind: 'app' | 'bare'): Promise<number> {
    const context = await newContext(browser, { viewport: desktopViewport, serviceWorkers: 'block' });
    try {
      const page = await context.newPage();
      // The bare page and MapLibre's own files are answered from node_modules under the platform's origin.
      await page.route(`${platform.baseUrl}/__bare/**`, async (route) => {
        const name = new URL(route.request().url()).pathname.replace('/__bare/', '');
        if (name === 'index.html') return route.fulfill({ contentType: 'text/html', body: barePage(platform.baseUrl) });
        const file = path.join(maplibreDirectory, path.basename(name));
        return route.fulfill({ contentType: name.endsWith('.css') ? 'text/css' : 'text/javascript', body: fs.readFileSync(file) });
      });
      await page.addInitScript(recordFirstFeatures, kind === 'app' ? 'boundaries-commune-fill' : 'communes');
      await page.goto(kind === 'app' ? `${platform.baseUrl}/` : `${platform.baseUrl}/__bare/index.html`);
      await page.waitForFunction(() => typeof (window as unknown as { firstFeaturesAt?: number }).firstFeaturesAt === 'number', undefined, { timeout: 60_000, polling: 50 });
      // Awaited here, not returned as a promise: a returned promise lets `finally` close the context
      // while the evaluation is still in flight (CI once lost the page that way).
      return await page.evaluate(() => (window as unknown as { firstFeaturesAt: number }).firstFeaturesAt);
    } finally {
      await context.close();
    }
  }

  it(`measures ${runs} loads of each, alternating, and reports the ratio of the medians`, async () => {
    // One load of each first, not counted: it warms the server's tile cache for both alike.
    await measure('bare');
    await measure('app');
    const app: number[] = [];
    const bare: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      bare.push(await measure('bare'));
      app.push(await measure('app'));
    }
    const result = {
      measuredAt: new Date().toISOString(),
      browser: browser.version(),
      viewport: desktopViewport,
      runs,
      appMs: app.map(Math.round),
      bareMs: bare.map(Math.round),
      appMedianMs: Math.round(median(app)),
      bareMedianMs: Math.round(median(bare)),
      ratio: Number((median(app) / median(bare)).toFixed(2)),
    };
    fs.mkdirSync(path.join(repositoryRoot, 'test-results'), { recursive: true });
    fs.writeFileSync(path.join(repositoryRoot, 'test-results', 'first-render-timing.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `first rendered features (median of ${runs}): map client ${result.appMedianMs} ms, bare MapLibre ${result.bareMedianMs} ms, ratio ${result.ratio}\n` +
        `  app ${result.appMs.join(', ')} ms; bare ${result.bareMs.join(', ')} ms`,
    );
    expect(result.appMedianMs).toBeGreaterThan(0);
    // A loose guard against a regression that makes the page several times slower than MapLibre alone.
    expect(result.ratio).toBeLessThan(4);
  }, 300_000);
});
