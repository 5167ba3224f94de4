import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The webhook signature, both directions (Stripe/GitHub style; README.md in this folder shows how a
 * document system verifies it):
 *
 *   X-Bandoso-Timestamp: <Unix time in seconds when the request was signed>
 *   X-Bandoso-Signature: sha256=<lowercase hex HMAC-SHA256(secret, "<timestamp>.<raw body bytes>")>
 *
 * Signing the timestamp with the body lets a receiver refuse replays of an old, captured request
 * (older than `SIGNATURE_TOLERANCE_SECONDS`); signing the raw bytes, not re-serialised JSON, means
 * both sides hash exactly what travelled.
 */
export const EVENT_HEADER = 'X-Bandoso-Event';
export const DELIVERY_HEADER = 'X-Bandoso-Delivery';
export const ATTEMPT_HEADER = 'X-Bandoso-Attempt';
export const TIMESTAMP_HEADER = 'X-Bandoso-Timestamp';
export const SIGNATURE_HEADER = 'X-Bandoso-Signature';

/** How far a signed timestamp may be from our clock (either way) before the request is refused. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const SIGNATURE_PREFIX = 'sha256=';

/** A new shared secret: 32 random bytes, URL-safe base64 (43 characters), prefixed so it is recognisable. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signPayload(secret: string, timestamp: number, rawBody: Buffer | string): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(rawBody);
  return `${SIGNATURE_PREFIX}${mac.digest('hex')}`;
}

export type SignatureProblem = 'missing' | 'malformed' | 'stale' | 'mismatch';

/**
 * Checks a signed request. Returns null when it is genuine, else what is wrong with it. The HMAC
 * comparison is constant-time, so the answer's timing reveals nothing about the expected signature.
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
