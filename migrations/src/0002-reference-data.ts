import { sql, type Kysely } from 'kysely';

// Frozen once merged: never import application code here, never edit after release.
//
// The spatial reference data: versioned administrative boundaries, the offices that answer reports,
// planning zones, heritage sites, cameras and emergency facilities. Every geometry is stored in
// WGS84 (SRID 4326) with a declared type, must be valid (ST_IsValid) and non-empty, and has a GiST index.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE boundary_set (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL UNIQUE CHECK (length(btrim(name)) > 0),
      description text,
      valid_from date NOT NULL,
      valid_to date,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT boundary_set_validity CHECK (valid_to IS NULL OR valid_to >= valid_from)
    )`.execute(db);
  await sql`CREATE INDEX boundary_set_valid_from_idx ON boundary_set (valid_from DESC, created_at DESC)`.execute(db);

  await sql`
    CREATE TABLE admin_unit (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      boundary_set_id uuid NOT NULL REFERENCES boundary_set (id) ON DELETE CASCADE,
      code text NOT NULL CHECK (length(btrim(code)) > 0),
      name text NOT NULL CHECK (length(btrim(name)) > 0),
      name_folded text NOT NULL,
      level text NOT NULL CHECK (level IN ('province', 'district', 'commune', 'ward', 'town')),
      parent_id uuid REFERENCES admin_unit (id) ON DELETE SET NULL,
      admin_center geometry(Point, 4326) CHECK (admin_center IS NULL OR ST_IsValid(admin_center)),
      geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
      properties jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT admin_unit_code_per_set UNIQUE (boundary_set_id, code)
    )`.execute(db);
  await sql`CREATE INDEX admin_unit_geom_idx ON admin_unit USING gist (geom)`.execute(db);
  await sql`CREATE INDEX admin_unit_admin_center_idx ON admin_unit USING gist (admin_center)`.execute(db);
  await sql`CREATE INDEX admin_unit_set_level_idx ON admin_unit (boundary_set_id, level)`.execute(db);
  await sql`CREATE INDEX admin_unit_parent_idx ON admin_unit (parent_id)`.execute(db);
  await sql`CREATE INDEX admin_unit_name_folded_idx ON admin_unit (name_folded)`.execute(db);

  await sql`
    CREATE TABLE office (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE CHECK (length(btrim(code)) > 0),
      name text NOT NULL,
      name_en text,
      kind text NOT NULL CHECK (kind IN ('commune_committee', 'department', 'police', 'utility', 'ioc')),
      responsibilities text[] NOT NULL DEFAULT '{}',
      phone text,
      email text,
      address text,
      supervisor_id uuid REFERENCES office (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // Coverage names units by (boundary set, official code) rather than by row id, so that re-importing
  // a boundary set (which replaces its unit rows) keeps every office's area.
  await sql`
    CREATE TABLE office_coverage (
      office_id uuid NOT NULL REFERENCES office (id) ON DELETE CASCADE,
      boundary_set_id uuid NOT NULL REFERENCES boundary_set (id) ON DELETE CASCADE,
      unit_code text NOT NULL,
      PRIMARY KEY (office_id, boundary_set_id, unit_code)
    )`.execute(db);
  await sql`CREATE INDEX office_coverage_unit_idx ON office_coverage (boundary_set_id, unit_code)`.execute(db);

  await sql`
    CREATE TABLE planning_zone (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      plan_code text NOT NULL,
      plan_name text NOT NULL,
      plan_version text NOT NULL,
      decision_number text NOT NULL,
      decision_date date NOT NULL,
      approving_authority text,
      zone_code text NOT NULL,
      land_use_code text NOT NULL,
      land_use_name text NOT NULL,
      max_density_pct numeric CHECK (max_density_pct BETWEEN 0 AND 100),
      max_floors integer CHECK (max_floors >= 0),
      max_height_m numeric CHECK (max_height_m >= 0),
      far numeric CHECK (far >= 0),
      geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
      properties jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT planning_zone_code_per_version UNIQUE (plan_code, plan_version, zone_code)
    )`.execute(db);
  await sql`CREATE INDEX planning_zone_geom_idx ON planning_zone USING gist (geom)`.execute(db);

  await sql`
    CREATE TABLE heritage_site (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE,
      name_vi text NOT NULL,
      name_en text NOT NULL,
      name_folded text NOT NULL,
      rank text NOT NULL CHECK (rank IN ('special_national', 'national', 'provincial')),
      description_vi text NOT NULL,
      description_en text NOT NULL,
      opening_hours text,
      position_source text,
      tileset_url text,
      location geometry(Point, 4326) NOT NULL CHECK (ST_IsValid(location)),
      footprint geometry(MultiPolygon, 4326) CHECK (footprint IS NULL OR (ST_IsValid(footprint) AND NOT ST_IsEmpty(footprint))),
      properties jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX heritage_site_location_idx ON heritage_site USING gist (location)`.execute(db);
  await sql`CREATE INDEX heritage_site_footprint_idx ON heritage_site USING gist (footprint)`.execute(db);

  // A camera's field of view is derived from its position, bearing, angle and range, so it can never
  // disagree with them: a stored generated column computed by an immutable function.
  await sql`
    CREATE FUNCTION camera_field_of_view(location geometry, bearing_deg double precision, hfov_deg double precision, range_m double precision)
    RETURNS geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
      SELECT CASE
        WHEN hfov_deg >= 360 THEN ST_Buffer(location::geography, range_m, 32)::geometry
        ELSE ST_MakePolygon(ST_MakeLine(
          ARRAY[location]
          || ARRAY(
            SELECT ST_Project(location::geography, range_m, radians(bearing_deg - hfov_deg / 2 + hfov_deg * step / 16.0))::geometry
            FROM generate_series(0, 16) AS step
          )
          || ARRAY[location]
        ))
      END
    $$`.execute(db);
  await sql`
    CREATE TABLE camera (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      location geometry(Point, 4326) NOT NULL CHECK (ST_IsValid(location)),
      bearing_deg double precision NOT NULL CHECK (bearing_deg >= 0 AND bearing_deg < 360),
      hfov_deg double precision NOT NULL CHECK (hfov_deg > 0 AND hfov_deg <= 360),
      range_m double precision NOT NULL CHECK (range_m > 0 AND range_m <= 5000),
      fov geometry(Polygon, 4326) GENERATED ALWAYS AS (camera_field_of_view(location, bearing_deg, hfov_deg, range_m)) STORED,
      stream_url text NOT NULL,
      status text NOT NULL DEFAULT 'online' CHECK (status IN ('online', 'offline', 'maintenance')),
      properties jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX camera_location_idx ON camera USING gist (location)`.execute(db);
  await sql`CREATE INDEX camera_fov_idx ON camera USING gist (fov)`.execute(db);

  await sql`
    CREATE TABLE emergency_facility (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      name_folded text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('police', 'fire', 'hospital', 'clinic')),
      hotline text NOT NULL CHECK (hotline IN ('113', '114', '115')),
      phone text,
      address text NOT NULL,
      location geometry(Point, 4326) NOT NULL CHECK (ST_IsValid(location)),
      properties jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT emergency_facility_hotline_matches_kind CHECK (
        (kind = 'police' AND hotline = '113') OR (kind = 'fire' AND hotline = '114') OR (kind IN ('hospital', 'clinic') AND hotline = '115')
      )
    )`.execute(db);
  await sql`CREATE INDEX emergency_facility_location_idx ON emergency_facility USING gist (location)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS emergency_facility`.execute(db);
  await sql`DROP TABLE IF EXISTS camera`.execute(db);
  await sql`DROP FUNCTION IF EXISTS camera_field_of_view(geometry, double precision, double precision, double precision)`.execute(db);
  await sql`DROP TABLE IF EXISTS heritage_site`.execute(db);
  await sql`DROP TABLE IF EXISTS planning_zone`.execute(db);
  await sql`DROP TABLE IF EXISTS office_coverage`.execute(db);
  await sql`DROP TABLE IF EXISTS office`.execute(db);
  await sql`DROP TABLE IF EXISTS admin_unit`.execute(db);
  await sql`DROP TABLE IF EXISTS boundary_set`.execute(db);
}
