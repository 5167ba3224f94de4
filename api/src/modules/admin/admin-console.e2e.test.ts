import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, createTestDatabase, createTestUser, pointInUnit, startTestServer, type TestDatabase, type TestServer, type TestUser } from '../../testing/index.ts';

/**
 * The admin console's API through the real server and database: accounts (list, change, deactivate,
 * password reset), Open311 clients (list, revoke), and the lists the category form reads.
 *
 * On a database of its own: it deactivates accounts and revokes keys.
 */
let database: TestDatabase;
let server: TestServer;
let adminUser: TestUser;
let admin: string;
let officer: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  adminUser = await createTestUser(database.db, 'admin');
  admin = await bearerToken(server.baseUrl, adminUser);
  officer = await bearerToken(server.baseUrl, await createTestUser(database.db, 'officer', 'UBND-03127'));
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

async function call(method: string, path: string, token: string | null, body?: unknown) {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as any) : null };
}

const login = (email: string, password: string) => call('POST', '/api/auth/tokens', null, { email, password });

/** A new account through POST /api/admin/users; its id and a signed-in token. */
async function newAccount(role: string, officeCode: string | null, displayName = 'Cán bộ thử nghiệm') {
  const email = `console.${Math.random().toString(36).slice(2, 10)}@test.bandoso.vn`;
  const password = 'mat-khau-ban-dau';
  const created = await call('POST', '/api/admin/users', admin, { email, displayName, password, role, ...(officeCode ? { officeCode } : {}) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const token = await bearerToken(server.baseUrl, { email, password, role: role as TestUser['role'], officeCode });
  return { id: created.body.id as string, email, password, token };
}

const sessionCount = async (userId: string) =>
  Number((await database.db.selectFrom('user_session').select((eb) => eb.fn.countAll().as('count')).where('user_id', '=', userId).executeTakeFirstOrThrow()).count);

describe('accounts', () => {
  it('lists accounts, found by words of the name or e-mail with accents and case ignored, by role and by office', async () => {
    const account = await newAccount('officer', 'UBND-03127', 'Nguyễn Thị Hường Điện Biên');
    const byWords = await call('GET', `/api/admin/users?q=${encodeURIComponent('HUONG dien')}`, admin);
    expect(byWords.status).toBe(200);
    expect(byWords.body.users).toEqual([
      { id: account.id, email: account.email, displayName: 'Nguyễn Thị Hường Điện Biên', role: 'officer', office: { code: 'UBND-03127', name: expect.any(String) }, active: true, createdAt: expect.any(String) },
    ]);
    expect((await call('GET', `/api/admin/users?q=${account.email.toUpperCase()}`, admin)).body.users.map((user: { id: string }) => user.id)).toEqual([account.id]);
    const officers = (await call('GET', '/api/admin/users?role=officer&office=UBND-03127', admin)).body.users;
    expect(officers.map((user: { id: string }) => user.id)).toContain(account.id);
    expect(officers.every((user: { role: string; office: { code: string } }) => user.role === 'officer' && user.office.code === 'UBND-03127')).toBe(true);
    expect((await call('GET', '/api/admin/users?role=admin', admin)).body.users.map((user: { email: string }) => user.email)).toContain(adminUser.email);
    expect((await call('GET', '/api/admin/users?office=NO-SUCH-OFFICE', admin)).body.users).toEqual([]);
    expect((await call('GET', '/api/admin/users?role=king', admin)).status).toBe(400);
    expect((await call('GET', '/api/admin/users', officer)).status).toBe(403);
    expect((await call('GET', '/api/admin/users', null)).status).toBe(401);
  });

  it('changes name, role and office under the officer⇔office rule, and refuses bad changes without changing anything', async () => {
    const account = await newAccount('officer', 'UBND-03127');
    const renamed = await call('PATCH', `/api/admin/users/${account.id}`, admin, { displayName: 'Tên mới', officeCode: 'UBND-03334' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: account.id, displayName: 'Tên mới', role: 'officer', office: { code: 'UBND-03334' }, active: true });

    const refusals: Array<[unknown, number, RegExp]> = [
      [{}, 400, /at least one/],
      [{ role: 'king' }, 400, /role/],
      [{ officeCode: null }, 400, /officer needs an office/],
      [{ officeCode: 'NO-SUCH-OFFICE' }, 400, /not an office/],
      [{ role: 'planner', officeCode: 'UBND-03127' }, 400, /Only officers/],
      [{ active: 'no' }, 400, /active/],
      [{ displayName: 'x', email: 'other@example.com' }, 400, /email|Unrecognized|unrecognized/],
    ];
    for (const [body, status, message] of refusals) {
      const refused = await call('PATCH', `/api/admin/users/${account.id}`, admin, body);
      expect(refused.status, JSON.stringify(body)).toBe(status);
      expect(refused.body.error.message, JSON.stringify(body)).toMatch(message);
      expect(refused.body.error.messageVi, JSON.stringify(body)).toBeTruthy();
    }
    const unchanged = (await call('GET', `/api/admin/users?q=${account.email}`, admin)).body.users[0];
    expect(unchanged).toMatchObject({ displayName: 'Tên mới', role: 'officer', office: { code: 'UBND-03334' }, active: true });

    // No longer an officer: the office goes with the role.
    const planner = await call('PATCH', `/api/admin/users/${account.id}`, admin, { role: 'planner' });
    expect(planner.body).toMatchObject({ role: 'planner', office: null });
    expect((await call('PATCH', '/api/admin/users/00000000-0000-4000-8000-000000000000', admin, { displayName: 'Ai đó' })).status).toBe(404);
    expect((await call('PATCH', '/api/admin/users/not-a-uuid', admin, { displayName: 'Ai đó' })).status).toBe(400);
  });

  it('deactivating ends the account’s sessions at once; reactivating lets it sign in again', async () => {
    const account = await newAccount('ioc_operator', null);
    expect((await call('GET', '/api/auth/me', account.token)).status).toBe(200);
    expect(await sessionCount(account.id)).toBe(1);
    const deactivated = await call('PATCH', `/api/admin/users/${account.id}`, admin, { active: false });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    expect(await sessionCount(account.id)).toBe(0);
    expect((await call('GET', '/api/auth/me', account.token)).status).toBe(401);
    expect((await call('GET', '/api/staff/reports', account.token)).status).toBe(401);
    expect((await login(account.email, account.password)).status).toBe(401);
    expect((await call('PATCH', `/api/admin/users/${account.id}`, admin, { active: true })).body.active).toBe(true);
    expect((await login(account.email, account.password)).status).toBe(201);
  });

  it('an admin cannot deactivate themselves or give up their own admin role (409)', async () => {
    const me = (await call('GET', `/api/admin/users?q=${adminUser.email}`, admin)).body.users[0];
    for (const body of [{ active: false }, { role: 'planner' }]) {
      const refused = await call('PATCH', `/api/admin/users/${me.id}`, admin, body);
      expect(refused.status, JSON.stringify(body)).toBe(409);
      expect(refused.body.error.code).toBe('CONFLICT');
      expect(refused.body.error.message).toMatch(/your own/);
      expect(refused.body.error.messageVi).toMatch(/quản trị viên khác/);
    }
    expect((await call('GET', '/api/auth/me', admin)).body.user).toMatchObject({ role: 'admin' });
    // Changing their own name is fine.
    expect((await call('PATCH', `/api/admin/users/${me.id}`, admin, { displayName: 'Quản trị viên' })).status).toBe(200);
  });

  it('resets a password: the old one stops working, the new one works, and sessions end', async () => {
    const account = await newAccount('planner', null);
    const short = await call('POST', `/api/admin/users/${account.id}/password`, admin, { password: 'ngan' });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toMatch(/at least 10 characters/);
    expect((await login(account.email, account.password)).status).toBe(201); // nothing changed
    const newPassword = 'mat-khau-moi-du-dai';
    expect((await call('POST', `/api/admin/users/${account.id}/password`, admin, { password: newPassword })).status).toBe(204);
    expect(await sessionCount(account.id)).toBe(0);
    expect((await call('GET', '/api/auth/me', account.token)).status).toBe(401);
    expect((await login(account.email, account.password)).status).toBe(401);
    expect((await login(account.email, newPassword)).status).toBe(201);
    expect((await call('POST', '/api/admin/users/00000000-0000-4000-8000-000000000000/password', admin, { password: newPassword })).status).toBe(404);
    expect((await call('POST', `/api/admin/users/${account.id}/password`, officer, { password: newPassword })).status).toBe(403);
  });
});

describe('Open311 clients', () => {
  it('lists clients without their keys, and a revoked key stops working at once', async () => {
    const created = await call('POST', '/api/admin/api-clients', admin, { name: 'Cổng dịch vụ công thử' });
    expect(created.status).toBe(201);
    const { id, apiKey } = created.body as { id: string; apiKey: string };
    const listed = await call('GET', '/api/admin/api-clients', admin);
    expect(listed.status).toBe(200);
    expect(listed.body.clients).toContainEqual({ id, name: 'Cổng dịch vụ công thử', active: true, createdAt: expect.any(String) });
    expect(JSON.stringify(listed.body)).not.toContain(apiKey);

    const [lon, lat] = await pointInUnit(database.db, '03127');
    const postRequest = () =>
      fetch(`${server.baseUrl}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams({ api_key: apiKey, service_code: 'public_lighting', lat: String(lat), long: String(lon), description: 'Đèn đường bị tắt (thử khóa API).' }).toString(),
      });
    expect((await postRequest()).status).toBe(201);

    expect((await call('DELETE', `/api/admin/api-clients/${id}`, officer)).status).toBe(403);
    expect((await call('DELETE', `/api/admin/api-clients/${id}`, admin)).status).toBe(204);
    // Open311 answers a refused key with 403, as GeoReport v2 specifies.
    const refused = await postRequest();
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/api_key is not valid/);
    expect((await call('GET', '/api/admin/api-clients', admin)).body.clients).toContainEqual({ id, name: 'Cổng dịch vụ công thử', active: false, createdAt: expect.any(String) });
    expect((await call('DELETE', `/api/admin/api-clients/${id}`, admin)).status).toBe(204); // revoking again is harmless
    expect((await call('DELETE', '/api/admin/api-clients/00000000-0000-4000-8000-000000000000', admin)).status).toBe(404);
    const malformed = await call('DELETE', '/api/admin/api-clients/x', admin);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/UUID/);
  });
});

describe('what the category form reads', () => {
  it('lists every category (inactive ones too) with its editable fields, the priorities, and the offices’ responsibilities', async () => {
    const inactive = { nameVi: 'Danh mục tạm', nameEn: 'Temporary', responsible: 'water', defaultPriority: 'urgent', resolveWorkingMinutes: 120, active: false, sortOrder: 999 };
    expect((await call('PUT', '/api/admin/categories/console_temporary', admin, inactive)).status).toBe(204);
    const categories = await call('GET', '/api/admin/categories', admin);
    expect(categories.status).toBe(200);
    expect(categories.body.categories).toContainEqual({
      code: 'console_temporary',
      nameVi: 'Danh mục tạm',
      nameEn: 'Temporary',
      descriptionVi: null,
      descriptionEn: null,
      responsible: 'water',
      defaultPriority: 'urgent',
      acknowledgeWorkingMinutes: 480,
      resolveWorkingMinutes: 120,
      active: false,
      sortOrder: 999,
    });
    expect(categories.body.categories.find((category: { code: string }) => category.code === 'public_lighting')).toMatchObject({ responsible: 'commune_committee', active: true });
    // The public list does not show the inactive one.
    expect((await call('GET', '/api/categories', null)).body.categories.map((category: { code: string }) => category.code)).not.toContain('console_temporary');

    const priorities = await call('GET', '/api/admin/priorities', admin);
    expect(priorities.body.priorities.map((priority: { code: string }) => priority.code)).toEqual(['urgent', 'normal', 'complex']);
    expect(priorities.body.priorities[0]).toEqual({ code: 'urgent', resolveWorkingMinutes: expect.any(Number) });

    const offices = (await call('GET', '/api/offices', null)).body.offices as Array<{ code: string; responsibilities: string[] }>;
    expect(offices.find((office) => office.code === 'DIENLUC-DB')?.responsibilities).toEqual(['power']);

    for (const path of ['/api/admin/categories', '/api/admin/priorities', '/api/admin/api-clients']) {
      expect((await call('GET', path, officer)).status, path).toBe(403);
    }
  });
});
