import { sql, type RawBuilder } from 'kysely';
import type { LayerDefinition, LayerParameters, OrderKey } from './layer-registry.ts';
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

/**
 * Where a page starts: right after, or right before, the feature whose sort keys and id these are
 * (`FeatureRow[POSITION]` of a listed feature). Values as JSON gives them: text, and timestamps in
 * ISO 8601 with microseconds, so that they read back exactly.
 */
export type PagePosition = { after: readonly string[] } | { before: readonly string[] };

export type FeaturePage = FeatureSelection & { limit: number } & ({ offset?: number } | PagePosition);

/** The column of a listed feature that holds its position (sort keys, then id) for the next page's cursor. */
export const POSITION = '#position';

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

/** The layer's order: its keys, then the id, in one direction (`reversed`: the other one). */
export function orderByClause(layer: LayerDefinition, reversed = false): RawBuilder<unknown> {
  const direction = (layer.order.descending ?? false) !== reversed ? sql`DESC` : sql`ASC`;
  return sql.join(
    sortValues(layer).map((value) => sql`${value} ${direction}`),
    sql`, `,
  );
}

/** The PostgreSQL type of each value of a position (`PagePosition`): the order keys', then the id's. */
export function positionTypes(layer: LayerDefinition): (OrderKey['type'] | 'uuid' | 'bigint')[] {
  return [...layer.order.keys.map((key) => key.type), layer.idType ?? 'uuid'];
}

/** What a feature is sorted by: the layer's order keys, then its id. */
function sortValues(layer: LayerDefinition): RawBuilder<unknown>[] {
  return [...layer.order.keys.map((key) => key.value), sql`f.id`];
}

/**
 * One page of features, in the layer's stable order (with `before`: the page that ends right before
 * the position, still in that order). Keyset paging: a row comparison on the sort keys and id, so a
 * deep page costs what the first one does when an index covers the order.
 */
export function featuresQuery(layer: LayerDefinition, parameters: LayerParameters, page: FeaturePage): RawBuilder<FeatureRow> {
  const conditions = selectionConditions(layer, parameters, page);
  const before = 'before' in page;
  if ('after' in page || 'before' in page) {
    const values = 'after' in page ? page.after : page.before;
    const types = positionTypes(layer);
    if (values.length !== types.length) throw new Error(`a position in ${layer.id} has ${types.length} values, not ${values.length}`);
    const keys = sql.join(sortValues(layer), sql`, `);
    const position = sql.join(
      values.map((value, index) => sql`CAST(${value} AS ${sql.raw(types[index]!)})`),
      sql`, `,
    );
    const forward = (layer.order.descending ?? false) === before;
    conditions.push(forward ? sql<boolean>`(${keys}) > (${position})` : sql<boolean>`(${keys}) < (${position})`);
  }
  const offset = 'offset' in page && page.offset ? sql` OFFSET ${page.offset}::integer` : sql``;
  // The id as text: a bigint id would otherwise come back as a JSON number, and cursors hold strings.
  const positionColumn = sql`json_build_array(${sql.join([...layer.order.keys.map((key) => key.value), sql`f.id::text`], sql`, `)})`;
  return sql<FeatureRow>`
    SELECT f.id::text AS id, ${featureColumns(layer)}, ST_AsGeoJSON(${layer.geometry}, 6)::json AS geometry, ${positionColumn} AS ${sql.ref(POSITION)}
    FROM ${sql.table(layer.table)} AS f
    WHERE ${where(conditions)}
    ORDER BY ${orderByClause(layer, before)}
    LIMIT ${page.limit}::integer${offset}`;
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
    WHERE f.id = CAST(${id} AS ${sql.raw(layer.idType ?? 'uuid')}) AND ${where(layer.conditions(parameters))}`;
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
