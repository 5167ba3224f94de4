import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import {
  adjacentUnits,
  databaseFingerprint,
  getSharedTestDatabase,
  pointInUnit,
  pointOnSharedBorder,
  startTestServer,
  submitTestReport,
  type TestServer,
} from '../../testing/index.ts';

let database: DatabaseHandle;
let server: TestServer;
let centre: [number, number];

beforeAll(async () => {
  database = await getSharedTestDatabase();
  server = await startTestServer(database);
  centre = await pointInUnit(database.db, '03127');
});
afterAll(() => server.close());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.baseUrl}/api/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

const validBody = (overrides: Record<string, unknown> = {}) => ({
  category: 'public_lighting',
  description: 'Đèn đường trước số 12 không sáng',
  location: { type: 'Point', coordinates: centre },
  ...overrides,
});

describe('GET /api/categories', () => {
  it('lists the seeded categories with their rules, Vietnamese and English', async () => {
    const response = await fetch(`${server.baseUrl}/api/categories`);
    const { categories } = await response.json();
    const codes = categories.map((category: { code: string }) => category.code);
    for (const code of ['public_lighting', 'roads_pavements', 'power_lines', 'drainage_flooding', 'waste_environment', 'water_supply', 'traffic_safety', 'urban_order', 'trees', 'public_service_attitude', 'tourism_heritage', 'other']) {
      expect(codes).toContain(code);
    }
    const power = categories.find((category: { code: string }) => category.code === 'power_lines');
    expect(power).toMatchObject({ nameVi: 'Cột điện, đường dây điện', nameEn: 'Power poles and lines', defaultPriority: 'urgent', responsible: 'power', resolveWorkingMinutes: 240 });
  });
});

describe('POST /api/reports', () => {
  it('routes a report to the commune’s People’s Committee and answers 201 with tracking code, commune, office and deadlines', async () => {
    const response = await post(validBody({ reporter: { name: 'Lò Văn A', phone: '0912 345 678', consentToContact: true } }));
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      trackingCode: expect.stringMatching(/^DB-[0-9A-HJKMNP-TV-Z]{6}$/),
      status: 'received',
      commune: { code: '03127', name: 'Phường Điện Biên Phủ', level: 'ward' },
      office: { code: 'UBND-03127' },
      reporterToken: expect.any(String),
    });
    expect(response.headers.get('location')).toBe(`/api/reports/${body.trackingCode}`);
    expect(new Date(body.dueAt).getTime()).toBeGreaterThan(Date.now());
    const stored = await database.db.selectFrom('report').select(['unit_code', 'status']).where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ unit_code: '03127', status: 'received' });
    const events = await database.db.selectFrom('report_event').select(['kind', 'data']).where('report_id', '=', body.id).execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.kind).toBe('routed');
    expect(events[0]!.data).toMatchObject({ boundarySet: { name: 'dienbien-2025' }, unit: { code: '03127' }, office: { code: 'UBND-03127' }, rule: expect.stringContaining('People') });
    const outbox = await database.db.selectFrom('outbox_message').select('topic').where('report_id', '=', body.id).execute();
    expect(outbox).toEqual([{ topic: 'report.created' }]);
  });

  it('routes by category to the office with that responsibility: power lines go to the power company', async () => {
    const report = await submitTestReport(server.baseUrl, { category: 'power_lines', coordinates: await pointInUnit(database.db, '03253') });
    expect(report.commune.code).toBe('03253');
    expect(report.office.code).toBe('DIENLUC-DB');
    const heritage = await submitTestReport(server.baseUrl, { category: 'tourism_heritage', coordinates: centre });
    expect(heritage.office.code).toBe('SVHTTDL-DB');
  });

  it('counts deadlines in working time: an urgent report sent on a Friday evening is due on Monday', async () => {
    // Exercised through the service with a fixed clock in working-time tests; here the API's answer is
    // checked to be in office hours on a working day in Vietnam.
    const report = await submitTestReport(server.baseUrl, { category: 'power_lines', coordinates: centre });
    const due = new Date(report.dueAt);
    const local = new Date(due.getTime() + 7 * 3_600_000);
    expect([1, 2, 3, 4, 5, 6]).toContain(local.getUTCDay() === 0 ? 7 : local.getUTCDay());
    const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
    expect(minutes >= 7 * 60 + 30 && minutes <= 17 * 60).toBe(true);
  });

  it('flags a pin on the border between two communes for the receiving office to confirm', async () => {
    const [a, b] = await adjacentUnits(database.db);
    const report = await submitTestReport(server.baseUrl, { category: 'trees', coordinates: await pointOnSharedBorder(database.db, a, b) });
    expect(report.nearBorder).toBe(true);
    expect(report.commune.code).toBe(a); // the smaller code wins on a shared border
    const inside = await submitTestReport(server.baseUrl, { category: 'trees', coordinates: await pointInUnit(database.db, a) });
    expect(inside.nearBorder).toBe(false);
  });

  it('creates exactly one report for a retried submission with the same Idempotency-Key', async () => {
    const key = `retry-${crypto.randomUUID()}`;
    const body = validBody({ description: `Cống tắc ${key}` });
    const first = await post(body, { 'Idempotency-Key': key });
    const second = await post(body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const [a, b] = [await first.json(), await second.json()];
    expect(b).toEqual(a);
    const count = await sql<{ count: number }>`SELECT count(*)::int AS count FROM report WHERE description = ${`Cống tắc ${key}`}`.execute(database.db);
    expect(count.rows[0]!.count).toBe(1);
    const concurrent = `race-${crypto.randomUUID()}`;
    const raced = await Promise.all([1, 2, 3].map(() => post(validBody({ description: `Song song ${concurrent}` }), { 'Idempotency-Key': concurrent })));
    expect(raced.map((response) => response.status).sort()).toEqual([200, 200, 201]);
    const codes = new Set(await Promise.all(raced.map(async (response) => (await response.json()).trackingCode)));
    expect(codes.size).toBe(1);
  });

  it('refuses to reuse an Idempotency-Key for a different report', async () => {
    const key = `reuse-${crypto.randomUUID()}`;
    expect((await post(validBody(), { 'Idempotency-Key': key })).status).toBe(201);
    const other = await post(validBody({ description: 'Một phản ánh khác hẳn' }), { 'Idempotency-Key': key });
    expect(other.status).toBe(409);
    expect((await other.json()).error.code).toBe('CONFLICT');
  });
});

describe('GET /api/reports/routing-preview', () => {
  it('says which commune and office would receive a report, before sending, and writes nothing', async () => {
    const before = await databaseFingerprint(database.db);
    const [lon, lat] = centre;
    const preview = await (await fetch(`${server.baseUrl}/api/reports/routing-preview?lon=${lon}&lat=${lat}&category=power_lines`)).json();
    expect(preview).toMatchObject({ commune: { code: '03127', name: 'Phường Điện Biên Phủ' }, office: { code: 'DIENLUC-DB' }, nearBorder: false });
    expect((await fetch(`${server.baseUrl}/api/reports/routing-preview?lon=105.85&lat=21.03&category=power_lines`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/api/reports/routing-preview?lon=${lon}&lat=${lat}&category=nope`)).status).toBe(400);
    expect(await databaseFingerprint(database.db)).toEqual(before);
  });
});

describe('GET /api/reports/nearby', () => {
  it('offers open reports of the same category within 250 m, nearest first, and nothing else', async () => {
    const [lon, lat] = await pointInUnit(database.db, '03256');
    const near = await submitTestReport(server.baseUrl, { category: 'drainage_flooding', coordinates: [lon + 0.001, lat] });
    const other = await submitTestReport(server.baseUrl, { category: 'trees', coordinates: [lon + 0.0005, lat] });
    const far = await submitTestReport(server.baseUrl, { category: 'drainage_flooding', coordinates: [lon + 0.01, lat] });
    const response = await fetch(`${server.baseUrl}/api/reports/nearby?lon=${lon}&lat=${lat}&category=drainage_flooding`);
    expect(response.headers.get('content-type')).toMatch(/application\/geo\+json/);
    const collection = await response.json();
    const codes = collection.features.map((feature: { properties: { trackingCode: string } }) => feature.properties.trackingCode);
    expect(codes).toContain(near.trackingCode);
    expect(codes).not.toContain(other.trackingCode);
    expect(codes).not.toContain(far.trackingCode);
    const found = collection.features.find((feature: { properties: { trackingCode: string } }) => feature.properties.trackingCode === near.trackingCode);
    expect(found.properties.distanceM).toBeGreaterThan(90);
    expect(found.properties.distanceM).toBeLessThan(120);
  });
});

describe('bad submissions get a clear 4xx and change nothing', () => {
  const cases: Array<[string, () => Promise<Response>, number, RegExp]> = [
    ['broken JSON', () => post('{"category": "public_lighting", "descr'), 400, /not valid JSON/],
    ['an array instead of an object', () => post([1, 2, 3]), 400, /Invalid body/],
    ['a missing category', () => post(validBody({ category: undefined })), 400, /category/],
    ['an unknown category', () => post(validBody({ category: 'x; DROP TABLE report;--' })), 400, /Unknown category/],
    ['a description that is a number', () => post(validBody({ description: 42 })), 400, /description/],
    ['an empty description', () => post(validBody({ description: '   ' })), 400, /description/],
    ['a missing location', () => post(validBody({ location: undefined })), 400, /location/],
    ['a location that is not GeoJSON', () => post(validBody({ location: { lat: 21.38, lng: 103.01 } })), 400, /GeoJSON Point/],
    ['a LineString location', () => post(validBody({ location: { type: 'LineString', coordinates: [[103, 21], [103.1, 21.1]] } })), 400, /GeoJSON Point/],
    ['coordinates as strings', () => post(validBody({ location: { type: 'Point', coordinates: ['103.01', '21.38'] } })), 400, /location/],
    ['swapped coordinates', () => post(validBody({ location: { type: 'Point', coordinates: [21.38, 103.01] } })), 400, /swapped/],
    ['coordinates out of range', () => post(validBody({ location: { type: 'Point', coordinates: [200, 95] } })), 400, /out of range/],
    ['a point outside the province (Hà Nội)', () => post(validBody({ location: { type: 'Point', coordinates: [105.8542, 21.0285] } })), 404, /outside Điện Biên/],
    ['a negative accuracy', () => post(validBody({ accuracyM: -5 })), 400, /accuracyM/],
    ['an unknown field', () => post(validBody({ priority: 'urgent' })), 400, /priority|Unrecognized/i],
    ['a bad reporter phone', () => post(validBody({ reporter: { phone: "1' OR '1'='1" } })), 400, /phone/],
    ['a bad reporter e-mail', () => post(validBody({ reporter: { email: 'not-an-email' } })), 400, /email/],
    ['a control character in the description', () => post(validBody({ description: 'abc\u0000def' })), 400, /^description holds a NUL character .*control character/],
    ['an oversized body', () => post(validBody({ description: 'x'.repeat(2 * 1024 * 1024) })), 413, /too large/],
    ['a bad Idempotency-Key', () => post(validBody(), { 'Idempotency-Key': "'; DROP TABLE idempotency_key;--" }), 400, /Idempotency-Key/],
    ['a text/plain body', () => fetch(`${server.baseUrl}/api/reports`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hello' }), 415, /application\/json or multipart/],
  ];

  it.each(cases)('%s', async (_name, send, status, message) => {
    const before = await databaseFingerprint(database.db);
    const response = await send();
    expect(response.status).toBe(status);
    const body = await response.json();
    expect(body.error.code).toMatch(/^[A-Z_]+$/);
    expect(body.error.message).toMatch(message);
    expect(body.error.messageVi).toBeTruthy();
    expect(await databaseFingerprint(database.db)).toEqual(before);
  });

  it('stores SQL-looking free text verbatim, as data', async () => {
    const text = "Robert'); DROP TABLE report;-- \" OR 1=1 /* ${7*7} <script>alert(1)</script>";
    const report = await submitTestReport(server.baseUrl, { category: 'other', coordinates: centre, description: text });
    const stored = await database.db.selectFrom('report').select('description').where('id', '=', report.id).executeTakeFirstOrThrow();
    expect(stored.description).toBe(text);
  });
});

describe('rate limit', () => {
  // Counters live in the database, shared by every server on it for the hour: each test counts
  // for client addresses of its own (sent as X-Forwarded-For through the trusted loopback proxy).
  let lastClient = 0;
  const clientAddress = () => `198.51.100.${(lastClient += 1)}`;

  it('answers 429 after the configured number of submissions per client and hour', async () => {
    const limited = await startTestServer(database, { REPORT_SUBMISSIONS_PER_HOUR: '2' });
    const client = clientAddress();
    try {
      const send = () =>
        fetch(`${limited.baseUrl}/api/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': client }, body: JSON.stringify(validBody()) });
      expect((await send()).status).toBe(201);
      expect((await send()).status).toBe(201);
      const third = await send();
      expect(third.status).toBe(429);
      expect((await third.json()).error.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });

  it('answers a resent submission (a known Idempotency-Key) with its tracking code, never counting it against the limit', async () => {
    const limited = await startTestServer(database, { REPORT_SUBMISSIONS_PER_HOUR: '2' });
    const client = clientAddress();
    const body = JSON.stringify(validBody({ description: `Ống nước vỡ, gửi lại từ điện thoại ngoại tuyến ${client}` }));
    try {
      const send = (key: string) =>
        fetch(`${limited.baseUrl}/api/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': client, 'Idempotency-Key': key }, body });
      const key = `offline-phone-${client}`;
      const first = await send(key);
      expect(first.status).toBe(201);
      const { trackingCode } = (await first.json()) as { trackingCode: string };
      // An offline phone resends its stored report, far more often than the hourly limit.
      for (let replay = 0; replay < 31; replay += 1) {
        const again = await send(key);
        expect(again.status, `replay ${replay + 1}`).toBe(200);
        expect(((await again.json()) as { trackingCode: string }).trackingCode).toBe(trackingCode);
      }
      // The replays used none of the limit: a second new report is still accepted, the third is not.
      expect((await send(`${key}-second`)).status).toBe(201);
      expect((await send(`${key}-third`)).status).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('is one limit for every API process on the database, not one per process', async () => {
    const [first, second] = [await startTestServer(database, { REPORT_SUBMISSIONS_PER_HOUR: '2' }), await startTestServer(database, { REPORT_SUBMISSIONS_PER_HOUR: '2' })];
    const client = '2001:db8:1::1';
    try {
      const send = (baseUrl: string) =>
        fetch(`${baseUrl}/api/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': client }, body: JSON.stringify(validBody()) });
      expect((await send(first.baseUrl)).status).toBe(201);
      expect((await send(second.baseUrl)).status).toBe(201);
      // Each process has seen one submission; together they have seen the limit.
      expect((await send(first.baseUrl)).status).toBe(429);
      expect((await send(second.baseUrl)).status).toBe(429);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('counts each citizen behind a trusted proxy apart, and everyone behind an untrusted one together', async () => {
    const send = (baseUrl: string, client: string) =>
      fetch(`${baseUrl}/api/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': client }, body: JSON.stringify(validBody()) });
    // The test connects from 127.0.0.1: a proxy on this host, trusted by default.
    const trusting = await startTestServer(database, { REPORT_SUBMISSIONS_PER_HOUR: '1' });
    const [a, b] = [clientAddress(), clientAddress()];
    try {
      expect((await send(trusting.baseUrl, a)).status).toBe(201);
      expect((await send(trusting.baseUrl, a)).status).toBe(429);
      expect((await send(trusting.baseUrl, b)).status).toBe(201);
    } finally {
      await trusting.close();
    }
    const untrusting = await startTestServer(database, { REPORT_SUBMISSIONS_PER_HOUR: '1', TRUST_PROXY: 'false' });
    try {
      // Without trust, both are the proxy's own address (127.0.0.1), which this hour's earlier tests already used up.
      await sql`DELETE FROM rate_limit_counter WHERE key = 'reports:127.0.0.1'`.execute(database.db);
      expect((await send(untrusting.baseUrl, '203.0.113.7')).status).toBe(201);
      expect((await send(untrusting.baseUrl, '203.0.113.8')).status).toBe(429);
    } finally {
      await untrusting.close();
    }
  });
});
