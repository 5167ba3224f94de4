import type { DatabaseExecutor } from '../../db/database-schema.ts';

/** Status updates an office's document system posted back, kept by the id it gave them (idempotency). */

export async function findInboundUpdate(db: DatabaseExecutor, officeId: string, externalId: string) {
  return db
    .selectFrom('webhook_inbound_update')
    .innerJoin('report', 'report.id', 'webhook_inbound_update.report_id')
    .select([
      'webhook_inbound_update.request_hash',
      'webhook_inbound_update.report_id',
      'report.tracking_code',
      'webhook_inbound_update.state',
      'webhook_inbound_update.result_status',
      'webhook_inbound_update.received_at',
    ])
    .where('webhook_inbound_update.office_id', '=', officeId)
    .where('webhook_inbound_update.external_id', '=', externalId)
    .executeTakeFirst();
}

export type InboundUpdateRow = NonNullable<Awaited<ReturnType<typeof findInboundUpdate>>>;

/** Records that an update is being applied; false when its id was recorded before. */
export async function insertInboundUpdate(
  db: DatabaseExecutor,
  update: { officeId: string; externalId: string; requestHash: string; reportId: string; action: string; occurredAt: Date | null; receivedAt: Date },
): Promise<boolean> {
  const result = await db
    .insertInto('webhook_inbound_update')
    .values({
      office_id: update.officeId,
      external_id: update.externalId,
      request_hash: update.requestHash,
      report_id: update.reportId,
      action: update.action,
      state: 'processing',
      occurred_at: update.occurredAt,
      received_at: update.receivedAt,
    })
    .onConflict((conflict) => conflict.columns(['office_id', 'external_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Takes over an update whose processing was abandoned (began before `abandonedBefore`; its process
 * died). Of several requests retaking it at once, one wins: the others then see it freshly begun.
 */
export async function retakeInboundUpdate(db: DatabaseExecutor, officeId: string, externalId: string, abandonedBefore: Date, receivedAt: Date): Promise<boolean> {
  const result = await db
    .updateTable('webhook_inbound_update')
    .set({ received_at: receivedAt })
    .where('office_id', '=', officeId)
    .where('external_id', '=', externalId)
    .where('state', '=', 'processing')
    .where('received_at', '<', abandonedBefore)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function markInboundUpdateApplied(db: DatabaseExecutor, officeId: string, externalId: string, resultStatus: string, appliedAt: Date): Promise<void> {
  await db
    .updateTable('webhook_inbound_update')
    .set({ state: 'applied', result_status: resultStatus, applied_at: appliedAt })
    .where('office_id', '=', officeId)
    .where('external_id', '=', externalId)
    .execute();
}

/** Forgets an update that was refused (nothing changed), so a corrected one may reuse its id. */
export async function deleteInboundUpdate(db: DatabaseExecutor, officeId: string, externalId: string): Promise<void> {
  await db.deleteFrom('webhook_inbound_update').where('office_id', '=', officeId).where('external_id', '=', externalId).where('state', '=', 'processing').execute();
}

/** Whether the integration account wrote an event on the report at exactly that instant (a crashed update that did apply). */
export async function integrationEventExists(db: DatabaseExecutor, reportId: string, userId: string, at: Date): Promise<{ status: string } | undefined> {
  const row = await db
    .selectFrom('report_event')
    .select('to_status')
    .where('report_id', '=', reportId)
    .where('actor_user_id', '=', userId)
    .where('created_at', '=', at)
    .executeTakeFirst();
  return row ? { status: row.to_status ?? '' } : undefined;
}
