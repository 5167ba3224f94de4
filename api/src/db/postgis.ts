import { sql, type Expression, type RawBuilder } from 'kysely';
import type { Geometry as GeoJsonGeometry } from 'geojson';

/**
 * Typed PostGIS helpers: the only way application code builds spatial SQL. Values are always bound
 * parameters; coordinates are WGS84 (EPSG:4326) longitude/latitude unless a name says otherwise.
 */
export const WGS84 = 4326;

/** A GeoJSON geometry (already WGS84) as a geometry with SRID 4326. */
export function geometryFromGeoJson(geometry: GeoJsonGeometry): RawBuilder<string> {
  return sql<string>`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}::text), 4326)`;
}

/** A WGS84 point. */
export function makePoint(longitude: number, latitude: number): RawBuilder<string> {
  return sql<string>`ST_SetSRID(ST_MakePoint(${longitude}::double precision, ${latitude}::double precision), 4326)`;
}

/** A geometry as a GeoJSON object (6 decimals ≈ 0.1 m). */
export function asGeoJson<T extends GeoJsonGeometry = GeoJsonGeometry>(geometry: Expression<unknown>): RawBuilder<T> {
  return sql<T>`ST_AsGeoJSON(${geometry}, 6)::json`;
}

/** True when `container` covers `geometry`, boundary included (index-assisted). */
export function stCovers(container: Expression<unknown>, geometry: Expression<unknown>): RawBuilder<boolean> {
  return sql<boolean>`ST_Covers(${container}, ${geometry})`;
}

/** Distance in metres on the spheroid. */
export function distanceMetres(a: Expression<unknown>, b: Expression<unknown>): RawBuilder<number> {
  return sql<number>`ST_Distance(${a}::geography, ${b}::geography)`;
}

/** A point guaranteed to lie inside the geometry. */
export function pointOnSurface(geometry: Expression<unknown>): RawBuilder<string> {
  return sql<string>`ST_PointOnSurface(${geometry})`;
}
