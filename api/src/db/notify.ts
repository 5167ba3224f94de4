import { sql } from 'kysely';
import type { DatabaseExecutor } from './database-schema.ts';
import type { NotificationChannel } from './database.ts';

/**
 * Sends a notification. Inside a transaction it is delivered only if and when the transaction
 * commits, which is exactly when listeners may act on the change.
 */
export async function notify(db: DatabaseExecutor, channel: NotificationChannel, payload: unknown): Promise<void> {
  await sql`SELECT pg_notify(${channel}, ${JSON.stringify(payload)})`.execute(db);
}
