import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { listCalendarExceptions } from './report-rules.repository.ts';
import { calendarDataFromExceptions, createWorkingCalendar, parseWorkingHours, type WorkingCalendar } from './working-time.ts';

/**
 * The working calendar that deadlines count in: office hours from the configuration, holidays and
 * make-up days from the database. Built once and kept until an admin changes the calendar.
 */
export class ReportCalendarSource {
  #calendar: Promise<WorkingCalendar> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly workingHours: string,
  ) {}

  get(): Promise<WorkingCalendar> {
    this.#calendar ??= this.#load().catch((error: unknown) => {
      this.#calendar = undefined;
      throw error;
    });
    return this.#calendar;
  }

  invalidate(): void {
    this.#calendar = undefined;
  }

  async #load(): Promise<WorkingCalendar> {
    const exceptions = await listCalendarExceptions(this.db);
    return createWorkingCalendar({ periods: parseWorkingHours(this.workingHours), ...calendarDataFromExceptions(exceptions) });
  }
}
