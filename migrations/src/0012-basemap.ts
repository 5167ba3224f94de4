import { sql, type Kysely } from 'kysely';

// Frozen once merged: never import application code here, never edit after release.
//
// The OpenStreetMap base map (issue 16), filled by `npm run import -- basemap <file.osm.pbf>`:
// lines (roads, railways, waterways), areas (water, land use, natural areas, parks, buildings) and
// named points (places, points of interest), in WGS84, valid, GiST-indexed, behind tile layers of
// the registry like every other table. `name_folded` is the name without diacritics, computed by the
// importer (so search needs no `unaccent`). An import replaces every row in one transaction and
// records itself in `basemap_import` (the latest row is the base map in force).
//
// The three tables are tile sources: the generic trigger of migration 0005 bumps their
// `tile_source_version` row and notifies `data_changed` with the extent of what changed, so the
// tile cache drops the base map tiles an import touched, at its commit.

const tables = ['basemap_line', 'basemap_area', 'basemap_point'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE basemap_import (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      source_name text NOT NULL,
      source_sha256 text NOT NULL,
      clip text NOT NULL,
      bbox geometry(Polygon, 4326),
      imported_at timestamptz NOT NULL DEFAULT now(),
      counts jsonb NOT NULL DEFAULT '{}'::jsonb
    )`.execute(db);
  await sql`CREATE INDEX basemap_import_imported_at_idx ON basemap_import (imported_at DESC)`.execute(db);
  await sql`CREATE INDEX basemap_import_bbox_idx ON basemap_import USING gist (bbox)`.execute(db);
  await sql`
    CREATE TABLE basemap_line (
      id bigserial PRIMARY KEY,
      osm_id bigint,
      kind text NOT NULL CHECK (kind IN ('road', 'railway', 'waterway')),
      class text NOT NULL,
      name text,
      name_folded text,
      ref text,
      geom geometry(MultiLineString, 4326) NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE basemap_area (
      id bigserial PRIMARY KEY,
      osm_id bigint,
      kind text NOT NULL CHECK (kind IN ('water', 'landuse', 'natural', 'park', 'building')),
      class text NOT NULL,
      name text,
      name_folded text,
      geom geometry(MultiPolygon, 4326) NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE basemap_point (
      id bigserial PRIMARY KEY,
      osm_id bigint,
      kind text NOT NULL CHECK (kind IN ('place', 'poi')),
      class text NOT NULL,
      name text NOT NULL,
      name_folded text NOT NULL,
      commune_code text,
      geom geometry(Point, 4326) NOT NULL
    )`.execute(db);
  for (const table of tables) {
    await sql.raw(`CREATE INDEX ${table}_geom_idx ON ${table} USING gist (geom)`).execute(db);
    await sql.raw(`CREATE INDEX ${table}_kind_idx ON ${table} (kind, class)`).execute(db);
    await sql`INSERT INTO tile_source_version (source) VALUES (${table}) ON CONFLICT (source) DO NOTHING`.execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_tiles_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_source_changed('geom')`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_tiles_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_source_changed('geom')`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_tiles_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_source_changed('geom')`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_tiles_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION tile_source_changed()`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [...tables].reverse()) {
    await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
    await sql`DELETE FROM tile_source_version WHERE source = ${table}`.execute(db);
  }
  await sql`DROP TABLE IF EXISTS basemap_import`.execute(db);
}
