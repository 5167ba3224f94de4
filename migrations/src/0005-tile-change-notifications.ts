import { sql, type Kysely } from 'kysely';

// Frozen once merged: never import application code here, never edit after release.
//
// What the tile server needs from the database to stay fresh and fast:
//
// 1. Change notifications. Every write to a table that feeds a tile layer bumps that table's row in
//    `tile_source_version` and sends `data_changed` with `{ source, version, bbox }` (bbox: the WGS84
//    extent of the rows before and after the change, null when unknown). Statement-level triggers, so
//    every write path notifies (the API, the importer, a psql session) and a bulk statement notifies
//    once. The version row is bumped inside the writer's transaction: a reader that sees the new
//    version is guaranteed to see the new data, which is how a tile server knows whether it has
//    already heard every notification (NOTIFY itself arrives a little after the commit).
//
// 2. A pyramid of report counts for point aggregation. Zoomed-out report tiles show clusters, one
//    per cell of a grid aligned with the Web Mercator tile grid; counting a million points per tile
//    on every request would make the cost of a tile grow with the number of reports. So the counts
//    are kept per cell, per category (and for all categories, '*'), with one column per status and
//    the sums of the points' Web Mercator coordinates (for a cluster's centroid), at every cell level
//    from 4 to 16 (tile zoom z with 16 × 16 cells per tile reads level z + 4). The trigger on `report`
//    keeps it exact, inside the writer's transaction.

const statuses = ['received', 'accepted', 'in_progress', 'waiting_for_citizen', 'resolved', 'rejected', 'transferred', 'reopened', 'duplicate'] as const;

const tileSources: ReadonlyArray<{ table: string; geometries: string[] }> = [
  { table: 'boundary_set', geometries: [] },
  { table: 'admin_unit', geometries: ['geom'] },
  { table: 'planning_zone', geometries: ['geom'] },
  { table: 'heritage_site', geometries: ['location', 'footprint'] },
  { table: 'camera', geometries: ['location', 'fov'] },
  { table: 'emergency_facility', geometries: ['location'] },
];

/**
 * The statement that adds signed report rows (`sign` +1: now counted, -1: no longer counted; with
 * `status`, `category_code`, `location`) to every cell level, for one category and for all ('*').
 * Rows are upserted in key order, so concurrent writers lock cells in the same order.
 */
function clusterCellUpsert(deltas: string): string {
  const statusSums = statuses.map((status) => `sum(d.sign) FILTER (WHERE d.status = '${status}')::integer AS ${status}`).join(', ');
  const statusCoalesced = statuses.map((status) => `coalesce(${status}, 0)`).join(', ');
  const statusUpdates = statuses.map((status) => `${status} = c.${status} + excluded.${status}`).join(', ');
  return `
    INSERT INTO report_cluster_cell AS c (level, category_code, cell_x, cell_y, total, ${statuses.join(', ')}, sum_u, sum_v)
    SELECT level, category_code, cell_x, cell_y, total, ${statusCoalesced}, sum_u, sum_v
    FROM (
      SELECT l.level, cat.code AS category_code,
        floor(d.u * (1 << l.level))::integer AS cell_x, floor(d.v * (1 << l.level))::integer AS cell_y,
        sum(d.sign)::integer AS total, ${statusSums},
        sum(d.sign * d.u) AS sum_u, sum(d.sign * d.v) AS sum_v
      FROM (
        SELECT r.sign, r.status, r.category_code, web_mercator_u(ST_X(r.location)) AS u, web_mercator_v(ST_Y(r.location)) AS v
        FROM (${deltas}) AS r
      ) AS d
      CROSS JOIN generate_series(4, 16) AS l(level)
      CROSS JOIN LATERAL (VALUES (d.category_code), ('*')) AS cat(code)
      GROUP BY 1, 2, 3, 4
    ) AS grouped
    ORDER BY level, category_code, cell_x, cell_y
    ON CONFLICT (level, category_code, cell_x, cell_y) DO UPDATE SET
      total = c.total + excluded.total, ${statusUpdates},
      sum_u = c.sum_u + excluded.sum_u, sum_v = c.sum_v + excluded.sum_v`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE tile_source_version (
      source text PRIMARY KEY,
      version bigint NOT NULL DEFAULT 0
    )`.execute(db);
  await sql`
    INSERT INTO tile_source_version (source)
    SELECT unnest(${sql.raw(`ARRAY[${[...tileSources.map((source) => source.table), 'report'].map((name) => `'${name}'`).join(', ')}]`)}::text[])`.execute(db);

  // Normalised Web Mercator coordinates: u from 0 (180°W) to 1 (180°E), v from 0 (85.05°N) to 1
  // (85.05°S), the same axes as tile x and y. A cell of level L is (floor(u·2^L), floor(v·2^L)).
  await sql`
    CREATE FUNCTION web_mercator_u(longitude double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT least(greatest((longitude + 180.0) / 360.0, 0.0), 0.999999999999) $$`.execute(db);
  await sql`
    CREATE FUNCTION web_mercator_v(latitude double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT least(greatest(0.5 - ln(tan(pi() / 4.0 + radians(least(greatest(latitude, -85.0511287798), 85.0511287798)) / 2.0)) / (2.0 * pi()), 0.0), 0.999999999999) $$`.execute(db);

  await sql`
    CREATE TABLE report_cluster_cell (
      level smallint NOT NULL CHECK (level BETWEEN 4 AND 16),
      category_code text NOT NULL,
      cell_x integer NOT NULL,
      cell_y integer NOT NULL,
      total integer NOT NULL,
      ${sql.raw(statuses.map((status) => `${status} integer NOT NULL DEFAULT 0`).join(',\n      '))},
      sum_u double precision NOT NULL,
      sum_v double precision NOT NULL,
      PRIMARY KEY (level, category_code, cell_x, cell_y)
    )`.execute(db);

  await sql`
    CREATE FUNCTION tile_source_bump(source_table text, extent box2d) RETURNS void
    LANGUAGE plpgsql
    AS $$
    DECLARE
      new_version bigint;
    BEGIN
      UPDATE tile_source_version SET version = version + 1 WHERE source = source_table RETURNING version INTO new_version;
      PERFORM pg_notify('data_changed', json_build_object(
        'source', source_table,
        'version', new_version,
        'bbox', CASE WHEN extent IS NULL THEN NULL ELSE json_build_array(ST_XMin(extent), ST_YMin(extent), ST_XMax(extent), ST_YMax(extent)) END
      )::text);
    END
    $$`.execute(db);

  // Reference tables: any change of a row counts; the extent covers every geometry column, old and new.
  await sql`
    CREATE FUNCTION tile_source_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    DECLARE
      parts text[] := '{}';
      column_name text;
      extent box2d;
    BEGIN
      IF TG_OP <> 'TRUNCATE' THEN
        FOREACH column_name IN ARRAY coalesce(TG_ARGV, '{}'::text[]) LOOP
          IF TG_OP IN ('INSERT', 'UPDATE') THEN parts := parts || format('SELECT %I::geometry AS g FROM new_rows', column_name); END IF;
          IF TG_OP IN ('DELETE', 'UPDATE') THEN parts := parts || format('SELECT %I::geometry AS g FROM old_rows', column_name); END IF;
        END LOOP;
        IF cardinality(parts) > 0 THEN
          EXECUTE 'SELECT ST_Extent(g) FROM (' || array_to_string(parts, ' UNION ALL ') || ') AS changed' INTO extent;
          -- No geometry at all: the statement changed no row.
          IF extent IS NULL THEN RETURN NULL; END IF;
        END IF;
      END IF;
      PERFORM tile_source_bump(TG_TABLE_NAME::text, extent);
      RETURN NULL;
    END
    $$`.execute(db);

  // Reports: only changes that show on the map count (position, category, status, overdue, the public
  // code and the creation time), so the many workflow updates of a report do not churn the tiles.
  const shown = (alias: string) => `(${alias}.location, ${alias}.status, ${alias}.category_code, ${alias}.overdue, ${alias}.tracking_code, ${alias}.created_at)`;
  const counted = (alias: string) => `(${alias}.location, ${alias}.status, ${alias}.category_code)`;
  await sql`
    CREATE FUNCTION report_tiles_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    DECLARE
      extent box2d;
    BEGIN
      IF TG_OP = 'INSERT' THEN
        SELECT ST_Extent(location) INTO extent FROM new_rows;
        IF extent IS NULL THEN RETURN NULL; END IF;
        ${sql.raw(clusterCellUpsert('SELECT 1 AS sign, status, category_code, location FROM new_rows'))};
      ELSIF TG_OP = 'DELETE' THEN
        SELECT ST_Extent(location) INTO extent FROM old_rows;
        IF extent IS NULL THEN RETURN NULL; END IF;
        ${sql.raw(clusterCellUpsert('SELECT -1 AS sign, status, category_code, location FROM old_rows'))};
      ELSIF TG_OP = 'UPDATE' THEN
        SELECT ST_Extent(g) INTO extent
        FROM old_rows o JOIN new_rows n ON n.id = o.id, LATERAL (VALUES (o.location), (n.location)) AS v(g)
        WHERE ${sql.raw(shown('o'))} IS DISTINCT FROM ${sql.raw(shown('n'))};
        IF extent IS NULL THEN RETURN NULL; END IF;
        ${sql.raw(
          clusterCellUpsert(`
          SELECT v.sign, v.status, v.category_code, v.location
          FROM old_rows o JOIN new_rows n ON n.id = o.id,
            LATERAL (VALUES (-1, o.status, o.category_code, o.location), (1, n.status, n.category_code, n.location)) AS v(sign, status, category_code, location)
          WHERE ${counted('o')} IS DISTINCT FROM ${counted('n')}`),
        )};
      ELSE
        -- TRUNCATE: the pyramid starts again.
        DELETE FROM report_cluster_cell;
      END IF;
      PERFORM tile_source_bump('report', extent);
      RETURN NULL;
    END
    $$`.execute(db);

  for (const { table, geometries } of tileSources) {
    const args = geometries.map((name) => `'${name}'`).join(', ');
    await sql.raw(`CREATE TRIGGER ${table}_tiles_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_source_changed(${args})`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_tiles_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_source_changed(${args})`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_tiles_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_source_changed(${args})`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_tiles_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION tile_source_changed()`).execute(db);
  }
  await sql`CREATE TRIGGER report_tiles_insert AFTER INSERT ON report REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_tiles_changed()`.execute(db);
  await sql`CREATE TRIGGER report_tiles_update AFTER UPDATE ON report REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_tiles_changed()`.execute(db);
  await sql`CREATE TRIGGER report_tiles_delete AFTER DELETE ON report REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_tiles_changed()`.execute(db);
  await sql`CREATE TRIGGER report_tiles_truncate AFTER TRUNCATE ON report FOR EACH STATEMENT EXECUTE FUNCTION report_tiles_changed()`.execute(db);

  // Reports that existed before this migration.
  await sql.raw(clusterCellUpsert('SELECT 1 AS sign, status, category_code, location FROM report')).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [...tileSources.map((source) => source.table), 'report']) {
    for (const event of ['insert', 'update', 'delete', 'truncate']) {
      await sql.raw(`DROP TRIGGER IF EXISTS ${table}_tiles_${event} ON ${table}`).execute(db);
    }
  }
  await sql`DROP FUNCTION IF EXISTS report_tiles_changed()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS tile_source_changed()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS tile_source_bump(text, box2d)`.execute(db);
  await sql`DROP TABLE IF EXISTS report_cluster_cell`.execute(db);
  await sql`DROP FUNCTION IF EXISTS web_mercator_v(double precision)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS web_mercator_u(double precision)`.execute(db);
  await sql`DROP TABLE IF EXISTS tile_source_version`.execute(db);
}
