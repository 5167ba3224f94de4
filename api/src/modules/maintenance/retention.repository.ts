import { sql, type RawBuilder } from 'kysely';
import type { DatabaseExecutor } from '../../db/database-schema.ts';

/**
 * The deletes of the retention pass. Each runs in batches (short transactions, short locks, whatever
 * the backlog) and returns how many rows went.
 */

/** Rows deleted per statement. */
const BATCH = 2_000;

export function deleteIdempotencyKeysBefore(db: DatabaseExecutor, before: Date): Promise<number> {
  return deleteInBatches(db, (limit) => sql`
    DELETE FROM idempotency_key WHERE key IN (SELECT key FROM idempotency_key WHERE created_at < ${before} LIMIT ${limit})`);
}

/** Sessions past their expiry can no longer sign anybody in (auth checks expires_at). */
export function deleteSessionsExpiredBy(db: DatabaseExecutor, now: Date): Promise<number> {
  return deleteInBatches(db, (limit) => sql`
    DELETE FROM user_session WHERE id IN (SELECT id FROM user_session WHERE expires_at < ${now} LIMIT ${limit})`);
}

/**
 * Deliveries that ended before `before`. A delivery's last activity: delivered_at, or for a dead one
 * the time of its last attempt (next_attempt_at is set to it when a delivery ends). Its attempts go
 * with it (ON DELETE CASCADE).
 */
export function deleteEndedDeliveriesBefore(db: DatabaseExecutor, before: Date): Promise<number> {
  return deleteInBatches(db, (limit) => sql`
    DELETE FROM webhook_delivery WHERE id IN (
      SELECT id FROM webhook_delivery
      WHERE status IN ('delivered', 'dead') AND greatest(created_at, coalesce(delivered_at, next_attempt_at)) < ${before}
      LIMIT ${limit})`);
}

/** Messages already fanned out to deliveries, once none of their deliveries is left. */
export function deleteDeliveredOutboxMessagesBefore(db: DatabaseExecutor, before: Date): Promise<number> {
  return deleteInBatches(db, (limit) => sql`
    DELETE FROM outbox_message WHERE id IN (
      SELECT m.id FROM outbox_message m
      WHERE m.webhook_fanned_out_at IS NOT NULL AND m.created_at < ${before}
        AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.message_id = m.id)
      LIMIT ${limit})`);
}

export function deleteAppliedInboundUpdatesBefore(db: DatabaseExecutor, before: Date): Promise<number> {
  return deleteInBatches(db, (limit) => sql`
    DELETE FROM webhook_inbound_update WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM webhook_inbound_update WHERE state = 'applied' AND received_at < ${before} LIMIT ${limit}))`);
}

/** Rate-limit windows that have ended count nothing any more. */
export function deleteRateLimitCountersEndedBy(db: DatabaseExecutor, now: Date): Promise<number> {
  return deleteInBatches(db, (limit) => sql`
    DELETE FROM rate_limit_counter WHERE ctid = ANY (ARRAY(SELECT ctid FROM rate_limit_counter WHERE window_end < ${now} LIMIT ${limit}))`);
}

async function deleteInBatches(db: DatabaseExecutor, statement: (limit: number) => RawBuilder<unknown>): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await statement(BATCH).execute(db);
    const deleted = Number(result.numAffectedRows ?? 0n);
    total += deleted;
    if (deleted < BATCH) return total;
  }
}
