import { sql, type Kysely } from 'kysely';

// Frozen once merged: never import application code here, never edit after release.
//
// What a real camera needs besides its position and view: who may watch it (`visibility`: public
// cameras for anyone, restricted ones for the IOC and admins; restricted unless said otherwise, so
// a forgotten field never publishes a security camera), who runs it, its health as the checker saw
// it (`degraded` joins the statuses; `last_seen_at`: when its stream last answered), and
// `retired_at` (a retired camera leaves the map but its audit trail stays).
//
// Every change to a camera is an audited event: who (user and role, or the health checker), when,
// and what changed (the names of the changed fields with their old and new values, except the
// source address, which is recorded as changed without its value: it never leaves the server).
//
// The health checker writes `last_seen_at` of every answering camera every interval. The generic
// tile trigger of migration 0005 counts any update of a row, so that would invalidate the camera
// tiles every 30 s for nothing; like the reports' trigger, the cameras' now counts only changes of
// what the tiles show.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE camera
      ADD COLUMN visibility text NOT NULL DEFAULT 'restricted' CHECK (visibility IN ('public', 'restricted')),
      ADD COLUMN owner text,
      ADD COLUMN last_seen_at timestamptz,
      ADD COLUMN retired_at timestamptz`.execute(db);
  await sql`ALTER TABLE camera DROP CONSTRAINT camera_status_check`.execute(db);
  await sql`ALTER TABLE camera ADD CONSTRAINT camera_status_check CHECK (status IN ('online', 'degraded', 'offline', 'maintenance'))`.execute(db);
  await sql`
    CREATE TABLE camera_event (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      camera_id uuid NOT NULL REFERENCES camera (id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('created', 'updated', 'retired', 'status')),
      actor_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
      actor_role text NOT NULL,
      changes jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX camera_event_camera_idx ON camera_event (camera_id, id)`.execute(db);
  await sql`
    CREATE FUNCTION camera_tiles_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    DECLARE
      extent box2d;
    BEGIN
      SELECT ST_Extent(g) INTO extent
      FROM old_rows o JOIN new_rows n ON n.id = o.id, LATERAL (VALUES (o.location), (o.fov), (n.location), (n.fov)) AS v(g)
      WHERE (o.code, o.name, o.status, o.visibility, o.retired_at, o.location, o.bearing_deg, o.hfov_deg, o.range_m)
        IS DISTINCT FROM (n.code, n.name, n.status, n.visibility, n.retired_at, n.location, n.bearing_deg, n.hfov_deg, n.range_m);
      IF extent IS NULL THEN RETURN NULL; END IF;
      PERFORM tile_source_bump('camera', extent);
      RETURN NULL;
    END
    $$`.execute(db);
  await sql`DROP TRIGGER camera_tiles_update ON camera`.execute(db);
  await sql`CREATE TRIGGER camera_tiles_update AFTER UPDATE ON camera REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION camera_tiles_changed()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER camera_tiles_update ON camera`.execute(db);
  await sql`CREATE TRIGGER camera_tiles_update AFTER UPDATE ON camera REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_source_changed('location', 'fov')`.execute(db);
  await sql`DROP FUNCTION camera_tiles_changed()`.execute(db);
  await sql`DROP TABLE camera_event`.execute(db);
  await sql`UPDATE camera SET status = 'offline' WHERE status = 'degraded'`.execute(db);
  await sql`ALTER TABLE camera DROP CONSTRAINT camera_status_check`.execute(db);
  await sql`ALTER TABLE camera ADD CONSTRAINT camera_status_check CHECK (status IN ('online', 'offline', 'maintenance'))`.execute(db);
  await sql`ALTER TABLE camera DROP COLUMN visibility, DROP COLUMN owner, DROP COLUMN last_seen_at, DROP COLUMN retired_at`.execute(db);
}
