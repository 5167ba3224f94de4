/**
 * Calendar arithmetic on 'YYYY-MM-DD' dates (creation days in Asia/Ho_Chi_Minh), done in UTC so that
 * no local offset can shift a day.
 */

export type CalendarDate = string;

/**
 * Which aggregate rows cover the days from `from` to `to` (both included): the whole months inside
 * the period as month rows, and the days before the first and after the last whole month as day
 * rows. A statistics query therefore reads at most (≈ 60 + months in the period) rows per group,
 * however many reports there are.
 */
export interface PeriodCover {
  /** Inclusive ranges of day rows. */
  days: Array<{ from: CalendarDate; to: CalendarDate }>;
  /** Inclusive range of month rows, by their first day; null when the period holds no whole month. */
  months: { from: CalendarDate; to: CalendarDate } | null;
}

export function coverPeriod(from: CalendarDate, to: CalendarDate): PeriodCover {
  const firstWholeMonth = isFirstOfMonth(from) ? from : addMonths(startOfMonth(from), 1);
  const lastWholeMonth = isLastOfMonth(to) ? startOfMonth(to) : addMonths(startOfMonth(to), -1);
  if (firstWholeMonth > lastWholeMonth) return { days: [{ from, to }], months: null };
  const days: PeriodCover['days'] = [];
  if (from < firstWholeMonth) days.push({ from, to: addDays(firstWholeMonth, -1) });
  const afterLastWholeMonth = addMonths(lastWholeMonth, 1);
  if (afterLastWholeMonth <= to) days.push({ from: afterLastWholeMonth, to });
  return { days, months: { from: firstWholeMonth, to: lastWholeMonth } };
}


export function addDays(date: CalendarDate, days: number): CalendarDate {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
}

export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCMonth(value.getUTCMonth() + months, 1);
  return value.toISOString().slice(0, 10);
}

export function startOfMonth(date: CalendarDate): CalendarDate {
  return `${date.slice(0, 7)}-01`;
}

export function startOfYear(date: CalendarDate): CalendarDate {
  return `${date.slice(0, 4)}-01-01`;
}

/** Days from `from` to `to`, both counted (1 for the same day). */
export function daysInPeriod(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The months (YYYY-MM) that hold a day of the period, in order. */
export function eachMonth(from: CalendarDate, to: CalendarDate): string[] {
  const months: string[] = [];
  let [year, month] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const last = to.slice(0, 7);
  for (let key = from.slice(0, 7); key <= last; key = `${year}-${String(month).padStart(2, '0')}`) {
    months.push(key);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return months;
}

export function eachDay(from: CalendarDate, to: CalendarDate): CalendarDate[] {
  const days: CalendarDate[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

function isFirstOfMonth(date: CalendarDate): boolean {
  return date.endsWith('-01');
}

function isLastOfMonth(date: CalendarDate): boolean {
  return addDays(date, 1).endsWith('-01');
}
