import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { parseInput } from '../../http/validate-input.ts';
import type { Principal } from '../auth/auth.service.ts';
import { performStaffAction } from '../reports/report-workflow.service.ts';
import { staffActionSchema, type StaffAction } from '../reports/report-workflow.schema.ts';
import type { ReportsContext } from '../reports/reports-context.ts';
import { findOfficeByCode } from '../offices/offices.service.ts';
import { findReportIdByTrackingCode } from '../reports/reports.service.ts';
import { generateWebhookSecret, standardWebhooksSecret, verifySignedRequest, type SignatureHeaders, type SignatureProblem, type SignatureScheme } from './signing.ts';
import * as repository from './webhooks.repository.ts';
import type { WebhookTargetGuard } from './webhook-target-policy.ts';
import { inboundEnvelopeSchema, type DeliveriesQuery, type PutWebhookInput } from './webhooks.schema.ts';
import * as deliveries from './webhook-deliveries.repository.ts';
import * as inbound from './webhook-inbound.repository.ts';

// ---- configuration (staff) --------------------------------------------------------------------------

const officeNotFound = (code: string) => new AppError('NOT_FOUND', `No office has the code ${code}.`, { vi: `Không có cơ quan mã ${code}.` });

/**
 * The office a staff request is about: officers only ever their own; administrators and the IOC name
 * one (or, where `officeRequired` is false, none: every office).
 */
async function resolveOffice(db: Kysely<Database>, principal: Principal, officeCode: string | undefined, officeRequired: boolean) {
  if (principal.role === 'officer') {
    if (officeCode !== undefined && officeCode !== principal.officeCode) {
      throw new AppError('FORBIDDEN', 'Officers manage the webhook of their own office only.', { vi: 'Cán bộ chỉ quản lý webhook của đơn vị mình.' });
    }
    return { id: principal.officeId!, code: principal.officeCode!, name: principal.officeName ?? principal.officeCode! };
  }
  if (officeCode === undefined) {
    if (!officeRequired) return undefined;
    throw new AppError('VALIDATION_FAILED', 'officeCode is required: name the office whose webhook this is.', {
      vi: 'Thiếu officeCode: hãy chọn cơ quan.',
      details: [{ parameter: 'officeCode', problem: 'required for administrators' }],
    });
  }
  const office = await findOfficeByCode(db, officeCode);
  if (!office) throw officeNotFound(officeCode);
  return office;
}

function describeWebhook(webhook: repository.WebhookRow) {
  return {
    office: { code: webhook.office_code, name: webhook.office_name },
    url: webhook.url,
    active: webhook.active,
    createdAt: webhook.created_at.toISOString(),
    updatedAt: webhook.updated_at.toISOString(),
  };
}

/**
 * Sets an office's webhook. A secret is generated when the webhook is created without one, or when
 * asked to rotate it; only then is it in the answer (it is never shown again), as `secret` and as
 * `standardWebhooksSecret` (the same key in the `whsec_` form Standard Webhooks libraries take).
 */
export async function configureWebhook(db: Kysely<Database>, principal: Principal, input: PutWebhookInput, guard: WebhookTargetGuard, now: Date = new Date()) {
  if (principal.role !== 'officer' && principal.role !== 'admin') {
    throw new AppError('FORBIDDEN', 'Only officers (for their office) and administrators configure webhooks.', { vi: 'Chỉ cán bộ đơn vị và quản trị viên được cấu hình webhook.' });
  }
  // Deliveries are refused at connect time anyway; a URL that can never be delivered to is refused now.
  const problem = guard.problemWithUrl(input.url);
  if (problem) {
    throw new AppError('VALIDATION_FAILED', `url: ${problem}. Webhooks are delivered to public addresses only, unless the platform's operator allows the network (WEBHOOK_ALLOWED_NETWORKS).`, {
      vi: `url: ${problem}. Webhook chỉ được gửi tới địa chỉ công khai, trừ khi đơn vị vận hành cho phép mạng nội bộ đó (WEBHOOK_ALLOWED_NETWORKS).`,
      details: [{ parameter: 'url', problem }],
    });
  }
  const office = (await resolveOffice(db, principal, input.officeCode, true))!;
  return db.transaction().execute(async (transaction) => {
    const existing = await repository.findWebhookByOfficeId(transaction, office.id);
    const generated = input.secret === undefined && (existing === undefined || input.rotateSecret) ? generateWebhookSecret() : undefined;
    const secret = input.secret ?? generated ?? existing!.secret;
    const integrationUserId = existing?.integration_user_id ?? (await ensureIntegrationUser(transaction, office));
    const { created } = await repository.upsertWebhook(transaction, { officeId: office.id, url: input.url, secret, active: input.active, integrationUserId, now });
    const webhook = (await repository.findWebhookByOfficeId(transaction, office.id))!;
    // The office's own secret is not echoed, but its Standard Webhooks form is: they hold the secret
    // already, and the form saves them working it out (see `standardWebhooksSecret`).
    const shown = generated
      ? { secret: generated, standardWebhooksSecret: standardWebhooksSecret(generated) }
      : input.secret
        ? { standardWebhooksSecret: standardWebhooksSecret(input.secret) }
        : {};
    return { created, webhook: { ...describeWebhook(webhook), ...shown } };
  });
}

/** The account the office's document system acts as (see the inbound update below). */
async function ensureIntegrationUser(db: Kysely<Database>, office: { id: string; code: string; name: string }): Promise<string> {
  const email = `document-system.${office.code.toLowerCase().replace(/[^a-z0-9-]/g, '-')}@integration.bandoso.invalid`;
  return (
    (await repository.findUserIdByEmail(db, email)) ??
    repository.insertIntegrationUser(db, { email, displayName: `Hệ thống quản lý văn bản — ${office.name}`, officeId: office.id })
  );
}

export async function getWebhook(db: Kysely<Database>, principal: Principal, officeCode: string | undefined) {
  const office = (await resolveOffice(db, principal, officeCode, true))!;
  const webhook = await repository.findWebhookByOfficeId(db, office.id);
  if (!webhook) throw new AppError('NOT_FOUND', `The office ${office.code} has no webhook.`, { vi: `Cơ quan ${office.code} chưa cấu hình webhook.` });
  return describeWebhook(webhook);
}

/** The delivery log: officers see their office's; administrators and the IOC everyone's (or one office's). */
export async function listDeliveryLog(db: Kysely<Database>, principal: Principal, query: DeliveriesQuery) {
  const office = await resolveOffice(db, principal, query.office, false);
  const { rows, total } = await deliveries.listDeliveries(db, {
    ...(office ? { officeId: office.id } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.trackingCode ? { trackingCode: query.trackingCode } : {}),
    limit: query.limit,
    offset: query.offset,
  });
  const attempts = await deliveries.listAttempts(db, rows.map((row) => row.id));
  return {
    total,
    limit: query.limit,
    offset: query.offset,
    deliveries: rows.map((row) => ({
      id: row.id,
      idempotencyId: row.idempotency_id,
      event: row.topic,
      sequence: row.message_id,
      trackingCode: row.tracking_code,
      office: row.office_code,
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
      lastStatusCode: row.last_status_code,
      lastError: row.last_error,
      deliveredAt: row.delivered_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
      log: attempts
        .filter((attempt) => attempt.delivery_id === row.id)
        .map((attempt) => ({
          attempt: attempt.attempt,
          at: attempt.started_at.toISOString(),
          url: attempt.url,
          durationMs: attempt.duration_ms,
          statusCode: attempt.status_code,
          error: attempt.error,
          outcome: attempt.outcome,
        })),
    })),
  };
}

/** Sends a delivery again, with its original id and body (e.g. once the receiver is fixed). */
export async function redeliver(db: Kysely<Database>, principal: Principal, deliveryId: number, now: Date = new Date()) {
  const delivery = await deliveries.findDelivery(db, deliveryId);
  const allowed = delivery && (principal.role === 'admin' || (principal.role === 'officer' && principal.officeId === delivery.office_id));
  if (!delivery || !allowed) throw new AppError('NOT_FOUND', `No delivery ${deliveryId} among your office's.`, { vi: 'Không tìm thấy lần gửi này.' });
  if (delivery.status === 'pending') {
    throw new AppError('CONFLICT', 'That delivery is still being tried; wait for its next attempt.', { vi: 'Lần gửi này vẫn đang được thử lại.' });
  }
  await deliveries.requeueDelivery(db, deliveryId, now);
}

// ---- inbound status updates (the document system posts back) ----------------------------------------

export interface InboundRequest {
  officeCode: string;
  /** The body exactly as received (undefined when it was not JSON). */
  rawBody: Buffer | undefined;
  /** The parsed JSON body. */
  body: unknown;
  /** Standard Webhooks headers, or the earlier X-Bandoso ones (accepted until 0.3.0). */
  signature: SignatureHeaders;
}

export interface InboundResult {
  externalId: string;
  trackingCode: string;
  status: string;
  /** true: this externalId was applied before; nothing changed now. */
  replayed: boolean;
}

/** An update whose processing began this long ago and never finished is taken to have been abandoned. */
const ABANDONED_AFTER_MS = 2 * 60_000;

const STANDARD_HEADERS = 'webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks)';
const LEGACY_HEADERS = 'X-Bandoso-Timestamp and X-Bandoso-Signature (deprecated)';

const signatureMessages: Record<SignatureScheme, Record<SignatureProblem, string>> = {
  'standard-webhooks': {
    missing: 'send all three of webhook-id, webhook-timestamp and webhook-signature.',
    malformed:
      'webhook-id must be 1–256 printable ASCII characters without "." or spaces, webhook-timestamp Unix seconds, and webhook-signature space-separated "v1,<base64 of the 32-byte HMAC>" entries.',
    stale: 'webhook-timestamp is more than 5 minutes from our clock: sign each request when you send it (and check your clock).',
    mismatch:
      'webhook-signature does not match: sign "<webhook-id>.<webhook-timestamp>.<raw body>" with HMAC-SHA256 and the office\'s secret (a Standard Webhooks library takes its whsec_ form, standardWebhooksSecret, not secret itself: see docs/webhooks.md).',
  },
  legacy: {
    missing: 'send both X-Bandoso-Timestamp and X-Bandoso-Signature.',
    malformed: 'X-Bandoso-Timestamp must be Unix seconds and X-Bandoso-Signature "sha256=<64 hex digits>".',
    stale: 'X-Bandoso-Timestamp is more than 5 minutes from our clock: sign each request when you send it (and check your clock).',
    mismatch: 'X-Bandoso-Signature does not match: sign "<timestamp>.<raw body>" with HMAC-SHA256 and the office\'s webhook secret.',
  },
};

/** Why a request is refused, naming the headers it should have sent (docs/webhooks.md explains both). */
function describeSignatureProblems(problems: { scheme: SignatureScheme; problem: SignatureProblem }[]): string {
  if (problems.length === 0) return `The request must be signed: send ${STANDARD_HEADERS}, or ${LEGACY_HEADERS}.`;
  const parts = problems.map(({ scheme, problem }) => `${scheme === 'standard-webhooks' ? 'Standard Webhooks' : 'X-Bandoso headers'}: ${signatureMessages[scheme][problem]}`);
  return `The signature does not verify. ${parts.join(' ')}`;
}

/**
 * A status update from an office's document system, applied through the same workflow as staff
 * actions. The caller is trusted only after the signature (HMAC with the office's webhook secret) and
 * its timestamp check out; until then nothing is written. It then acts as the office's integration
 * account (an officer of that office), so it can do exactly what the office's staff can, on that
 * office's reports only.
 */
export async function receiveInboundUpdate(context: ReportsContext, request: InboundRequest, now: Date = new Date()): Promise<InboundResult> {
  const { db } = context;
  const office = await findOfficeByCode(db, request.officeCode);
  if (!office) throw officeNotFound(request.officeCode);
  const webhook = await repository.findWebhookByOfficeId(db, office.id);
  if (!webhook || !webhook.active || !webhook.integration_user_id) {
    throw new AppError('UNAUTHENTICATED', `The office ${office.code} has no active webhook, so there is no secret to check this request with.`, {
      vi: `Cơ quan ${office.code} chưa bật webhook nên không thể xác thực yêu cầu.`,
    });
  }
  if (!request.rawBody) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the update as JSON (Content-Type: application/json).', { vi: 'Hãy gửi dữ liệu dạng JSON (Content-Type: application/json).' });
  }
  const verdict = verifySignedRequest(webhook.secret, request.rawBody, request.signature, Math.floor(now.getTime() / 1000));
  if (!verdict.genuine) throw new AppError('UNAUTHENTICATED', describeSignatureProblems(verdict.problems), { vi: 'Chữ ký của yêu cầu không hợp lệ.' });

  const { envelope, action } = parseInboundBody(request.body);
  const requestHash = inboundRequestHash(envelope.trackingCode, action);
  const reportId = await findReportIdByTrackingCode(db, envelope.trackingCode);
  if (!reportId) {
    throw new AppError('NOT_FOUND', `No report of ${office.code} has the tracking code ${envelope.trackingCode}.`, { vi: `Không tìm thấy phản ánh mã ${envelope.trackingCode}.` });
  }
  const principal = integrationPrincipal(webhook.integration_user_id, office);
  const occurredAt = envelope.occurredAt ? new Date(envelope.occurredAt) : null;

  const recorded = await inbound.insertInboundUpdate(db, {
    officeId: office.id,
    externalId: envelope.externalId,
    requestHash,
    reportId,
    action: action.action,
    occurredAt,
    receivedAt: now,
  });
  if (!recorded) {
    const earlier = await inbound.findInboundUpdate(db, office.id, envelope.externalId);
    if (!earlier) return receiveInboundUpdate(context, request, now); // refused meanwhile and forgotten: try afresh
    if (earlier.request_hash !== requestHash) {
      throw new AppError('CONFLICT', `externalId ${envelope.externalId} was already used for a different update; give each update its own id.`, {
        vi: `Mã externalId ${envelope.externalId} đã được dùng cho một cập nhật khác.`,
      });
    }
    if (earlier.state === 'applied') {
      return { externalId: envelope.externalId, trackingCode: earlier.tracking_code, status: earlier.result_status ?? '', replayed: true };
    }
    // Still 'processing': in flight elsewhere, or abandoned by a process that died.
    const abandonedBefore = new Date(now.getTime() - ABANDONED_AFTER_MS);
    if (earlier.received_at >= abandonedBefore) {
      throw new AppError('CONFLICT', `The update ${envelope.externalId} is being applied right now; send it again in a minute.`, {
        vi: 'Cập nhật này đang được xử lý; hãy gửi lại sau ít phút.',
      });
    }
    // Did the abandoned attempt get as far as changing the report? Its event has its exact instant.
    const applied = await inbound.integrationEventExists(db, earlier.report_id, webhook.integration_user_id, earlier.received_at);
    if (applied) {
      await inbound.markInboundUpdateApplied(db, office.id, envelope.externalId, applied.status, now);
      return { externalId: envelope.externalId, trackingCode: earlier.tracking_code, status: applied.status, replayed: true };
    }
    if (!(await inbound.retakeInboundUpdate(db, office.id, envelope.externalId, abandonedBefore, now))) {
      throw new AppError('CONFLICT', `The update ${envelope.externalId} is being applied right now; send it again in a minute.`, {
        vi: 'Cập nhật này đang được xử lý; hãy gửi lại sau ít phút.',
      });
    }
  }

  try {
    // `now` becomes the event's instant, which is how the outbound delivery of this change names its externalId.
    const result = await performStaffAction(context, principal, reportId, action, [], now);
    await inbound.markInboundUpdateApplied(db, office.id, envelope.externalId, result.status, now);
    return { externalId: envelope.externalId, trackingCode: result.trackingCode, status: result.status, replayed: false };
  } catch (error) {
    // Refused (e.g. an impossible transition): nothing changed, so the id is free for a corrected update.
    await inbound.deleteInboundUpdate(db, office.id, envelope.externalId);
    throw error;
  }
}

/** What makes two posts the same update (the signature and `occurredAt` may differ between retries). */
export function inboundRequestHash(trackingCode: string, action: StaffAction): string {
  return createHash('sha256').update(JSON.stringify({ trackingCode, ...action })).digest('hex');
}

function parseInboundBody(body: unknown) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('VALIDATION_FAILED', 'The body must be a JSON object.', { vi: 'Nội dung phải là một đối tượng JSON.' });
  }
  const { trackingCode, externalId, occurredAt, ...rest } = body as Record<string, unknown>;
  const envelope = parseInput(inboundEnvelopeSchema, { trackingCode, externalId, occurredAt }, 'body');
  const action = parseInput(staffActionSchema, rest, 'body');
  return { envelope, action };
}

/**
 * The document system acts as an officer of its office, through an account of its own (inactive, no
 * password: it cannot sign in), so the timeline records who changed the report and the workflow's
 * permission checks apply unchanged: only that office's reports, only the transitions staff may make.
 */
function integrationPrincipal(userId: string, office: { id: string; code: string; name: string }): Principal {
  return {
    userId,
    email: '',
    displayName: `Document system of ${office.code}`,
    role: 'officer',
    officeId: office.id,
    officeCode: office.code,
    officeName: office.name,
    sessionId: '',
    sessionKind: 'bearer',
    csrfToken: '',
  };
}
