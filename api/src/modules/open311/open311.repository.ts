import type { DatabaseExecutor } from '../../db/database-schema.ts';


/**
 * The first public photo of each report (by upload time), in one query for a whole page of requests.
 * Public means what `getPublicReport` shows: a photo of the report itself or of a public event.
 */
export async function listFirstPublicPhotoIds(db: DatabaseExecutor, reportIds: readonly string[]): Promise<Map<string, string>> {
  if (reportIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('report_photo')
    .leftJoin('report_event', 'report_event.id', 'report_photo.event_id')
    .distinctOn('report_photo.report_id')
    .select(['report_photo.report_id', 'report_photo.id'])
    .where('report_photo.report_id', 'in', [...reportIds])
    .where((eb) => eb.or([eb('report_photo.event_id', 'is', null), eb('report_event.public', '=', true)]))
    .orderBy('report_photo.report_id')
    .orderBy('report_photo.created_at')
    .orderBy('report_photo.id')
    .execute();
  return new Map(rows.map((row) => [row.report_id, row.id]));
}
