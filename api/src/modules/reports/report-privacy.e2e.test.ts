import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { getSharedTestDatabase, pointInUnit, startTestServer, submitTestReport, type SubmittedReport, type TestServer } from '../../testing/index.ts';

let database: DatabaseHandle;
let server: TestServer;
let report: SubmittedReport;
let coordinates: [number, number];

// Distinctive values that must never come out of a public endpoint.
const secretName = 'Quàng Thị Riêng Tư';
const secretPhone = '0966555444';
const secretEmail = 'rieng.tu.9f3@example.vn';

beforeAll(async () => {
  database = await getSharedTestDatabase();
  server = await startTestServer(database);
  coordinates = await pointInUnit(database.db, '03127');
  report = await submitTestReport(server.baseUrl, {
    category: 'waste_environment',
    coordinates,
    reporter: { name: secretName, phone: '0966 555 444', email: secretEmail, consentToContact: true },
  });
});
afterAll(() => server.close());

/**
 * Every public endpoint that can show reports. Other modules (tiles, OGC API, statistics, Open311)
 * assert the same in their own tests; this list grows with the public API.
 */
/** Keep the count in the `it.each` below in step with this list. */
function publicUrls(): string[] {
  const [lon, lat] = coordinates;
  return [
    `/api/reports/${report.trackingCode}`,
    `/api/reports?limit=200`,
    `/api/reports?q=${encodeURIComponent(secretName)}`,
    `/api/reports/nearby?lon=${lon}&lat=${lat}&category=waste_environment`,
    `/api/categories`,
    `/api/offices`,
    `/api/stats?groupBy=commune`,
    `/api/stats?groupBy=office&format=csv`,
    `/api/stats/overdue`,
    `/ogc/collections/reports/items?limit=10000`,
    `/ogc/collections/reports/items/${report.id}`,
    `/open311/v2/requests.json`,
    `/open311/v2/requests.xml`,
    `/open311/v2/requests/${report.trackingCode}.json`,
    ...tileUrls(),
  ];
}

/** The report tiles covering the pin, from clusters (z6) to single points (z16). */
function tileUrls(): string[] {
  const [lon, lat] = coordinates;
  return [6, 10, 12, 14, 16].map((z) => {
    const n = 2 ** z;
    const x = Math.floor(((lon + 180) / 360) * n);
    const latRad = (lat * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n);
    return `/tiles/reports/${z}/${x}/${y}.mvt`;
  });
}

describe('a reporter’s identity and contact never leave through a public endpoint', () => {
  it.each(Array.from({ length: 19 }, (_, index) => index))('public endpoint #%i', async (index) => {
    const url = publicUrls()[index]!;
    const response = await fetch(`${server.baseUrl}${url}`);
    expect(response.status, url).toBe(200);
    const text = Buffer.from(await response.arrayBuffer()).toString('utf8');
    if (url.includes('/tiles/reports/16/')) expect(text, 'the point tile holds the report').toContain(report.trackingCode);
    for (const secret of [secretName, secretPhone, secretEmail, '0966 555 444', 'Riêng Tư', report.reporterToken]) expect(text, url).not.toContain(secret);
  });

  it('nor through the live feed', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.baseUrl}/api/reports/events`, { headers: { 'Last-Event-ID': '0' }, signal: controller.signal });
    const reader = response.body!.getReader();
    let text = '';
    const decoder = new TextDecoder();
    while (!text.includes(report.trackingCode)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    controller.abort();
    expect(text).toContain(report.trackingCode);
    for (const secret of [secretName, secretPhone, secretEmail]) expect(text).not.toContain(secret);
  });

  it('nor through a photo’s public copy (metadata stripped)', async () => {
    // Covered end to end in reports-photos.e2e.test.ts; here: no photo → the list is empty.
    const view = await (await fetch(`${server.baseUrl}/api/reports/${report.trackingCode}`)).json();
    expect(view.photos).toEqual([]);
  });
});
