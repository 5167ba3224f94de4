import { cameraStatuses } from '@bandoso/contracts';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { retryAfterSeconds } from '../src/app/api-client.ts';
import { replayStart } from '../src/cameras/camera-api.ts';
import { cameraSymbols, cameraSymbolSvg, cameraSymbolUrl, knownCameraStatus } from '../src/cameras/camera-symbols.ts';
import { createMediaErrorEscalation, createSignedUrlBook, frozenAfterMs, renewalDelayMs, retryDelayMs } from '../src/cameras/stream-recovery.ts';
import { emptyWallSelection, parseWallSelection, putOnWall, takeOffWall } from '../src/cameras/video-wall-selection.ts';
import { cameraFovLayer, cameraPointLayer, camerasOverlay } from '../src/overlays/cameras-overlay.ts';

describe('camera health on the map', () => {
  it('gives each status its own colour, shape and mark, so that it reads without colour', () => {
    const symbols = cameraStatuses.map((status) => cameraSymbols[status]);
    expect(new Set(symbols.map((symbol) => symbol.fill)).size).toBe(4);
    expect(new Set(symbols.map((symbol) => `${symbol.shape}|${symbol.mark}|${symbol.fill === '#ffffff'}`)).size).toBe(4);
    for (const status of cameraStatuses) {
      expect(cameraSymbolSvg(status)).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 24 24"/);
      expect(cameraSymbolUrl(status)).toMatch(/^data:image\/svg\+xml,%3Csvg/);
    }
    expect(knownCameraStatus('degraded')).toBe('degraded');
    // An unknown status is never drawn as healthy.
    expect(knownCameraStatus('exploded')).toBe('offline');
    expect(knownCameraStatus(undefined)).toBe('offline');
  });

  it('draws the icons and cones with valid MapLibre layers, and has a legend entry per status', () => {
    const style = {
      version: 8 as const,
      sources: { cameras: { type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } } },
      layers: [cameraFovLayer('cameras-fov', 'cameras'), cameraPointLayer('cameras-point', 'cameras')],
    };
    expect(validateStyleMin(style)).toEqual([]);
    const icon = JSON.stringify(cameraPointLayer('x', 'cameras').layout?.['icon-image']);
    for (const status of cameraStatuses) expect(icon).toContain(`camera-status-${status}`);
    const legend = camerasOverlay.legend();
    expect(legend.map((entry) => entry.labelKey)).toEqual(['legend.camera.online', 'legend.camera.degraded', 'legend.camera.offline', 'legend.camera.maintenance', 'legend.camera.fov']);
    expect(legend.filter((entry) => entry.swatch.kind === 'icon')).toHaveLength(4);
  });
});

describe('the camera player’s recovery rules', () => {
  it('waits 1 s, 2 s, 4 s … 30 s between attempts, spread ±20 %, never before Retry-After', () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((attempt) => retryDelayMs(attempt, undefined, middle))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(retryDelayMs(0, undefined, () => 0)).toBe(800);
    expect(retryDelayMs(0, undefined, () => 1)).toBe(1200);
    expect(retryDelayMs(0, 15, middle)).toBe(15000);
    expect(retryDelayMs(5, 5, middle)).toBe(30000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-04T10:00:00Z');
    expect(retryAfterSeconds('5', now)).toBe(5);
    expect(retryAfterSeconds('Fri, 04 Dec 2026 10:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('Fri, 04 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(null, now)).toBeUndefined();
  });

  it('recovers a media error, then swaps the audio codec, then reloads; errors far apart start over', () => {
    const escalation = createMediaErrorEscalation(10_000);
    expect(escalation.next(0)).toBe('recover');
    expect(escalation.next(2_000)).toBe('swap-audio-codec');
    expect(escalation.next(4_000)).toBe('reload');
    expect(escalation.next(5_000)).toBe('recover');
    expect(escalation.next(60_000)).toBe('recover');
    escalation.reset();
    expect(escalation.next(61_000)).toBe('recover');
  });

  it('calls a picture frozen after three segments, and never under 15 s', () => {
    expect(frozenAfterMs(undefined)).toBe(15_000);
    expect(frozenAfterMs(2)).toBe(15_000);
    expect(frozenAfterMs(10)).toBe(30_000);
  });

  it('renews the signed URL at renewAfterS, and well before it expires', () => {
    const now = Date.parse('2026-12-04T10:00:00Z');
    expect(renewalDelayMs({ renewAfterS: 240, expiresAt: '2026-12-04T10:05:00Z' }, now)).toBe(240_000);
    // A renewAfterS too close to the expiry: 30 s before it.
    expect(renewalDelayMs({ renewAfterS: 300, expiresAt: '2026-12-04T10:05:00Z' }, now)).toBe(270_000);
    // A short-lived URL: a quarter of its life before it expires.
    expect(renewalDelayMs({ renewAfterS: 60, expiresAt: '2026-12-04T10:00:40Z' }, now)).toBe(30_000);
    expect(renewalDelayMs({ renewAfterS: 0, expiresAt: '2026-12-04T10:00:00Z' }, now)).toBe(1000);
  });

  it('moves requests signed with an older URL to the newest signature, keeping hls.js’s own parameters', () => {
    const base = 'http://127.0.0.1:3000/ioc';
    const urls = createSignedUrlBook(base);
    const camera = '/api/cameras/9b2f3c1e-0000-4000-8000-000000000001';
    urls.issue(`${camera}/stream.m3u8?exp=100&sig=aaa`, 100_000);
    // Nothing to rewrite with a single URL.
    expect(urls.rewrite(`http://127.0.0.1:3000${camera}/stream.m3u8?exp=100&sig=aaa`)).toBe(`http://127.0.0.1:3000${camera}/stream.m3u8?exp=100&sig=aaa`);
    urls.issue(`${camera}/stream.m3u8?exp=200&sig=bbb`, 200_000);
    expect(urls.current()).toBe(`http://127.0.0.1:3000${camera}/stream.m3u8?exp=200&sig=bbb`);
    expect(urls.expiresAtMs()).toBe(200_000);
    // The live playlist asked for again at its first URL, with low-latency directives.
    expect(urls.rewrite(`http://127.0.0.1:3000${camera}/stream.m3u8?exp=100&sig=aaa&_HLS_msn=12`)).toBe(`http://127.0.0.1:3000${camera}/stream.m3u8?exp=200&sig=bbb&_HLS_msn=12`);
    // A segment that carries the playlist's signature.
    expect(urls.rewrite(`http://127.0.0.1:3000${camera}/segments/41.ts?exp=100&sig=aaa`)).toBe(`http://127.0.0.1:3000${camera}/segments/41.ts?exp=200&sig=bbb`);
    // A segment signed on its own, another origin, or already renewed: untouched.
    expect(urls.rewrite(`http://127.0.0.1:3000${camera}/segments/41.ts?token=xyz`)).toBe(`http://127.0.0.1:3000${camera}/segments/41.ts?token=xyz`);
    expect(urls.rewrite(`http://other.example${camera}/stream.m3u8?exp=100&sig=aaa`)).toBe(`http://other.example${camera}/stream.m3u8?exp=100&sig=aaa`);
    expect(urls.rewrite(`http://127.0.0.1:3000${camera}/stream.m3u8?exp=200&sig=bbb`)).toBe(`http://127.0.0.1:3000${camera}/stream.m3u8?exp=200&sig=bbb`);
    // Two renewals later, the first signature still finds the newest.
    urls.issue(`${camera}/stream.m3u8?exp=300&sig=ccc`, 300_000);
    expect(urls.rewrite(`http://127.0.0.1:3000${camera}/segments/42.ts?exp=100&sig=aaa`)).toBe(`http://127.0.0.1:3000${camera}/segments/42.ts?exp=300&sig=ccc`);
  });

  it('renews a replay’s segments too: its `from` is not part of the signature', () => {
    const urls = createSignedUrlBook('http://127.0.0.1:3000/ioc');
    const from = '2026-12-04T09%3A49%3A30.000Z';
    urls.issue(`/api/cameras/c1/stream.m3u8?exp=100&sig=aaa&from=${from}`, 100_000);
    urls.issue(`/api/cameras/c1/stream.m3u8?exp=200&sig=bbb&from=${from}`, 200_000);
    expect(urls.rewrite('http://127.0.0.1:3000/api/cameras/c1/segments/7.ts?exp=100&sig=aaa')).toBe('http://127.0.0.1:3000/api/cameras/c1/segments/7.ts?exp=200&sig=bbb');
    expect(urls.rewrite(`http://127.0.0.1:3000/api/cameras/c1/stream.m3u8?exp=100&sig=aaa&from=${from}`)).toBe(`http://127.0.0.1:3000/api/cameras/c1/stream.m3u8?exp=200&sig=bbb&from=${from}`);
  });
});

describe('replaying the moment a report was sent', () => {
  const now = Date.parse('2026-12-04T10:00:00Z');
  it('starts 30 s before it, moved into the recording window when only the lead falls out of it', () => {
    expect(replayStart('2026-12-04T09:50:00Z', now, 30)).toEqual({ from: '2026-12-04T09:49:30.000Z' });
    expect(replayStart('2026-12-04T09:50:00Z', now, undefined)).toEqual({ from: '2026-12-04T09:49:30.000Z' });
    expect(replayStart('2026-12-04T09:30:20Z', now, 30)).toEqual({ from: '2026-12-04T09:30:05.000Z' });
  });
  it('says the recording no longer covers a report older than the window', () => {
    expect(replayStart('2026-12-04T09:20:00Z', now, 30)).toEqual({ tooOld: true, rewindMinutes: 30 });
  });
});

describe('the video wall’s selection', () => {
  it('fills the first free tile of the layout shown, and says when it is full or the camera is already there', () => {
    let selection = emptyWallSelection();
    expect(selection.layout).toBe(4);
    for (const id of ['a', 'b', 'c', 'd']) selection = putOnWall(selection, id).selection;
    expect(selection.tiles.slice(0, 4)).toEqual(['a', 'b', 'c', 'd']);
    expect(putOnWall(selection, 'b').result).toBe('already');
    expect(putOnWall(selection, 'e').result).toBe('full');
    selection = takeOffWall(selection, 1);
    const added = putOnWall(selection, 'e');
    expect(added.result).toBe('added');
    expect(added.selection.tiles.slice(0, 4)).toEqual(['a', 'e', 'c', 'd']);
    const nine = putOnWall({ ...added.selection, layout: 9 }, 'f').selection;
    expect(nine.tiles[4]).toBe('f');
  });

  it('reads what was stored, and anything else as an empty wall', () => {
    expect(parseWallSelection(JSON.stringify({ layout: 9, tiles: ['a', null, 3, 'b'] }))).toEqual({ layout: 9, tiles: ['a', null, null, 'b', null, null, null, null, null] });
    expect(parseWallSelection('{')).toEqual(emptyWallSelection());
    expect(parseWallSelection(JSON.stringify({ layout: 16 })).layout).toBe(4);
  });
});
