import { sql } from 'kysely';
import type { AttemptOutcome, DatabaseExecutor, DeliveryStatus } from '../../db/database-schema.ts';

export type { AttemptOutcome, DeliveryStatus };

/** An office's webhook: its target, its secret and the account its document system acts as. */

export async function findWebhookByOfficeId(db: DatabaseExecutor, officeId: string) {
  return db
    .selectFrom('office_webhook')
    .innerJoin('office', 'office.id', 'office_webhook.office_id')
    .select([
      'office_webhook.office_id',
      'office.code as office_code',
      'office.name as office_name',
      'office_webhook.url',
      'office_webhook.secret',
      'office_webhook.active',
      'office_webhook.integration_user_id',
      'office_webhook.created_at',
      'office_webhook.updated_at',
    ])
    .where('office_webhook.office_id', '=', officeId)
    .executeTakeFirst();
}

export type WebhookRow = NonNullable<Awaited<ReturnType<typeof findWebhookByOfficeId>>>;

export async function upsertWebhook(
  db: DatabaseExecutor,
  webhook: { officeId: string; url: string; secret: string; active: boolean; integrationUserId: string; now: Date },
): Promise<{ created: boolean }> {
  const row = await db
    .insertInto('office_webhook')
    .values({
      office_id: webhook.officeId,
      url: webhook.url,
      secret: webhook.secret,
      active: webhook.active,
      integration_user_id: webhook.integrationUserId,
      updated_at: webhook.now,
    })
    .onConflict((conflict) =>
      conflict.column('office_id').doUpdateSet({
        url: webhook.url,
        secret: webhook.secret,
        active: webhook.active,
        integration_user_id: webhook.integrationUserId,
        updated_at: webhook.now,
      }),
    )
    // xmax = 0 only for a freshly inserted row version.
    .returning(sql<boolean>`(xmax = 0)`.as('created'))
    .executeTakeFirstOrThrow();
  return { created: row.created };
}

export async function findUserIdByEmail(db: DatabaseExecutor, email: string): Promise<string | undefined> {
  return (await db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirst())?.id;
}

/** An account that cannot sign in: inactive, and a password "hash" that no password verifies against. */
export async function insertIntegrationUser(db: DatabaseExecutor, user: { email: string; displayName: string; officeId: string }): Promise<string> {
  const row = await db
    .insertInto('app_user')
    .values({ email: user.email, display_name: user.displayName, password_hash: '!integration-account-no-password', role: 'officer', office_id: user.officeId, active: false })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

