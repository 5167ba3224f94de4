import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { bearerToken, createTestDatabase, createTestUser, pointInUnit, startTestServer, submitTestReport, type TestServer } from '../../testing/index.ts';

let database: DatabaseHandle;
let server: TestServer;
let admin: string;
let officer: string;

beforeAll(async () => {
  // Its own copy: these tests change rules every other test relies on.
  database = await createTestDatabase();
  server = await startTestServer(database);
  admin = await bearerToken(server.baseUrl, await createTestUser(database.db, 'admin'));
  officer = await bearerToken(server.baseUrl, await createTestUser(database.db, 'officer', 'UBND-03127'));
});
afterAll(async () => {
  await server.close();
  await database.close();
});

const send = (method: string, path: string, token: string | null, body?: unknown) =>
  fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('admins edit the rules', () => {
  it('adds a category that citizens can use at once, routed by its responsibility', async () => {
    const category = { nameVi: 'Biển quảng cáo', nameEn: 'Billboards', responsible: 'construction', defaultPriority: 'normal', acknowledgeWorkingMinutes: 240 };
    expect((await send('PUT', '/api/admin/categories/billboards', officer, category)).status).toBe(403);
    expect((await send('PUT', '/api/admin/categories/billboards', null, category)).status).toBe(401);
    expect((await send('PUT', '/api/admin/categories/billboards', admin, { ...category, responsible: 'astrology' })).status).toBe(400);
    expect((await send('PUT', '/api/admin/categories/billboards', admin, category)).status).toBe(204);
    const listed = (await (await fetch(`${server.baseUrl}/api/categories`)).json()).categories.find((item: { code: string }) => item.code === 'billboards');
    expect(listed).toMatchObject({ nameVi: 'Biển quảng cáo', acknowledgeWorkingMinutes: 240, responsible: 'construction' });
    const report = await submitTestReport(server.baseUrl, { category: 'billboards', coordinates: await pointInUnit(database.db, '03127') });
    expect(report.office.code).toBe('SXD-DB');
  });

  it('deactivating a category stops new reports in it', async () => {
    const category = { nameVi: 'Tạm', nameEn: 'Temporary', responsible: 'commune_committee', defaultPriority: 'normal', active: false };
    expect((await send('PUT', '/api/admin/categories/temporary_thing', admin, category)).status).toBe(204);
    const response = await send('POST', '/api/reports', null, { category: 'temporary_thing', description: 'Thử danh mục tắt', location: { type: 'Point', coordinates: await pointInUnit(database.db, '03127') } });
    expect(response.status).toBe(400);
  });

  it('a holiday added to the calendar moves deadlines at once', async () => {
    const day = '2031-03-04'; // a Tuesday
    const calendar = server.instance.reports.calendar;
    expect((await calendar.get()).isWorkingDay(day)).toBe(true);
    expect((await send('PUT', `/api/admin/calendar/${day}`, admin, { kind: 'holiday', nameVi: 'Nghỉ lễ thử nghiệm' })).status).toBe(204);
    expect((await calendar.get()).isWorkingDay(day)).toBe(false);
    const monday = new Date('2031-03-03T09:00:00+07:00');
    // 8 working hours from Monday 09:00 would end Tuesday 09:00; with Tuesday off, Wednesday 09:00.
    expect((await calendar.get()).addWorkingMinutes(monday, 480).toISOString()).toBe(new Date('2031-03-05T09:00:00+07:00').toISOString());
    const days = (await (await fetch(`${server.baseUrl}/api/calendar`)).json()).days;
    expect(days).toContainEqual({ day, kind: 'holiday', nameVi: 'Nghỉ lễ thử nghiệm', nameEn: null });
    expect((await send('DELETE', `/api/admin/calendar/${day}`, admin)).status).toBe(204);
    expect((await calendar.get()).isWorkingDay(day)).toBe(true);
    expect((await send('DELETE', `/api/admin/calendar/${day}`, admin)).status).toBe(404);
    expect((await send('PUT', '/api/admin/calendar/2031-02-30', admin, { kind: 'holiday', nameVi: 'x' })).status).toBe(400);
  });

  it('creates staff accounts (officers need an office) and Open311 clients', async () => {
    const officerBody = { email: 'moi@test.bandoso.vn', displayName: 'Cán bộ mới', password: 'mat-khau-du-dai', role: 'officer' };
    expect((await send('POST', '/api/admin/users', admin, officerBody)).status).toBe(400);
    expect((await send('POST', '/api/admin/users', admin, { ...officerBody, officeCode: 'UBND-03127' })).status).toBe(201);
    const again = await send('POST', '/api/admin/users', admin, { ...officerBody, email: 'MOI@test.bandoso.vn', role: 'planner' });
    expect(again.status).toBe(409);
    expect((await again.json()).error.message).toMatch(/already exists/);
    const token = await bearerToken(server.baseUrl, { email: officerBody.email, password: officerBody.password, role: 'officer', officeCode: 'UBND-03127' });
    expect(token).toBeTruthy();
    const client = await send('POST', '/api/admin/api-clients', admin, { name: 'Cổng dịch vụ công' });
    expect(client.status).toBe(201);
    expect((await client.json()).apiKey).toMatch(/^[\w-]{40,}$/);
  });
});
