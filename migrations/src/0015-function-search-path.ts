import { sql, type Kysely } from 'kysely';

// Frozen once merged: never import application code here, never edit after release.
//
// camera.fov is a generated column computed by camera_field_of_view(), whose body names PostGIS's
// types and functions without a schema (geometry, geography, ST_Buffer, ST_Project…). pg_restore
// empties search_path before it loads the data, so an operator's plain `pg_dump | pg_restore` of
// this database failed with `type "geometry" does not exist` while computing the column. The
// function now carries the search_path it was created with (where PostGIS is installed), as
// PostgreSQL's documentation advises for functions used in generated columns and indexes.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER FUNCTION camera_field_of_view(geometry, double precision, double precision, double precision) SET search_path FROM CURRENT`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER FUNCTION camera_field_of_view(geometry, double precision, double precision, double precision) RESET search_path`.execute(db);
}
