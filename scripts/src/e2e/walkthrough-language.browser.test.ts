import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { bearerToken, createTestUser, getSharedTestDatabase, pointInUnit, staffAction, submitTestReport } from '@bandoso/api/testing';
import { describeInBrowser, desktopViewport, phoneViewport, screenshotPath } from './browser.ts';
import { clickMapAt, fillReport, openReportForm, waitForTrackingCode } from './citizen-page.ts';
import { waitForIdleMap, waitForRenderedFeatures } from './map-page.ts';
import { useBrowserPlatform } from './browser-platform.ts';

/**
 * Issue 17, point 9: one mechanism translates everything on screen, including what was drawn before
 * the switch. This test walks every view, switches the language with the screen open, and reads every
 * visible text (and every aria-label, title, placeholder and option) for words of the other language.
 *
 * - In English, a text with Vietnamese letters is wrong unless it is a proper name the platform holds
 *   (a commune, an office, a document's title, a place) or something a person wrote (a report's text).
 * - In Vietnamese, English function words ("the", "your", "will"…) give English away: the Vietnamese
 *   UI never uses them (proper names and what people wrote are taken out first, as above).
 */
const vietnameseLetters = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;
const englishWords = /\b(the|and|your|this|with|from|will|has|have|been|please|sample|approximate|of|is|are|click|tap|report|reports|sent|search|layers|loading|show|hide|open|close|back|send)\b/i;

type Finding = { screen: string; language: 'vi' | 'en'; text: string };

describeInBrowser('every screen in both languages (issue 17, point 9)', () => {
  const harness = useBrowserPlatform();
  let names: string[] = [];
  const findings: Finding[] = [];

  beforeAll(async () => {
    const db = (await getSharedTestDatabase()).db;
    // What may stay Vietnamese in English: proper names and what people wrote, longest first (so that
    // "Đồi A1" is not taken out of "Di tích Đồi A1" before the longer name is).
    const rows = await sql<{ name: string | null }>`
      SELECT name FROM admin_unit UNION SELECT name FROM boundary_set
      UNION SELECT name FROM office UNION SELECT address FROM office
      UNION SELECT plan_name FROM planning_zone UNION SELECT decision_number FROM planning_zone UNION SELECT approving_authority FROM planning_zone UNION SELECT properties->>'zone_name' FROM planning_zone
      UNION SELECT name FROM camera UNION SELECT name FROM emergency_facility UNION SELECT address FROM emergency_facility
      UNION SELECT name_en FROM heritage_site UNION SELECT display_name FROM app_user
      UNION SELECT description FROM report UNION SELECT address FROM report
      UNION SELECT note FROM report_event WHERE note IS NOT NULL
      UNION SELECT name_vi FROM calendar_exception`.execute(db);
    // The product's and the province's names are names in English too.
    names = [...rows.rows.map((row) => row.name?.trim() ?? ''), 'Bản đồ số Điện Biên', 'Điện Biên Phủ', 'Điện Biên'].filter((name) => name.length >= 2);
    names.sort((a, b) => b.length - a.length);
  });

  /** Every text a person sees or hears on the page now. */
  const visibleTexts = (page: Page) =>
    page.evaluate(() => {
      const texts = new Set<string>();
      const visible = (element: Element) => (element as HTMLElement).checkVisibility?.({ opacityProperty: true, visibilityProperty: true }) ?? true;
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        const text = node.textContent?.trim();
        // The language switch names the other language in that language ("Tiếng Việt" on the English page), as switches do.
        if (!parent || !text || parent.closest('script, style, noscript, select, .language-toggle, .dialog-language') || !visible(parent)) continue;
        texts.add(text);
      }
      for (const element of document.body.querySelectorAll('[aria-label], [title], [placeholder], select')) {
        if (!visible(element) || element.closest('.language-toggle, .dialog-language')) continue;
        for (const attribute of ['aria-label', 'title', 'placeholder']) {
          const value = element.getAttribute(attribute)?.trim();
          if (value) texts.add(value);
        }
        if (element instanceof HTMLSelectElement) for (const option of element.options) if (option.text.trim()) texts.add(option.text.trim());
      }
      return [...texts];
    });

  const withoutNames = (text: string) => {
    let rest = text;
    for (const name of names) if (rest.includes(name)) rest = rest.split(name).join(' ');
    // Emails and tracking codes are not language.
    return rest.replace(/\S+@\S+/g, ' ').replace(/\b[A-Z]{2,}-[\w-]+\b/g, ' ');
  };

  const check = async (page: Page, screen: string) => {
    const language = (await page.evaluate(() => document.documentElement.lang)) as 'vi' | 'en';
    for (const text of await visibleTexts(page)) {
      const rest = withoutNames(text);
      const wrong = language === 'en' ? vietnameseLetters.test(rest) : englishWords.test(rest);
      if (wrong) findings.push({ screen, language, text });
    }
  };

  const switchLanguage = async (page: Page, to: 'vi' | 'en') => {
    // A modal dialog makes the page behind it inert: it has its own language button.
    const inDialog = page.locator('dialog[open] .dialog-language');
    await ((await inDialog.count()) > 0 ? inDialog : page.locator('.app-header .language-toggle')).click();
    await page.waitForFunction((language) => document.documentElement.lang === language, to, { timeout: 10_000 });
    // Views that redraw on the switch do it in the same task or the next frames.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 300)))));
  };

  /** Checks the screen in Vietnamese, switches to English with it open, checks, and back. */
  const bothWays = async (page: Page, screen: string) => {
    await check(page, screen);
    await switchLanguage(page, 'en');
    await check(page, screen);
    await switchLanguage(page, 'vi');
    await check(page, screen);
  };

  let firstOfTest = 0;
  beforeEach(() => {
    firstOfTest = findings.length;
  });
  const report = () =>
    findings
      .slice(firstOfTest)
      .map((finding) => `${finding.screen} [${finding.language}] ${JSON.stringify(finding.text)}`)
      .join('\n');

  it('the citizen screens: home, the place card, the form, the sent screen, my reports, a report with its timeline, the SOS panel, the layers', async () => {
    const db = (await getSharedTestDatabase()).db;
    const context = await harness.newContext({ viewport: phoneViewport, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${harness.platform.baseUrl}/`);
    await waitForRenderedFeatures(page, ['boundaries-commune-fill']);
    await bothWays(page, 'citizen home');

    const place = await pointInUnit(db, '03127');
    await clickMapAt(page, place);
    await page.locator('.report-here:not([disabled])').waitFor({ timeout: 30_000 });
    await bothWays(page, 'place card');

    await openReportForm(page);
    names.unshift('Đèn đường trước số 12 bị tắt ba đêm liền');
    await fillReport(page, 'Đèn đường trước số 12 bị tắt ba đêm liền');
    await bothWays(page, 'report form');
    // What the person typed survives the switches.
    expect(await page.inputValue('#report-description')).toBe('Đèn đường trước số 12 bị tắt ba đêm liền');

    await page.locator('.report-send').click();
    const code = await waitForTrackingCode(page);
    await bothWays(page, 'sent screen');
    await page.screenshot({ path: screenshotPath('walkthrough-9-sent-phone-vi') });

    // An office answers: the timeline gets the office's steps.
    const sent = await db.selectFrom('report').select(['id', 'office_id']).where('tracking_code', '=', code).executeTakeFirstOrThrow();
    const office = await db.selectFrom('office').select('code').where('id', '=', sent.office_id).executeTakeFirstOrThrow();
    const officer = await bearerToken(harness.platform.baseUrl, await createTestUser(db, 'officer', office.code));
    await staffAction(harness.platform.baseUrl, officer, sent.id, { action: 'accept' });
    await staffAction(harness.platform.baseUrl, officer, sent.id, { action: 'resolve', answer: 'Đã thay bóng đèn mới.' });
    names.unshift('Đã thay bóng đèn mới.');

    await page.goto(`${harness.platform.baseUrl}/`);
    await waitForRenderedFeatures(page, ['boundaries-commune-fill']);
    await page.locator('.my-reports-button').click();
    await page.locator(`.report-item[data-tracking-code="${code}"]`).waitFor({ timeout: 30_000 });
    await bothWays(page, 'my reports');
    await page.locator(`.report-item[data-tracking-code="${code}"] .open-report`).click();
    await page.locator('.report-detail .timeline').waitFor({ timeout: 30_000 });
    await bothWays(page, 'report detail');
    await switchLanguage(page, 'en');
    await page.screenshot({ path: screenshotPath('walkthrough-9-report-detail-phone-en') });
    await switchLanguage(page, 'vi');

    await page.locator('.emergency-button').click();
    await page.locator('.emergency-dialog[open]').waitFor({ timeout: 10_000 });
    await bothWays(page, 'SOS panel');
    expect(await page.locator('.emergency-dialog[open]').count(), 'the SOS panel stays open across the switches').toBeGreaterThan(0);
    await page.keyboard.press('Escape');

    await page.locator('.layers-toggle').click();
    await bothWays(page, 'layers panel');
    expect(report(), 'texts of the other language on the citizen screens').toBe('');
  }, 300_000);

  it('the heritage and planning views, with a zone open and a measurement', async () => {
    const db = (await getSharedTestDatabase()).db;
    const context = await harness.newContext({ viewport: desktopViewport });
    const page = await context.newPage();
    await page.goto(`${harness.platform.baseUrl}/heritage`);
    await waitForRenderedFeatures(page, ['boundaries-commune-fill']);
    await waitForIdleMap(page);
    await bothWays(page, 'heritage view');

    await page.goto(`${harness.platform.baseUrl}/planning`);
    await waitForRenderedFeatures(page, ['planning-fill']);
    await bothWays(page, 'planning view');
    const zone = await db
      .selectFrom('planning_zone')
      .select(sql<number>`ST_X(ST_PointOnSurface(geom))`.as('lon'))
      .select(sql<number>`ST_Y(ST_PointOnSurface(geom))`.as('lat'))
      .limit(1)
      .executeTakeFirstOrThrow();
    await clickMapAt(page, [zone.lon, zone.lat], 16);
    await page.locator('.zone-details .zone-code').waitFor({ timeout: 30_000 });
    await bothWays(page, 'planning zone');
    expect(report(), 'texts of the other language on the heritage and planning views').toBe('');
  }, 300_000);

  it('the staff screens: IOC signed out and in, the desk, the admin console', async () => {
    const db = (await getSharedTestDatabase()).db;
    const context = await harness.newContext({ viewport: desktopViewport });
    const page = await context.newPage();
    await page.goto(`${harness.platform.baseUrl}/ioc`);
    await page.locator('#ioc-email').waitFor({ timeout: 45_000 });
    await bothWays(page, 'IOC sign-in');
    const operator = await createTestUser(db, 'ioc_operator');
    await page.fill('#ioc-email', operator.email);
    await page.fill('#ioc-password', operator.password);
    await page.press('#ioc-password', 'Enter');
    await page.locator('.bar-chart').first().waitFor({ state: 'attached', timeout: 60_000 });
    await bothWays(page, 'IOC dashboard');
    await switchLanguage(page, 'en');
    await page.screenshot({ path: screenshotPath('walkthrough-9-ioc-desktop-en') });
    await switchLanguage(page, 'vi');

    const submitted = await submitTestReport(harness.platform.baseUrl, { category: 'public_lighting', coordinates: await pointInUnit(db, '03127'), description: 'Cột đèn nghiêng sau bão' });
    names.unshift('Cột đèn nghiêng sau bão');
    const desk = await harness.newContext({ viewport: desktopViewport });
    const deskPage = await desk.newPage();
    const officer = await createTestUser(db, 'officer', submitted.office.code);
    await deskPage.goto(`${harness.platform.baseUrl}/office`);
    await deskPage.locator('#office-email').waitFor({ timeout: 45_000 });
    await bothWays(deskPage, 'desk sign-in');
    await deskPage.fill('#office-email', officer.email);
    await deskPage.fill('#office-password', officer.password);
    await deskPage.press('#office-password', 'Enter');
    await deskPage.locator(`.office-item[data-tracking-code="${submitted.trackingCode}"]`).waitFor({ timeout: 45_000 });
    await bothWays(deskPage, 'desk queue');
    await deskPage.goto(`${harness.platform.baseUrl}/office/reports/${submitted.id}`);
    await deskPage.locator('.office-report-title').waitFor({ timeout: 45_000 });
    await bothWays(deskPage, 'desk report');

    const admin = await harness.newContext({ viewport: desktopViewport });
    const adminPage = await admin.newPage();
    const administrator = await createTestUser(db, 'admin');
    await adminPage.goto(`${harness.platform.baseUrl}/admin`);
    await adminPage.locator('#admin-email').waitFor({ timeout: 45_000 });
    await adminPage.fill('#admin-email', administrator.email);
    await adminPage.fill('#admin-password', administrator.password);
    await adminPage.press('#admin-password', 'Enter');
    await adminPage.locator('#admin-user-new-email').waitFor({ timeout: 45_000 });
    await bothWays(adminPage, 'admin console');
    expect(report(), 'texts of the other language on the staff screens').toBe('');
  }, 300_000);
});
