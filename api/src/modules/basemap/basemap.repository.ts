import { sql } from 'kysely';
import type { DatabaseExecutor } from '../../db/database-schema.ts';
import type { AreaRow, LineRow, PointRow } from './osm-features.ts';

/**
 * The base map's tables (migration 0012). An import runs all of these in one transaction: delete
 * the old base map, insert the new one batch by batch, give points their commune, record the import.
 * Geometries arrive as GeoJSON text and are made valid here (ST_MakeValid), kept to their dimension
 * (ST_CollectionExtract), made multi, and dropped when nothing is left.
 */

const VIETNAM = sql.lit('Asia/Ho_Chi_Minh');

/** The province outline of the boundary set in force today, a little grown (so border roads stay whole), as GeoJSON; undefined without one. */
export async function findProvinceClipArea(db: DatabaseExecutor): Promise<{ boundarySet: string; geometry: string } | undefined> {
  const result = await sql<{ boundary_set: string; geometry: string | null }>`
    SELECT s.name AS boundary_set, ST_AsGeoJSON(ST_Buffer(ST_SimplifyPreserveTopology(ST_Union(u.geom), 0.0005), 0.01), 6) AS geometry
    FROM boundary_set AS s JOIN admin_unit AS u ON u.boundary_set_id = s.id AND u.level = 'province'
    WHERE s.id = (
      SELECT latest.id FROM boundary_set AS latest
      WHERE latest.valid_from <= (now() AT TIME ZONE ${VIETNAM})::date
      ORDER BY latest.valid_from DESC, latest.created_at DESC, latest.id LIMIT 1)
    GROUP BY s.name`.execute(db);
  const row = result.rows[0];
  return row?.geometry ? { boundarySet: row.boundary_set, geometry: row.geometry } : undefined;
}

/** Removes the whole base map (inside the import's transaction: readers keep seeing it until the commit). */
export async function deleteBasemap(db: DatabaseExecutor): Promise<void> {
  // DELETE, not TRUNCATE: TRUNCATE would lock the tables against the tile readers until the commit.
  await sql`DELETE FROM basemap_line`.execute(db);
  await sql`DELETE FROM basemap_area`.execute(db);
  await sql`DELETE FROM basemap_point`.execute(db);
}

const geometryOf = sql`ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), 4326)`;
/** Valid and of one dimension (2: lines, 3: polygons), multi; empty when nothing is left. */
const validMulti = (dimension: 2 | 3) => sql`ST_Multi(ST_CollectionExtract(ST_MakeValid(${geometryOf}), ${sql.lit(dimension)}))`;

export async function insertLines(db: DatabaseExecutor, rows: readonly LineRow[]): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(rows.map((row) => ({ osm_id: row.osmId, kind: row.kind, class: row.class, name: row.name, name_folded: row.nameFolded, ref: row.ref, geometry: row.geometry })));
  await sql`
    INSERT INTO basemap_line (osm_id, kind, class, name, name_folded, ref, geom)
    SELECT v.osm_id, v.kind, v.class, v.name, v.name_folded, v.ref, v.geom
    FROM (
      SELECT r.osm_id, r.kind, r.class, r.name, r.name_folded, r.ref, ${validMulti(2)} AS geom
      FROM jsonb_to_recordset(${json}::jsonb) AS r(osm_id bigint, kind text, class text, name text, name_folded text, ref text, geometry text)
    ) AS v
    WHERE NOT ST_IsEmpty(v.geom)`.execute(db);
}

export async function insertAreas(db: DatabaseExecutor, rows: readonly AreaRow[]): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(rows.map((row) => ({ osm_id: row.osmId, kind: row.kind, class: row.class, name: row.name, name_folded: row.nameFolded, geometry: row.geometry })));
  await sql`
    INSERT INTO basemap_area (osm_id, kind, class, name, name_folded, geom)
    SELECT v.osm_id, v.kind, v.class, v.name, v.name_folded, v.geom
    FROM (
      SELECT r.osm_id, r.kind, r.class, r.name, r.name_folded, ${validMulti(3)} AS geom
      FROM jsonb_to_recordset(${json}::jsonb) AS r(osm_id bigint, kind text, class text, name text, name_folded text, geometry text)
    ) AS v
    WHERE NOT ST_IsEmpty(v.geom)`.execute(db);
}

/** Named points; an area's label point is a point inside it (ST_PointOnSurface). */
export async function insertPoints(db: DatabaseExecutor, rows: readonly PointRow[]): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(rows.map((row) => ({ osm_id: row.osmId, kind: row.kind, class: row.class, name: row.name, name_folded: row.nameFolded, geometry: row.geometry, on_surface: row.pointOnSurface })));
  await sql`
    INSERT INTO basemap_point (osm_id, kind, class, name, name_folded, geom)
    SELECT v.osm_id, v.kind, v.class, v.name, v.name_folded, v.geom
    FROM (
      SELECT r.osm_id, r.kind, r.class, r.name, r.name_folded,
        CASE WHEN r.on_surface THEN ST_PointOnSurface(ST_CollectionExtract(ST_MakeValid(${geometryOf}), 3)) ELSE ST_GeometryN(${geometryOf}, 1) END AS geom
      FROM jsonb_to_recordset(${json}::jsonb) AS r(osm_id bigint, kind text, class text, name text, name_folded text, geometry text, on_surface boolean)
    ) AS v
    WHERE v.geom IS NOT NULL AND NOT ST_IsEmpty(v.geom) AND GeometryType(v.geom) = 'POINT'`.execute(db);
}

/** Gives every point the code of the commune-level unit (of the boundary set in force today) it lies in. */
export async function assignPointCommunes(db: DatabaseExecutor): Promise<void> {
  await sql`
    UPDATE basemap_point AS p SET commune_code = u.code
    FROM admin_unit AS u
    WHERE u.boundary_set_id = (
        SELECT latest.id FROM boundary_set AS latest
        WHERE latest.valid_from <= (now() AT TIME ZONE ${VIETNAM})::date
        ORDER BY latest.valid_from DESC, latest.created_at DESC, latest.id LIMIT 1)
      AND u.level IN ('commune', 'ward', 'town') AND u.geom && p.geom AND ST_Covers(u.geom, p.geom)`.execute(db);
}

/** Rows per table and kind, e.g. { line: { road: 120, waterway: 4 }, area: {…}, point: {…} }. */
export async function countBasemapRows(db: DatabaseExecutor): Promise<Record<'line' | 'area' | 'point', Record<string, number>>> {
  const result = await sql<{ part: 'line' | 'area' | 'point'; kind: string; count: number }>`
    SELECT 'line' AS part, kind, count(*)::integer AS count FROM basemap_line GROUP BY kind
    UNION ALL SELECT 'area', kind, count(*)::integer FROM basemap_area GROUP BY kind
    UNION ALL SELECT 'point', kind, count(*)::integer FROM basemap_point GROUP BY kind`.execute(db);
  const counts: Record<'line' | 'area' | 'point', Record<string, number>> = { line: {}, area: {}, point: {} };
  for (const row of result.rows) counts[row.part][row.kind] = row.count;
  return counts;
}

export interface BasemapImportRecord {
  sourceName: string;
  sourceSha256: string;
  clip: string;
  /** The clip's bounds [west, south, east, north], or null for the whole file. */
  bbox: readonly [number, number, number, number] | null;
  counts: Record<string, unknown>;
}

export async function insertBasemapImport(db: DatabaseExecutor, record: BasemapImportRecord): Promise<{ id: string; importedAt: Date }> {
  const bbox = record.bbox
    ? sql`ST_MakeEnvelope(${record.bbox[0]}::double precision, ${record.bbox[1]}::double precision, ${record.bbox[2]}::double precision, ${record.bbox[3]}::double precision, 4326)`
    : sql`NULL`;
  const result = await sql<{ id: string; imported_at: Date }>`
    INSERT INTO basemap_import (source_name, source_sha256, clip, bbox, counts)
    VALUES (${record.sourceName}, ${record.sourceSha256}, ${record.clip}, ${bbox}, ${JSON.stringify(record.counts)}::jsonb)
    RETURNING id, imported_at`.execute(db);
  const row = result.rows[0]!;
  return { id: row.id, importedAt: row.imported_at };
}

/** The bounds of a GeoJSON geometry (the province clip), [west, south, east, north]. */
export async function geometryBounds(db: DatabaseExecutor, geometry: string): Promise<[number, number, number, number]> {
  const result = await sql<{ west: number; south: number; east: number; north: number }>`
    SELECT ST_XMin(b) AS west, ST_YMin(b) AS south, ST_XMax(b) AS east, ST_YMax(b) AS north
    FROM (SELECT ST_GeomFromGeoJSON(${geometry})::box2d AS b) AS g`.execute(db);
  const row = result.rows[0]!;
  return [row.west, row.south, row.east, row.north];
}
