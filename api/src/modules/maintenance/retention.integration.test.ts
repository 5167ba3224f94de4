import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/index.ts';
import { insertTestReports } from '../../testing/report-factory.ts';
import { purgeExpiredRecords } from './retention.service.ts';

const now = new Date('2026-06-01T03:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 60 * 60 * 1000);
const policy = { idempotencyKeyDays: 30, webhookLogDays: 90 };

describe('retention: purging what only exists to make something else work', () => {
  let database: TestDatabase;
  let reportId: string;
  let officeId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const [report] = await insertTestReports(database.db, [{ lon: 103.0169, lat: 21.386 }]);
    reportId = report!.id;
    officeId = (await sql<{ office_id: string }>`SELECT office_id FROM report WHERE id = ${reportId}::uuid`.execute(database.db)).rows[0]!.office_id;
  });
  afterAll(async () => {
    await database?.close();
  });

  async function count(table: string, where = sql`true`): Promise<number> {
    return (await sql<{ n: number }>`SELECT count(*)::integer AS n FROM ${sql.table(table)} WHERE ${where}`.execute(database.db)).rows[0]!.n;
  }

  /** An outbox message and one delivery of it, with one attempt. */
  async function delivery(label: string, status: 'pending' | 'delivered' | 'dead', lastActivity: Date): Promise<void> {
    const message = await sql<{ id: string }>`
      INSERT INTO outbox_message (topic, report_id, office_id, payload, created_at, webhook_fanned_out_at)
      VALUES ('report.created', ${reportId}::uuid, ${officeId}::uuid, ${JSON.stringify({ label })}::jsonb, ${lastActivity}, ${lastActivity})
      RETURNING id`.execute(database.db);
    const created = await sql<{ id: string }>`
      INSERT INTO webhook_delivery (message_id, office_id, status, attempts, next_attempt_at, delivered_at, created_at, body)
      VALUES (${message.rows[0]!.id}, ${officeId}::uuid, ${status}, 1, ${lastActivity}, ${status === 'delivered' ? lastActivity : null}, ${lastActivity}, ${label})
      RETURNING id`.execute(database.db);
    await sql`
      INSERT INTO webhook_delivery_attempt (delivery_id, attempt, url, started_at, duration_ms, status_code, outcome)
      VALUES (${created.rows[0]!.id}, 1, 'https://tdoffice.example.gov.vn/hooks', ${lastActivity}, 12, 200, ${status === 'pending' ? 'retry' : status})`.execute(database.db);
  }

  it('deletes only what is past its retention, in batches, and a second pass finds nothing', async () => {
    // Idempotency keys: 2 100 old ones (more than one batch) and a recent one.
    await sql`
      INSERT INTO idempotency_key (key, request_hash, report_id, response, created_at)
      SELECT 'old-key-' || n, 'h', ${reportId}::uuid, '{}'::jsonb, ${daysAgo(31)}::timestamptz FROM generate_series(1, 2100) AS n`.execute(database.db);
    await sql`INSERT INTO idempotency_key (key, request_hash, report_id, response, created_at) VALUES ('recent-key', 'h', ${reportId}::uuid, '{}'::jsonb, ${daysAgo(29)})`.execute(database.db);

    // Sessions: one expired, one still valid.
    const user = await sql<{ id: string }>`
      INSERT INTO app_user (email, display_name, password_hash, role) VALUES ('retention@example.vn', 'Retention', 'x', 'citizen') RETURNING id`.execute(database.db);
    const userId = user.rows[0]!.id;
    await sql`
      INSERT INTO user_session (user_id, token_hash, csrf_token, kind, expires_at) VALUES
        (${userId}::uuid, 'expired-hash', 'c', 'cookie', ${daysAgo(1)}),
        (${userId}::uuid, 'valid-hash', 'c', 'cookie', ${daysAgo(-1)})`.execute(database.db);

    // The webhook log: ended long ago (gone), ended recently or still pending (kept).
    await delivery('delivered-old', 'delivered', daysAgo(100));
    await delivery('dead-old', 'dead', daysAgo(95));
    await delivery('delivered-recent', 'delivered', daysAgo(10));
    await delivery('pending-old', 'pending', daysAgo(100));
    await sql`
      INSERT INTO webhook_inbound_update (office_id, external_id, request_hash, report_id, action, state, received_at) VALUES
        (${officeId}::uuid, 'applied-old', 'h', ${reportId}::uuid, 'accept', 'applied', ${daysAgo(100)}),
        (${officeId}::uuid, 'processing-old', 'h', ${reportId}::uuid, 'accept', 'processing', ${daysAgo(100)}),
        (${officeId}::uuid, 'applied-recent', 'h', ${reportId}::uuid, 'accept', 'applied', ${daysAgo(10)})`.execute(database.db);

    // Rate-limit windows: one ended an hour ago (gone), the current one (kept).
    await sql`
      INSERT INTO rate_limit_counter (key, window_start, window_end, hits) VALUES
        ('reports:203.0.113.5', ${daysAgo(2 / 24)}, ${daysAgo(1 / 24)}, 3),
        ('reports:203.0.113.6', ${daysAgo(0.5 / 24)}, ${daysAgo(-0.5 / 24)}, 1)`.execute(database.db);

    const summary = await purgeExpiredRecords(database.db, policy, now);
    expect(summary).toEqual({ idempotencyKeys: 2100, expiredSessions: 1, webhookDeliveries: 2, outboxMessages: 2, inboundUpdates: 1, rateLimitCounters: 1 });

    expect(await count('idempotency_key')).toBe(1);
    expect(await count('user_session', sql`token_hash = 'valid-hash'`)).toBe(1);
    expect(await count('user_session', sql`token_hash = 'expired-hash'`)).toBe(0);
    const kept = await sql<{ body: string; attempts: number }>`
      SELECT d.body, (SELECT count(*)::integer FROM webhook_delivery_attempt a WHERE a.delivery_id = d.id) AS attempts
      FROM webhook_delivery d ORDER BY d.body`.execute(database.db);
    expect(kept.rows).toEqual([
      { body: 'delivered-recent', attempts: 1 },
      { body: 'pending-old', attempts: 1 },
    ]);
    expect(await count('webhook_delivery_attempt', sql`delivery_id NOT IN (SELECT id FROM webhook_delivery)`)).toBe(0);
    expect(await count('outbox_message', sql`payload->>'label' LIKE '%-old' AND payload->>'label' <> 'pending-old'`)).toBe(0);
    expect(await count('outbox_message', sql`payload->>'label' IN ('delivered-recent', 'pending-old')`)).toBe(2);
    const updates = await sql<{ external_id: string }>`SELECT external_id FROM webhook_inbound_update ORDER BY external_id`.execute(database.db);
    expect(updates.rows.map((row) => row.external_id)).toEqual(['applied-recent', 'processing-old']);
    expect(await count('rate_limit_counter')).toBe(1);
    // The report itself, and everything it is made of, is never touched.
    expect(await count('report', sql`id = ${reportId}::uuid`)).toBe(1);

    expect(await purgeExpiredRecords(database.db, policy, now)).toEqual({ idempotencyKeys: 0, expiredSessions: 0, webhookDeliveries: 0, outboxMessages: 0, inboundUpdates: 0, rateLimitCounters: 0 });
  });
});
