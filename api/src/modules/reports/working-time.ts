/**
 * Working time: deadlines of citizen reports count office hours in Vietnam, Monday–Friday, minus public
 * holidays, plus the Saturdays declared working days to make up for a bridged holiday.
 *
 * This module is pure: it never reads the database. The service loads `calendar_exception` rows, turns
 * them into plain data (`calendarDataFromExceptions`) and builds a `WorkingCalendar` from it.
 *
 * Time zone. Vietnam keeps UTC+07:00 all year and has had no daylight saving time since 1975, so a
 * fixed offset is exact for every instant this platform will see. We therefore shift instants by
 * +7 h and do plain integer arithmetic on "local wall-clock milliseconds" instead of asking Intl for
 * each day: it is exact, allocation-free and a hundred times faster than formatting dates.
 *
 * Semantics (to the millisecond):
 * - Working time is the union of half-open intervals `[day + start, day + end)` of every working day:
 *   07:30 itself is working time, 11:30 is not.
 * - `addWorkingMinutes(from, m)` is the EARLIEST instant `t` such that the working time in `[from, t)`
 *   is exactly `m` minutes. Counting starts at `nextWorkingMoment(from)`; a deadline that ends exactly
 *   at the end of a period is that end (30 min from 11:00 is 11:30, not 13:00), and
 *   `addWorkingMinutes(from, 0)` is `nextWorkingMoment(from)`. Fractional minutes are rounded to the
 *   millisecond.
 * - `workingMinutesBetween(a, b)` is the measure of working time in `[a, b)` in minutes, exact to the
 *   millisecond (so it may be fractional when an input is not on a minute boundary; floor it to show
 *   whole minutes). For every `t` and `m`: `workingMinutesBetween(t, addWorkingMinutes(t, m)) === m`.
 */

export interface WorkingHoursPeriod {
  /** Local time 'HH:MM' (Asia/Ho_Chi_Minh). */
  start: string;
  /** Local time 'HH:MM', after `start`; '24:00' is allowed. */
  end: string;
}

export interface WorkingCalendarData {
  /** The only zone supported: Vietnam (UTC+07:00, no DST). */
  timeZone?: 'Asia/Ho_Chi_Minh';
  /** Office hours of a working day, in order, not overlapping. */
  periods: WorkingHoursPeriod[];
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  workingWeekdays: number[];
  /** Days off ('YYYY-MM-DD', local) that would otherwise be working days. */
  holidays: string[];
  /** Days worked ('YYYY-MM-DD', local) that would otherwise be days off, e.g. a make-up Saturday. */
  extraWorkingDays: string[];
}

export interface WorkingCalendar {
  /** The instant `minutes` working minutes after `from` (if `from` is outside working time, counting starts at the next working moment). */
  addWorkingMinutes(from: Date, minutes: number): Date;
  /** Working minutes between two instants (0 if end <= start). Exact to the millisecond, so possibly fractional. */
  workingMinutesBetween(start: Date, end: Date): number;
  /** Whether `at` lies in office hours of a working day. */
  isWorkingTime(at: Date): boolean;
  /** Whether the local day ('YYYY-MM-DD') is a working day (weekday rule, holidays and make-up days applied). */
  isWorkingDay(day: string): boolean;
  /** The next instant at or after `at` that is working time. */
  nextWorkingMoment(at: Date): Date;
}

/** The Vietnamese public-administration standard: 07:30–11:30 and 13:00–17:00 (8 hours). */
export const defaultWorkingHours: WorkingHoursPeriod[] = [
  { start: '07:30', end: '11:30' },
  { start: '13:00', end: '17:00' },
];

export const defaultWorkingWeekdays: readonly number[] = [1, 2, 3, 4, 5];

/** How far a search for working time may look ahead before deciding the calendar has none. */
export const MAX_SEARCH_DAYS = 5 * 366;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Asia/Ho_Chi_Minh: UTC+07:00, no daylight saving time (see the file comment). */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** Parses "07:30-11:30,13:00-17:00" into periods; throws an Error that says what is wrong. */
export function parseWorkingHours(text: string): WorkingHoursPeriod[] {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) throw new Error(`Working hours "${text}" are empty: expected e.g. "07:30-11:30,13:00-17:00".`);
  const periods = parts.map((part) => {
    const match = /^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/.exec(part);
    if (!match) throw new Error(`Working hours period "${part}" is not of the form HH:MM-HH:MM (e.g. "07:30-11:30").`);
    return { start: match[1]!.padStart(5, '0'), end: match[2]!.padStart(5, '0') };
  });
  toMillisecondPeriods(periods); // validates
  return periods;
}

/** Splits `calendar_exception` rows into the two lists a calendar takes. */
export function calendarDataFromExceptions(
  rows: ReadonlyArray<{ day: string; kind: 'holiday' | 'working_day' }>,
): Pick<WorkingCalendarData, 'holidays' | 'extraWorkingDays'> {
  return {
    holidays: rows.filter((row) => row.kind === 'holiday').map((row) => row.day),
    extraWorkingDays: rows.filter((row) => row.kind === 'working_day').map((row) => row.day),
  };
}

interface MillisecondPeriod {
  /** Milliseconds after local midnight. */
  start: number;
  end: number;
}

export function createWorkingCalendar(data: Partial<WorkingCalendarData> = {}): WorkingCalendar {
  if (data.timeZone !== undefined && data.timeZone !== 'Asia/Ho_Chi_Minh') {
    throw new Error(`Time zone "${String(data.timeZone)}" is not supported: working time is counted in Asia/Ho_Chi_Minh.`);
  }
  const periods = toMillisecondPeriods(data.periods ?? defaultWorkingHours);
  if (periods.length === 0) throw new Error('The working calendar has no working hours: give at least one period such as 07:30-11:30.');

  const weekdays = data.workingWeekdays ?? defaultWorkingWeekdays;
  for (const weekday of weekdays) {
    if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) {
      throw new Error(`Working weekday ${weekday} is not an ISO weekday (1 = Monday … 7 = Sunday).`);
    }
  }
  const workingWeekdays = new Set(weekdays);
  const holidays = new Set((data.holidays ?? []).map((day) => dayIndexOf(day, 'holiday')));
  const extraWorkingDays = new Set((data.extraWorkingDays ?? []).map((day) => dayIndexOf(day, 'extra working day')));
  if (workingWeekdays.size === 0 && extraWorkingDays.size === 0) {
    throw new Error('The working calendar has no working days: give working weekdays (1 = Monday … 7 = Sunday) or extra working days.');
  }
  for (const day of extraWorkingDays) {
    if (holidays.has(day)) throw new Error(`Day ${dayKeyOf(day)} is both a holiday and an extra working day.`);
  }

  /** Day index = whole local days since 1970-01-01 (a Thursday). */
  const isWorkingDayIndex = (day: number): boolean => {
    if (extraWorkingDays.has(day)) return true;
    if (holidays.has(day)) return false;
    return workingWeekdays.has(isoWeekdayOf(day));
  };

  /** Working milliseconds of `day` in local milliseconds-of-day `[from, to)`. */
  const workingMsWithin = (from: number, to: number): number => {
    let sum = 0;
    for (const period of periods) sum += Math.max(0, Math.min(period.end, to) - Math.max(period.start, from));
    return sum;
  };

  const noWorkingTime = (after: number): Error =>
    new Error(
      `The working calendar has no working time within ${MAX_SEARCH_DAYS} days after ${new Date(after - VIETNAM_OFFSET_MS).toISOString()}: ` +
        'check the working hours, working weekdays and holidays.',
    );

  /** The first local instant at or after `local` that is working time. */
  const nextWorkingLocal = (local: number): number => {
    let day = Math.floor(local / DAY_MS);
    let timeOfDay = local - day * DAY_MS;
    for (let searched = 0; searched <= MAX_SEARCH_DAYS; searched += 1) {
      if (isWorkingDayIndex(day)) {
        for (const period of periods) {
          if (timeOfDay < period.end) return day * DAY_MS + Math.max(timeOfDay, period.start);
        }
      }
      day += 1;
      timeOfDay = 0;
    }
    throw noWorkingTime(local);
  };

  return {
    isWorkingDay(day: string): boolean {
      return isWorkingDayIndex(dayIndexOf(day, 'day'));
    },

    isWorkingTime(at: Date): boolean {
      const local = toLocal(at);
      const day = Math.floor(local / DAY_MS);
      const timeOfDay = local - day * DAY_MS;
      return isWorkingDayIndex(day) && periods.some((period) => timeOfDay >= period.start && timeOfDay < period.end);
    },

    nextWorkingMoment(at: Date): Date {
      return fromLocal(nextWorkingLocal(toLocal(at)));
    },

    addWorkingMinutes(from: Date, minutes: number): Date {
      if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`Working minutes must be a finite number >= 0, got ${minutes}.`);
      let remaining = Math.round(minutes * MINUTE_MS);
      const start = nextWorkingLocal(toLocal(from));
      let day = Math.floor(start / DAY_MS);
      let timeOfDay = start - day * DAY_MS;
      let daysWithoutWork = 0;
      // One step per day: whole working days are subtracted at once, never minute by minute.
      for (;;) {
        if (isWorkingDayIndex(day)) {
          daysWithoutWork = 0;
          const available = workingMsWithin(timeOfDay, DAY_MS);
          if (remaining <= available) {
            for (const period of periods) {
              const begin = Math.max(period.start, timeOfDay);
              if (begin >= period.end) continue;
              if (remaining <= period.end - begin) return fromLocal(day * DAY_MS + begin + remaining);
              remaining -= period.end - begin;
            }
          }
          remaining -= available;
        } else if (++daysWithoutWork > MAX_SEARCH_DAYS) {
          throw noWorkingTime(start);
        }
        day += 1;
        timeOfDay = 0;
      }
    },

    workingMinutesBetween(start: Date, end: Date): number {
      const from = toLocal(start);
      const to = toLocal(end);
      if (!(to > from)) return 0;
      const firstDay = Math.floor(from / DAY_MS);
      const lastDay = Math.floor(to / DAY_MS);
      let sum = 0;
      for (let day = firstDay; day <= lastDay; day += 1) {
        if (!isWorkingDayIndex(day)) continue;
        const dayStart = day * DAY_MS;
        sum += workingMsWithin(day === firstDay ? from - dayStart : 0, day === lastDay ? to - dayStart : DAY_MS);
      }
      return sum / MINUTE_MS;
    },
  };
}

function toLocal(at: Date): number {
  const time = at.getTime();
  if (!Number.isFinite(time)) throw new RangeError('Invalid Date given to the working calendar.');
  return time + VIETNAM_OFFSET_MS;
}

function fromLocal(local: number): Date {
  return new Date(local - VIETNAM_OFFSET_MS);
}

function isoWeekdayOf(day: number): number {
  // Day 0 (1970-01-01) was a Thursday, ISO weekday 4.
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

function dayIndexOf(day: string, what: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || !Number.isFinite(time) || new Date(time).toISOString().slice(0, 10) !== day) {
    throw new Error(`Invalid ${what} "${day}": expected a real date as YYYY-MM-DD.`);
  }
  return time / DAY_MS;
}

function dayKeyOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function parseTimeOfDay(text: string, what: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) {
    throw new Error(`Invalid ${what} time "${text}": expected HH:MM between 00:00 and 24:00.`);
  }
  return (hours * 60 + minutes) * MINUTE_MS;
}

function toMillisecondPeriods(periods: readonly WorkingHoursPeriod[]): MillisecondPeriod[] {
  const parsed = periods.map((period) => {
    const start = parseTimeOfDay(period.start, 'start');
    const end = parseTimeOfDay(period.end, 'end');
    if (end <= start) throw new Error(`Working hours period ${period.start}-${period.end} ends before it starts.`);
    return { start, end, label: `${period.start}-${period.end}` };
  });
  parsed.sort((a, b) => a.start - b.start);
  const merged: MillisecondPeriod[] = [];
  for (let index = 0; index < parsed.length; index += 1) {
    const period = parsed[index]!;
    const previous = parsed[index - 1];
    if (previous && period.start < previous.end) {
      throw new Error(`Working hours periods ${previous.label} and ${period.label} overlap.`);
    }
    const last = merged[merged.length - 1];
    // Touching periods (11:30-12:00 and 12:00-13:00) are one stretch of work.
    if (last && last.end === period.start) last.end = period.end;
    else merged.push({ start: period.start, end: period.end });
  }
  return merged;
}
