import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, pointInUnit, startTestServer, type TestDatabase, type TestServer } from '../../testing/index.ts';
import { insertTestReports, type TestReport } from '../../testing/report-factory.ts';

/**
 * The public list and search, GET /api/reports?commune&category&status&from&to&q&limit&offset, on a
 * database of its own so that every total can be checked exactly against what was inserted.
 */
let database: TestDatabase;
let server: TestServer;
let reports: TestReport[];
let cityCode: string;
let otherCode: string;

interface ListedReport {
  trackingCode: string;
  status: string;
  category: { code: string };
  commune: { code: string };
  createdAt: string;
}
interface ReportList {
  total: number;
  limit: number;
  offset: number;
  reports: ListedReport[];
}

async function list(query: string): Promise<{ status: number; body: ReportList & { error?: { code: string; message: string } } }> {
  const response = await fetch(`${server.baseUrl}/api/reports?${query}`);
  return { status: response.status, body: (await response.json()) as ReportList & { error?: { code: string; message: string } } };
}

const codesOf = (body: ReportList) => body.reports.map((report) => report.trackingCode).sort();
const codesWhere = (keep: (report: TestReport, index: number) => boolean) => reports.filter(keep).map((report) => report.trackingCode).sort();

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  cityCode = '03127';
  const other = await sql<{ code: string }>`
    SELECT u.code FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
    WHERE s.name = 'dienbien-2025' AND u.level IN ('commune', 'ward') AND u.code <> ${cityCode} ORDER BY u.code LIMIT 1`.execute(database.db);
  otherCode = other.rows[0]!.code;
  const [cityLon, cityLat] = await pointInUnit(database.db, cityCode);
  const [otherLon, otherLat] = await pointInUnit(database.db, otherCode);
  await sql`DELETE FROM report`.execute(database.db);
  reports = await insertTestReports(database.db, [
    { lon: cityLon, lat: cityLat, category: 'public_lighting', status: 'received', createdAt: '2023-05-01T08:00:00+07:00' },
    { lon: cityLon, lat: cityLat, category: 'public_lighting', status: 'resolved', createdAt: '2023-05-10T23:30:00+07:00' },
    { lon: cityLon, lat: cityLat, category: 'power_lines', status: 'in_progress', createdAt: '2023-05-11T00:30:00+07:00' },
    { lon: cityLon, lat: cityLat, category: 'trees', status: 'rejected', createdAt: '2023-05-20T10:00:00+07:00' },
    { lon: otherLon, lat: otherLat, category: 'public_lighting', status: 'accepted', createdAt: '2023-05-02T09:00:00+07:00' },
    { lon: otherLon, lat: otherLat, category: 'power_lines', status: 'resolved', createdAt: '2023-05-15T15:00:00+07:00' },
    { lon: otherLon, lat: otherLat, category: 'trees', status: 'received', createdAt: '2023-06-01T07:00:00+07:00' },
  ]);
  expect(reports.slice(0, 4).every((report) => report.unitCode === cityCode)).toBe(true);
  expect(reports.slice(4).every((report) => report.unitCode === otherCode)).toBe(true);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe('GET /api/reports: the public list', () => {
  it('lists everything, newest first, with the total', async () => {
    const { status, body } = await list('');
    expect(status).toBe(200);
    expect(body.total).toBe(7);
    const created = body.reports.map((report) => report.createdAt);
    expect(created).toEqual([...created].sort().reverse());
  });

  it('filters by commune, category (one or several) and status (one or several), alone and together', async () => {
    const byCommune = await list(`commune=${cityCode}`);
    expect(codesOf(byCommune.body)).toEqual(codesWhere((report) => report.unitCode === cityCode));
    expect(byCommune.body.total).toBe(4);
    expect(byCommune.body.reports.every((report) => report.commune.code === cityCode)).toBe(true);

    const byCategories = await list('category=power_lines,trees');
    expect(codesOf(byCategories.body)).toEqual(codesWhere((report) => report.category === 'power_lines' || report.category === 'trees'));
    expect(byCategories.body.total).toBe(4);

    const byStatuses = await list('status=received,resolved');
    expect(codesOf(byStatuses.body)).toEqual(codesWhere((report) => report.status === 'received' || report.status === 'resolved'));

    const together = await list(`commune=${otherCode}&category=public_lighting,power_lines&status=resolved`);
    expect(codesOf(together.body)).toEqual(codesWhere((report) => report.unitCode === otherCode && report.status === 'resolved'));
    expect(together.body.total).toBe(1);
  });

  it('reads from and to as days in Vietnam time, both included', async () => {
    // 2023-05-10T23:30+07:00 is 16:30 UTC on the 10th; 2023-05-11T00:30+07:00 is still the 10th in UTC.
    const tenth = await list('from=2023-05-10&to=2023-05-10');
    expect(codesOf(tenth.body)).toEqual([reports[1]!.trackingCode]);
    const may = await list('from=2023-05-01&to=2023-05-31');
    expect(may.body.total).toBe(6);
    const afterNoon = await list('from=2023-05-15T12:00:00%2B07:00');
    expect(codesOf(afterNoon.body)).toEqual(codesWhere((_, index) => index === 3 || index === 5 || index === 6));
  });

  it('pages through the same order without losing or repeating a report', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 7; offset += 3) {
      const page = await list(`limit=3&offset=${offset}`);
      expect(page.body.total).toBe(7);
      expect(page.body.limit).toBe(3);
      seen.push(...page.body.reports.map((report) => report.trackingCode));
    }
    expect(seen.sort()).toEqual(codesWhere(() => true));
  });

  it('answers 400 with the parameter at fault for what it cannot read', async () => {
    for (const [query, parameter] of [
      ['commune=3127', /commune/],
      ['status=done', /status/],
      ['from=2023-13-01', /from/],
      ['from=2023-05-10&to=2023-05-01', /`from` must be before `to`/],
      ['limit=0', /limit/],
      ['order=oldest', /order|Unrecognized/i],
    ] as const) {
      const { status, body } = await list(query);
      expect(status, query).toBe(400);
      expect(body.error?.code, query).toBe('VALIDATION_FAILED');
      expect(body.error?.message, query).toMatch(parameter);
    }
  });
});
