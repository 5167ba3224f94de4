import { randomBytes } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../db/database.ts';
import { databaseFingerprint, getSharedTestDatabase, startTestServer, type TestServer } from '../../testing/index.ts';
import { createApiClient, createUser } from '../auth/auth.service.ts';
import { findReporterPrivate } from '../reports/report-workflow.repository.ts';

let server: TestServer;
let database: DatabaseHandle;
let apiKey: string;
let otherApiKey: string;

/** Phường Điện Biên Phủ (03127): commune categories go to UBND-03127, power lines to DIENLUC-DB. */
const DIEN_BIEN_PHU = { lat: '21.386', long: '103.017' };

/** Everything a GET answered in this file, to prove that no reporter detail ever leaves in one. */
const getBodies: string[] = [];

const xmlParser = new XMLParser({
  parseTagValue: false,
  isArray: (name) => ['service', 'request', 'error', 'attribute', 'value', 'endpoint', 'format'].includes(name),
});

beforeAll(async () => {
  database = await getSharedTestDatabase();
  server = await startTestServer(database);
  const suffix = randomBytes(4).toString('hex');
  apiKey = (await createApiClient(database.db, `Open311 test partner ${suffix}`)).apiKey;
  otherApiKey = (await createApiClient(database.db, `Open311 other partner ${suffix}`)).apiKey;
});
afterAll(() => server.close());

interface Answer {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
}

async function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${server.baseUrl}${path}`, { headers });
  const text = await response.text();
  getBodies.push(text);
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', headers: response.headers, text };
}

async function getJson(path: string, headers: Record<string, string> = {}) {
  const answer = await get(path, headers);
  expect(answer.contentType, `${path}: ${answer.text}`).toBe('application/json; charset=utf-8');
  return { ...answer, body: JSON.parse(answer.text) };
}

async function getXml(path: string, headers: Record<string, string> = {}) {
  const answer = await get(path, headers);
  expect(answer.contentType).toBe('text/xml; charset=utf-8');
  expect(answer.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  expect(XMLValidator.validate(answer.text), answer.text).toBe(true);
  return { ...answer, body: xmlParser.parse(answer.text) };
}

async function postForm(path: string, parameters: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    body: new URLSearchParams(parameters).toString(),
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', headers: response.headers, text: await response.text() };
}

function request(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    api_key: apiKey,
    service_code: 'public_lighting',
    ...DIEN_BIEN_PHU,
    description: 'Đèn đường trước số 12 bị tắt cả tuần nay.',
    ...overrides,
  };
}

async function createRequest(overrides: Record<string, string> = {}): Promise<string> {
  const answer = await postForm('/open311/v2/requests.json', request(overrides));
  expect(answer.status, answer.text).toBe(201);
  return JSON.parse(answer.text)[0].service_request_id as string;
}

async function publicReport(trackingCode: string) {
  const response = await fetch(`${server.baseUrl}/api/reports/${trackingCode}`);
  expect(response.status).toBe(200);
  return (await response.json()) as any;
}

describe('discovery', () => {
  it('names the GeoReport v2 endpoint and both formats, in JSON and in XML', async () => {
    const json = await getJson('/open311/v2/discovery.json');
    expect(json.status).toBe(200);
    expect(json.body.endpoints).toEqual([
      expect.objectContaining({
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${server.baseUrl}/open311/v2`,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      }),
    ]);
    expect(json.body.changeset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);

    const xml = await getXml('/open311/v2/discovery.xml');
    expect(xml.body.discovery.endpoints.endpoint[0].url).toBe(`${server.baseUrl}/open311/v2`);
    expect(xml.body.discovery.endpoints.endpoint[0].formats.format).toEqual(['text/xml', 'application/json']);
  });

  it('answers XML without an extension, JSON when the Accept header prefers it', async () => {
    await getXml('/open311/v2/discovery');
    await getXml('/open311/v2/discovery', { Accept: '*/*' });
    const json = await getJson('/open311/v2/discovery', { Accept: 'application/json' });
    expect(json.headers.get('vary')).toMatch(/Accept/);
  });
});

describe('services', () => {
  it('lists the active categories with Vietnamese names, in JSON and XML alike', async () => {
    const json = await getJson('/open311/v2/services.json');
    expect(json.status).toBe(200);
    const lighting = json.body.find((service: { service_code: string }) => service.service_code === 'public_lighting');
    expect(lighting).toEqual({
      service_code: 'public_lighting',
      service_name: 'Chiếu sáng công cộng',
      description: 'Đèn đường hỏng, tắt, sáng ban ngày.',
      metadata: false,
      type: 'realtime',
      keywords: 'Public lighting, chieu sang cong cong',
      group: 'commune_committee',
    });
    expect(json.body.find((service: { service_code: string }) => service.service_code === 'power_lines').group).toBe('power');

    const xml = await getXml('/open311/v2/services.xml');
    const services = xml.body.services.service;
    expect(services).toHaveLength(json.body.length);
    expect(services.find((service: { service_code: string }) => service.service_code === 'public_lighting')).toEqual({
      service_code: 'public_lighting',
      service_name: 'Chiếu sáng công cộng',
      description: 'Đèn đường hỏng, tắt, sáng ban ngày.',
      metadata: 'false',
      type: 'realtime',
      keywords: 'Public lighting, chieu sang cong cong',
      group: 'commune_committee',
    });
    expect(xml.text).toContain('<service_name>Thái độ phục vụ của cán bộ</service_name>');
  });

  it('answers in English with locale=en or Accept-Language: en', async () => {
    for (const [path, headers] of [
      ['/open311/v2/services.json?locale=en', {}],
      ['/open311/v2/services.json', { 'Accept-Language': 'en-US,en;q=0.9' }],
    ] as const) {
      const json = await getJson(path, headers);
      const lighting = json.body.find((service: { service_code: string }) => service.service_code === 'public_lighting');
      expect(lighting.service_name).toBe('Public lighting');
      expect(lighting.keywords).toContain('Chiếu sáng công cộng');
      expect(json.headers.get('content-language')).toBe('en');
    }
    const vietnamese = await getJson('/open311/v2/services.json', { 'Accept-Language': 'vi' });
    expect(vietnamese.headers.get('content-language')).toBe('vi');
  });

  it('defines a service: no required attribute, one optional consent attribute', async () => {
    const json = await getJson('/open311/v2/services/trees.json');
    expect(json.status).toBe(200);
    expect(json.body.service_code).toBe('trees');
    expect(json.body.attributes).toEqual([
      expect.objectContaining({ variable: true, code: 'consent_to_contact', datatype: 'singlevaluelist', required: false, order: 1 }),
    ]);
    const xml = await getXml('/open311/v2/services/trees.xml');
    expect(xml.body.service_definition.service_code).toBe('trees');
    expect(xml.body.service_definition.attributes.attribute[0].values.value.map((value: { key: string }) => value.key)).toEqual(['true', 'false']);
  });

  it('answers 404 in the spec error format for an unknown service code', async () => {
    const json = await getJson('/open311/v2/services/no_such_service.json');
    expect(json.status).toBe(404);
    expect(json.body).toEqual([{ code: 404, description: expect.stringMatching(/no_such_service.*public_lighting/) }]);
    const xml = await getXml('/open311/v2/services/no_such_service.xml');
    expect(xml.status).toBe(404);
    expect(xml.body.errors.error[0].code).toBe('404');
  });
});

describe('POST requests', () => {
  it('creates a report routed like any citizen report (form-encoded, as the spec says)', async () => {
    const answer = await postForm(
      '/open311/v2/requests.json',
      request({ first_name: 'Văn An', last_name: 'Nguyễn', email: 'An.Nguyen@Example.com', phone: '0912 345 678', account_id: 'partner-user-7', device_id: 'device-1' }),
    );
    expect(answer.status, answer.text).toBe(201);
    expect(answer.contentType).toBe('application/json; charset=utf-8');
    const [created] = JSON.parse(answer.text);
    expect(created).toEqual({
      service_request_id: expect.stringMatching(/^DB-[0-9A-Z]{6}$/),
      service_notice: expect.stringContaining('UBND phường Điện Biên Phủ'),
      account_id: 'partner-user-7',
    });
    expect(answer.headers.get('location')).toBe(`${server.baseUrl}/open311/v2/requests/${created.service_request_id}.json`);

    const report = await publicReport(created.service_request_id);
    expect(report).toMatchObject({
      category: { code: 'public_lighting' },
      status: 'received',
      description: 'Đèn đường trước số 12 bị tắt cả tuần nay.',
      commune: { code: '03127' },
      office: { code: 'UBND-03127' },
    });
    expect(report.location.coordinates).toEqual([103.017, 21.386]);
    const reporter = await findReporterPrivate(database.db, report.id);
    expect(reporter).toMatchObject({ name: 'Nguyễn Văn An', email: 'an.nguyen@example.com', phone: '0912345678', consent_to_contact: false, user_id: null });
  });

  it('routes by the category: power lines go to the power company', async () => {
    const id = await createRequest({ service_code: 'power_lines', description: 'Dây điện võng thấp sát mặt đường.' });
    expect((await publicReport(id)).office.code).toBe('DIENLUC-DB');
  });

  it('answers XML for requests.xml, and reads JSON bodies and the consent attribute', async () => {
    const xml = await postForm('/open311/v2/requests.xml', request({ 'attribute[consent_to_contact]': 'true', email: 'dong.y@example.com' }));
    expect(xml.status, xml.text).toBe(201);
    expect(XMLValidator.validate(xml.text)).toBe(true);
    const parsed = xmlParser.parse(xml.text).service_requests.request[0];
    expect(parsed.account_id).toBe('');
    const report = await publicReport(parsed.service_request_id);
    expect((await findReporterPrivate(database.db, report.id))?.consent_to_contact).toBe(true);

    const response = await fetch(`${server.baseUrl}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...request(), lat: 21.386, long: 103.017, attribute: { consent_to_contact: false }, email: 'json@example.com' }),
    });
    expect(response.status).toBe(201);
    const [created] = (await response.json()) as Array<{ service_request_id: string }>;
    const jsonReport = await publicReport(created!.service_request_id);
    expect((await findReporterPrivate(database.db, jsonReport.id))?.consent_to_contact).toBe(false);
  });

  it('keeps a media_url in the description (it cannot be fetched) and refuses one that is not a web URL', async () => {
    const id = await createRequest({ media_url: 'https://example.org/anh/den-duong.jpg' });
    expect((await publicReport(id)).description).toBe('Đèn đường trước số 12 bị tắt cả tuần nay.\n\nTệp đính kèm (media_url): https://example.org/anh/den-duong.jpg');
    const bad = await postForm('/open311/v2/requests.json', request({ media_url: 'javascript:alert(1)' }));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toEqual([{ code: 400, description: 'media_url: media_url must be an http:// or https:// URL' }]);
  });

  it('replays a request sent again with the same Idempotency-Key; keys of different partners never meet', async () => {
    const key = `open311-test-${randomBytes(6).toString('hex')}`;
    const first = await postForm('/open311/v2/requests.json', request(), { 'Idempotency-Key': key });
    const again = await postForm('/open311/v2/requests.json', request(), { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(JSON.parse(again.text)[0].service_request_id).toBe(JSON.parse(first.text)[0].service_request_id);
    const other = await postForm('/open311/v2/requests.json', request({ api_key: otherApiKey }), { 'Idempotency-Key': key });
    expect(other.status).toBe(201);
    expect(JSON.parse(other.text)[0].service_request_id).not.toBe(JSON.parse(first.text)[0].service_request_id);
  });

  it('refuses a missing or wrong api_key with 403 (as the spec says) and changes nothing', async () => {
    const before = await databaseFingerprint(database.db);
    const { api_key: _omitted, ...withoutKey } = request();
    const missing = await postForm('/open311/v2/requests.json', withoutKey);
    expect(missing.status).toBe(403);
    expect(JSON.parse(missing.text)).toEqual([{ code: 403, description: expect.stringMatching(/api_key is required/) }]);
    const wrong = await postForm('/open311/v2/requests.xml', request({ api_key: 'not-a-real-key-0123456789' }));
    expect(wrong.status).toBe(403);
    expect(wrong.contentType).toBe('text/xml; charset=utf-8');
    expect(xmlParser.parse(wrong.text).errors.error).toEqual([{ code: '403', description: expect.stringMatching(/api_key is not valid/) }]);
    expect(await databaseFingerprint(database.db)).toEqual(before);
  });

  it.each([
    ['no location', { lat: '', long: '' }, 400, /lat: lat and long are required/],
    ['an address only', { lat: '', long: '', address_string: '12 Võ Nguyên Giáp' }, 400, /cannot locate address_string/],
    ['lat without long', { long: '' }, 400, /long: lat and long must be sent together/],
    ['swapped lat and long', { lat: '103.017', long: '21.386' }, 400, /lat must be between -90 and 90.*swapped/],
    ['a lat that is not a number', { lat: '21,386' }, 400, /lat: lat must be a decimal number/],
    ['a point outside the province', { lat: '21.0285', long: '105.8542' }, 400, /outside Điện Biên province/],
    ['no description', { description: '' }, 400, /description is required/],
    ['a NUL character in the description', { description: 'Đèn\u0000 hỏng' }, 400, /description contains control characters/],
    ['a phone that is not Vietnamese', { phone: '555-0100' }, 400, /phone: phone must be a Vietnamese phone number/],
    ['a bad email', { email: 'not-an-email' }, 400, /email: email must be an e-mail address/],
    ['a bad consent attribute', { 'attribute[consent_to_contact]': 'maybe' }, 400, /consent_to_contact\]: .* must be true or false/],
    ['an unknown service_code (404, as the spec says)', { service_code: 'no_such_service' }, 404, /service_code "no_such_service" was not found/],
    ['another jurisdiction', { jurisdiction_id: 'sfgov.org' }, 404, /jurisdiction_id "sfgov.org" was not found/],
  ])('refuses %s in the spec error format, and changes nothing', async (_name, overrides, status, description) => {
    const before = await databaseFingerprint(database.db);
    const answer = await postForm('/open311/v2/requests.json', request(overrides));
    expect(answer.status, answer.text).toBe(status);
    const errors = JSON.parse(answer.text) as Array<{ code: number; description: string }>;
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((error) => error.code === status)).toBe(true);
    expect(errors.map((error) => error.description).join('\n')).toMatch(description);
    expect(await databaseFingerprint(database.db)).toEqual(before);
  });

  it('limits service requests per partner key, in the spec error format, without creating the refused one', async () => {
    const limited = await startTestServer(database, { OPEN311_SUBMISSIONS_PER_HOUR: '2' });
    // A partner of its own: counters are shared by every server on the database, and this file's
    // partner has already sent requests this hour.
    const limitedKey = (await createApiClient(database.db, `Open311 limited partner ${Date.now()}`)).apiKey;
    try {
      const post = (parameters: Record<string, string>) =>
        fetch(`${limited.baseUrl}/open311/v2/requests.json`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body: new URLSearchParams(parameters).toString(),
        });
      const description = `Giới hạn theo đối tác ${Date.now()}`;
      expect((await post(request({ api_key: limitedKey, description }))).status).toBe(201);
      expect((await post(request({ api_key: limitedKey, description }))).status).toBe(201);
      const refused = await post(request({ api_key: limitedKey, description }));
      expect(refused.status, await refused.clone().text()).toBe(429);
      expect(await refused.json()).toEqual([{ code: 429, description: expect.stringMatching(/at most 2 per hour/) }]);
      // Another partner, from the same address, is not affected.
      expect((await post(request({ api_key: otherApiKey, description }))).status).toBe(201);
      const created = await sql<{ n: number }>`SELECT count(*)::integer AS n FROM report WHERE description = ${description}`.execute(database.db);
      expect(created.rows[0]!.n).toBe(3);
    } finally {
      await limited.close();
    }
  });

  it('answers a malformed JSON body in the spec error format', async () => {
    const response = await fetch(`${server.baseUrl}/open311/v2/requests.xml`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"service_code":' });
    expect(response.status).toBe(400);
    expect(xmlParser.parse(await response.text()).errors.error[0].code).toBe('400');
  });
});

describe('GET requests', () => {
  const reporter = { first_name: 'Thị Bí Mật', last_name: 'Phạm', email: 'bi.mat.open311@example.com', phone: '0987 654 321' };
  let startedAt: string;
  let openId: string;
  let closedId: string;
  let photoReportId: string;
  const answer = 'Đã thay bóng đèn mới & kiểm tra <tủ điện>.';

  beforeAll(async () => {
    startedAt = new Date(Date.now() - 1000).toISOString();
    openId = await createRequest({ ...reporter, service_code: 'power_lines', description: 'Cột điện nghiêng sau mưa bão.', address_string: 'Ngõ 7, đường Võ Nguyên Giáp' });
    closedId = await createRequest({ ...reporter, service_code: 'trees', description: 'Cây đổ chắn ngang đường.' });

    // Resolve one, as an administrator would.
    const email = `open311-admin-${randomBytes(4).toString('hex')}@example.com`;
    await createUser(database.db, { email, displayName: 'Open311 test admin', password: 'mật-khẩu-thử-nghiệm', role: 'admin', officeId: null });
    const tokenResponse = await fetch(`${server.baseUrl}/api/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: 'mật-khẩu-thử-nghiệm' }),
    });
    const { token } = (await tokenResponse.json()) as { token: string };
    const reportId = (await publicReport(closedId)).id;
    for (const action of [{ action: 'accept' }, { action: 'resolve', answer }]) {
      const response = await fetch(`${server.baseUrl}/api/staff/reports/${reportId}/actions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(action),
      });
      expect(response.status, await response.text()).toBe(200);
    }

    // A citizen's report with a photo, through the citizens' API.
    const form = new FormData();
    form.append('report', JSON.stringify({ category: 'trees', description: 'Cành cây gãy treo lơ lửng.', location: { type: 'Point', coordinates: [103.017, 21.386] } }));
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 20, g: 160, b: 60 } } }).jpeg().toBuffer();
    form.append('photos', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'cay.jpg');
    const withPhoto = await fetch(`${server.baseUrl}/api/reports`, { method: 'POST', body: form });
    expect(withPhoto.status, await withPhoto.clone().text()).toBe(201);
    photoReportId = ((await withPhoto.json()) as { trackingCode: string }).trackingCode;
  });

  const ids = (body: Array<{ service_request_id: string }>) => body.map((item) => item.service_request_id);

  it('answers one request with every spec field, public columns only', async () => {
    const { status, body } = await getJson(`/open311/v2/requests/${openId}.json`);
    expect(status).toBe(200);
    expect(body).toHaveLength(1);
    expect(body[0]).toEqual({
      service_request_id: openId,
      status: 'open',
      status_notes: 'Đã tiếp nhận.',
      service_name: 'Cột điện, đường dây điện',
      service_code: 'power_lines',
      description: 'Cột điện nghiêng sau mưa bão.',
      agency_responsible: 'Công ty Điện lực Điện Biên',
      service_notice: expect.stringMatching(/^Đã chuyển đến Công ty Điện lực Điện Biên; hạn xử lý \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(giờ Việt Nam\)\.$/),
      requested_datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/),
      updated_datetime: expect.stringMatching(/\+07:00$/),
      expected_datetime: expect.stringMatching(/\+07:00$/),
      address: 'Ngõ 7, đường Võ Nguyên Giáp, Phường Điện Biên Phủ, tỉnh Điện Biên',
      address_id: null,
      zipcode: null,
      lat: 21.386,
      long: 103.017,
      media_url: null,
    });
    const report = await publicReport(openId);
    expect(Date.parse(body[0].requested_datetime)).toBe(Date.parse(report.createdAt) - (Date.parse(report.createdAt) % 1000));
    expect(Date.parse(body[0].expected_datetime)).toBe(Date.parse(report.dueAt) - (Date.parse(report.dueAt) % 1000));

    const english = await getJson(`/open311/v2/requests/${openId}.json?locale=en`);
    expect(english.body[0]).toMatchObject({ service_name: 'Power poles and lines', agency_responsible: 'Điện Biên Power Company', status_notes: 'Received.' });

    const xml = await getXml(`/open311/v2/requests/${openId}.xml`);
    expect(xml.body.service_requests.request[0]).toMatchObject({ service_request_id: openId, status: 'open', lat: '21.386', long: '103.017', address_id: '', media_url: '' });
  });

  it('shows a closed request with the office answer as status_notes (escaped in XML)', async () => {
    const { body } = await getJson(`/open311/v2/requests/${closedId}.json`);
    expect(body[0]).toMatchObject({ status: 'closed', status_notes: answer, service_notice: null, agency_responsible: 'UBND phường Điện Biên Phủ' });
    const xml = await getXml(`/open311/v2/requests/${closedId}.xml`);
    expect(xml.text).toContain('&lt;tủ điện&gt;');
    expect(xml.body.service_requests.request[0].status_notes).toBe(answer);
  });

  it('gives the first public photo as an absolute media_url that can be fetched', async () => {
    const { body } = await getJson(`/open311/v2/requests/${photoReportId}.json`);
    expect(body[0].media_url).toMatch(new RegExp(`^${server.baseUrl}/api/photos/[0-9a-f-]{36}$`));
    const photo = await fetch(body[0].media_url);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toMatch(/^image\//);
  });

  it('filters by service_request_id (a comma list that overrides every other filter)', async () => {
    const { body } = await getJson(`/open311/v2/requests.json?service_request_id=${openId},${closedId.toLowerCase()},DB-ZZZZZZ&status=closed&start_date=2020-01-01`);
    expect(ids(body).sort()).toEqual([openId, closedId].sort());
  });

  it('filters by status', async () => {
    const open = await getJson(`/open311/v2/requests.json?status=open&start_date=${encodeURIComponent(startedAt)}`);
    expect(ids(open.body)).toContain(openId);
    expect(ids(open.body)).not.toContain(closedId);
    expect(open.body.every((item: { status: string }) => item.status === 'open')).toBe(true);
    const closed = await getJson('/open311/v2/requests.json?status=closed');
    expect(ids(closed.body)).toContain(closedId);
    expect(ids(closed.body)).not.toContain(openId);
    const both = await getJson('/open311/v2/requests.json?status=open&status=closed');
    expect(ids(both.body)).toEqual(expect.arrayContaining([openId, closedId]));
  });

  it('filters by service_code', async () => {
    const { body } = await getJson('/open311/v2/requests.json?service_code=power_lines,water_supply');
    expect(ids(body)).toContain(openId);
    expect(ids(body)).not.toContain(closedId);
    expect(body.every((item: { service_code: string }) => ['power_lines', 'water_supply'].includes(item.service_code))).toBe(true);
  });

  it('filters by start_date and end_date (W3C date-times, or whole Vietnamese days), newest first', async () => {
    const now = new Date(Date.now() + 60_000).toISOString();
    const window = await getJson(`/open311/v2/requests.json?start_date=${encodeURIComponent(startedAt)}&end_date=${encodeURIComponent(now)}`);
    expect(ids(window.body)).toEqual(expect.arrayContaining([openId, closedId, photoReportId]));
    const requested = window.body.map((item: { requested_datetime: string }) => Date.parse(item.requested_datetime));
    expect(requested).toEqual([...requested].sort((a, b) => b - a));

    // An unencoded "+" arrives as a space: still read as the offset.
    const past = await getJson('/open311/v2/requests.json?start_date=2020-01-01T00:00:00+07:00&end_date=2020-03-01');
    expect(past.status).toBe(200);
    expect(past.body).toEqual([]);
    const onlyEnd = await getJson(`/open311/v2/requests.json?end_date=${encodeURIComponent(startedAt)}`);
    expect(ids(onlyEnd.body)).not.toContain(openId);
    const xml = await getXml('/open311/v2/requests.xml?start_date=2020-01-01&end_date=2020-01-02');
    expect(xml.text).toContain('<service_requests/>');
  });

  it.each([
    ['a window longer than 90 days', 'start_date=2026-01-01&end_date=2026-04-02', /may not span more than 90 days/],
    ['start after end', 'start_date=2026-02-01&end_date=2026-01-01', /start_date must be before end_date/],
    ['a date-time without time zone', 'start_date=2026-01-01T08:00:00', /start_date must be a W3C date-time with a time zone/],
    ['an impossible date', 'end_date=2026-02-30', /end_date is not a real date/],
    ['an unknown status', 'status=pending', /^status: status must be open, closed/m],
    ['another jurisdiction', 'jurisdiction_id=sfgov.org', /jurisdiction_id "sfgov.org" was not found/],
  ])('refuses %s in the spec error format', async (_name, query, description) => {
    const { status, body } = await getJson(`/open311/v2/requests.json?${query}`);
    expect(status).toBe(/jurisdiction/.test(query) ? 404 : 400);
    expect(body.map((error: { description: string }) => error.description).join('\n')).toMatch(description);
  });

  it('accepts our own jurisdiction_id', async () => {
    const { status } = await getJson(`/open311/v2/requests/${openId}.json?jurisdiction_id=dienbien.gov.vn`);
    expect(status).toBe(200);
  });

  it('answers 404 in the spec error format for an unknown request, in both formats', async () => {
    const json = await getJson('/open311/v2/requests/DB-ZZZZZZ.json');
    expect(json.status).toBe(404);
    expect(json.body).toEqual([{ code: 404, description: expect.stringContaining('DB-ZZZZZZ') }]);
    const xml = await getXml('/open311/v2/requests/DB-ZZZZZZ.xml');
    expect(xml.status).toBe(404);
    expect(xml.body.errors.error[0].code).toBe('404');
  });

  it('resolves a token: a service_request_id is its own token', async () => {
    const { status, body } = await getJson(`/open311/v2/tokens/${openId}.json`);
    expect(status).toBe(200);
    expect(body).toEqual([{ service_request_id: openId, token: openId }]);
    const xml = await getXml(`/open311/v2/tokens/${openId}.xml`);
    expect(xml.body.service_requests.request[0]).toEqual({ service_request_id: openId, token: openId });
    expect((await getJson('/open311/v2/tokens/12345.json')).status).toBe(404);
  });

  it('answers unknown resources and formats in the spec error format', async () => {
    const unknown = await getXml('/open311/v2/nothing-here.xml');
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors.error[0].code).toBe('404');
    const csv = await getXml('/open311/v2/services.csv');
    expect(csv.status).toBe(400);
    expect(csv.body.errors.error[0].description).toMatch(/\.csv/);
  });

  it('never shows a reporter: no name, e-mail or phone in any GET answer', async () => {
    await getJson('/open311/v2/requests.json');
    await getXml('/open311/v2/requests.xml');
    await getXml(`/open311/v2/requests.xml?service_request_id=${openId},${closedId}`);
    await getJson(`/open311/v2/requests.json?service_request_id=${openId},${closedId}&locale=en`);
    const everything = getBodies.join('\n');
    expect(everything).toContain(openId);
    for (const secret of ['Bí Mật', 'Bi Mat', 'bi.mat.open311', '0987654321', '0987 654 321', 'Nguyễn Văn An', 'an.nguyen@example.com', '0912345678', 'partner-user-7']) {
      expect(everything, secret).not.toContain(secret);
    }
  });
});
