import { getOptions, parse, setOptions, type types } from 'hls-parser';
import { describe, expect, it } from 'vitest';
import { contentTypeOfName, initNameFor, parseRelayName, parseUpstreamPlaylist, PlaylistFormatError, segmentNameFor, writeMediaPlaylist } from './camera-playlist.ts';

const PLAYLIST_URL = 'http://10.30.0.7:8080/cam/7/live.m3u8?token=secret';

describe('parseUpstreamPlaylist', () => {
  it('resolves every URI against the playlist and carries EXT-X-PROGRAM-DATE-TIME forward', () => {
    const playlist = parseUpstreamPlaylist(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:6',
        '#EXT-X-TARGETDURATION:2',
        '#EXT-X-MEDIA-SEQUENCE:41',
        '#EXT-X-MAP:URI="init.mp4"',
        '#EXT-X-PROGRAM-DATE-TIME:2025-03-01T01:00:00.000Z',
        '#EXTINF:2.0,',
        'a.m4s?token=secret',
        '#EXTINF:1.5,',
        'http://10.30.0.8/b.m4s',
        '#EXT-X-DISCONTINUITY',
        '#EXTINF:2.0,',
        '/other/c.m4s',
        '',
      ].join('\n'),
      PLAYLIST_URL,
    );
    expect(playlist.kind).toBe('media');
    if (playlist.kind !== 'media') return;
    expect(playlist.targetDurationS).toBe(2);
    expect(playlist.segments.map((segment) => [segment.url, segment.mediaSequence, segment.discontinuity])).toEqual([
      ['http://10.30.0.7:8080/cam/7/a.m4s?token=secret', 41, false],
      ['http://10.30.0.8/b.m4s', 42, false],
      ['http://10.30.0.7:8080/other/c.m4s', 43, true],
    ]);
    expect(playlist.segments[0]!.map?.url).toBe('http://10.30.0.7:8080/cam/7/init.mp4');
    // Carried over the next segment; not over a discontinuity, where the timeline may jump.
    expect(playlist.segments[1]!.programDateTime?.toISOString()).toBe('2025-03-01T01:00:02.000Z');
    expect(playlist.segments[2]!.programDateTime).toBeUndefined();
  });

  it('lists a master playlist’s variants, leaving I-frame-only ones out', () => {
    const playlist = parseUpstreamPlaylist(
      '#EXTM3U\n#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1000,URI="iframes.m3u8"\n#EXT-X-STREAM-INF:BANDWIDTH=4000000\nmain/live.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=500000\nsub/live.m3u8\n',
      PLAYLIST_URL,
    );
    expect(playlist).toEqual({ kind: 'master', variantUrls: ['http://10.30.0.7:8080/cam/7/main/live.m3u8', 'http://10.30.0.7:8080/cam/7/sub/live.m3u8'] });
  });

  it('refuses what is not an HLS playlist, without quoting it', () => {
    for (const text of ['<!doctype html><html><body>Login</body></html>', '', '\u0000\u0001binary', '{"error":"unauthorized"}', '#EXTM3U\n#EXTINF:2,\na.ts\n']) {
      let error: unknown;
      try {
        parseUpstreamPlaylist(text, PLAYLIST_URL);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(text)).toBeInstanceOf(PlaylistFormatError);
      expect((error as Error).message).not.toContain('10.30.0.7');
    }
  });

  it('refuses segments and keys it could not relay', () => {
    expect(() => parseUpstreamPlaylist('#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nrtsp://10.30.0.7/a.ts\n', PLAYLIST_URL)).toThrow(PlaylistFormatError);
    expect(() => parseUpstreamPlaylist('#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-KEY:METHOD=SAMPLE-AES,URI="skd://key"\n#EXTINF:2,\na.ts\n', PLAYLIST_URL)).toThrow(PlaylistFormatError);
  });

  it('leaves the library’s options as it found them', () => {
    setOptions({ strictMode: true });
    try {
      expect(() => parseUpstreamPlaylist('<html></html>', PLAYLIST_URL)).toThrow(PlaylistFormatError);
      parseUpstreamPlaylist('#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.9,\na.ts\n', PLAYLIST_URL);
      expect(getOptions()).toMatchObject({ strictMode: true });
      expect(getOptions().silent).toBeUndefined();
    } finally {
      setOptions({ strictMode: undefined });
    }
  });

  it('tolerates harmless deviations of cameras (an EXTINF over the target duration, no EXT-X-VERSION)', () => {
    const playlist = parseUpstreamPlaylist('#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:3\n#EXTINF:2.9,\na.ts\n', PLAYLIST_URL);
    expect(playlist).toMatchObject({ kind: 'media', targetDurationS: 2, mediaSequence: 3 });
  });

  it('reads byte ranges, the offset following the previous range', () => {
    const playlist = parseUpstreamPlaylist('#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n#EXT-X-BYTERANGE:1000@0\nall.ts\n#EXTINF:2,\n#EXT-X-BYTERANGE:500\nall.ts\n', PLAYLIST_URL);
    expect(playlist.kind === 'media' && playlist.segments.map((segment) => segment.byteRange)).toEqual([
      { offset: 0, length: 1000 },
      { offset: 1000, length: 500 },
    ]);
  });
});

describe('relay names', () => {
  it('keeps the extensions players need and refuses anything else', () => {
    expect(segmentNameFor(7, 'http://cam/a/seg7.m4s?x=1')).toBe('7.m4s');
    expect(segmentNameFor(8, 'http://cam/a/seg8.aac')).toBe('8.aac');
    expect(segmentNameFor(9, 'http://cam/a/get?segment=9')).toBe('9.ts');
    expect(initNameFor(9, 'http://cam/a/init.mp4')).toBe('init-9.mp4');
    expect(contentTypeOfName('7.m4s')).toBe('video/iso.segment');
    expect(contentTypeOfName('7.ts')).toBe('video/mp2t');
    for (const name of ['../7.ts', '7.ts/..', '7.exe', 'key-7.ts', 'init-7.key', '7', '-1.ts', '7.ts\n']) expect(parseRelayName(name), name).toBeUndefined();
    expect(parseRelayName('key-7.key')).toEqual({ kind: 'key', sequence: 7, extension: 'key' });
  });
});

describe('writeMediaPlaylist', () => {
  it('writes only what the relay gives it, with a target duration players accept', () => {
    const text = writeMediaPlaylist({
      targetDurationS: 2,
      mediaSequence: 41,
      discontinuitySequence: 3,
      endlist: false,
      segments: [
        { uri: '/hls/41.ts?sig=a', durationS: 2.002, discontinuity: true, programDateTime: new Date('2025-03-01T01:00:00Z') },
        { uri: '/hls/42.ts?sig=a', durationS: 2.6, discontinuity: true, programDateTime: new Date('2025-03-01T01:00:02.002Z') },
      ],
    });
    const playlist = parse(text) as types.MediaPlaylist;
    expect(playlist.targetDuration).toBe(3);
    expect(playlist.mediaSequenceBase).toBe(41);
    // The first segment's discontinuity is in the sequence number alone; the second's is a tag.
    expect(playlist.discontinuitySequenceBase).toBe(3);
    expect(playlist.segments.map((segment) => segment.discontinuity === true)).toEqual([false, true]);
    expect(playlist.segments.map((segment) => segment.duration)).toEqual([2.002, 2.6]);
    expect(playlist.segments[1]!.programDateTime?.toISOString()).toBe('2025-03-01T01:00:02.002Z');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('writes a VOD playlist with its end, an initialisation section and a key', () => {
    const text = writeMediaPlaylist({
      targetDurationS: 1,
      mediaSequence: 0,
      discontinuitySequence: 0,
      playlistType: 'VOD',
      endlist: true,
      segments: [{ uri: '/hls/0.m4s', durationS: 1, discontinuity: false, mapUri: '/hls/init-0.mp4', key: { method: 'AES-128', uri: '/hls/key-0.key', iv: Uint8Array.from({ length: 16 }, (_, index) => index) } }],
    });
    expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(text).toContain('#EXT-X-ENDLIST');
    expect(text).toContain('#EXT-X-VERSION:6');
    expect(text).toContain('#EXT-X-MAP:URI="/hls/init-0.mp4"');
    expect(text).toContain('#EXT-X-KEY:METHOD=AES-128,URI="/hls/key-0.key",IV=0x000102030405060708090A0B0C0D0E0F');
  });
});
