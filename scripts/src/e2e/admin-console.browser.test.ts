import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearerToken, createTestUser, getSharedTestDatabase, pointInUnit, submitTestReport, type TestServer } from '@bandoso/api/testing';
import { describeInBrowser, desktopViewport, launchBrowser, newContext, phoneViewport, screenshotPath } from './browser.ts';
import { startBrowserPlatform } from './platform.ts';

type Probe = { section(): string; loaded(): boolean };

/** YYYY-MM-DD of an instant in Asia/Ho_Chi_Minh. */
const vietnamDay = (instant: string | Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));

describeInBrowser('the admin console in Chromium, on the real platform', () => {
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

  it('refuses an officer, and lets an admin manage accounts, the calendar, partner keys and categories, showing the API’s refusals', async () => {
    const db = (await getSharedTestDatabase()).db;
    const admin = await createTestUser(db, 'admin');
    const officer = await createTestUser(db, 'officer', 'UBND-03127');
    const token = await bearerToken(platform.baseUrl, admin);
    const api = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${platform.baseUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers as Record<string, string> | undefined) } });
      return { status: response.status, body: (await response.json().catch(() => undefined)) as Record<string, unknown> & { error?: { messageVi: string; message: string } } };
    };
    const login = (email: string, password: string) => fetch(`${platform.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) }).then((response) => response.status);
    const reportPlace = await pointInUnit(db, '03208');

    const context = await newContext(browser, { viewport: desktopViewport });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error.stack ?? error.message)));
    page.on('dialog', (dialog) => void dialog.accept());
    const probe = () => page.evaluate(() => (window as unknown as { bandosoAdmin?: Probe }).bandosoAdmin?.section() ?? 'none');
    const sectionReady = (section: string) => page.locator(`.admin-section[data-section="${section}"][data-ready="true"]`).waitFor({ timeout: 20_000 });
    const openSection = async (section: string) => {
      await page.locator(`.admin-nav a[data-section="${section}"]`).click();
      await sectionReady(section);
      expect(new URL(page.url()).pathname).toBe(`/admin/${section}`);
      expect(await probe()).toBe(section);
    };
    /** Submits a form without the browser's own checks, so that the API's refusal is what shows. */
    const submitUnchecked = async (formSelector: string) => {
      await page.evaluate((selector) => {
        const form = document.querySelector<HTMLFormElement>(selector)!;
        form.noValidate = true;
        form.requestSubmit();
      }, formSelector);
      await page.locator(`${formSelector} .admin-form-error`).filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
      return (await page.locator(`${formSelector} .admin-form-error`).textContent()) ?? '';
    };
    const rowCount = (selector: string) => page.locator(selector).count();

    // An officer is refused.
    await page.goto(`${platform.baseUrl}/admin`);
    await page.locator('#admin-email').waitFor({ timeout: 45_000 });
    await page.fill('#admin-email', officer.email);
    await page.fill('#admin-password', officer.password);
    await page.press('#admin-password', 'Enter');
    await page.locator('.staff-login .error').filter({ hasText: /quản trị viên/ }).waitFor({ timeout: 15_000 });
    expect(await probe()).toBe('sign-in');
    expect(await page.locator('.admin-console').count()).toBe(0);

    // An admin signs in: the accounts.
    await page.fill('#admin-email', admin.email);
    await page.fill('#admin-password', admin.password);
    await page.press('#admin-password', 'Enter');
    await sectionReady('users');
    expect(await probe()).toBe('users');

    // Accounts: a 5-character password is refused with the API's message, values kept, nothing created.
    const newEmail = `canbo.${Date.now().toString(36)}@test.bandoso.vn`;
    const newPassword = 'mat-khau-moi-2026';
    const usersBefore = await rowCount('.admin-users-table tbody tr');
    await page.fill('#admin-user-new-email', newEmail);
    await page.fill('#admin-user-new-name', 'Cán bộ Thử Nghiệm');
    await page.fill('#admin-user-new-password', 'short');
    await page.selectOption('#admin-user-new-role', 'officer');
    await page.selectOption('#admin-user-new-office', 'UBND-03127');
    const refusedUser = await api('/api/admin/users', { method: 'POST', body: JSON.stringify({ email: newEmail, displayName: 'x', password: 'short', role: 'officer', officeCode: 'UBND-03127' }) });
    expect(refusedUser.status).toBe(400);
    expect(await submitUnchecked('#admin-user-new')).toContain(refusedUser.body.error!.messageVi);
    expect(await page.inputValue('#admin-user-new-email')).toBe(newEmail);
    expect(await rowCount('.admin-users-table tbody tr')).toBe(usersBefore);
    expect(((await api(`/api/admin/users?q=${encodeURIComponent(newEmail)}`)).body.users as unknown[]).length).toBe(0);
    // The browser's own check stops it too (minlength mirrors the schema).
    expect(await page.evaluate(() => document.querySelector<HTMLInputElement>('#admin-user-new-password')!.minLength)).toBe(10);

    // …then created, and the officer signs in.
    await page.evaluate(() => (document.querySelector<HTMLFormElement>('#admin-user-new')!.noValidate = false));
    await page.fill('#admin-user-new-password', newPassword);
    await page.click('#admin-user-new button[type="submit"]');
    const newRow = page.locator(`.admin-users-table tr[data-email="${newEmail}"]`);
    await newRow.waitFor({ timeout: 15_000 });
    await page.locator('.admin-notice').filter({ hasText: newEmail }).waitFor();
    expect(await page.inputValue('#admin-user-new-email')).toBe('');
    expect(await login(newEmail, newPassword)).toBe(200);
    await page.screenshot({ path: screenshotPath('admin-accounts-desktop-vi') });

    // Deactivated (after a confirmation): it can no longer sign in.
    await newRow.locator('button.admin-danger').click();
    await page.locator(`.admin-users-table tr[data-email="${newEmail}"][data-active="false"]`).waitFor({ timeout: 15_000 });
    expect(await login(newEmail, newPassword)).not.toBe(200);

    // The calendar: a holiday on the day a new report's acknowledge deadline falls moves it.
    await openSection('calendar');
    const before = await submitTestReport(platform.baseUrl, { category: 'public_lighting', coordinates: reportPlace });
    const holiday = vietnamDay(before.acknowledgeDueAt);
    const daysBefore = await rowCount('.admin-calendar-table tbody tr');
    // An impossible date: the API's message, nothing added.
    await page.evaluate(() => {
      const day = document.querySelector<HTMLInputElement>('#admin-calendar-day')!;
      day.type = 'text';
      day.value = '2026-02-30';
    });
    await page.fill('#admin-calendar-name-vi', 'Nghỉ thử nghiệm');
    const refusedDay = await api('/api/admin/calendar/2026-02-30', { method: 'PUT', body: JSON.stringify({ kind: 'holiday', nameVi: 'x' }) });
    expect(refusedDay.status).toBe(400);
    expect(await submitUnchecked('#admin-calendar-new')).toContain(refusedDay.body.error!.messageVi);
    expect(await page.inputValue('#admin-calendar-name-vi')).toBe('Nghỉ thử nghiệm');
    expect(await rowCount('.admin-calendar-table tbody tr')).toBe(daysBefore);
    // The real day.
    await page.evaluate((day) => {
      const input = document.querySelector<HTMLInputElement>('#admin-calendar-day')!;
      input.type = 'date';
      input.value = day;
    }, holiday);
    await page.check('#admin-calendar-kind-holiday');
    await page.fill('#admin-calendar-name-en', 'Test holiday');
    await page.click('#admin-calendar-new button[type="submit"]');
    await page.locator(`.admin-calendar-table tr[data-day="${holiday}"][data-kind="holiday"]`).waitFor({ timeout: 15_000 });
    const after = await submitTestReport(platform.baseUrl, { category: 'public_lighting', coordinates: reportPlace });
    expect(Date.parse(after.acknowledgeDueAt)).toBeGreaterThan(Date.parse(before.acknowledgeDueAt));
    expect(Date.parse(after.dueAt)).toBeGreaterThan(Date.parse(before.dueAt));
    expect(vietnamDay(after.acknowledgeDueAt) > holiday).toBe(true);
    await page.screenshot({ path: screenshotPath('admin-calendar-desktop-vi') });

    // Screenshots: phone and English (the language switch re-renders, keeping what was typed).
    await page.fill('#admin-calendar-name-vi', 'Đang gõ dở');
    await page.setViewportSize(phoneViewport);
    await page.screenshot({ path: screenshotPath('admin-calendar-phone-vi') });
    await page.click('.language-toggle');
    await page.locator('.admin-section-title').filter({ hasText: 'Holidays' }).waitFor();
    expect(await page.inputValue('#admin-calendar-name-vi')).toBe('Đang gõ dở');
    await page.screenshot({ path: screenshotPath('admin-calendar-phone-en') });
    await page.setViewportSize(desktopViewport);
    await page.screenshot({ path: screenshotPath('admin-calendar-desktop-en') });
    await openSection('users');
    await page.screenshot({ path: screenshotPath('admin-accounts-desktop-en') });
    await page.setViewportSize(phoneViewport);
    await page.screenshot({ path: screenshotPath('admin-accounts-phone-en') });
    await page.click('.language-toggle');
    await page.locator('.admin-section-title').filter({ hasText: 'Tài khoản' }).waitFor();
    await page.screenshot({ path: screenshotPath('admin-accounts-phone-vi') });
    await page.setViewportSize(desktopViewport);

    // Back and forward move between sections.
    await page.goBack();
    await sectionReady('calendar');
    // The holiday is removed again (after a confirmation).
    await page.locator(`.admin-calendar-table tr[data-day="${holiday}"] button`).click();
    await page.locator(`.admin-calendar-table tr[data-day="${holiday}"]`).waitFor({ state: 'detached', timeout: 15_000 });
    await page.goForward();
    await sectionReady('users');

    // Partner keys: an empty name is refused; a key is shown once, then revoked.
    await openSection('partners');
    const clientsBefore = await rowCount('.admin-partners-table tbody tr');
    const refusedClient = await api('/api/admin/api-clients', { method: 'POST', body: JSON.stringify({ name: '' }) });
    expect(await submitUnchecked('#admin-partner-new')).toContain(refusedClient.body.error!.messageVi);
    expect(await rowCount('.admin-partners-table tbody tr')).toBe(clientsBefore);
    const partner = `Đối tác thử ${Date.now().toString(36)}`;
    await page.evaluate(() => (document.querySelector<HTMLFormElement>('#admin-partner-new')!.noValidate = false));
    await page.fill('#admin-partner-name', partner);
    await page.click('#admin-partner-new button[type="submit"]');
    await page.locator('.admin-once #admin-partner-key').waitFor({ timeout: 15_000 });
    const key = await page.inputValue('#admin-partner-key');
    expect(key.length).toBeGreaterThan(20);
    await page.screenshot({ path: screenshotPath('admin-partner-key-desktop-vi') });
    expect(await rowCount('.admin-partners-table tbody tr')).toBe(clientsBefore + 1);
    await openSection('categories');
    await openSection('partners');
    expect(await page.locator('.admin-once').count()).toBe(0);
    expect(await page.content()).not.toContain(key);
    const partnerRow = page.locator('.admin-partners-table tr', { hasText: partner });
    await partnerRow.locator('button.admin-danger').click();
    await page.locator('.admin-partners-table tr[data-active="false"]', { hasText: partner }).waitFor({ timeout: 15_000 });

    // Categories: an empty name is refused (nothing changes); then the acknowledge deadline is edited.
    await openSection('categories');
    const categoriesBefore = (await api('/api/admin/categories')).body.categories as { code: string; nameVi: string; acknowledgeWorkingMinutes: number }[];
    const lighting = categoriesBefore.find((category) => category.code === 'public_lighting')!;
    await page.locator('.admin-categories-table tr[data-code="public_lighting"] button').click();
    const categoryForm = '#admin-category-form-public_lighting';
    await page.locator(categoryForm).waitFor();
    expect(await page.inputValue(`${categoryForm} #admin-category-form-name-vi`)).toBe(lighting.nameVi);
    await page.fill('#admin-category-form-name-vi', '');
    await page.screenshot({ path: screenshotPath('admin-category-edit-desktop-vi') });
    const refusedCategory = await api('/api/admin/categories/public_lighting', { method: 'PUT', body: JSON.stringify({ nameVi: '', nameEn: 'x', responsible: 'commune_committee', defaultPriority: 'normal' }) });
    expect(await submitUnchecked(categoryForm)).toContain(refusedCategory.body.error!.messageVi);
    expect((await api('/api/admin/categories')).body.categories).toEqual(categoriesBefore);
    await page.evaluate((selector) => (document.querySelector<HTMLFormElement>(selector)!.noValidate = false), categoryForm);
    await page.fill('#admin-category-form-name-vi', lighting.nameVi);
    await page.selectOption('#admin-category-form-acknowledge-unit', 'hours');
    await page.fill('#admin-category-form-acknowledge', '6');
    await page.click(`${categoryForm} button[type="submit"]`);
    await page.locator('.admin-categories-table tr[data-code="public_lighting"] .admin-deadline[data-minutes="360"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('.admin-categories-table tr[data-code="public_lighting"] .admin-deadline').first().textContent()).toBe('6 giờ làm việc');
    const saved = ((await api('/api/admin/categories')).body.categories as typeof categoriesBefore).find((category) => category.code === 'public_lighting')!;
    expect(saved.acknowledgeWorkingMinutes).toBe(360);
    expect(saved.nameVi).toBe(lighting.nameVi);

    // An office's webhook: chosen by office (its own address, so back and forward keep it), with its log.
    await openSection('webhooks');
    await page.selectOption('#admin-webhook-office', 'UBND-03127');
    await page.click('#admin-webhook-choose button[type="submit"]');
    await page.waitForURL(/\/admin\/webhooks\?office=UBND-03127$/);
    await sectionReady('webhooks');
    await page.locator('#admin-webhook-UBND-03127').waitFor();
    expect(await page.inputValue('#admin-webhook-office')).toBe('UBND-03127');
    await page.fill('#admin-webhook-url', 'ftp://tdoffice.example.gov.vn/hooks');
    const refusedHook = await api('/api/staff/webhook', { method: 'PUT', body: JSON.stringify({ officeCode: 'UBND-03127', url: 'ftp://tdoffice.example.gov.vn/hooks' }) });
    expect(refusedHook.status).toBe(400);
    expect(await submitUnchecked('#admin-webhook-UBND-03127')).toContain(refusedHook.body.error!.messageVi);
    expect(await page.inputValue('#admin-webhook-url')).toBe('ftp://tdoffice.example.gov.vn/hooks');
    await page.screenshot({ path: screenshotPath('admin-webhook-desktop-vi') });

    expect(errors).toEqual([]);
  }, 120_000);
});
