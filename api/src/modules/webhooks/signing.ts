import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Webhook signatures, both directions. docs/webhooks.md is the partners' guide.
 *
 * Standard Webhooks (https://www.standardwebhooks.com), so that a partner verifies with a stock
 * library in any language instead of code of their own:
 *
 *   webhook-id:        <the delivery's id: the same on every retry and redelivery>
 *   webhook-timestamp: <Unix time in seconds when this attempt was signed>
 *   webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<raw body bytes>")>  (space-separated list)
 *
 * The earlier scheme, sent and accepted alongside for one release (0.2.0) and removed in 0.3.0:
 *
 *   X-Bandoso-Timestamp: <Unix time in seconds>
 *   X-Bandoso-Signature: sha256=<lowercase hex HMAC-SHA256(key, "<timestamp>.<raw body bytes>")>
 *
 * Both key the HMAC with the same bytes (`webhookSigningKey`), so one secret serves both. Signing the
 * timestamp lets a receiver refuse replays of an old, captured request (older than
 * `SIGNATURE_TOLERANCE_SECONDS`); signing the raw bytes, not re-serialised JSON, means both sides
 * hash exactly what travelled.
 */
export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/** Not part of Standard Webhooks (whose payload carries its type; ours does too, as `event`), so it stays. */
export const EVENT_HEADER = 'X-Bandoso-Event';
/** Not part of Standard Webhooks; it stays. */
export const ATTEMPT_HEADER = 'X-Bandoso-Attempt';
/** @deprecated Sent until 0.3.0: `webhook-id` carries the same value. */
export const DELIVERY_HEADER = 'X-Bandoso-Delivery';
/** @deprecated Sent and accepted until 0.3.0: use `webhook-timestamp`. */
export const TIMESTAMP_HEADER = 'X-Bandoso-Timestamp';
/** @deprecated Sent and accepted until 0.3.0: use `webhook-signature`. */
export const SIGNATURE_HEADER = 'X-Bandoso-Signature';

/** How far a signed timestamp may be from our clock (either way) before the request is refused. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const SIGNATURE_PREFIX = 'sha256=';

/** A new shared secret: 32 random bytes, URL-safe base64 (43 characters), prefixed so it is recognisable. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

// ---- the earlier scheme (X-Bandoso-Timestamp, X-Bandoso-Signature) -------------------------------

/** @deprecated The earlier scheme, sent until 0.3.0: `signStandardWebhook` replaces it. */
export function signPayload(secret: string, timestamp: number, rawBody: Buffer | string): string {
  const mac = createHmac('sha256', webhookSigningKey(secret));
  mac.update(`${timestamp}.`);
  mac.update(rawBody);
  return `${SIGNATURE_PREFIX}${mac.digest('hex')}`;
}

export type SignatureProblem = 'missing' | 'malformed' | 'stale' | 'mismatch';

/**
 * Checks a request signed the earlier way. Returns null when it is genuine, else what is wrong with
 * it. The HMAC comparison is constant-time, so the answer's timing reveals nothing about the expected
 * signature.
 *
 * @deprecated Accepted until 0.3.0: `verifySignedRequest` takes either scheme.
 */
export function verifySignature(
  secret: string,
  rawBody: Buffer,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  nowSeconds: number = Math.floor(Date.now() / 1000),
  toleranceSeconds: number = SIGNATURE_TOLERANCE_SECONDS,
): SignatureProblem | null {
  if (!timestampHeader || !signatureHeader) return 'missing';
  if (!/^\d{1,12}$/.test(timestampHeader.trim())) return 'malformed';
  const timestamp = Number(timestampHeader.trim());
  // Several signatures may be sent (comma-separated) while a secret is being rotated; one must match.
  const candidates = signatureHeader.split(',').map((part) => part.trim());
  if (!candidates.every((candidate) => /^sha256=[0-9a-f]{64}$/i.test(candidate))) return 'malformed';
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return 'stale';
  const expected = Buffer.from(signPayload(secret, timestamp, rawBody).slice(SIGNATURE_PREFIX.length), 'hex');
  let matched = false;
  for (const candidate of candidates) {
    const given = Buffer.from(candidate.slice(SIGNATURE_PREFIX.length).toLowerCase(), 'hex');
    // Every candidate is compared (no early exit), each in constant time.
    if (timingSafeEqual(given, expected)) matched = true;
  }
  return matched ? null : 'mismatch';
}

// ---- Standard Webhooks ---------------------------------------------------------------------------

const STANDARD_SECRET_PREFIX = 'whsec_';

/**
 * The HMAC key of an office's secret: the secret's own UTF-8 bytes. That is what the earlier scheme has
 * always keyed with (an HMAC keyed with a string), so every secret already handed out — generated
 * or chosen by the office, whatever its form — signs both schemes unchanged. Reading our generated
 * `whsec_…` secrets as Standard Webhooks' base64 instead would not do: they are base64url (a stock
 * library refuses their `-` and `_`), and an office's own secret need not be base64 at all.
 */
export function webhookSigningKey(secret: string): Buffer {
  return Buffer.from(secret, 'utf8');
}

/**
 * The secret as a Standard Webhooks library takes it: `whsec_` + base64 of the key bytes. Shown
 * beside `secret` whenever the secret is; an office that has only `secret` can derive it the same way.
 */
export function standardWebhooksSecret(secret: string): string {
  return `${STANDARD_SECRET_PREFIX}${webhookSigningKey(secret).toString('base64')}`;
}

/** `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<raw body>")>`, one entry of `webhook-signature`. */
export function signStandardWebhook(key: Buffer, messageId: string, timestamp: number, rawBody: Buffer | string): string {
  return `v1,${standardWebhookMac(key, messageId, timestamp, rawBody).toString('base64')}`;
}

function standardWebhookMac(key: Buffer, messageId: string, timestamp: number, rawBody: Buffer | string): Buffer {
  const mac = createHmac('sha256', key);
  mac.update(`${messageId}.${timestamp}.`);
  mac.update(rawBody);
  return mac.digest();
}

// A `.` in the id would let "<id>.<timestamp>." be split more than one way (the specification asks
// for ids without one).
const MESSAGE_ID = /^[\x21-\x7e]{1,256}$/;
const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE_ENTRY = /^(v[0-9a-z]+),(\S+)$/;
// 32 bytes of base64 (standard alphabet, or URL-safe; the padding optional).
const V1_SIGNATURE = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * Checks a request signed the Standard Webhooks way. Returns null when it is genuine, else what is
 * wrong with it. Entries of other versions (e.g. `v1a`, asymmetric) are skipped, as the
 * specification asks; one `v1` entry must match. Every entry is compared, each in constant time.
 */
export function verifyStandardWebhook(
  key: Buffer,
  rawBody: Buffer,
  idHeader: string | undefined,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  nowSeconds: number = Math.floor(Date.now() / 1000),
  toleranceSeconds: number = SIGNATURE_TOLERANCE_SECONDS,
): SignatureProblem | null {
  if (!idHeader || !timestampHeader || !signatureHeader) return 'missing';
  const messageId = idHeader.trim();
  if (!MESSAGE_ID.test(messageId) || messageId.includes('.')) return 'malformed';
  if (!TIMESTAMP.test(timestampHeader.trim())) return 'malformed';
  const timestamp = Number(timestampHeader.trim());
  const entries = signatureHeader.trim().split(/\s+/).map((entry) => SIGNATURE_ENTRY.exec(entry));
  if (entries.some((entry) => entry === null)) return 'malformed';
  const candidates = entries.flatMap((entry) => (entry![1] === 'v1' ? [entry![2]!] : []));
  if (candidates.length === 0 || !candidates.every((candidate) => V1_SIGNATURE.test(candidate))) return 'malformed';
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return 'stale';
  const expected = standardWebhookMac(key, messageId, timestamp, rawBody);
  let matched = false;
  for (const candidate of candidates) {
    if (timingSafeEqual(Buffer.from(candidate, 'base64'), expected)) matched = true;
  }
  return matched ? null : 'mismatch';
}

// ---- either scheme (inbound) ----------------------------------------------------------------------

export type SignatureScheme = 'standard-webhooks' | 'legacy';

/** The signature headers of a request, as received (undefined: absent). */
export interface SignatureHeaders {
  webhookId?: string | undefined;
  webhookTimestamp?: string | undefined;
  webhookSignature?: string | undefined;
  /** `X-Bandoso-Timestamp` (deprecated; accepted until 0.3.0). */
  legacyTimestamp?: string | undefined;
  /** `X-Bandoso-Signature` (deprecated; accepted until 0.3.0). */
  legacySignature?: string | undefined;
}

export type SignedRequestVerdict =
  | { genuine: true; scheme: SignatureScheme }
  /** `problems` names each scheme the request tried (none: it was not signed at all). */
  | { genuine: false; problems: { scheme: SignatureScheme; problem: SignatureProblem }[] };

/**
 * A request signed either way is genuine when the scheme it used verifies. A request that sends both
 * header sets is genuine when either verifies (a partner moving over may send both for a while).
 */
export function verifySignedRequest(
  secret: string,
  rawBody: Buffer,
  headers: SignatureHeaders,
  nowSeconds: number = Math.floor(Date.now() / 1000),
  toleranceSeconds: number = SIGNATURE_TOLERANCE_SECONDS,
): SignedRequestVerdict {
  const problems: { scheme: SignatureScheme; problem: SignatureProblem }[] = [];
  if (headers.webhookId !== undefined || headers.webhookTimestamp !== undefined || headers.webhookSignature !== undefined) {
    const problem = verifyStandardWebhook(webhookSigningKey(secret), rawBody, headers.webhookId, headers.webhookTimestamp, headers.webhookSignature, nowSeconds, toleranceSeconds);
    if (problem === null) return { genuine: true, scheme: 'standard-webhooks' };
    problems.push({ scheme: 'standard-webhooks', problem });
  }
  if (headers.legacyTimestamp !== undefined || headers.legacySignature !== undefined) {
    const problem = verifySignature(secret, rawBody, headers.legacyTimestamp, headers.legacySignature, nowSeconds, toleranceSeconds);
    if (problem === null) return { genuine: true, scheme: 'legacy' };
    problems.push({ scheme: 'legacy', problem });
  }
  return { genuine: false, problems };
}

declare module 'node:http' {
  interface IncomingMessage {
    /** The request body exactly as received; kept only for signed webhook requests. */
    rawBody?: Buffer;
  }
}

/**
 * `verify` hook for `express.json()`: keeps the raw bytes of requests to `/api/webhooks/…`, which
 * the inbound webhook needs to check the signature (the parsed JSON cannot be re-serialised into the
 * bytes that were signed). Other requests keep nothing extra.
 */
export function keepRawWebhookBody(request: IncomingMessage, _response: unknown, body: Buffer): void {
  if (request.url?.startsWith('/api/webhooks/')) request.rawBody = body;
}
