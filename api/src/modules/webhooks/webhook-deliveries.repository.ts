import { type Kysely, type Transaction } from 'kysely';
import type { AttemptOutcome, Database, DatabaseExecutor, DeliveryStatus } from '../../db/database-schema.ts';

/** The outbox fanned out to deliveries, their sending under a lease, and the delivery log staff read. */

/**
 * The oldest outbox messages no dispatcher has handled yet, locked for this transaction. SKIP LOCKED
 * lets several API processes on one server share the work without waiting on or repeating each other
 * (PGlite has one connection, so there the lock is simply uncontested).
 */
export async function lockUnhandledMessages(db: Transaction<Database>, limit: number) {
  return db
    .selectFrom('outbox_message')
    .select(['id', 'topic', 'report_id', 'office_id', 'payload', 'created_at'])
    .where('webhook_fanned_out_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export type OutboxMessageRow = Awaited<ReturnType<typeof lockUnhandledMessages>>[number];

export async function markMessagesHandled(db: Transaction<Database>, messageIds: number[], now: Date): Promise<void> {
  if (messageIds.length === 0) return;
  await db.updateTable('outbox_message').set({ webhook_fanned_out_at: now }).where('id', 'in', messageIds).execute();
}

export async function listActiveWebhooks(db: DatabaseExecutor, officeIds: string[]) {
  if (officeIds.length === 0) return [];
  return db
    .selectFrom('office_webhook')
    .innerJoin('office', 'office.id', 'office_webhook.office_id')
    .select(['office_webhook.office_id', 'office.code as office_code', 'office.name as office_name', 'office_webhook.integration_user_id'])
    .where('office_webhook.office_id', 'in', officeIds)
    .where('office_webhook.active', '=', true)
    .execute();
}

/** Who made the change an outbox message announces: the report event written at the same instant. */
export async function findEventActorAt(db: DatabaseExecutor, reportId: string, at: Date) {
  return db
    .selectFrom('report_event')
    .select(['actor_role', 'actor_user_id'])
    .where('report_id', '=', reportId)
    .where('created_at', '=', at)
    .orderBy('seq', 'desc')
    .executeTakeFirst();
}

export async function findInboundUpdateAppliedAt(db: DatabaseExecutor, officeId: string, reportId: string, at: Date): Promise<string | undefined> {
  const row = await db
    .selectFrom('webhook_inbound_update')
    .select('external_id')
    .where('office_id', '=', officeId)
    .where('report_id', '=', reportId)
    .where('received_at', '=', at)
    .executeTakeFirst();
  return row?.external_id;
}

export async function insertDelivery(
  db: Transaction<Database>,
  delivery: { messageId: number; officeId: string; idempotencyId: string; body: string; nextAttemptAt: Date },
): Promise<boolean> {
  const result = await db
    .insertInto('webhook_delivery')
    .values({
      message_id: delivery.messageId,
      office_id: delivery.officeId,
      idempotency_id: delivery.idempotencyId,
      body: delivery.body,
      next_attempt_at: delivery.nextAttemptAt,
    })
    .onConflict((conflict) => conflict.columns(['message_id', 'office_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

// ---- sending ----------------------------------------------------------------------------------------

/**
 * Claims up to `limit` due deliveries in one statement: counts the attempt and pushes the next attempt
 * to `leaseUntil`, so no other dispatcher picks them while this one sends. If this process dies
 * mid-send, the lease runs out and another dispatcher tries again (at least once, never lost).
 * Only deliveries of active webhooks are due: a paused webhook keeps its deliveries waiting.
 */
export async function claimDueDeliveries(db: DatabaseExecutor, now: Date, leaseUntil: Date, limit: number) {
  return db
    .updateTable('webhook_delivery')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: leaseUntil }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('webhook_delivery as due')
        .innerJoin('office_webhook', 'office_webhook.office_id', 'due.office_id')
        .select('due.id')
        .where('due.status', '=', 'pending')
        .where('due.next_attempt_at', '<=', now)
        .where('office_webhook.active', '=', true)
        .orderBy('due.next_attempt_at')
        .orderBy('due.id')
        .limit(limit)
        .forUpdate('due')
        .skipLocked(),
    )
    .returning(['id', 'message_id', 'office_id', 'idempotency_id', 'attempts', 'body'])
    .execute();
}

/** Where and how to send claimed deliveries: read at send time, so a changed URL or secret applies at once. */
export async function findDeliveryTargets(db: DatabaseExecutor, deliveryIds: number[]) {
  if (deliveryIds.length === 0) return [];
  return db
    .selectFrom('webhook_delivery')
    .innerJoin('office_webhook', 'office_webhook.office_id', 'webhook_delivery.office_id')
    .innerJoin('outbox_message', 'outbox_message.id', 'webhook_delivery.message_id')
    .select(['webhook_delivery.id', 'office_webhook.url', 'office_webhook.secret', 'outbox_message.topic'])
    .where('webhook_delivery.id', 'in', deliveryIds)
    .execute();
}

export interface AttemptRecord {
  deliveryId: number;
  /** The attempt number the claim gave; the update applies only while that claim still holds. */
  attempt: number;
  url: string;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  outcome: AttemptOutcome;
  nextAttemptAt: Date;
}

/** Logs one attempt and moves the delivery on (delivered, next retry, or dead), in one transaction. */
export async function recordAttempt(db: Kysely<Database>, record: AttemptRecord): Promise<void> {
  await db.transaction().execute(async (transaction) => {
    await transaction
      .insertInto('webhook_delivery_attempt')
      .values({
        delivery_id: record.deliveryId,
        attempt: record.attempt,
        url: record.url,
        started_at: record.startedAt,
        duration_ms: Math.max(0, Math.round(record.durationMs)),
        status_code: record.statusCode,
        error: record.error,
        outcome: record.outcome,
      })
      .execute();
    await transaction
      .updateTable('webhook_delivery')
      .set({
        status: record.outcome === 'retry' ? 'pending' : record.outcome,
        next_attempt_at: record.nextAttemptAt,
        last_status_code: record.statusCode,
        last_error: record.error,
        delivered_at: record.outcome === 'delivered' ? new Date(record.startedAt.getTime() + record.durationMs) : null,
      })
      .where('id', '=', record.deliveryId)
      .where('attempts', '=', record.attempt)
      .where('status', '=', 'pending')
      .execute();
  });
}

// ---- the delivery log -------------------------------------------------------------------------------

export interface DeliveryListFilter {
  officeId?: string;
  status?: DeliveryStatus;
  trackingCode?: string;
  limit: number;
  offset: number;
}

export async function listDeliveries(db: DatabaseExecutor, filter: DeliveryListFilter) {
  let query = db
    .selectFrom('webhook_delivery')
    .innerJoin('outbox_message', 'outbox_message.id', 'webhook_delivery.message_id')
    .innerJoin('office', 'office.id', 'webhook_delivery.office_id')
    .leftJoin('report', 'report.id', 'outbox_message.report_id');
  if (filter.officeId) query = query.where('webhook_delivery.office_id', '=', filter.officeId);
  if (filter.status) query = query.where('webhook_delivery.status', '=', filter.status);
  if (filter.trackingCode) query = query.where('report.tracking_code', '=', filter.trackingCode);
  const [rows, total] = await Promise.all([
    query
      .select([
        'webhook_delivery.id',
        'webhook_delivery.idempotency_id',
        'outbox_message.topic',
        'outbox_message.id as message_id',
        'report.tracking_code',
        'office.code as office_code',
        'webhook_delivery.status',
        'webhook_delivery.attempts',
        'webhook_delivery.next_attempt_at',
        'webhook_delivery.last_status_code',
        'webhook_delivery.last_error',
        'webhook_delivery.delivered_at',
        'webhook_delivery.created_at',
      ])
      .orderBy('webhook_delivery.id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.count) };
}

export async function listAttempts(db: DatabaseExecutor, deliveryIds: number[]) {
  if (deliveryIds.length === 0) return [];
  return db
    .selectFrom('webhook_delivery_attempt')
    .select(['delivery_id', 'attempt', 'url', 'started_at', 'duration_ms', 'status_code', 'error', 'outcome'])
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('delivery_id')
    .orderBy('id')
    .execute();
}

export async function findDelivery(db: DatabaseExecutor, deliveryId: number) {
  return db.selectFrom('webhook_delivery').select(['id', 'office_id', 'status']).where('id', '=', deliveryId).executeTakeFirst();
}

/** Sends a delivery again (same idempotency id), with a fresh series of attempts. */
export async function requeueDelivery(db: DatabaseExecutor, deliveryId: number, now: Date): Promise<void> {
  await db
    .updateTable('webhook_delivery')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, delivered_at: null })
    .where('id', '=', deliveryId)
    .execute();
}

