import { describe, expect, it } from 'vitest';
import { defaultCalendarExceptions } from './default-rules.ts';
import {
  calendarDataFromExceptions,
  createWorkingCalendar,
  defaultWorkingHours,
  parseWorkingHours,
  type WorkingCalendar,
} from './working-time.ts';

/** An instant given as Vietnam wall-clock time, e.g. vn('2026-03-06 16:00'). */
function vn(local: string): Date {
  const [day, time = '00:00'] = local.split(' ');
  const date = new Date(`${day}T${time.length === 5 ? `${time}:00` : time}+07:00`);
  if (Number.isNaN(date.getTime())) throw new Error(`bad test instant ${local}`);
  return date;
}

const HOUR = 60;
const WORKING_DAY = 8 * HOUR;

/** The calendar the platform starts with: default hours, Monday–Friday, the shipped holidays. */
function defaultCalendar(): WorkingCalendar {
  return createWorkingCalendar(calendarDataFromExceptions(defaultCalendarExceptions));
}

describe('working time, default office hours (07:30–11:30, 13:00–17:00)', () => {
  const calendar = createWorkingCalendar({});

  it('has the Vietnamese public-administration hours by default: 8 hours a day', () => {
    expect(defaultWorkingHours).toEqual([
      { start: '07:30', end: '11:30' },
      { start: '13:00', end: '17:00' },
    ]);
    expect(calendar.workingMinutesBetween(vn('2026-03-02 00:00'), vn('2026-03-03 00:00'))).toBe(WORKING_DAY);
  });

  it('8 working hours from Friday 16:00 end on Monday 16:00 (1 h Friday + 4 h + 3 h Monday)', () => {
    expect(calendar.addWorkingMinutes(vn('2026-03-06 16:00'), 8 * HOUR)).toEqual(vn('2026-03-09 16:00'));
    expect(calendar.addWorkingMinutes(vn('2026-03-06 16:00'), 7 * HOUR)).toEqual(vn('2026-03-09 15:00'));
  });

  it('skips the lunch break: 4 h from 11:00 end at 16:30 the same day (30 min + 3 h 30)', () => {
    expect(calendar.addWorkingMinutes(vn('2026-03-02 11:00'), 4 * HOUR)).toEqual(vn('2026-03-02 16:30'));
    expect(calendar.addWorkingMinutes(vn('2026-03-02 09:00'), 4 * HOUR)).toEqual(vn('2026-03-02 14:30'));
  });

  it('a deadline that ends exactly at the end of a period is that end, not the next start', () => {
    expect(calendar.addWorkingMinutes(vn('2026-03-02 11:00'), 30)).toEqual(vn('2026-03-02 11:30'));
    expect(calendar.addWorkingMinutes(vn('2026-03-02 07:30'), WORKING_DAY)).toEqual(vn('2026-03-02 17:00'));
    expect(calendar.addWorkingMinutes(vn('2026-03-02 11:00'), 31)).toEqual(vn('2026-03-02 13:01'));
  });

  it('a submission on Saturday starts counting on Monday 07:30', () => {
    const saturday = vn('2026-03-07 10:15');
    expect(calendar.nextWorkingMoment(saturday)).toEqual(vn('2026-03-09 07:30'));
    expect(calendar.addWorkingMinutes(saturday, 0)).toEqual(vn('2026-03-09 07:30'));
    expect(calendar.addWorkingMinutes(saturday, 90)).toEqual(vn('2026-03-09 09:00'));
    expect(calendar.workingMinutesBetween(saturday, vn('2026-03-09 09:00'))).toBe(90);
  });

  it('outside hours on a working day: before opening, at lunch, after closing', () => {
    expect(calendar.addWorkingMinutes(vn('2026-03-02 06:00'), 60)).toEqual(vn('2026-03-02 08:30'));
    expect(calendar.addWorkingMinutes(vn('2026-03-02 12:10'), 60)).toEqual(vn('2026-03-02 14:00'));
    expect(calendar.addWorkingMinutes(vn('2026-03-02 19:45'), 60)).toEqual(vn('2026-03-03 08:30'));
    expect(calendar.addWorkingMinutes(vn('2026-03-02 09:00'), 0)).toEqual(vn('2026-03-02 09:00'));
    // The end of a period is not working time, so counting from it starts at the next period.
    expect(calendar.nextWorkingMoment(vn('2026-03-02 11:30'))).toEqual(vn('2026-03-02 13:00'));
    expect(calendar.nextWorkingMoment(vn('2026-03-06 17:00'))).toEqual(vn('2026-03-09 07:30'));
    expect(calendar.addWorkingMinutes(vn('2026-03-02 11:30'), 0)).toEqual(vn('2026-03-02 13:00'));
    expect(calendar.addWorkingMinutes(vn('2026-03-02 11:30'), 1)).toEqual(vn('2026-03-02 13:01'));
  });

  it('reads instants in UTC and counts in Vietnam time (UTC+7)', () => {
    // 2026-03-02T00:30Z is Monday 07:30 in Vietnam.
    expect(calendar.isWorkingTime(new Date('2026-03-02T00:30:00Z'))).toBe(true);
    expect(calendar.isWorkingTime(new Date('2026-03-02T00:29:59.999Z'))).toBe(false);
    expect(calendar.nextWorkingMoment(new Date('2026-03-02T00:29:59.999Z'))).toEqual(new Date('2026-03-02T00:30:00Z'));
    // 11:30 and 17:00 are not working time (periods are half-open); 16:59:59.999 is.
    expect(calendar.isWorkingTime(new Date('2026-03-02T04:30:00Z'))).toBe(false);
    expect(calendar.isWorkingTime(new Date('2026-03-02T09:59:59.999Z'))).toBe(true);
    expect(calendar.isWorkingTime(new Date('2026-03-02T10:00:00Z'))).toBe(false);
    // Sunday 17:00Z is already Monday 00:00 in Vietnam; Friday 17:30Z is Saturday 00:30.
    expect(calendar.nextWorkingMoment(new Date('2026-03-01T17:00:00Z'))).toEqual(new Date('2026-03-02T00:30:00Z'));
    expect(calendar.nextWorkingMoment(new Date('2026-03-06T17:30:00Z'))).toEqual(new Date('2026-03-09T00:30:00Z'));
    expect(calendar.addWorkingMinutes(new Date('2026-03-02T00:30:00Z'), 60).toISOString()).toBe('2026-03-02T01:30:00.000Z');
  });

  it('is exact to the millisecond for instants between minutes', () => {
    const from = vn('2026-03-02 11:29:30.500');
    expect(calendar.addWorkingMinutes(from, 1)).toEqual(vn('2026-03-02 13:00:30.500'));
    expect(calendar.workingMinutesBetween(from, vn('2026-03-02 13:00'))).toBe(29_500 / 60_000);
    expect(calendar.workingMinutesBetween(from, vn('2026-03-02 13:00:30.500'))).toBe(1);
    // Fractional minutes are rounded to the millisecond.
    expect(calendar.addWorkingMinutes(vn('2026-03-02 08:00'), 0.5)).toEqual(vn('2026-03-02 08:00:30'));
  });

  it('workingMinutesBetween: 0 when end <= start; counts only working time', () => {
    expect(calendar.workingMinutesBetween(vn('2026-03-02 10:00'), vn('2026-03-02 10:00'))).toBe(0);
    expect(calendar.workingMinutesBetween(vn('2026-03-03 10:00'), vn('2026-03-02 10:00'))).toBe(0);
    expect(calendar.workingMinutesBetween(vn('2026-03-06 16:00'), vn('2026-03-09 08:30'))).toBe(2 * HOUR);
    expect(calendar.workingMinutesBetween(vn('2026-03-02 00:00'), vn('2026-03-09 00:00'))).toBe(5 * WORKING_DAY);
  });

  it('rejects negative or non-finite minutes and invalid dates', () => {
    expect(() => calendar.addWorkingMinutes(vn('2026-03-02 08:00'), -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingMinutes(vn('2026-03-02 08:00'), Number.NaN)).toThrow(RangeError);
    expect(() => calendar.addWorkingMinutes(new Date('nonsense'), 10)).toThrow(/Invalid Date/);
  });
});

describe('working time with holidays and make-up days (the shipped calendar)', () => {
  const calendar = defaultCalendar();

  it('skips the Tết 2026 week (holidays 2026-02-14 … 2026-02-22)', () => {
    for (const day of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']) {
      expect(calendar.isWorkingDay(day)).toBe(false);
    }
    expect(calendar.isWorkingDay('2026-02-13')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-23')).toBe(true);
    expect(calendar.addWorkingMinutes(vn('2026-02-13 16:00'), 8 * HOUR)).toEqual(vn('2026-02-23 16:00'));
    expect(calendar.nextWorkingMoment(vn('2026-02-17 09:00'))).toEqual(vn('2026-02-23 07:30'));
    // Without the holidays the same deadline falls inside Tết.
    expect(createWorkingCalendar({}).addWorkingMinutes(vn('2026-02-13 16:00'), 8 * HOUR)).toEqual(vn('2026-02-16 16:00'));
  });

  it('3 working days across Tết: Thursday 09:00 → the Tuesday after Tết, 09:00', () => {
    expect(calendar.addWorkingMinutes(vn('2026-02-12 09:00'), 3 * WORKING_DAY)).toEqual(vn('2026-02-24 09:00'));
    expect(calendar.workingMinutesBetween(vn('2026-02-12 09:00'), vn('2026-02-24 09:00'))).toBe(3 * WORKING_DAY);
  });

  it('3 working days across 30/4–1/5 2025 (three holidays and a weekend)', () => {
    expect(calendar.addWorkingMinutes(vn('2025-04-29 09:00'), 3 * WORKING_DAY)).toEqual(vn('2025-05-07 09:00'));
  });

  it('10 working days across a weekend and three holidays (27/4, 30/4, 1/5 2026)', () => {
    // Working days after Wed 22/4: 23, 24, 28, 29/4, 4, 5, 6, 7, 8, 11/5.
    expect(calendar.addWorkingMinutes(vn('2026-04-22 10:00'), 10 * WORKING_DAY)).toEqual(vn('2026-05-11 10:00'));
    expect(createWorkingCalendar({}).addWorkingMinutes(vn('2026-04-22 10:00'), 10 * WORKING_DAY)).toEqual(vn('2026-05-06 10:00'));
  });

  it('counts a make-up Saturday (26/4/2025 worked for the 2/5 bridge)', () => {
    expect(calendar.isWorkingDay('2025-04-26')).toBe(true);
    expect(calendar.isWorkingDay('2025-05-02')).toBe(false);
    expect(calendar.isWorkingTime(vn('2025-04-26 08:00'))).toBe(true);
    expect(calendar.addWorkingMinutes(vn('2025-04-25 16:00'), 2 * HOUR)).toEqual(vn('2025-04-26 08:30'));
    expect(calendar.workingMinutesBetween(vn('2025-04-25 00:00'), vn('2025-04-28 00:00'))).toBe(2 * WORKING_DAY);
    const withoutMakeUpDay = createWorkingCalendar({ holidays: ['2025-05-02'] });
    expect(withoutMakeUpDay.addWorkingMinutes(vn('2025-04-25 16:00'), 2 * HOUR)).toEqual(vn('2025-04-28 08:30'));
  });

  it('splits calendar_exception rows into holidays and extra working days', () => {
    const data = calendarDataFromExceptions([
      { day: '2026-02-16', kind: 'holiday' },
      { day: '2025-04-26', kind: 'working_day' },
    ]);
    expect(data).toEqual({ holidays: ['2026-02-16'], extraWorkingDays: ['2025-04-26'] });
  });
});

describe('consistency of addWorkingMinutes and workingMinutesBetween (property test)', () => {
  /** A seeded generator (mulberry32), so that a failure can be reproduced. */
  function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
  }

  const calendars: Array<[string, WorkingCalendar]> = [
    ['shipped calendar', defaultCalendar()],
    ['custom 7.5 h calendar, Mon–Sat', createWorkingCalendar({ periods: parseWorkingHours('07:30-11:30,13:30-17:00'), workingWeekdays: [1, 2, 3, 4, 5, 6] })],
  ];

  for (const [name, calendar] of calendars) {
    it(`${name}: workingMinutesBetween(t, addWorkingMinutes(t, m)) === m, and the result is the earliest such instant`, () => {
      const random = seededRandom(20260302);
      const first = Date.UTC(2024, 11, 1);
      const span = Date.UTC(2027, 11, 31) - first;
      for (let run = 0; run < 2000; run += 1) {
        // Any millisecond, not only minute boundaries; every few runs a whole number of minutes.
        const t = new Date(first + Math.floor(random() * span));
        const m = run % 5 === 0 ? 0 : Math.floor(random() * 12 * WORKING_DAY) + (run % 3 === 0 ? 0.25 : 0);
        const due = calendar.addWorkingMinutes(t, m);
        const context = `t=${t.toISOString()} m=${m} due=${due.toISOString()}`;
        expect(calendar.workingMinutesBetween(t, due), context).toBe(m);
        expect(due.getTime(), context).toBeGreaterThanOrEqual(t.getTime());
        if (m > 0) {
          // One millisecond earlier is not enough: the deadline is the earliest instant.
          expect(calendar.workingMinutesBetween(t, new Date(due.getTime() - 1)), context).toBeLessThan(m);
          expect(calendar.isWorkingTime(new Date(due.getTime() - 1)), context).toBe(true);
        } else {
          expect(due, context).toEqual(calendar.nextWorkingMoment(t));
          expect(calendar.isWorkingTime(due), context).toBe(true);
        }
      }
    });
  }
});

describe('long spans and calendars without working time', () => {
  it('adds years of working time by whole days, not minute by minute', () => {
    const calendar = defaultCalendar();
    const started = performance.now();
    const due = calendar.addWorkingMinutes(vn('2025-01-02 08:00'), 1000 * WORKING_DAY);
    const elapsedMs = performance.now() - started;
    expect(calendar.workingMinutesBetween(vn('2025-01-02 08:00'), due)).toBe(1000 * WORKING_DAY);
    expect(due.getTime()).toBeGreaterThan(vn('2028-09-01 00:00').getTime());
    expect(elapsedMs).toBeLessThan(100);
  });

  it('refuses a calendar with no hours or no working days at construction', () => {
    expect(() => createWorkingCalendar({ periods: [] })).toThrow(/no working hours/);
    expect(() => createWorkingCalendar({ workingWeekdays: [] })).toThrow(/no working days/);
  });

  it('throws a clear error, instead of looping forever, when no working time comes within 5 years', () => {
    const onlyOneDay = createWorkingCalendar({ workingWeekdays: [], extraWorkingDays: ['2026-03-07'] });
    expect(onlyOneDay.addWorkingMinutes(vn('2026-03-01 00:00'), 60)).toEqual(vn('2026-03-07 08:30'));
    expect(() => onlyOneDay.addWorkingMinutes(vn('2026-03-08 00:00'), 60)).toThrow(/no working time within \d+ days/);
    expect(() => onlyOneDay.nextWorkingMoment(vn('2026-03-08 00:00'))).toThrow(/no working time/);
    // Not enough working time left for the amount asked.
    expect(() => onlyOneDay.addWorkingMinutes(vn('2026-03-01 00:00'), 2 * WORKING_DAY)).toThrow(/no working time/);
    expect(onlyOneDay.workingMinutesBetween(vn('2026-01-01 00:00'), vn('2030-01-01 00:00'))).toBe(WORKING_DAY);
  });
});

describe('calendar data validation', () => {
  it('validates days, weekdays and the time zone', () => {
    const calendar = createWorkingCalendar({});
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(/YYYY-MM-DD/);
    expect(() => calendar.isWorkingDay('2026/03/02')).toThrow(/YYYY-MM-DD/);
    expect(calendar.isWorkingDay('2026-03-07')).toBe(false);
    expect(calendar.isWorkingDay('2026-03-09')).toBe(true);
    expect(() => createWorkingCalendar({ holidays: ['2026-13-01'] })).toThrow(/holiday "2026-13-01"/);
    expect(() => createWorkingCalendar({ workingWeekdays: [0, 1] })).toThrow(/ISO weekday/);
    expect(() => createWorkingCalendar({ holidays: ['2026-03-07'], extraWorkingDays: ['2026-03-07'] })).toThrow(/both a holiday and an extra working day/);
    expect(() => createWorkingCalendar({ timeZone: 'Asia/Bangkok' as 'Asia/Ho_Chi_Minh' })).toThrow(/not supported/);
  });

  it('a holiday on a weekend changes nothing; an extra working day on a weekday changes nothing', () => {
    const plain = createWorkingCalendar({});
    const odd = createWorkingCalendar({ holidays: ['2026-03-07'], extraWorkingDays: ['2026-03-09'] });
    expect(odd.workingMinutesBetween(vn('2026-03-01 00:00'), vn('2026-04-01 00:00'))).toBe(plain.workingMinutesBetween(vn('2026-03-01 00:00'), vn('2026-04-01 00:00')));
  });

  it('configurable periods: 07:30–11:30 and 13:30–17:00 (7.5 h)', () => {
    const calendar = createWorkingCalendar({ periods: parseWorkingHours('07:30-11:30, 13:30-17:00') });
    expect(calendar.addWorkingMinutes(vn('2026-03-02 11:00'), 4 * HOUR)).toEqual(vn('2026-03-02 17:00'));
    expect(calendar.workingMinutesBetween(vn('2026-03-02 00:00'), vn('2026-03-03 00:00'))).toBe(7.5 * HOUR);
    expect(calendar.isWorkingTime(vn('2026-03-02 13:15'))).toBe(false);
  });
});

describe('parseWorkingHours', () => {
  it('parses periods, padding single-digit hours', () => {
    expect(parseWorkingHours('07:30-11:30,13:00-17:00')).toEqual(defaultWorkingHours);
    expect(parseWorkingHours(' 7:30 - 11:30 , 13:00-17:00 ')).toEqual(defaultWorkingHours);
    expect(parseWorkingHours('22:00-24:00')).toEqual([{ start: '22:00', end: '24:00' }]);
  });

  it('merges touching periods into one stretch of work', () => {
    const calendar = createWorkingCalendar({ periods: parseWorkingHours('08:00-12:00,12:00-16:00') });
    expect(calendar.isWorkingTime(vn('2026-03-02 12:00'))).toBe(true);
    expect(calendar.addWorkingMinutes(vn('2026-03-02 08:00'), 8 * HOUR)).toEqual(vn('2026-03-02 16:00'));
  });

  it('throws a clear error on bad input', () => {
    expect(() => parseWorkingHours('')).toThrow(/empty/);
    expect(() => parseWorkingHours('07:30')).toThrow(/HH:MM-HH:MM/);
    expect(() => parseWorkingHours('morning')).toThrow(/HH:MM-HH:MM/);
    expect(() => parseWorkingHours('07:30-11:30;13:00-17:00')).toThrow(/HH:MM-HH:MM/);
    expect(() => parseWorkingHours('11:30-07:30')).toThrow(/ends before it starts/);
    expect(() => parseWorkingHours('08:00-08:00')).toThrow(/ends before it starts/);
    expect(() => parseWorkingHours('07:30-11:30,11:00-17:00')).toThrow(/07:30-11:30 and 11:00-17:00 overlap/);
    expect(() => parseWorkingHours('07:30-25:00')).toThrow(/between 00:00 and 24:00/);
    expect(() => parseWorkingHours('07:60-11:30')).toThrow(/between 00:00 and 24:00/);
  });
});
