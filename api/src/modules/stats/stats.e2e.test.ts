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
import { administrativeDate } from '../boundaries/boundaries.service.ts';
import { flagOverdueReports } from '../reports/report-deadlines.service.ts';
import { parseCsv } from './stats-test-support.ts';

// A private database: these tests assert exact province-wide totals.
let database: TestDatabase;
let server: TestServer;
let today: string;
let officerToken: string;
let adminToken: string;
const reports: SubmittedReport[] = [];
const reporterName = 'Lò Thị Bí Mật';
const reporterPhone = '0912345678';

const getStats = async (query: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${server.baseUrl}/api/stats?${query}`, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
};
const getJson = async (query: string) => {
  const response = await getStats(query);
  return { status: response.status, body: JSON.parse(response.text) as any };
};
const group = (body: any, key: string) => body.groups.find((item: { key: string }) => item.key === key);

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  today = administrativeDate(undefined);
  officerToken = await bearerToken(server.baseUrl, await createTestUser(database.db, 'officer', 'UBND-03127'));
  adminToken = await bearerToken(server.baseUrl, await createTestUser(database.db, 'admin'));
});
afterAll(async () => {
  await server.close();
  await database.close();
});

describe('GET /api/stats through the real workflow', () => {
  it('counts a report the moment its 201 is returned', async () => {
    const before = await getJson(`groupBy=commune&from=${today}&to=${today}`);
    expect(before.status).toBe(200);
    expect(before.body.totals.received).toBe(0);
    const centre = await pointInUnit(database.db, '03127');
    reports.push(await submitTestReport(server.baseUrl, { category: 'public_lighting', coordinates: centre, reporter: { name: reporterName, phone: reporterPhone } }));
    const after = await getJson(`groupBy=commune&from=${today}&to=${today}`);
    expect(after.body.totals).toMatchObject({ received: 1, open: 1, overdue: 0, resolved: 0 });
    expect(group(after.body, '03127')).toMatchObject({ received: 1, open: 1 });
  });

  it('follows every step of the life cycle, with exact counts per commune, office and category', async () => {
    const centre = await pointInUnit(database.db, '03127');
    const other = await pointInUnit(database.db, '03334');
    for (let index = 1; index < 6; index += 1) reports.push(await submitTestReport(server.baseUrl, { category: 'public_lighting', coordinates: centre }));
    reports.push(await submitTestReport(server.baseUrl, { category: 'power_lines', coordinates: other }));
    const [r1, r2, r3, r4, r5, _r6, r7] = reports as [SubmittedReport, SubmittedReport, SubmittedReport, SubmittedReport, SubmittedReport, SubmittedReport, SubmittedReport];
    expect(r7.office.code).toBe('DIENLUC-DB');
    const act = async (report: SubmittedReport, action: Record<string, unknown>, token = officerToken) => {
      const response = await staffAction(server.baseUrl, token, report.id, action);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    };
    const rate = async (report: SubmittedReport, rating: string) => {
      const response = await fetch(`${server.baseUrl}/api/reports/${report.trackingCode}/rating`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: report.reporterToken, rating }),
      });
      expect(response.status).toBe(200);
    };
    // r1 resolved and the citizen is satisfied; r2 resolved, not satisfied: reopened (open again).
    await act(r1, { action: 'accept' });
    await act(r1, { action: 'resolve', answer: 'Đã thay bóng đèn.' });
    await rate(r1, 'satisfied');
    await act(r2, { action: 'accept' });
    await act(r2, { action: 'start' });
    await act(r2, { action: 'resolve', answer: 'Đã sửa.' });
    await rate(r2, 'not_satisfied');
    // r3 rejected, r4 a duplicate of r1, r5 "not our responsibility" → transferred to the power company.
    await act(r3, { action: 'reject', reason: 'not_eligible', answer: 'Không thuộc phạm vi tiếp nhận.' });
    await act(r4, { action: 'mark_duplicate', originalTrackingCode: r1.trackingCode });
    await act(r5, { action: 'reject', reason: 'not_our_responsibility', answer: 'Chuyển Điện lực.', targetOfficeCode: 'DIENLUC-DB' });

    let stats = await getJson(`groupBy=office&from=${today}&to=${today}`);
    expect(stats.body.totals).toMatchObject({ received: 7, open: 4, overdue: 0, resolved: 1, resolvedOnTime: 1, rejected: 1, duplicates: 1, acknowledged: 4, rated: 2, satisfied: 1 });
    expect(stats.body.totals.onTimeRate).toBe(1);
    expect(stats.body.totals.satisfactionRate).toBe(0.5);

    // Sixty days later every open report (r2 reopened, r5 transferred, r6 and r7 received) is late.
    const flagged = await flagOverdueReports(server.instance.reports, new Date(Date.now() + 60 * 86_400_000));
    expect(flagged).toBe(4);

    stats = await getJson(`groupBy=office&from=${today}&to=${today}`);
    const totals = { received: 7, open: 4, overdue: 4, resolved: 1, resolvedOnTime: 1, rejected: 1, duplicates: 1, acknowledged: 4, rated: 2, satisfied: 1 };
    expect(stats.body.totals).toMatchObject({ ...totals, onTimeRate: 0.2, satisfactionRate: 0.5 });
    // The acknowledgements took seconds: under a minute; r1 was resolved within a minute, too.
    expect(stats.body.totals.medianAcknowledgeMinutes).toBeGreaterThanOrEqual(0);
    expect(stats.body.totals.medianAcknowledgeMinutes).toBeLessThan(1);
    expect(stats.body.totals.medianResolveMinutes).toBeLessThan(1);
    expect(group(stats.body, 'UBND-03127')).toMatchObject({ name: 'UBND phường Điện Biên Phủ', received: 5, open: 2, overdue: 2, resolved: 1, rejected: 1, duplicates: 1 });
    expect(group(stats.body, 'DIENLUC-DB')).toMatchObject({ received: 2, open: 2, overdue: 2, resolved: 0, onTimeRate: 0, satisfactionRate: null, medianResolveMinutes: null });
    expect(group(stats.body, 'UBND-03334')).toMatchObject({ received: 0, onTimeRate: null, satisfactionRate: null, medianAcknowledgeMinutes: null });

    const communes = await getJson(`groupBy=commune&from=${today}&to=${today}`);
    expect(communes.body.totals).toEqual(stats.body.totals);
    expect(communes.body.boundarySet).toEqual({ name: 'dienbien-2025', validFrom: '2025-07-01', validTo: null });
    expect(communes.body.groups).toHaveLength(45);
    // The transferred report still counts for the commune it was sent from.
    expect(group(communes.body, '03127')).toMatchObject({ received: 6, open: 3, overdue: 3 });
    expect(group(communes.body, '03334')).toMatchObject({ received: 1, open: 1, overdue: 1 });

    const categories = await getJson(`groupBy=category&from=${today}&to=${today}`);
    expect(categories.body.totals).toEqual(stats.body.totals);
    expect(group(categories.body, 'public_lighting')).toMatchObject({ name: 'Chiếu sáng công cộng', nameEn: 'Public lighting', received: 6 });
    expect(group(categories.body, 'power_lines')).toMatchObject({ received: 1 });

    const days = await getJson(`groupBy=day&from=${today}&to=${today}`);
    expect(days.body.groups).toEqual([expect.objectContaining({ key: today, ...totals })]);
    const months = await getJson(`groupBy=month&from=${today}&to=${today}`);
    expect(months.body.groups).toEqual([expect.objectContaining({ key: today.slice(0, 7), ...totals })]);

    // Counts add up in every grouping.
    for (const body of [stats.body, communes.body, categories.body, days.body]) {
      for (const field of ['received', 'open', 'overdue', 'resolved', 'resolvedOnTime', 'rejected', 'duplicates', 'acknowledged', 'rated', 'satisfied']) {
        expect(body.groups.reduce((sum: number, item: Record<string, number>) => sum + item[field]!, 0), field).toBe(body.totals[field]);
      }
      expect(body.totals.received).toBe(body.totals.open + body.totals.resolved + body.totals.rejected + body.totals.duplicates);
    }

    // Reports created before the period are not in it.
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect((await getJson(`groupBy=commune&from=2025-07-01&to=${yesterday}`)).body.totals.received).toBe(0);
    // The default period is this year to date.
    const defaults = await getJson('');
    expect(defaults.body).toMatchObject({ groupBy: 'commune', from: `${today.slice(0, 4)}-01-01`, to: today, totals: { received: 7 } });

    // The transferred report is acknowledged at its new office: still open, still late.
    await act(r5, { action: 'accept' }, adminToken);
    const acknowledged = await getJson(`groupBy=office&from=${today}&to=${today}`);
    expect(group(acknowledged.body, 'DIENLUC-DB')).toMatchObject({ received: 2, open: 2, overdue: 2, acknowledged: 1 });
  });

  it('lists open overdue reports publicly, without reporter data, oldest first, filtered by office', async () => {
    const response = await fetch(`${server.baseUrl}/api/stats/overdue`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const body = JSON.parse(text);
    expect(body.total).toBe(4);
    expect(body.reports.map((item: { trackingCode: string }) => item.trackingCode)).toEqual([reports[1]!, reports[4]!, reports[5]!, reports[6]!].map((report) => report.trackingCode));
    expect(Object.keys(body.reports[0]).sort()).toEqual(
      ['acknowledgeDueAt', 'acknowledgedAt', 'category', 'commune', 'createdAt', 'dueAt', 'id', 'location', 'office', 'status', 'trackingCode'].sort(),
    );
    expect(body.reports[0].id).toBe(reports[1]!.id);
    expect(body.reports[0]).toMatchObject({ commune: { code: '03127' }, category: { code: 'public_lighting' }, status: 'reopened' });
    const power = await (await fetch(`${server.baseUrl}/api/stats/overdue?office=DIENLUC-DB&limit=1`)).json();
    expect(power.total).toBe(2);
    expect(power.reports).toHaveLength(1);
    const commune = await (await fetch(`${server.baseUrl}/api/stats/overdue?commune=03334`)).json();
    expect(commune.reports.map((item: { trackingCode: string }) => item.trackingCode)).toEqual([reports[6]!.trackingCode]);
    expect((await fetch(`${server.baseUrl}/api/stats/overdue?commune=abc`)).status).toBe(400);
    // The reporter's name and phone were given with the first report; no statistic shows them.
    for (const query of ['groupBy=commune', 'groupBy=office', 'groupBy=category', 'groupBy=day&from=2026-01-01', 'groupBy=commune&format=csv']) {
      const stats = await getStats(query);
      expect(stats.text).not.toContain(reporterName);
      expect(stats.text).not.toContain(reporterPhone);
    }
    expect(text).not.toContain(reporterName);
    expect(text).not.toContain(reporterPhone);
  });
});

describe('GET /api/stats as CSV', () => {
  it('answers UTF-8 CSV with a byte order mark, a header, one line per group, as an attachment', async () => {
    const json = await getJson(`groupBy=commune&from=${today}&to=${today}`);
    const response = await fetch(`${server.baseUrl}/api/stats?groupBy=commune&from=${today}&to=${today}&format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="thong-ke-phan-anh_commune_${today}_${today}.csv"`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1));
    expect(rows[0]).toEqual([
      'key',
      'name',
      'received',
      'open',
      'overdue',
      'resolved',
      'resolved_on_time',
      'rejected',
      'duplicates',
      'acknowledged',
      'rated',
      'satisfied',
      'on_time_rate',
      'satisfaction_rate',
      'median_acknowledge_minutes',
      'median_resolve_minutes',
    ]);
    expect(rows).toHaveLength(1 + json.body.groups.length);
    const byKey = new Map(rows.slice(1).map((row) => [row[0], row]));
    for (const item of json.body.groups) {
      const row = byKey.get(item.key)!;
      expect(row[1]).toBe(item.name);
      expect(Number(row[2])).toBe(item.received);
      expect(row[12] === '' ? null : Number(row[12])).toBe(item.onTimeRate);
      expect(row[15] === '' ? null : Number(row[15])).toBe(item.medianResolveMinutes);
    }
    expect(byKey.get('03127')![1]).toBe('Phường Điện Biên Phủ');
  });

  it('honours Accept: text/csv, and format=json over it', async () => {
    const csv = await getStats('groupBy=category', { Accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('vary')).toMatch(/Accept/);
    // fetch's text() drops the byte order mark.
    expect(csv.text.startsWith('key,name,')).toBe(true);
    const json = await getStats('groupBy=category&format=json', { Accept: 'text/csv' });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    const browser = await getStats('groupBy=category', { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(browser.headers.get('content-type')).toMatch(/^application\/json/);
  });
});

describe('GET /api/stats validation', () => {
  it.each([
    ['an unknown grouping', 'groupBy=district', /groupBy must be one of commune, office, category, day/],
    ['a date that is not YYYY-MM-DD', 'from=01/02/2026', /from must be a date written YYYY-MM-DD/],
    ['an impossible date', 'to=2026-02-30', /to is not a real date/],
    ['from after to', 'from=2026-03-01&to=2026-02-01', /from \(2026-03-01\) is after to \(2026-02-01\)/],
    ['from in the future with the default to', 'from=2099-01-01', /is after to/],
    ['a time series that is too long', 'groupBy=day&from=2020-01-01&to=2026-01-01', /groupBy=day covers at most 731 days/],
    ['a monthly series that is too long', 'groupBy=month&from=2000-01-01&to=2026-01-01', /groupBy=month covers at most 120 months/],
    ['an unknown parameter', 'groupBy=commune&commune=03127', /Unrecognized key|commune/],
    ['a repeated parameter', 'groupBy=commune&groupBy=office', /groupBy/],
    ['an unknown format', 'format=xlsx', /format must be json or csv/],
  ])('answers 400 for %s', async (_name, query, message) => {
    const { status, body } = await getJson(query);
    expect(status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toMatch(message);
    expect(body.error.messageVi).toMatch(/\S/);
    expect(body.error.requestId).toMatch(/\S/);
  });
});
