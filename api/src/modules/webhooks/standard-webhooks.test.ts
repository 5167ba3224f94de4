import { describe, expect, it } from 'vitest';
import {
  generateWebhookSecret,
  signPayload,
  signStandardWebhook,
  standardWebhooksSecret,
  verifySignedRequest,
  verifyStandardWebhook,
  webhookSigningKey,
} from './signing.ts';
import { Webhook } from 'standardwebhooks';

const secret = 'whsec_test-secret-0123456789';
const key = webhookSigningKey(secret);
const body = Buffer.from('{"event":"report.created","report":{"description":"Đèn đường hỏng"}}');
const id = '6f1c2e0a-7d3b-4c55-9a1e-2b8f0d6c4e11';

/** The headers as a partner's library reads them off the request. */
const headersOf = (messageId: string, timestamp: number, signature: string) => ({ 'webhook-id': messageId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature });

describe('Standard Webhooks signature (webhook-id, webhook-timestamp, webhook-signature)', () => {
  it('matches the known answer of the Standard Webhooks libraries’ test vector', () => {
    // Key, id, timestamp and payload of the vector the official libraries test with; the answer is
    // what `standardwebhooks` 1.3.0 signs them to.
    const vectorKey = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
    expect(signStandardWebhook(vectorKey, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('presents an office secret as whsec_ + base64 of its bytes, which a partner’s verifier takes as it is', () => {
    const now = Math.floor(Date.now() / 1000);
    // Generated secrets (base64url, often with "-" or "_") and an office's own choice alike.
    for (const office of [secret, generateWebhookSecret(), generateWebhookSecret(), 'our-own-TDOffice-secret!2026']) {
      const presented = standardWebhooksSecret(office);
      expect(presented).toBe(`whsec_${Buffer.from(office, 'utf8').toString('base64')}`);
      const signature = signStandardWebhook(webhookSigningKey(office), id, now, body);
      expect(new Webhook(presented).verify(body, headersOf(id, now, signature))).toEqual(JSON.parse(body.toString()));
    }
    // The key is the secret's own bytes, which the earlier scheme has always keyed with: one secret, two schemes.
    expect(webhookSigningKey(secret).equals(Buffer.from(secret, 'utf8'))).toBe(true);
  });

  it('accepts what a partner’s library signs, within five minutes either way', () => {
    const partner = new Webhook(standardWebhooksSecret(secret));
    const signature = partner.sign(id, new Date(1_000_000_000), body);
    expect(verifyStandardWebhook(key, body, id, '1000000', signature, 1_000_000)).toBeNull();
    expect(verifyStandardWebhook(key, body, id, '1000000', signature, 1_000_300)).toBeNull();
    expect(verifyStandardWebhook(key, body, id, '1000000', signature, 999_700)).toBeNull();
    expect(verifyStandardWebhook(key, body, id, '1000000', signature, 1_000_301)).toBe('stale');
    expect(verifyStandardWebhook(key, body, id, '1000000', signature, 999_699)).toBe('stale');
  });

  it('accepts any one v1 signature of several (a secret being rotated), skipping other versions', () => {
    const current = signStandardWebhook(key, id, 1_000_000, body);
    const old = signStandardWebhook(webhookSigningKey('the-previous-secret-0123'), id, 1_000_000, body);
    const asymmetric = 'v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==';
    expect(verifyStandardWebhook(key, body, id, '1000000', `${old} ${current}`, 1_000_000)).toBeNull();
    expect(verifyStandardWebhook(key, body, id, '1000000', `${asymmetric} ${current}`, 1_000_000)).toBeNull();
    expect(verifyStandardWebhook(key, body, id, '1000000', old, 1_000_000)).toBe('mismatch');
    expect(verifyStandardWebhook(key, body, id, '1000000', asymmetric, 1_000_000)).toBe('malformed');
  });

  it('refuses another body, id, timestamp or secret, and missing or malformed headers', () => {
    const signature = signStandardWebhook(key, id, 1_000_000, body);
    expect(verifyStandardWebhook(key, Buffer.from(`${body.toString()} `), id, '1000000', signature, 1_000_000)).toBe('mismatch');
    expect(verifyStandardWebhook(key, body, `${id}x`, '1000000', signature, 1_000_000)).toBe('mismatch');
    expect(verifyStandardWebhook(key, body, id, '1000001', signature, 1_000_000)).toBe('mismatch');
    expect(verifyStandardWebhook(webhookSigningKey('another-secret-0123456789'), body, id, '1000000', signature, 1_000_000)).toBe('mismatch');
    expect(verifyStandardWebhook(key, body, undefined, '1000000', signature, 1_000_000)).toBe('missing');
    expect(verifyStandardWebhook(key, body, id, undefined, signature, 1_000_000)).toBe('missing');
    expect(verifyStandardWebhook(key, body, id, '1000000', undefined, 1_000_000)).toBe('missing');
    expect(verifyStandardWebhook(key, body, 'msg.with.dots', '1000000', signature, 1_000_000)).toBe('malformed');
    expect(verifyStandardWebhook(key, body, id, '1e6', signature, 1_000_000)).toBe('malformed');
    expect(verifyStandardWebhook(key, body, id, '1000000', signature.slice(0, -4), 1_000_000)).toBe('malformed');
    expect(verifyStandardWebhook(key, body, id, '1000000', signPayload(secret, 1_000_000, body), 1_000_000)).toBe('malformed');
  });
});

describe('an inbound request signed either way', () => {
  const now = 1_000_000;
  const standard = { webhookId: id, webhookTimestamp: String(now), webhookSignature: signStandardWebhook(key, id, now, body) };
  const legacy = { legacyTimestamp: String(now), legacySignature: signPayload(secret, now, body) };

  it('is genuine with the Standard Webhooks headers, the earlier ones, or both', () => {
    expect(verifySignedRequest(secret, body, standard, now)).toEqual({ genuine: true, scheme: 'standard-webhooks' });
    expect(verifySignedRequest(secret, body, legacy, now)).toEqual({ genuine: true, scheme: 'legacy' });
    expect(verifySignedRequest(secret, body, { ...standard, ...legacy }, now)).toEqual({ genuine: true, scheme: 'standard-webhooks' });
    expect(verifySignedRequest(secret, body, { ...standard, webhookSignature: 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', ...legacy }, now)).toEqual({ genuine: true, scheme: 'legacy' });
  });

  it('names what is wrong with each scheme it tried, and nothing when it was not signed', () => {
    expect(verifySignedRequest(secret, body, {}, now)).toEqual({ genuine: false, problems: [] });
    expect(verifySignedRequest('another-secret-0123456789', body, { ...standard, ...legacy }, now)).toEqual({
      genuine: false,
      problems: [
        { scheme: 'standard-webhooks', problem: 'mismatch' },
        { scheme: 'legacy', problem: 'mismatch' },
      ],
    });
    expect(verifySignedRequest(secret, body, { webhookId: id }, now)).toEqual({ genuine: false, problems: [{ scheme: 'standard-webhooks', problem: 'missing' }] });
    expect(verifySignedRequest(secret, body, legacy, now + 301)).toEqual({ genuine: false, problems: [{ scheme: 'legacy', problem: 'stale' }] });
  });
});
