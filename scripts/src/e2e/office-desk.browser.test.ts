import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearerToken, createTestUser, getSharedTestDatabase, pointInUnit, staffAction, submitTestReport, type SubmittedReport, type TestServer, type TestUser } from '@bandoso/api/testing';
import { describeInBrowser, desktopViewport, launchBrowser, newContext, phoneViewport, screenshotPath } from './browser.ts';
import { startBrowserPlatform } from './platform.ts';


describeInBrowser('the office desk (/office) in Chromium, on the real platform', () => {
  let platform: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let unitCode: string;
  let place: [number, number];
  let officer: TestUser;
  let desk: Page;
  let first: SubmittedReport;
  let photo: Buffer;

  const api = (path: string, init: RequestInit = {}) => fetch(`${platform.baseUrl}${path}`, init);
  const publicReport = async (code: string) => (await (await api(`/api/reports/${code}`)).json()) as any;

  const openPage = async (viewport: { width: number; height: number } = desktopViewport) => {
    const context = await newContext(browser, { viewport });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(String(error.stack ?? error.message)));
    return page;
  };

  const signIn = async (page: Page, user: TestUser, path = '/office') => {
    await page.goto(`${platform.baseUrl}${path}`);
    await page.locator('#office-email').waitFor({ timeout: 45_000 });
    await page.fill('#office-email', user.email);
    await page.fill('#office-password', user.password);
    await page.press('#office-password', 'Enter');
  };

  const waitForQueue = (page: Page) => page.locator('.office-queue[data-ready="true"]').waitFor({ timeout: 30_000 });
  const waitForShown = (page: Page, code: string) => page.waitForFunction((expected) => (window as any).bandosoOffice?.shownReport() === expected, code, { timeout: 30_000, polling: 100 });
  const openReport = async (page: Page, code: string) => {
    await page.locator(`.office-item[data-tracking-code="${code}"] a`).click();
    await waitForShown(page, code);
  };
  const statusOf = async (code: string) => (await publicReport(code)).status as string;

  beforeAll(async () => {
    [platform, browser] = await Promise.all([startBrowserPlatform(), launchBrowser()]);
    const db = (await getSharedTestDatabase()).db;
    // A ward whose committee has no report yet: a new report is then the top of its queue.
    const used = new Set((await db.selectFrom('report').select('office_id').distinct().execute()).map((row) => row.office_id));
    const offices = await db.selectFrom('office').select(['id', 'code']).where('code', 'like', 'UBND-%').orderBy('code', 'desc').execute();
    for (const office of offices) {
      if (used.has(office.id) || ['03127', '03334', '03253', '03256', '03208', '03325', '03316'].some((code) => office.code.endsWith(code))) continue;
      try {
        place = await pointInUnit(db, office.code.slice('UBND-'.length));
        unitCode = office.code.slice('UBND-'.length);
        break;
      } catch {
        // Not a unit of the current boundary set: the next one.
      }
    }
    officer = await createTestUser(db, 'officer', `UBND-${unitCode}`);
    photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3d7a4f' } }).jpeg({ quality: 70 }).toBuffer();
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await platform?.close();
  });

  it('shows a new report live at the top of the queue; the officer accepts it, asks a question, and the citizen’s answer resumes it', async () => {
    desk = await openPage();
    await signIn(desk, officer);
    await waitForQueue(desk);
    await desk.waitForFunction(() => (window as any).bandosoOffice?.feedState() === 'open', undefined, { timeout: 30_000, polling: 200 });

    first = await submitTestReport(platform.baseUrl, {
      category: 'public_lighting',
      coordinates: place,
      description: 'Đèn đường trước nhà văn hoá tổ 5 bị tắt ba đêm liền',
      reporter: { name: 'Lò Văn Khánh', phone: '0912345678', consentToContact: true },
    });
    expect(first.office.code).toBe(`UBND-${unitCode}`);
    await desk.locator('.office-live', { hasText: first.trackingCode }).waitFor({ timeout: 30_000 });
    expect(await desk.locator('.office-live').textContent()).toContain('Có phản ánh mới');
    await desk.waitForFunction((code) => (window as any).bandosoOffice?.queueCodes()[0] === code, first.trackingCode, { timeout: 30_000, polling: 100 });
    await desk.waitForFunction((code) => (window as any).bandosoOffice?.mapCodes().includes(code), first.trackingCode, { timeout: 10_000, polling: 100 });
    expect(await desk.locator('.office-item').first().locator('.office-deadline').textContent()).toMatch(/còn .*làm việc/);

    await openReport(desk, first.trackingCode);
    expect(desk.url()).toBe(`${platform.baseUrl}/office/reports/${first.id}`);
    // The reporter agreed to be contacted: their phone is there for the handling office.
    expect(await desk.locator('.office-contact').textContent()).toContain('0912345678');
    // Escalating is the IOC's (ioc-view.browser.test.ts): an officer is not offered it.
    expect(await desk.locator('button[data-action="escalate"]').count()).toBe(0);
    await desk.locator('button[data-action="accept"]').click();
    await desk.locator('.office-report-status[data-status="accepted"]').waitFor({ timeout: 20_000 });
    expect(await desk.locator('.office-notice').textContent()).toContain('Đã xác nhận');

    // A question the citizen sees on the public page.
    await desk.locator('button[data-action="request_information"]').click();
    await desk.fill('#office-request_information-note', 'Xin cho biết số nhà gần cột đèn bị hỏng?');
    await desk.locator('.action-request_information button[type="submit"]').click();
    await desk.locator('.office-report-status[data-status="waiting_for_citizen"]').waitFor({ timeout: 20_000 });
    const asked = await publicReport(first.trackingCode);
    expect(asked.status).toBe('waiting_for_citizen');
    expect(JSON.stringify(asked.timeline)).toContain('Xin cho biết số nhà gần cột đèn bị hỏng?');

    const answered = await api(`/api/reports/${first.trackingCode}/information`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: first.reporterToken, note: 'Cột đèn trước số nhà 42.' }),
    });
    expect(answered.status).toBe(200);
    expect(await statusOf(first.trackingCode)).toBe('in_progress');
    // The desk hears of it live; going back to the list and in again shows the new state.
    await desk.goBack();
    await waitForQueue(desk);
    await desk.goForward();
    await waitForShown(desk, first.trackingCode);
    await desk.locator('.office-report-status[data-status="in_progress"]').waitFor({ timeout: 20_000 });
    expect(await desk.locator('.office-timeline').textContent()).toContain('Cột đèn trước số nhà 42.');
  }, 120_000);

  it('refuses an empty answer with the API’s words, then resolves with an after photo previewed before sending', async () => {
    await desk.locator('button[data-action="resolve"]').click();
    await desk.locator('.action-resolve button[type="submit"]').click();
    await desk.locator('.office-form-error').filter({ hasText: /\S/ }).waitFor({ timeout: 20_000 });
    expect(await desk.locator('.office-form-error').textContent()).toMatch(/Không gửi được/);
    expect(await statusOf(first.trackingCode)).toBe('in_progress');
    expect(await desk.locator('.office-report-status').getAttribute('data-status')).toBe('in_progress');

    await desk.fill('#office-resolve-answer', 'Đã thay bóng đèn LED mới ngày hôm nay.');
    await desk.setInputFiles('#office-resolve-photos', { name: 'sau-khi-sua.jpg', mimeType: 'image/jpeg', buffer: photo });
    expect(await desk.locator('.office-preview-answer').textContent()).toBe('Đã thay bóng đèn LED mới ngày hôm nay.');
    await desk.locator('.office-preview-photos img').waitFor({ timeout: 5_000 });
    expect(await desk.locator('#office-resolve-photos').getAttribute('capture')).toBe('environment');
    await desk.locator('.action-resolve button[type="submit"]').click();
    await desk.locator('.office-report-status[data-status="resolved"]').waitFor({ timeout: 30_000 });
    await desk.locator('.office-photos .photos-after img').waitFor({ timeout: 10_000 });
    const resolved = await publicReport(first.trackingCode);
    expect(resolved.answer.text).toBe('Đã thay bóng đèn LED mới ngày hôm nay.');
    expect(resolved.timeline.find((entry: { kind: string }) => entry.kind === 'resolved').photos).toHaveLength(1);
  }, 60_000);

  it('brings the report back as reopened when the citizen is not satisfied, and a transfer moves it to the other office only', async () => {
    const rated = await api(`/api/reports/${first.trackingCode}/rating`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: first.reporterToken, rating: 'not_satisfied', comment: 'Đèn lại tắt sau hai hôm.' }),
    });
    expect(rated.status).toBe(200);
    await desk.locator('.office-back').click();
    await waitForQueue(desk);
    await desk.locator(`.office-item[data-tracking-code="${first.trackingCode}"][data-status="reopened"]`).waitFor({ timeout: 20_000 });

    // An officer of a third office: not in their queue, and its page (with the contact) is refused.
    const db = (await getSharedTestDatabase()).db;
    const stranger = await openPage();
    await signIn(stranger, await createTestUser(db, 'officer', 'DIENLUC-DB'));
    await waitForQueue(stranger);
    expect(await stranger.evaluate(() => (window as any).bandosoOffice.queueCodes())).not.toContain(first.trackingCode);
    await stranger.goto(`${platform.baseUrl}/office/reports/${first.id}`);
    await stranger.locator('.office-notice-error').waitFor({ timeout: 30_000 });
    expect(await stranger.locator('.office-notice-error').textContent()).toContain('Phản ánh không còn thuộc đơn vị bạn');
    expect(await stranger.content()).not.toContain('0912345678');

    // Transfer: the offices that fit come first.
    await openReport(desk, first.trackingCode);
    await desk.locator('button[data-action="transfer"]').click();
    await desk.waitForFunction(() => (document.querySelector<HTMLSelectElement>('#office-transfer-target')?.options.length ?? 0) > 2, undefined, { timeout: 20_000 });
    const target = await desk.locator('#office-transfer-target option').nth(1).getAttribute('value');
    expect(target).toBeTruthy();
    await desk.selectOption('#office-transfer-target', target!);
    await desk.fill('#office-transfer-note', 'Cột đèn thuộc địa bàn phường bên cạnh.');
    await desk.locator('.action-transfer button[type="submit"]').click();
    await desk.locator('.office-moved').waitFor({ timeout: 30_000 });
    expect(new URL(desk.url()).pathname).toBe('/office');
    await waitForQueue(desk);
    expect(await desk.evaluate(() => (window as any).bandosoOffice.queueCodes())).not.toContain(first.trackingCode);

    const receiver = await openPage();
    await signIn(receiver, await createTestUser(db, 'officer', target!));
    await waitForQueue(receiver);
    await receiver.waitForFunction((code) => (window as any).bandosoOffice.queueCodes().includes(code), first.trackingCode, { timeout: 20_000 });
    await receiver.locator(`.office-item[data-tracking-code="${first.trackingCode}"][data-status="transferred"]`).waitFor({ timeout: 5_000 });
  }, 90_000);

  it('gives one of two officers pressing accept at once a success and the other a clear conflict', async () => {
    const db = (await getSharedTestDatabase()).db;
    const second = await submitTestReport(platform.baseUrl, { category: 'public_lighting', coordinates: [place[0] + 0.0004, place[1] + 0.0003], description: 'Bóng đèn đường chập chờn cả đêm' });
    const colleague = await openPage();
    await signIn(colleague, await createTestUser(db, 'officer', `UBND-${unitCode}`), `/office/reports/${second.id}`);
    await waitForShown(colleague, second.trackingCode);
    await desk.goto(`${platform.baseUrl}/office/reports/${second.id}`);
    await waitForShown(desk, second.trackingCode);
    await Promise.all([desk.locator('button[data-action="accept"]').click(), colleague.locator('button[data-action="accept"]').click()]);
    const outcome = async (page: Page) => {
      await page.locator('.office-notice').waitFor({ timeout: 20_000 });
      return (await page.locator('.office-notice').textContent()) ?? '';
    };
    const texts = await Promise.all([outcome(desk), outcome(colleague)]);
    expect(texts.filter((text) => text.includes('Người khác vừa xử lý phản ánh này'))).toHaveLength(1);
    expect(texts.filter((text) => text.includes('Đã xác nhận'))).toHaveLength(1);
    for (const page of [desk, colleague]) await page.locator('.office-report-status[data-status="accepted"]').waitFor({ timeout: 20_000 });
    expect(await statusOf(second.trackingCode)).toBe('accepted');
  }, 60_000);

  it('takes phone and desktop pictures of the queue, a report and the resolve form, in both languages', async () => {
    const db = (await getSharedTestDatabase()).db;
    const token = await bearerToken(platform.baseUrl, officer);
    const third = await submitTestReport(platform.baseUrl, { category: 'public_lighting', coordinates: [place[0] - 0.0005, place[1] + 0.0002], description: 'Hai cột đèn đầu ngõ 12 không sáng, ngõ tối và trơn', reporter: { name: 'Quàng Thị Mai', phone: '0987654321', consentToContact: false } });
    expect((await staffAction(platform.baseUrl, token, third.id, { action: 'accept' })).status).toBe(200);
    expect((await staffAction(platform.baseUrl, token, third.id, { action: 'add_note', note: 'Đã báo đội điện chiếu sáng, hẹn sáng mai.', public: false })).status).toBe(200);
    const phone = await openPage(phoneViewport);
    await signIn(phone, officer);
    await waitForQueue(phone);
    void db;

    for (const [page, size] of [
      [phone, 'phone'],
      [desk, 'desktop'],
    ] as const) {
      for (const language of ['vi', 'en'] as const) {
        await page.goto(`${platform.baseUrl}/office?lang=${language}`);
        await waitForQueue(page);
        await page.waitForTimeout(700);
        await page.screenshot({ path: screenshotPath(`office-queue-${size}-${language}`) });
        await openReport(page, third.trackingCode);
        expect(await page.locator('.office-contact-hidden').textContent()).toBe(language === 'vi' ? 'Người dân không đồng ý cho liên hệ' : 'The citizen did not agree to be contacted');
        await page.waitForTimeout(1200);
        await page.screenshot({ path: screenshotPath(`office-report-${size}-${language}`) });
        await page.locator('button[data-action="resolve"]').click();
        await page.fill('#office-resolve-answer', language === 'vi' ? 'Đã thay hai bóng đèn LED, ngõ đã sáng trở lại.' : 'Both lamps were replaced; the lane is lit again.');
        await page.setInputFiles('#office-resolve-photos', { name: 'after.jpg', mimeType: 'image/jpeg', buffer: photo });
        await page.locator('.office-preview-photos img').waitFor({ timeout: 5_000 });
        await page.locator('.office-preview').scrollIntoViewIfNeeded();
        await page.screenshot({ path: screenshotPath(`office-resolve-${size}-${language}`) });
      }
    }
    expect(await statusOf(third.trackingCode)).toBe('accepted');
    expect(errors).toEqual([]);
  }, 120_000);
});
