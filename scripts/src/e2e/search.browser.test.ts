import type { SearchResponse, SearchResult } from '@bandoso/contracts';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestServer } from '@bandoso/api/testing';
import { describeInBrowser, desktopViewport, launchBrowser, newContext, phoneViewport, screenshotPath } from './browser.ts';
import { screenPoint, waitForIdleMap } from './map-page.ts';
import { startBrowserPlatform } from './platform.ts';

const MUSEUM = 'Bảo tàng Chiến thắng lịch sử Điện Biên Phủ';
const phone: BrowserContextOptions = { viewport: phoneViewport, isMobile: true, hasTouch: true };
const desktop: BrowserContextOptions = { viewport: desktopViewport };

type MapHandle = { getCenter(): { lng: number; lat: number }; getZoom(): number };
const mapState = (page: Page) =>
  page.evaluate(() => {
    const map = (window as unknown as { bandoso: { map: MapHandle } }).bandoso.map;
    const centre = map.getCenter();
    return { lon: centre.lng, lat: centre.lat, zoom: map.getZoom() };
  });

/**
 * The search box of the header (issue 16) in Chromium, on the real platform: keyboard only — Tab to
 * the box, type, arrow down, Enter — the map flies to the result; in the citizen view "pin here"
 * opens the place card at the result. Screenshots on a phone and a desktop, in both languages.
 */
describeInBrowser('the search box, by keyboard, on the real platform', () => {
  let platform: TestServer;
  let browser: Browser;
  let museums: SearchResult[];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [platform, browser] = await Promise.all([startBrowserPlatform(), launchBrowser()]);
    const answer = (await (await fetch(`${platform.baseUrl}/api/search?q=${encodeURIComponent('bao tang')}`)).json()) as SearchResponse;
    // The heritage site, and the base map's point of the same name when another test imported the OSM fixture.
    museums = answer.results.filter((result) => result.name === MUSEUM);
    expect(museums.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await platform?.close();
  });

  async function openPage(options: BrowserContextOptions, language: 'vi' | 'en'): Promise<{ page: Page; errors: string[] }> {
    const context = await newContext(browser, options);
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${platform.baseUrl}/?lang=${language}`);
    await page.waitForFunction(() => Boolean((window as unknown as { bandoso?: unknown }).bandoso), undefined, { timeout: 45_000 });
    await waitForIdleMap(page);
    return { page, errors };
  }

  /** Tabs from the top of the page until the search box has the focus (the skip link comes first). */
  async function tabToSearch(page: Page): Promise<void> {
    for (let step = 0; step < 6; step += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.getAttribute('role') === 'combobox')) return;
    }
    throw new Error('Tab never reached the search box');
  }

  async function typeAndWaitForOption(page: Page, text: string, optionText: string): Promise<void> {
    await page.keyboard.type(text, { delay: 30 });
    await page.locator('[role="listbox"] [role="option"]', { hasText: optionText }).first().waitFor({ state: 'visible', timeout: 15_000 });
  }

  it('type "bao tang", arrow down, Enter: the map flies to the museum; "pin here" opens the place card there (desktop, Vietnamese)', async () => {
    const { page, errors } = await openPage(desktop, 'vi');
    const combobox = page.locator('[role="combobox"]');
    expect(await combobox.getAttribute('aria-expanded')).toBe('false');
    const listboxId = await combobox.getAttribute('aria-controls');
    expect(await page.locator(`#${listboxId}`).getAttribute('role')).toBe('listbox');

    await tabToSearch(page);
    await typeAndWaitForOption(page, 'bao tang', MUSEUM);
    expect(await combobox.getAttribute('aria-expanded')).toBe('true');
    const first = page.locator('[role="option"]').first();
    expect(await first.textContent()).toContain(MUSEUM);
    // With the OSM fixture imported (another test may have), a base map point has the same name: the
    // nearer to the map's centre comes first. Fly to whichever the list shows first.
    const firstKind = await first.getAttribute('data-kind');
    const museum = museums.find((result) => result.kind === firstKind)!;
    expect(museum).toBeDefined();
    expect(await first.textContent()).toMatch(firstKind === 'heritage' ? /Di tích/ : /Địa điểm/);
    if (museum.commune) expect(await first.textContent()).toContain(museum.commune.name);
    await page.screenshot({ path: screenshotPath('search-desktop-vi-results') });

    await page.keyboard.press('ArrowDown');
    const activeId = await combobox.getAttribute('aria-activedescendant');
    expect(activeId).toBe(await first.getAttribute('id'));
    expect(await first.getAttribute('aria-selected')).toBe('true');

    await page.keyboard.press('Enter');
    expect(await combobox.getAttribute('aria-expanded')).toBe('false');
    expect(await combobox.inputValue()).toBe(MUSEUM);
    await page.waitForFunction(() => !(window as unknown as { bandoso: { map: { isMoving(): boolean } } }).bandoso.map.isMoving(), undefined, { timeout: 15_000 });
    await waitForIdleMap(page);
    const state = await mapState(page);
    expect(state.zoom).toBeCloseTo(16, 1);
    expect(Math.abs(state.lon - museum.point[0])).toBeLessThan(1e-4);
    expect(Math.abs(state.lat - museum.point[1])).toBeLessThan(1e-4);
    await expect.poll(() => page.locator('.search-marker').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('search-desktop-vi-chosen') });

    // Keyboard on: Tab from the box reaches "Báo cáo tại đây" (pin here); Enter pins the place there.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Báo cáo tại đây');
    await page.keyboard.press('Enter');
    await page.locator('.place-card h2#place-title').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await page.locator('.search-marker').count()).toBe(0);
    const pin = page.locator('.maplibregl-marker[aria-label="Vị trí đã chọn"]');
    await pin.waitFor({ state: 'attached' });
    const box = (await pin.boundingBox())!;
    const expected = await screenPoint(page, museum.point);
    expect(Math.abs(box.x + box.width / 2 - expected.x)).toBeLessThan(3);
    expect(Math.abs(box.y + box.height - expected.y)).toBeLessThan(8);
    if (museum.commune) await expect.poll(() => page.locator('.place-card').textContent(), { timeout: 15_000 }).toContain(museum.commune.name);
    await page.screenshot({ path: screenshotPath('search-desktop-vi-pinned') });
    expect(errors).toEqual([]);
  }, 180_000);

  it('Escape closes the list, then clears the box; a query with no answer says so (desktop, English)', async () => {
    const { page, errors } = await openPage(desktop, 'en');
    const combobox = page.locator('[role="combobox"]');
    expect(await combobox.getAttribute('aria-label')).toBe('Search for a place');
    await tabToSearch(page);
    await typeAndWaitForOption(page, 'muong thnah', 'Phường Mường Thanh');
    expect(await page.locator('[role="option"]').first().textContent()).toContain('Commune or ward');
    await page.screenshot({ path: screenshotPath('search-desktop-en-results') });
    await page.keyboard.press('Escape');
    expect(await combobox.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Escape');
    expect(await combobox.inputValue()).toBe('');
    await page.keyboard.type('zzqxw', { delay: 30 });
    await page.locator('[role="option"]', { hasText: 'Nothing found' }).waitFor({ state: 'visible', timeout: 15_000 });
    expect(errors).toEqual([]);
  }, 120_000);

  for (const language of ['vi', 'en'] as const) {
    it(`on a phone (${language}): the box has its own row, the list fits, Enter flies to a commune's bounds`, async () => {
      const { page, errors } = await openPage(phone, language);
      const input = (await page.locator('[role="combobox"]').boundingBox())!;
      expect(input.width).toBeGreaterThan(phoneViewport.width - 40);
      expect(input.height).toBeGreaterThanOrEqual(44);
      await tabToSearch(page);
      await typeAndWaitForOption(page, 'Muong Phang', 'Xã Mường Phăng');
      const list = (await page.locator('[role="listbox"]').boundingBox())!;
      expect(list.x).toBeGreaterThanOrEqual(0);
      expect(list.x + list.width).toBeLessThanOrEqual(phoneViewport.width);
      await page.screenshot({ path: screenshotPath(`search-phone-${language}-results`) });
      const before = await mapState(page);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => !(window as unknown as { bandoso: { map: { isMoving(): boolean } } }).bandoso.map.isMoving(), undefined, { timeout: 15_000 });
      await waitForIdleMap(page);
      const after = await mapState(page);
      expect(after).not.toEqual(before);
      await page.screenshot({ path: screenshotPath(`search-phone-${language}-chosen`) });
      expect(errors).toEqual([]);
    }, 120_000);
  }
});
