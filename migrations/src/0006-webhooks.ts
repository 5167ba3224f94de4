import { sql, type Kysely } from 'kysely';

// Frozen once merged: never import application code here, never edit after release.
//
// Webhooks to the offices' document systems (e.g. TDOffice): what the outbox dispatcher needs on top
// of the tables of 0003 — which outbox messages were already turned into deliveries, the exact body
// each delivery sends on every attempt, one log row per attempt, the update ids an office's system
// already posted back, and a NOTIFY when an outbox message is written so dispatchers wake at once.

export async function up(db: Kysely<any>): Promise<void> {
  // Marks a message once the dispatcher has created its deliveries (or found nobody to deliver to).
  // Messages written before this migration are history, not news: nobody subscribed to them.
  await sql`ALTER TABLE outbox_message ADD COLUMN webhook_fanned_out_at timestamptz`.execute(db);
  await sql`UPDATE outbox_message SET webhook_fanned_out_at = created_at`.execute(db);
  await sql`CREATE INDEX outbox_message_webhook_pending_idx ON outbox_message (id) WHERE webhook_fanned_out_at IS NULL`.execute(db);

  // One statement-level trigger, whoever writes the outbox: a NOTIFY is sent only when (and if) the
  // writing transaction commits, and identical notifications of one transaction are merged.
  await sql`
    CREATE FUNCTION outbox_message_written() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
      PERFORM pg_notify('outbox_message', '');
      RETURN NULL;
    END
    $$`.execute(db);
  await sql`CREATE TRIGGER outbox_message_notify AFTER INSERT ON outbox_message FOR EACH STATEMENT EXECUTE FUNCTION outbox_message_written()`.execute(db);

  // The account that the office's document system acts as when it posts a status update back (the
  // report timeline references a user); it cannot sign in (inactive, no usable password).
  await sql`ALTER TABLE office_webhook ADD COLUMN integration_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL`.execute(db);
  await sql`ALTER TABLE office_webhook ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`.execute(db);

  // The exact bytes every attempt of a delivery sends (and signs), so a retry is the same message.
  // No code wrote deliveries before this migration, so the table is empty and NOT NULL is safe.
  await sql`ALTER TABLE webhook_delivery ADD COLUMN body text NOT NULL`.execute(db);
  await sql`CREATE INDEX webhook_delivery_office_idx ON webhook_delivery (office_id, id DESC)`.execute(db);

  await sql`
    CREATE TABLE webhook_delivery_attempt (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      delivery_id bigint NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
      attempt integer NOT NULL CHECK (attempt > 0),
      url text NOT NULL,
      started_at timestamptz NOT NULL,
      duration_ms integer NOT NULL CHECK (duration_ms >= 0),
      status_code integer,
      error text,
      outcome text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'dead'))
    )`.execute(db);
  await sql`CREATE INDEX webhook_delivery_attempt_delivery_idx ON webhook_delivery_attempt (delivery_id, id)`.execute(db);

  // Status updates an office's document system posted back, by the id it gave them: a retried post
  // is answered from here instead of changing the report twice.
  await sql`
    CREATE TABLE webhook_inbound_update (
      office_id uuid NOT NULL REFERENCES office (id) ON DELETE CASCADE,
      external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
      request_hash text NOT NULL,
      report_id uuid NOT NULL REFERENCES report (id) ON DELETE CASCADE,
      action text NOT NULL,
      state text NOT NULL CHECK (state IN ('processing', 'applied')),
      result_status text,
      occurred_at timestamptz,
      received_at timestamptz NOT NULL,
      applied_at timestamptz,
      PRIMARY KEY (office_id, external_id)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS webhook_inbound_update`.execute(db);
  await sql`DROP TABLE IF EXISTS webhook_delivery_attempt`.execute(db);
  await sql`DROP INDEX IF EXISTS webhook_delivery_office_idx`.execute(db);
  await sql`ALTER TABLE webhook_delivery DROP COLUMN IF EXISTS body`.execute(db);
  await sql`ALTER TABLE office_webhook DROP COLUMN IF EXISTS updated_at`.execute(db);
  await sql`ALTER TABLE office_webhook DROP COLUMN IF EXISTS integration_user_id`.execute(db);
  await sql`DROP TRIGGER IF EXISTS outbox_message_notify ON outbox_message`.execute(db);
  await sql`DROP FUNCTION IF EXISTS outbox_message_written()`.execute(db);
  await sql`DROP INDEX IF EXISTS outbox_message_webhook_pending_idx`.execute(db);
  await sql`ALTER TABLE outbox_message DROP COLUMN IF EXISTS webhook_fanned_out_at`.execute(db);
}
