import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/database-schema.ts';
import { ThrottledLog } from '../../logging/throttled-log.ts';
import * as repository from './retention.repository.ts';

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

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deletes what the policy no longer keeps, as of `now`. Safe to run from several processes at once. */
export async function purgeExpiredRecords(db: Kysely<Database>, policy: RetentionPolicy, now: Date = new Date()): Promise<RetentionSummary> {
  const keysBefore = new Date(now.getTime() - policy.idempotencyKeyDays * DAY_MS);
  const logBefore = new Date(now.getTime() - policy.webhookLogDays * DAY_MS);
  return {
    idempotencyKeys: await repository.deleteIdempotencyKeysBefore(db, keysBefore),
    expiredSessions: await repository.deleteSessionsExpiredBy(db, now),
    webhookDeliveries: await repository.deleteEndedDeliveriesBefore(db, logBefore),
    outboxMessages: await repository.deleteDeliveredOutboxMessagesBefore(db, logBefore),
    inboundUpdates: await repository.deleteAppliedInboundUpdatesBefore(db, logBefore),
    rateLimitCounters: await repository.deleteRateLimitCountersEndedBy(db, now),
  };
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
