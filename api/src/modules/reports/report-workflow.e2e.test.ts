import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import {
  bearerToken,
  createTestUser,
  getSharedTestDatabase,
  pointInUnit,
  staffAction,
  startTestServer,
  submitTestReport,
  type TestServer,
} from '../../testing/index.ts';
import { flagOverdueReports } from './report-deadlines.service.ts';

let database: DatabaseHandle;
let server: TestServer;
let centre: [number, number];
let tokens: Record<'officer' | 'otherOfficer' | 'ioc' | 'admin' | 'planner' | 'citizen' | 'powerOfficer', string>;

beforeAll(async () => {
  database = await getSharedTestDatabase();
  server = await startTestServer(database);
  centre = await pointInUnit(database.db, '03127');
  const users = {
    officer: await createTestUser(database.db, 'officer', 'UBND-03127'),
    otherOfficer: await createTestUser(database.db, 'officer', 'UBND-03334'),
    powerOfficer: await createTestUser(database.db, 'officer', 'DIENLUC-DB'),
    ioc: await createTestUser(database.db, 'ioc_operator'),
    admin: await createTestUser(database.db, 'admin'),
    planner: await createTestUser(database.db, 'planner'),
    citizen: await createTestUser(database.db, 'citizen'),
  };
  tokens = Object.fromEntries(await Promise.all(Object.entries(users).map(async ([name, user]) => [name, await bearerToken(server.baseUrl, user)]))) as typeof tokens;
});
afterAll(() => server.close());

const publicReport = async (trackingCode: string) => (await fetch(`${server.baseUrl}/api/reports/${trackingCode}`)).json();
const newReport = (category = 'public_lighting', reporter?: Record<string, unknown>) =>
  submitTestReport(server.baseUrl, { category, coordinates: centre, ...(reporter ? { reporter } : {}) });
const rate = (trackingCode: string, body: Record<string, unknown>) =>
  fetch(`${server.baseUrl}/api/reports/${trackingCode}/rating`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('the report life cycle through the API', () => {
  it('received → accepted → in_progress → resolved, each step an event on the public timeline', async () => {
    const report = await newReport();
    expect((await staffAction(server.baseUrl, tokens.officer, report.id, { action: 'accept', note: 'Đã nhận' })).status).toBe(200);
    expect((await staffAction(server.baseUrl, tokens.officer, report.id, { action: 'start' })).body.status).toBe('in_progress');
    const resolved = await staffAction(server.baseUrl, tokens.officer, report.id, { action: 'resolve', answer: 'Đã thay bóng đèn mới.' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    const view = await publicReport(report.trackingCode);
    expect(view.status).toBe('resolved');
    expect(view.answer.text).toBe('Đã thay bóng đèn mới.');
    expect(view.acknowledgedAt).not.toBeNull();
    expect(view.timeline.map((event: { kind: string }) => event.kind)).toEqual(['routed', 'accepted', 'started', 'resolved']);
    expect(view.timeline.map((event: { toStatus: string }) => event.toStatus)).toEqual(['received', 'accepted', 'in_progress', 'resolved']);
  });

  it('refuses impossible transitions with 409 and names the state', async () => {
    const report = await newReport();
    const response = await staffAction(server.baseUrl, tokens.officer, report.id, { action: 'resolve', answer: 'Xong' });
    expect(response.status).toBe(409);
    expect(response.body.error.message).toMatch(/received/);
    expect((await staffAction(server.baseUrl, tokens.officer, report.id, { action: 'resume' })).status).toBe(409);
  });

  it('rejects for lack of information with a public explanation', async () => {
    const report = await newReport();
    const rejected = await staffAction(server.baseUrl, tokens.officer, report.id, { action: 'reject', reason: 'not_enough_information', answer: 'Cần ảnh và địa chỉ cụ thể.' });
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: 'not_enough_information', answer: { text: 'Cần ảnh và địa chỉ cụ thể.' } });
  });

  it('"not our responsibility" must name the right office, and reroutes there', async () => {
    const report = await newReport('public_lighting');
    const missing = await staffAction(server.baseUrl, tokens.officer, report.id, { action: 'reject', reason: 'not_our_responsibility', answer: 'Không thuộc thẩm quyền' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/targetOfficeCode/);
    const rerouted = await staffAction(server.baseUrl, tokens.officer, report.id, {
      action: 'reject',
      reason: 'not_our_responsibility',
      answer: 'Cột đèn thuộc lưới điện, chuyển Điện lực.',
      targetOfficeCode: 'DIENLUC-DB',
    });
    expect(rerouted.status).toBe(200);
    expect(rerouted.body).toMatchObject({ status: 'transferred', office: { code: 'DIENLUC-DB' } });
    // The first office no longer sees it; the new one does, with its own fresh deadlines.
    expect((await staffAction(server.baseUrl, tokens.officer, report.id, { action: 'accept' })).status).toBe(404);
    const accepted = await staffAction(server.baseUrl, tokens.powerOfficer, report.id, { action: 'accept' });
    expect(accepted.body.status).toBe('accepted');
  });

  it('IOC operators reassign reports between offices', async () => {
    const report = await newReport();
    const moved = await staffAction(server.baseUrl, tokens.ioc, report.id, { action: 'transfer', targetOfficeCode: 'UBND-03334', note: 'Địa điểm thuộc phường Mường Thanh' });
    expect(moved.body).toMatchObject({ status: 'transferred', office: { code: 'UBND-03334' } });
    expect((await staffAction(server.baseUrl, tokens.otherOfficer, report.id, { action: 'accept' })).status).toBe(200);
  });

  it('waiting for the citizen pauses the clock; the citizen’s answer restarts it where it stopped', async () => {
    const report = await newReport();
    await staffAction(server.baseUrl, tokens.officer, report.id, { action: 'accept' });
    const waiting = await staffAction(server.baseUrl, tokens.officer, report.id, { action: 'request_information', note: 'Xin gửi thêm ảnh cột đèn.' });
    expect(waiting.body).toMatchObject({ status: 'waiting_for_citizen', dueAt: null });
    const remaining = waiting.body.timeline.at(-1).data.remainingWorkingMinutes;
    expect(remaining).toBeGreaterThan(0);
    const wrongToken = await fetch(`${server.baseUrl}/api/reports/${report.trackingCode}/information`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: 'x'.repeat(43), note: 'Đây là ảnh' }),
    });
    expect(wrongToken.status).toBe(403);
    const answered = await fetch(`${server.baseUrl}/api/reports/${report.trackingCode}/information`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Reporter-Token': report.reporterToken },
      body: JSON.stringify({ note: 'Cột đèn số 5, trước nhà văn hoá.' }),
    });
    expect(answered.status).toBe(200);
    const view = await answered.json();
    expect(view.status).toBe('in_progress');
    expect(view.dueAt).not.toBeNull();
  });

  it('the rating loop: satisfied keeps it resolved; not satisfied reopens it and tells the office', async () => {
    const happy = await newReport();
    await staffAction(server.baseUrl, tokens.officer, happy.id, { action: 'accept' });
    expect((await rate(happy.trackingCode, { token: happy.reporterToken, rating: 'satisfied' })).status).toBe(409); // not resolved yet
    await staffAction(server.baseUrl, tokens.officer, happy.id, { action: 'resolve', answer: 'Đã sửa.' });
    expect((await rate(happy.trackingCode, { token: 'wrong-token-wrong-token-wrong', rating: 'satisfied' })).status).toBe(403);
    const rated = await rate(happy.trackingCode, { token: happy.reporterToken, rating: 'satisfied', comment: 'Cảm ơn!' });
    expect(rated.status).toBe(200);
    expect(await rated.json()).toMatchObject({ status: 'resolved', rating: { value: 'satisfied', comment: 'Cảm ơn!' } });
    expect((await rate(happy.trackingCode, { token: happy.reporterToken, rating: 'not_satisfied' })).status).toBe(409);

    const unhappy = await newReport();
    await staffAction(server.baseUrl, tokens.officer, unhappy.id, { action: 'accept' });
    await staffAction(server.baseUrl, tokens.officer, unhappy.id, { action: 'resolve', answer: 'Đã sửa.' });
    const reopened = await rate(unhappy.trackingCode, { token: unhappy.reporterToken, rating: 'not_satisfied', comment: 'Đèn vẫn chưa sáng' });
    expect(await reopened.json()).toMatchObject({ status: 'reopened', rating: { value: 'not_satisfied' } });
    const outbox = await database.db.selectFrom('outbox_message').select('topic').where('report_id', '=', unhappy.id).orderBy('id').execute();
    expect(outbox.map((row) => row.topic)).toContain('report.reopened');
    const again = await staffAction(server.baseUrl, tokens.officer, unhappy.id, { action: 'resolve', answer: 'Đã thay toàn bộ dây.' });
    expect(again.body.status).toBe('resolved');
    expect((await rate(unhappy.trackingCode, { token: unhappy.reporterToken, rating: 'satisfied' })).status).toBe(200);
  });

  it('marks a duplicate: it closes, points to the original, and its reporter and followers follow the original', async () => {
    const original = await newReport('trees');
    const duplicate = await newReport('trees');
    const follow = await fetch(`${server.baseUrl}/api/reports/${duplicate.trackingCode}/follow`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(follow.status).toBe(201);
    expect((await publicReport(original.trackingCode)).followers).toBe(0);
    const marked = await staffAction(server.baseUrl, tokens.officer, duplicate.id, { action: 'mark_duplicate', originalTrackingCode: original.trackingCode });
    expect(marked.body).toMatchObject({ status: 'duplicate', duplicateOf: original.trackingCode });
    expect((await publicReport(original.trackingCode)).followers).toBe(2);
    expect((await publicReport(duplicate.trackingCode)).followers).toBe(0);
    const self = await staffAction(server.baseUrl, tokens.officer, original.id, { action: 'mark_duplicate', originalTrackingCode: original.trackingCode });
    expect(self.status).toBe(400);
  });

  it('flags overdue reports and escalates them to the supervising office', async () => {
    const report = await newReport();
    const later = new Date(Date.now() + 60 * 86_400_000);
    expect(await flagOverdueReports(server.instance.reports, later)).toBeGreaterThanOrEqual(1);
    const view = await publicReport(report.trackingCode);
    expect(view.overdue).toBe(true);
    expect(view.timeline.at(-1)).toMatchObject({ kind: 'escalated', by: 'system', office: { code: 'IOC-DB' } });
    const outbox = await database.db.selectFrom('outbox_message').innerJoin('office', 'office.id', 'outbox_message.office_id').select(['topic', 'office.code']).where('report_id', '=', report.id).execute();
    expect(outbox).toContainEqual({ topic: 'report.overdue', code: 'IOC-DB' });
    // A second pass does not escalate it again.
    await flagOverdueReports(server.instance.reports, later);
    expect((await publicReport(report.trackingCode)).timeline.filter((event: { kind: string }) => event.kind === 'escalated')).toHaveLength(1);
  });

  it('confirms a border pin and keeps internal notes out of the public timeline', async () => {
    const report = await newReport();
    await staffAction(server.baseUrl, tokens.officer, report.id, { action: 'confirm_location', note: 'Đúng địa bàn' });
    const internal = await staffAction(server.baseUrl, tokens.officer, report.id, { action: 'add_note', note: 'Gọi lại cho người dân lúc 14h' });
    expect(internal.body.timeline.map((event: { kind: string }) => event.kind)).toEqual(['routed', 'location_confirmed', 'note']);
    expect(internal.body.borderConfirmedAt).not.toBeNull();
    const view = await publicReport(report.trackingCode);
    expect(view.timeline.map((event: { kind: string }) => event.kind)).toEqual(['routed']);
    expect(JSON.stringify(view)).not.toContain('Gọi lại');
  });
});

describe('who may see and do what', () => {
  type Caller = 'anonymous' | 'citizen' | 'planner' | 'officer' | 'otherOfficer' | 'ioc' | 'admin';
  const callers: Caller[] = ['anonymous', 'citizen', 'planner', 'officer', 'otherOfficer', 'ioc', 'admin'];
  const expected: Record<string, Record<Caller, number>> = {
    'GET /api/staff/reports': { anonymous: 401, citizen: 403, planner: 403, officer: 200, otherOfficer: 200, ioc: 200, admin: 200 },
    'GET /api/staff/reports/:id': { anonymous: 401, citizen: 403, planner: 403, officer: 200, otherOfficer: 404, ioc: 200, admin: 200 },
    'POST /api/staff/reports/:id/actions (add_note)': { anonymous: 401, citizen: 403, planner: 403, officer: 200, otherOfficer: 404, ioc: 200, admin: 200 },
    'GET /api/reports/:code': { anonymous: 200, citizen: 200, planner: 200, officer: 200, otherOfficer: 200, ioc: 200, admin: 200 },
  };

  it.each(Object.keys(expected))('%s', async (endpoint) => {
    const report = await newReport('public_lighting', { name: 'Người Gửi Bí Mật', phone: '0987 111 222', email: 'bi.mat@example.vn', consentToContact: false });
    for (const caller of callers) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (caller !== 'anonymous') headers.Authorization = `Bearer ${tokens[caller]}`;
      let response: Response;
      if (endpoint === 'GET /api/staff/reports') response = await fetch(`${server.baseUrl}/api/staff/reports`, { headers });
      else if (endpoint === 'GET /api/staff/reports/:id') response = await fetch(`${server.baseUrl}/api/staff/reports/${report.id}`, { headers });
      else if (endpoint.startsWith('POST')) response = await fetch(`${server.baseUrl}/api/staff/reports/${report.id}/actions`, { method: 'POST', headers, body: JSON.stringify({ action: 'add_note', note: 'ghi chú' }) });
      else response = await fetch(`${server.baseUrl}/api/reports/${report.trackingCode}`, { headers });
      expect(response.status, `${endpoint} as ${caller}`).toBe(expected[endpoint]![caller]);
    }
  });

  it('an officer sees only the reports of their own office in the staff list', async () => {
    const mine = await newReport();
    const theirs = await submitTestReport(server.baseUrl, { category: 'public_lighting', coordinates: await pointInUnit(database.db, '03334') });
    const list = await (await fetch(`${server.baseUrl}/api/staff/reports?limit=500`, { headers: { Authorization: `Bearer ${tokens.officer}` } })).json();
    const codes = list.reports.map((report: { trackingCode: string }) => report.trackingCode);
    expect(codes).toContain(mine.trackingCode);
    expect(codes).not.toContain(theirs.trackingCode);
    expect(list.reports.every((report: { office: { code: string } }) => report.office.code === 'UBND-03127')).toBe(true);
  });

  it('shows the reporter’s contact to IOC operators always, to the handling office only with consent', async () => {
    const withoutConsent = await newReport('public_lighting', { name: 'Không Đồng Ý', phone: '0911 000 111', consentToContact: false });
    const withConsent = await newReport('public_lighting', { name: 'Đồng Ý Liên Hệ', phone: '0911 000 222', consentToContact: true });
    const view = async (token: string, id: string) => (await fetch(`${server.baseUrl}/api/staff/reports/${id}`, { headers: { Authorization: `Bearer ${token}` } })).json();
    expect((await view(tokens.ioc, withoutConsent.id)).reporter).toMatchObject({ name: 'Không Đồng Ý', phone: '0911000111' });
    expect((await view(tokens.officer, withoutConsent.id)).reporter).toEqual({ hidden: true, consentToContact: false });
    expect((await view(tokens.officer, withConsent.id)).reporter).toMatchObject({ name: 'Đồng Ý Liên Hệ', phone: '0911000222' });
  });
});

describe('sessions', () => {
  it('signs in with a secure HTTP-only cookie and requires the CSRF token for changes', async () => {
    const officer = await createTestUser(database.db, 'officer', 'UBND-03127');
    const login = await fetch(`${server.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: officer.email, password: officer.password }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const { csrfToken, user } = await login.json();
    expect(user).toMatchObject({ role: 'officer', office: { code: 'UBND-03127' } });
    const session = cookie.split(';')[0]!;
    const report = await newReport();
    const url = `${server.baseUrl}/api/staff/reports/${report.id}/actions`;
    const body = JSON.stringify({ action: 'accept' });
    const withoutCsrf = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: session }, body });
    expect(withoutCsrf.status).toBe(403);
    const withCsrf = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: session, 'X-CSRF-Token': csrfToken }, body });
    expect(withCsrf.status).toBe(200);
    const me = await fetch(`${server.baseUrl}/api/auth/me`, { headers: { Cookie: session } });
    expect((await me.json()).user.email).toBe(officer.email);
    await fetch(`${server.baseUrl}/api/auth/logout`, { method: 'POST', headers: { Cookie: session, 'X-CSRF-Token': csrfToken } });
    expect((await fetch(`${server.baseUrl}/api/auth/me`, { headers: { Cookie: session } })).status).toBe(401);
  });

  it('refuses wrong passwords without saying which part was wrong', async () => {
    const user = await createTestUser(database.db, 'admin');
    for (const credentials of [{ email: user.email, password: 'wrong-password' }, { email: 'nobody@test.bandoso.vn', password: user.password }]) {
      const response = await fetch(`${server.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(credentials) });
      expect(response.status).toBe(401);
      expect((await response.json()).error.message).toBe('Wrong e-mail or password.');
    }
  });
});
