import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearerToken, createTestUser, getSharedTestDatabase, insertTestReports, pointInUnit, staffAction, submitTestReport, type TestServer } from '@bandoso/api/testing';
import { clickMapAt, cameraJpeg, fillReport, openReportForm, waitForTrackingCode } from './citizen-page.ts';
import { describeInBrowser, desktopViewport, launchBrowser, newContext, phoneViewport, screenshotPath } from './browser.ts';
import { jumpTo, renderedProperties, screenPoint, waitForIdleMap, waitForRenderedFeatures } from './map-page.ts';
import { startBrowserPlatform } from './platform.ts';

type Database = Awaited<ReturnType<typeof getSharedTestDatabase>>['db'];

describeInBrowser('citizen reports in Chromium, on the real platform', () => {
  let platform: TestServer;
  let browser: Browser;
  let db: Database;
  let adminToken: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [platform, browser] = await Promise.all([startBrowserPlatform(), launchBrowser()]);
    db = (await getSharedTestDatabase()).db;
    adminToken = await bearerToken(platform.baseUrl, await createTestUser(db, 'admin'));
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await platform?.close();
  });

  async function openPage(path: string, options: Parameters<typeof newContext>[1] = {}): Promise<{ page: Page; errors: string[] }> {
    const context = await newContext(browser, options);
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${platform.baseUrl}${path}`);
    return { page, errors };
  }

  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${platform.baseUrl}${path}`, init);
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  /** A point inside a commune, moved a little so that tests do not put their pins on each other. */
  async function placeIn(unitCode: string): Promise<[number, number]> {
    const [lon, lat] = await pointInUnit(db, unitCode);
    const jitter = () => (randomBytes(1)[0]! / 255 - 0.5) * 0.002;
    return [lon + jitter(), lat + jitter()];
  }

  const unique = (text: string) => `${text} ${randomBytes(4).toString('hex')}`;

  it('pins a problem with the device position, shows the commune and the office, sends it with a photo, and gets a tracking code', async () => {
    const place = await placeIn('03127');
    const { page, errors } = await openPage('/', {
      viewport: phoneViewport,
      isMobile: true,
      hasTouch: true,
      geolocation: { longitude: place[0], latitude: place[1], accuracy: 25 },
      permissions: ['geolocation'],
    });
    const expectedCommune = (await api<{ commune: { name: string } }>(`/api/locate?lon=${place[0]}&lat=${place[1]}`)).commune.name;
    const expectedOffice = (await api<{ office: { name: string } }>(`/api/reports/routing-preview?lon=${place[0]}&lat=${place[1]}&category=public_lighting`)).office.name;

    await page.locator('.use-location').click({ timeout: 45_000 });
    await page.locator('.place-commune', { hasText: expectedCommune }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.place-accuracy').textContent()).toMatch(/25 m/);
    // The accuracy circle is drawn around the position.
    await waitForRenderedFeatures(page, ['citizen-accuracy-fill'], 1);

    await openReportForm(page);
    const description = unique('Đèn đường trước nhà văn hóa tổ 5 không sáng');
    await fillReport(page, description);
    await page.locator('.routing-office', { hasText: expectedOffice }).waitFor({ timeout: 30_000 });

    await page.setInputFiles('#report-photos', { name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: await cameraJpeg(place, new Date(Date.now() - 10 * 60_000)) });
    const photo = page.locator('.photo-item');
    await photo.waitFor({ timeout: 60_000 });
    // Downscaled in the browser, and the GPS position kept.
    expect(await photo.getAttribute('data-strategy')).toBe('downscaled');
    expect(await photo.getAttribute('data-gps')).toBe('true');
    await photo.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('citizen-report-form-phone') });

    await page.locator('.report-send').click();
    const trackingCode = await waitForTrackingCode(page);
    expect(trackingCode).toMatch(/^DB-[0-9A-Z]{6}$/);
    await page.screenshot({ path: screenshotPath('citizen-report-sent-phone') });

    // Through the API: the report exists, with its photo, routed as the page said.
    const report = await api<{ id: string; description: string; commune: { name: string }; office: { name: string }; photos: { url: string }[] }>(`/api/reports/${trackingCode}`);
    expect(report.description).toBe(description);
    expect(report.commune.name).toBe(expectedCommune);
    expect(report.office.name).toBe(expectedOffice);
    expect(report.photos).toHaveLength(1);
    const staffView = await api<{ locationCheck: { verdict: string; detail: string }; photos: { originalUrl: string }[] }>(`/api/staff/reports/${report.id}`, { headers: { Authorization: `Bearer ${adminToken}` } });
    // The EXIF position and time survived the downscaling: the platform verified the pin with them.
    expect(staffView.locationCheck.verdict, staffView.locationCheck.detail).toBe('verified');
    const original = await fetch(`${platform.baseUrl}${staffView.photos[0]!.originalUrl}`, { headers: { Authorization: `Bearer ${adminToken}` } });
    const metadata = await sharp(Buffer.from(await original.arrayBuffer())).metadata();
    expect(Math.max(metadata.width!, metadata.height!)).toBe(2048);
    expect(errors).toEqual([]);
  });

  it('queues a report made offline and sends it once, with the same idempotency key, when the connection returns', async () => {
    const place = await placeIn('03334');
    // The service worker is blocked so that the test can intercept the page's own requests.
    const { page } = await openPage('/', { viewport: desktopViewport, serviceWorkers: 'block' });
    await waitForRenderedFeatures(page, ['boundaries-commune-fill']);
    // A visit online leaves the form's code and the categories on the device.
    await page.waitForFunction(
      () => localStorage.getItem('bandoso.categories') !== null && performance.getEntriesByType('resource').some((entry) => entry.name.includes('/assets/report-form-')) && performance.getEntriesByType('resource').some((entry) => entry.name.includes('/assets/report-queue-runtime-')),
      undefined,
      { timeout: 30_000, polling: 200 },
    );
    await waitForIdleMap(page);

    await page.context().setOffline(true);
    await clickMapAt(page, place);
    await page.locator('.place-card', { hasText: /ngoại tuyến/i }).waitFor({ timeout: 20_000 });
    await openReportForm(page);
    const description = unique('Cống thoát nước bị tắc, nước tràn ra đường');
    await fillReport(page, description, 'drainage_flooding');
    await page.locator('.report-send').click();
    await page.locator('.queue-state[data-state="waiting"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('.submission-status').textContent()).toMatch(/tự động được gửi/);
    await page.screenshot({ path: screenshotPath('citizen-report-queued-offline') });
    expect((await api<{ total: number }>(`/api/reports?q=${encodeURIComponent(description)}`)).total).toBe(0);

    // Back online, the first attempt reaches the platform but its answer is lost on the way back.
    const keys: string[] = [];
    const answers: { status: number; replayed: string | undefined }[] = [];
    await page.route('**/api/reports', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push((await route.request().headerValue('idempotency-key')) ?? '');
      const response = await route.fetch();
      answers.push({ status: response.status(), replayed: response.headers()['idempotent-replayed'] });
      if (keys.length === 1) return route.abort('connectionreset');
      return route.fulfill({ response });
    });
    await page.context().setOffline(false);
    const trackingCode = await waitForTrackingCode(page, 90_000);

    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(answers).toEqual([
      { status: 201, replayed: undefined },
      { status: 200, replayed: 'true' },
    ]);
    const listed = await api<{ total: number; reports: { trackingCode: string }[] }>(`/api/reports?q=${encodeURIComponent(description)}`);
    expect(listed.total).toBe(1);
    expect(listed.reports[0]!.trackingCode).toBe(trackingCode);
    await page.screenshot({ path: screenshotPath('citizen-report-sent-after-offline') });
  });

  it('offers to follow a nearby report of the same category, keeps both in "my reports", and rates the answer once an officer resolves it', async () => {
    const place = await placeIn('03316');
    const nearby = await submitTestReport(platform.baseUrl, { category: 'waste_environment', coordinates: [place[0] + 0.0004, place[1]], description: unique('Rác thải đổ trộm ven suối') });

    const { page } = await openPage('/', { viewport: desktopViewport });
    await clickMapAt(page, place);
    await page.locator('.place-commune').waitFor({ timeout: 30_000 });
    await openReportForm(page);
    const description = unique('Bãi rác tự phát cạnh đường, bốc mùi');
    await fillReport(page, description, 'waste_environment');
    const item = page.locator(`.nearby-report[data-tracking-code="${nearby.trackingCode}"]`);
    await item.waitFor({ timeout: 30_000 });
    await item.locator('.follow-button').click();
    await page.locator('.following', { hasText: nearby.trackingCode }).waitFor({ timeout: 20_000 });
    // It is a different heap of rubbish: send it as well.
    await page.locator('.report-send').click();
    const trackingCode = await waitForTrackingCode(page);

    const sent = await api<{ id: string; office: { code: string } }>(`/api/reports/${trackingCode}`);
    const officer = await bearerToken(platform.baseUrl, await createTestUser(db, 'officer', sent.office.code));
    expect((await staffAction(platform.baseUrl, officer, sent.id, { action: 'accept' })).status).toBe(200);
    expect((await staffAction(platform.baseUrl, officer, sent.id, { action: 'resolve', answer: 'Đã thu gom rác và đặt biển cấm đổ rác.' })).status).toBe(200);

    // "My reports": both, the one sent and the one followed.
    await page.getByRole('button', { name: /Gửi phản ánh khác/ }).click();
    await page.locator('.my-reports-button').click();
    await page.locator(`.report-item[data-tracking-code="${nearby.trackingCode}"]`, { hasText: 'Bạn đang theo dõi' }).waitFor({ timeout: 20_000 });
    await page.locator(`.report-item[data-tracking-code="${trackingCode}"]`, { hasText: 'Bạn đã gửi' }).locator('.open-report').click();

    const detail = page.locator(`.report-detail[data-tracking-code="${trackingCode}"]`);
    await detail.locator('.timeline-entry').first().waitFor({ timeout: 20_000 });
    expect(await detail.locator('.timeline-entry').evaluateAll((entries) => entries.map((entry) => entry.getAttribute('data-kind')))).toEqual(['routed', 'accepted', 'resolved']);
    expect(await detail.locator('.report-answer').textContent()).toContain('Đã thu gom rác');
    expect(await detail.locator('.report-status').textContent()).toContain('Đã giải quyết');
    await page.screenshot({ path: screenshotPath('my-reports-timeline') });

    await detail.locator('#rating-comment').fill('Cảm ơn phường đã xử lý nhanh.');
    await detail.locator('.rate-satisfied').click();
    await detail.locator('.report-rating', { hasText: 'Hài lòng' }).waitFor({ timeout: 20_000 });
    const rated = await api<{ rating: { value: string; comment: string } }>(`/api/reports/${trackingCode}`);
    expect(rated.rating).toMatchObject({ value: 'satisfied', comment: 'Cảm ơn phường đã xử lý nhanh.' });
    await page.screenshot({ path: screenshotPath('my-reports-rated') });

    // The same screen in English, by the toggle.
    await page.locator('.language-toggle').click();
    await detail.locator('.report-status', { hasText: 'Resolved' }).waitFor({ timeout: 10_000 });
    expect(await detail.locator('.timeline-entry .timeline-title').first().textContent()).toMatch(/^Received and sent to /);
    expect(await detail.locator('.report-rating').textContent()).toBe('The reporter’s rating: Satisfied');
  });

  it('draws the public reports as clusters, then pins coloured by status, filters them, and opens a report on a click', async () => {
    const centre = await placeIn('03325');
    const at = (dx: number, dy: number): [number, number] => [centre[0] + dx, centre[1] + dy];
    const open = await submitTestReport(platform.baseUrl, { category: 'roads_pavements', coordinates: at(0.0006, 0), description: unique('Ổ gà lớn giữa đường') });
    const resolved = await submitTestReport(platform.baseUrl, { category: 'roads_pavements', coordinates: at(-0.0006, 0), description: unique('Vỉa hè bị vỡ') });
    const officer = await bearerToken(platform.baseUrl, await createTestUser(db, 'officer', resolved.office.code));
    await staffAction(platform.baseUrl, officer, resolved.id, { action: 'accept' });
    await staffAction(platform.baseUrl, officer, resolved.id, { action: 'resolve', answer: 'Đã lát lại vỉa hè.' });
    const [overdue] = await insertTestReports(db, [{ lon: at(0, 0.0006)[0], lat: at(0, 0.0006)[1], category: 'roads_pavements', overdue: true }]);

    const { page } = await openPage('/', { viewport: desktopViewport });
    await waitForRenderedFeatures(page, ['boundaries-commune-fill']);
    // Zoomed out: clusters with their counts.
    await jumpTo(page, centre, 10);
    await waitForRenderedFeatures(page, ['reports-cluster'], 1);
    await waitForIdleMap(page);
    const clusters = await renderedProperties(page, 'reports-cluster');
    expect(clusters.every((properties) => properties.cluster === true && Number(properties.count) >= 1)).toBe(true);
    expect(clusters.reduce((total, properties) => total + Number(properties.count), 0)).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: screenshotPath('reports-layer-clusters') });

    // Zoomed in: one pin per report, with its status and the overdue flag.
    await jumpTo(page, centre, 16);
    await page.waitForFunction(
      (codes) => {
        const map = (window as unknown as { bandoso: { map: { queryRenderedFeatures(options: object): { properties: Record<string, unknown> }[] } } }).bandoso.map;
        const seen = new Set(map.queryRenderedFeatures({ layers: ['reports-pin'] }).map((feature) => feature.properties.tracking_code));
        return codes.every((code) => seen.has(code));
      },
      [open.trackingCode, resolved.trackingCode, overdue!.trackingCode],
      { timeout: 45_000, polling: 200 },
    );
    await waitForIdleMap(page);
    const pins = new Map((await renderedProperties(page, 'reports-pin')).map((properties) => [properties.tracking_code, properties]));
    expect(pins.get(open.trackingCode)).toMatchObject({ status: 'received', overdue: false });
    expect(pins.get(resolved.trackingCode)).toMatchObject({ status: 'resolved' });
    expect(pins.get(overdue!.trackingCode)).toMatchObject({ overdue: true });
    await page.screenshot({ path: screenshotPath('reports-layer-pins') });

    // A click on a pin shows it (and offers a new report there); "view" opens the public detail.
    const point = await screenPoint(page, at(-0.0006, 0));
    await page.mouse.click(point.x, point.y);
    await page.locator(`.map-pick-item[data-kind="report"][data-id="${resolved.trackingCode}"] .map-pick-open-report`).click();
    const detail = page.locator(`.report-detail[data-tracking-code="${resolved.trackingCode}"]`);
    await detail.locator('.report-answer').waitFor({ timeout: 20_000 });
    expect(await detail.locator('.report-status').textContent()).toContain('Đã giải quyết');
    await page.screenshot({ path: screenshotPath('reports-layer-detail') });

    // Filters: only what is being handled.
    await detail.locator('.dialog-close').click();
    await page.locator('.report-filters summary').click();
    await page.selectOption('#filter-status', 'open');
    await page.waitForFunction(
      ({ openCode, resolvedCode }) => {
        const map = (window as unknown as { bandoso: { map: { queryRenderedFeatures(options: object): { properties: Record<string, unknown> }[] } } }).bandoso.map;
        const seen = new Set(map.queryRenderedFeatures({ layers: ['reports-pin'] }).map((feature) => feature.properties.tracking_code));
        return seen.has(openCode) && !seen.has(resolvedCode);
      },
      { openCode: open.trackingCode, resolvedCode: resolved.trackingCode },
      { timeout: 45_000, polling: 200 },
    );
    const statuses = new Set((await renderedProperties(page, 'reports-pin')).map((properties) => properties.status));
    expect(statuses.has('resolved')).toBe(false);
  });
});
