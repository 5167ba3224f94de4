import fs from 'node:fs';
import path from 'node:path';
import type { HeritageSite, HeritageSiteList } from '@bandoso/contracts';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '@bandoso/api/testing';
import { countDifferentPixels, jumpTo, screenPoint, tapPoint, waitForIdleMap } from './map-page.ts';
import { describeInBrowser, desktopViewport, launchBrowser, newContext, phoneViewport, screenshotDirectory } from './browser.ts';
import { startBrowserPlatform } from './platform.ts';

/** Screenshots of every tour and of a relic in place (HERITAGE_SHOTS=<folder> puts them elsewhere, for the closing note). */
const shotsDirectory = process.env.HERITAGE_SHOTS ?? screenshotDirectory;
function shot(name: string): string {
  fs.mkdirSync(shotsDirectory, { recursive: true });
  return path.join(shotsDirectory, `heritage-${name}.png`);
}

type Pose = { position: number[]; target: number[] };
interface TourHandle {
  stopIndex(): number;
  stopCount(): number;
  cameraPose(): Pose | undefined;
  flying(): boolean;
  loadedTiles(): number;
  errors(): string[];
}
const phone: BrowserContextOptions = { viewport: phoneViewport, isMobile: true, hasTouch: true };
const desktop: BrowserContextOptions = { viewport: desktopViewport };
/** Metres: a stop's pose is reached when both the camera and its target are this close. */
const poseTolerance = 0.5;

const poseDistance = (a: Pose, b: Pose) => Math.max(...[a.position, a.target].map((point, index) => Math.hypot(...point.map((value, axis) => value - [b.position, b.target][index]![axis]!))));

/**
 * What these tests look at (three.js drawing a tileset, the camera, the service worker) does not
 * depend on the database backend, and they take minutes: they run on the embedded pass of CI. The
 * server pass runs the heritage API's own tests (api/src/modules/heritage) on PostgreSQL.
 */
const describeTours = process.env.DATABASE_URL ? describe.skip : describeInBrowser;

describeTours('heritage tours in Chromium, on the real platform', () => {
  let platform: TestServer;
  let browser: Browser;
  let sites: HeritageSiteList['sites'];
  const details = new Map<string, HeritageSite>();
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [platform, browser] = await Promise.all([startBrowserPlatform(), launchBrowser()]);
    sites = ((await (await fetch(`${platform.baseUrl}/api/heritage`)).json()) as HeritageSiteList).sites;
    for (const site of sites.filter((item) => item.tileset)) details.set(site.code, (await (await fetch(`${platform.baseUrl}/api/heritage/${site.code}`)).json()) as HeritageSite);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await platform?.close();
  });

  async function openPage(pathname: string, options: BrowserContextOptions = {}, initScript?: string): Promise<{ page: Page; errors: string[] }> {
    const context = await newContext(browser, options);
    contexts.push(context);
    const page = await context.newPage();
    if (initScript) await page.addInitScript(initScript);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${platform.baseUrl}${pathname}`);
    return { page, errors };
  }

  /** Waits until the tour's model has loaded (tiles in, loading over) and a frame has been drawn. */
  async function waitForModel(page: Page): Promise<void> {
    await page.waitForFunction(
      () => {
        const tour = (window as unknown as { __heritageTour?: TourHandle }).__heritageTour;
        const progress = document.querySelector<HTMLElement>('.tour-progress');
        return Boolean(tour && tour.loadedTiles() > 0 && progress?.hidden && !tour.flying());
      },
      undefined,
      { timeout: 60_000, polling: 200 },
    );
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  }

  const tour = <T>(page: Page, read: (handle: TourHandle) => T) => page.evaluate(`(${read.toString()})(window.__heritageTour)`) as Promise<T>;

  /** Waits for the camera to stop and answers how far it is from the pose (metres). */
  async function settledDistance(page: Page, expected: Pose): Promise<number> {
    await page.waitForFunction(() => !(window as unknown as { __heritageTour: TourHandle }).__heritageTour.flying(), undefined, { timeout: 15_000, polling: 50 });
    const pose = await tour(page, (handle) => handle.cameraPose());
    return poseDistance(pose!, expected);
  }

  /** Share of the scene's centre (middle half each way) whose colour is not the sky's (#dbe8ef). */
  async function centreNotSky(page: Page): Promise<number> {
    const png = await page.locator('.tour-scene').screenshot();
    return page.evaluate(async (base64) => {
      const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      const [x0, y0, w, h] = [Math.round(bitmap.width / 4), Math.round(bitmap.height / 4), Math.round(bitmap.width / 2), Math.round(bitmap.height / 2)];
      const data = context.getImageData(x0, y0, w, h).data;
      let other = 0;
      for (let index = 0; index < data.length; index += 4) if (Math.abs(data[index]! - 0xdb) + Math.abs(data[index + 1]! - 0xe8) + Math.abs(data[index + 2]! - 0xef) > 30) other += 1;
      return other / (w * h);
    }, png.toString('base64'));
  }

  /** The scene's centre region, as PNG. */
  async function centreShot(page: Page): Promise<Buffer> {
    const box = (await page.locator('.tour-scene').boundingBox())!;
    return page.screenshot({ clip: { x: box.x + box.width / 4, y: box.y + box.height / 4, width: box.width / 2, height: box.height / 2 } });
  }

  it('serves tours for at least three sites, each with five stops or more near the site', () => {
    const withTours = [...details.values()];
    expect(withTours.map((site) => site.code)).toEqual(expect.arrayContaining(['DT-A1', 'DT-HAM-DE-CASTRIES', 'DT-TUONG-DAI']));
    for (const site of withTours) {
      expect(site.stops.length, site.code).toBeGreaterThanOrEqual(5);
      expect(site.tileset!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/heritage\/tilesets\/.+\/tileset\.json$/);
    }
  });

  it('lists the sites at /heritage, those with a 3D tour first, each opening its tour', async () => {
    const { page, errors } = await openPage('/heritage', phone);
    await page.waitForSelector('.heritage-site');
    const listed = await page.$$eval('.heritage-site', (items) => items.map((item) => ({ code: item.getAttribute('data-code'), tour: item.classList.contains('has-tour'), href: item.querySelector('a')!.getAttribute('href') })));
    expect(listed.length).toBe(sites.length);
    const withTour = listed.filter((item) => item.tour).map((item) => item.code);
    expect(withTour.sort()).toEqual([...details.keys()].sort());
    // All the sites with a tour come before the others.
    expect(listed.slice(0, withTour.length).every((item) => item.tour)).toBe(true);
    for (const item of listed) expect(item.href).toBe(`/heritage/${item.code}`);
    expect(await page.locator('.view-nav a[data-view="heritage"]').getAttribute('aria-current')).toBe('page');
    await page.screenshot({ path: shot('list-phone-vi') });

    await page.locator('.heritage-site[data-code="DT-A1"] a').click();
    await page.waitForURL(/\/heritage\/DT-A1$/);
    await waitForModel(page);
    expect(await page.locator('.tour-site-name').textContent()).toBe(details.get('DT-A1')!.name.vi);
    expect(errors).toEqual([]);
  });

  it('draws each site’s relic, stop by stop, with the narration on screen and no tile errors (desktop, Vietnamese)', async () => {
    for (const site of details.values()) {
      const { page, errors } = await openPage(`/heritage/${site.code}`, desktop);
      await waitForModel(page);
      expect(await tour(page, (handle) => handle.errors())).toEqual([]);
      expect(await tour(page, (handle) => handle.loadedTiles())).toBeGreaterThan(0);
      expect(await page.locator('.tour-illustrative').isVisible()).toBe(site.tileset!.illustrative);
      expect(await page.locator('.tour-illustrative').textContent()).toBe('Mô phỏng minh họa, không phải khảo sát thực địa');
      expect(await page.locator('.tour-narration-region').getAttribute('aria-live')).toBe('polite');
      const stops = [...site.stops].sort((a, b) => a.ordinal - b.ordinal);

      // The relic is drawn: the centre of the scene is not sky, and differs from the same view with no model.
      expect(await centreNotSky(page), site.code).toBeGreaterThan(0.3);
      const withModel = await centreShot(page);
      await page.screenshot({ path: shot(`${site.code}-desktop-vi`) });

      for (let index = 0; index < stops.length; index++) {
        const stop = stops[index]!;
        if (index > 0) await page.getByRole('button', { name: /^Tiếp/ }).click();
        expect(await settledDistance(page, stop.camera), `${site.code} stop ${stop.ordinal}`).toBeLessThanOrEqual(poseTolerance);
        expect(await page.locator('.tour-counter').textContent()).toBe(`Điểm dừng ${index + 1} / ${stops.length}`);
        expect(await page.locator('#tour-stop-title').textContent()).toBe(stop.title.vi);
        expect(await page.locator('.tour-narration').textContent()).toBe(stop.narration.vi);
      }
      expect(await page.getByRole('button', { name: /^Tiếp/ }).isDisabled()).toBe(true);
      await page.getByRole('button', { name: /Trước$/ }).click();
      expect(await settledDistance(page, stops.at(-2)!.camera)).toBeLessThanOrEqual(poseTolerance);
      expect(await tour(page, (handle) => handle.errors())).toEqual([]);
      expect(errors).toEqual([]);

      // The same first view with the tileset unreachable: the model's pixels are gone, and the page says why.
      // (No service worker there: requests it makes are beyond the page's routes.)
      const emptyContext = await newContext(browser, { ...desktop, serviceWorkers: 'block' });
      contexts.push(emptyContext);
      const empty = await emptyContext.newPage();
      await empty.route('**/heritage/tilesets/**', (route) => route.abort());
      await empty.goto(`${platform.baseUrl}/heritage/${site.code}`);
      await empty.waitForSelector('.tour-message [role="alert"]');
      expect(await empty.locator('.tour-message').textContent()).toMatch(/Không tải được mô hình 3D/);
      await empty.addStyleTag({ content: '.tour-message, .tour-progress { display: none !important; }' });
      await empty.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
      const withoutModel = await centreShot(empty);
      const box = (await page.locator('.tour-scene').boundingBox())!;
      expect(await countDifferentPixels(page, withModel, withoutModel), site.code).toBeGreaterThan((box.width / 2) * (box.height / 2) * 0.1);
      await emptyContext.close();
      await page.context().close();
    }
  }, 420_000);

  it('plays a tour on a phone in English, with reduced motion: jumps between stops, autoplay advances', async () => {
    for (const site of details.values()) {
      const { page, errors } = await openPage(`/heritage/${site.code}`, { ...phone, reducedMotion: 'reduce' });
      await waitForModel(page);
      await page.locator('.language-toggle').click();
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      const stops = [...site.stops].sort((a, b) => a.ordinal - b.ordinal);
      expect(await page.locator('.tour-counter').textContent()).toBe(`Stop 1 of ${stops.length}`);
      expect(await page.locator('.tour-narration').textContent()).toBe(stops[0]!.narration.en);
      expect(await page.locator('.tour-illustrative').textContent()).toBe('Illustrative reconstruction, not a survey');
      expect(await page.locator('.tour-site-name').textContent()).toBe(site.name.en);
      expect(await centreNotSky(page), site.code).toBeGreaterThan(0.3);
      await page.screenshot({ path: shot(`${site.code}-phone-en`) });

      // Reduced motion: the camera is at the next stop at once, no flight.
      await page.getByRole('button', { name: /^Next/ }).click();
      expect(await tour(page, (handle) => handle.flying())).toBe(false);
      expect(await settledDistance(page, stops[1]!.camera)).toBeLessThanOrEqual(poseTolerance);
      if (site.code === 'DT-A1') {
        await page.getByRole('button', { name: /Autoplay/ }).click();
        expect(await page.locator('.tour-autoplay').getAttribute('aria-pressed')).toBe('true');
        await page.waitForFunction(() => (window as unknown as { __heritageTour: TourHandle }).__heritageTour.stopIndex() === 2, undefined, { timeout: 30_000 });
        expect(await settledDistance(page, stops[2]!.camera)).toBeLessThanOrEqual(poseTolerance);
        await page.getByRole('button', { name: /Pause/ }).click();
        // The info panel: rank, opening hours, what the site is.
        await page.locator('.tour-info summary').click();
        expect(await page.locator('.tour-rank').textContent()).toBe('Special national site');
        expect(await page.locator('.tour-description').textContent()).toBe(site.description.en);
        // Free text in Vietnamese in the data; "hằng ngày" reads "daily" in English.
        if (site.openingHours) expect(await page.locator('.tour-hours').textContent()).toBe(site.openingHours.replace(/ hằng ngày$/, ' daily'));
        await page.locator('.tour-info').scrollIntoViewIfNeeded();
        await page.screenshot({ path: shot(`${site.code}-phone-en-info`) });
      }
      expect(await tour(page, (handle) => handle.errors())).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  }, 420_000);

  it('shows every tour on a phone in Vietnamese and on a desktop in English (screenshots)', async () => {
    for (const site of details.values()) {
      for (const [label, options, language] of [
        ['phone-vi', phone, 'vi'],
        ['desktop-en', desktop, 'en'],
      ] as const) {
        const { page, errors } = await openPage(`/heritage/${site.code}${language === 'en' ? '?lang=en' : ''}`, options);
        await waitForModel(page);
        expect(await page.getAttribute('html', 'lang')).toBe(language);
        expect(await centreNotSky(page), `${site.code} ${label}`).toBeGreaterThan(0.3);
        await page.screenshot({ path: shot(`${site.code}-${label}`) });
        expect(errors).toEqual([]);
        await page.context().close();
      }
    }
  }, 420_000);

  it('stands the relic in place on the map, pitched and zoomed in over Đồi A1, and a click on a site opens its tour', async () => {
    const site = details.get('DT-A1')!;
    const { page, errors } = await openPage('/heritage', desktop);
    await page.waitForSelector('.heritage-site');
    await jumpTo(page, site.position, 17.2, { pitch: 60, bearing: -25 });
    await page.waitForFunction(
      () => {
        const layer = (window as unknown as { __heritageMap3d?: { loadedTiles(): Record<string, number> } }).__heritageMap3d;
        return (layer?.loadedTiles()['DT-A1'] ?? 0) > 0;
      },
      undefined,
      { timeout: 60_000, polling: 200 },
    );
    await waitForIdleMap(page);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
    await waitForIdleMap(page);
    const point = await screenPoint(page, site.position);
    const clip = { x: point.x - 150, y: point.y - 150, width: 300, height: 300 };
    const withModel = await page.screenshot({ clip });
    await page.screenshot({ path: shot('map-in-place-DT-A1-desktop') });
    await page.evaluate(() => {
      const map = (window as unknown as { bandoso: { map: { setLayoutProperty(id: string, name: string, value: string): void; triggerRepaint(): void } } }).bandoso.map;
      map.setLayoutProperty('heritage-3d', 'visibility', 'none');
      map.triggerRepaint();
    });
    await waitForIdleMap(page);
    const withoutModel = await page.screenshot({ clip });
    await page.screenshot({ path: shot('map-in-place-DT-A1-hidden') });
    // Where the model stands, a good part of the view changes.
    expect(await countDifferentPixels(page, withModel, withoutModel)).toBeGreaterThan(300 * 300 * 0.08);
    expect(await page.evaluate(() => (window as unknown as { __heritageMap3d: { errors(): string[] } }).__heritageMap3d.errors())).toEqual([]);

    // A click on the site's point opens its tour.
    await page.evaluate(() => {
      const map = (window as unknown as { bandoso: { map: { setLayoutProperty(id: string, name: string, value: string): void } } }).bandoso.map;
      map.setLayoutProperty('heritage-3d', 'visibility', 'visible');
    });
    await jumpTo(page, site.position, 14, { pitch: 0, bearing: 0 });
    await waitForIdleMap(page);
    const target = await screenPoint(page, site.position);
    await page.mouse.click(target.x, target.y);
    await page.waitForURL(/\/heritage\/DT-A1$/);
    expect(errors).toEqual([]);
  }, 420_000);

  it('offers a site’s tour when a citizen taps it on the map, and the tour page loads no map (phone)', async () => {
    const site = details.get('DT-A1')!;
    const { page, errors } = await openPage('/', phone);
    await page.waitForSelector('.view-nav');
    await jumpTo(page, site.position, 14, { pitch: 0, bearing: 0 });
    await waitForIdleMap(page);
    const target = await tapPoint(page, site.position);
    await page.touchscreen.tap(target.x, target.y);
    // The tap shows the site first (views/map-pick.ts): its tour, and reporting a problem there.
    const link = page.locator('.map-pick .heritage-tour-link');
    await link.waitFor();
    expect(await link.textContent()).toBe(`Mở tour 3D: ${site.name.vi}`);
    expect(await link.getAttribute('href')).toBe('/heritage/DT-A1');
    // The place can still be reported.
    expect(await page.locator('.map-pick .map-pick-report-here').count()).toBe(1);
    await page.screenshot({ path: shot('citizen-tap-heritage-phone-vi') });

    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await link.click();
    await page.waitForURL(/\/heritage\/DT-A1$/);
    await waitForModel(page);
    expect(await page.locator('.tour-site-name').textContent()).toBe(site.name.vi);
    // tour.html: its entry and three.js, not the map's entry (MapLibre).
    expect(scripts.some((file) => /\/assets\/heritage-tour-/.test(file))).toBe(true);
    expect(scripts.filter((file) => /\/assets\/index-|maplibre/.test(file))).toEqual([]);
    expect(await page.evaluate(() => 'bandoso' in window)).toBe(false);
    expect(errors).toEqual([]);
  }, 240_000);

  it('saves a tour for offline use and plays it with the network off', async () => {
    const site = details.get('DT-A1')!;
    const stops = [...site.stops].sort((a, b) => a.ordinal - b.ordinal);
    // When the service worker is registered, and when the relic is first drawn: installing it (≈1.8 MB)
    // waits for the relic.
    const recordTimes = `(() => {
      const register = navigator.serviceWorker.register.bind(navigator.serviceWorker);
      navigator.serviceWorker.register = (...args) => { window.__registeredAt = performance.now(); return register(...args); };
      const watch = () => window.__heritageTour ? window.__heritageTour.firstTileFrame().then(() => { window.__firstFrameAt = performance.now(); }) : setTimeout(watch, 10);
      watch();
    })()`;
    const { page, errors } = await openPage('/heritage/DT-A1', phone, recordTimes);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    const [registeredAt, firstFrameAt] = (await page.evaluate('[window.__registeredAt, window.__firstFrameAt]')) as [number, number];
    expect(firstFrameAt).toBeGreaterThan(0);
    expect(registeredAt).toBeGreaterThanOrEqual(firstFrameAt);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
    await waitForModel(page);
    const progress: string[] = [];
    await page.exposeFunction('recordProgress', (text: string) => progress.push(text));
    await page.evaluate(() => {
      new MutationObserver(() => {
        const text = document.querySelector('.tour-save-progress')?.textContent;
        if (text) (window as unknown as { recordProgress(text: string): void }).recordProgress(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByRole('button', { name: 'Lưu để xem ngoại tuyến' }).click();
    await page.waitForSelector('.tour-saved', { timeout: 60_000 });
    expect(await page.locator('.tour-saved').textContent()).toMatch(/^Đã lưu để xem ngoại tuyến/);
    // "n / N" as the files go in, ending with all of them.
    expect(progress.length).toBeGreaterThan(0);
    const last = /(\d+) \/ (\d+)/.exec(progress.at(-1)!)!;
    expect(Number(last[2])).toBeGreaterThan(5);

    await page.context().setOffline(true);
    await page.reload();
    await waitForModel(page);
    expect(await tour(page, (handle) => handle.errors())).toEqual([]);
    expect(await page.locator('.tour-narration').textContent()).toBe(stops[0]!.narration.vi);
    expect(await centreNotSky(page)).toBeGreaterThan(0.3);
    await page.getByRole('button', { name: /^Tiếp/ }).click();
    expect(await settledDistance(page, stops[1]!.camera)).toBeLessThanOrEqual(poseTolerance);
    await page.screenshot({ path: shot('DT-A1-offline-phone-vi') });
    await page.context().setOffline(false);
    expect(errors.filter((message) => !/net::ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(message))).toEqual([]);
  }, 420_000);
});
