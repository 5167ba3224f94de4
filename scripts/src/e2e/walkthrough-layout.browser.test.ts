import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { createTestUser, getSharedTestDatabase, pointInUnit, submitTestReport } from '@bandoso/api/testing';
import { describeInBrowser, desktopViewport, phoneViewport, screenshotPath } from './browser.ts';
import { openReportForm } from './citizen-page.ts';
import { jumpTo, screenPoint, waitForIdleMap, waitForRenderedFeatures } from './map-page.ts';
import { useBrowserPlatform } from './browser-platform.ts';
import { messages } from '../../../map-client/src/app/i18n.ts';

type Box = { left: number; top: number; right: number; bottom: number };

/**
 * Issue 17, points 1–3 and the layout's part of 9, measured on the rendered page (390×844 phone,
 * 1280×800 desktop): nothing sits under the floating SOS button, a tap's result comes into view
 * with the tapped place above the panel, the IOC leaves most of a phone to the map, and the
 * planner's title, the IOC's frame and the open SOS dialog follow a language switch.
 */
describeInBrowser('the walk-through layout (issue 17): floating controls, bottom sheets, the IOC on a phone', () => {
  const phone = { viewport: phoneViewport, isMobile: true, hasTouch: true };
  const harness = useBrowserPlatform();
  const { openPage } = harness;

  /**
   * Every piece of content of `selector` that can be seen now (inside the viewport and inside the
   * visible part of the scrolling panel holding it) and whose box meets the SOS button's box.
   * Empty when nothing sits under the button.
   */
  async function contentUnderSos(page: Page, selector: string): Promise<string[]> {
    return page.evaluate((selector) => {
      const sos = document.querySelector('.emergency-button')!.getBoundingClientRect();
      const root = document.querySelector<HTMLElement>(selector);
      if (!root) throw new Error(`${selector} is not on the page`);
      const scroller = root.closest<HTMLElement>('.view-panel') ?? root;
      const frame = scroller.getBoundingClientRect();
      const clipTop = Math.max(0, frame.top + scroller.clientTop);
      const clipBottom = Math.min(innerHeight, frame.top + scroller.clientTop + scroller.clientHeight);
      const under: string[] = [];
      for (const element of root.querySelectorAll<HTMLElement>('p, button, input, select, textarea, label, a, summary, li, h2, h3, h4, dt, dd, legend')) {
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.height === 0 || getComputedStyle(element).visibility === 'hidden') continue;
        const top = Math.max(box.top, clipTop);
        const bottom = Math.min(box.bottom, clipBottom);
        if (bottom <= top) continue; // scrolled out of sight: not covered, just not shown
        if (box.left < sos.right && box.right > sos.left && top < sos.bottom && bottom > sos.top) under.push(`${element.tagName.toLowerCase()}.${element.className}: ${(element.textContent ?? '').trim().slice(0, 40)}`);
      }
      return under;
    }, selector);
  }

  /** What a tap at the centre of the element would hit: true when it is the element (or inside it). */
  async function hitsItself(page: Page, selector: string): Promise<boolean> {
    const hit = await page.evaluate((selector) => {
      const element = document.querySelector<HTMLElement>(selector)!;
      const box = element.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return hit !== null && (hit === element || element.contains(hit)) ? '' : `${hit?.tagName}.${hit?.className} at ${Math.round(box.left + box.width / 2)},${Math.round(box.top + box.height / 2)}`;
    }, selector);
    expect(hit, selector).toBe('');
    return hit === '';
  }

  const boxOf = (page: Page, selector: string): Promise<Box> =>
    page.evaluate((selector) => {
      const box = document.querySelector(selector)!.getBoundingClientRect();
      return { left: box.left, top: box.top, right: box.right, bottom: box.bottom };
    }, selector);
  const meets = (a: Box, b: Box) => a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;

  /** Scrolls the view's panel to a share of its scroll range, then lets layout settle. */
  const scrollPanel = async (page: Page, share: number) => {
    await page.evaluate((share) => {
      const panel = document.getElementById('view-panel')!;
      panel.scrollTop = (panel.scrollHeight - panel.clientHeight) * share;
    }, share);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  };

  it('point 1, phone: the report form’s phone field, while typing, and the place card are never under the SOS button', async () => {
    const place = await pointInUnit((await getSharedTestDatabase()).db, '03334');
    const { page, errors } = await openPage('/', phone);
    await waitForRenderedFeatures(page, ['boundaries-commune-fill']);
    await jumpTo(page, place, 16);
    await waitForIdleMap(page);
    // "Pin the centre of the map": the place card (the map tap itself is the citizen view's, tested there).
    await page.locator('.pin-centre').click();
    await page.locator('.report-here:not([disabled])').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('walkthrough-1-place-card-phone-vi') });
    for (const share of [0, 1]) {
      await scrollPanel(page, share);
      expect(await contentUnderSos(page, '#view-panel'), `place card scrolled to ${share}`).toEqual([]);
    }

    await openReportForm(page);
    // The contact section opened, the field scrolled to and tapped as a person would (the tap fails
    // when something else, the SOS button, would receive it).
    await page.locator('.report-form details > summary').click({ timeout: 15_000 });
    await page.locator('#report-phone').click({ timeout: 15_000 });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('report-phone');
    await page.keyboard.type('0912345678');
    expect(await hitsItself(page, '#report-phone')).toBe(true);
    expect(meets(await boxOf(page, '#report-phone'), await boxOf(page, '.emergency-button'))).toBe(false);
    const field = await boxOf(page, '#report-phone');
    expect(field.bottom).toBeLessThanOrEqual(phoneViewport.height);
    await page.screenshot({ path: screenshotPath('walkthrough-1-report-phone-field-phone-vi') });
    for (const share of [0, 0.5, 1]) {
      await scrollPanel(page, share);
      expect(await contentUnderSos(page, '#view-panel'), `report form scrolled to ${share}`).toEqual([]);
    }
    // The button is still there, and one tap opens the emergency panel.
    expect(await hitsItself(page, '.emergency-button')).toBe(true);
    await page.locator('.emergency-button').click();
    expect(await page.locator('dialog.emergency-dialog').isVisible()).toBe(true);
    expect(errors).toEqual([]);
  }, 180_000);

  it('point 1, phone: the header’s views fit a 390-pixel screen in both languages', async () => {
    const { page } = await openPage('/', phone);
    await page.waitForSelector('.view-nav a[data-view="ioc"]');
    for (const language of ['vi', 'en']) {
      const nav = await page.evaluate(() => {
        const nav = document.querySelector<HTMLElement>('.view-nav')!;
        const links = [...nav.querySelectorAll<HTMLElement>('a')].map((link) => link.getBoundingClientRect());
        return { scrollWidth: nav.scrollWidth, clientWidth: nav.clientWidth, right: Math.max(...links.map((box) => box.right)), heights: links.map((box) => box.height) };
      });
      expect(nav.scrollWidth, language).toBeLessThanOrEqual(nav.clientWidth);
      expect(nav.right, language).toBeLessThanOrEqual(phoneViewport.width);
      for (const height of nav.heights) expect(height).toBeGreaterThanOrEqual(44);
      await page.locator('.language-toggle').click();
    }
  }, 120_000);

  it('points 1, 2 and 9, phone: the planner’s measure buttons are clear of SOS; a tapped zone’s details come into view and the place stays above the panel', async () => {
    const changes = (await (await fetch(`${harness.platform.baseUrl}/api/planning/changes?plan=QHC-DBP&from=2016&to=2023`)).json()) as { changes: { zoneCode: string; bbox: number[] }[] };
    const [west, south, east, north] = changes.changes.find((change) => change.zoneCode === 'TMDV-01')!.bbox as [number, number, number, number];
    const centre: [number, number] = [(west + east) / 2, (south + north) / 2];

    const { page, errors } = await openPage('/planning', phone);
    await page.waitForSelector('#planning-version');
    await waitForRenderedFeatures(page, ['planning-fill'], 1);
    await page.locator('.measure-tool button').first().scrollIntoViewIfNeeded();
    for (const selector of ['.measure-tool button:nth-of-type(1)', '.measure-tool button:nth-of-type(2)']) {
      expect(await hitsItself(page, selector), selector).toBe(true);
      expect(meets(await boxOf(page, selector), await boxOf(page, '.emergency-button')), selector).toBe(false);
    }
    expect(await contentUnderSos(page, '#view-panel')).toEqual([]);
    await page.screenshot({ path: screenshotPath('walkthrough-1-planner-measure-phone-vi') });

    // The zone's centre just above the panel's top: when its details arrive, the panel grows over it.
    await page.evaluate(({ centre }) => {
      type MapHandle = { jumpTo(options: object): void; project(lngLat: [number, number]): { y: number }; getContainer(): HTMLElement; panBy(offset: [number, number], options: object): void };
      const map = (window as unknown as { bandoso: { map: MapHandle } }).bandoso.map;
      map.jumpTo({ center: centre, zoom: 15 });
      const panelTop = document.getElementById('view-panel')!.getBoundingClientRect().top - map.getContainer().getBoundingClientRect().top;
      map.panBy([0, map.project(centre).y - (panelTop - 40)], { duration: 0 });
    }, { centre });
    await waitForIdleMap(page);
    const tap = await screenPoint(page, centre);
    await page.mouse.click(tap.x, tap.y);
    const facts = page.locator('.zone-facts[data-zone-code="TMDV-01"]');
    await facts.waitFor({ timeout: 30_000 });
    await waitForIdleMap(page);

    // The details' beginning is in sight, in the panel's visible part, and a tap on it lands on it.
    const panel = await page.evaluate(() => {
      const element = document.getElementById('view-panel')!;
      const box = element.getBoundingClientRect();
      return { top: box.top, visibleBottom: box.top + element.clientTop + element.clientHeight };
    });
    const details = await boxOf(page, '.zone-details');
    expect(details.top).toBeGreaterThanOrEqual(panel.top - 1);
    expect(details.top).toBeLessThan(panel.visibleBottom - 80);
    expect(details.top).toBeLessThan(phoneViewport.height);
    expect(await hitsItself(page, '.zone-facts .zone-code')).toBe(true);
    expect(await hitsItself(page, '#zone-details-title')).toBe(true);
    // The tapped place is on the map, above the panel.
    const place = await screenPoint(page, centre);
    const mapTop = (await boxOf(page, '#map')).top;
    expect(place.y).toBeLessThan(panel.top - 8);
    expect(place.y).toBeGreaterThan(mapTop);
    await page.screenshot({ path: screenshotPath('walkthrough-2-planner-zone-tapped-phone-vi') });

    // Point 9: the panel's title follows the language.
    expect(await page.locator('#view-panel h2').first().textContent()).toBe('Quy hoạch');
    await page.locator('.language-toggle').click();
    expect(await page.locator('#view-panel h2').first().textContent()).toBe('Planning');
    await page.screenshot({ path: screenshotPath('walkthrough-2-planner-zone-tapped-phone-en') });
    expect(errors).toEqual([]);
  }, 180_000);

  it('points 1 and 2, desktop: the planner’s panel and its tapped zone are clear of the SOS button', async () => {
    const changes = (await (await fetch(`${harness.platform.baseUrl}/api/planning/changes?plan=QHC-DBP&from=2016&to=2023`)).json()) as { changes: { zoneCode: string; bbox: number[] }[] };
    const [west, south, east, north] = changes.changes.find((change) => change.zoneCode === 'TMDV-01')!.bbox as [number, number, number, number];
    const centre: [number, number] = [(west + east) / 2, (south + north) / 2];
    const { page } = await openPage('/planning', { viewport: desktopViewport });
    await page.waitForSelector('#planning-version');
    await waitForRenderedFeatures(page, ['planning-fill'], 1);
    await waitForIdleMap(page);
    const tap = await screenPoint(page, centre);
    await page.mouse.click(tap.x, tap.y);
    await page.locator('.zone-facts[data-zone-code="TMDV-01"]').waitFor({ timeout: 30_000 });
    expect(await hitsItself(page, '.zone-facts .zone-code')).toBe(true);
    for (const share of [0, 1]) {
      await scrollPanel(page, share);
      expect(await contentUnderSos(page, '#view-panel'), `scrolled to ${share}`).toEqual([]);
    }
    expect(meets(await boxOf(page, '#view-panel'), await boxOf(page, '.emergency-button'))).toBe(false);
    await page.screenshot({ path: screenshotPath('walkthrough-2-planner-zone-tapped-desktop-vi') });
  }, 180_000);

  it('point 9, phone: the SOS dialog stays open across a language switch, from its own button or the header’s', async () => {
    const { page } = await openPage('/', phone);
    await page.waitForSelector('.emergency-button');
    await page.locator('.emergency-button').click();
    const dialog = page.locator('dialog.emergency-dialog');
    expect(await dialog.locator('#emergency-title').textContent()).toBe('Gọi khẩn cấp');
    await dialog.locator('.dialog-language').click();
    expect(await dialog.isVisible()).toBe(true);
    expect(await dialog.locator('#emergency-title').textContent()).toBe('Emergency calls');
    expect(await dialog.locator('.hotline-113').getAttribute('aria-label')).toBe('Call 113: Police');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('dialog-language'))).toBe(true);
    // The header's language button seen through the backdrop: a tap on it switches, the dialog stays.
    const toggle = await boxOf(page, '.app-header .language-toggle');
    await page.mouse.click((toggle.left + toggle.right) / 2, (toggle.top + toggle.bottom) / 2);
    expect(await dialog.isVisible()).toBe(true);
    expect(await dialog.locator('#emergency-title').textContent()).toBe('Gọi khẩn cấp');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    // Elsewhere on the backdrop still closes it.
    await page.mouse.click(10, phoneViewport.height - 10);
    expect(await dialog.isVisible()).toBe(false);
  }, 120_000);

  it('points 3 and 9, phone: the IOC dashboard peeks so the map keeps most of the screen, opens with one tap, and its frame follows the language', async () => {
    const db = (await getSharedTestDatabase()).db;
    const operator = await createTestUser(db, 'ioc_operator');
    const { page, errors } = await openPage('/ioc', phone);
    await page.locator('#ioc-email').waitFor({ timeout: 45_000 });
    await page.fill('#ioc-email', operator.email);
    await page.fill('#ioc-password', operator.password);
    await page.press('#ioc-password', 'Enter');
    await page.locator('.ioc-section .feed-status[data-state="open"]').waitFor({ timeout: 60_000 });
    await page.locator('.bar-chart').waitFor({ state: 'attached', timeout: 30_000 });
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));

    const mapShare = () =>
      page.evaluate(() => {
        const map = document.getElementById('map')!.getBoundingClientRect();
        const panel = document.getElementById('view-panel')!.getBoundingClientRect();
        const visibleHeight = Math.max(0, Math.min(map.bottom, panel.top) - map.top);
        return { visibleHeight, share: (visibleHeight * map.width) / (innerWidth * innerHeight) };
      });
    const peeking = await mapShare();
    // About 160 px of map before; now more than half of the whole screen (the header takes its share).
    expect(peeking.share).toBeGreaterThanOrEqual(0.5);
    expect(peeking.visibleHeight).toBeGreaterThanOrEqual(420);
    const toggle = page.locator('#view-panel .sheet-toggle');
    await page.screenshot({ path: screenshotPath('walkthrough-3-ioc-peek-phone-vi') });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await hitsItself(page, '#view-panel .sheet-toggle')).toBe(true);
    expect(await contentUnderSos(page, '#view-panel')).toEqual([]);
    await page.screenshot({ path: screenshotPath('walkthrough-3-ioc-peek-phone-vi') });

    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const open = await mapShare();
    expect(open.visibleHeight).toBeLessThan(peeking.visibleHeight - 150);
    expect(await contentUnderSos(page, '#view-panel')).toEqual([]);
    await page.screenshot({ path: screenshotPath('walkthrough-3-ioc-open-phone-vi') });

    // The frame (title, toggle, status, layers, live list's title) follows the language.
    await page.locator('.language-toggle').click();
    expect(await page.locator('#view-panel h2').first().textContent()).toBe('Operations centre (IOC)');
    expect(await toggle.textContent()).toBe('Collapse');
    const frame = await page.evaluate(() => [
      document.querySelector('.ioc-layers legend')!.textContent,
      document.querySelector('label[for="ioc-layer-live"]')!.textContent,
      document.getElementById('ioc-live-title')!.textContent,
      document.querySelector('#view-panel [data-ready]')!.textContent,
    ]);
    expect(frame).toEqual([messages.en['ioc.layers'], messages.en['ioc.layerLive'], messages.en['ioc.liveTitle'], messages.en['ioc.ready']]);
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await page.screenshot({ path: screenshotPath('walkthrough-3-ioc-peek-phone-en') });
    expect(errors).toEqual([]);
  }, 240_000);

  it('point 1, phone: the office desk’s panel is never under the SOS button', async () => {
    const db = (await getSharedTestDatabase()).db;
    const sent = await submitTestReport(harness.platform.baseUrl, { category: 'public_lighting', coordinates: await pointInUnit(db, '03253'), description: 'Đèn đường không sáng ở ngõ 5' });
    const officer = await createTestUser(db, 'officer', sent.office.code);
    const { page } = await openPage('/office', phone);
    await page.locator('#office-email').waitFor({ timeout: 45_000 });
    await page.fill('#office-email', officer.email);
    await page.fill('#office-password', officer.password);
    await page.press('#office-password', 'Enter');
    await page.locator('.office-queue[data-ready="true"]').waitFor({ timeout: 30_000 });
    for (const share of [0, 0.5, 1]) {
      await scrollPanel(page, share);
      expect(await contentUnderSos(page, '#view-panel'), `queue scrolled to ${share}`).toEqual([]);
    }
    await scrollPanel(page, 0);
    await page.screenshot({ path: screenshotPath('walkthrough-1-office-desk-phone-vi') });
    await page.locator(`.office-item[data-tracking-code="${sent.trackingCode}"] a`).click();
    await page.waitForFunction((code) => (window as unknown as { bandosoOffice?: { shownReport(): string } }).bandosoOffice?.shownReport() === code, sent.trackingCode, { timeout: 30_000 });
    for (const share of [0, 0.5, 1]) {
      await scrollPanel(page, share);
      expect(await contentUnderSos(page, '#view-panel'), `report scrolled to ${share}`).toEqual([]);
    }
    await page.screenshot({ path: screenshotPath('walkthrough-1-office-report-phone-vi') });
  }, 180_000);
});
