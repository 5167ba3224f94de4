import { describe, expect, it } from 'vitest';
import { dwellTime, easeInOutCubic, enuToScene, flightDuration, interpolatePose, poseReached, sceneToEnu, stepStop, type CameraPose } from '../src/heritage/tour-math.ts';
import { openingHoursText, orderSites, tourCodeFromPath } from '../src/heritage/heritage-api.ts';
import type { HeritageSiteSummary } from '@bandoso/contracts';

describe('the tour’s frames and flights', () => {
  it('turns local east-north-up metres into three.js’s y-up scene and back', () => {
    // East stays x, up becomes y, north becomes −z (three.js's "forward" is −z).
    expect(enuToScene([10, 20, 30])).toEqual([10, 30, -20]);
    expect(sceneToEnu(enuToScene([-4.5, 7, 12.25]))).toEqual([-4.5, 7, 12.25]);
  });

  it('eases in and out, and reaches the stop exactly at the end of a flight', () => {
    expect(easeInOutCubic(0)).toBe(0);
    expect(easeInOutCubic(0.5)).toBeCloseTo(0.5);
    expect(easeInOutCubic(1)).toBe(1);
    expect(easeInOutCubic(0.1)).toBeLessThan(0.1);
    const from: CameraPose = { position: [0, -100, 50], target: [0, 0, 0] };
    const to: CameraPose = { position: [200, 0, 30], target: [20, 10, 5] };
    expect(interpolatePose(from, to, 0)).toEqual(from);
    expect(interpolatePose(from, to, 1)).toEqual(to);
    // Halfway, the camera flies higher than both ends (it passes over the relic, not through it).
    const middle = interpolatePose(from, to, 0.5);
    expect(middle.position[2]).toBeGreaterThan(50);
    expect(poseReached(interpolatePose(from, to, 1), to, 0.01)).toBe(true);
    expect(poseReached(middle, to)).toBe(false);
  });

  it('jumps instead of flying when the person asked for reduced motion', () => {
    const from: CameraPose = { position: [0, -100, 50], target: [0, 0, 0] };
    const to: CameraPose = { position: [60, 0, 30], target: [20, 10, 5] };
    expect(flightDuration(from, to, true)).toBe(0);
    const duration = flightDuration(from, to, false);
    expect(duration).toBeGreaterThanOrEqual(1200);
    expect(duration).toBeLessThanOrEqual(3500);
  });

  it('steps between stops within the tour and dwells long enough to read', () => {
    expect(stepStop(0, 5, 'previous')).toBe(0);
    expect(stepStop(0, 5, 'next')).toBe(1);
    expect(stepStop(4, 5, 'next')).toBe(4);
    expect(stepStop(0, 0, 'next')).toBe(0);
    expect(dwellTime('Ngắn.')).toBe(6000);
    expect(dwellTime('x'.repeat(300))).toBe(20_000);
    expect(dwellTime('x'.repeat(3000))).toBe(25_000);
  });
});

describe('the heritage pages’ paths and order', () => {
  it('reads a site code from /heritage/{code}, not from the tileset folder', () => {
    expect(tourCodeFromPath('/heritage/DT-A1')).toBe('DT-A1');
    expect(tourCodeFromPath('/heritage/DT-A1/')).toBe('DT-A1');
    expect(tourCodeFromPath('/heritage/%C4%90T')).toBe('ĐT');
    expect(tourCodeFromPath('/heritage')).toBeUndefined();
    expect(tourCodeFromPath('/heritage/tilesets')).toBeUndefined();
    expect(tourCodeFromPath('/heritage/tilesets/DT-A1/abc/tileset.json')).toBeUndefined();
    expect(tourCodeFromPath('/planning')).toBeUndefined();
  });

  it('lists the sites with a 3D tour first', () => {
    const site = (code: string, vi: string, tileset: boolean, stops = 0): HeritageSiteSummary => ({
      code,
      name: { vi, en: vi },
      rank: 'special_national',
      position: [103, 21.4],
      tileset: tileset ? { url: `http://x/heritage/tilesets/${code}/v/tileset.json`, source: 'generated', illustrative: true, version: 'v' } : null,
      stops,
    });
    const ordered = orderSites([site('B', 'Bảo tàng', false), site('T', 'Tượng đài', true, 5), site('A', 'Đồi A1', true, 6), site('C', 'Cầu', false, 2)], 'vi');
    expect(ordered.map((item) => item.code)).toEqual(['A', 'T', 'C', 'B']);
  });
});

describe('opening hours (free text from the province, in Vietnamese)', () => {
  it('are shown as they are in Vietnamese', () => {
    expect(openingHoursText('07:00–11:00, 13:30–17:00 hằng ngày', 'vi')).toEqual({ text: '07:00–11:00, 13:30–17:00 hằng ngày' });
  });

  it('say "daily" in English, and mark what stays Vietnamese for screen readers', () => {
    expect(openingHoursText('07:00–11:00, 13:30–17:00 hằng ngày', 'en')).toEqual({ text: '07:00–11:00, 13:30–17:00 daily' });
    expect(openingHoursText('7:30–17:00 hàng ngày', 'en')).toEqual({ text: '7:30–17:00 daily' });
    expect(openingHoursText('Thứ Hai đến thứ Sáu, 8:00–16:00', 'en')).toEqual({ text: 'Thứ Hai đến thứ Sáu, 8:00–16:00', lang: 'vi' });
    expect(openingHoursText('08:00–17:00', 'en')).toEqual({ text: '08:00–17:00' });
  });
});
