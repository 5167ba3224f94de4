import { openReportStatuses } from '@bandoso/contracts';
import { sql } from 'kysely';
import type { DatabaseExecutor } from '../../db/database-schema.ts';

/** What /metrics reads from the database: each figure is an index-only count over a partial index. */
export interface OperationalFigures {
  /** Open reports flagged overdue by the deadline watcher (as `GET /api/stats/overdue` lists them). */
  overdueOpenReports: number;
  /** Outbox messages the webhook dispatcher has not yet turned into deliveries, and the oldest one's age. */
  outboxPending: number;
  outboxOldestAgeS: number;
  /** Webhook deliveries not yet delivered nor dead (first attempt due, or waiting to retry), and the oldest one's age. */
  deliveriesPending: number;
  deliveriesOldestAgeS: number;
}

/**
 * One statement, one round trip. Each subquery stays on a partial index: `report_open_overdue_idx`,
 * `outbox_message_webhook_pending_idx`, `webhook_delivery_due_idx`. Ages are measured by the database's
 * clock, as the rows' `created_at` were written.
 */
export async function readOperationalFigures(db: DatabaseExecutor): Promise<OperationalFigures> {
  const ageOfOldest = sql<string | null>`extract(epoch FROM now() - min(created_at))`;
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('report').select(eb.fn.countAll<string>().as('count')).where('overdue', '=', true).where('status', 'in', [...openReportStatuses]).as('overdue_open'),
      eb.selectFrom('outbox_message').select(eb.fn.countAll<string>().as('count')).where('webhook_fanned_out_at', 'is', null).as('outbox_pending'),
      eb.selectFrom('outbox_message').select(ageOfOldest.as('age')).where('webhook_fanned_out_at', 'is', null).as('outbox_oldest_s'),
      eb.selectFrom('webhook_delivery').select(eb.fn.countAll<string>().as('count')).where('status', '=', 'pending').as('deliveries_pending'),
      eb.selectFrom('webhook_delivery').select(ageOfOldest.as('age')).where('status', '=', 'pending').as('deliveries_oldest_s'),
    ])
    .executeTakeFirstOrThrow();
  return {
    overdueOpenReports: Number(row.overdue_open ?? 0),
    outboxPending: Number(row.outbox_pending ?? 0),
    outboxOldestAgeS: Math.max(0, Number(row.outbox_oldest_s ?? 0)),
    deliveriesPending: Number(row.deliveries_pending ?? 0),
    deliveriesOldestAgeS: Math.max(0, Number(row.deliveries_oldest_s ?? 0)),
  };
}
