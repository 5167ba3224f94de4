import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearerToken,
  createTestDatabase,
  createTestUser,
  pointInUnit,
  staffAction,
  startTestServer,
  submitTestReport,
  type SubmittedReport,
  type TestDatabase,
  type TestServer,
} from '../../testing/index.ts';

/**
 * The staff desk through the real server and database: the queue's deadline order, filters and
 * deadline fields (moving with the holiday calendar), and the transfer and duplicate helpers.
 *
 * On a database of its own: the queue is checked whole (no other file's reports in it) and a holiday
 * is added to the calendar, which would move other files' deadlines.
 */
let database: TestDatabase;
let server: TestServer;
let centre: [number, number];
let tokens: Record<'officer' | 'otherOfficer' | 'powerOfficer' | 'ioc' | 'admin', string>;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  centre = await pointInUnit(database.db, '03127');
  const users = {
    officer: await createTestUser(database.db, 'officer', 'UBND-03127'),
    otherOfficer: await createTestUser(database.db, 'officer', 'UBND-03334'),
    powerOfficer: await createTestUser(database.db, 'officer', 'DIENLUC-DB'),
    ioc: await createTestUser(database.db, 'ioc_operator'),
    admin: await createTestUser(database.db, 'admin'),
  };
  tokens = Object.fromEntries(await Promise.all(Object.entries(users).map(async ([name, user]) => [name, await bearerToken(server.baseUrl, user)]))) as typeof tokens;
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

async function get(path: string, token: string) {
  const response = await fetch(`${server.baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as any };
}

const send = (method: string, path: string, token: string, body?: unknown) =>
  fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** A report through POST /api/reports, with an address (the helper of the testing kit sends none). */
async function submitWithAddress(category: string, coordinates: [number, number], description: string, address: string): Promise<SubmittedReport> {
  const response = await fetch(`${server.baseUrl}/api/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ category, description, address, location: { type: 'Point', coordinates } }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as SubmittedReport;
}

type QueueItem = { id: string; trackingCode: string; status: string; deadline: null | { kind: string; dueAt: string; workingMinutesLeft: number; paused: boolean }; pausedAt: string | null };

describe('the staff queue', () => {
  const queue: Record<'overdue' | 'soon' | 'far' | 'paused' | 'closed', SubmittedReport> = {} as never;
  let farDay: string;

  beforeAll(async () => {
    for (const name of ['closed', 'far', 'paused', 'soon', 'overdue'] as const) {
      queue[name] = await submitTestReport(server.baseUrl, { category: 'public_lighting', coordinates: centre, description: `Hàng đợi thử: ${name}` });
    }
    // Overdue: its acknowledgement was due two days ago (as if the watcher had not run yet).
    await database.db
      .updateTable('report')
      .set({ acknowledge_due_at: new Date(Date.now() - 2 * 86_400_000) })
      .where('id', '=', queue.overdue.id)
      .execute();
    // Far: due a few working hours after the start of a working day at least a week away, so a
    // holiday can be put on that day (between now and the deadline).
    const calendar = await server.instance.reports.calendar.get();
    let day = new Date(Date.now() + 7 * 86_400_000);
    while (!calendar.isWorkingDay(day.toISOString().slice(0, 10))) day = new Date(day.getTime() + 86_400_000);
    farDay = day.toISOString().slice(0, 10);
    const farDue = calendar.addWorkingMinutes(new Date(`${farDay}T12:00:00+07:00`), 600);
    await database.db.updateTable('report').set({ acknowledge_due_at: farDue, due_at: farDue }).where('id', '=', queue.far.id).execute();
    expect((await staffAction(server.baseUrl, tokens.officer, queue.paused.id, { action: 'accept' })).status).toBe(200);
    expect((await staffAction(server.baseUrl, tokens.officer, queue.paused.id, { action: 'request_information', note: 'Xin ảnh cột đèn.' })).status).toBe(200);
    const rejected = await staffAction(server.baseUrl, tokens.officer, queue.closed.id, { action: 'reject', reason: 'not_eligible', answer: 'Không thuộc phạm vi tiếp nhận.' });
    expect(rejected.status).toBe(200);
  });

  it('puts the overdue first, then running deadlines soonest first, then paused, then closed', async () => {
    const { status, body } = await get('/api/staff/reports', tokens.officer);
    expect(status).toBe(200);
    const codes = body.reports.map((report: QueueItem) => report.trackingCode);
    expect(codes).toEqual([queue.overdue, queue.soon, queue.far, queue.paused, queue.closed].map((report) => report.trackingCode));
    const [overdue, soon, far, paused, closed] = body.reports as QueueItem[];
    expect(overdue!.deadline).toMatchObject({ kind: 'acknowledge', paused: false });
    expect(overdue!.deadline!.workingMinutesLeft).toBeLessThan(0);
    expect(soon!.deadline).toMatchObject({ kind: 'acknowledge', paused: false });
    expect(soon!.deadline!.workingMinutesLeft).toBeGreaterThan(0);
    expect(soon!.deadline!.workingMinutesLeft).toBeLessThanOrEqual(far!.deadline!.workingMinutesLeft);
    expect(paused!.deadline).toMatchObject({ kind: 'resolve', paused: true });
    expect(paused!.pausedAt).not.toBeNull();
    expect(soon!.pausedAt).toBeNull();
    expect(closed!.status).toBe('rejected');
    expect(closed!.deadline).toBeNull();
    // The detail shows the same deadline.
    const detail = await get(`/api/staff/reports/${queue.paused.id}`, tokens.officer);
    expect(detail.body.deadline).toEqual(paused!.deadline === null ? null : { ...paused!.deadline, dueAt: expect.any(String) });
    expect(detail.body.pausedAt).toBe(paused!.pausedAt);
  });

  it('pages through the same order, with total, limit and offset', async () => {
    const whole = (await get('/api/staff/reports', tokens.officer)).body;
    const pages: string[] = [];
    for (let offset = 0; offset < whole.total; offset += 2) {
      const page = (await get(`/api/staff/reports?limit=2&offset=${offset}`, tokens.officer)).body;
      expect(page).toMatchObject({ total: whole.total, limit: 2, offset });
      pages.push(...page.reports.map((report: QueueItem) => report.trackingCode));
    }
    expect(pages).toEqual(whole.reports.map((report: QueueItem) => report.trackingCode));
    const newest = (await get('/api/staff/reports?sort=newest', tokens.officer)).body.reports.map((report: QueueItem) => report.trackingCode);
    expect(newest).toEqual([queue.overdue, queue.soon, queue.paused, queue.far, queue.closed].map((report) => report.trackingCode));
  });

  it('counts working minutes in the holiday calendar: a holiday added by an admin moves them at once', async () => {
    const deadlineOfFar = async () => ((await get('/api/staff/reports', tokens.officer)).body.reports as QueueItem[]).find((report) => report.id === queue.far.id)!.deadline!;
    const before = await deadlineOfFar();
    expect((await send('PUT', `/api/admin/calendar/${farDay}`, tokens.admin, { kind: 'holiday', nameVi: 'Nghỉ thử nghiệm' })).status).toBe(204);
    try {
      const during = await deadlineOfFar();
      // The whole working day (8 hours) lies between now and the deadline; a minute may tick meanwhile.
      expect(before.workingMinutesLeft - during.workingMinutesLeft).toBeGreaterThanOrEqual(479);
      expect(before.workingMinutesLeft - during.workingMinutesLeft).toBeLessThanOrEqual(481);
      expect(during.dueAt).toBe(before.dueAt);
      const detail = await get(`/api/staff/reports/${queue.far.id}`, tokens.officer);
      expect(Math.abs(detail.body.deadline.workingMinutesLeft - during.workingMinutesLeft)).toBeLessThanOrEqual(1);
    } finally {
      expect((await send('DELETE', `/api/admin/calendar/${farDay}`, tokens.admin)).status).toBe(204);
    }
    expect(Math.abs((await deadlineOfFar()).workingMinutesLeft - before.workingMinutesLeft)).toBeLessThanOrEqual(1);
  });

  it('filters by commune and by search words (accents and case ignored) or tracking code', async () => {
    const elsewhere = await submitWithAddress('public_lighting', await pointInUnit(database.db, '03334'), 'Đèn chiếu sáng ngõ bị tắt', 'Bản Phủ');
    const worded = await submitWithAddress('public_lighting', centre, 'Cột đèn nghiêng trước Trường Tiểu học Mường Thanh', 'Tổ dân phố 5, đường Võ Nguyên Giáp');
    try {
      const commune = (await get('/api/staff/reports?commune=03334', tokens.ioc)).body;
      expect(commune.reports.map((report: QueueItem) => report.trackingCode)).toEqual([elsewhere.trackingCode]);
      expect(commune.total).toBe(1);
      const ours = (await get('/api/staff/reports?commune=03127', tokens.ioc)).body.reports.map((report: QueueItem) => report.trackingCode);
      expect(ours).toContain(worded.trackingCode);
      expect(ours).not.toContain(elsewhere.trackingCode);

      const search = async (q: string) => (await get(`/api/staff/reports?q=${encodeURIComponent(q)}`, tokens.ioc)).body.reports.map((report: QueueItem) => report.trackingCode);
      expect(await search('muong THANH')).toEqual([worded.trackingCode]);
      expect(await search('Mường thanh tiểu học')).toEqual([worded.trackingCode]);
      expect(await search('vo nguyen giap')).toEqual([worded.trackingCode]); // in the address
      expect(await search('muong thanh mam non')).toEqual([]); // every word must be found
      expect(await search('ban phu')).toEqual([elsewhere.trackingCode]);
      expect(await search(worded.trackingCode.toLowerCase())).toEqual([worded.trackingCode]);
      expect(await search('100%')).toEqual([]); // LIKE wildcards are matched literally
      // An officer searches only their own office's reports.
      expect((await get(`/api/staff/reports?q=ban%20phu`, tokens.officer)).body.reports).toEqual([]);
    } finally {
      // Leave the queue of the other tests as it was: close them.
      for (const report of [elsewhere, worded]) await staffAction(server.baseUrl, tokens.ioc, report.id, { action: 'reject', reason: 'not_eligible', answer: 'Thử nghiệm.' });
    }
  });

  it('refuses bad filters with 400 and a message naming them', async () => {
    for (const [query, parameter] of [
      ['sort=oldest', 'sort'],
      ['commune=abc', 'commune'],
      [`q=${'x'.repeat(201)}`, 'q'],
    ] as const) {
      const { status, body } = await get(`/api/staff/reports?${query}`, tokens.officer);
      expect(status, query).toBe(400);
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.message).toContain(parameter);
      expect(body.error.messageVi).toBeTruthy();
    }
  });
});

describe('transfer options and duplicate candidates', () => {
  it('ranks offices that handle the category and cover the place first, then the rest nearest first', async () => {
    // A commune matter that went to the power company by mistake.
    const report = await submitTestReport(server.baseUrl, { category: 'public_lighting', coordinates: centre });
    expect((await staffAction(server.baseUrl, tokens.ioc, report.id, { action: 'transfer', targetOfficeCode: 'DIENLUC-DB', note: 'Thử chuyển nhầm' })).status).toBe(200);
    const { status, body } = await get(`/api/staff/reports/${report.id}/transfer-options`, tokens.powerOfficer);
    expect(status).toBe(200);
    const offices = body.offices as Array<{ code: string; name: string; nameEn: string | null; handlesCategory: boolean; coversPlace: boolean; distanceM: number | null }>;
    expect(offices[0]).toMatchObject({ code: 'UBND-03127', name: expect.any(String), handlesCategory: true, coversPlace: true, distanceM: 0 });
    expect(Object.keys(offices[0]!).sort()).toEqual(['code', 'coversPlace', 'distanceM', 'handlesCategory', 'name', 'nameEn']);
    expect(offices.map((office) => office.code)).not.toContain('DIENLUC-DB');
    const rest = offices.slice(1);
    expect(rest.every((office) => !(office.handlesCategory && office.coversPlace))).toBe(true);
    const distances = rest.map((office) => office.distanceM ?? Number.POSITIVE_INFINITY);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    // Province-wide offices cover the place without handling the category; other communes handle it further away.
    expect(rest).toContainEqual(expect.objectContaining({ code: 'SXD-DB', handlesCategory: false, coversPlace: true, distanceM: 0 }));
    const neighbour = rest.find((office) => office.handlesCategory);
    expect(neighbour).toMatchObject({ coversPlace: false });
    expect(neighbour!.distanceM).toBeGreaterThan(0);

    // Same access as the staff view: the commune's officer no longer has the report (404, like the detail); IOC does.
    expect((await get(`/api/staff/reports/${report.id}`, tokens.officer)).status).toBe(404);
    const refused = await get(`/api/staff/reports/${report.id}/transfer-options`, tokens.officer);
    expect(refused.status).toBe(404);
    expect(refused.body.error.messageVi).toBeTruthy();
    expect((await get(`/api/staff/reports/${report.id}/duplicate-candidates`, tokens.officer)).status).toBe(404);
    expect((await get(`/api/staff/reports/${report.id}/transfer-options`, tokens.ioc)).status).toBe(200);
    expect((await get('/api/staff/reports/00000000-0000-4000-8000-000000000000/transfer-options', tokens.ioc)).status).toBe(404);
    expect((await get('/api/staff/reports/not-a-uuid/transfer-options', tokens.ioc)).status).toBe(400);
  });

  it('lists other reports within the radius, not duplicates, same category first then nearest', async () => {
    const [lon, lat] = await pointInUnit(database.db, '03151');
    const at = (metresNorth: number): [number, number] => [lon, lat + metresNorth / 111_320];
    const target = await submitTestReport(server.baseUrl, { category: 'public_lighting', coordinates: at(0) });
    const sameNear = await submitTestReport(server.baseUrl, { category: 'public_lighting', coordinates: at(300) });
    const otherCategoryNearer = await submitTestReport(server.baseUrl, { category: 'trees', coordinates: at(100) });
    const sameFar = await submitTestReport(server.baseUrl, { category: 'public_lighting', coordinates: at(1500) });
    const alreadyDuplicate = await submitTestReport(server.baseUrl, { category: 'public_lighting', coordinates: at(50) });
    expect((await staffAction(server.baseUrl, tokens.ioc, alreadyDuplicate.id, { action: 'mark_duplicate', originalTrackingCode: sameNear.trackingCode })).status).toBe(200);
    const mine = new Set([sameNear, otherCategoryNearer, sameFar, alreadyDuplicate].map((report) => report.trackingCode));

    const near = await get(`/api/staff/reports/${target.id}/duplicate-candidates`, tokens.ioc);
    expect(near.status).toBe(200);
    const nearCodes = near.body.reports.map((report: { trackingCode: string }) => report.trackingCode).filter((code: string) => mine.has(code));
    expect(nearCodes).toEqual([sameNear.trackingCode, otherCategoryNearer.trackingCode]);
    expect(near.body.reports.map((report: { trackingCode: string }) => report.trackingCode)).not.toContain(target.trackingCode);
    expect(near.body.reports.every((report: { distanceM: number }) => report.distanceM <= 500)).toBe(true);
    expect(near.body.reports[0]).toEqual({
      trackingCode: sameNear.trackingCode,
      category: { code: 'public_lighting', nameVi: expect.any(String), nameEn: expect.any(String) },
      status: 'received',
      description: expect.any(String),
      createdAt: expect.any(String),
      distanceM: expect.any(Number),
    });
    expect(Math.abs(near.body.reports[0].distanceM - 300)).toBeLessThan(5);

    const wide = await get(`/api/staff/reports/${target.id}/duplicate-candidates?radiusM=2000`, tokens.ioc);
    const wideCodes = wide.body.reports.map((report: { trackingCode: string }) => report.trackingCode).filter((code: string) => mine.has(code));
    expect(wideCodes).toEqual([sameNear.trackingCode, sameFar.trackingCode, otherCategoryNearer.trackingCode]);
    expect(wide.body.reports.length).toBeLessThanOrEqual(20);

    for (const radius of ['5000', '0', 'abc']) {
      const refused = await get(`/api/staff/reports/${target.id}/duplicate-candidates?radiusM=${radius}`, tokens.ioc);
      expect(refused.status, radius).toBe(400);
      expect(refused.body.error.message).toContain('radiusM');
    }
  });
});

describe('escalate: the IOC sends a report up to the supervising office', () => {
  it('is taken by the IOC and admins only, names the supervisor on the public timeline, keeps the status and office, and tells the supervisor', async () => {
    const report = await submitTestReport(server.baseUrl, { category: 'public_lighting', coordinates: centre, description: 'Đèn đường tắt cả tuần, phường chưa xử lý' });
    const path = `/api/staff/reports/${report.id}/actions`;
    // An officer of the handling office may not: 403, nothing on the timeline.
    const refused = await send('POST', path, tokens.officer, { action: 'escalate', note: 'Xin cấp trên hỗ trợ' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).error.messageVi).toMatch(/Trung tâm điều hành/);
    // A reason is required.
    const empty = await send('POST', path, tokens.ioc, { action: 'escalate', note: ' ' });
    expect(empty.status).toBe(400);
    expect((await get(`/api/staff/reports/${report.id}`, tokens.ioc)).body.escalatedAt).toBeNull();

    const escalated = await send('POST', path, tokens.ioc, { action: 'escalate', note: 'Nhiều người dân phản ánh cùng khu vực' });
    expect(escalated.status).toBe(200);
    const view = (await get(`/api/staff/reports/${report.id}`, tokens.ioc)).body;
    expect(view.status).toBe('received');
    expect(view.office.code).toBe('UBND-03127');
    expect(view.escalatedAt).not.toBeNull();
    const publicView = (await (await fetch(`${server.baseUrl}/api/reports/${report.trackingCode}`)).json()) as any;
    const step = publicView.timeline.at(-1);
    expect(step).toMatchObject({ kind: 'escalated_by_operations', by: 'office', note: 'Nhiều người dân phản ánh cùng khu vực' });
    const supervisor = await database.db
      .selectFrom('office')
      .innerJoin('office as handling', 'handling.supervisor_id', 'office.id')
      .select('office.code')
      .where('handling.code', '=', 'UBND-03127')
      .executeTakeFirst();
    if (supervisor) expect(step.office.code).toBe(supervisor.code);
    const outbox = await database.db.selectFrom('outbox_message').select(['topic', 'office_id']).where('report_id', '=', report.id).where('topic', '=', 'report.escalated').execute();
    expect(outbox).toHaveLength(1);
    // The officer still handles it.
    const accepted = await staffAction(server.baseUrl, tokens.officer, report.id, { action: 'accept' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
  });
});
