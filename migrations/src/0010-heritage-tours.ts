import { sql, type Kysely } from 'kysely';

// Frozen once merged: never import application code here, never edit after release.
//
// Heritage sites in 3D: a site's tileset and the stops of its guided tour.
//
// A tileset is served by the platform itself, under a path that holds its version (a content hash),
// so it can be cached for a year: `tileset_source` says where its files come from ('generated': the
// project's generator, an illustrative reconstruction; 'imported': a surveyed tileset a province
// imported with `npm run import -- heritage-tileset`), `tileset_version` which build or import is
// current, and for an imported one `tileset_folder` where its files are, relative to the media
// folder and in the one shape the importer writes (so no stored path can lead outside it). A
// generated site's version is set when its tileset has been built (it may be NULL until then).
//
// The free `tileset_url` of migration 0002 goes: nothing could check or serve what it named. A value
// somebody set is kept in the site's `properties` (and put back by `down`).
//
// A stop is a camera pose in the site's local east-north-up frame (metres from the site's point)
// with a title and a narration in Vietnamese and English; `ordinal` orders the tour from 1.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE heritage_site SET properties = properties || jsonb_build_object('tileset_url', tileset_url)
    WHERE tileset_url IS NOT NULL`.execute(db);
  await sql`ALTER TABLE heritage_site DROP COLUMN tileset_url`.execute(db);
  await sql`
    ALTER TABLE heritage_site
      ADD COLUMN tileset_source text CHECK (tileset_source IN ('generated', 'imported')),
      ADD COLUMN tileset_version text CHECK (tileset_version ~ '^[0-9a-f]{8,64}$'),
      ADD COLUMN tileset_illustrative boolean NOT NULL DEFAULT false,
      ADD COLUMN tileset_folder text CHECK (tileset_folder ~ '^heritage/[A-Za-z0-9_-]{1,64}/[0-9a-f]{8,64}$'),
      -- Written as a CASE so that no branch can be NULL (a CHECK that is NULL passes).
      ADD CONSTRAINT heritage_site_tileset CHECK (
        CASE tileset_source
          WHEN 'generated' THEN tileset_folder IS NULL
          WHEN 'imported' THEN tileset_version IS NOT NULL AND tileset_folder IS NOT NULL AND tileset_folder = 'heritage/' || code || '/' || tileset_version
          ELSE tileset_version IS NULL AND tileset_folder IS NULL
        END
      )`.execute(db);

  await sql`
    CREATE TABLE heritage_stop (
      site_id uuid NOT NULL REFERENCES heritage_site (id) ON DELETE CASCADE,
      ordinal integer NOT NULL CHECK (ordinal >= 1),
      title_vi text NOT NULL CHECK (length(btrim(title_vi)) > 0),
      title_en text NOT NULL CHECK (length(btrim(title_en)) > 0),
      narration_vi text NOT NULL CHECK (length(btrim(narration_vi)) > 0),
      narration_en text NOT NULL CHECK (length(btrim(narration_en)) > 0),
      -- Metres east, north and up from the site's point. NaN and infinities fail the bounds.
      camera_east double precision NOT NULL CHECK (abs(camera_east) <= 10000),
      camera_north double precision NOT NULL CHECK (abs(camera_north) <= 10000),
      camera_up double precision NOT NULL CHECK (abs(camera_up) <= 10000),
      target_east double precision NOT NULL CHECK (abs(target_east) <= 10000),
      target_north double precision NOT NULL CHECK (abs(target_north) <= 10000),
      target_up double precision NOT NULL CHECK (abs(target_up) <= 10000),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (site_id, ordinal)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE heritage_stop`.execute(db);
  await sql`
    ALTER TABLE heritage_site
      DROP CONSTRAINT heritage_site_tileset,
      DROP COLUMN tileset_folder,
      DROP COLUMN tileset_illustrative,
      DROP COLUMN tileset_version,
      DROP COLUMN tileset_source,
      ADD COLUMN tileset_url text`.execute(db);
  await sql`
    UPDATE heritage_site SET tileset_url = properties ->> 'tileset_url', properties = properties - 'tileset_url'
    WHERE properties ? 'tileset_url'`.execute(db);
}
