import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classifyAttempt, parseRetryAfter, retryDelayMs, defaultWebhookDispatcherOptions } from './webhook-dispatcher.service.ts';
import { generateWebhookSecret, signPayload, verifySignature } from './signing.ts';

const secret = 'whsec_test-secret-0123456789';
const body = Buffer.from('{"event":"report.created","report":{"description":"Đèn đường hỏng"}}');

describe('webhook signature', () => {
  it('is sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">, as an integrator computes it', () => {
    const expected = createHmac('sha256', secret).update(`1767225600.${body.toString('utf8')}`).digest('hex');
    expect(signPayload(secret, 1767225600, body)).toBe(`sha256=${expected}`);
    expect(signPayload(secret, 1767225600, body.toString('utf8'))).toBe(`sha256=${expected}`);
  });

  it('accepts a genuine request within five minutes either way', () => {
    const signature = signPayload(secret, 1_000_000, body);
    expect(verifySignature(secret, body, '1000000', signature, 1_000_000)).toBeNull();
    expect(verifySignature(secret, body, '1000000', signature, 1_000_300)).toBeNull();
    expect(verifySignature(secret, body, '1000000', signature, 999_700)).toBeNull();
    expect(verifySignature(secret, body, '1000000', signature.toUpperCase().replace('SHA256=', 'sha256='), 1_000_000)).toBeNull();
  });

  it('refuses a stale or future timestamp, even with a correct signature (replay protection)', () => {
    const signature = signPayload(secret, 1_000_000, body);
    expect(verifySignature(secret, body, '1000000', signature, 1_000_301)).toBe('stale');
    expect(verifySignature(secret, body, '1000000', signature, 999_699)).toBe('stale');
  });

  it('refuses a changed body, another secret, another timestamp, and missing or malformed headers', () => {
    const signature = signPayload(secret, 1_000_000, body);
    expect(verifySignature(secret, Buffer.from(`${body.toString()} `), '1000000', signature, 1_000_000)).toBe('mismatch');
    expect(verifySignature('another-secret-0123456789', body, '1000000', signature, 1_000_000)).toBe('mismatch');
    expect(verifySignature(secret, body, '1000001', signature, 1_000_000)).toBe('mismatch');
    expect(verifySignature(secret, body, undefined, signature, 1_000_000)).toBe('missing');
    expect(verifySignature(secret, body, '1000000', undefined, 1_000_000)).toBe('missing');
    expect(verifySignature(secret, body, '1e6', signature, 1_000_000)).toBe('malformed');
    expect(verifySignature(secret, body, '1000000', signature.slice(0, -2), 1_000_000)).toBe('malformed');
    expect(verifySignature(secret, body, '1000000', signature.replace('sha256=', 'md5='), 1_000_000)).toBe('malformed');
  });

  it('accepts any one of several signatures (a secret being rotated)', () => {
    const old = signPayload('old-secret-0123456789abcdef', 1_000_000, body);
    const current = signPayload(secret, 1_000_000, body);
    expect(verifySignature(secret, body, '1000000', `${old}, ${current}`, 1_000_000)).toBeNull();
    expect(verifySignature(secret, body, '1000000', `${old}`, 1_000_000)).toBe('mismatch');
  });

  it('generates long, distinct, recognisable secrets', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});

describe('retry policy', () => {
  it('delivers on 2xx, retries on no answer, 408, 425, 429 and 5xx, and gives up at once on other statuses', () => {
    expect([200, 201, 202, 204, 299].map(classifyAttempt)).toEqual(Array(5).fill('delivered'));
    expect([null, 408, 425, 429, 500, 502, 503, 504].map(classifyAttempt)).toEqual(Array(8).fill('retry'));
    expect([301, 302, 400, 401, 403, 404, 410, 413, 422].map(classifyAttempt)).toEqual(Array(9).fill('dead'));
  });

  it('waits 30 s, 2 min, 10 min, 1 h, 6 h, 12 h, 24 h (then 24 h), each lengthened by up to 20 %', () => {
    const none = { ...defaultWebhookDispatcherOptions, random: () => 0 };
    const most = { ...defaultWebhookDispatcherOptions, random: () => 0.999999 };
    const steps = [30, 120, 600, 3_600, 21_600, 43_200, 86_400, 86_400];
    steps.forEach((seconds, index) => {
      expect(retryDelayMs(index + 1, none)).toBe(seconds * 1000);
      expect(retryDelayMs(index + 1, most)).toBeCloseTo(seconds * 1200, -2);
    });
  });

  it('honours a longer Retry-After (seconds or a date), up to six hours', () => {
    const none = { ...defaultWebhookDispatcherOptions, random: () => 0 };
    expect(retryDelayMs(1, none, 90)).toBe(90_000);
    expect(retryDelayMs(1, none, 5)).toBe(30_000);
    expect(retryDelayMs(1, none, 999_999)).toBe(6 * 3_600_000);
    expect(parseRetryAfter('120', 0)).toBe(120);
    expect(parseRetryAfter(new Date(60_000).toUTCString(), 0)).toBe(60);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(null, 0)).toBeNull();
  });
});
