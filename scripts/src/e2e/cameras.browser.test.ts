import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CameraCollection } from '@bandoso/contracts';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearerToken, createTestUser, getSharedTestDatabase, submitTestReport, type TestServer, type TestUser } from '@bandoso/api/testing';
import { startCameraSimulator, type CameraSimulator } from '../camera-sim/camera-simulator.ts';
import { describeInBrowser, launchBrowser, newContext, phoneViewport, screenshotDirectory } from './browser.ts';
import { jumpTo, renderedProperties, screenPoint, tapPoint, waitForIdleMap, waitForRenderedFeatures } from './map-page.ts';
import { startBrowserPlatform } from './platform.ts';

/** Screenshots (CAMERA_SHOTS=<folder> puts them elsewhere, e.g. for a note). */
const shotsDirectory = process.env.CAMERA_SHOTS ?? screenshotDirectory;
function shot(name: string): string {
  fs.mkdirSync(shotsDirectory, { recursive: true });
  return path.join(shotsDirectory, `cameras-${name}.png`);
}

const phone: BrowserContextOptions = { viewport: phoneViewport, isMobile: true, hasTouch: true };
const desktop: BrowserContextOptions = { viewport: { width: 1366, height: 800 } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type IocProbe = { feedState(): string; cameraStatuses(): Record<string, string>; reportDetail(): string | undefined };
type WallProbe = { tiles(): { index: number; cameraId: string | null; state: string | undefined }[] };

/** Two simulated cameras of this run, a public one and a restricted one, both looking at `place`. */
const suffix = randomBytes(3).toString('hex').toUpperCase();
const openCamera = { code: `E2E-${suffix}-PUB`, name: `Camera thử ${suffix} — công khai`, lon: 103.024, lat: 21.385, bearingDeg: 90, hfovDeg: 70, rangeM: 150, visibility: 'public' as const };
const restrictedCamera = { code: `E2E-${suffix}-IOC`, name: `Camera thử ${suffix} — nội bộ`, lon: 103.0245, lat: 21.3844, bearingDeg: 0, hfovDeg: 70, rangeM: 150, visibility: 'restricted' as const };
/** ≈ 50 m east of the public camera, ≈ 66 m north of the restricted one: in both fields of view. */
const place: [number, number] = [103.02448, 21.385];

/**
 * The live cameras in the browser, on the real platform (relay, signed URLs, health checker, live
 * feed) with the camera simulator (ffmpeg): the citizen's tap on a camera, the player's state and
 * delay, signed URLs renewed under the player (20 s URLs) without a break, the IOC's cameras with
 * their health following the feed, the cameras that see a report (live and replay), a camera that
 * goes down and comes back, the video wall, and a restricted camera when the session ends.
 */
describeInBrowser('live cameras in Chromium, on the real platform with simulated cameras', () => {
  let platform: TestServer;
  let browser: Browser;
  let simulator: CameraSimulator;
  let operator: TestUser;
  let recordingSince = 0;
  const ids = new Map<string, string>();
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    simulator = await startCameraSimulator({ port: 0, codes: [openCamera.code, restrictedCamera.code], log: () => undefined });
    [platform, browser] = await Promise.all([
      // The checker on (every 2 s: health and rewind recording), URLs valid for 20 s (renewed every 5 s).
      startBrowserPlatform({ CAMERA_HEALTH_INTERVAL_S: '2', CAMERA_WATCH_TTL_S: '20', CAMERA_REWIND_MINUTES: '5', CAMERA_ALLOWED_NETWORKS: '127.0.0.1/32' }),
      launchBrowser(),
    ]);
    const db = (await getSharedTestDatabase()).db;
    operator = await createTestUser(db, 'ioc_operator');
    const token = await bearerToken(platform.baseUrl, operator);
    for (const camera of [openCamera, restrictedCamera]) {
      const response = await fetch(`${platform.baseUrl}/api/admin/cameras`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...camera, streamUrl: simulator.streamUrl(camera.code), owner: 'Thử nghiệm', status: 'online' }),
      });
      if (response.status !== 201) throw new Error(`camera ${camera.code}: ${response.status} ${await response.text()}`);
    }
    recordingSince = Date.now();
    const list = (await (await fetch(`${platform.baseUrl}/api/cameras`, { headers: { Authorization: `Bearer ${token}` } })).json()) as CameraCollection;
    for (const feature of list.features) ids.set(feature.properties.code, feature.id);
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await platform?.close();
    await simulator?.stop();
  });

  /** The IOC test's browser: its video wall already has the camera sent from the map. */
  let iocContext: BrowserContext | undefined;

  const openPage = async (options: BrowserContextOptions | BrowserContext, path: string) => {
    const context = 'newPage' in options ? options : await newContext(browser, options);
    if (!contexts.includes(context)) contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error.stack ?? error.message)));
    await page.goto(`${platform.baseUrl}${path}`);
    return { context, page, errors };
  };

  const signIn = async (page: Page) => {
    await page.locator('#ioc-email').waitFor({ timeout: 45_000 });
    await page.fill('#ioc-email', operator.email);
    await page.fill('#ioc-password', operator.password);
    await page.press('#ioc-password', 'Enter');
  };

  const player = (page: Page, code: string) => page.locator(`.camera-panel[data-camera-code="${code}"] .camera-player`);
  const waitForState = (page: Page, code: string, states: string[], timeout = 45_000) =>
    page.waitForFunction(
      ({ code, states }) => states.includes(document.querySelector<HTMLElement>(`.camera-panel[data-camera-code="${code}"] .camera-player`)?.dataset.state ?? ''),
      { code, states },
      { timeout, polling: 200 },
    );

  it('opens a public camera from the citizen map on a phone, plays it live with its delay, renews its 20 s URL without a break, and stops when closed', async () => {
    const { page, errors } = await openPage(phone, '/');
    await page.waitForFunction(() => Boolean((window as unknown as { bandoso?: unknown }).bandoso), undefined, { timeout: 45_000 });
    await page.evaluate(() => (window as unknown as { bandoso: { ready: Promise<void> } }).bandoso.ready);
    await page.evaluate(() => (window as unknown as { bandoso: { layers: { setVisible(id: string, visible: boolean): void } } }).bandoso.layers.setVisible('cameras', true));
    await jumpTo(page, [openCamera.lon, openCamera.lat], 16.5);
    await waitForRenderedFeatures(page, ['cameras-point', 'cameras-fov']);
    await waitForIdleMap(page);
    const drawn = await renderedProperties(page, 'cameras-point');
    expect(drawn.find((properties) => properties.code === openCamera.code)?.status).toBe('online');
    // Only public cameras are in the tiles.
    expect(drawn.some((properties) => properties.code === restrictedCamera.code)).toBe(false);

    // The signed URLs the page asks for, and any refusal.
    const signatures = new Set<string>();
    const refused: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/cameras/') && url.searchParams.has('sig')) signatures.add(url.searchParams.get('exp')!);
    });
    page.on('response', (response) => {
      if (response.url().includes('/api/cameras/') && response.status() >= 400) refused.push(`${response.status()} ${response.url()}`);
    });

    const point = await tapPoint(page, [openCamera.lon, openCamera.lat]);
    await page.mouse.click(point.x, point.y);
    // The tap shows what is there first (issue 17): the camera, with "watch" and "report a problem here".
    await page.locator('.map-pick .map-pick-watch').click({ timeout: 30_000 });
    await page.locator(`.camera-panel[data-camera-code="${openCamera.code}"]`).waitFor({ timeout: 30_000 });
    expect(await page.locator('.camera-panel h2').textContent()).toContain(openCamera.name);
    expect(await page.locator('.camera-panel .camera-health').textContent()).toMatch(/Hoạt động/);
    await waitForState(page, openCamera.code, ['live'], 60_000);
    expect(await player(page, openCamera.code).getAttribute('data-mode')).toBe('live');
    await page.waitForFunction((code) => /^\d+(\.\d+)?$/.test(document.querySelector<HTMLElement>(`.camera-panel[data-camera-code="${code}"] .camera-player`)?.dataset.delayS ?? ''), openCamera.code, { timeout: 20_000 });
    const delay = Number(await player(page, openCamera.code).getAttribute('data-delay-s'));
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThan(20);
    expect(await page.locator('.camera-panel .player-badge').textContent()).toMatch(/Trực tiếp · chậm \d+ giây/);
    // hls.js came in its own chunk, when the stream started.
    expect(await page.evaluate(() => performance.getEntriesByType('resource').some((entry) => /\/assets\/hls\.light-[\w-]+\.js$/.test(entry.name)))).toBe(true);
    await page.screenshot({ path: shot('phone-panel') });
    // The picture moves: two frames a second apart differ.
    const video = page.locator('.camera-panel video');
    const firstFrame = await video.screenshot();
    await sleep(1000);
    const secondFrame = await video.screenshot();
    expect(Buffer.compare(firstFrame, secondFrame)).not.toBe(0);
    // In English too.
    await page.locator('.language-toggle').click();
    await page.waitForFunction(() => /\d+ s behind/.test(document.querySelector('.camera-panel .player-badge')?.textContent ?? ''), undefined, { timeout: 10_000 });
    await page.screenshot({ path: shot('phone-panel-en') });
    await page.locator('.language-toggle').click();

    // 25 s: the first URL expires after 20 s; the player renews every 5 s, underneath hls.js.
    const before = await page.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement>('.camera-panel video')!;
      (window as unknown as { emptied: number }).emptied = 0;
      video.addEventListener('emptied', () => ((window as unknown as { emptied: number }).emptied += 1));
      return video.currentTime;
    });
    await sleep(25_000);
    const after = await page.evaluate(() => ({ time: document.querySelector<HTMLVideoElement>('.camera-panel video')!.currentTime, emptied: (window as unknown as { emptied: number }).emptied }));
    expect(await player(page, openCamera.code).getAttribute('data-state')).toBe('live');
    expect(after.time - before).toBeGreaterThan(18);
    // The same MediaSource throughout: no reload, no blank picture.
    expect(after.emptied).toBe(0);
    expect(signatures.size).toBeGreaterThanOrEqual(4);
    expect(refused).toEqual([]);

    // The legend: one entry per health status, with its icon.
    await page.locator('.layers-toggle').click();
    expect(await page.locator('.legend img.swatch-icon').count()).toBe(4);
    await page.locator('.layers-toggle').click();

    // Closing destroys the player: no more stream requests.
    await page.locator('.camera-panel-close').click();
    await page.locator('.camera-panel').waitFor({ state: 'detached', timeout: 5_000 });
    await sleep(500);
    let requestsAfterClose = 0;
    page.on('request', (request) => {
      if (request.url().includes('/api/cameras/')) requestsAfterClose += 1;
    });
    await sleep(6_000);
    expect(requestsAfterClose).toBe(0);
    expect(errors).toEqual([]);
  }, 240_000);

  it('shows every camera in the IOC with its health, the cameras that see a report (live and replayed), follows a camera that goes down and back, and stops a restricted camera when the session ends', async () => {
    const { context, page, errors } = await openPage(desktop, '/ioc');
    iocContext = context;
    await signIn(page);
    await page.waitForFunction(
      ({ open, restricted }) => {
        const probe = (window as unknown as { bandosoIoc?: IocProbe }).bandosoIoc;
        const statuses = probe?.cameraStatuses() ?? {};
        return probe?.feedState() === 'open' && statuses[open] === 'online' && statuses[restricted] === 'online';
      },
      { open: openCamera.code, restricted: restrictedCamera.code },
      { timeout: 60_000, polling: 250 },
    );

    // Every camera, restricted ones too, with its health (the sample cameras have no simulator here:
    // the checker finds them offline, except the one in maintenance, which it leaves alone).
    await jumpTo(page, [103.022, 21.39], 14);
    await waitForIdleMap(page);
    await waitForRenderedFeatures(page, ['ioc-cameras-point'], 4);
    await page.screenshot({ path: shot('ioc-cameras-map') });

    // From the map: the restricted camera's icon opens its player, which can go on the wall.
    await jumpTo(page, place, 17);
    await waitForIdleMap(page);
    await waitForRenderedFeatures(page, ['ioc-cameras-point'], 2);
    const restrictedPoint = await screenPoint(page, [restrictedCamera.lon, restrictedCamera.lat]);
    await page.mouse.click(restrictedPoint.x, restrictedPoint.y);
    await page.locator(`.camera-panel[data-camera-code="${restrictedCamera.code}"]`).waitFor({ timeout: 30_000 });
    await waitForState(page, restrictedCamera.code, ['live'], 60_000);
    expect(await page.locator('.camera-panel .camera-restricted').count()).toBe(1);
    await page.locator('.camera-panel .camera-add-to-wall').click();
    expect(await page.locator('.camera-panel .camera-note').textContent()).toMatch(/màn hình camera/);

    // A report in front of both cameras, sent by someone else: its details list them, nearest first.
    await sleep(Math.max(0, recordingSince + 45_000 - Date.now()));
    const sent = await submitTestReport(platform.baseUrl, { category: 'traffic_safety', coordinates: place, description: 'Xe tải đỗ chắn làn đường trước camera' });
    const item = page.locator(`.live-item[data-tracking-code="${sent.trackingCode}"] button`);
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    const detail = page.locator(`.ioc-report-detail[data-tracking-code="${sent.trackingCode}"]`);
    await detail.locator('.seeing-camera').nth(1).waitFor({ timeout: 30_000 });
    const seen = await detail.locator('.seeing-camera').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.cameraCode));
    expect(seen.indexOf(openCamera.code)).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf(openCamera.code)).toBeLessThan(seen.indexOf(restrictedCamera.code));
    expect(await detail.locator(`.seeing-camera[data-camera-code="${openCamera.code}"] .seeing-distance`).textContent()).toMatch(/cách (4\d|5\d) m/);
    expect(await detail.locator('h4').textContent()).toBe('Camera quan sát vị trí này');

    // Replayed from 30 s before the report: a delay of half a minute and more.
    await detail.locator(`.seeing-camera[data-camera-code="${openCamera.code}"] .seeing-replay`).click();
    await waitForState(page, openCamera.code, ['live'], 60_000);
    expect(await player(page, openCamera.code).getAttribute('data-mode')).toBe('replay');
    await page.waitForFunction((code) => Number(document.querySelector<HTMLElement>(`.camera-panel[data-camera-code="${code}"] .camera-player`)?.dataset.delayS) >= 25, openCamera.code, { timeout: 20_000 });
    expect(await page.locator('.camera-panel .player-badge').textContent()).toMatch(/Xem lại/);
    await page.screenshot({ path: shot('ioc-report-replay') });

    // Live again, then the camera goes down: its colour on the map and the player follow; it comes back by itself.
    await detail.locator(`.seeing-camera[data-camera-code="${openCamera.code}"] .seeing-watch`).click();
    await waitForState(page, openCamera.code, ['live'], 60_000);
    expect(await player(page, openCamera.code).getAttribute('data-mode')).toBe('live');
    await simulator.stopCamera(openCamera.code);
    await page.waitForFunction((code) => (window as unknown as { bandosoIoc: IocProbe }).bandosoIoc.cameraStatuses()[code] === 'offline', openCamera.code, { timeout: 60_000, polling: 250 });
    await waitForState(page, openCamera.code, ['reconnecting', 'offline'], 60_000);
    await page.waitForFunction((code) => document.querySelector<HTMLElement>(`.camera-panel[data-camera-code="${code}"]`)?.dataset.cameraStatus === 'offline', openCamera.code, { timeout: 10_000 });
    await waitForIdleMap(page);
    await page.screenshot({ path: shot('ioc-camera-down') });
    await simulator.startCamera(openCamera.code);
    await page.waitForFunction((code) => (window as unknown as { bandosoIoc: IocProbe }).bandosoIoc.cameraStatuses()[code] === 'online', openCamera.code, { timeout: 60_000, polling: 250 });
    await waitForState(page, openCamera.code, ['live'], 90_000);

    // The session ends (another tab signed out): the restricted camera's next renewal is refused.
    await item.click();
    await detail.locator(`.seeing-camera[data-camera-code="${restrictedCamera.code}"] .seeing-watch`).click();
    await waitForState(page, restrictedCamera.code, ['live'], 60_000);
    await context.clearCookies();
    await waitForState(page, restrictedCamera.code, ['denied'], 30_000);
    expect(await page.locator('.camera-panel .player-message').textContent()).toMatch(/Đăng nhập IOC/);
    await page.screenshot({ path: shot('ioc-restricted-denied') });
    expect(errors).toEqual([]);
  }, 360_000);

  it('shows the video wall at /ioc/cameras after the IOC sign-in: independent muted tiles, one column on a phone', async () => {
    for (const [options, name] of [
      [iocContext ?? desktop, 'wall-desktop'],
      [phone, 'wall-phone'],
    ] as const) {
      // The IOC test's browser was signed out at its end: the wall asks to sign in first.
      const { page, errors } = await openPage(options, '/ioc/cameras');
      await signIn(page);
      await page.locator('.video-wall').waitFor({ timeout: 45_000 });
      await page.locator(`.wall-camera[data-camera-id="${ids.get(openCamera.code)}"]`).waitFor({ state: 'attached', timeout: 30_000 });
      // The camera sent from the IOC map ("add to the video wall") is in the first tile.
      if (iocContext && options === iocContext) expect(await page.locator('.wall-tile').first().getAttribute('data-camera-id')).toBe(ids.get(restrictedCamera.code));
      if (await page.locator('.wall-cameras').getAttribute('open') === null) await page.locator('.wall-cameras summary').click();
      for (const code of [restrictedCamera.code, openCamera.code]) {
        const add = page.locator(`.wall-camera[data-camera-id="${ids.get(code)}"] button.wall-add`);
        if (await add.count()) await add.click();
      }
      await page.waitForFunction(
        (wanted) => {
          const tiles = (window as unknown as { bandosoVideoWall?: WallProbe }).bandosoVideoWall?.tiles() ?? [];
          return wanted.every((id) => tiles.some((tile) => tile.cameraId === id && tile.state === 'live'));
        },
        [ids.get(openCamera.code)!, ids.get(restrictedCamera.code)!],
        { timeout: 60_000, polling: 250 },
      );
      expect(await page.locator('.wall-tile').count()).toBe(4);
      expect(await page.locator('.wall-tile video').evaluateAll((videos) => videos.every((video) => (video as HTMLVideoElement).muted))).toBe(true);
      const boxes = await page.locator('.wall-tile').evaluateAll((tiles) => tiles.map((tile) => tile.getBoundingClientRect().left));
      if (name === 'wall-phone') expect(new Set(boxes).size).toBe(1);
      else expect(new Set(boxes).size).toBe(2);
      if (name === 'wall-phone') await page.locator('.wall-cameras summary').click();
      await page.screenshot({ path: shot(name) });
      expect(errors).toEqual([]);
    }
  }, 240_000);
});
