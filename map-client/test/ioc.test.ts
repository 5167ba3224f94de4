import type { ReportStatus } from '@bandoso/contracts';
import { describe, expect, it } from 'vitest';
import { liveReportColour, newReportMs, onTimeColour } from '../src/ioc/ioc-colours.ts';
import { mergeLiveReport, type FeedEventData } from '../src/ioc/live-reports.ts';
import { chartRows } from '../src/ioc/stats-panel.ts';
import { densityFade, densityOpacity } from '../src/ioc/ioc-layers.ts';
import { iocText, periodRange } from '../src/ioc/ioc-messages.ts';

const event = (code: string, status: ReportStatus = 'received'): FeedEventData => ({
  kind: status === 'received' ? 'routed' : 'accepted',
  at: '2026-11-27T07:00:00.000Z',
  report: {
    id: code,
    trackingCode: code,
    category: 'public_lighting',
    status,
    overdue: false,
    location: { type: 'Point', coordinates: [103.01, 21.38] },
    commune: { code: '03127', name: 'Phường Điện Biên Phủ' },
    office: { code: 'UBND-03127', name: 'UBND phường Điện Biên Phủ' },
    createdAt: '2026-11-27T07:00:00.000Z',
  },
});

describe('the operations view', () => {
  it('colours the on-time rate from red to green, grey without figures', () => {
    expect(onTimeColour(0)).toEqual([215, 48, 39, 170]);
    expect(onTimeColour(1)).toEqual([26, 152, 80, 170]);
    expect(onTimeColour(0.5)).toEqual([254, 224, 139, 170]);
    expect(onTimeColour(null)[3]).toBeLessThan(170);
    expect(onTimeColour(2)).toEqual(onTimeColour(1));
  });

  it('keeps the live list newest first, one entry per report, an update not making it new again', () => {
    let list = mergeLiveReport([], event('DB-AAAAAA'), 1000);
    list = mergeLiveReport(list, event('DB-BBBBBB'), 2000);
    list = mergeLiveReport(list, event('DB-AAAAAA', 'accepted'), 3000);
    expect(list.map((item) => item.trackingCode)).toEqual(['DB-AAAAAA', 'DB-BBBBBB']);
    expect(list[0]).toMatchObject({ status: 'accepted', arrivedAt: 1000 });
    expect(mergeLiveReport(list, event('DB-CCCCCC'), 4000, 2)).toHaveLength(2);
    expect(liveReportColour(list[1]!, 2000 + newReportMs - 1)).toEqual([233, 30, 99, 255]);
    expect(liveReportColour(list[1]!, 2000 + newReportMs)).not.toEqual([233, 30, 99, 255]);
  });

  it('charts the groups that have reports, most first', () => {
    const group = (key: string, received: number, overdue = 0) => ({ key, name: key, nameEn: null, received, open: 0, overdue, resolved: 0, onTimeRate: null, satisfactionRate: null, medianResolveMinutes: null });
    const rows = chartRows({ groups: [group('a', 0), group('b', 5), group('c', 9), group('d', 5, 2)] });
    expect(rows.map((row) => row.key)).toEqual(['c', 'd', 'b']);
  });

  it('fades the density hexagons out towards street zoom, so they never hide the city', () => {
    expect(densityOpacity(8)).toBe(densityFade.opacity);
    expect(densityOpacity(densityFade.fullUntilZoom)).toBe(densityFade.opacity);
    expect(densityOpacity(13)).toBeCloseTo(densityFade.opacity / 2);
    expect(densityOpacity(densityFade.goneFromZoom)).toBe(0);
    expect(densityOpacity(17)).toBe(0);
  });

  it('turns a statistics period into calendar days in Điện Biên (UTC+7)', () => {
    // 2026-12-04 20:30 UTC is already 5 December in Điện Biên.
    const now = new Date('2026-12-04T20:30:00Z');
    expect(periodRange('all', now)).toEqual({});
    expect(periodRange('7', now)).toEqual({ from: '2026-11-29', to: '2026-12-05' });
    expect(periodRange('30', now)).toEqual({ from: '2026-11-06', to: '2026-12-05' });
    expect(periodRange('year', now)).toEqual({ from: '2026-01-01', to: '2026-12-05' });
  });

  it('keeps the report id of a live report (its page on the desk) and says its new words in both languages', () => {
    expect(mergeLiveReport([], event('DB-AAAAAA'), 1)[0]!.id).toBe('DB-AAAAAA');
    expect(Object.keys(iocText.messages.en).sort()).toEqual(Object.keys(iocText.messages.vi).sort());
    expect(iocText.t('barReceived', { count: 1 }, 'en')).toBe('1 report');
    expect(iocText.t('barReceived', { count: 3 }, 'en')).toBe('3 reports');
    expect(iocText.t('barReceived', { count: 3 }, 'vi')).toBe('3 phản ánh');
  });
});
