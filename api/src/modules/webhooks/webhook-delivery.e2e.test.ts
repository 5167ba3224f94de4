import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../logging/logger.ts';
import { createTestDatabase, startTestServer, type TestDatabase, type TestServer } from '../../testing/index.ts';
import { flagOverdueReports } from '../reports/report-deadlines.service.ts';
import { startWebhookDispatcher, type WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher.service.ts';
import { publicInternetOnly } from './webhook-target-policy.ts';
import { api, FakeDocumentSystem, LOOPBACK_ALLOWED, loopbackPolicy, pointInCommune, signInStaff, submitReport } from './webhook-test-kit.ts';

const OFFICE = 'UBND-03127'; // UBND phường Điện Biên Phủ; public lighting there is its job
const SUPERVISOR = 'IOC-DB';
const SECOND = 1000;

let database: TestDatabase;
let server: TestServer;
let receiver: FakeDocumentSystem;
let officer: { authorization: string };
let admin: { authorization: string };
let location: [number, number];
const dispatchers: WebhookDispatcher[] = [];
const logger = createLogger('silent');

/** A dispatcher driven by hand (no timer, no NOTIFY); jitter 0 so the schedule is exact. */
function dispatcher(options: Partial<WebhookDispatcherOptions> = {}): WebhookDispatcher {
  const created = startWebhookDispatcher(database, logger, { pollIntervalMs: 0, listenForOutbox: false, random: () => 0, requestTimeoutMs: 3_000, targetPolicy: loopbackPolicy, ...options });
  dispatchers.push(created);
  return created;
}

async function deliveriesOf(trackingCode: string, authorization = officer.authorization) {
  const { status, body } = await api(server.baseUrl, 'GET', `/api/staff/webhook/deliveries?trackingCode=${trackingCode}`, { authorization });
  expect(status).toBe(200);
  return body.deliveries as any[];
}

const at = (base: Date, milliseconds: number) => new Date(base.getTime() + milliseconds);

beforeAll(async () => {
  // A private database: these tests configure webhooks and run the dispatcher over every outbox row.
  database = await createTestDatabase();
  server = await startTestServer(database, LOOPBACK_ALLOWED);
  receiver = await FakeDocumentSystem.start();
  officer = await signInStaff(database, server.baseUrl, 'officer', OFFICE);
  admin = await signInStaff(database, server.baseUrl, 'admin');
  location = await pointInCommune(database, '03127');
  const { status, body } = await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: officer.authorization, body: { url: receiver.url } });
  expect(status).toBe(201);
  receiver.secret = body.secret;
});

afterAll(async () => {
  for (const running of dispatchers) await running.stop();
  await receiver?.close();
  await server?.close();
  await database?.close();
});

describe('configuring an office webhook (PUT/GET /api/staff/webhook)', () => {
  it('shows a generated secret once, keeps it on updates, and never shows it again', async () => {
    const shown = await api(server.baseUrl, 'GET', '/api/staff/webhook', { authorization: officer.authorization });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ office: { code: OFFICE }, url: receiver.url, active: true });
    expect(JSON.stringify(shown.body)).not.toContain(receiver.secret);
    expect(shown.body.secret).toBeUndefined();

    const updated = await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: officer.authorization, body: { url: receiver.url, officeCode: OFFICE } });
    expect(updated.status).toBe(200);
    expect(updated.body.secret).toBeUndefined();
    // Still the first secret: the deliveries below are verified with it.
  });

  it('lets officers set only their own office, and admins any office they name', async () => {
    const other = await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: officer.authorization, body: { url: receiver.url, officeCode: SUPERVISOR } });
    expect(other.status).toBe(403);
    const unnamed = await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: admin.authorization, body: { url: receiver.url } });
    expect(unnamed.status).toBe(400);
    const unknown = await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: admin.authorization, body: { url: receiver.url, officeCode: 'NO-SUCH-OFFICE' } });
    expect(unknown.status).toBe(404);
    const citizen = await signInStaff(database, server.baseUrl, 'citizen');
    expect((await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: citizen.authorization, body: { url: receiver.url } })).status).toBe(403);
    expect((await api(server.baseUrl, 'PUT', '/api/staff/webhook', { body: { url: receiver.url } })).status).toBe(401);
    for (const url of ['ftp://tdoffice.example/x', 'not a url', 'https://user:pw@tdoffice.example/x']) {
      expect((await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: officer.authorization, body: { url } })).status, url).toBe(400);
    }
    expect((await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: officer.authorization, body: { url: receiver.url, secret: 'short' } })).status).toBe(400);
  });
});

describe('delivering reports to the office document system', () => {
  it('POSTs a new report, signed, with a stable id, the public report and no reporter contact', async () => {
    const report = await submitReport(server.baseUrl, location, { reporter: { name: 'Lò Thị Mai', phone: '0912 345 678', email: 'mai.lo@example.vn', consentToContact: true } });
    expect(report.office.code).toBe(OFFICE);

    const summary = await dispatcher().runOnce();
    expect(summary.delivered).toBeGreaterThanOrEqual(1);

    const [request, ...more] = receiver.about(report.trackingCode);
    expect(more).toHaveLength(0);
    expect(request!.signatureValid).toBe(true);
    expect(request!.headers['content-type']).toMatch(/^application\/json/);
    expect(request!.headers['x-bandoso-event']).toBe('report.created');
    expect(request!.headers['x-bandoso-delivery']).toBe(request!.body.id);
    expect(request!.headers['x-bandoso-attempt']).toBe('1');
    expect(Math.abs(Number(request!.headers['x-bandoso-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(request!.body).toMatchObject({
      event: 'report.created',
      office: { code: OFFICE },
      origin: { by: 'citizen' },
      change: { trackingCode: report.trackingCode, status: 'received' },
      report: { trackingCode: report.trackingCode, status: 'received', category: { code: 'public_lighting' }, office: { code: OFFICE }, location: { type: 'Point' } },
    });
    expect(request!.body.sequence).toEqual(expect.any(Number));
    const raw = request!.rawBody.toString('utf8');
    for (const personal of ['Lò Thị Mai', '0912', '345 678', 'mai.lo@example.vn']) expect(raw).not.toContain(personal);

    const [logged] = await deliveriesOf(report.trackingCode);
    expect(logged).toMatchObject({ idempotencyId: request!.body.id, event: 'report.created', status: 'delivered', attempts: 1, lastStatusCode: 200, office: OFFICE });
    expect(logged.log).toHaveLength(1);
    expect(logged.log[0]).toMatchObject({ attempt: 1, statusCode: 200, outcome: 'delivered', url: receiver.url });
    expect(logged.log[0].durationMs).toBeGreaterThanOrEqual(0);
  });

  it('retries failures after 30 s, then 2 min, with the same id and the same bytes, until a 2xx', async () => {
    const report = await submitReport(server.baseUrl, location);
    receiver.answer(report.trackingCode, { status: 500 }, { status: 503 });
    const run = dispatcher();
    const t0 = new Date();

    await run.runOnce(t0);
    expect(receiver.about(report.trackingCode)).toHaveLength(1);
    let [logged] = await deliveriesOf(report.trackingCode);
    expect(logged).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500' });
    const firstRetry = new Date(logged.nextAttemptAt).getTime() - t0.getTime();
    expect(firstRetry).toBeGreaterThanOrEqual(30 * SECOND);
    expect(firstRetry).toBeLessThan(33 * SECOND);

    await run.runOnce(at(t0, 29 * SECOND)); // not due yet
    expect(receiver.about(report.trackingCode)).toHaveLength(1);

    const t1 = at(t0, firstRetry);
    await run.runOnce(t1);
    expect(receiver.about(report.trackingCode)).toHaveLength(2);
    [logged] = await deliveriesOf(report.trackingCode);
    expect(logged).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: 503 });
    const secondRetry = new Date(logged.nextAttemptAt).getTime() - t1.getTime();
    expect(secondRetry).toBeGreaterThanOrEqual(120 * SECOND);
    expect(secondRetry).toBeLessThan(123 * SECOND);

    await run.runOnce(at(t1, secondRetry));
    const requests = receiver.about(report.trackingCode);
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((request) => request.headers['x-bandoso-delivery'])).size).toBe(1);
    expect(new Set(requests.map((request) => request.rawBody.toString('hex'))).size).toBe(1);
    expect(requests.every((request) => request.signatureValid)).toBe(true);
    expect(requests.map((request) => request.headers['x-bandoso-attempt'])).toEqual(['1', '2', '3']);

    [logged] = await deliveriesOf(report.trackingCode);
    expect(logged).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200, nextAttemptAt: null });
    expect(logged.log.map((attempt: any) => [attempt.attempt, attempt.statusCode, attempt.outcome])).toEqual([
      [1, 500, 'retry'],
      [2, 503, 'retry'],
      [3, 200, 'delivered'],
    ]);
  });

  it('is at least once: a receiver that processed a delivery but answered 500 gets the same id again, and dedupes it', async () => {
    const report = await submitReport(server.baseUrl, location);
    receiver.answer(report.trackingCode, { status: 500 });
    const run = dispatcher();
    const t0 = new Date();
    await run.runOnce(t0);
    await run.runOnce(at(t0, 40 * SECOND));
    const requests = receiver.about(report.trackingCode);
    expect(requests.map((request) => request.answeredStatus)).toEqual([500, 200]);
    expect(requests[1]!.headers['x-bandoso-delivery']).toBe(requests[0]!.headers['x-bandoso-delivery']);
    expect(receiver.processed.has(String(requests[0]!.headers['x-bandoso-delivery']))).toBe(true);
    expect((await deliveriesOf(report.trackingCode))[0].status).toBe('delivered');
  });

  it('gives up after the last attempt: the delivery is dead and is not sent again', async () => {
    const report = await submitReport(server.baseUrl, location);
    receiver.answer(report.trackingCode, { status: 502 }, { status: 502 }, { status: 502 }, { status: 502 });
    const run = dispatcher({ maxAttempts: 3 });
    let now = new Date();
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await run.runOnce(now);
      const [logged] = await deliveriesOf(report.trackingCode);
      expect(logged.attempts).toBe(attempt);
      if (logged.nextAttemptAt) now = new Date(logged.nextAttemptAt);
    }
    await run.runOnce(at(now, 7 * 86_400 * SECOND));
    expect(receiver.about(report.trackingCode)).toHaveLength(3);
    const [logged] = await deliveriesOf(report.trackingCode);
    expect(logged).toMatchObject({ status: 'dead', attempts: 3, lastStatusCode: 502, nextAttemptAt: null, deliveredAt: null });
    expect(logged.lastError).toMatch(/gave up after 3 attempts/);
    expect(logged.log.map((attempt: any) => attempt.outcome)).toEqual(['retry', 'retry', 'dead']);
  });

  it('does not retry a refusal (4xx), and sends it again, same id, when staff ask for a redelivery', async () => {
    const report = await submitReport(server.baseUrl, location);
    receiver.answer(report.trackingCode, { status: 400 });
    const run = dispatcher();
    const t0 = new Date();
    await run.runOnce(t0);
    await run.runOnce(at(t0, 86_400 * SECOND));
    expect(receiver.about(report.trackingCode)).toHaveLength(1);
    let [logged] = await deliveriesOf(report.trackingCode);
    expect(logged).toMatchObject({ status: 'dead', attempts: 1, lastStatusCode: 400 });
    expect(logged.lastError).toMatch(/not retried/);

    const otherOfficer = await signInStaff(database, server.baseUrl, 'officer', 'UBND-03151');
    expect((await api(server.baseUrl, 'POST', `/api/staff/webhook/deliveries/${logged.id}/redeliver`, { authorization: otherOfficer.authorization })).status).toBe(404);
    const redeliver = await api(server.baseUrl, 'POST', `/api/staff/webhook/deliveries/${logged.id}/redeliver`, { authorization: officer.authorization });
    expect(redeliver.status).toBe(202);
    await run.runOnce();
    const requests = receiver.about(report.trackingCode);
    expect(requests).toHaveLength(2);
    expect(requests[1]!.headers['x-bandoso-delivery']).toBe(requests[0]!.headers['x-bandoso-delivery']);
    [logged] = await deliveriesOf(report.trackingCode);
    expect(logged).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(logged.log.map((attempt: any) => attempt.statusCode)).toEqual([400, 200]);
  });

  it('retries 429 no sooner than Retry-After, and a receiver that does not answer in time', async () => {
    const limited = await submitReport(server.baseUrl, location);
    const silent = await submitReport(server.baseUrl, location);
    receiver.answer(limited.trackingCode, { status: 429, headers: { 'Retry-After': '300' } });
    receiver.answer(silent.trackingCode, { hang: true });
    const t0 = new Date();
    await dispatcher({ requestTimeoutMs: 300 }).runOnce(t0);

    const [limitedLog] = await deliveriesOf(limited.trackingCode);
    expect(limitedLog).toMatchObject({ status: 'pending', lastStatusCode: 429 });
    expect(new Date(limitedLog.nextAttemptAt).getTime() - t0.getTime()).toBeGreaterThanOrEqual(300 * SECOND);

    const [silentLog] = await deliveriesOf(silent.trackingCode);
    expect(silentLog).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
    expect(silentLog.lastError).toMatch(/timeout/);
    expect(silentLog.log[0].durationMs).toBeGreaterThanOrEqual(250);
  });

  it('sends each due delivery once even when two dispatchers run at the same moment', async () => {
    const reports = await Promise.all(Array.from({ length: 6 }, () => submitReport(server.baseUrl, location)));
    const [a, b] = [dispatcher({ batchSize: 2 }), dispatcher({ batchSize: 2 })];
    const summaries = await Promise.all([a.runOnce(), b.runOnce()]);
    for (const report of reports) expect(receiver.about(report.trackingCode, 'report.created'), report.trackingCode).toHaveLength(1);
    expect(summaries.reduce((sum, summary) => sum + summary.delivered, 0)).toBeGreaterThanOrEqual(reports.length);
  });

  it('tells the supervising office when a report is overdue, and the old office when it is transferred away', async () => {
    const supervisorReceiver = await FakeDocumentSystem.start();
    try {
      const configured = await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: admin.authorization, body: { url: supervisorReceiver.url, officeCode: SUPERVISOR } });
      expect(configured.status).toBe(201);
      supervisorReceiver.secret = configured.body.secret;
      const late = await submitReport(server.baseUrl, location);
      const moved = await submitReport(server.baseUrl, location);
      await dispatcher().runOnce();

      await flagOverdueReports(server.instance.reports, at(new Date(), 60 * 86_400 * SECOND));
      const transfer = await api(server.baseUrl, 'POST', `/api/staff/reports/${moved.id}/actions`, {
        authorization: officer.authorization,
        body: { action: 'transfer', targetOfficeCode: 'UBND-03151', note: 'Thuộc địa bàn phường Mường Lay' },
      });
      expect(transfer.status).toBe(200);
      await dispatcher().runOnce();

      const [overdue] = supervisorReceiver.about(late.trackingCode, 'report.overdue');
      expect(overdue?.signatureValid).toBe(true);
      expect(overdue?.body).toMatchObject({ office: { code: SUPERVISOR }, origin: { by: 'system' }, change: { office: OFFICE }, report: { overdue: true } });
      expect(receiver.about(late.trackingCode, 'report.overdue')).toHaveLength(0);

      const [away] = receiver.about(moved.trackingCode, 'report.transferred_away');
      expect(away?.body).toMatchObject({ office: { code: OFFICE }, origin: { by: 'office' }, report: { status: 'transferred', office: { code: 'UBND-03151' } } });

      // The log: an officer sees their office's deliveries only; the IOC sees every office's.
      const ioc = await signInStaff(database, server.baseUrl, 'ioc_operator');
      const everyone = await api(server.baseUrl, 'GET', '/api/staff/webhook/deliveries?limit=200', { authorization: ioc.authorization });
      expect(new Set(everyone.body.deliveries.map((delivery: any) => delivery.office))).toEqual(new Set([OFFICE, SUPERVISOR]));
      const supervisorOnly = await api(server.baseUrl, 'GET', `/api/staff/webhook/deliveries?office=${SUPERVISOR}`, { authorization: ioc.authorization });
      expect(supervisorOnly.body.total).toBeGreaterThan(0);
      expect(supervisorOnly.body.deliveries.every((delivery: any) => delivery.office === SUPERVISOR)).toBe(true);
      const own = await api(server.baseUrl, 'GET', '/api/staff/webhook/deliveries?limit=200', { authorization: officer.authorization });
      expect(own.body.deliveries.every((delivery: any) => delivery.office === OFFICE)).toBe(true);
      expect((await api(server.baseUrl, 'GET', `/api/staff/webhook/deliveries?office=${SUPERVISOR}`, { authorization: officer.authorization })).status).toBe(403);
    } finally {
      await supervisorReceiver.close();
    }
  });

  it('wakes up on the outbox NOTIFY, without waiting for a poll', async () => {
    const listening = dispatcher({ listenForOutbox: true, pollIntervalMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // its start-up pass and LISTEN
    const report = await submitReport(server.baseUrl, location);
    const deadline = Date.now() + 10_000;
    while (receiver.about(report.trackingCode).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.about(report.trackingCode)).toHaveLength(1);
    await listening.stop();
  });
});

describe('keeping deliveries out of the platform\'s own network', () => {
  it('refuses a webhook URL that is an internal address, and changes nothing', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://10.0.0.7/hooks', 'http://[::1]:8080/hooks', 'http://[::ffff:192.168.1.1]/hooks']) {
      const refused = await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: officer.authorization, body: { url } });
      expect(refused.status, url).toBe(400);
      expect(refused.body.error.message, url).toMatch(/not a public address.*WEBHOOK_ALLOWED_NETWORKS/);
    }
    const shown = await api(server.baseUrl, 'GET', '/api/staff/webhook', { authorization: officer.authorization });
    expect(shown.body.url).toBe(receiver.url);
  });

  it('does not connect to a refused address or to this machine by name, and does not retry', async () => {
    // The platform's default: public addresses only. The receiver on 127.0.0.1 is then off limits.
    const byAddress = await submitReport(server.baseUrl, location);
    await dispatcher({ targetPolicy: publicInternetOnly }).runOnce();
    expect(receiver.about(byAddress.trackingCode)).toHaveLength(0);
    const [refused] = await deliveriesOf(byAddress.trackingCode);
    expect(refused).toMatchObject({ status: 'dead', attempts: 1, lastStatusCode: null });
    expect(refused.lastError).toMatch(/^refused: 127\.0\.0\.1 is not a public address/);

    // The name of this machine is refused too (other names are checked when they resolve: see
    // webhook-target-policy.test.ts).
    const byName = receiver.url.replace('127.0.0.1', 'localhost');
    expect((await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: officer.authorization, body: { url: byName } })).status).toBe(200);
    try {
      const resolved = await submitReport(server.baseUrl, location);
      await dispatcher({ targetPolicy: publicInternetOnly }).runOnce();
      expect(receiver.about(resolved.trackingCode)).toHaveLength(0);
      const [logged] = await deliveriesOf(resolved.trackingCode);
      expect(logged).toMatchObject({ status: 'dead', attempts: 1, lastStatusCode: null });
      expect(logged.lastError).toMatch(/^refused: localhost is this server itself/);
    } finally {
      expect((await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: officer.authorization, body: { url: receiver.url } })).status).toBe(200);
    }
  });
});
