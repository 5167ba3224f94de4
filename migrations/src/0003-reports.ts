import { sql, type Kysely } from 'kysely';

// Frozen once merged: never import application code here, never edit after release.
//
// Citizen field reports: categories and their rules, the working calendar, people and sessions,
// reports with their private reporter details kept in a separate table, the event timeline, photos,
// followers, idempotency keys, and the transactional outbox for webhooks.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE report_priority (
      code text PRIMARY KEY CHECK (code IN ('urgent', 'normal', 'complex')),
      name_vi text NOT NULL,
      name_en text NOT NULL,
      resolve_working_minutes integer NOT NULL CHECK (resolve_working_minutes > 0)
    )`.execute(db);

  await sql`
    CREATE TABLE report_category (
      code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,40}$'),
      name_vi text NOT NULL,
      name_en text NOT NULL,
      description_vi text,
      description_en text,
      responsible_kind text NOT NULL CHECK (responsible_kind IN ('commune_committee', 'office')),
      responsibility text,
      default_priority text NOT NULL REFERENCES report_priority (code),
      acknowledge_working_minutes integer NOT NULL DEFAULT 480 CHECK (acknowledge_working_minutes > 0),
      resolve_working_minutes integer CHECK (resolve_working_minutes > 0),
      active boolean NOT NULL DEFAULT true,
      sort_order integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT report_category_responsibility CHECK ((responsible_kind = 'office') = (responsibility IS NOT NULL))
    )`.execute(db);

  // Days that break the Monday–Friday rule: public holidays, and the Saturdays worked to make up for
  // a bridged holiday (Vietnam moves working days around Tết and 30/4–1/5).
  await sql`
    CREATE TABLE calendar_exception (
      day date PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('holiday', 'working_day')),
      name_vi text NOT NULL,
      name_en text
    )`.execute(db);

  await sql`
    CREATE TABLE app_user (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL UNIQUE CHECK (email = lower(email) AND position('@' IN email) > 1),
      display_name text NOT NULL,
      password_hash text NOT NULL,
      role text NOT NULL CHECK (role IN ('citizen', 'officer', 'ioc_operator', 'planner', 'admin')),
      office_id uuid REFERENCES office (id) ON DELETE RESTRICT,
      phone text,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT app_user_officer_has_office CHECK ((role = 'officer') = (office_id IS NOT NULL))
    )`.execute(db);

  await sql`
    CREATE TABLE user_session (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE,
      csrf_token text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('cookie', 'bearer')),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      last_used_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX user_session_user_idx ON user_session (user_id)`.execute(db);

  // Partners that submit through Open311 (api_key).
  await sql`
    CREATE TABLE api_client (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      key_hash text NOT NULL UNIQUE,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE report (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tracking_code text NOT NULL UNIQUE,
      category_code text NOT NULL REFERENCES report_category (code),
      priority text NOT NULL REFERENCES report_priority (code),
      description text NOT NULL CHECK (length(btrim(description)) > 0),
      location geometry(Point, 4326) NOT NULL CHECK (ST_IsValid(location)),
      accuracy_m double precision CHECK (accuracy_m >= 0),
      address text,
      status text NOT NULL CHECK (status IN ('received', 'accepted', 'in_progress', 'waiting_for_citizen', 'resolved', 'rejected', 'transferred', 'reopened', 'duplicate')),
      -- Routing decision, frozen: later boundary sets do not move an open report.
      boundary_set_id uuid NOT NULL REFERENCES boundary_set (id),
      unit_code text NOT NULL,
      unit_name text NOT NULL,
      office_id uuid NOT NULL REFERENCES office (id),
      near_border boolean NOT NULL DEFAULT false,
      border_confirmed_at timestamptz,
      location_verdict text NOT NULL CHECK (location_verdict IN ('verified', 'unverified', 'mismatch')),
      location_verdict_detail text,
      rejection_reason text CHECK (rejection_reason IN ('not_eligible', 'not_enough_information', 'not_our_responsibility')),
      duplicate_of uuid REFERENCES report (id),
      public_answer text,
      answered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      acknowledged_at timestamptz,
      resolved_at timestamptz,
      closed_at timestamptz,
      acknowledge_due_at timestamptz NOT NULL,
      due_at timestamptz,
      paused_at timestamptz,
      paused_remaining_minutes integer CHECK (paused_remaining_minutes >= 0),
      overdue boolean NOT NULL DEFAULT false,
      escalated_at timestamptz,
      rating text CHECK (rating IN ('satisfied', 'not_satisfied')),
      rating_comment text,
      rated_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      CONSTRAINT report_duplicate_has_original CHECK ((status = 'duplicate') = (duplicate_of IS NOT NULL)),
      CONSTRAINT report_not_its_own_duplicate CHECK (duplicate_of IS NULL OR duplicate_of <> id)
    )`.execute(db);
  await sql`CREATE INDEX report_location_idx ON report USING gist (location)`.execute(db);
  await sql`CREATE INDEX report_office_status_idx ON report (office_id, status)`.execute(db);
  await sql`CREATE INDEX report_category_status_idx ON report (category_code, status)`.execute(db);
  await sql`CREATE INDEX report_created_idx ON report (created_at DESC)`.execute(db);
  await sql`CREATE INDEX report_unit_idx ON report (unit_code)`.execute(db);
  await sql`CREATE INDEX report_duplicate_of_idx ON report (duplicate_of) WHERE duplicate_of IS NOT NULL`.execute(db);
  await sql`CREATE INDEX report_open_due_idx ON report (due_at) WHERE status IN ('received', 'accepted', 'in_progress', 'transferred', 'reopened') AND NOT overdue`.execute(db);

  // Who reported: never read by public queries, tiles or exports.
  await sql`
    CREATE TABLE report_reporter (
      report_id uuid PRIMARY KEY REFERENCES report (id) ON DELETE CASCADE,
      name text,
      phone text,
      email text,
      consent_to_contact boolean NOT NULL DEFAULT false,
      user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
      token_hash text NOT NULL
    )`.execute(db);

  await sql`
    CREATE TABLE report_follower (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      report_id uuid NOT NULL REFERENCES report (id) ON DELETE CASCADE,
      user_id uuid REFERENCES app_user (id) ON DELETE CASCADE,
      token_hash text,
      moved_from_report_id uuid REFERENCES report (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT report_follower_who CHECK (user_id IS NOT NULL OR token_hash IS NOT NULL)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX report_follower_user_idx ON report_follower (report_id, user_id) WHERE user_id IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX report_follower_token_idx ON report_follower (report_id, token_hash) WHERE token_hash IS NOT NULL`.execute(db);

  // The timeline. `seq` orders every event of every report (the live feed resumes from it).
  await sql`
    CREATE TABLE report_event (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      report_id uuid NOT NULL REFERENCES report (id) ON DELETE CASCADE,
      kind text NOT NULL,
      from_status text,
      to_status text,
      actor_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
      actor_role text NOT NULL CHECK (actor_role IN ('citizen', 'officer', 'ioc_operator', 'planner', 'admin', 'system', 'integration')),
      office_id uuid REFERENCES office (id),
      note text,
      public boolean NOT NULL DEFAULT true,
      data jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX report_event_report_idx ON report_event (report_id, seq)`.execute(db);

  await sql`
    CREATE TABLE report_photo (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      report_id uuid NOT NULL REFERENCES report (id) ON DELETE CASCADE,
      event_id uuid REFERENCES report_event (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('report', 'before', 'after')),
      public_path text NOT NULL,
      original_path text NOT NULL,
      content_type text NOT NULL,
      original_content_type text NOT NULL,
      width integer NOT NULL CHECK (width > 0),
      height integer NOT NULL CHECK (height > 0),
      bytes integer NOT NULL CHECK (bytes > 0),
      taken_at timestamptz,
      taken_location geometry(Point, 4326),
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX report_photo_report_idx ON report_photo (report_id)`.execute(db);
  await sql`CREATE INDEX report_photo_taken_location_idx ON report_photo USING gist (taken_location)`.execute(db);

  // A retried submission (same Idempotency-Key) returns the first answer instead of a second report.
  await sql`
    CREATE TABLE idempotency_key (
      key text PRIMARY KEY CHECK (length(key) BETWEEN 8 AND 200),
      request_hash text NOT NULL,
      report_id uuid NOT NULL REFERENCES report (id) ON DELETE CASCADE,
      response jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  // Transactional outbox: written in the same transaction as the change it announces.
  await sql`
    CREATE TABLE outbox_message (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      topic text NOT NULL,
      report_id uuid REFERENCES report (id) ON DELETE CASCADE,
      office_id uuid REFERENCES office (id),
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE office_webhook (
      office_id uuid PRIMARY KEY REFERENCES office (id) ON DELETE CASCADE,
      url text NOT NULL CHECK (url ~ '^https?://'),
      secret text NOT NULL CHECK (length(secret) >= 16),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE webhook_delivery (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      message_id bigint NOT NULL REFERENCES outbox_message (id) ON DELETE CASCADE,
      office_id uuid NOT NULL REFERENCES office (id) ON DELETE CASCADE,
      idempotency_id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_status_code integer,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT webhook_delivery_once UNIQUE (message_id, office_id)
    )`.execute(db);
  await sql`CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at) WHERE status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'webhook_delivery',
    'office_webhook',
    'outbox_message',
    'idempotency_key',
    'report_photo',
    'report_event',
    'report_follower',
    'report_reporter',
    'report',
    'api_client',
    'user_session',
    'app_user',
    'calendar_exception',
    'report_category',
    'report_priority',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
