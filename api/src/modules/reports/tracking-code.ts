import { randomInt } from 'node:crypto';

/**
 * Tracking codes citizens read over the phone: "DB-" + 6 characters of Crockford's base-32 alphabet
 * (no I, L, O, U: nothing to confuse with 1, 0 or V). 32⁶ ≈ 1.07 billion codes; collisions are
 * retried by the caller.
 */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newTrackingCode(): string {
  let code = 'DB-';
  for (let index = 0; index < 6; index += 1) code += alphabet[randomInt(alphabet.length)];
  return code;
}
