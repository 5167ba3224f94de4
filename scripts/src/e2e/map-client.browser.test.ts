import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestServer } from '@bandoso/api/testing';
import { countDifferentPixels, jumpTo, renderedProperties, screenPoint, waitForIdleMap, waitForRenderedFeatures } from './map-page.ts';
import { describeInBrowser, desktopViewport, launchBrowser, newContext, phoneViewport, screenshotPath } from './browser.ts';
import { startBrowserPlatform } from './platform.ts';

describeInBrowser('the map client in Chromium, on the real platform', () => {
  let platform: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [platform, browser] = await Promise.all([startBrowserPlatform(), launchBrowser()]);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await platform?.close();
  });

  /** A page in a fresh context that records every request it makes and every page error. */
  async function openPage(path: string, options: Parameters<typeof newContext>[1] = {}): Promise<{ page: Page; requests: string[]; errors: string[] }> {
    const context = await newContext(browser, options);
    contexts.push(context);
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (request: Request) => requests.push(request.url()));
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${platform.baseUrl}${path}`);
    return { page, requests, errors };
  }

  it('renders the province and its communes from the platform tiles on a phone, asking nothing of other hosts', async () => {
    const { page, requests } = await openPage('/', { viewport: phoneViewport, isMobile: true, hasTouch: true });
    await waitForRenderedFeatures(page, ['boundaries-province-fill', 'boundaries-commune-fill'], 1);
    await waitForIdleMap(page);
    const communes = await renderedProperties(page, 'boundaries-commune-fill');
    const codes = new Set(communes.map((properties) => properties.code));
    // The whole province is in view: most of its 45 units are drawn.
    expect(codes.size).toBeGreaterThanOrEqual(30);
    expect(communes.every((properties) => typeof properties.name === 'string' && typeof properties.code === 'string')).toBe(true);
    const province = await renderedProperties(page, 'boundaries-province-fill');
    expect(province[0]).toMatchObject({ code: '11', name: 'Tỉnh Điện Biên' });

    const origin = new URL(platform.baseUrl).origin;
    const foreign = requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'));
    expect(foreign).toEqual([]);
    expect(requests.some((url) => /\/tiles\/communes\/\d+\/\d+\/\d+/.test(url))).toBe(true);
    expect(requests.some((url) => url.includes('/fonts/Noto%20Sans%20Regular/'))).toBe(true);
    expect(await page.locator('.emergency-button').isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('citizen-map-phone') });
  });

  it('draws Vietnamese labels with their diacritics from the platform glyphs (Xã Mường Phăng)', async () => {
    const { page, requests } = await openPage('/');
    await waitForRenderedFeatures(page, ['boundaries-commune-fill']);
    // Only the boundaries: report clusters stored by other tests in this worker's database take
    // precedence over commune labels where they collide (CI: the Mường Phăng label gave way to one).
    await page.evaluate(() => {
      const layers = (window as unknown as { bandoso: { layers: { setVisible(id: string, visible: boolean): void } } }).bandoso.layers;
      for (const overlay of ['reports', 'heritage', 'facilities', 'cameras']) layers.setVisible(overlay, false);
    });
    await jumpTo(page, [103.13, 21.45], 11);
    await waitForRenderedFeatures(page, ['boundaries-commune-label']);
    await waitForIdleMap(page);
    const labels = (await renderedProperties(page, 'boundaries-commune-label')).map((properties) => properties.name);
    expect(labels).toContain('Xã Mường Phăng');
    // Once each, though the communes span several tiles at this zoom.
    expect(labels.filter((name) => name === 'Xã Mường Phăng')).toHaveLength(1);
    expect(new Set(labels).size).toBe(labels.length);

    // The glyph ranges of "ư", "ă" (Latin Extended-A/B) and "ờ ạ ậ" (Latin Extended Additional) came from this platform.
    for (const range of ['0-255', '256-511']) expect(requests.some((url) => url.endsWith(`/fonts/Noto%20Sans%20Regular/${range}.pbf`)), range).toBe(true);
    const extended = await page.evaluate(async () => (await fetch('/fonts/Noto%20Sans%20Regular/7680-7935.pbf')).status);
    expect(extended).toBe(200);

    // And the text is really drawn: hiding the label layer changes many pixels.
    const withLabels = await page.locator('#map').screenshot();
    await page.screenshot({ path: screenshotPath('vietnamese-labels') });
    await page.evaluate(() => {
      const map = (window as unknown as { bandoso: { map: { setLayoutProperty(id: string, name: string, value: string): void } } }).bandoso.map;
      map.setLayoutProperty('boundaries-commune-label', 'visibility', 'none');
    });
    await waitForIdleMap(page);
    const withoutLabels = await page.locator('#map').screenshot();
    expect(await countDifferentPixels(page, withLabels, withoutLabels)).toBeGreaterThan(400);
  });

  it('switches every UI string between Vietnamese and English, and the heritage labels with them', async () => {
    const { page } = await openPage('/');
    await waitForRenderedFeatures(page, ['boundaries-commune-fill']);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.locator('.view-nav a[data-view="planning"]').textContent()).toBe('Quy hoạch');
    expect(await page.locator('.emergency-button').getAttribute('aria-label')).toMatch(/^Khẩn cấp/);

    await page.locator('.language-toggle').click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('.view-nav a[data-view="planning"]').textContent()).toBe('Planning');
    expect(await page.locator('.app-title').textContent()).toBe('Điện Biên digital map');
    expect(await page.locator('.emergency-button').getAttribute('aria-label')).toMatch(/^Emergency/);
    expect(await page.locator('.language-toggle').getAttribute('aria-label')).toBe('Chuyển sang tiếng Việt');
    expect(await page.locator('.layer-switcher legend').textContent()).toBe('Map layers');
    const heritageField = await page.evaluate(() => JSON.stringify((window as unknown as { bandoso: { map: { getLayoutProperty(id: string, name: string): unknown } } }).bandoso.map.getLayoutProperty('heritage-label', 'text-field')));
    expect(heritageField).toContain('name_en');
    await page.screenshot({ path: screenshotPath('english-ui') });

    // Remembered on this device.
    await page.reload();
    await page.waitForSelector('.view-nav');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.locator('.language-toggle').click();
    expect(await page.locator('.view-nav a[data-view="planning"]').textContent()).toBe('Quy hoạch');
  });

  it('lists the hotlines and the nearest police, fire and health stations with their distance (emergency)', async () => {
    const { page } = await openPage('/', {
      viewport: phoneViewport,
      isMobile: true,
      hasTouch: true,
      geolocation: { longitude: 103.0169, latitude: 21.386, accuracy: 25 },
      permissions: ['geolocation'],
    });
    await page.waitForSelector('.emergency-button');
    await page.locator('.emergency-button').click();
    const dialog = page.locator('dialog.emergency-dialog');
    expect(await dialog.isVisible()).toBe(true);
    for (const number of ['113', '114', '115']) expect(await dialog.locator(`a[href="tel:${number}"]`).first().isVisible(), number).toBe(true);
    await dialog.locator('.facility-police .facility-name').waitFor({ timeout: 20_000 });
    expect(await dialog.locator('.facility-police .facility-name').textContent()).toBe('Công an tỉnh Điện Biên');
    expect(await dialog.locator('.facility-police .facility-distance').textContent()).toMatch(/^cách \d+ m$/);
    expect(await dialog.locator('.facility-fire .facility-distance').textContent()).toMatch(/^cách [\d,]+ k?m$/);
    expect(await dialog.locator('.facility-hospital .facility-name').textContent()).toMatch(/\S/);
    expect(await dialog.textContent()).toMatch(/sai số khoảng 25 m/);
    await page.screenshot({ path: screenshotPath('emergency-panel') });

    // Escape closes it and gives the focus back to the button.
    await page.keyboard.press('Escape');
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('emergency-button'))).toBe(true);
  });

  it('opens the emergency dialog from the keyboard alone', async () => {
    const { page } = await openPage('/');
    await page.waitForSelector('.emergency-button');
    await page.locator('.emergency-button').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('dialog.emergency-dialog').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('tel:113');
  });

  it('lets a planner click a zone and read what applies there, with the changes of 2023 highlighted', async () => {
    const changes = (await (await fetch(`${platform.baseUrl}/api/planning/changes?plan=QHC-DBP&from=2016&to=2023`)).json()) as { changes: { zoneCode: string; bbox: number[] }[] };
    const zone = changes.changes.find((change) => change.zoneCode === 'TMDV-01')!;
    const [west, south, east, north] = zone.bbox as [number, number, number, number];
    const centre: [number, number] = [(west + east) / 2, (south + north) / 2];

    const { page } = await openPage('/planning', { viewport: desktopViewport });
    await page.waitForSelector('#planning-version');
    await waitForRenderedFeatures(page, ['planning-fill'], 10);
    await waitForIdleMap(page);
    const zones = await renderedProperties(page, 'planning-fill');
    expect(new Set(zones.map((properties) => properties.plan_version))).toEqual(new Set(['2023']));
    expect(zones.some((properties) => properties.land_use_code === 'DO')).toBe(true);
    // The zones that changed since 2016 are outlined.
    await waitForRenderedFeatures(page, ['planning-changed'], 1);

    const point = await screenPoint(page, centre);
    await page.mouse.click(point.x, point.y);
    const facts = page.locator('.zone-facts[data-zone-code="TMDV-01"]');
    await facts.waitFor({ timeout: 20_000 });
    expect(await facts.locator('.zone-land-use').textContent()).toBe('Đất thương mại – dịch vụ (TMDV)');
    expect(await facts.locator('.zone-floors').textContent()).toBe('12 tầng');
    expect(await facts.locator('.zone-height').textContent()).toBe('48 m');
    expect(await facts.locator('.zone-decision').textContent()).toMatch(/QĐ-UBND ngày \d{2}\/\d{2}\/\d{4}/);
    expect(await facts.locator('.zone-change').textContent()).toMatch(/Tầng cao tối đa/);
    await waitForRenderedFeatures(page, ['planning-selected'], 1);
    await page.screenshot({ path: screenshotPath('planner-zone') });

    // The 2016 version: the same place had 9 floors.
    await page.selectOption('#planning-version', '2016');
    await page.locator('.zone-facts[data-zone-code="TMDV-01"] .zone-floors', { hasText: '9 tầng' }).waitFor({ timeout: 20_000 });
    // The filter changes before the next frame is drawn: wait for a frame of 2016 zones only.
    await page.waitForFunction(
      () => {
        const map = (window as unknown as { bandoso: { map: { queryRenderedFeatures(options: object): { properties: Record<string, unknown> }[] } } }).bandoso.map;
        const versions = map.queryRenderedFeatures({ layers: ['planning-fill'] }).map((feature) => feature.properties.plan_version);
        return versions.length >= 10 && versions.every((version) => version === '2016');
      },
      undefined,
      { timeout: 45_000, polling: 100 },
    );
    expect(new Set((await renderedProperties(page, 'planning-fill')).map((properties) => properties.plan_version))).toEqual(new Set(['2016']));
  });

  it('measures a distance with turf', async () => {
    const { page } = await openPage('/planning');
    await page.waitForSelector('#planning-version');
    await page.getByRole('button', { name: 'Đo khoảng cách' }).click();
    await jumpTo(page, [103.0, 21.38], 14);
    await page.getByRole('button', { name: 'Thêm điểm ở tâm bản đồ' }).click();
    await jumpTo(page, [103.01, 21.38], 14);
    await page.getByRole('button', { name: 'Thêm điểm ở tâm bản đồ' }).click();
    // 0.01° of longitude at 21.38° N ≈ 1.036 km.
    expect(await page.locator('.measure-result').textContent()).toBe('Chiều dài: 1,0 km');
  });

  it('installs as a PWA and opens again with no connection: the shell, the glyphs and the tiles seen before', async () => {
    const { page, errors } = await openPage('/');
    const manifest = await page.evaluate(async () => (await fetch(document.querySelector<HTMLLinkElement>('link[rel="manifest"]')!.href)).json());
    expect(manifest).toMatchObject({ lang: 'vi', display: 'standalone', start_url: '/' });
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // Once the worker controls the page, a visit fills the runtime caches (tiles, glyphs, TileJSON).
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await waitForRenderedFeatures(page, ['boundaries-commune-fill', 'boundaries-commune-label']);
    await waitForIdleMap(page);

    await page.context().setOffline(true);
    await page.reload();
    await waitForRenderedFeatures(page, ['boundaries-commune-fill', 'boundaries-commune-label'], 1);
    expect((await renderedProperties(page, 'boundaries-commune-label')).some((properties) => /[ăâđêôơư]/i.test(String(properties.name)))).toBe(true);
    expect(await page.locator('.emergency-button').isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('offline-citizen-map') });
    await page.context().setOffline(false);
    expect(errors.filter((message) => /Uncaught/.test(message))).toEqual([]);
  });
});
