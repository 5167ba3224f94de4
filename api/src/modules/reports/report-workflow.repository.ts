import { sql, type Transaction } from 'kysely';
import type { Database, DatabaseExecutor, RejectionReason, ReportStatus } from '../../db/database-schema.ts';

/** The state the staff workflow and the deadline job read and change, under a row lock. */

export async function lockReport(db: Transaction<Database>, reportId: string) {
  return db
    .selectFrom('report')
    .select([
      'id',
      'tracking_code',
      'category_code',
      'priority',
      'status',
      'office_id',
      'boundary_set_id',
      'unit_code',
      'created_at',
      'acknowledged_at',
      'resolved_at',
      'acknowledge_due_at',
      'due_at',
      'paused_at',
      'paused_remaining_minutes',
      'overdue',
      'escalated_at',
      'near_border',
      'border_confirmed_at',
      'duplicate_of',
      'rating',
      'version',
    ])
    .where('id', '=', reportId)
    .forUpdate()
    .executeTakeFirst();
}

export type LockedReport = NonNullable<Awaited<ReturnType<typeof lockReport>>>;

export interface ReportPatch {
  status?: ReportStatus;
  office_id?: string;
  rejection_reason?: RejectionReason | null;
  duplicate_of?: string | null;
  public_answer?: string | null;
  answered_at?: Date | null;
  acknowledged_at?: Date | null;
  resolved_at?: Date | null;
  closed_at?: Date | null;
  acknowledge_due_at?: Date;
  due_at?: Date | null;
  paused_at?: Date | null;
  paused_remaining_minutes?: number | null;
  overdue?: boolean;
  escalated_at?: Date | null;
  border_confirmed_at?: Date | null;
  rating?: 'satisfied' | 'not_satisfied' | null;
  rating_comment?: string | null;
  rated_at?: Date | null;
}

export async function updateReport(db: DatabaseExecutor, reportId: string, patch: ReportPatch, now: Date): Promise<void> {
  await db
    .updateTable('report')
    .set({ ...patch, updated_at: now, version: sql<number>`version + 1` })
    .where('id', '=', reportId)
    .execute();
}

export async function findReporterPrivate(db: DatabaseExecutor, reportId: string) {
  return db.selectFrom('report_reporter').select(['name', 'phone', 'email', 'consent_to_contact', 'user_id', 'token_hash']).where('report_id', '=', reportId).executeTakeFirst();
}

export async function insertFollower(db: DatabaseExecutor, follower: { reportId: string; userId: string | null; tokenHash: string | null; movedFrom?: string | null }): Promise<boolean> {
  const result = await db
    .insertInto('report_follower')
    .values({ report_id: follower.reportId, user_id: follower.userId, token_hash: follower.tokenHash, moved_from_report_id: follower.movedFrom ?? null })
    .onConflict((conflict) => conflict.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Moves followers of a duplicate to its original, and the duplicate's reporter becomes a follower. */
export async function moveFollowers(db: DatabaseExecutor, fromReportId: string, toReportId: string): Promise<number> {
  const followers = await db.selectFrom('report_follower').select(['user_id', 'token_hash']).where('report_id', '=', fromReportId).execute();
  const reporter = await findReporterPrivate(db, fromReportId);
  const moving = [...followers, ...(reporter ? [{ user_id: reporter.user_id, token_hash: reporter.token_hash }] : [])];
  let moved = 0;
  for (const follower of moving) {
    if (await insertFollower(db, { reportId: toReportId, userId: follower.user_id, tokenHash: follower.token_hash, movedFrom: fromReportId })) moved += 1;
  }
  await db.deleteFrom('report_follower').where('report_id', '=', fromReportId).execute();
  return moved;
}

export async function countFollowers(db: DatabaseExecutor, reportId: string): Promise<number> {
  const row = await db.selectFrom('report_follower').select(sql<number>`count(*)::int`.as('count')).where('report_id', '=', reportId).executeTakeFirstOrThrow();
  return row.count;
}

/** Reports in `statuses` (those whose deadline clock runs) whose current step deadline has passed and are not flagged yet. */
export async function listNewlyOverdueReports(db: DatabaseExecutor, now: Date, statuses: readonly ReportStatus[]) {
  return db
    .selectFrom('report')
    .select(['id', 'tracking_code', 'status', 'office_id', 'acknowledged_at', 'acknowledge_due_at', 'due_at'])
    .where('overdue', '=', false)
    .where('status', 'in', [...statuses])
    .where((eb) => eb.or([eb('due_at', '<', now), eb.and([eb('acknowledged_at', 'is', null), eb('acknowledge_due_at', '<', now)])]))
    .orderBy('created_at')
    .limit(500)
    .execute();
}

/** Internal (staff-only) columns of a report, without locking it. */
export async function lockFreeInternalState(db: DatabaseExecutor, reportId: string) {
  return db
    .selectFrom('report')
    .select([
      'id',
      'office_id',
      'near_border',
      'border_confirmed_at',
      'accuracy_m',
      'location_verdict',
      'location_verdict_detail',
      'escalated_at',
      'paused_at',
    ])
    .where('id', '=', reportId)
    .executeTakeFirst();
}
