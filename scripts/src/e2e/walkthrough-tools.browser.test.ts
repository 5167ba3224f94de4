import type { BrowserContextOptions, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { getSharedTestDatabase, pointInUnit, submitTestReport } from '@bandoso/api/testing';
import { describeInBrowser, desktopViewport, phoneViewport, screenshotPath } from './browser.ts';
import { jumpTo, renderedProperties, screenPoint, waitForIdleMap, waitForRenderedFeatures } from './map-page.ts';
import { useBrowserPlatform } from './browser-platform.ts';

/**
 * Issue 17, "broken tools" (points 11–16), as a citizen, a planner and an operator meet them on a
 * 390×844 phone and a desktop: area measurement, a reload with no connection, taps on the platform's
 * own places, how fast names come into view, and a signed-out visit to the IOC.
 */
type MapHandle = {
  getZoom(): number;
  getCenter(): { lng: number; lat: number };
  jumpTo(options: object): void;
  fitBounds(bounds: [[number, number], [number, number]], options: object): void;
  queryRenderedFeatures(options?: object): { properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } }[];
  getLayer(id: string): unknown;
  getLayoutProperty(id: string, name: string): unknown;
  setLayerZoomRange(id: string, min: number, max: number): void;
  scrollZoom: { setWheelZoomRate(rate: number): void };
  isMoving(): boolean;
};

const phone: BrowserContextOptions = { viewport: phoneViewport, isMobile: true, hasTouch: true };
const desktop: BrowserContextOptions = { viewport: desktopViewport };
/** The provincial city (client-config.ts `provincialCity`). */
const city = { centre: [103.016, 21.386] as [number, number], bounds: [102.96, 21.345, 103.07, 21.425] as const };

describeInBrowser('walk-through fixes: map tools, taps, offline start (issue 17, points 11–16)', () => {
  const harness = useBrowserPlatform();
  const { openPage } = harness;

  const mapValue = <T>(page: Page, read: (map: MapHandle) => T) => page.evaluate(`(${read.toString()})(window.bandoso.map)`) as Promise<T>;

  it('11. an area measured stays a closed polygon with its area after "Xong"; a length still measures a length (phone and desktop)', async () => {
    for (const [device, options] of [['phone', phone], ['desktop', desktop]] as const) {
      const { page, errors } = await openPage('/planning', options);
      await page.waitForSelector('#planning-version', { timeout: 60_000 });
      await waitForIdleMap(page);
      // Points in the upper part of the map, clear of a phone's bottom panel.
      const box = (await page.locator('#map').boundingBox())!;
      // Between the desktop's side panels (the layers on the left, the view's panel on the right).
      const corners: [number, number][] = [[0.36, 0.2], [0.6, 0.2], [0.6, 0.4], [0.36, 0.4]];
      await page.getByRole('button', { name: 'Đo diện tích' }).click();
      for (const [x, y] of corners) {
        await page.mouse.click(box.x + box.width * x, box.y + box.height * y);
        await page.waitForTimeout(150);
      }
      const result = page.locator('.measure-result');
      await page.screenshot({ path: screenshotPath(`walkthrough-11-area-drawing-${device}-vi`) });
      await expect.poll(() => result.textContent(), { timeout: 10_000 }).toMatch(/^Diện tích: /);
      const whileDrawing = await result.textContent();
      await page.getByRole('button', { name: 'Xong' }).click();
      // Before the fix: "Chiều dài: 183 km" (the m² read as metres) and an open line.
      expect(await result.textContent()).toBe(whileDrawing);
      await page.waitForFunction(() => (window as unknown as { bandoso: { map: MapHandle } }).bandoso.map.queryRenderedFeatures({ layers: ['measure-fill'] }).length > 0, undefined, { timeout: 10_000 });
      const shapes = await mapValue(page, (map) => map.queryRenderedFeatures({ layers: ['measure-fill'] }).map((feature) => feature.geometry.type));
      expect(shapes[0]).toBe('Polygon');
      await page.locator('.measure-result').scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath(`walkthrough-11-area-finished-${device}-vi`) });

      // The length mode still measures a length, open, before and after "Xong".
      await page.getByRole('button', { name: 'Đo khoảng cách' }).click();
      for (const [x, y] of corners.slice(0, 2)) {
        await page.mouse.click(box.x + box.width * x, box.y + box.height * y);
        await page.waitForTimeout(150);
      }
      await expect.poll(() => result.textContent(), { timeout: 10_000 }).toMatch(/^Chiều dài: /);
      await page.getByRole('button', { name: 'Xong' }).click();
      expect(await result.textContent()).toMatch(/^Chiều dài: [\d,.]+ (m|km)$/);
      await page.waitForTimeout(300);
      expect(await mapValue(page, (map) => map.queryRenderedFeatures({ layers: ['measure-fill'] }).length)).toBe(0);
      expect(errors).toEqual([]);
    }
  }, 240_000);

  it('12. a first visit, reloaded with no connection, draws the map from the cache, says the truth, and recovers by itself when the connection returns', async () => {
    const { page, context } = await openPage('/', desktop);
    await waitForRenderedFeatures(page, ['boundaries-commune-fill', 'boundaries-commune-label'], 1, 60_000);
    await waitForIdleMap(page);
    // The service worker installs after the first visit has loaded, then gets what that visit loaded.
    await page.waitForFunction(() => document.documentElement.dataset.offlineReady === 'true', undefined, { timeout: 90_000, polling: 250 });

    await context.setOffline(true);
    // The offline switch reaches the service worker's own requests too: a tile never seen is not there.
    const unseenTile = await page.evaluate(() => fetch('/tiles/communes/14/12980/7080.mvt').then((response) => response.status, () => 'failed'));
    expect(unseenTile).toBe('failed');
    await page.reload();
    // Before the fix: no TileJSON in the cache, a blank map and "…reload the page".
    await waitForRenderedFeatures(page, ['boundaries-commune-fill', 'boundaries-commune-label'], 1, 60_000);
    // Every status message shown (status-toast.ts may show several at once).
    const status = page.locator('.status-toasts');
    expect(await status.textContent()).not.toMatch(/tải lại trang/);
    await page.screenshot({ path: screenshotPath('walkthrough-12-offline-reload-desktop-vi') });

    // Somewhere never seen: nothing to draw offline, and the message says what will happen.
    const far: [number, number] = [102.42, 22.25];
    await jumpTo(page, far, 12.5);
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/ngoại tuyến: bản đồ sẽ tự tải khi có kết nối/);
    expect(await status.textContent()).not.toMatch(/tải lại trang/);
    await page.screenshot({ path: screenshotPath('walkthrough-12-offline-unseen-place-desktop-vi') });

    // Back online: the map loads what failed, with no reload (the page keeps its state).
    await page.evaluate(() => ((window as unknown as { beforeReconnect: boolean }).beforeReconnect = true));
    await context.setOffline(false);
    await waitForRenderedFeatures(page, ['boundaries-commune-fill'], 1, 60_000);
    await waitForIdleMap(page);
    expect(await page.evaluate(() => (window as unknown as { beforeReconnect?: boolean }).beforeReconnect)).toBe(true);
    const centre = await mapValue(page, (map) => map.getCenter());
    expect(Math.abs(centre.lng - far[0])).toBeLessThan(0.01);
    await page.screenshot({ path: screenshotPath('walkthrough-12-recovered-desktop-vi') });
  }, 300_000);

  it('13–14. a tap on a report pin or on the platform’s own places shows them first, with their actions and "report a new problem here"', async () => {
    const { db } = await getSharedTestDatabase();
    const [lon, lat] = await pointInUnit(db, '03127');
    const place: [number, number] = [lon + 0.0013, lat - 0.0011];
    const sent = await submitTestReport(harness.platform.baseUrl, { category: 'public_lighting', coordinates: place, description: `Đèn đường hỏng trước cổng trường ${Date.now()}` });

    const { page, errors } = await openPage('/', phone);
    await page.waitForSelector('.view-nav');
    // The place in the upper part of the phone's map, clear of the bottom sheet and the attribution
    // (whatever padding the panel gives the map).
    const showHigh = async (lngLat: [number, number], zoom: number) => {
      await jumpTo(page, lngLat, zoom);
      await page.evaluate((lngLat) => {
        const map = (window as unknown as { bandoso: { map: { project(lngLat: [number, number]): { y: number }; getContainer(): HTMLElement; panBy(offset: [number, number], options: object): void } } }).bandoso.map;
        map.panBy([0, map.project(lngLat).y - map.getContainer().clientHeight * 0.35], { duration: 0 });
      }, lngLat);
    };
    await showHigh(place, 17);
    await page.waitForFunction(
      (code) => (window as unknown as { bandoso: { map: MapHandle } }).bandoso.map.queryRenderedFeatures({ layers: ['reports-pin'] }).some((feature) => feature.properties.tracking_code === code),
      sent.trackingCode,
      { timeout: 45_000, polling: 200 },
    );
    await waitForIdleMap(page);
    const pin = await screenPoint(page, place);
    await page.touchscreen.tap(pin.x, pin.y);
    // Before the fix: the report opened at once, and the spot could not be reported again.
    const card = page.locator('.map-pick');
    await card.waitFor({ timeout: 15_000 });
    expect(await card.locator(`.map-pick-item[data-kind="report"][data-id="${sent.trackingCode}"] .map-pick-open-report`).textContent()).toBe(`Xem phản ánh ${sent.trackingCode}`);
    expect(await page.locator('.report-detail').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('walkthrough-13-pin-chooser-phone-vi') });
    await card.locator('.map-pick-report-here').click();
    await page.locator('.place-card .report-here').waitFor({ timeout: 20_000 });
    expect(await page.locator('.report-detail').count()).toBe(0);

    // The other choice opens the report.
    await page.locator('.place-card .dialog-close').click();
    // The panel's new height moves the map's padding (app/panel-layout.ts): let it settle first.
    await page.waitForTimeout(800);
    await waitForIdleMap(page);
    await showHigh(place, 17);
    await waitForIdleMap(page);
    const again = await screenPoint(page, place);
    await page.touchscreen.tap(again.x, again.y);
    await card.locator('.map-pick-open-report').first().click();
    await page.locator(`.report-detail[data-tracking-code="${sent.trackingCode}"]`).waitFor({ timeout: 20_000 });

    // A heritage site: the site first (its name, its rank, its tour), reporting is one of its actions.
    const site = (await (await fetch(`${harness.platform.baseUrl}/api/heritage/DT-A1`)).json()) as { name: { vi: string }; position: [number, number] };
    await page.goto(`${harness.platform.baseUrl}/`);
    await page.waitForSelector('.view-nav');
    await showHigh(site.position, 15);
    await waitForRenderedFeatures(page, ['heritage-point']);
    await waitForIdleMap(page);
    const relic = await screenPoint(page, site.position);
    await page.touchscreen.tap(relic.x, relic.y);
    const heritage = page.locator('.map-pick-item[data-kind="heritage"][data-id="DT-A1"]');
    await heritage.waitFor({ timeout: 15_000 });
    expect(await heritage.locator('.map-pick-name').textContent()).toBe(site.name.vi);
    expect(await heritage.locator('.map-pick-kind').textContent()).toMatch(/Di tích/);
    expect(await heritage.locator('.heritage-tour-link').getAttribute('href')).toBe('/heritage/DT-A1');
    // Before the fix: the "report a problem here" card opened straight away.
    expect(await page.locator('.place-card').count()).toBe(0);
    expect(await page.locator('.map-pick .map-pick-report-here').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('walkthrough-14-heritage-card-phone-vi') });

    // A facility, through the same mechanism: its kind and a number to call.
    await page.locator('.map-pick-close').click();
    await jumpTo(page, city.centre, 13.5);
    await waitForRenderedFeatures(page, ['facilities-point']);
    await waitForIdleMap(page);
    const facility = await mapValue(page, (map) => {
      const box = (map as unknown as { getContainer(): HTMLElement }).getContainer().getBoundingClientRect();
      const feature = map.queryRenderedFeatures({ layers: ['facilities-point'] }).find((candidate) => {
        const point = (map as unknown as { project(lngLat: unknown): { x: number; y: number } }).project(candidate.geometry.coordinates);
        return point.y > 80 && point.y < box.height * 0.5 && point.x > 40 && point.x < box.width - 70;
      });
      return feature ? { code: String(feature.properties.code), coordinates: feature.geometry.coordinates as [number, number] } : undefined;
    });
    expect(facility).toBeDefined();
    const station = await screenPoint(page, facility!.coordinates);
    await page.touchscreen.tap(station.x, station.y);
    const facilityItem = page.locator(`.map-pick-item[data-kind="facility"][data-id="${facility!.code}"]`);
    await facilityItem.waitFor({ timeout: 15_000 });
    expect(await facilityItem.locator('a.map-pick-call').first().getAttribute('href')).toMatch(/^tel:\+?\d+$/);
    expect(errors).toEqual([]);
  }, 300_000);

  it('15. names are a gesture away: wheel notches that feel like other maps, relic and street names earlier, the city at start, the last view kept', async () => {
    const { page } = await openPage('/', desktop);
    await waitForRenderedFeatures(page, ['boundaries-commune-fill'], 1, 60_000);
    await waitForIdleMap(page);
    const start = await mapValue(page, (map) => ({ zoom: map.getZoom(), centre: map.getCenter() }));

    /** Wheel notches over the city, from the opening province view, until a relic's name is drawn. */
    const notchesToNames = async (): Promise<number> => {
      await jumpTo(page, [start.centre.lng, start.centre.lat], start.zoom);
      await waitForIdleMap(page);
      const target = await screenPoint(page, city.centre);
      await page.mouse.move(target.x, target.y);
      for (let notch = 1; notch <= 40; notch += 1) {
        await page.mouse.wheel(0, -100);
        await page.waitForTimeout(450);
        await page.waitForFunction(() => !(window as unknown as { bandoso: { map: MapHandle } }).bandoso.map.isMoving(), undefined, { timeout: 10_000 });
        await waitForIdleMap(page);
        if ((await renderedProperties(page, 'heritage-label')).length > 0) return notch;
      }
      return Infinity;
    };
    const after = await notchesToNames();
    const zoomWithNames = await mapValue(page, (map) => map.getZoom());
    // The settings before the fix (MapLibre's wheel rate, relic names from z13), measured the same way.
    await mapValue(page, (map) => {
      map.scrollZoom.setWheelZoomRate(1 / 450);
      map.setLayerZoomRange('heritage-label', 13, 24);
    });
    const before = await notchesToNames();
    console.log(`walk-through 15: wheel notches from the province (z${start.zoom.toFixed(1)}) to relic names: before ${before}, after ${after} (names at z${zoomWithNames.toFixed(1)})`);
    expect(after).toBeLessThanOrEqual(6);
    expect(before).toBeGreaterThan(after);

    // The last view is where the next visit opens.
    await jumpTo(page, [103.0108, 21.3875], 15.2);
    await waitForIdleMap(page);
    await page.waitForTimeout(300);
    await page.reload();
    await waitForRenderedFeatures(page, ['boundaries-commune-fill'], 1, 60_000);
    const restored = await mapValue(page, (map) => ({ zoom: map.getZoom(), centre: map.getCenter() }));
    expect(restored.zoom).toBeCloseTo(15.2, 1);
    expect(Math.abs(restored.centre.lng - 103.0108)).toBeLessThan(0.001);

    // A phone in the city, first visit, position already allowed: the city, with names, and no gesture.
    const { page: phonePage } = await openPage('/', { ...phone, geolocation: { longitude: 103.0158, latitude: 21.3868, accuracy: 20 }, permissions: ['geolocation'] });
    await phonePage.waitForFunction(() => ((window as unknown as { bandoso?: { map: MapHandle } }).bandoso?.map.getZoom() ?? 0) >= 11, undefined, { timeout: 60_000 });
    await waitForIdleMap(phonePage);
    const opened = await mapValue(phonePage, (map) => ({ zoom: map.getZoom(), centre: map.getCenter() }));
    expect(opened.centre.lng).toBeGreaterThan(city.bounds[0]);
    expect(opened.centre.lng).toBeLessThan(city.bounds[2]);
    expect(opened.centre.lat).toBeGreaterThan(city.bounds[1]);
    expect(opened.centre.lat).toBeLessThan(city.bounds[3]);
    await waitForRenderedFeatures(phonePage, ['heritage-label'], 1, 30_000);
    await phonePage.screenshot({ path: screenshotPath('walkthrough-15-city-start-phone-vi') });
  }, 300_000);

  it('16. a signed-out visit to /ioc logs no console error; /api/auth/me keeps its 401 for other callers', async () => {
    const { page, consoleErrors, errors } = await openPage('/ioc', desktop);
    await page.locator('.ioc-login').waitFor({ timeout: 60_000 });
    await waitForIdleMap(page);
    await page.waitForTimeout(500);
    // Before the fix: "Failed to load resource: … 401 (Unauthorized)" for /api/auth/me.
    expect(consoleErrors).toEqual([]);
    expect(errors).toEqual([]);
    expect((await fetch(`${harness.platform.baseUrl}/api/auth/me`)).status).toBe(401);
    const session = await fetch(`${harness.platform.baseUrl}/api/auth/session`);
    expect(session.status).toBe(200);
    expect(await session.json()).toEqual({ user: null });
  }, 120_000);
});
