import type { CameraWatch } from '@bandoso/contracts';
import type Hls from 'hls.js';
import type { ErrorData, HlsConfig, LoaderResponse, LoadPolicy } from 'hls.js';
// hls.js's ES module build has no inline worker: its demuxing worker is a file of its own, fetched
// with the first stream (a video wall's nine players share it).
import hlsWorkerUrl from 'hls.js/dist/hls.worker.js?url';
import { ApiError, NetworkError, retryAfterSeconds } from '../app/api-client.ts';
import { createMediaErrorEscalation, createSignedUrlBook, firstPictureGraceMs, frozenAfterMs, renewalDelayMs, retryDelayMs, stallNoticeMs } from './stream-recovery.ts';

/**
 * hls.js, in its own chunk, fetched when the first player starts. The light build: a camera's stream
 * needs no subtitles, alternate audio or DRM, and it is a third smaller.
 */
const loadHls = () => import('hls.js/light');
type HlsClass = typeof Hls;

/**
 * `connecting` until the first picture; `live` while the picture moves (live or replayed);
 * `reconnecting` while it stands still or is being reloaded; `offline` when the camera does not
 * answer (the platform's 503), still retried; `paused` by the person (or a refused autoplay);
 * `denied` (the platform refuses this camera to this browser) and `failed` (nothing more to try) end
 * the player.
 */
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'paused' | 'denied' | 'failed';

/** Why the player is not showing the picture. */
export type StreamProblem = 'network' | 'unreachable' | 'media' | 'stalled' | 'frozen' | 'sign-in' | 'forbidden' | 'not-found' | 'out-of-window' | 'unsupported' | 'error';

export interface StreamStatus {
  state: StreamState;
  /** Live, or a replay of the recording (which goes live once it has caught up). */
  mode: 'live' | 'replay';
  problem?: StreamProblem;
  /** Seconds until the next attempt, while waiting for one. */
  retryInS?: number;
  /** How far the picture is behind real time, in seconds. */
  delayS?: number;
  /** How long the picture stood still before it was reloaded. */
  frozenForS?: number;
  /** How far back the camera's recording goes (from the last /watch answer). */
  rewindMinutes?: number;
}

export interface CameraStreamOptions {
  video: HTMLVideoElement;
  /** Asks the platform for a signed playlist URL (POST /api/cameras/{id}/watch), live or from a time. */
  requestWatch(from: string | undefined): Promise<CameraWatch>;
  /** Replay the recording from this time (ISO) rather than live. */
  from?: string;
  onStatus(status: StreamStatus): void;
}

/** A replay that has come this close to real time goes live rather than ask for the next minutes. */
const caughtUpMs = 20_000;

export interface CameraStream {
  status(): StreamStatus;
  destroy(): void;
}

/** Whether this browser can play HLS through hls.js (Media Source Extensions, or Safari's ManagedMediaSource). */
function canUseMediaSource(): boolean {
  return typeof self !== 'undefined' && ('MediaSource' in self || 'ManagedMediaSource' in self);
}

/**
 * Plays a camera's signed HLS stream in a `<video>` and keeps it playing by itself:
 *
 * - the signed URL is renewed at `renewAfterS` and swapped under hls.js without a break
 *   (stream-recovery.ts, `createSignedUrlBook`); a 401/403 of a playlist or segment renews it at
 *   once and the same request is retried with the new signature;
 * - network errors are retried by hls.js (1 s, 2 s, 4 s…); when it gives up, the player starts over
 *   with a new URL after a growing pause (1 s … 30 s, never before the platform's Retry-After), and
 *   a camera that answers 503 is shown as offline meanwhile;
 * - a media error is recovered with `recoverMediaError()`, then by swapping the audio codec, then by
 *   starting over;
 * - a watchdog compares `currentTime` every second: a picture that stands still says so at once
 *   ("reconnecting") and is reloaded when it has not moved for `frozenAfterMs`;
 * - a replay is the recording as it was when asked for (a VOD playlist): at its end the player asks
 *   again from where it got to, or goes live once it has caught up.
 */
export function playCameraStream(options: CameraStreamOptions): CameraStream {
  const { video } = options;
  const urls = createSignedUrlBook(location.href);
  const mediaErrors = createMediaErrorEscalation();
  let replayFrom = options.from;
  let status: StreamStatus = { state: 'connecting', mode: replayFrom ? 'replay' : 'live' };
  let hls: Hls | undefined;
  let HlsConstructor: HlsClass | undefined;
  /** Playing with the browser's own HLS (no Media Source Extensions, e.g. older iPhones). */
  let native = false;
  let destroyed = false;
  let renewal: Promise<void> | undefined;
  let renewTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryAt = 0;
  /** Failed starts in a row; reset after a while of steady playing. */
  let attempt = 0;
  let unreachable = false;
  let retryAfterS: number | undefined;
  let rewindMinutes: number | undefined;
  let targetDurationS: number | undefined;
  let lastProgress = { time: -1, at: Date.now() };
  let steadySince: number | undefined;
  let hasPicture = false;

  const set = (next: Omit<StreamStatus, 'mode'>) => {
    if (destroyed) return;
    const merged: StreamStatus = { ...next, mode: replayFrom ? 'replay' : 'live', ...(rewindMinutes !== undefined ? { rewindMinutes } : {}) };
    if (JSON.stringify(merged) === JSON.stringify(status)) return;
    status = merged;
    options.onStatus(status);
  };

  // ---- the signed URL ------------------------------------------------------------------------------

  const renew = (): Promise<void> => {
    renewal ??= (async () => {
      try {
        const watch = await options.requestWatch(replayFrom);
        if (destroyed) return;
        const receivedAt = Date.now();
        urls.issue(watch.url, Date.parse(watch.expiresAt));
        rewindMinutes = watch.rewindMinutes;
        clearTimeout(renewTimer);
        renewTimer = setTimeout(renewInBackground, renewalDelayMs(watch, receivedAt));
      } finally {
        renewal = undefined;
      }
    })();
    return renewal;
  };

  /** The scheduled renewal, while the current URL still works: a failure is retried a little later. */
  const renewInBackground = () => {
    renew()
      .then(() => {
        // The browser's own player cannot be given a new URL underneath: it is reloaded with it.
        if (native && !destroyed) {
          video.src = urls.current()!;
          void video.play().catch(() => undefined);
        }
      })
      .catch((error: unknown) => {
        if (destroyed) return;
        if (isRefusal(error)) return refuse(error as ApiError);
        clearTimeout(renewTimer);
        renewTimer = setTimeout(renewInBackground, Math.max(1000, Math.min(10_000, (urls.expiresAtMs() - Date.now()) / 3)));
      });
  };

  /** A playlist or segment answered 401/403: its signature expired (or the platform's key changed). */
  const renewNow = () => {
    if (renewal) return;
    renew().catch((error: unknown) => {
      if (isRefusal(error)) refuse(error as ApiError);
    });
  };

  // hls.js runs this before each request (it may be async since 1.4): the request is opened on the
  // newest signature, after the renewal under way if there is one.
  const openRequest = async (xhr: XMLHttpRequest, url: string) => {
    if (renewal) await renewal.catch(() => undefined);
    xhr.open('GET', urls.rewrite(url), true);
  };

  // hls.js retries 5xx and network failures but never a 4xx; a 401/403 is retried here once a new
  // URL has been asked for (the retry waits for it in openRequest).
  const shouldRetry = (retryCount: number, response: LoaderResponse | undefined, retry: boolean) => {
    if (response?.code === 401 || response?.code === 403) {
      if (retryCount >= 2) return false;
      renewNow();
      return true;
    }
    if (response?.code === 503) unreachable = true;
    return retry;
  };
  const withRenewal = (policy: LoadPolicy, maxNumRetry: number): LoadPolicy => ({
    default: {
      ...policy.default,
      errorRetry: {
        retryDelayMs: 1000,
        maxRetryDelayMs: 8000,
        ...policy.default.errorRetry,
        maxNumRetry,
        backoff: 'exponential',
        shouldRetry: (_config, retryCount, _isTimeout, response, retry) => shouldRetry(retryCount, response, retry),
      },
    },
  });

  // ---- starting, and starting over ----------------------------------------------------------------

  const start = async () => {
    if (destroyed) return;
    retryTimer = undefined;
    lastProgress = { time: video.currentTime, at: Date.now() };
    hasPicture = false;
    try {
      await renew();
    } catch (error) {
      if (isRefusal(error)) return refuse(error as ApiError);
      if (error instanceof ApiError) retryAfterS = error.retryAfterS;
      unreachable = error instanceof ApiError && error.status === 503;
      return startOver(unreachable ? 'unreachable' : 'network');
    }
    if (destroyed) return;
    const url = urls.current()!;
    if (canUseMediaSource()) {
      try {
        HlsConstructor ??= (await loadHls()).default;
      } catch {
        // The chunk could not be fetched (offline?): try again like any network failure.
        return startOver('network');
      }
      if (destroyed) return;
      attachHls(HlsConstructor, url);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      native = true;
      video.src = url;
      void video.play().catch(onPlayRefused);
    } else {
      set({ state: 'failed', problem: 'unsupported' });
    }
  };

  const attachHls = (Hls: HlsClass, url: string) => {
    const defaults = Hls.DefaultConfig;
    const config: Partial<HlsConfig> = {
      workerPath: hlsWorkerUrl,
      lowLatencyMode: true,
      // Three segments behind the live edge: a camera relay's segments arrive one by one.
      liveSyncDurationCount: 3,
      // Nine players on a wall: keep little behind the playhead.
      backBufferLength: 30,
      maxBufferLength: 20,
      xhrSetup: openRequest,
      manifestLoadPolicy: withRenewal(defaults.manifestLoadPolicy, 2),
      playlistLoadPolicy: withRenewal(defaults.playlistLoadPolicy, 3),
      fragLoadPolicy: withRenewal(defaults.fragLoadPolicy, 4),
    };
    const player = new Hls(config);
    hls = player;
    player.on(Hls.Events.MANIFEST_PARSED, () => {
      if (hls === player) void video.play().catch(onPlayRefused);
    });
    player.on(Hls.Events.LEVEL_LOADED, (_event, data) => {
      targetDurationS = data.details.targetduration;
    });
    player.on(Hls.Events.FRAG_LOADED, () => {
      unreachable = false;
      retryAfterS = undefined;
    });
    player.on(Hls.Events.ERROR, (_event, data) => {
      if (hls === player) onHlsError(Hls, data);
    });
    player.loadSource(url);
    player.attachMedia(video);
  };

  const onHlsError = (Hls: HlsClass, data: ErrorData) => {
    if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
      const details = data.networkDetails;
      const header = details && 'getResponseHeader' in details ? details.getResponseHeader('Retry-After') : details?.headers.get('Retry-After');
      retryAfterS = retryAfterSeconds(header) ?? retryAfterS;
      if (data.response?.code === 503) unreachable = true;
    }
    // hls.js is still on it (a retry, a nudge over a gap): the watchdog tells if the picture stops.
    if (!data.fatal) return;
    // No playlist for this camera: nothing recorded at the replay's time, or a camera taken away.
    if (data.response?.code === 404 && (data.details === Hls.ErrorDetails.MANIFEST_LOAD_ERROR || data.details === Hls.ErrorDetails.LEVEL_LOAD_ERROR)) {
      stopPlayback();
      clearTimeout(renewTimer);
      return set({ state: 'failed', problem: replayFrom ? 'out-of-window' : 'not-found' });
    }
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
      const step = mediaErrors.next(Date.now());
      if (step !== 'reload') {
        set({ state: 'reconnecting', problem: 'media' });
        if (step === 'swap-audio-codec') hls?.swapAudioCodec();
        hls?.recoverMediaError();
        return;
      }
      return startOver('media');
    }
    if (data.type === Hls.ErrorTypes.NETWORK_ERROR) return startOver(unreachable ? 'unreachable' : 'network');
    startOver('error');
  };

  /** Drops the player and tries again after a pause, with a new URL (which also tells if access was withdrawn). */
  const startOver = (problem: StreamProblem) => {
    if (destroyed) return;
    stopPlayback();
    const delay = retryDelayMs(attempt, retryAfterS);
    attempt += 1;
    retryAt = Date.now() + delay;
    const state = problem === 'unreachable' || (problem === 'network' && attempt >= 3) ? 'offline' : 'reconnecting';
    set({ state, problem, retryInS: Math.ceil(delay / 1000) });
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void start(), delay);
  };

  const stopPlayback = () => {
    hls?.destroy();
    hls = undefined;
    if (native) {
      video.removeAttribute('src');
      video.load();
      native = false;
    }
    steadySince = undefined;
  };

  /** The platform refuses this camera to this browser: nothing more to try. */
  const refuse = (error: ApiError) => {
    stopPlayback();
    clearTimeout(renewTimer);
    clearTimeout(retryTimer);
    retryTimer = undefined;
    if (error.status === 401) set({ state: 'denied', problem: 'sign-in' });
    else if (error.status === 403) set({ state: 'denied', problem: 'forbidden' });
    else if (error.status === 404) set({ state: 'failed', problem: 'not-found' });
    else set({ state: 'failed', problem: replayFrom ? 'out-of-window' : 'error' });
  };

  const onPlayRefused = (error: unknown) => {
    // Autoplay refused (sound without a gesture): the person presses play.
    if ((error as Error)?.name === 'NotAllowedError') set({ state: 'paused' });
  };

  // ---- the watchdog and the delay ------------------------------------------------------------------

  const delayS = (): number | undefined => {
    if (hls) {
      // A replay's delay is the age of the picture shown (the relay dates its segments).
      const date = replayFrom ? hls.playingDate : null;
      if (date) return Math.max(0, (Date.now() - date.getTime()) / 1000);
      return hls.latency > 0 ? hls.latency : undefined;
    }
    if (native && video.seekable.length) return Math.max(0, video.seekable.end(video.seekable.length - 1) - video.currentTime);
    return undefined;
  };

  const tick = () => {
    if (destroyed) return;
    const now = Date.now();
    if (retryTimer !== undefined) {
      set({ ...status, retryInS: Math.max(0, Math.ceil((retryAt - now) / 1000)) });
      return;
    }
    if (status.state === 'denied' || status.state === 'failed' || (!hls && !native)) return;
    const moved = video.currentTime !== lastProgress.time;
    if (moved) lastProgress = { time: video.currentTime, at: now };
    // The end of a replay's recording: onEnded takes it from there.
    if (video.ended) return;
    // Paused by the person (or autoplay refused): not a freeze. Before the first picture the video
    // is paused too, while the playlist loads: that wait is watched like any other.
    if (video.paused && (hasPicture || status.state === 'paused')) {
      lastProgress.at = now;
      set({ state: 'paused', delayS: roundDelay(delayS()) });
      return;
    }
    if (document.hidden) {
      // A hidden tab may hold the video back; nothing to judge there.
      lastProgress.at = now;
      return;
    }
    if (moved && video.readyState >= 2) {
      hasPicture = true;
      steadySince ??= now;
      // Playing steadily for a while: earlier failures are forgotten.
      if (now - steadySince > 20_000) {
        attempt = 0;
        mediaErrors.reset();
      }
      set({ state: 'live', delayS: roundDelay(delayS()) });
      return;
    }
    const stillFor = now - lastProgress.at;
    steadySince = undefined;
    const limit = hasPicture ? frozenAfterMs(targetDurationS) : Math.max(firstPictureGraceMs, frozenAfterMs(targetDurationS));
    if (stillFor > limit) {
      const frozenForS = Math.round(stillFor / 1000);
      startOver('frozen');
      set({ ...status, frozenForS });
      return;
    }
    if (hasPicture && stillFor > stallNoticeMs) set({ state: 'reconnecting', problem: 'stalled', delayS: roundDelay(delayS()) });
  };

  const onVideoError = () => {
    // hls.js reports its own errors; the browser's player reports them here.
    if (native) startOver('network');
  };
  const onEnded = () => {
    if (destroyed || (!hls && !native)) return;
    // A live stream does not end: its playlist was closed, so start over.
    if (!replayFrom) return startOver('network');
    const reached = hls?.playingDate?.getTime() ?? Date.parse(replayFrom) + video.currentTime * 1000;
    replayFrom = Date.now() - reached < caughtUpMs ? undefined : new Date(reached).toISOString();
    stopPlayback();
    set({ state: 'connecting' });
    void start();
  };
  video.addEventListener('error', onVideoError);
  video.addEventListener('ended', onEnded);
  const ticker = setInterval(tick, 1000);
  void start();

  return {
    status: () => status,
    destroy() {
      destroyed = true;
      clearInterval(ticker);
      clearTimeout(renewTimer);
      clearTimeout(retryTimer);
      video.removeEventListener('error', onVideoError);
      video.removeEventListener('ended', onEnded);
      hls?.destroy();
      hls = undefined;
      video.pause();
      video.removeAttribute('src');
      video.load();
    },
  };
}

/** The platform will not give this browser the camera: not a failure to retry. */
function isRefusal(error: unknown): boolean {
  if (error instanceof NetworkError || !(error instanceof ApiError)) return false;
  return error.status === 400 || error.status === 401 || error.status === 403 || error.status === 404 || error.status === 422;
}

function roundDelay(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : Math.round(seconds * 10) / 10;
}
