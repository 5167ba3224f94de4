import fs from 'node:fs/promises';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { ThrottledLog } from '../../logging/throttled-log.ts';
import {
  contentTypeOfName,
  initNameFor,
  keyNameFor,
  parseRelayName,
  parseUpstreamPlaylist,
  PlaylistFormatError,
  segmentNameFor,
  writeMediaPlaylist,
  type ByteRange,
  type RelayPlaylistSegment,
  type UpstreamMediaPlaylist,
  type UpstreamPlaylist,
  type UpstreamSegment,
} from './camera-playlist.ts';
import { CameraRewindStore, type RecordedKey, type RecordedResource } from './camera-rewind-store.ts';

/**
 * The HLS relay: browsers never reach a camera, they play the relay's playlists and segments under
 * the platform's origin.
 *
 * - Each camera's upstream playlist is read at most once per target duration, however many people
 *   watch (the last one is kept for a target duration; concurrent askers share one request).
 * - Each upstream segment gets the relay's own name, `<seq>.ts`, from a per-camera sequence that only
 *   counts up, and is fetched once: concurrent askers share one request, later ones get it from a
 *   shared in-memory cache bounded in bytes.
 * - When the camera restarts (its media sequence goes back, or its segment URIs change under the same
 *   numbers), the relay keeps counting, puts EXT-X-DISCONTINUITY before the first new segment and
 *   raises EXT-X-DISCONTINUITY-SEQUENCE as discontinuities leave the window, so players carry on.
 * - Recorded cameras are polled whether or not anyone watches, and their segments stored on disk for
 *   rewind (see `camera-rewind-store.ts`).
 *
 * A camera's address is a secret of the platform: it is never in a playlist the relay writes, in an
 * error it throws, or in a log line (the camera id is logged instead).
 */
export interface CameraRelayOptions {
  /** Where recorded segments are kept, one folder per camera (created as needed). */
  rewindDir: string;
  /** Minutes of each recorded camera's segments kept on disk (older ones deleted); 0: no recording, no rewind. */
  rewindMinutes: number;
  /** How the relay reaches a camera (the caller passes a fetch whose connections obey the platform's network policy). */
  fetchUpstream: (url: string, init: { signal: AbortSignal }) => Promise<Response>;
  /** Per upstream request (default 5000). */
  upstreamTimeoutMs?: number;
  logger?: Logger;
  /** Bytes of segments kept in memory, all cameras together (default 64 MiB). */
  segmentCacheBytes?: number;
  /** Size limit of one camera's rewind folder, whatever rewindMinutes says (default 2 GiB). */
  rewindMaxBytesPerCamera?: number;
}

export type CameraUnavailableReason = 'no-source' | 'unreachable' | 'timeout' | 'upstream-status' | 'not-a-playlist' | 'not-media' | 'too-large' | 'closed';

const unavailableMessages: Record<CameraUnavailableReason, string> = {
  'no-source': 'The camera has no stream.',
  unreachable: 'The camera’s stream cannot be reached.',
  timeout: 'The camera’s stream did not answer in time.',
  'upstream-status': 'The camera’s stream answered with an error.',
  'not-a-playlist': 'The camera’s stream did not answer with a usable HLS playlist.',
  'not-media': 'The camera’s stream answered with something that is not a media segment.',
  'too-large': 'The camera’s stream answered with more data than a segment may have.',
  closed: 'The camera relay is shutting down.',
};

export interface CameraUnavailableOptions {
  reason?: CameraUnavailableReason;
  /** The HTTP status the camera answered, for `upstream-status`. */
  upstreamStatus?: number;
}

/** The camera's stream could not be read (unreachable, timed out, not a playlist…): the route answers 503 with Retry-After. Its message must NEVER contain the source URL or host. */
export class CameraUnavailableError extends Error {
  override readonly name = 'CameraUnavailableError';
  readonly reason: CameraUnavailableReason;
  readonly upstreamStatus: number | undefined;
  /** What the route may send as Retry-After (seconds): about one segment of a typical camera. */
  readonly retryAfterS = 2;

  // No `cause`: the errors of fetch name the address it failed to reach.
  constructor(message?: string, options: CameraUnavailableOptions = {}) {
    super(message ?? unavailableMessages[options.reason ?? 'unreachable']);
    this.reason = options.reason ?? 'unreachable';
    this.upstreamStatus = options.upstreamStatus;
  }
}

function unavailable(reason: CameraUnavailableReason, upstreamStatus?: number): CameraUnavailableError {
  return new CameraUnavailableError(undefined, upstreamStatus === undefined ? { reason } : { reason, upstreamStatus });
}

const DEFAULT_UPSTREAM_TIMEOUT_MS = 5_000;
const DEFAULT_SEGMENT_CACHE_BYTES = 64 * 1024 * 1024;
const DEFAULT_REWIND_MAX_BYTES = 2 * 1024 * 1024 * 1024;
/** A camera playlist is a few kilobytes; anything near this is not one. */
const MAX_PLAYLIST_BYTES = 1024 * 1024;
/** Ten seconds of 4K at 20 Mbit/s is 25 MB. */
const MAX_SEGMENT_BYTES = 48 * 1024 * 1024;
/** After a failed poll, askers get the same failure for this long instead of a new request each. */
const FAILURE_HOLD_MS = 1_000;
/** A camera nobody asked for in this long (and not recorded) loses its state. */
const IDLE_STATE_MS = 3 * 60_000;
const MAINTENANCE_INTERVAL_MS = 15_000;
/** Folders of cameras not in use are looked at this often (left over from an earlier run, or no longer recorded). */
const SWEEP_INTERVAL_MS = 10 * 60_000;
/** Segments that have left the window stay known this much longer, for players a little behind. */
const HISTORY_SEGMENTS = 16;
/** A playlist longer than this (an upstream EVENT playlist growing for hours) is relayed as its newest part. */
const MAX_WINDOW_SEGMENTS = 1_000;
/** A segment that failed this many times is left out of the recording (a hole) rather than blocking it. */
const MAX_RECORD_ATTEMPTS = 3;
const RECORD_BACKOFF_MIN_MS = 1_000;
const RECORD_BACKOFF_MAX_MS = 30_000;
/** A recorder never polls more often than this, whatever the target duration says. */
const MIN_RECORD_INTERVAL_MS = 250;
/** Camera ids become folder names: only these characters (UUIDs fit). */
const CAMERA_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

interface UpstreamResource {
  /** The relay's name. */
  name: string;
  /** The camera's address of it: never leaves the relay. */
  url: string;
  byteRange?: ByteRange;
  /** The upstream run it belongs to: after a restart, old addresses may name new content. */
  run: number;
}

interface RelayKeyEntry {
  method: string;
  resource?: UpstreamResource;
  iv?: Uint8Array;
  format?: string;
  formatVersion?: string;
}

interface RelayEntry extends UpstreamResource {
  sequence: number;
  upstreamSequence: number;
  durationS: number;
  programDateTime: Date;
  /** A discontinuity comes before this segment. */
  discontinuity: boolean;
  /** Its discontinuity sequence number (RFC 8216 §4.3.3.3). */
  discontinuitySequence: number;
  gap: boolean;
  map?: UpstreamResource;
  key?: RelayKeyEntry;
  recordAttempts: number;
}

/** What the relay remembers of a camera after its state is dropped, so its names keep counting up. */
interface CameraMemory {
  lastSequence: number;
  discontinuitySequence: number;
}

interface UpstreamWindow {
  firstSequence: number;
  lastSequence: number;
  urls: Set<string>;
  programDateTimeBySequence: Map<number, number>;
}

class CameraState {
  readonly abort = new AbortController();
  /** Known segments, oldest first, with contiguous relay sequences; the live window is the tail. */
  entries: RelayEntry[] = [];
  readonly byUpstreamKey = new Map<string, RelayEntry>();
  readonly byName = new Map<string, UpstreamResource>();
  /** Initialisation sections and keys of the current run, by upstream address and range. */
  readonly resourceByUpstream = new Map<string, UpstreamResource>();
  /** The media playlist's address when the source is a master playlist. */
  mediaUrl: string | undefined;
  run = 0;
  pendingDiscontinuity: boolean;
  lastSequence: number;
  discontinuitySequence: number;
  /** The newest upstream media sequence number listed in this run. */
  lastUpstreamSequence = -1;
  previousUpstream: UpstreamWindow | undefined;
  targetDurationS = 1;
  endlist = false;
  independentSegments = false;
  windowLength = 0;
  /** When the last successful poll started. */
  polledAt: number | undefined;
  polling: Promise<void> | undefined;
  failure: { at: number; error: CameraUnavailableError } | undefined;
  lastUsedAt = Date.now();

  constructor(
    readonly cameraId: string,
    readonly sourceUrl: string,
    memory: CameraMemory | undefined,
  ) {
    this.lastSequence = memory?.lastSequence ?? -1;
    this.discontinuitySequence = memory?.discontinuitySequence ?? 0;
    // Players of this camera may still hold segments of an earlier state (another source, perhaps).
    this.pendingDiscontinuity = memory !== undefined;
  }

  window(): RelayEntry[] {
    return this.windowLength > 0 ? this.entries.slice(-this.windowLength) : [];
  }

  memory(): CameraMemory {
    return { lastSequence: this.lastSequence, discontinuitySequence: this.discontinuitySequence };
  }
}

interface Recorder {
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
  failures: number;
  stopped: boolean;
}

/** Segments in memory, all cameras together, bounded in bytes; the oldest stored goes first (live video is watched at its edge). */
class SegmentCache {
  readonly #entries = new Map<string, Buffer>();
  #bytes = 0;

  constructor(readonly maxBytes: number) {}

  get(key: string): Buffer | undefined {
    return this.#entries.get(key);
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  set(key: string, body: Buffer): void {
    // One huge body would push everything else out.
    if (body.length > this.maxBytes / 4) return;
    this.delete(key);
    this.#entries.set(key, body);
    this.#bytes += body.length;
    for (const [oldest, oldBody] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= oldBody.length;
    }
  }

  delete(key: string): void {
    const body = this.#entries.get(key);
    if (!body) return;
    this.#entries.delete(key);
    this.#bytes -= body.length;
  }

  deleteCamera(cameraId: string): void {
    const prefix = cacheKeyPrefix(cameraId);
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.delete(key);
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}

function cacheKeyPrefix(cameraId: string): string {
  return `${cameraId}/`;
}

function cacheKey(cameraId: string, name: string): string {
  return `${cameraId}/${name}`;
}

export class CameraRelay {
  readonly #sourceOf: (cameraId: string) => Promise<string | undefined>;
  readonly #options: CameraRelayOptions;
  readonly #timeoutMs: number;
  readonly #log: Logger;
  readonly #failures: ThrottledLog;
  readonly #cache: SegmentCache;
  readonly #closing = new AbortController();
  readonly #states = new Map<string, CameraState>();
  readonly #stateLoads = new Map<string, Promise<CameraState | undefined>>();
  /** Bumped by `forget`, so that a state being loaded meanwhile is not kept. */
  readonly #generations = new Map<string, number>();
  readonly #memories = new Map<string, CameraMemory>();
  readonly #inflight = new Map<string, Promise<Buffer>>();
  readonly #stores = new Map<string, CameraRewindStore>();
  readonly #storeLoads = new Map<string, Promise<CameraRewindStore | undefined>>();
  readonly #recorders = new Map<string, Recorder>();
  readonly #counters = new Map<string, { playlistFetches: number; segmentFetches: number }>();
  readonly #background = new Set<Promise<unknown>>();
  readonly #maintenance: NodeJS.Timeout;
  #lastSweepAt = 0;
  #maintaining = false;
  #closed = false;

  /** `sourceOf` gives a camera's upstream playlist URL (undefined: no such camera / retired). */
  constructor(sourceOf: (cameraId: string) => Promise<string | undefined>, options: CameraRelayOptions) {
    this.#sourceOf = sourceOf;
    this.#options = options;
    this.#timeoutMs = options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
    this.#log = (options.logger ?? pino({ enabled: false })).child({ component: 'camera-relay' });
    this.#failures = new ThrottledLog(this.#log, 60_000);
    this.#cache = new SegmentCache(options.segmentCacheBytes ?? DEFAULT_SEGMENT_CACHE_BYTES);
    this.#maintenance = setInterval(() => {
      // A slow disk must not pile passes up.
      if (this.#maintaining) return;
      this.#maintaining = true;
      this.#runInBackground(this.#maintain().finally(() => (this.#maintaining = false)));
    }, MAINTENANCE_INTERVAL_MS);
    this.#maintenance.unref();
  }

  get #rewindEnabled(): boolean {
    return this.#options.rewindMinutes > 0;
  }

  /** The live media playlist, rewritten: every segment URI becomes segmentUri(segmentName), no upstream address left anywhere in it. Throws CameraUnavailableError. */
  async livePlaylist(cameraId: string, segmentUri: (segmentName: string) => string): Promise<string> {
    this.#assertOpen();
    const state = await this.#stateFor(cameraId);
    if (!state) throw unavailable('no-source');
    state.lastUsedAt = Date.now();
    await this.#poll(state);
    this.#prefetchLiveEdge(state);
    return this.#writeLivePlaylist(state, segmentUri);
  }

  /**
   * A player asks for the newest segments right after the playlist: the relay starts fetching the
   * newest one now (once, shared as any fetch), so that the first viewer of each segment does not
   * wait for the camera's answer on top of the relay's. A failure here is the next request's to see.
   */
  #prefetchLiveEdge(state: CameraState): void {
    const newest = state.window().at(-1);
    if (!newest || newest.run !== state.run || this.#cache.get(cacheKey(state.cameraId, newest.name))) return;
    this.#fetchResource(state, newest).catch(() => undefined);
  }

  /**
   * A playlist of the recorded segments from the one covering `from` onwards, for rewind: a VOD
   * playlist (EXT-X-PLAYLIST-TYPE:VOD + EXT-X-ENDLIST) of what is stored at the moment of asking.
   * VOD rather than EVENT because the store deletes its oldest segments as they age: an EVENT
   * playlist must keep every segment it listed, so a player reloading it would be told of segments
   * that are gone; and players start a VOD playlist at its beginning (the time asked for) while they
   * start an EVENT one at its live edge. The player plays up to what was recorded when it asked; then
   * the client goes live or asks again from there.
   */
  async rewindPlaylist(cameraId: string, from: Date, segmentUri: (segmentName: string) => string): Promise<string | undefined> {
    this.#assertOpen();
    if (!this.#rewindEnabled || !CAMERA_ID.test(cameraId)) return undefined;
    const store = await this.#storeFor(cameraId, false).catch((error: unknown) => {
      this.#failures.error(`store:${cameraId}`, { cameraId, error: messageOf(error) }, 'cannot open the camera’s rewind folder');
      return undefined;
    });
    const segments = store?.segmentsFrom(from);
    if (!segments || segments.length === 0) return undefined;
    const lines: RelayPlaylistSegment[] = segments.map((segment, index) => {
      const previous = index > 0 ? segments[index - 1] : undefined;
      const line: RelayPlaylistSegment = {
        uri: segmentUri(segment.name),
        durationS: segment.durationS,
        // A hole in the recording (the camera was down) is a jump in the media timestamps too.
        discontinuity: segment.discontinuity || (previous !== undefined && segment.sequence !== previous.sequence + 1),
        programDateTime: segment.programDateTime,
      };
      if (segment.mapName) line.mapUri = segmentUri(segment.mapName);
      if (segment.key) line.key = relayKeyOfRecorded(segment.key, segmentUri);
      return line;
    });
    return writeMediaPlaylist({
      targetDurationS: 1,
      mediaSequence: segments[0]!.sequence,
      discontinuitySequence: 0,
      playlistType: 'VOD',
      endlist: true,
      segments: lines,
    });
  }

  /** A segment named in a playlist the relay wrote. undefined: unknown or expired name. Throws CameraUnavailableError when upstream fails. */
  async segment(cameraId: string, segmentName: string): Promise<{ body: Buffer; contentType: string } | undefined> {
    this.#assertOpen();
    if (!CAMERA_ID.test(cameraId) || !parseRelayName(segmentName)) return undefined;
    const contentType = contentTypeOfName(segmentName);
    const store = this.#stores.get(cameraId);
    if (store?.has(segmentName)) {
      // A recorded segment near the live edge is still in memory: no disk read for every viewer.
      const cached = this.#cache.get(cacheKey(cameraId, segmentName));
      if (cached) return { body: cached, contentType };
      const body = await store.read(segmentName).catch((error: unknown) => {
        // The disk failed us: the cache or the camera may still have it.
        this.#failures.error(`store-read:${cameraId}`, { cameraId, error: messageOf(error) }, 'cannot read a recorded segment');
        return undefined;
      });
      if (body) return { body, contentType };
    }
    // Only names the relay still lists or remembers: an expired name is not served, even if still cached.
    const state = this.#states.get(cameraId);
    const resource = state?.byName.get(segmentName);
    if (!state || !resource) return undefined;
    state.lastUsedAt = Date.now();
    const cached = this.#cache.get(cacheKey(cameraId, segmentName));
    if (cached) return { body: cached, contentType };
    // A name of an earlier upstream run that is no longer cached: its address may now hold other content.
    if (resource.run !== state.run) return undefined;
    return { body: await this.#fetchResource(state, resource), contentType };
  }

  /** Keep recording exactly these cameras (replaces the previous set). No-op when rewindMinutes is 0. */
  record(cameraIds: readonly string[]): void {
    if (!this.#rewindEnabled || this.#closed) return;
    const wanted = new Set(cameraIds.filter((cameraId) => CAMERA_ID.test(cameraId)));
    for (const [cameraId, recorder] of this.#recorders) {
      if (wanted.has(cameraId)) continue;
      recorder.stopped = true;
      if (recorder.timer) clearTimeout(recorder.timer);
      this.#recorders.delete(cameraId);
    }
    for (const cameraId of wanted) {
      if (this.#recorders.has(cameraId)) continue;
      const recorder: Recorder = { timer: undefined, running: undefined, failures: 0, stopped: false };
      this.#recorders.set(cameraId, recorder);
      this.#scheduleRecording(cameraId, recorder, 0);
    }
  }

  /** One health probe of a source URL: its media sequence number and target duration. Throws CameraUnavailableError. Not cached. */
  async probe(sourceUrl: string): Promise<{ mediaSequence: number; targetDurationS: number; segments: number }> {
    this.#assertOpen();
    const playlist = await this.#readMediaPlaylist(sourceUrl, undefined, []);
    return { mediaSequence: playlist.media.mediaSequence, targetDurationS: playlist.media.targetDurationS, segments: playlist.media.segments.length };
  }

  /** The camera's source changed or it was retired: drop its cached state (and its recording, if it is no longer recorded). */
  forget(cameraId: string): void {
    this.#generations.set(cameraId, (this.#generations.get(cameraId) ?? 0) + 1);
    const state = this.#states.get(cameraId);
    if (state) this.#dropState(state);
    this.#cache.deleteCamera(cameraId);
    if (this.#recorders.has(cameraId) || !this.#rewindEnabled || !CAMERA_ID.test(cameraId)) return;
    const store = this.#stores.get(cameraId);
    this.#stores.delete(cameraId);
    const directory = path.join(this.#options.rewindDir, cameraId);
    this.#runInBackground(store ? store.destroy() : fs.rm(directory, { recursive: true, force: true }));
  }

  /** Upstream requests made so far, per camera: for tests and the benchmark. */
  counters(cameraId: string): { playlistFetches: number; segmentFetches: number } {
    return { ...(this.#counters.get(cameraId) ?? { playlistFetches: 0, segmentFetches: 0 }) };
  }

  /** Stops polling and recording, aborts upstream requests. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#maintenance);
    const running: Promise<unknown>[] = [];
    for (const recorder of this.#recorders.values()) {
      recorder.stopped = true;
      if (recorder.timer) clearTimeout(recorder.timer);
      if (recorder.running) running.push(recorder.running);
    }
    this.#recorders.clear();
    this.#closing.abort();
    for (const state of this.#states.values()) state.abort.abort();
    await Promise.allSettled([...running, ...this.#background]);
    this.#failures.flush();
    this.#states.clear();
    this.#stores.clear();
    this.#cache.clear();
  }

  // ---- per-camera state ---------------------------------------------------------------------------

  #assertOpen(): void {
    if (this.#closed) throw unavailable('closed');
  }

  #stateFor(cameraId: string): Promise<CameraState | undefined> {
    const existing = this.#states.get(cameraId);
    if (existing) return Promise.resolve(existing);
    let loading = this.#stateLoads.get(cameraId);
    if (!loading) {
      loading = this.#loadState(cameraId).finally(() => this.#stateLoads.delete(cameraId));
      this.#stateLoads.set(cameraId, loading);
    }
    return loading;
  }

  async #loadState(cameraId: string): Promise<CameraState | undefined> {
    if (!CAMERA_ID.test(cameraId)) return undefined;
    for (;;) {
      const generation = this.#generations.get(cameraId) ?? 0;
      const sourceUrl = await this.#sourceOf(cameraId);
      if (!sourceUrl) return undefined;
      // Stored segments keep their names across a restart of the platform: count on from them.
      const store = await this.#storeFor(cameraId, false).catch((error: unknown) => {
        this.#failures.error(`store:${cameraId}`, { cameraId, error: messageOf(error) }, 'cannot open the camera’s rewind folder');
        return undefined;
      });
      this.#assertOpen();
      if ((this.#generations.get(cameraId) ?? 0) !== generation) continue;
      let memory = this.#memories.get(cameraId);
      const stored = store?.lastSequence;
      if (stored !== undefined && stored > (memory?.lastSequence ?? -1)) memory = { lastSequence: stored, discontinuitySequence: memory?.discontinuitySequence ?? 0 };
      const state = new CameraState(cameraId, sourceUrl, memory);
      this.#states.set(cameraId, state);
      return state;
    }
  }

  #dropState(state: CameraState): void {
    this.#memories.set(state.cameraId, state.memory());
    state.abort.abort();
    if (this.#states.get(state.cameraId) === state) this.#states.delete(state.cameraId);
  }

  #countersOf(cameraId: string): { playlistFetches: number; segmentFetches: number } {
    let counters = this.#counters.get(cameraId);
    if (!counters) {
      counters = { playlistFetches: 0, segmentFetches: 0 };
      this.#counters.set(cameraId, counters);
    }
    return counters;
  }

  // ---- the upstream playlist ----------------------------------------------------------------------

  /** Brings the state up to date with the camera, asking it at most once per target duration. */
  #poll(state: CameraState): Promise<void> {
    const now = Date.now();
    if (state.polledAt !== undefined && now - state.polledAt < state.targetDurationS * 1000) return Promise.resolve();
    if (state.polling) return state.polling;
    if (state.failure && now - state.failure.at < FAILURE_HOLD_MS) return Promise.reject(unavailable(state.failure.error.reason, state.failure.error.upstreamStatus));
    state.polling = this.#pollNow(state).finally(() => (state.polling = undefined));
    return state.polling;
  }

  async #pollNow(state: CameraState): Promise<void> {
    const startedAt = Date.now();
    try {
      const { media, mediaUrl } = await this.#readMediaPlaylist(state.mediaUrl ?? state.sourceUrl, state.cameraId, [state.abort.signal]);
      if (state.abort.signal.aborted) throw unavailable('closed');
      if (mediaUrl !== (state.mediaUrl ?? state.sourceUrl)) state.mediaUrl = mediaUrl;
      this.#applyUpstream(state, media, startedAt);
      state.polledAt = startedAt;
      if (state.failure) this.#wakeRecorder(state.cameraId);
      state.failure = undefined;
    } catch (error) {
      const failure = error instanceof CameraUnavailableError ? error : unavailable('unreachable');
      // The variant may have moved: next time, start from the source again.
      state.mediaUrl = undefined;
      state.failure = { at: Date.now(), error: failure };
      throw failure;
    }
  }

  /** Reads a playlist; a master playlist is followed to its first variant (the one its author lists as the default). */
  async #readMediaPlaylist(url: string, cameraId: string | undefined, signals: AbortSignal[]): Promise<{ media: UpstreamMediaPlaylist; mediaUrl: string }> {
    let playlist = await this.#fetchPlaylist(url, cameraId, signals);
    let mediaUrl = url;
    if (playlist.kind === 'master') {
      mediaUrl = playlist.variantUrls[0]!;
      playlist = await this.#fetchPlaylist(mediaUrl, cameraId, signals);
      if (playlist.kind === 'master') throw unavailable('not-a-playlist');
    }
    return { media: playlist, mediaUrl };
  }

  async #fetchPlaylist(url: string, cameraId: string | undefined, signals: AbortSignal[]): Promise<UpstreamPlaylist> {
    if (cameraId !== undefined) this.#countersOf(cameraId).playlistFetches += 1;
    const body = await this.#fetchUpstream(url, MAX_PLAYLIST_BYTES, signals);
    try {
      return parseUpstreamPlaylist(body.toString('utf8'), url);
    } catch (error) {
      if (error instanceof PlaylistFormatError) throw unavailable('not-a-playlist');
      throw error;
    }
  }

  /** Maps a fresh upstream playlist onto the relay's own sequence. */
  #applyUpstream(state: CameraState, playlist: UpstreamMediaPlaylist, fetchedAt: number): void {
    state.targetDurationS = Math.max(1, playlist.targetDurationS);
    state.endlist = playlist.endlist;
    state.independentSegments = playlist.independentSegments;
    const segments = playlist.segments.slice(-MAX_WINDOW_SEGMENTS);
    if (segments.length === 0) return;
    if (state.previousUpstream && upstreamRestarted(state.previousUpstream, segments)) this.#startNewRun(state);

    // Where each segment would start if the newest one ended as the playlist was fetched: the relay's
    // clock for cameras without EXT-X-PROGRAM-DATE-TIME.
    const estimatedStarts = new Array<number>(segments.length);
    let end = fetchedAt;
    for (let index = segments.length - 1; index >= 0; index -= 1) {
      end -= segments[index]!.durationS * 1000;
      estimatedStarts[index] = end;
    }

    for (const [index, segment] of segments.entries()) {
      const upstreamKey = upstreamKeyOf(segment);
      if (state.byUpstreamKey.has(upstreamKey)) continue;
      // An older segment never listed before cannot go before those players already have.
      if (segment.mediaSequence <= state.lastUpstreamSequence) continue;
      const previous = state.entries.at(-1);
      const discontinuity = segment.discontinuity || state.pendingDiscontinuity;
      state.pendingDiscontinuity = false;
      if (discontinuity) state.discontinuitySequence += 1;
      state.lastSequence += 1;
      const entry: RelayEntry = {
        sequence: state.lastSequence,
        name: segmentNameFor(state.lastSequence, segment.url),
        url: segment.url,
        run: state.run,
        upstreamSequence: segment.mediaSequence,
        durationS: segment.durationS,
        programDateTime: new Date(startOf(segment, previous, estimatedStarts[index]!, state)),
        discontinuity,
        discontinuitySequence: state.discontinuitySequence,
        gap: segment.gap,
        recordAttempts: 0,
      };
      if (segment.byteRange) entry.byteRange = segment.byteRange;
      if (segment.map) entry.map = this.#resourceOf(state, segment.map.url, segment.map.byteRange, () => initNameFor(entry.sequence, segment.map!.url));
      if (segment.key) {
        const key: RelayKeyEntry = { method: segment.key.method };
        if (segment.key.url) key.resource = this.#resourceOf(state, segment.key.url, undefined, () => keyNameFor(entry.sequence));
        if (segment.key.iv) key.iv = segment.key.iv;
        if (segment.key.format) key.format = segment.key.format;
        if (segment.key.formatVersion) key.formatVersion = segment.key.formatVersion;
        entry.key = key;
      }
      state.entries.push(entry);
      state.byUpstreamKey.set(upstreamKey, entry);
      state.byName.set(entry.name, entry);
      state.lastUpstreamSequence = segment.mediaSequence;
    }

    // The window follows the camera's, but shrinks one segment per poll at most: right after a
    // restart the camera lists one segment, and the relay keeps showing the old ones before the
    // discontinuity so that players see it where it is.
    state.windowLength = Math.min(state.entries.length, Math.max(segments.length, state.windowLength - 1));
    state.previousUpstream = summarizeUpstream(segments);
    this.#trimEntries(state);
  }

  #resourceOf(state: CameraState, url: string, byteRange: ByteRange | undefined, nameFor: () => string): UpstreamResource {
    const key = byteRange ? `${url}\n${byteRange.offset}:${byteRange.length}` : url;
    let resource = state.resourceByUpstream.get(key);
    if (!resource) {
      resource = { name: nameFor(), url, run: state.run };
      if (byteRange) resource.byteRange = byteRange;
      state.resourceByUpstream.set(key, resource);
      state.byName.set(resource.name, resource);
    }
    return resource;
  }

  /**
   * The camera restarted: its addresses and numbers start over and may name other content now. The
   * old segments that can still be served without asking the camera (cached or stored) stay at the
   * head of the window, as a contiguous run (a playlist's sequence numbers cannot skip); the next new
   * segment gets a discontinuity.
   */
  #startNewRun(state: CameraState): void {
    state.run += 1;
    state.pendingDiscontinuity = true;
    state.lastUpstreamSequence = -1;
    state.byUpstreamKey.clear();
    state.resourceByUpstream.clear();
    const store = this.#stores.get(state.cameraId);
    const servable = (name: string): boolean => this.#cache.has(cacheKey(state.cameraId, name)) || store?.has(name) === true;
    let keep = state.entries.length;
    while (keep > 0) {
      const entry = state.entries[keep - 1]!;
      if (!servable(entry.name) || (entry.map && !servable(entry.map.name)) || (entry.key?.resource && !servable(entry.key.resource.name))) break;
      keep -= 1;
    }
    state.entries = state.entries.slice(keep);
    state.windowLength = Math.min(state.windowLength, state.entries.length);
    this.#rebuildNames(state);
  }

  #trimEntries(state: CameraState): void {
    const keep = state.windowLength + HISTORY_SEGMENTS;
    if (state.entries.length <= keep) return;
    const removed = state.entries.slice(0, state.entries.length - keep);
    state.entries = state.entries.slice(-keep);
    for (const entry of removed) {
      const upstreamKey = upstreamKeyOf(entry);
      if (state.byUpstreamKey.get(upstreamKey) === entry) state.byUpstreamKey.delete(upstreamKey);
    }
    this.#rebuildNames(state);
  }

  /** Names of the entries kept and of the resources they refer to; forgotten resources leave the upstream index too. */
  #rebuildNames(state: CameraState): void {
    state.byName.clear();
    for (const entry of state.entries) {
      state.byName.set(entry.name, entry);
      if (entry.map) state.byName.set(entry.map.name, entry.map);
      if (entry.key?.resource) state.byName.set(entry.key.resource.name, entry.key.resource);
    }
    for (const [key, resource] of state.resourceByUpstream) if (!state.byName.has(resource.name)) state.resourceByUpstream.delete(key);
  }

  #writeLivePlaylist(state: CameraState, segmentUri: (segmentName: string) => string): string {
    const window = state.window();
    const first = window[0];
    return writeMediaPlaylist({
      targetDurationS: state.targetDurationS,
      mediaSequence: first?.sequence ?? state.lastSequence + 1,
      discontinuitySequence: first?.discontinuitySequence ?? state.discontinuitySequence,
      endlist: state.endlist,
      independentSegments: state.independentSegments,
      segments: window.map((entry) => {
        const line: RelayPlaylistSegment = {
          uri: segmentUri(entry.name),
          durationS: entry.durationS,
          discontinuity: entry.discontinuity,
          programDateTime: entry.programDateTime,
        };
        if (entry.gap) line.gap = true;
        if (entry.map) line.mapUri = segmentUri(entry.map.name);
        if (entry.key) {
          line.key = { method: entry.key.method };
          if (entry.key.resource) line.key.uri = segmentUri(entry.key.resource.name);
          if (entry.key.iv) line.key.iv = entry.key.iv;
          if (entry.key.format) line.key.format = entry.key.format;
          if (entry.key.formatVersion) line.key.formatVersion = entry.key.formatVersion;
        }
        return line;
      }),
    });
  }

  // ---- segments -----------------------------------------------------------------------------------

  /** One upstream request per resource, shared by everyone asking meanwhile; the answer is cached. */
  #fetchResource(state: CameraState, resource: UpstreamResource): Promise<Buffer> {
    const key = cacheKey(state.cameraId, resource.name);
    const cached = this.#cache.get(key);
    if (cached) return Promise.resolve(cached);
    let flight = this.#inflight.get(key);
    if (!flight) {
      flight = this.#fetchResourceNow(state, resource, key).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, flight);
    }
    return flight;
  }

  async #fetchResourceNow(state: CameraState, resource: UpstreamResource, key: string): Promise<Buffer> {
    this.#countersOf(state.cameraId).segmentFetches += 1;
    let body = await this.#fetchUpstream(resource.url, MAX_SEGMENT_BYTES, [state.abort.signal]);
    if (resource.byteRange) {
      const { offset, length } = resource.byteRange;
      if (offset + length > body.length) throw unavailable('not-media');
      body = body.subarray(offset, offset + length);
    }
    // An MPEG-TS segment starts with a sync byte: an HTML error page served with 200 does not.
    const name = parseRelayName(resource.name);
    if (name?.kind === 'segment' && name.extension === 'ts' && body[0] !== 0x47) throw unavailable('not-media');
    if (!state.abort.signal.aborted) this.#cache.set(key, body);
    return body;
  }

  /**
   * One request to a camera, bounded in time (the whole answer, body included) and size. Every
   * failure becomes a CameraUnavailableError that names no address.
   */
  async #fetchUpstream(url: string, maxBytes: number, signals: readonly AbortSignal[]): Promise<Buffer> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#timeoutMs);
    timer.unref();
    const sources = [this.#closing.signal, ...signals];
    const abort = (): void => controller.abort();
    for (const source of sources) {
      if (source.aborted) controller.abort();
      else source.addEventListener('abort', abort, { once: true });
    }
    try {
      return await untilAborted(this.#readUpstream(url, maxBytes, controller.signal), controller.signal);
    } catch (error) {
      if (error instanceof CameraUnavailableError) throw error;
      throw unavailable(timedOut ? 'timeout' : this.#closing.signal.aborted ? 'closed' : 'unreachable');
    } finally {
      clearTimeout(timer);
      for (const source of sources) source.removeEventListener('abort', abort);
    }
  }

  async #readUpstream(url: string, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
    const response = await this.#options.fetchUpstream(url, { signal });
    const body = response.body;
    if (!response.ok || !body) {
      // Frees the connection of an error answer.
      await body?.cancel().catch(() => undefined);
      if (!response.ok) throw unavailable('upstream-status', response.status);
      return Buffer.alloc(0);
    }
    const reader = body.getReader();
    let finished = false;
    try {
      const declared = Number(response.headers.get('content-length'));
      if (Number.isFinite(declared) && declared > maxBytes) throw unavailable('too-large');
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) throw unavailable('too-large');
        chunks.push(value);
      }
      finished = true;
      return Buffer.concat(chunks, total);
    } finally {
      if (!finished) await reader.cancel().catch(() => undefined);
    }
  }

  // ---- recording ----------------------------------------------------------------------------------

  #scheduleRecording(cameraId: string, recorder: Recorder, delayMs: number): void {
    if (recorder.stopped || this.#closed) return;
    recorder.timer = setTimeout(() => {
      recorder.timer = undefined;
      recorder.running = this.#recordOnce(cameraId, recorder).finally(() => (recorder.running = undefined));
    }, delayMs);
    recorder.timer.unref();
  }

  /** The camera answers again (a viewer's request got through): a recorder waiting out its backoff goes now. */
  #wakeRecorder(cameraId: string): void {
    const recorder = this.#recorders.get(cameraId);
    if (!recorder || recorder.failures === 0 || !recorder.timer) return;
    clearTimeout(recorder.timer);
    recorder.timer = undefined;
    this.#scheduleRecording(cameraId, recorder, 0);
  }

  /** One pass of a recorder: poll, store what is new, prune; then the next pass, sooner or (after failures) later. */
  async #recordOnce(cameraId: string, recorder: Recorder): Promise<void> {
    let delayMs: number;
    try {
      const state = await this.#stateFor(cameraId);
      if (!state) throw unavailable('no-source');
      await this.#poll(state);
      const store = await this.#storeFor(cameraId, true);
      if (store && !recorder.stopped) {
        await this.#storeNewSegments(state, store);
        await store.prune();
      }
      recorder.failures = 0;
      delayMs = Math.max(MIN_RECORD_INTERVAL_MS, (state.polledAt ?? Date.now()) + state.targetDurationS * 1000 - Date.now());
    } catch (error) {
      if (recorder.stopped || this.#closed) return;
      recorder.failures += 1;
      delayMs = Math.min(RECORD_BACKOFF_MAX_MS, RECORD_BACKOFF_MIN_MS * 2 ** (recorder.failures - 1));
      const reason = error instanceof CameraUnavailableError ? error.reason : 'internal';
      if (error instanceof CameraUnavailableError) {
        this.#failures.warn(`record:${cameraId}`, { cameraId, reason, upstreamStatus: error.upstreamStatus, retryInMs: delayMs }, 'camera recording failed; retrying');
      } else {
        // Not the camera: the disk, the database behind sourceOf… The message of such errors names no camera address.
        this.#failures.error(`record:${cameraId}:internal`, { cameraId, error: messageOf(error), retryInMs: delayMs }, 'camera recording failed; retrying');
      }
    }
    this.#scheduleRecording(cameraId, recorder, delayMs);
  }

  async #storeNewSegments(state: CameraState, store: CameraRewindStore): Promise<void> {
    const windowStart = state.entries.length - state.windowLength;
    // The window, and anything older still in the cache (a recorder that fell behind): older segments
    // may be gone upstream already.
    const candidates = state.entries.filter((entry, index) => index >= windowStart || this.#cache.has(cacheKey(state.cameraId, entry.name)));
    for (const entry of candidates) {
      if (entry.run !== state.run || entry.gap || entry.sequence <= (store.lastSequence ?? -1)) continue;
      const resources: RecordedResource[] = [];
      let body: Buffer;
      try {
        for (const resource of [entry.map, entry.key?.resource]) {
          if (resource && !store.has(resource.name)) resources.push({ name: resource.name, body: await this.#fetchResource(state, resource) });
        }
        body = await this.#fetchResource(state, entry);
      } catch (error) {
        entry.recordAttempts += 1;
        // A segment that keeps failing becomes a hole in the recording rather than stopping it.
        if (entry.recordAttempts < MAX_RECORD_ATTEMPTS) throw error;
        continue;
      }
      await store.add(
        {
          sequence: entry.sequence,
          name: entry.name,
          durationS: entry.durationS,
          programDateTime: entry.programDateTime,
          discontinuity: entry.discontinuity,
          ...(entry.map ? { mapName: entry.map.name } : {}),
          ...(entry.key ? { key: recordedKeyOf(entry.key) } : {}),
        },
        body,
        resources,
      );
    }
  }

  // ---- rewind stores ------------------------------------------------------------------------------

  /** The camera's store: opened from disk when it has segments there (or `create`), kept open while it has any. */
  async #storeFor(cameraId: string, create: boolean): Promise<CameraRewindStore | undefined> {
    if (!this.#rewindEnabled) return undefined;
    const open = this.#stores.get(cameraId);
    if (open) return open;
    let loading = this.#storeLoads.get(cameraId);
    if (!loading) {
      loading = CameraRewindStore.open(path.join(this.#options.rewindDir, cameraId), {
        keepMs: this.#options.rewindMinutes * 60_000,
        maxBytes: this.#options.rewindMaxBytesPerCamera ?? DEFAULT_REWIND_MAX_BYTES,
      }).finally(() => this.#storeLoads.delete(cameraId));
      this.#storeLoads.set(cameraId, loading);
    }
    const store = await loading;
    if (!store || this.#closed) return undefined;
    if (store.segmentCount === 0 && !create && !this.#recorders.has(cameraId)) return undefined;
    const raced = this.#stores.get(cameraId);
    if (raced) return raced;
    this.#stores.set(cameraId, store);
    return store;
  }

  // ---- housekeeping -------------------------------------------------------------------------------

  #runInBackground(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) => this.#log.error({ error: messageOf(error) }, 'camera relay housekeeping failed'));
    this.#background.add(tracked);
    void tracked.finally(() => this.#background.delete(tracked));
  }

  /** Drops idle cameras' state, prunes stores nobody records any more, and now and then sweeps the rewind folder. */
  async #maintain(): Promise<void> {
    const now = Date.now();
    for (const state of [...this.#states.values()]) {
      if (!this.#recorders.has(state.cameraId) && now - state.lastUsedAt > IDLE_STATE_MS) this.#dropState(state);
    }
    if (!this.#rewindEnabled) return;
    for (const [cameraId, store] of [...this.#stores]) {
      if (this.#recorders.has(cameraId)) continue;
      await store.prune();
      if (store.segmentCount === 0 && !this.#recorders.has(cameraId) && this.#stores.get(cameraId) === store) {
        this.#stores.delete(cameraId);
        await store.destroy();
      }
    }
    if (now - this.#lastSweepAt < SWEEP_INTERVAL_MS) return;
    this.#lastSweepAt = now;
    let folders: string[];
    try {
      folders = await fs.readdir(this.#options.rewindDir);
    } catch {
      return;
    }
    for (const cameraId of folders) {
      if (this.#closed) return;
      if (!CAMERA_ID.test(cameraId) || this.#stores.has(cameraId) || this.#recorders.has(cameraId)) continue;
      // Opening prunes what is too old; a folder left empty goes.
      const store = await this.#storeFor(cameraId, false);
      if (!store) await fs.rm(path.join(this.#options.rewindDir, cameraId), { recursive: true, force: true });
    }
  }
}

// ---- helpers --------------------------------------------------------------------------------------

function upstreamKeyOf(segment: { url: string; byteRange?: ByteRange; mediaSequence?: number; upstreamSequence?: number }): string {
  const sequence = segment.mediaSequence ?? segment.upstreamSequence;
  const range = segment.byteRange ? `@${segment.byteRange.offset}:${segment.byteRange.length}` : '';
  return `${sequence}\n${segment.url}${range}`;
}

function summarizeUpstream(segments: readonly UpstreamSegment[]): UpstreamWindow {
  const urls = new Set<string>();
  const programDateTimeBySequence = new Map<number, number>();
  for (const segment of segments) {
    urls.add(segment.url);
    if (segment.programDateTime) programDateTimeBySequence.set(segment.mediaSequence, segment.programDateTime.getTime());
  }
  return { firstSequence: segments[0]!.mediaSequence, lastSequence: segments.at(-1)!.mediaSequence, urls, programDateTimeBySequence };
}

/**
 * Whether the camera started over since the previous playlist: its media sequence went back; or the
 * numbers overlap the previous playlist's but none of its addresses is still listed (the URIs changed
 * completely); or a number listed before now starts at another time (EXT-X-PROGRAM-DATE-TIME moved by
 * more than a second). A jump forward alone is not a restart: the relay may simply have missed segments.
 */
function upstreamRestarted(previous: UpstreamWindow, segments: readonly UpstreamSegment[]): boolean {
  const first = segments[0]!.mediaSequence;
  const last = segments.at(-1)!.mediaSequence;
  if (first < previous.firstSequence || last < previous.lastSequence) return true;
  if (first <= previous.lastSequence && !segments.some((segment) => previous.urls.has(segment.url))) return true;
  for (const segment of segments) {
    const programDateTime = previous.programDateTimeBySequence.get(segment.mediaSequence);
    if (programDateTime !== undefined && segment.programDateTime && Math.abs(programDateTime - segment.programDateTime.getTime()) > 1_000) return true;
  }
  return false;
}

/**
 * When a segment starts: the camera's EXT-X-PROGRAM-DATE-TIME when it gives one; otherwise the end of
 * the segment before it (same run, next number), as long as that stays close to the estimate from the
 * fetch time; otherwise the estimate.
 */
function startOf(segment: UpstreamSegment, previous: RelayEntry | undefined, estimate: number, state: CameraState): number {
  if (segment.programDateTime) return segment.programDateTime.getTime();
  if (previous && previous.run === state.run && !segment.discontinuity && previous.upstreamSequence === segment.mediaSequence - 1) {
    const chained = previous.programDateTime.getTime() + previous.durationS * 1000;
    if (Math.abs(chained - estimate) <= Math.max(2_000, state.targetDurationS * 1000)) return chained;
  }
  return estimate;
}

function recordedKeyOf(key: RelayKeyEntry): RecordedKey {
  const recorded: RecordedKey = { method: key.method };
  if (key.resource) recorded.name = key.resource.name;
  if (key.iv) recorded.ivHex = Buffer.from(key.iv).toString('hex');
  if (key.format) recorded.format = key.format;
  if (key.formatVersion) recorded.formatVersion = key.formatVersion;
  return recorded;
}

function relayKeyOfRecorded(key: RecordedKey, segmentUri: (segmentName: string) => string): NonNullable<RelayPlaylistSegment['key']> {
  const relayKey: NonNullable<RelayPlaylistSegment['key']> = { method: key.method };
  if (key.name) relayKey.uri = segmentUri(key.name);
  if (key.ivHex) relayKey.iv = Uint8Array.from(Buffer.from(key.ivHex, 'hex'));
  if (key.format) relayKey.format = key.format;
  if (key.formatVersion) relayKey.formatVersion = key.formatVersion;
  return relayKey;
}

/** The message of an error, which for our own and the file system's errors names no camera address. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Settles with `work`, or rejects as soon as `signal` aborts (a fetch that ignores its signal cannot hold a request past its timeout). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(new Error('aborted'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
