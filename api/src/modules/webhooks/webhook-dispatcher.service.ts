import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { fetch, type Agent } from 'undici';
import type { Database } from '../../db/database-schema.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { publicSummary } from '../reports/report-views.ts';
import { findPublicReportById } from '../reports/reports.service.ts';
import {
  ATTEMPT_HEADER,
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  signPayload,
  signStandardWebhook,
  TIMESTAMP_HEADER,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  webhookSigningKey,
} from './signing.ts';
import type * as repository from './webhooks.repository.ts';
import { publicInternetOnly, RefusedTargetError, WebhookTargetGuard, type WebhookTargetPolicy } from './webhook-target-policy.ts';
import { ThrottledLog } from '../../logging/throttled-log.ts';
import * as deliveries from './webhook-deliveries.repository.ts';

/**
 * Delivers the transactional outbox to the offices' document systems (e.g. TDOffice).
 *
 * 1. Prepare: every outbox message not handled yet becomes one delivery for the office it names
 *    (`outbox_message.office_id`: the office that now holds the report, the office it was transferred
 *    away from, or, for `report.overdue`, the supervising office) when that office has an active
 *    webhook. The body is fixed here, so every attempt sends the same bytes with the same id.
 * 2. Send: due deliveries are claimed (a lease, so several API processes never send one twice at
 *    once), POSTed with a signature, and the attempt is logged. 2xx: delivered. 408, 425, 429, 5xx,
 *    network errors and timeouts: retried with exponential backoff and jitter until `maxAttempts`,
 *    then dead. Any other status (3xx, 4xx): dead at once — the receiver refused this exact request,
 *    and sending the same bytes again cannot change its answer (an office can redeliver by hand).
 *
 * At least once: a delivery is marked delivered only after a 2xx, so a receiver may see a delivery
 * again (e.g. it processed it but answered 500, or timed out): it must dedupe by `webhook-id` (the
 * same value as the deprecated `X-Bandoso-Delivery`).
 */
export interface WebhookDispatcherOptions {
  /** How often to look for due work even without a notification; 0: never (tests call `runOnce`). */
  pollIntervalMs: number;
  /** Wake up as soon as an outbox message is written (a NOTIFY from the outbox trigger). */
  listenForOutbox: boolean;
  /** How long one POST may take, until the response headers arrive. */
  requestTimeoutMs: number;
  /** Attempts in all, the first included; then the delivery is dead. */
  maxAttempts: number;
  /** The wait after the n-th failed attempt (the last value repeats). */
  retryScheduleSeconds: readonly number[];
  /** Each wait is lengthened by up to this fraction, at random, so retries of many deliveries spread out. */
  jitter: number;
  /** Outbox messages per transaction, and deliveries claimed at a time. */
  batchSize: number;
  /** For tests: the random source of the jitter. */
  random: () => number;
  /** Where deliveries may connect: public addresses, plus these networks (WEBHOOK_ALLOWED_NETWORKS). */
  targetPolicy: WebhookTargetPolicy;
}

/** How deliveries reach the network: the address rule, and the HTTP client that applies it. */
interface Transport {
  guard: WebhookTargetGuard;
  dispatcher: Agent;
}

export const defaultWebhookDispatcherOptions: Readonly<WebhookDispatcherOptions> = Object.freeze({
  pollIntervalMs: 5_000,
  listenForOutbox: true,
  requestTimeoutMs: 10_000,
  maxAttempts: 8,
  // 30 s, 2 min, 10 min, 1 h, 6 h, 12 h, 24 h: a receiver that is down for up to about two days
  // still gets everything.
  retryScheduleSeconds: Object.freeze([30, 120, 600, 3_600, 21_600, 43_200, 86_400]),
  jitter: 0.2,
  batchSize: 50,
  random: Math.random,
  targetPolicy: publicInternetOnly,
});

/** A claimed delivery outlives its request timeout by this much before another dispatcher may retry it. */
const LEASE_MARGIN_MS = 60_000;
/** The longest `Retry-After` we honour. */
const MAX_RETRY_AFTER_SECONDS = 6 * 3_600;
/** Claim rounds per pass: a huge backlog is worked through over several passes, not in one. */
const MAX_SEND_ROUNDS = 20;

export interface DispatchSummary {
  /** Outbox messages handled (with or without a delivery). */
  messages: number;
  /** Deliveries created from them. */
  prepared: number;
  attempted: number;
  delivered: number;
  retrying: number;
  dead: number;
}

export interface WebhookDispatcher {
  /** One full pass: prepare deliveries, then send what is due at `now`. Passes never overlap. */
  runOnce(now?: Date): Promise<DispatchSummary>;
  /** Stops the timer and the subscription, aborts requests in flight, and waits for the pass to end. */
  stop(): Promise<void>;
}

export function startWebhookDispatcher(database: DatabaseHandle, logger: Logger, overrides: Partial<WebhookDispatcherOptions> = {}): WebhookDispatcher {
  const options: WebhookDispatcherOptions = { ...defaultWebhookDispatcherOptions, ...overrides };
  const log = logger.child({ component: 'webhook-dispatcher' });
  const failures = new ThrottledLog(log);
  const shutdown = new AbortController();
  const guard = new WebhookTargetGuard(options.targetPolicy);
  const transport: Transport = { guard, dispatcher: guard.dispatcher() };
  let stopped = false;
  let running: Promise<DispatchSummary> | null = null;
  let wakeQueued = false;

  async function runOnce(now?: Date): Promise<DispatchSummary> {
    while (running) await running.catch(() => undefined);
    const pass = runPass(database.db, now ?? new Date(), options, transport, shutdown.signal, log);
    running = pass;
    try {
      return await pass;
    } finally {
      if (running === pass) running = null;
    }
  }

  function wake(): void {
    if (stopped || wakeQueued) return;
    wakeQueued = true;
    setImmediate(() => {
      wakeQueued = false;
      if (stopped) return;
      runOnce()
        .then((summary) => {
          if (summary.attempted > 0 || summary.prepared > 0) log.debug(summary, 'webhook pass');
        })
        .catch((error: unknown) => failures.failure(error, 'webhook dispatcher pass failed; the next one tries again'));
    });
  }

  const timer = options.pollIntervalMs > 0 ? setInterval(wake, options.pollIntervalMs) : undefined;
  timer?.unref();
  const subscription: Promise<(() => Promise<void>) | undefined> = options.listenForOutbox
    ? // After a reconnect, messages written meanwhile are found by the pass that `onListening` wakes.
      database.listen('outbox_message', { onNotification: wake, onListening: wake }).catch((error: unknown) => {
        log.warn({ err: error }, 'cannot listen for outbox messages; polling only');
        return undefined;
      })
    : Promise.resolve(undefined);
  if (options.pollIntervalMs > 0 || options.listenForOutbox) wake();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      shutdown.abort();
      const unsubscribe = await subscription;
      await unsubscribe?.().catch(() => undefined);
      while (running) await running.catch(() => undefined);
      await transport.dispatcher.close().catch(() => undefined);
    },
  };
}

async function runPass(db: Kysely<Database>, now: Date, options: WebhookDispatcherOptions, transport: Transport, shutdown: AbortSignal, log: Logger): Promise<DispatchSummary> {
  const summary: DispatchSummary = { messages: 0, prepared: 0, attempted: 0, delivered: 0, retrying: 0, dead: 0 };
  await prepareDeliveries(db, now, options.batchSize, summary);
  if (!shutdown.aborted) await sendDueDeliveries(db, now, options, transport, shutdown, log, summary);
  return summary;
}

// ---- 1. outbox messages → deliveries -------------------------------------------------------------

async function prepareDeliveries(db: Kysely<Database>, now: Date, batchSize: number, summary: DispatchSummary): Promise<void> {
  for (;;) {
    const handled = await db.transaction().execute(async (transaction) => {
      const messages = await deliveries.lockUnhandledMessages(transaction, batchSize);
      const officeIds = [...new Set(messages.flatMap((message) => (message.office_id ? [message.office_id] : [])))];
      const webhooks = new Map((await deliveries.listActiveWebhooks(transaction, officeIds)).map((webhook) => [webhook.office_id, webhook]));
      for (const message of messages) {
        const webhook = message.office_id ? webhooks.get(message.office_id) : undefined;
        if (!webhook) continue;
        const idempotencyId = randomUUID();
        const body = await buildDeliveryBody(transaction, message, webhook, idempotencyId);
        const inserted = await deliveries.insertDelivery(transaction, { messageId: message.id, officeId: webhook.office_id, idempotencyId, body, nextAttemptAt: now });
        if (inserted) summary.prepared += 1;
      }
      await deliveries.markMessagesHandled(transaction, messages.map((message) => message.id), now);
      return messages.length;
    });
    summary.messages += handled;
    if (handled < batchSize) return;
  }
}

type ActiveWebhook = Awaited<ReturnType<typeof deliveries.listActiveWebhooks>>[number];

/**
 * What the document system receives. The report part is the public view (the same as
 * `GET /api/reports/:code`) as it stands when the delivery is prepared: never the reporter's name,
 * phone or e-mail, which stay in the platform.
 */
async function buildDeliveryBody(db: Transaction<Database>, message: deliveries.OutboxMessageRow, webhook: ActiveWebhook, idempotencyId: string): Promise<string> {
  const report = message.report_id ? await findPublicReportById(db, message.report_id) : undefined;
  return JSON.stringify({
    id: idempotencyId,
    event: message.topic,
    sequence: message.id,
    occurredAt: message.created_at.toISOString(),
    office: { code: webhook.office_code, name: webhook.office_name },
    origin: await describeOrigin(db, message, webhook),
    change: message.payload,
    report: report
      ? { ...publicSummary(report), links: { public: `/api/reports/${report.tracking_code}`, staff: `/api/staff/reports/${report.id}` } }
      : null,
  });
}

/**
 * Who made the change: the citizen, the office (its staff on the platform), the system (deadlines), or
 * this office's own document system — so the receiver recognises the echo of an update it posted.
 */
async function describeOrigin(db: Transaction<Database>, message: deliveries.OutboxMessageRow, webhook: ActiveWebhook) {
  const at = typeof message.payload.at === 'string' ? new Date(message.payload.at) : null;
  if (!message.report_id || !at || Number.isNaN(at.getTime())) return null;
  const actor = await deliveries.findEventActorAt(db, message.report_id, at);
  if (!actor) return null;
  if (webhook.integration_user_id !== null && actor.actor_user_id === webhook.integration_user_id) {
    const externalId = await deliveries.findInboundUpdateAppliedAt(db, webhook.office_id, message.report_id, at);
    return { by: 'document_system' as const, externalId: externalId ?? null };
  }
  return { by: actor.actor_role === 'citizen' ? ('citizen' as const) : actor.actor_role === 'system' ? ('system' as const) : ('office' as const) };
}

// ---- 2. sending -------------------------------------------------------------------------------------

type ClaimedDelivery = Awaited<ReturnType<typeof deliveries.claimDueDeliveries>>[number];
type Outcome = repository.AttemptOutcome;

async function sendDueDeliveries(
  db: Kysely<Database>,
  now: Date,
  options: WebhookDispatcherOptions,
  transport: Transport,
  shutdown: AbortSignal,
  log: Logger,
  summary: DispatchSummary,
): Promise<void> {
  const passStarted = performance.now();
  const clock = () => new Date(now.getTime() + (performance.now() - passStarted));
  for (let round = 0; round < MAX_SEND_ROUNDS && !shutdown.aborted; round += 1) {
    const claimedAt = clock();
    const claimed = await deliveries.claimDueDeliveries(db, claimedAt, new Date(claimedAt.getTime() + options.requestTimeoutMs + LEASE_MARGIN_MS), options.batchSize);
    if (claimed.length === 0) return;
    const targets = new Map((await deliveries.findDeliveryTargets(db, claimed.map((delivery) => delivery.id))).map((target) => [target.id, target]));
    // One office's deliveries go one after another, in the order they were written; offices in parallel.
    const byOffice = new Map<string, ClaimedDelivery[]>();
    for (const delivery of [...claimed].sort((a, b) => a.message_id - b.message_id)) {
      byOffice.set(delivery.office_id, [...(byOffice.get(delivery.office_id) ?? []), delivery]);
    }
    await Promise.all(
      [...byOffice.values()].map(async (officeDeliveries) => {
        for (const delivery of officeDeliveries) {
          const target = targets.get(delivery.id);
          if (!target) continue; // the webhook was removed meanwhile: the delivery waits for a new one
          const outcome = await attemptDelivery(db, delivery, target, options, transport, shutdown, clock, log);
          summary.attempted += 1;
          if (outcome === 'delivered') summary.delivered += 1;
          else if (outcome === 'retry') summary.retrying += 1;
          else summary.dead += 1;
        }
      }),
    );
    if (claimed.length < options.batchSize) return;
  }
}

interface DeliveryTarget {
  url: string;
  secret: string;
  topic: string;
}

async function attemptDelivery(
  db: Kysely<Database>,
  delivery: ClaimedDelivery,
  target: DeliveryTarget,
  options: WebhookDispatcherOptions,
  transport: Transport,
  shutdown: AbortSignal,
  clock: () => Date,
  log: Logger,
): Promise<Outcome> {
  const startedAt = clock();
  const started = performance.now();
  // The signed timestamp is the real wall clock (receivers compare it with theirs), even when a test
  // runs the schedule at another `now`.
  const timestamp = Math.floor(Date.now() / 1000);
  let statusCode: number | null = null;
  let error: string | null = null;
  let retryAfterSeconds: number | null = null;
  // Refused targets are not retried: the same URL would be refused again. Addresses written in the
  // URL connect without a DNS lookup, so they are checked here; names, when they resolve (guard.lookup).
  let refused: string | undefined = transport.guard.problemWithUrl(target.url);
  try {
    if (refused) throw new Error(refused);
    const response = await fetch(target.url, {
      dispatcher: transport.dispatcher,
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'User-Agent': 'Bandoso-Webhooks/1',
        [EVENT_HEADER]: target.topic,
        [ATTEMPT_HEADER]: String(delivery.attempts),
        // Standard Webhooks: the id is the delivery's, fixed when it was prepared, so every retry and
        // redelivery carries the same one and receivers can dedupe by it.
        [WEBHOOK_ID_HEADER]: delivery.idempotency_id,
        [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
        [WEBHOOK_SIGNATURE_HEADER]: signStandardWebhook(webhookSigningKey(target.secret), delivery.idempotency_id, timestamp, delivery.body),
        // The earlier headers, for receivers not yet moved over: sent until 0.3.0 (docs/webhooks.md).
        [DELIVERY_HEADER]: delivery.idempotency_id,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signPayload(target.secret, timestamp, delivery.body),
      },
      body: delivery.body,
      // The signed body goes to the configured URL only, never to wherever a redirect points.
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(options.requestTimeoutMs), shutdown]),
    });
    statusCode = response.status;
    retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    // The answer's body is not read, let alone stored: the status says it all, and an office's URL
    // must not become a way to read other servers' pages through the delivery log.
    await response.body?.cancel().catch(() => undefined);
  } catch (caught) {
    const cause = caught instanceof Error ? caught.cause : undefined;
    if (cause instanceof RefusedTargetError) refused = cause.message;
    error = refused
      ? `refused: ${refused}`.slice(0, 500)
      : describeFetchError(caught, shutdown.aborted, options.requestTimeoutMs);
  }
  const durationMs = performance.now() - started;
  const finishedAt = new Date(startedAt.getTime() + durationMs);
  let outcome = refused ? 'dead' : classifyAttempt(statusCode);
  if (statusCode !== null && outcome !== 'delivered') error = `HTTP ${statusCode}${outcome === 'dead' ? ' (not retried: the receiver refused this request)' : ''}`;
  if (outcome === 'retry' && delivery.attempts >= options.maxAttempts) {
    outcome = 'dead';
    error = `${error}; gave up after ${delivery.attempts} attempts`;
  }
  const nextAttemptAt = outcome === 'retry' ? new Date(finishedAt.getTime() + retryDelayMs(delivery.attempts, options, retryAfterSeconds)) : finishedAt;
  await deliveries.recordAttempt(db, {
    deliveryId: delivery.id,
    attempt: delivery.attempts,
    url: target.url,
    startedAt,
    durationMs,
    statusCode,
    error,
    outcome,
    nextAttemptAt,
  });
  const fields = { delivery: delivery.idempotency_id, event: target.topic, attempt: delivery.attempts, statusCode, error };
  if (outcome === 'dead') log.warn(fields, 'webhook delivery failed for good');
  else if (outcome === 'retry') log.info({ ...fields, nextAttemptAt: nextAttemptAt.toISOString() }, 'webhook delivery failed; will retry');
  else log.debug(fields, 'webhook delivered');
  return outcome;
}

/** null: no HTTP answer at all (network error, timeout), which is retried. */
export function classifyAttempt(statusCode: number | null): Outcome {
  if (statusCode === null) return 'retry';
  if (statusCode >= 200 && statusCode < 300) return 'delivered';
  if (statusCode === 408 || statusCode === 425 || statusCode === 429 || statusCode >= 500) return 'retry';
  return 'dead';
}

/**
 * The wait after failed attempt number `attempt` (1-based): the schedule's step lengthened by up to
 * `jitter`, or the receiver's `Retry-After` when that is longer (at most six hours).
 */
export function retryDelayMs(attempt: number, options: Pick<WebhookDispatcherOptions, 'retryScheduleSeconds' | 'jitter' | 'random'>, retryAfterSeconds: number | null = null): number {
  const schedule = options.retryScheduleSeconds;
  const baseSeconds = schedule[Math.min(Math.max(attempt, 1), schedule.length) - 1] ?? 60;
  const jittered = baseSeconds * (1 + options.jitter * options.random());
  const seconds = retryAfterSeconds === null ? jittered : Math.max(jittered, Math.min(retryAfterSeconds, MAX_RETRY_AFTER_SECONDS));
  return Math.round(seconds * 1000);
}

/** `Retry-After: <seconds>` or `Retry-After: <HTTP date>`, as seconds from now. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (!value) return null;
  if (/^\d{1,9}$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.round((date - nowMs) / 1000));
}

function describeFetchError(error: unknown, shuttingDown: boolean, timeoutMs: number): string {
  if (shuttingDown) return 'aborted: the dispatcher stopped';
  if (error instanceof Error && error.name === 'TimeoutError') return `timeout: no answer within ${timeoutMs} ms`;
  if (error instanceof Error) {
    const cause = error.cause as { code?: string; message?: string } | undefined;
    const detail = cause?.code ?? cause?.message;
    return `network error: ${detail ? `${detail}` : error.message}`.slice(0, 500);
  }
  return 'network error';
}
