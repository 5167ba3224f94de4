import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { getSharedTestDatabase, pointInUnit } from '@bandoso/api/testing';
import { messages, type MessageKey } from '../../../map-client/src/app/i18n.ts';
import { clickMapAt, fillReport, openReportForm, waitForTrackingCode } from './citizen-page.ts';
import { describeInBrowser, desktopViewport, phoneViewport, screenshotPath } from './browser.ts';
import { waitForIdleMap, waitForRenderedFeatures } from './map-page.ts';
import { useBrowserPlatform } from './browser-platform.ts';

type Database = Awaited<ReturnType<typeof getSharedTestDatabase>>['db'];

/**
 * Issue 17, the citizen's walk-through (points 4–10): messages that linger or lie, "tap" on a
 * desktop, Vietnamese left behind by the English toggle, coordinates with decimal commas. Each
 * step asserts what the old page got wrong.
 */
describeInBrowser('issue 17 walk-through: the citizen flow', () => {
  let db: Database;
  const harness = useBrowserPlatform();
  const { openPage } = harness;

  beforeAll(async () => {
    db = (await getSharedTestDatabase()).db;
  });

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${harness.platform.baseUrl}${path}`);
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  async function placeIn(unitCode: string): Promise<[number, number]> {
    const [lon, lat] = await pointInUnit(db, unitCode);
    const jitter = () => (randomBytes(1)[0]! / 255 - 0.5) * 0.002;
    return [lon + jitter(), lat + jitter()];
  }
  const unique = (text: string) => `${text} ${randomBytes(4).toString('hex')}`;
  const en = (key: MessageKey) => messages.en[key] as string;
  const vi = (key: MessageKey) => messages.vi[key] as string;

  /** A phone that shares its position (the device's GPS at `place`). */
  const phoneAt = (place: [number, number]) => ({
    viewport: phoneViewport,
    isMobile: true,
    hasTouch: true,
    geolocation: { longitude: place[0], latitude: place[1], accuracy: 20 },
    permissions: ['geolocation'],
  });

  /** The visible elements whose own text contains `text` (one per place it is shown). */
  const visibleWithText = (page: Page, text: string) =>
    page.evaluate((text) => {
      const found: string[] = [];
      for (const element of document.querySelectorAll<HTMLElement>('body *')) {
        const own = [...element.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent).join('');
        if (!own.includes(text)) continue;
        const box = element.getBoundingClientRect();
        const style = getComputedStyle(element);
        if (box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none') found.push(element.className || element.tagName);
      }
      return found;
    }, text);

  /** The panel's text without what people typed or chose and without the commune's name (proper names). */
  const panelText = (page: Page) =>
    page.evaluate(() => {
      const copy = document.querySelector('#view-panel')!.cloneNode(true) as HTMLElement;
      for (const element of copy.querySelectorAll('select, textarea, input, .routing-commune, .tracking-code')) element.remove();
      return copy.textContent ?? '';
    });
  /** The Vietnamese report-screen messages (without placeholders, long enough not to be part of a name). */
  const vietnameseReportTexts = (Object.keys(messages.vi) as MessageKey[])
    .filter((key) => /^(report|queue)\./.test(key))
    .map((key) => vi(key))
    .filter((text) => typeof text === 'string' && !text.includes('{') && text.length >= 8);

  it('4. a validation message goes as soon as its field is right', async () => {
    const place = await placeIn('03127');
    const { page } = await openPage('/', { viewport: desktopViewport });
    await clickMapAt(page, place);
    await openReportForm(page);
    await page.locator('.report-send').click();
    const errors = page.locator('.form-errors');
    await errors.getByText(vi('report.missingCategory')).waitFor({ timeout: 10_000 });
    expect(await errors.textContent()).toContain(vi('report.missingDescription'));

    // The category chosen: its message goes, the description's stays.
    await page.selectOption('#report-category', 'public_lighting');
    await expect.poll(() => errors.textContent(), { timeout: 5_000 }).not.toContain(vi('report.missingCategory'));
    expect(await errors.textContent()).toContain(vi('report.missingDescription'));
    expect(await page.getAttribute('#report-category', 'aria-invalid')).toBeNull();
    expect(await page.getAttribute('#report-description', 'aria-invalid')).toBe('true');
    // Typed, letter by letter: gone once long enough.
    await page.locator('#report-description').pressSequentially('Đèn hỏng');
    await expect.poll(() => errors.textContent(), { timeout: 5_000 }).toBe('');
  }, 180_000);

  it('5. "getting your position" goes once the position is found; a refusal is said once', async () => {
    const place = await placeIn('03127');
    const { page } = await openPage('/', phoneAt(place));
    await page.locator('.use-location').click({ timeout: 45_000 });
    await page.locator('.place-commune').waitFor({ timeout: 30_000 });
    // Back home from the place card: nothing says it is still looking.
    await page.locator('.place-card .dialog-close').click();
    await page.locator('.citizen-home').waitFor();
    expect(await page.locator('#view-panel').textContent()).not.toContain(vi('citizen.locatingDevice'));
    expect(await visibleWithText(page, vi('citizen.locatingDevice'))).toEqual([]);

    // Location refused (no permission given to this page): said once, not twice on top of each other.
    const denied = await openPage('/', { viewport: phoneViewport, isMobile: true, hasTouch: true });
    await denied.page.locator('.use-location').click({ timeout: 45_000 });
    const refusal = 'Không lấy được vị trí của bạn.';
    await denied.page.getByText(refusal).first().waitFor({ timeout: 20_000 });
    await denied.page.waitForTimeout(500);
    expect(await visibleWithText(denied.page, refusal)).toHaveLength(1);
    await denied.page.screenshot({ path: screenshotPath('walkthrough-5-location-denied-phone-vi') });
  }, 180_000);

  it('6. the "sent" notice is a toast over the map: not over the panel, translated, and gone after a while', async () => {
    const place = await placeIn('03127');
    const { page } = await openPage('/', phoneAt(place));
    await page.locator('.use-location').click({ timeout: 45_000 });
    await page.locator('.place-commune').waitFor({ timeout: 30_000 });
    await openReportForm(page);
    await fillReport(page, unique('Đèn đường trước cổng trường không sáng'));
    await page.locator('.report-send').click();
    const code = await waitForTrackingCode(page);

    const notice = page.getByText(`Đã gửi — mã theo dõi ${code}`);
    await notice.waitFor({ timeout: 10_000 });
    const sentAt = Date.now();
    const box = (await notice.boundingBox())!;
    const panel = (await page.locator('#view-panel').boundingBox())!;
    const overlap = Math.max(0, Math.min(box.y + box.height, panel.y + panel.height) - Math.max(box.y, panel.y)) * Math.max(0, Math.min(box.x + box.width, panel.x + panel.width) - Math.max(box.x, panel.x));
    expect(overlap, 'the notice covers the panel').toBe(0);
    await page.screenshot({ path: screenshotPath('walkthrough-6-sent-toast-phone-vi') });

    // In English once switched.
    await page.locator('.language-toggle').click();
    await page.getByText(`Sent — tracking code ${code}`).waitFor({ timeout: 5_000 });
    expect(await visibleWithText(page, 'Đã gửi — mã theo dõi')).toEqual([]);

    // And gone after a while, by itself.
    await page.getByText(`Sent — tracking code ${code}`).waitFor({ state: 'hidden', timeout: 25_000 });
    const shownMs = Date.now() - sentAt;
    expect(shownMs).toBeGreaterThan(4_000);
    expect(await visibleWithText(page, code)).toEqual(['tracking-code']);
  }, 180_000);

  it('7. a report queued offline and sent later in the background is announced with its tracking code', async () => {
    const place = await placeIn('03334');
    const { page } = await openPage('/', { viewport: desktopViewport, serviceWorkers: 'block' });
    await waitForRenderedFeatures(page, ['boundaries-commune-fill']);
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
    const description = unique('Cống thoát nước bị tắc trước chợ');
    await fillReport(page, description, 'drainage_flooding');
    await page.locator('.report-send').click();
    await page.locator('.queue-state[data-state="waiting"]').waitFor({ timeout: 20_000 });
    // The person moves on: back to the map's home.
    await page.getByRole('button', { name: vi('report.newReport') }).click();
    await page.locator('.citizen-home').waitFor();

    await page.context().setOffline(false);
    const announced = page.getByText(/đã được gửi — mã theo dõi DB-[0-9A-Z]{6}/);
    await announced.waitFor({ timeout: 90_000 });
    const code = /DB-[0-9A-Z]{6}/.exec((await announced.textContent())!)![0];
    const listed = await api<{ total: number; reports: { trackingCode: string }[] }>(`/api/reports?q=${encodeURIComponent(description)}`);
    expect(listed.reports.map((report) => report.trackingCode)).toEqual([code]);
    await page.screenshot({ path: screenshotPath('walkthrough-7-sent-later-desktop-vi') });
  }, 240_000);

  it('8. instructions say "click" with a mouse and "tap" on a touch screen', async () => {
    const desktop = await openPage('/', { viewport: desktopViewport });
    const hint = desktop.page.locator('.citizen-home .hint');
    await hint.waitFor({ timeout: 45_000 });
    expect(await hint.textContent()).toMatch(/^Nhấp vào bản đồ/);
    expect(await desktop.page.locator('body').textContent()).not.toMatch(/[Cc]hạm vào/);
    await desktop.page.locator('.language-toggle').click();
    await expect.poll(() => hint.textContent()).toMatch(/^Click the map/);

    const phone = await openPage('/', { viewport: phoneViewport, isMobile: true, hasTouch: true });
    const phoneHint = phone.page.locator('.citizen-home .hint');
    await phoneHint.waitFor({ timeout: 45_000 });
    expect(await phoneHint.textContent()).toMatch(/^Chạm vào bản đồ/);
  }, 180_000);

  it('9. the English toggle translates the open form (keeping what was typed), the sent screen, "my reports" and the timeline', async () => {
    const place = await placeIn('03127');
    const { page, errors } = await openPage('/', phoneAt(place));
    const preview = await api<{ office: { code: string; name: string; nameEn: string | null } }>(`/api/reports/routing-preview?lon=${place[0]}&lat=${place[1]}&category=public_lighting`);
    expect(preview.office.nameEn, 'the sample office has an English name').toBeTruthy();
    await page.locator('.use-location').click({ timeout: 45_000 });
    await page.locator('.place-commune').waitFor({ timeout: 30_000 });
    await openReportForm(page);
    const description = unique('Đèn đường ngõ 12 tắt cả tuần');
    await fillReport(page, description);
    await page.locator('.routing-office').waitFor({ timeout: 30_000 });

    // The open form, switched: English, what was typed kept.
    await page.locator('.language-toggle').click();
    await page.locator('label[for="report-description"]', { hasText: en('report.description') }).waitFor({ timeout: 5_000 });
    expect(await page.inputValue('#report-description')).toBe(description);
    expect(await page.inputValue('#report-category')).toBe('public_lighting');
    expect(await page.locator('.report-send').textContent()).toBe(en('report.send'));
    expect(await page.locator('.routing-office').textContent()).toBe(preview.office.nameEn);
    expect(await page.locator('#report-category option:checked').textContent()).toBe('Public lighting');
    let text = await panelText(page);
    expect(vietnameseReportTexts.filter((message) => text.includes(message))).toEqual([]);
    await page.screenshot({ path: screenshotPath('walkthrough-9-form-phone-en') });

    // Sent in Vietnamese, then switched: the sent screen in English.
    await page.locator('.language-toggle').click();
    await page.locator('.report-send', { hasText: vi('report.send') }).waitFor({ timeout: 5_000 });
    await page.locator('.report-send').click();
    const code = await waitForTrackingCode(page);
    await page.locator('.language-toggle').click();
    await page.locator('#report-form-title', { hasText: en('report.sentTitle') }).waitFor({ timeout: 5_000 });
    expect(await page.locator('.sent-detail').textContent()).toMatch(new RegExp(`^${preview.office.nameEn!} will handle it, due \\d\\d [A-Z][a-z]{2} \\d{4}, \\d\\d:\\d\\d\\.$`));
    text = await panelText(page);
    expect(vietnameseReportTexts.filter((message) => text.includes(message))).toEqual([]);
    await page.screenshot({ path: screenshotPath('walkthrough-9-sent-phone-en') });

    // "My reports", in English: the category saved in Vietnamese shows in English.
    await page.getByRole('button', { name: en('report.newReport') }).click();
    await page.locator('.my-reports-button').click();
    const item = page.locator(`.report-item[data-tracking-code="${code}"]`);
    await item.locator('.report-category', { hasText: 'Public lighting' }).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath('walkthrough-9-my-reports-phone-en') });

    // The timeline names the office in English, and in Vietnamese once switched back, in place.
    await item.locator('.open-report').click();
    const routed = page.locator('.timeline-entry[data-kind="routed"] .timeline-title');
    await routed.waitFor({ timeout: 20_000 });
    expect(await routed.textContent()).toBe(`Received and sent to ${preview.office.nameEn!}`);
    await page.screenshot({ path: screenshotPath('walkthrough-9-timeline-phone-en') });
    await page.locator('.language-toggle').click();
    await expect.poll(() => routed.textContent(), { timeout: 10_000 }).toBe(`Tiếp nhận và chuyển đến ${preview.office.name}`);
    expect(errors).toEqual([]);
  }, 240_000);

  it('10. coordinates read unambiguously in each language and copy as plain decimals', async () => {
    const place = await placeIn('03127');
    const { page } = await openPage('/', { viewport: desktopViewport, permissions: ['clipboard-read', 'clipboard-write'] });
    await clickMapAt(page, place);
    const value = page.locator('.place-card .coordinates-value');
    await value.waitFor({ timeout: 30_000 });
    expect(await value.textContent()).toMatch(/^\d{1,2},\d{4}° B, \d{2,3},\d{4}° Đ$/);
    await page.locator('.language-toggle').click();
    await expect.poll(() => value.textContent()).toMatch(/^\d{1,2}\.\d{4}° N, \d{2,3}\.\d{4}° E$/);
    await page.screenshot({ path: screenshotPath('walkthrough-10-coordinates-desktop-en') });

    await page.locator('.copy-coordinates').click();
    await page.getByText(/^Coordinates copied:/).waitFor({ timeout: 5_000 });
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^\d{1,2}\.\d{6}, \d{2,3}\.\d{6}$/);
    const [lat, lon] = copied.split(', ').map(Number) as [number, number];
    expect(Math.abs(lat - place[1])).toBeLessThan(0.001);
    expect(Math.abs(lon - place[0])).toBeLessThan(0.001);
  }, 180_000);
});
