import { describe, expect, it } from 'vitest';
import { addDays, addMonths, coverPeriod, daysInPeriod, eachDay, eachMonth } from './stats-periods.ts';
import { isRealDate, isRealDateOrDateTime } from '../../http/validate-input.ts';

describe('covering a period with day and month rows', () => {
  it.each([
    ['inside one month', '2026-03-05', '2026-03-20', { days: [{ from: '2026-03-05', to: '2026-03-20' }], months: null }],
    ['one whole month', '2026-02-01', '2026-02-28', { days: [], months: { from: '2026-02-01', to: '2026-02-01' } }],
    ['a leap February', '2024-02-01', '2024-02-29', { days: [], months: { from: '2024-02-01', to: '2024-02-01' } }],
    ['February of 2024 but for its last day', '2024-02-01', '2024-02-28', { days: [{ from: '2024-02-01', to: '2024-02-28' }], months: null }],
    [
      'a year from the middle of a month',
      '2025-11-15',
      '2026-11-14',
      { days: [{ from: '2025-11-15', to: '2025-11-30' }, { from: '2026-11-01', to: '2026-11-14' }], months: { from: '2025-12-01', to: '2026-10-01' } },
    ],
    ['across a month end, no whole month', '2026-01-20', '2026-02-10', { days: [{ from: '2026-01-20', to: '2026-02-10' }], months: null }],
    ['a single day', '2026-12-31', '2026-12-31', { days: [{ from: '2026-12-31', to: '2026-12-31' }], months: null }],
    ['whole years', '2025-01-01', '2026-12-31', { days: [], months: { from: '2025-01-01', to: '2026-12-01' } }],
    ['from a month start to the middle of the next', '2026-01-01', '2026-02-10', { days: [{ from: '2026-02-01', to: '2026-02-10' }], months: { from: '2026-01-01', to: '2026-01-01' } }],
  ])('%s', (_name, from, to, expected) => {
    expect(coverPeriod(from, to)).toEqual(expected);
  });

  it('covers every day exactly once, for many periods', () => {
    const start = '2024-01-01';
    for (let offset = 0; offset < 400; offset += 13) {
      for (const length of [1, 2, 27, 31, 45, 61, 90, 365, 800]) {
        const from = addDays(start, offset);
        const to = addDays(from, length - 1);
        const cover = coverPeriod(from, to);
        const covered: string[] = cover.days.flatMap((range) => eachDay(range.from, range.to));
        if (cover.months) {
          for (let month = cover.months.from; month <= cover.months.to; month = addMonths(month, 1)) covered.push(...eachDay(month, addDays(addMonths(month, 1), -1)));
        }
        expect(covered.sort(), `${from}..${to}`).toEqual(eachDay(from, to));
        expect(cover.days.reduce((sum, range) => sum + daysInPeriod(range.from, range.to), 0)).toBeLessThanOrEqual(60);
      }
    }
  });

  it('lists the months a period touches', () => {
    expect(eachMonth('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(eachMonth('2026-03-01', '2026-03-31')).toEqual(['2026-03']);
    expect(eachMonth('2000-01-01', '2009-12-31')).toHaveLength(120);
  });

  it('knows real dates', () => {
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2026-02-29')).toBe(false);
    expect(isRealDate('2026-13-01')).toBe(false);
    expect(isRealDate('2026-1-01')).toBe(false);
    expect(isRealDate('0000-01-01')).toBe(false); // PostgreSQL has no year 0
    expect(isRealDate('0001-01-01')).toBe(true);
    expect(isRealDateOrDateTime('0001-01-01T00:00:00Z')).toBe(true);
    expect(isRealDateOrDateTime('0001-01-01T00:00:00+07:00')).toBe(false); // year 0 in UTC
    expect(isRealDateOrDateTime('9999-12-31T23:59:59-10:00')).toBe(false); // year 10000 in UTC
    expect(isRealDateOrDateTime('2025-02-30T10:00:00Z')).toBe(false);
  });
});
