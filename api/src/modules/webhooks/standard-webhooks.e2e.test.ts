import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../logging/logger.ts';
import { createTestDatabase, databaseFingerprint, startTestServer, type TestDatabase, type TestServer } from '../../testing/index.ts';
import { signPayload } from './signing.ts';
import { Webhook } from 'standardwebhooks';
import { startWebhookDispatcher, type WebhookDispatcher } from './webhook-dispatcher.service.ts';
import { api, FakeDocumentSystem, LOOPBACK_ALLOWED, loopbackPolicy, pointInCommune, signInStaff, submitReport } from './webhook-test-kit.ts';

/**
 * Partners verify our deliveries, and sign their updates, with a stock Standard Webhooks verifier
 * (the `Webhook` class of the reference npm package `standardwebhooks`), while the earlier
 * X-Bandoso headers keep working for one release.
 */
const OFFICE = 'UBND-03127';
const SECOND = 1000;

let database: TestDatabase;
let server: TestServer;
let receiver: FakeDocumentSystem;
let officer: { authorization: string };
let location: [number, number];
/** What the office was shown when its webhook was created. */
let shown: { secret: string; standardWebhooksSecret: string };
const dispatchers: WebhookDispatcher[] = [];

function dispatcher(): WebhookDispatcher {
  const created = startWebhookDispatcher(database, createLogger('silent'), { pollIntervalMs: 0, listenForOutbox: false, random: () => 0, requestTimeoutMs: 3_000, targetPolicy: loopbackPolicy });
  dispatchers.push(created);
  return created;
}

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database, LOOPBACK_ALLOWED);
  receiver = await FakeDocumentSystem.start();
  officer = await signInStaff(database, server.baseUrl, 'officer', OFFICE);
  location = await pointInCommune(database, '03127');
  const configured = await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: officer.authorization, body: { url: receiver.url } });
  expect(configured.status).toBe(201);
  shown = { secret: configured.body.secret, standardWebhooksSecret: configured.body.standardWebhooksSecret };
  receiver.secret = shown.secret;
});

afterAll(async () => {
  for (const running of dispatchers) await running.stop();
  await receiver?.close();
  await server?.close();
  await database?.close();
});

describe('the secret, in the form Standard Webhooks libraries take', () => {
  it('is shown with the secret, once: whsec_ + base64 of the secret’s bytes', async () => {
    expect(shown.standardWebhooksSecret).toBe(`whsec_${Buffer.from(shown.secret, 'utf8').toString('base64')}`);
    const later = await api(server.baseUrl, 'GET', '/api/staff/webhook', { authorization: officer.authorization });
    expect(later.status).toBe(200);
    expect(later.body.standardWebhooksSecret).toBeUndefined();
    expect(JSON.stringify(later.body)).not.toContain(shown.standardWebhooksSecret.slice('whsec_'.length));
  });

  it('is shown for an office’s own secret (not echoed) and for a rotated one', async () => {
    const admin = await signInStaff(database, server.baseUrl, 'admin');
    const own = 'our-own-TDOffice-secret!2026';
    const set = await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: admin.authorization, body: { url: receiver.url, officeCode: 'UBND-03151', secret: own } });
    expect(set.status).toBe(201);
    expect(set.body.secret).toBeUndefined();
    expect(set.body.standardWebhooksSecret).toBe(`whsec_${Buffer.from(own).toString('base64')}`);

    const rotated = await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: admin.authorization, body: { url: receiver.url, officeCode: 'UBND-03151', rotateSecret: true } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.standardWebhooksSecret).toBe(`whsec_${Buffer.from(rotated.body.secret).toString('base64')}`);
  });
});

describe('outbound deliveries carry the Standard Webhooks headers', () => {
  it('webhook-id, webhook-timestamp and webhook-signature verify with a partner’s library, beside the earlier headers', async () => {
    const report = await submitReport(server.baseUrl, location);
    await dispatcher().runOnce();
    const [request, ...more] = receiver.about(report.trackingCode);
    expect(more).toHaveLength(0);
    const headers = request!.headers;

    const verified = new Webhook(shown.standardWebhooksSecret).verify(request!.rawBody, headers as Record<string, string>);
    expect(verified).toEqual(request!.body);
    expect(headers['webhook-id']).toBe(request!.body.id);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);

    // The earlier headers, until 0.3.0: the same id and timestamp, and their own signature verifies.
    expect(headers['x-bandoso-delivery']).toBe(headers['webhook-id']);
    expect(headers['x-bandoso-timestamp']).toBe(headers['webhook-timestamp']);
    expect(request!.signatureValid).toBe(true);
    expect(headers['x-bandoso-event']).toBe('report.created');
  });

  it('keeps webhook-id across retries and a redelivery, each attempt signed afresh', async () => {
    const report = await submitReport(server.baseUrl, location);
    receiver.answer(report.trackingCode, { status: 500 });
    const run = dispatcher();
    const t0 = new Date();
    await run.runOnce(t0);
    await run.runOnce(new Date(t0.getTime() + 40 * SECOND));

    const deliveries = await api(server.baseUrl, 'GET', `/api/staff/webhook/deliveries?trackingCode=${report.trackingCode}`, { authorization: officer.authorization });
    const [delivery] = deliveries.body.deliveries;
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
    expect((await api(server.baseUrl, 'POST', `/api/staff/webhook/deliveries/${delivery.id}/redeliver`, { authorization: officer.authorization })).status).toBe(202);
    await run.runOnce();

    const requests = receiver.about(report.trackingCode);
    expect(requests.map((request) => request.answeredStatus)).toEqual([500, 200, 200]);
    expect(new Set(requests.map((request) => request.headers['webhook-id']))).toEqual(new Set([delivery.idempotencyId]));
    const partner = new Webhook(shown.standardWebhooksSecret);
    for (const request of requests) expect(partner.verify(request.rawBody, request.headers as Record<string, string>)).toEqual(request.body);
  });
});

describe('inbound updates signed the Standard Webhooks way', () => {
  /** Posts exactly these bytes with exactly these headers, as a partner's HTTP client would. */
  async function postSigned(rawBody: string, headers: Record<string, string>) {
    const response = await fetch(`${server.baseUrl}/api/webhooks/inbound/${OFFICE}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: rawBody });
    return { status: response.status, body: (await response.json()) as any };
  }

  /** The three headers, signed by a partner's library with `secret` (the whsec_ form). */
  function standardHeaders(rawBody: string, secret = shown.standardWebhooksSecret, at = new Date()) {
    const id = `msg_${randomUUID().replaceAll('-', '')}`;
    return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, rawBody) };
  }

  it('applies an update that carries only the Standard Webhooks headers', async () => {
    const report = await submitReport(server.baseUrl, location);
    const externalId = `TDO-${randomUUID()}`;
    const rawBody = JSON.stringify({ trackingCode: report.trackingCode, action: 'accept', externalId, note: 'Đã vào sổ văn bản đến' });
    const answer = await postSigned(rawBody, standardHeaders(rawBody));
    expect(answer).toEqual({ status: 200, body: { externalId, trackingCode: report.trackingCode, status: 'accepted', replayed: false } });
  });

  it('accepts both header sets together, and any one of several signatures while a secret is rotated', async () => {
    const report = await submitReport(server.baseUrl, location);
    const note = (text: string) => JSON.stringify({ trackingCode: report.trackingCode, action: 'add_note', note: text, public: false, externalId: `TDO-${randomUUID()}` });

    const both = note('Cả hai bộ tiêu đề');
    const now = Math.floor(Date.now() / 1000);
    expect((await postSigned(both, { ...standardHeaders(both), 'X-Bandoso-Timestamp': String(now), 'X-Bandoso-Signature': signPayload(shown.secret, now, both) })).status).toBe(200);

    const rotating = note('Đang đổi khoá');
    const current = standardHeaders(rotating);
    const previous = new Webhook(`whsec_${Buffer.from('the-previous-secret-0123').toString('base64')}`);
    const atSigned = new Date(Number(current['webhook-timestamp']) * 1000);
    const signatures = `${previous.sign(current['webhook-id'], atSigned, rotating)} ${current['webhook-signature']}`;
    expect((await postSigned(rotating, { ...current, 'webhook-signature': signatures })).status).toBe(200);
  });

  it('refuses with 401, saying which headers it expected, and changes nothing', async () => {
    const report = await submitReport(server.baseUrl, location);
    const rawBody = JSON.stringify({ trackingCode: report.trackingCode, action: 'accept', externalId: `TDO-${randomUUID()}` });
    const before = await databaseFingerprint(database.db);
    const valid = standardHeaders(rawBody);
    const { 'webhook-signature': _signature, ...unsigned } = valid;
    const now = Math.floor(Date.now() / 1000);

    const cases: [Record<string, string>, RegExp][] = [
      [{}, /webhook-id, webhook-timestamp and webhook-signature.*or X-Bandoso-Timestamp and X-Bandoso-Signature/],
      [unsigned, /send all three of webhook-id, webhook-timestamp and webhook-signature/],
      [standardHeaders(rawBody, `whsec_${Buffer.from('not-the-office-secret-0000').toString('base64')}`), /webhook-signature does not match/],
      [standardHeaders(rawBody, shown.standardWebhooksSecret, new Date(Date.now() - 360 * SECOND)), /webhook-timestamp is more than 5 minutes/],
      [{ ...valid, 'webhook-id': 'msg.with.dots' }, /webhook-id must be/],
      [{ ...valid, 'webhook-signature': signPayload(shown.secret, now, rawBody) }, /"v1,<base64/],
      [
        { ...standardHeaders(rawBody, `whsec_${Buffer.from('not-the-office-secret-0000').toString('base64')}`), 'X-Bandoso-Timestamp': String(now), 'X-Bandoso-Signature': signPayload('not-the-office-secret-0000', now, rawBody) },
        /Standard Webhooks: webhook-signature does not match.*X-Bandoso headers: X-Bandoso-Signature does not match/,
      ],
    ];
    for (const [index, [headers, message]] of cases.entries()) {
      const answer = await postSigned(rawBody, headers);
      expect(answer.status, `case ${index}`).toBe(401);
      expect(answer.body.error.code, `case ${index}`).toBe('UNAUTHENTICATED');
      expect(answer.body.error.message, `case ${index}`).toMatch(message);
    }
    expect(await databaseFingerprint(database.db)).toEqual(before);
    expect((await api(server.baseUrl, 'GET', `/api/reports/${report.trackingCode}`)).body.status).toBe('received');
  });
});
