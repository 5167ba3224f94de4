import type { ReportStatus } from '@bandoso/contracts';
import { describe, expect, it } from 'vitest';
import { liveReportColour, newReportMs, onTimeColour } from '../src/ioc/ioc-colours.ts';
import { mergeLiveReport, type FeedEventData } from '../src/ioc/live-reports.ts';
import { chartRows } from '../src/ioc/stats-panel.ts';

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
});
