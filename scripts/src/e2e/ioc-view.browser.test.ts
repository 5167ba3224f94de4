import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearerToken, createTestUser, getSharedTestDatabase, insertTestReports, pointInUnit, staffAction, submitTestReport, type TestServer } from '@bandoso/api/testing';
import { describeInBrowser, desktopViewport, launchBrowser, newContext, screenshotPath } from './browser.ts';
import { jumpTo, waitForIdleMap, waitForRenderedFeatures } from './map-page.ts';
import { startBrowserPlatform } from './platform.ts';

type Probe = {
  liveLayerTrackingCodes(): string[];
  pickLiveReport(lngLat: [number, number]): string | undefined;
  layerIds(): string[];
  choropleth(): { communes: number; withRate: number };
  feedState(): string;
};

describeInBrowser('the operations view (IOC) in Chromium, on the real platform', () => {
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

  it('signs an operator in, draws the choropleth, density and statistics, and shows a report sent by another client live', async () => {
    const db = (await getSharedTestDatabase()).db;
    const operator = await createTestUser(db, 'ioc_operator');
    // Figures for the choropleth: a commune whose report is late (0 % on time), one resolved in time (100 %).
    const [lateLon, lateLat] = await pointInUnit(db, '03256');
    await insertTestReports(db, [{ lon: lateLon, lat: lateLat, category: 'roads_pavements', overdue: true }]);
    const onTime = await submitTestReport(platform.baseUrl, { category: 'public_lighting', coordinates: await pointInUnit(db, '03208') });
    const officer = await bearerToken(platform.baseUrl, await createTestUser(db, 'officer', onTime.office.code));
    await staffAction(platform.baseUrl, officer, onTime.id, { action: 'accept' });
    await staffAction(platform.baseUrl, officer, onTime.id, { action: 'resolve', answer: 'Đã thay bóng đèn.' });
    const context = await newContext(browser, { viewport: desktopViewport });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error.stack ?? error.message)));
    await page.goto(`${platform.baseUrl}/ioc`);

    // Signed out: the sign-in form, and no deck.gl yet.
    await page.locator('#ioc-email').waitFor({ timeout: 45_000 });
    expect(await page.evaluate(() => performance.getEntriesByType('resource').some((entry) => entry.name.includes('/assets/ioc-dashboard-')))).toBe(false);
    await page.fill('#ioc-email', operator.email);
    await page.fill('#ioc-password', 'wrong password');
    await page.locator('.ioc-login button[type="submit"]').click();
    await page.locator('.ioc-login .error').filter({ hasText: /\S/ }).waitFor({ timeout: 20_000 });
    await page.fill('#ioc-password', operator.password);
    await page.press('#ioc-password', 'Enter');

    await page.waitForFunction(() => (window as unknown as { bandosoIoc?: Probe }).bandosoIoc?.feedState() === 'open', undefined, { timeout: 60_000, polling: 200 });
    await page.waitForFunction(
      () => {
        const probe = (window as unknown as { bandosoIoc?: Probe }).bandosoIoc!;
        return probe.layerIds().includes('ioc-on-time') && probe.choropleth().communes >= 30 && probe.choropleth().withRate >= 2;
      },
      undefined,
      { timeout: 60_000, polling: 200 },
    );
    await page.locator('.bar-chart[data-group-by="commune"]').waitFor({ state: 'attached', timeout: 30_000 });
    await waitForRenderedFeatures(page, ['boundaries-commune-fill']);

    // Another client sends a report: it arrives over Server-Sent Events and stands out.
    const [lon, lat] = await pointInUnit(db, '03253');
    const sent = await submitTestReport(platform.baseUrl, { category: 'traffic_safety', coordinates: [lon, lat], description: 'Biển báo giao thông bị đổ sau mưa' });
    const item = page.locator(`.live-item[data-tracking-code="${sent.trackingCode}"]`);
    await item.waitFor({ timeout: 30_000 });
    expect(await item.getAttribute('class')).toContain('is-new');
    await page.waitForFunction((code) => (window as unknown as { bandosoIoc: Probe }).bandosoIoc.liveLayerTrackingCodes().includes(code), sent.trackingCode, { timeout: 20_000, polling: 100 });
    expect(await page.evaluate(() => (window as unknown as { bandosoIoc: Probe }).bandosoIoc.layerIds())).toEqual(expect.arrayContaining(['ioc-on-time', 'ioc-density', 'ioc-live-reports']));

    // deck.gl really drew it where it is: picking the rendered frame at that place finds it.
    await jumpTo(page, [lon, lat], 13);
    await waitForIdleMap(page);
    await page
      .waitForFunction(
        ({ code, lngLat }) => (window as unknown as { bandosoIoc: Probe }).bandosoIoc.pickLiveReport(lngLat) === code,
        { code: sent.trackingCode, lngLat: [lon, lat] as [number, number] },
        { timeout: 30_000, polling: 250 },
      )
      .catch(async (error: unknown) => {
        // Seen once in a full `npm test` (not reproduced since): say what the page had, for next time.
        const state = await page.evaluate((lngLat) => {
          const map = (window as unknown as { bandoso: { map: { project(p: [number, number]): { x: number; y: number }; getCanvas(): HTMLCanvasElement; getZoom(): number; isMoving(): boolean } } }).bandoso.map;
          const canvas = map.getCanvas();
          const probe = (window as unknown as { bandosoIoc: Probe }).bandosoIoc;
          return {
            point: map.project(lngLat),
            canvas: [canvas.clientWidth, canvas.clientHeight],
            zoom: map.getZoom(),
            moving: map.isMoving(),
            contextLost: (canvas.getContext('webgl2') ?? canvas.getContext('webgl'))?.isContextLost() ?? 'no context',
            liveCodes: probe.liveLayerTrackingCodes(),
            picked: probe.pickLiveReport(lngLat) ?? null,
            layers: probe.layerIds(),
          };
        }, [lon, lat] as [number, number]);
        throw new Error(`deck.gl did not pick ${sent.trackingCode} at ${lon}, ${lat}; page errors: ${JSON.stringify(errors)}; page state: ${JSON.stringify(state)}`, { cause: error });
      });
    await page.screenshot({ path: screenshotPath('ioc-live-report') });
    // At street zoom the density hexagons are gone (they fade from zoom 12): the streets stay readable.
    expect(await page.evaluate(() => (window as unknown as { bandosoIoc: Probe }).bandosoIoc.layerIds())).toContain('ioc-density');
    await jumpTo(page, [lon, lat], 15);
    await page.waitForFunction(() => !(window as unknown as { bandosoIoc: Probe }).bandosoIoc.layerIds().includes('ioc-density'), undefined, { timeout: 10_000, polling: 100 });
    expect(await page.evaluate(() => (window as unknown as { bandosoIoc: Probe }).bandosoIoc.layerIds())).toContain('ioc-live-reports');

    // The statistics: by office too, and the overdue list.
    await page.selectOption('#ioc-group-by', 'office');
    await page.locator('.bar-chart[data-group-by="office"] .bar-row').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.ioc-totals').textContent()).toMatch(/tiếp nhận/);
    await jumpTo(page, [103.05, 21.45], 9);
    await waitForIdleMap(page);
    // The panel is rebuilt when its statistics refresh (5 s after a live report), which can detach
    // an element a locator just found: scroll to whichever chart is there, in one step in the page.
    await page.locator('.bar-chart').first().waitFor({ timeout: 30_000 });
    await page.evaluate(() => document.querySelector('.bar-chart')?.scrollIntoView({ block: 'nearest' }));
    await page.screenshot({ path: screenshotPath('ioc-statistics') });
    // A period: the last 7 days asks the statistics for those days only.
    const periodRequest = page.waitForRequest((request) => request.url().includes('/api/stats?') && request.url().includes('from='), { timeout: 20_000 });
    await page.selectOption('#ioc-period', '7');
    expect(new URL((await periodRequest).url()).searchParams.get('from')).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // The operator opens the live report (the map's point opens the same details: deck.gl's pick at
    // its place is checked above) and takes it to the desk to act on it.
    await page.locator(`.live-item[data-tracking-code="${sent.trackingCode}"] button`).first().click();
    await page.locator(`.ioc-report-detail[data-tracking-code="${sent.trackingCode}"] .open-report`).click();
    await page.waitForURL(`**/office/reports/${sent.id}`, { timeout: 20_000 });
    await page.waitForFunction((code) => (window as unknown as { bandosoOffice?: { shownReport(): string | undefined } }).bandosoOffice?.shownReport() === code, sent.trackingCode, { timeout: 30_000, polling: 200 });
    // There the IOC escalates it to the supervising office (an officer is not offered that action).
    await page.locator('[data-action="escalate"]').click();
    await page.fill('#office-escalate-note', 'Biển báo đổ trên quốc lộ, cần cấp trên theo dõi');
    await page.locator('.office-action-form.action-escalate button[type="submit"]').click();
    await page.locator('.office-notice').filter({ hasText: sent.trackingCode }).waitFor({ timeout: 20_000 });
    const escalated = await (await fetch(`${platform.baseUrl}/api/reports/${sent.trackingCode}`)).json();
    expect(escalated.timeline.at(-1)).toMatchObject({ kind: 'escalated_by_operations', note: 'Biển báo đổ trên quốc lộ, cần cấp trên theo dõi' });
    expect(errors).toEqual([]);
  }, 180_000);
});
