import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, insertTestReports, startTestServer, type TestDatabase, type TestServer } from '@bandoso/api/testing';
import { importBasemap } from '../../../api/src/modules/basemap/basemap-import.service.ts';
import { buildOsmFixture, osmFixtureNames } from '../../../gis-data/src/basemap/index.ts';
import { describeInBrowser, desktopViewport, launchBrowser, newContext, phoneViewport, screenshotPath } from './browser.ts';
import { jumpTo, renderedProperties, screenPoint, waitForIdleMap, waitForRenderedFeatures } from './map-page.ts';

type Database = TestDatabase['db'];
type Rgb = [number, number, number];

/** The citizen view zoomed into Điện Biên Phủ, over the fixture's streets. */
const view = { center: [103.024, 21.386] as [number, number], zoom: 16 };
/** On Đường Võ Nguyên Giáp (primary), between its vertices, and a report pinned on the same street further east. */
const onMainStreet: [number, number] = [103.023, 21.3868];
const pinOnMainStreet: [number, number] = [103.027, 21.3852];
/** basemapColours.majorRoad and palette.report.open (map-client). */
const primaryRoadColour: Rgb = [0xf7, 0xe2, 0xb0];
const openReportColour: Rgb = [0xf9, 0xa8, 0x25];

const views = [
  { name: 'phone', options: { viewport: phoneViewport, isMobile: true, hasTouch: true } },
  { name: 'desktop', options: { viewport: desktopViewport } },
] as const;
const languages = ['vi', 'en'] as const;

/**
 * The platform's own OpenStreetMap base map (issue 16) in Chromium: the project's OSM fixture imported
 * by the real importer (osmium) into a test database of this file's own (the worker's shared one stays
 * without a base map, as the other browser tests expect it), drawn under the platform's layers
 * by the real client, with its attribution. Screenshots before and after the import, phone and
 * desktop, in both languages.
 */
describeInBrowser('the OpenStreetMap base map, imported and drawn under the reports', () => {
  let platform: TestServer;
  let browser: Browser;
  let database: TestDatabase;
  let db: Database;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    [platform, browser] = await Promise.all([startTestServer(database), launchBrowser()]);
    db = database.db;
    await insertTestReports(db, [{ lon: pinOnMainStreet[0], lat: pinOnMainStreet[1], status: 'received' }]);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await platform?.close();
    await database?.close();
  });

  async function openCitizenView(options: Parameters<typeof newContext>[1], language: 'vi' | 'en'): Promise<{ page: Page; errors: string[] }> {
    const context = await newContext(browser, options);
    contexts.push(context);
    await context.addInitScript((language) => localStorage.setItem('bandoso.language', language), language);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${platform.baseUrl}/`);
    await waitForRenderedFeatures(page, ['boundaries-commune-fill']);
    await jumpTo(page, view.center, view.zoom);
    await waitForIdleMap(page);
    return { page, errors };
  }

  async function screenshots(stage: 'before' | 'after'): Promise<void> {
    for (const { name, options } of views) {
      for (const language of languages) {
        const { page } = await openCitizenView(options, language);
        if (stage === 'after') await waitForRenderedFeatures(page, ['basemap-road-line']);
        await waitForIdleMap(page);
        await page.screenshot({ path: screenshotPath(`basemap-${stage}-${name}-${language}`) });
        await page.context().close();
      }
    }
  }

  /** The colour drawn at a map coordinate (the page's pixel, decoded). */
  async function colourAt(page: Page, lngLat: [number, number]): Promise<Rgb> {
    const { x, y } = await screenPoint(page, lngLat);
    const png = await page.screenshot({ clip: { x: Math.round(x) - 1, y: Math.round(y) - 1, width: 3, height: 3 } });
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const centre = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
    return [data[centre]!, data[centre + 1]!, data[centre + 2]!];
  }
  const distance = (a: Rgb, b: Rgb) => Math.max(...a.map((value, index) => Math.abs(value - b[index]!)));

  it('looks as it always did before a base map is imported (screenshots)', async () => {
    const { rows } = await db.selectFrom('basemap_line').select((eb) => eb.fn.countAll<string>().as('count')).execute().then((result) => ({ rows: result }));
    expect(Number(rows[0]!.count)).toBe(0);
    // No base map imported: the catalog does not offer its layers, so the map draws none of it.
    const catalog = (await (await fetch(`${platform.baseUrl}/tiles`)).json()) as { layers: Array<{ id: string }> };
    expect(catalog.layers.filter((layer) => layer.id.startsWith('basemap-'))).toEqual([]);
    await screenshots('before');
  }, 240_000);

  it('imports the OSM fixture and draws its streets and river under the reports, with "© OpenStreetMap contributors"', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bandoso-osm-basemap-'));
    try {
      fs.writeFileSync(path.join(folder, 'fixture.osm'), buildOsmFixture());
      execFileSync('osmium', ['cat', '--overwrite', path.join(folder, 'fixture.osm'), '-o', path.join(folder, 'fixture.osm.pbf')]);
      const report = await importBasemap(db, { file: path.join(folder, 'fixture.osm.pbf'), clip: { kind: 'province' } });
      expect(report.status, report.problem).toBe('imported');
      const catalog = (await (await fetch(`${platform.baseUrl}/tiles`)).json()) as { layers: Array<{ id: string }> };
      expect(catalog.layers.filter((layer) => layer.id.startsWith('basemap-')).map((layer) => layer.id)).toHaveLength(7);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }

    const { page, errors } = await openCitizenView({ viewport: desktopViewport }, 'vi');
    await waitForRenderedFeatures(page, ['basemap-road-line', 'basemap-waterway-line', 'basemap-water-fill', 'basemap-building-fill', 'reports-pin']);
    await waitForIdleMap(page);

    // Rendered features, with their Vietnamese names.
    const roads = await renderedProperties(page, 'basemap-road-line');
    expect(roads.map((road) => road.name)).toEqual(expect.arrayContaining([osmFixtureNames.mainStreet, osmFixtureNames.secondStreet, osmFixtureNames.smallStreet]));
    expect(roads.find((road) => road.name === osmFixtureNames.mainStreet)).toMatchObject({ kind: 'road', class: 'primary' });
    expect((await renderedProperties(page, 'basemap-waterway-line')).map((river) => river.name)).toContain(osmFixtureNames.river);
    await waitForRenderedFeatures(page, ['basemap-road-label']);
    expect((await renderedProperties(page, 'basemap-road-label')).map((label) => label.name)).toContain(osmFixtureNames.mainStreet);

    // Every base map layer is drawn before (under) every platform layer.
    const order = await page.evaluate(() => (window as unknown as { bandoso: { map: { getStyle(): { layers: { id: string }[] } } } }).bandoso.map.getStyle().layers.map((layer) => layer.id));
    const lastBasemap = Math.max(...order.map((id, index) => (id.startsWith('basemap-') ? index : -1)));
    const platformLayers = order.filter((id) => id !== 'background' && id !== 'boundaries-province-fill' && !id.startsWith('basemap-'));
    for (const id of platformLayers) expect(order.indexOf(id), id).toBeGreaterThan(lastBasemap);

    // Pixels: labels off (a street name may lie on the sampled pixel), then the street's colour where
    // it runs, and the report pin's colour, not the street's, where the pin sits on it.
    await page.evaluate(() => {
      const map = (window as unknown as { bandoso: { map: { getStyle(): { layers: { id: string; type: string }[] }; setLayoutProperty(id: string, name: string, value: unknown): void } } }).bandoso.map;
      for (const layer of map.getStyle().layers) if (layer.type === 'symbol') map.setLayoutProperty(layer.id, 'visibility', 'none');
    });
    await waitForIdleMap(page);
    const road = await colourAt(page, onMainStreet);
    expect(distance(road, primaryRoadColour), `street pixel ${road.join(',')}`).toBeLessThanOrEqual(12);
    const pin = await colourAt(page, pinOnMainStreet);
    expect(distance(pin, openReportColour), `pin pixel ${pin.join(',')}`).toBeLessThanOrEqual(12);
    expect(distance(pin, primaryRoadColour)).toBeGreaterThan(40);

    // The licence: the attribution names OpenStreetMap, in both languages.
    const attribution = page.locator('.maplibregl-ctrl-attrib-inner');
    await expect.poll(() => attribution.textContent(), { timeout: 15_000 }).toContain('OpenStreetMap');
    expect(await attribution.isVisible()).toBe(true);
    await page.locator('.language-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await attribution.textContent()).toContain('OpenStreetMap');
    expect(await page.locator('.maplibregl-ctrl-attrib-button').getAttribute('title')).toBe('Show or hide the map data sources');
    // The layer panel offers it, and turning it off hides the base map and its attribution.
    await page.locator('.layers-toggle').click();
    const toggle = page.locator('#layer-toggle-basemap');
    expect(await page.locator('label[for="layer-toggle-basemap"]').textContent()).toContain('Base map (OpenStreetMap)');
    await toggle.uncheck();
    await expect.poll(() => attribution.textContent(), { timeout: 15_000 }).not.toContain('OpenStreetMap');
    await toggle.check();
    await expect.poll(() => attribution.textContent(), { timeout: 15_000 }).toContain('OpenStreetMap');
    expect(errors).toEqual([]);
  }, 240_000);

  it('shows the streets, the river and their names (screenshots after the import)', async () => {
    await screenshots('after');
  }, 240_000);
});
