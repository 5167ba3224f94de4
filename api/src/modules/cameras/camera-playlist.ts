import { getOptions, parse, setOptions, stringify, types } from 'hls-parser';

/**
 * Reading a camera's HLS playlists and writing the relay's own (RFC 8216), through `hls-parser`.
 *
 * What is read is reduced to the few facts the relay needs, every URI resolved to an absolute URL
 * (those stay inside the relay: they are the cameras' addresses). What is written is built from
 * scratch out of the relay's own names, so nothing of the upstream text can reach a browser: no
 * address, no EXT-X-DATERANGE or EXT-X-SESSION-DATA with URLs in them, no low-latency parts or
 * rendition reports pointing back at the camera.
 */

/** The upstream answer is not an HLS playlist the relay can use. The message never quotes the playlist. */
export class PlaylistFormatError extends Error {
  override readonly name = 'PlaylistFormatError';
}

export interface ByteRange {
  offset: number;
  length: number;
}

export interface UpstreamKey {
  /** NONE, AES-128 or SAMPLE-AES. */
  method: string;
  /** Absolute http(s) URL of the key (absent for NONE). */
  url?: string;
  iv?: Uint8Array;
  format?: string;
  formatVersion?: string;
}

export interface UpstreamSegment {
  /** Absolute http(s) URL. */
  url: string;
  byteRange?: ByteRange;
  durationS: number;
  /** The upstream's media sequence number of this segment. */
  mediaSequence: number;
  /** EXT-X-DISCONTINUITY before this segment upstream. */
  discontinuity: boolean;
  /** From EXT-X-PROGRAM-DATE-TIME, carried forward over the segments after a tagged one (RFC 8216 §4.3.2.6). */
  programDateTime?: Date;
  gap: boolean;
  /** The media initialisation section (EXT-X-MAP) that applies to this segment. */
  map?: { url: string; byteRange?: ByteRange };
  /** The EXT-X-KEY that applies to this segment. */
  key?: UpstreamKey;
}

export interface UpstreamMediaPlaylist {
  kind: 'media';
  targetDurationS: number;
  mediaSequence: number;
  endlist: boolean;
  independentSegments: boolean;
  segments: UpstreamSegment[];
}

export interface UpstreamMasterPlaylist {
  kind: 'master';
  /** Absolute URLs of the variants' media playlists (I-frame-only variants left out), in the playlist's order. */
  variantUrls: string[];
}

export type UpstreamPlaylist = UpstreamMediaPlaylist | UpstreamMasterPlaylist;

/** The extensions of segment names the relay keeps from upstream; anything else is served as MPEG-TS. */
const keptSegmentExtensions = new Set(['ts', 'm4s', 'mp4', 'aac']);

const contentTypeByExtension: Record<string, string> = {
  ts: 'video/mp2t',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  aac: 'audio/aac',
  key: 'application/octet-stream',
};

/**
 * The relay's segment names: `<seq>.<ext>` for media segments, `init-<seq>.<ext>` for an
 * initialisation section first used by segment `<seq>`, `key-<seq>.key` for a key first used by it.
 * Names are the whole vocabulary of `segment()`: anything else is unknown, so no request can make
 * the relay fetch an address of its choosing.
 */
const relayNamePattern = /^(?:(init-|key-)?)(\d{1,15})\.(ts|m4s|mp4|aac|key)$/;

export type RelayResourceKind = 'segment' | 'init' | 'key';

export interface RelayName {
  kind: RelayResourceKind;
  sequence: number;
  extension: string;
}

export function parseRelayName(name: string): RelayName | undefined {
  const match = relayNamePattern.exec(name);
  if (!match) return undefined;
  const kind: RelayResourceKind = match[1] === 'init-' ? 'init' : match[1] === 'key-' ? 'key' : 'segment';
  const extension = match[3]!;
  if ((kind === 'key') !== (extension === 'key')) return undefined;
  if (kind === 'init' && extension !== 'mp4' && extension !== 'm4s') return undefined;
  return { kind, sequence: Number(match[2]), extension };
}

/** `<seq>.<ext>`, keeping the upstream's extension when it is one players need to tell fMP4 or audio from TS. */
export function segmentNameFor(sequence: number, upstreamUrl: string): string {
  const extension = extensionOf(upstreamUrl);
  return `${sequence}.${extension && keptSegmentExtensions.has(extension) ? extension : 'ts'}`;
}

export function initNameFor(sequence: number, upstreamUrl: string): string {
  return `init-${sequence}.${extensionOf(upstreamUrl) === 'm4s' ? 'm4s' : 'mp4'}`;
}

export function keyNameFor(sequence: number): string {
  return `key-${sequence}.key`;
}

export function contentTypeOfName(name: string): string {
  const parsed = parseRelayName(name);
  return (parsed && contentTypeByExtension[parsed.extension]) ?? 'application/octet-stream';
}

function extensionOf(url: string): string | undefined {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const dot = pathname.lastIndexOf('.');
  if (dot < 0 || dot < pathname.lastIndexOf('/')) return undefined;
  return pathname.slice(dot + 1).toLowerCase();
}

/**
 * hls-parser keeps its strictness in module-wide options, and by default prints every deviation from
 * the spec with console.error. Cameras deviate in harmless ways (an EXTINF a little over the target
 * duration, a missing EXT-X-VERSION), so the relay parses leniently, without console noise, and makes
 * its own checks of what it relies on. The options are set around each synchronous call and put back,
 * so other users of the library in the process are not affected.
 */
function withLenientParser<T>(work: () => T): T {
  const { strictMode, silent } = getOptions();
  setOptions({ strictMode: false, silent: true });
  try {
    return work();
  } finally {
    // setOptions merges: both keys are named, so that an unset one goes back to unset.
    setOptions({ strictMode, silent });
  }
}

/** Generous for a live window (a camera lists a handful of segments); a larger answer is not a camera playlist. */
const MAX_SEGMENTS = 5_000;

/** Reads an upstream playlist; `playlistUrl` resolves its relative URIs. Throws PlaylistFormatError. */
export function parseUpstreamPlaylist(text: string, playlistUrl: string): UpstreamPlaylist {
  // An HTML error page, a login form or binary garbage: refuse before the parser tries to make sense of it.
  if (!text.replace(/^\uFEFF/, '').trimStart().startsWith('#EXTM3U')) throw new PlaylistFormatError('The answer is not an HLS playlist (no #EXTM3U).');
  let playlist: types.MasterPlaylist | types.MediaPlaylist;
  try {
    playlist = withLenientParser(() => parse(text) as types.MasterPlaylist | types.MediaPlaylist);
  } catch {
    throw new PlaylistFormatError('The HLS playlist cannot be read.');
  }
  if (playlist.isMasterPlaylist) {
    const variantUrls = playlist.variants.filter((variant) => !variant.isIFrameOnly && variant.uri).flatMap((variant) => resolveHttpUrl(variant.uri, playlistUrl) ?? []);
    if (variantUrls.length === 0) throw new PlaylistFormatError('The master playlist has no variant the relay can follow.');
    return { kind: 'master', variantUrls };
  }
  return readMediaPlaylist(playlist, playlistUrl);
}

function readMediaPlaylist(playlist: types.MediaPlaylist, playlistUrl: string): UpstreamMediaPlaylist {
  if (!Number.isFinite(playlist.targetDuration) || playlist.targetDuration <= 0) throw new PlaylistFormatError('The media playlist has no EXT-X-TARGETDURATION.');
  if (playlist.segments.length > MAX_SEGMENTS) throw new PlaylistFormatError('The media playlist has too many segments.');
  const mediaSequence = playlist.mediaSequenceBase ?? 0;
  if (!Number.isSafeInteger(mediaSequence) || mediaSequence < 0) throw new PlaylistFormatError('The media playlist has an invalid EXT-X-MEDIA-SEQUENCE.');

  const segments: UpstreamSegment[] = [];
  let previous: UpstreamSegment | undefined;
  for (const [index, segment] of playlist.segments.entries()) {
    // A segment announced only by EXT-X-PRELOAD-HINT (low-latency HLS) has no URI or duration yet.
    if (!segment.uri || typeof segment.duration !== 'number') continue;
    if (!Number.isFinite(segment.duration) || segment.duration < 0) throw new PlaylistFormatError('A segment has an invalid duration.');
    const url = resolveHttpUrl(segment.uri, playlistUrl);
    if (!url) throw new PlaylistFormatError('A segment URI is not an http(s) address.');
    const discontinuity = segment.discontinuity === true;
    const programDateTime = validDate(segment.programDateTime) ?? (previous?.programDateTime && !discontinuity ? new Date(previous.programDateTime.getTime() + previous.durationS * 1000) : undefined);
    const upstream: UpstreamSegment = {
      url,
      durationS: segment.duration,
      mediaSequence: mediaSequence + index,
      discontinuity,
      gap: segment.gap === true,
    };
    if (segment.byterange) upstream.byteRange = readByteRange(segment.byterange);
    if (programDateTime) upstream.programDateTime = programDateTime;
    if (segment.map?.uri) {
      const mapUrl = resolveHttpUrl(segment.map.uri, playlistUrl);
      if (!mapUrl) throw new PlaylistFormatError('An EXT-X-MAP URI is not an http(s) address.');
      upstream.map = segment.map.byterange ? { url: mapUrl, byteRange: readByteRange(segment.map.byterange) } : { url: mapUrl };
    }
    if (segment.key) upstream.key = readKey(segment.key, playlistUrl);
    segments.push(upstream);
    previous = upstream;
  }
  return {
    kind: 'media',
    targetDurationS: Math.ceil(playlist.targetDuration),
    mediaSequence,
    endlist: playlist.endlist === true,
    independentSegments: playlist.independentSegments === true,
    segments,
  };
}

function readKey(key: types.Key, playlistUrl: string): UpstreamKey {
  const method = key.method.toUpperCase();
  if (method === 'NONE') return { method };
  if (method !== 'AES-128' && method !== 'SAMPLE-AES') throw new PlaylistFormatError('The stream uses an encryption method the relay does not support.');
  // Keys of other schemes (e.g. skd: for FairPlay) are DRM, which a public relay cannot pass on.
  const url = key.uri ? resolveHttpUrl(key.uri, playlistUrl) : undefined;
  if (!url) throw new PlaylistFormatError('The stream’s key is not at an http(s) address.');
  const result: UpstreamKey = { method, url };
  if (key.iv) result.iv = new Uint8Array(key.iv);
  if (key.format) result.format = key.format;
  if (key.formatVersion) result.formatVersion = key.formatVersion;
  return result;
}

function readByteRange(range: { length: number; offset?: number }): ByteRange {
  const offset = range.offset ?? 0;
  if (!Number.isSafeInteger(range.length) || range.length <= 0 || !Number.isSafeInteger(offset) || offset < 0) throw new PlaylistFormatError('A byte range is invalid.');
  return { offset, length: range.length };
}

function resolveHttpUrl(uri: string, base: string): string | undefined {
  try {
    const url = new URL(uri, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function validDate(value: Date | undefined): Date | undefined {
  return value instanceof Date && Number.isFinite(value.getTime()) ? value : undefined;
}

// ---- writing ------------------------------------------------------------------------------------

export interface RelayKey {
  method: string;
  uri?: string;
  iv?: Uint8Array;
  format?: string;
  formatVersion?: string;
}

export interface RelayPlaylistSegment {
  uri: string;
  durationS: number;
  /** EXT-X-DISCONTINUITY before this segment (ignored on the first one: see `writeMediaPlaylist`). */
  discontinuity: boolean;
  programDateTime?: Date;
  gap?: boolean;
  mapUri?: string;
  key?: RelayKey;
}

export interface RelayMediaPlaylist {
  /** At least the rounded longest segment (raised when a segment is longer, so players accept the playlist). */
  targetDurationS: number;
  mediaSequence: number;
  /** The discontinuity sequence number of the first segment. */
  discontinuitySequence: number;
  playlistType?: 'VOD' | 'EVENT';
  endlist: boolean;
  independentSegments?: boolean;
  segments: readonly RelayPlaylistSegment[];
}

/**
 * Writes a media playlist. A discontinuity on the first segment is expressed only through
 * EXT-X-DISCONTINUITY-SEQUENCE (the first segment's number, RFC 8216 §4.3.3.3), never as a tag too:
 * read one way or the other, a tag there would count the discontinuity twice or not at all.
 */
export function writeMediaPlaylist(playlist: RelayMediaPlaylist): string {
  const longest = playlist.segments.reduce((longest, segment) => Math.max(longest, Math.round(segment.durationS)), 0);
  const needsMap = playlist.segments.some((segment) => segment.mapUri);
  const needsKeyFormat = playlist.segments.some((segment) => segment.key?.format || segment.key?.formatVersion);
  const media = new types.MediaPlaylist({
    // 3 for decimal EXTINF durations, 5 for KEYFORMAT, 6 for EXT-X-MAP without I-frames (RFC 8216 §7).
    version: needsMap ? 6 : needsKeyFormat ? 5 : 3,
    targetDuration: Math.max(1, Math.ceil(playlist.targetDurationS), longest),
    mediaSequenceBase: playlist.mediaSequence,
    discontinuitySequenceBase: playlist.discontinuitySequence,
    endlist: playlist.endlist,
    independentSegments: playlist.independentSegments === true,
    segments: playlist.segments.map((segment, index) => {
      const key = segment.key ? new types.Key(relayKey(segment.key)) : undefined;
      return new types.Segment({
        uri: segment.uri,
        duration: segment.durationS,
        discontinuity: index > 0 && segment.discontinuity,
        programDateTime: segment.programDateTime,
        gap: segment.gap === true ? true : undefined,
        map: segment.mapUri ? new types.MediaInitializationSection({ uri: segment.mapUri }) : undefined,
        key,
      });
    }),
    ...(playlist.playlistType ? { playlistType: playlist.playlistType } : {}),
  });
  return `${withLenientParser(() => stringify(media))}\n`;
}

function relayKey(key: RelayKey): types.Key {
  const result: types.Key = { method: key.method };
  if (key.uri) result.uri = key.uri;
  // Typed as an ArrayBuffer, but hls-parser reads the IV by index (as it produces it when parsing): give it bytes.
  if (key.iv) result.iv = Uint8Array.from(key.iv) as unknown as ArrayBuffer;
  if (key.format) result.format = key.format;
  if (key.formatVersion) result.formatVersion = key.formatVersion;
  return result;
}
