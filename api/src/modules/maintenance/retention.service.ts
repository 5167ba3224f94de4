import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/database-schema.ts';
import { ThrottledLog } from '../../logging/throttled-log.ts';

/**
 * How long the platform keeps the records that only exist to make something else work: they are
 * not the reports, their events or their statistics (those are kept), but without a limit they grow
 * with every request, forever.
 */
export interface RetentionPolicy {
  /**
   * Idempotency keys of report submissions. A phone in the mountains may hold a report in its
   * offline queue for days before it resends it with the same key, so this is long: a key purged
   * too early turns that resend into a second report.
   */
  idempotencyKeyDays: number;
  /** Webhook deliveries that ended (delivered or dead) with their attempt log, the outbox messages
   * behind them, and the update ids office systems posted back: the delivery log staff read. */
  webhookLogDays: number;
}

export const defaultRetentionPolicy: Readonly<RetentionPolicy> = Object.freeze({ idempotencyKeyDays: 30, webhookLogDays: 90 });

export interface RetentionSummary {
  idempotencyKeys: number;
  expiredSessions: number;
  webhookDeliveries: number;
  outboxMessages: number;
  inboundUpdates: number;
  rateLimitCounters: number;
}

/** Rows deleted per statement: short transactions, short locks, whatever the backlog. */
const BATCH = 2_000;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deletes what the policy no longer keeps, as of `now`. Safe to run from several processes at once. */
export async function purgeExpiredRecords(db: Kysely<Database>, policy: RetentionPolicy, now: Date = new Date()): Promise<RetentionSummary> {
  const keysBefore = new Date(now.getTime() - policy.idempotencyKeyDays * DAY_MS);
  const logBefore = new Date(now.getTime() - policy.webhookLogDays * DAY_MS);
  return {
    idempotencyKeys: await deleteInBatches(db, (limit) => sql`
      DELETE FROM idempotency_key WHERE key IN (SELECT key FROM idempotency_key WHERE created_at < ${keysBefore} LIMIT ${limit})`),
    // Sessions past their expiry can no longer sign anybody in (auth checks expires_at).
    expiredSessions: await deleteInBatches(db, (limit) => sql`
      DELETE FROM user_session WHERE id IN (SELECT id FROM user_session WHERE expires_at < ${now} LIMIT ${limit})`),
    // A delivery's last activity: delivered_at, or for a dead one the time of its last attempt
    // (next_attempt_at is set to it when a delivery ends). Its attempts go with it (ON DELETE CASCADE).
    webhookDeliveries: await deleteInBatches(db, (limit) => sql`
      DELETE FROM webhook_delivery WHERE id IN (
        SELECT id FROM webhook_delivery
        WHERE status IN ('delivered', 'dead') AND greatest(created_at, coalesce(delivered_at, next_attempt_at)) < ${logBefore}
        LIMIT ${limit})`),
    // Messages already fanned out to deliveries, once none of their deliveries is left.
    outboxMessages: await deleteInBatches(db, (limit) => sql`
      DELETE FROM outbox_message WHERE id IN (
        SELECT m.id FROM outbox_message m
        WHERE m.webhook_fanned_out_at IS NOT NULL AND m.created_at < ${logBefore}
          AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.message_id = m.id)
        LIMIT ${limit})`),
    inboundUpdates: await deleteInBatches(db, (limit) => sql`
      DELETE FROM webhook_inbound_update WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM webhook_inbound_update WHERE state = 'applied' AND received_at < ${logBefore} LIMIT ${limit}))`),
    // Rate-limit windows that have ended count nothing any more.
    rateLimitCounters: await deleteInBatches(db, (limit) => sql`
      DELETE FROM rate_limit_counter WHERE ctid = ANY (ARRAY(SELECT ctid FROM rate_limit_counter WHERE window_end < ${now} LIMIT ${limit}))`),
  };
}

async function deleteInBatches(db: Kysely<Database>, statement: (limit: number) => RawBuilder<unknown>): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await statement(BATCH).execute(db);
    const deleted = Number(result.numAffectedRows ?? 0n);
    total += deleted;
    if (deleted < BATCH) return total;
  }
}

/**
 * Runs `purgeExpiredRecords` every `intervalSeconds` (0: never), the first pass a minute after
 * start. One pass at a time; a failed pass is logged and the next one tries again. `stop` ends the
 * timers and waits for a pass that is running.
 */
export function startRetention(db: Kysely<Database>, policy: RetentionPolicy, intervalSeconds: number, logger: Logger): { stop(): Promise<void> } {
  if (intervalSeconds <= 0) return { stop: async () => {} };
  const failures = new ThrottledLog(logger);
  let running: Promise<void> | undefined;
  const pass = () => {
    if (running) return;
    running = purgeExpiredRecords(db, policy)
      .then((summary) => {
        if (Object.values(summary).some((count) => count > 0)) logger.info(summary, 'retention: purged expired records');
      })
      .catch((error: unknown) => failures.failure(error, 'retention pass failed; the next one tries again'))
      .finally(() => {
        running = undefined;
      });
  };
  const first = setTimeout(pass, Math.min(60, intervalSeconds) * 1000);
  const timer = setInterval(pass, intervalSeconds * 1000);
  first.unref();
  timer.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
