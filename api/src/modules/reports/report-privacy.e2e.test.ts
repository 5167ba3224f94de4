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
function publicUrls(): string[] {
  const [lon, lat] = coordinates;
  return [
    `/api/reports/${report.trackingCode}`,
    `/api/reports?limit=200`,
    `/api/reports?q=${encodeURIComponent(secretName)}`,
    `/api/reports/nearby?lon=${lon}&lat=${lat}&category=waste_environment`,
    `/api/categories`,
    `/api/offices`,
  ];
}

describe('a reporter’s identity and contact never leave through a public endpoint', () => {
  it.each([0, 1, 2, 3, 4, 5])('public endpoint #%i', async (index) => {
    const url = publicUrls()[index]!;
    const response = await fetch(`${server.baseUrl}${url}`);
    expect(response.status, url).toBe(200);
    const text = await response.text();
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
