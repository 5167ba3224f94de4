import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../logging/logger.ts';
import { createTestDatabase, databaseFingerprint, startTestServer, type TestDatabase, type TestServer } from '../../testing/index.ts';
import { signPayload } from './signing.ts';
import { startWebhookDispatcher } from './webhook-dispatcher.service.ts';
import { inboundRequestHash } from './webhooks.service.ts';
import { api, FakeDocumentSystem, LOOPBACK_ALLOWED, loopbackPolicy, pointInCommune, postInbound, signInStaff, submitReport } from './webhook-test-kit.ts';

const OFFICE = 'UBND-03127';

let database: TestDatabase;
let server: TestServer;
let receiver: FakeDocumentSystem;
let secret: string;
let officer: { authorization: string };
let location: [number, number];

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database, LOOPBACK_ALLOWED);
  receiver = await FakeDocumentSystem.start();
  officer = await signInStaff(database, server.baseUrl, 'officer', OFFICE);
  location = await pointInCommune(database, '03127');
  const configured = await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: officer.authorization, body: { url: receiver.url } });
  expect(configured.status).toBe(201);
  secret = configured.body.secret;
  receiver.secret = secret;
});

afterAll(async () => {
  await receiver?.close();
  await server?.close();
  await database?.close();
});

const publicReport = async (trackingCode: string) => (await api(server.baseUrl, 'GET', `/api/reports/${trackingCode}`)).body;

describe('POST /api/webhooks/inbound/:officeCode (the document system posts status updates back)', () => {
  it('applies a signed update through the workflow, as the office, and answers with the new status', async () => {
    const report = await submitReport(server.baseUrl, location);
    const externalId = `TDO-${randomUUID()}`;
    const accepted = await postInbound(server.baseUrl, OFFICE, secret, { trackingCode: report.trackingCode, action: 'accept', note: 'Đã vào sổ văn bản đến số 123', externalId, occurredAt: new Date().toISOString() });
    expect(accepted).toEqual({ status: 200, body: { externalId, trackingCode: report.trackingCode, status: 'accepted', replayed: false } });

    const resolved = await postInbound(server.baseUrl, OFFICE, secret, {
      trackingCode: report.trackingCode.toLowerCase(),
      action: 'resolve',
      answer: 'Đã thay bóng đèn mới ngày hôm nay.',
      externalId: `TDO-${randomUUID()}`,
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');

    const shown = await publicReport(report.trackingCode);
    expect(shown.status).toBe('resolved');
    expect(shown.answer.text).toBe('Đã thay bóng đèn mới ngày hôm nay.');
    expect(shown.timeline.map((event: any) => [event.kind, event.by])).toEqual([
      ['routed', 'citizen'],
      ['accepted', 'office'],
      ['resolved', 'office'],
    ]);

    // Staff see who it was: the office's document-system account (an officer of that office that cannot sign in).
    const staff = await api(server.baseUrl, 'GET', `/api/staff/reports/${report.id}`, { authorization: officer.authorization });
    const accept = staff.body.timeline.find((event: any) => event.kind === 'accepted');
    expect(accept.actorRole).toBe('officer');
    const account = await database.db.selectFrom('app_user').select(['email', 'active', 'role']).where('id', '=', accept.actorUserId).executeTakeFirstOrThrow();
    expect(account).toMatchObject({ active: false, role: 'officer' });
    expect(account.email).toMatch(/^document-system\..*@integration\.bandoso\.invalid$/);
    const login = await api(server.baseUrl, 'POST', '/api/auth/tokens', { body: { email: account.email, password: '!integration-account-no-password' } });
    expect(login.status).toBe(401);
  });

  it('answers a replayed externalId from the record, without a second event', async () => {
    const report = await submitReport(server.baseUrl, location);
    const update = { trackingCode: report.trackingCode, action: 'add_note', note: 'Chuyển phòng Kinh tế – Hạ tầng', public: true, externalId: `TDO-${randomUUID()}` };
    const first = await postInbound(server.baseUrl, OFFICE, secret, update);
    expect(first.status).toBe(200);
    expect(first.body.replayed).toBe(false);
    const before = await databaseFingerprint(database.db);

    const again = await postInbound(server.baseUrl, OFFICE, secret, update); // a new signature, the same update
    expect(again).toEqual({ status: 200, body: { ...first.body, replayed: true } });
    expect(await databaseFingerprint(database.db)).toEqual(before);
    expect((await publicReport(report.trackingCode)).timeline.filter((event: any) => event.kind === 'note')).toHaveLength(1);

    const reused = await postInbound(server.baseUrl, OFFICE, secret, { ...update, note: 'Một nội dung khác' });
    expect(reused.status).toBe(409);
    expect(await databaseFingerprint(database.db)).toEqual(before);
  });

  it('refuses a bad, missing or stale signature with 401 and changes nothing', async () => {
    const report = await submitReport(server.baseUrl, location);
    const update = { trackingCode: report.trackingCode, action: 'accept', externalId: `TDO-${randomUUID()}` };
    const before = await databaseFingerprint(database.db);
    const now = Math.floor(Date.now() / 1000);

    const attempts = [
      await postInbound(server.baseUrl, OFFICE, 'whsec_not-the-office-secret-000000', update),
      await postInbound(server.baseUrl, OFFICE, secret, update, { omitSignature: true }),
      await postInbound(server.baseUrl, OFFICE, secret, update, { signature: 'sha256=deadbeef' }),
      // Signed correctly, but six minutes ago: a captured request replayed later.
      await postInbound(server.baseUrl, OFFICE, secret, update, { timestamp: now - 360, signature: signPayload(secret, now - 360, JSON.stringify(update)) }),
      await postInbound(server.baseUrl, OFFICE, secret, update, { timestamp: now + 360, signature: signPayload(secret, now + 360, JSON.stringify(update)) }),
      // Signed for another body.
      await postInbound(server.baseUrl, OFFICE, secret, update, { timestamp: now, signature: signPayload(secret, now, JSON.stringify({ ...update, action: 'start' })) }),
    ];
    for (const [index, attempt] of attempts.entries()) {
      expect(attempt.status, `attempt ${index}`).toBe(401);
      expect(attempt.body.error.code).toBe('UNAUTHENTICATED');
    }
    expect(attempts[3]!.body.error.message).toMatch(/5 minutes/);
    expect(await databaseFingerprint(database.db)).toEqual(before);
    expect((await publicReport(report.trackingCode)).status).toBe('received');

    // Another office's secret is not this office's.
    const otherOfficer = await signInStaff(database, server.baseUrl, 'officer', 'UBND-03151');
    const other = await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: otherOfficer.authorization, body: { url: receiver.url } });
    expect((await postInbound(server.baseUrl, OFFICE, other.body.secret, update)).status).toBe(401);
  });

  it('answers 404 for an unknown office or report, or a report of another office', async () => {
    const report = await submitReport(server.baseUrl, location);
    const update = { trackingCode: report.trackingCode, action: 'accept', externalId: `TDO-${randomUUID()}` };
    expect((await postInbound(server.baseUrl, 'NO-SUCH-OFFICE', secret, update)).status).toBe(404);
    expect((await postInbound(server.baseUrl, OFFICE, secret, { ...update, trackingCode: 'DB-000000' })).status).toBe(404);

    const admin = await signInStaff(database, server.baseUrl, 'admin');
    const power = await api(server.baseUrl, 'PUT', '/api/staff/webhook', { authorization: admin.authorization, body: { url: receiver.url, officeCode: 'DIENLUC-DB' } });
    const before = await databaseFingerprint(database.db);
    const elsewhere = await postInbound(server.baseUrl, 'DIENLUC-DB', power.body.secret, update);
    expect(elsewhere.status).toBe(404);
    expect(await databaseFingerprint(database.db)).toEqual(before);
    expect((await publicReport(report.trackingCode)).status).toBe('received');
  });

  it('answers 409 for an impossible transition and 400 for a malformed update, leaving the id free', async () => {
    const report = await submitReport(server.baseUrl, location);
    const externalId = `TDO-${randomUUID()}`;
    const before = await databaseFingerprint(database.db);
    const impossible = await postInbound(server.baseUrl, OFFICE, secret, { trackingCode: report.trackingCode, action: 'resume', externalId });
    expect(impossible.status).toBe(409);
    expect(impossible.body.error.code).toBe('CONFLICT');
    for (const malformed of [
      { trackingCode: report.trackingCode, action: 'fly', externalId },
      { trackingCode: report.trackingCode, action: 'resolve', externalId }, // no answer
      { trackingCode: report.trackingCode, action: 'accept' }, // no externalId
      { trackingCode: 'not-a-code', action: 'accept', externalId },
      { trackingCode: report.trackingCode, action: 'accept', externalId, occurredAt: 'yesterday' },
    ]) {
      expect((await postInbound(server.baseUrl, OFFICE, secret, malformed)).status, JSON.stringify(malformed)).toBe(400);
    }
    expect(await databaseFingerprint(database.db)).toEqual(before);

    // The refused id was not used up: the corrected update goes through.
    const corrected = await postInbound(server.baseUrl, OFFICE, secret, { trackingCode: report.trackingCode, action: 'accept', externalId });
    expect(corrected.body).toMatchObject({ status: 'accepted', replayed: false });
  });

  it('waits out an update in flight, and finishes one abandoned by a process that died, applying it once', async () => {
    const office = await database.db.selectFrom('office').select('id').where('code', '=', OFFICE).executeTakeFirstOrThrow();
    const recordProcessing = (report: { id: string; trackingCode: string }, externalId: string) => sql`
      INSERT INTO webhook_inbound_update (office_id, external_id, request_hash, report_id, action, state, received_at)
      VALUES (${office.id}, ${externalId}, ${inboundRequestHash(report.trackingCode, { action: 'accept' })}, ${report.id}, 'accept', 'processing', now())`.execute(database.db);

    // The same update is being applied by another request right now: 409, send it again later.
    const busy = await submitReport(server.baseUrl, location);
    const busyUpdate = { trackingCode: busy.trackingCode, action: 'accept', externalId: `TDO-${randomUUID()}` };
    await recordProcessing(busy, busyUpdate.externalId);
    const busyAnswer = await postInbound(server.baseUrl, OFFICE, secret, busyUpdate);
    expect(busyAnswer.status).toBe(409);
    expect(busyAnswer.body.error.message).toMatch(/being applied right now/);
    expect((await publicReport(busy.trackingCode)).status).toBe('received');

    // That request's process died three minutes ago before its change committed: this delivery applies it.
    await sql`UPDATE webhook_inbound_update SET received_at = received_at - interval '3 minutes' WHERE external_id = ${busyUpdate.externalId}`.execute(database.db);
    expect((await postInbound(server.baseUrl, OFFICE, secret, busyUpdate)).body).toMatchObject({ status: 'accepted', replayed: false });
    expect((await publicReport(busy.trackingCode)).status).toBe('accepted');

    // Died after its change committed (its event exists at the recorded instant): answered, not applied again.
    const done = await submitReport(server.baseUrl, location);
    const doneUpdate = { trackingCode: done.trackingCode, action: 'accept', externalId: `TDO-${randomUUID()}` };
    expect((await postInbound(server.baseUrl, OFFICE, secret, doneUpdate)).status).toBe(200);
    await sql`UPDATE report_event SET created_at = created_at - interval '3 minutes' WHERE report_id = ${done.id} AND kind = 'accepted'`.execute(database.db);
    await sql`
      UPDATE webhook_inbound_update SET state = 'processing', applied_at = NULL, result_status = NULL, received_at = received_at - interval '3 minutes'
      WHERE external_id = ${doneUpdate.externalId}`.execute(database.db);
    const replayed = await postInbound(server.baseUrl, OFFICE, secret, doneUpdate);
    expect(replayed.body).toMatchObject({ status: 'accepted', replayed: true });
    const accepted = await database.db.selectFrom('report_event').select('id').where('report_id', '=', done.id).where('kind', '=', 'accepted').execute();
    expect(accepted).toHaveLength(1);
    const record = await sql<{ state: string }>`SELECT state FROM webhook_inbound_update WHERE external_id = ${doneUpdate.externalId}`.execute(database.db);
    expect(record.rows[0]?.state).toBe('applied');
  });

  it('echoes the change back to the document system, marked as its own, with its externalId', async () => {
    const report = await submitReport(server.baseUrl, location);
    const externalId = `TDO-${randomUUID()}`;
    expect((await postInbound(server.baseUrl, OFFICE, secret, { trackingCode: report.trackingCode, action: 'accept', externalId })).status).toBe(200);
    const dispatcher = startWebhookDispatcher(database, createLogger('silent'), { pollIntervalMs: 0, listenForOutbox: false, targetPolicy: loopbackPolicy });
    try {
      await dispatcher.runOnce();
    } finally {
      await dispatcher.stop();
    }
    const [created] = receiver.about(report.trackingCode, 'report.created');
    const [updated] = receiver.about(report.trackingCode, 'report.updated');
    expect(created?.body.origin).toEqual({ by: 'citizen' });
    expect(updated?.signatureValid).toBe(true);
    expect(updated?.body).toMatchObject({ origin: { by: 'document_system', externalId }, change: { event: 'accepted', status: 'accepted' }, report: { status: 'accepted' } });
  });
});
