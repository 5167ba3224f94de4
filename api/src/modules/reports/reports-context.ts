import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import type { createPhotoStorage } from '../photos/photo-storage.ts';
import type { ReportCalendarSource } from './report-calendar.ts';

/** What the report services need, built once by the app and passed in (services never see req/res). */
export interface ReportsContext {
  db: Kysely<Database>;
  calendar: ReportCalendarSource;
  photoStorage: ReturnType<typeof createPhotoStorage>;
  config: {
    nearbyRadiusM: number;
    borderFlagDistanceM: number;
  };
}
