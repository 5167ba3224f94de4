import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * For tests only: a partner's Standard Webhooks verifier, written from the specification's text
 * (spec/standard-webhooks.md, "Signature scheme", "Webhook headers", "Verifying signatures") with
 * node:crypto and nothing from signing.ts, so the tests check our signatures against an independent
 * reading of the standard rather than against themselves.
 *
 * It has the shape of the reference library's `Webhook` class (npm `standardwebhooks`), which is not
 * a dependency yet: once it is, the tests import `Webhook` from there instead and this file goes.
 */
export class ReferenceWebhookVerificationError extends Error {}

const TOLERANCE_SECONDS = 5 * 60;

export class ReferenceWebhook {
  readonly #key: Buffer;

  /** `whsec_` + base64 of the key bytes, as the specification serialises a symmetric secret. */
  constructor(secret: string) {
    const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
    // Standard base64 only, as the reference library decodes it: base64url's "-" and "_" are refused.
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new Error('the secret is not base64');
    this.#key = Buffer.from(encoded, 'base64');
  }

  /** `v1,<base64 HMAC-SHA256 of "<msg_id>.<timestamp>.<payload>">`. */
  sign(messageId: string, timestamp: Date, payload: string | Buffer): string {
    const seconds = Math.floor(timestamp.getTime() / 1000);
    const content = Buffer.concat([Buffer.from(`${messageId}.${seconds}.`, 'utf8'), typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload]);
    return `v1,${createHmac('sha256', this.#key).update(content).digest('base64')}`;
  }

  /** The parsed payload when one of the space-separated signatures matches; throws otherwise. */
  verify(payload: string | Buffer, headers: Record<string, string | string[] | undefined>): unknown {
    const lowerCase = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value[0] : value]));
    const messageId = lowerCase['webhook-id'];
    const timestampHeader = lowerCase['webhook-timestamp'];
    const signatures = lowerCase['webhook-signature'];
    if (!messageId || !timestampHeader || !signatures) throw new ReferenceWebhookVerificationError('Missing required headers');
    const timestamp = Number.parseInt(timestampHeader, 10);
    if (Number.isNaN(timestamp)) throw new ReferenceWebhookVerificationError('Invalid timestamp');
    if (Math.abs(Math.floor(Date.now() / 1000) - timestamp) > TOLERANCE_SECONDS) throw new ReferenceWebhookVerificationError('Timestamp out of tolerance');
    const expected = Buffer.from(this.sign(messageId, new Date(timestamp * 1000), payload));
    const matches = signatures.split(' ').some((entry) => {
      const given = Buffer.from(entry);
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!matches) throw new ReferenceWebhookVerificationError('No matching signature found');
    return JSON.parse(payload.toString());
  }
}
