/**
 * The camera player's recovery rules, apart from hls.js and the DOM so that they can be unit-tested:
 * how long to wait before trying again, what to do about a media error, when a picture that does not
 * move counts as frozen, and how a signed stream URL is swapped for a renewed one under hls.js.
 */

/** The longest wait between two attempts: a camera that is down is asked about twice a minute. */
export const maxRetryDelayMs = 30_000;

/**
 * The wait before attempt `attempt + 1` (0-based): 1 s, 2 s, 4 s … 30 s, spread by ±20 % so that the
 * nine players of a video wall whose cameras came back do not all ask at the same instant; never
 * sooner than the platform's Retry-After.
 */
export function retryDelayMs(attempt: number, retryAfterS?: number, random: () => number = Math.random): number {
  const backoff = Math.min(maxRetryDelayMs, 1000 * 2 ** Math.max(0, attempt));
  const spread = backoff * (0.8 + 0.4 * random());
  return Math.round(Math.max(spread, (retryAfterS ?? 0) * 1000));
}

export type MediaRecoveryStep = 'recover' | 'swap-audio-codec' | 'reload';

/**
 * What to do about a fatal media error, as hls.js's documentation advises: first
 * `recoverMediaError()`; if another comes soon after, swap the audio codec and recover again; if
 * that does not help either, reload the stream. Errors further apart than `quickMs` start over.
 */
export function createMediaErrorEscalation(quickMs = 10_000): { next(nowMs: number): MediaRecoveryStep; reset(): void } {
  let count = 0;
  let lastAt = -Infinity;
  return {
    next(nowMs) {
      count = nowMs - lastAt > quickMs ? 1 : count + 1;
      lastAt = nowMs;
      if (count === 1) return 'recover';
      if (count === 2) return 'swap-audio-codec';
      count = 0;
      lastAt = -Infinity;
      return 'reload';
    },
    reset() {
      count = 0;
      lastAt = -Infinity;
    },
  };
}

/**
 * How long the picture may stand still while it should play before it counts as frozen: three
 * segments (a live playlist may lag by that much), and never less than 15 s.
 */
export function frozenAfterMs(targetDurationS: number | undefined): number {
  return Math.max(15_000, 3 * 1000 * (targetDurationS ?? 0));
}

/** The first picture of a (re)started stream may take this long (playlist, first segments). */
export const firstPictureGraceMs = 25_000;

/** How long the picture may stand still before the badge says "reconnecting" (hls.js may still catch up by itself). */
export const stallNoticeMs = 4_000;

/**
 * When to ask for a new URL: at `renewAfterS`, and in any case well before `expiresAt` (a slow
 * answer or a clock step must not leave the player with an expired URL); never sooner than 1 s.
 */
export function renewalDelayMs(watch: { renewAfterS: number; expiresAt: string }, receivedAtMs: number): number {
  const expiresInMs = Date.parse(watch.expiresAt) - receivedAtMs;
  const beforeExpiry = Number.isFinite(expiresInMs) ? expiresInMs - Math.min(30_000, expiresInMs / 4) : Infinity;
  return Math.max(1000, Math.min(watch.renewAfterS * 1000, beforeExpiry));
}

/**
 * The signed URLs a player was given, newest last, and the rewrite that keeps hls.js on the newest.
 *
 * hls.js keeps the URLs it was given: a live playlist is asked for again at its first URL every
 * target duration, and its segments at the URLs that playlist listed. `hls.loadSource(newUrl)` would
 * detach and re-attach the video (a new MediaSource: the buffer is dropped and the picture goes
 * blank), so a renewal is applied underneath instead, in `xhrSetup`, which hls.js runs before every
 * request: a URL that carries an older signature gets the newest one. The signature is what changed
 * between the two watch URLs (the platform's `exp` and `sig`, which it repeats on every segment URI;
 * a replay's `from` stays); the playlist's own path follows the newest URL too. Other parameters
 * (hls.js's `_HLS_msn`… of low-latency playlists) are kept. The request's `responseURL` is then the
 * new one, against which hls.js resolves the segments' relative URIs.
 */
export interface SignedUrlBook {
  issue(url: string, expiresAtMs: number): void;
  /** The newest URL (absolute), or undefined before the first. */
  current(): string | undefined;
  /** When the newest URL stops working (ms since the epoch). */
  expiresAtMs(): number;
  rewrite(requestUrl: string): string;
}

export function createSignedUrlBook(baseUrl: string, keep = 8): SignedUrlBook {
  const issued: URL[] = [];
  let expiresAt = 0;
  return {
    issue(url, expiresAtMs) {
      issued.push(new URL(url, baseUrl));
      if (issued.length > keep) issued.shift();
      expiresAt = expiresAtMs;
    },
    current: () => issued.at(-1)?.href,
    expiresAtMs: () => expiresAt,
    rewrite(requestUrl) {
      const newest = issued.at(-1);
      if (!newest) return requestUrl;
      let request: URL;
      try {
        request = new URL(requestUrl, baseUrl);
      } catch {
        return requestUrl;
      }
      for (const older of issued.slice(0, -1).reverse()) {
        if (older.origin !== request.origin) continue;
        const signature = [...older.searchParams].filter(([name, value]) => newest.searchParams.get(name) !== value);
        if (signature.length === 0 || !signature.every(([name, value]) => request.searchParams.get(name) === value)) continue;
        const renewed = new URL(request.href);
        for (const [name] of signature) {
          const value = newest.searchParams.get(name);
          if (value === null) renewed.searchParams.delete(name);
          else renewed.searchParams.set(name, value);
        }
        if (request.pathname === older.pathname) {
          // The playlist itself: its path, and any parameter the newest URL added.
          renewed.pathname = newest.pathname;
          for (const [name, value] of newest.searchParams) if (!renewed.searchParams.has(name)) renewed.searchParams.append(name, value);
        }
        return renewed.href;
      }
      return requestUrl;
    },
  };
}
