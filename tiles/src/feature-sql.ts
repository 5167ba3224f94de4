import { sql, type RawBuilder } from 'kysely';
import type { LayerDefinition, LayerParameters } from './layer-registry.ts';
import type { LonLatBounds } from './tile-coordinates.ts';

/**
 * Feature SQL for OGC API – Features, built from the same layer definitions as the tiles: the same
 * rows, the same public fields (plus the feature-only ones), geometry as GeoJSON in WGS84.
 */

export interface FeatureSelection {
  /** Only features whose geometry intersects this WGS84 box. */
  bbox?: LonLatBounds;
  /** Only features whose time (the layer's temporal property) intersects this interval (ISO instants; open ends undefined). */
  interval?: { start?: string; end?: string };
}

export interface FeaturePage extends FeatureSelection {
  limit: number;
  offset: number;
}

export interface FeatureRow {
  id: string;
  geometry: unknown;
  [property: string]: unknown;
}

const VIETNAM = sql.lit('Asia/Ho_Chi_Minh');

function selectionConditions(layer: LayerDefinition, parameters: LayerParameters, selection: FeatureSelection): RawBuilder<boolean>[] {
  const conditions = [...layer.conditions(parameters)];
  if (selection.bbox) {
    const [west, south, east, north] = selection.bbox;
    const box = sql`ST_MakeEnvelope(${west}::double precision, ${south}::double precision, ${east}::double precision, ${north}::double precision, 4326)`;
    conditions.push(sql<boolean>`${layer.geometry} && ${box} AND ST_Intersects(${layer.geometry}, ${box})`);
  }
  const temporal = layer.temporal;
  if (temporal && selection.interval) {
    const { start, end } = selection.interval;
    if (temporal.kind === 'timestamp') {
      if (start) conditions.push(sql<boolean>`${temporal.value} >= ${start}::timestamptz`);
      if (end) conditions.push(sql<boolean>`${temporal.value} <= ${end}::timestamptz`);
    } else {
      // A calendar day lasts from midnight to midnight in Vietnam: it intersects the interval when
      // it starts before the interval ends and ends after the interval starts.
      if (start) conditions.push(sql<boolean>`((${temporal.value} + 1)::timestamp AT TIME ZONE ${VIETNAM}) > ${start}::timestamptz`);
      if (end) conditions.push(sql<boolean>`((${temporal.value})::timestamp AT TIME ZONE ${VIETNAM}) <= ${end}::timestamptz`);
    }
  }
  return conditions;
}

function featureColumns(layer: LayerDefinition): RawBuilder<unknown> {
  return sql.join(
    layer.fields.filter((field) => field.only !== 'tiles').map((field) => sql`${field.value} AS ${sql.ref(field.name)}`),
    sql`, `,
  );
}

function where(conditions: RawBuilder<boolean>[]): RawBuilder<unknown> {
  return conditions.length === 0 ? sql`TRUE` : sql.join(conditions, sql` AND `);
}

/** One page of features, in the layer's stable order. */
export function featuresQuery(layer: LayerDefinition, parameters: LayerParameters, page: FeaturePage): RawBuilder<FeatureRow> {
  return sql<FeatureRow>`
    SELECT f.id::text AS id, ${featureColumns(layer)}, ST_AsGeoJSON(${layer.geometry}, 6)::json AS geometry
    FROM ${sql.table(layer.table)} AS f
    WHERE ${where(selectionConditions(layer, parameters, page))}
    ORDER BY ${layer.orderBy}, f.id
    LIMIT ${page.limit}::integer OFFSET ${page.offset}::integer`;
}

/** How many features the selection matches (numberMatched). */
export function featureCountQuery(layer: LayerDefinition, parameters: LayerParameters, selection: FeatureSelection): RawBuilder<{ count: number }> {
  return sql<{ count: number }>`
    SELECT count(*)::integer AS count FROM ${sql.table(layer.table)} AS f
    WHERE ${where(selectionConditions(layer, parameters, selection))}`;
}

/** One feature by id, when it belongs to the layer with these parameters. */
export function featureByIdQuery(layer: LayerDefinition, parameters: LayerParameters, id: string): RawBuilder<FeatureRow> {
  return sql<FeatureRow>`
    SELECT f.id::text AS id, ${featureColumns(layer)}, ST_AsGeoJSON(${layer.geometry}, 6)::json AS geometry
    FROM ${sql.table(layer.table)} AS f
    WHERE f.id = ${id}::uuid AND ${where(layer.conditions(parameters))}`;
}

/**
 * The layer's extent in WGS84 and its time span. Reports are bounded by the province outlines (an
 * extent over a million points would cost more than the answer is worth); the others by their rows.
 */
export function layerExtentQuery(
  layer: LayerDefinition,
  parameters: LayerParameters,
): RawBuilder<{ west: number | null; south: number | null; east: number | null; north: number | null; first: string | null; last: string | null }> {
  const extent =
    layer.id === 'reports'
      ? sql`(SELECT ST_Extent(p.geom) FROM admin_unit AS p WHERE p.level = 'province')`
      : sql`(SELECT ST_Extent(${layer.geometry}) FROM ${sql.table(layer.table)} AS f WHERE ${where(layer.conditions(parameters))})`;
  const temporal = layer.temporal;
  const span = temporal
    ? sql`(SELECT json_build_array(min(${temporal.value}), max(${temporal.value})) FROM ${sql.table(layer.table)} AS f WHERE ${where(layer.conditions(parameters))})`
    : sql`NULL::json`;
  return sql`
    SELECT ST_XMin(e.box) AS west, ST_YMin(e.box) AS south, ST_XMax(e.box) AS east, ST_YMax(e.box) AS north,
      s.span->>0 AS first, s.span->>1 AS last
    FROM (SELECT ${extent} AS box) AS e, (SELECT ${span} AS span) AS s`;
}
