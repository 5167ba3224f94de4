import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed stream URLs. `POST /api/cameras/{id}/watch` answers a playlist URL carrying `exp` (Unix
 * seconds) and `sig` (HMAC-SHA256 of the camera id and `exp`, base64url); the playlist and every
 * segment it names carry the same pair. A URL is bound to one camera, expires, and cannot be
 * altered: checking it needs no database and no session, so a segment costs one HMAC.
 */
export class CameraUrlSigner {
  readonly #key: Buffer;

  constructor(secret: string) {
    this.#key = Buffer.from(secret, 'utf8');
  }

  sign(cameraId: string, expiresAtS: number): string {
    return createHmac('sha256', this.#key).update(`${cameraId}.${expiresAtS}`).digest('base64url');
  }

  /** The query of a signed URL: `exp=…&sig=…`. */
  query(cameraId: string, expiresAtS: number): string {
    return `exp=${expiresAtS}&sig=${this.sign(cameraId, expiresAtS)}`;
  }

  /** What is wrong with a URL's `exp` and `sig` for this camera at `nowS`, or undefined when it is valid. */
  problem(cameraId: string, exp: unknown, sig: unknown, nowS: number): 'missing' | 'expired' | 'invalid' | undefined {
    if (typeof exp !== 'string' || typeof sig !== 'string' || exp === '' || sig === '') return 'missing';
    if (!/^\d{1,12}$/.test(exp) || !/^[\w-]{43}$/.test(sig)) return 'invalid';
    // Compared as the text signed, not as decoded bytes: the last of 43 base64url characters carries
    // 2 unused bits, so 'A' and 'B' there decode alike, and a tampered signature passed 1 time in 16.
    const expected = Buffer.from(this.sign(cameraId, Number(exp)), 'ascii');
    const given = Buffer.from(sig, 'ascii');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    if (Number(exp) <= nowS) return 'expired';
    return undefined;
  }
}
