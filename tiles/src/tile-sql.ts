import { sql, type RawBuilder } from 'kysely';
import { reportStatuses } from '@bandoso/contracts';
import type { LayerDefinition, LayerParameters } from './layer-registry.ts';
import { orderByClause } from './feature-sql.ts';
import { simplifyToleranceMeters, TILE_BUFFER, TILE_EXTENT, type TileAddress } from './tile-coordinates.ts';

/**
 * All tile SQL. One parameterised query per layer and tile, in the shape martin uses:
 *
 *   SELECT <public fields>, <tile geometry> AS geom
 *   FROM <table> AS f
 *   WHERE f.geom && ST_Transform(ST_TileEnvelope($z, $x, $y, margin => 64/4096), 4326) AND <layer conditions>
 *
 * The bounding-box prefilter runs on the indexed WGS84 column; z, x and y are bound parameters.
 * How the tile geometry is computed is the encoder's business (`TileGeometrySql`): ST_AsMVTGeom on a
 * server with protobuf, an emulation of it where there is none.
 */

/** How an encoder turns geometries into its tile-space column `geom` (NULL: drop the feature). */
export interface TileGeometrySql {
  /** A polygon layer's geometry, already in EPSG:3857 and simplified for the zoom. */
  polygon(geometry3857: RawBuilder<unknown>, tile: TileAddress): RawBuilder<unknown>;
  /** A line layer's geometry, already in EPSG:3857 and simplified for the zoom. */
  line(geometry3857: RawBuilder<unknown>, tile: TileAddress): RawBuilder<unknown>;
  /** A point, in EPSG:3857. */
  point(geometry3857: RawBuilder<unknown>, tile: TileAddress): RawBuilder<unknown>;
  /** A point given directly in tile coordinates (integers, 0..4096): cluster centres. */
  tilePoint(x: RawBuilder<number>, y: RawBuilder<number>): RawBuilder<unknown>;
  /** The column the encoder reads, from a tile-space geometry (the geometry itself, or its GeoJSON). */
  output(geometry: RawBuilder<unknown>): RawBuilder<unknown>;
}

/** Cells per tile side for clusters: 16 × 16 cells of 256 units (32 px on a 512 px tile). */
export const CLUSTER_CELLS_PER_SIDE_LOG2 = 4;
/** Levels stored by migration 0005 in report_cluster_cell. */
const CLUSTER_LEVELS = { min: 4, max: 16 } as const;

export function tileEnvelope({ z, x, y }: TileAddress): RawBuilder<unknown> {
  return sql`ST_TileEnvelope(${z}::integer, ${x}::integer, ${y}::integer)`;
}

/** The tile grown by `marginUnits` tile units, in WGS84 (the index prefilter). */
export function tileEnvelopeWgs84({ z, x, y }: TileAddress, marginUnits = TILE_BUFFER): RawBuilder<unknown> {
  return sql`ST_Transform(ST_TileEnvelope(${z}::integer, ${x}::integer, ${y}::integer, margin => ${marginUnits / TILE_EXTENT}::double precision), 4326)`;
}

function where(conditions: RawBuilder<boolean>[]): RawBuilder<unknown> {
  return conditions.length === 0 ? sql`TRUE` : sql.join(conditions, sql` AND `);
}

function tileFields(layer: LayerDefinition): RawBuilder<unknown> {
  return sql.join(
    layer.fields.filter((field) => field.only !== 'features').map((field) => sql`${field.value} AS ${sql.ref(field.name)}`),
    sql`, `,
  );
}

/** True when this tile of the layer is made of clusters rather than one feature per row. */
export function isClusterTile(layer: LayerDefinition, tile: TileAddress): boolean {
  return layer.clusters !== undefined && tile.z < layer.clusters.belowZoom && tile.z + CLUSTER_CELLS_PER_SIDE_LOG2 >= CLUSTER_LEVELS.min;
}

/** The rows of one tile: public fields plus `geom` in tile space (the encoder's form). */
export function tileRowsQuery(layer: LayerDefinition, tile: TileAddress, parameters: LayerParameters, geometry: TileGeometrySql): RawBuilder<Record<string, unknown>> {
  if (isClusterTile(layer, tile)) return clusterRowsQuery(layer, tile, parameters, geometry);
  const prefilter = sql<boolean>`${layer.geometry} && ${tileEnvelopeWgs84(tile)}`;
  let tileGeometry: RawBuilder<unknown>;
  if (layer.geometryType === 'Polygon' || layer.geometryType === 'LineString') {
    // Clip to twice the buffer before projecting, so a large polygon (the province at zoom 14) or a
    // long river costs what its part in the tile costs; then simplify to half a pixel, dropping what
    // collapses.
    const clipped = sql`ST_ClipByBox2D(${layer.geometry}, ${tileEnvelopeWgs84(tile, 2 * TILE_BUFFER)}::box2d)`;
    const simplified = sql`ST_Simplify(ST_Transform(${clipped}, 3857), ${simplifyToleranceMeters(tile.z)}::double precision, false)`;
    tileGeometry = layer.geometryType === 'Polygon' ? geometry.polygon(simplified, tile) : geometry.line(simplified, tile);
  } else {
    tileGeometry = geometry.point(sql`ST_Transform(${layer.geometry}, 3857)`, tile);
  }
  const conditions = [...layer.conditions(parameters), ...(layer.zoomConditions?.(tile.z) ?? [])];
  return sql<Record<string, unknown>>`
    SELECT ${tileFields(layer)}, ${geometry.output(sql`t.geom`)} AS geom
    FROM ${sql.table(layer.table)} AS f
    CROSS JOIN LATERAL (SELECT ${tileGeometry} AS geom) AS t
    WHERE ${prefilter} AND ${where(conditions)} AND t.geom IS NOT NULL AND NOT ST_IsEmpty(t.geom)
    ORDER BY ${orderByClause(layer)}`;
}

/**
 * Clusters of a report tile: one feature per non-empty cell of a 16 × 16 grid aligned with the tile
 * grid, at the weighted centre of its reports, with `count` and `count_<status>`.
 *
 * Without a date filter the counts come from the pyramid `report_cluster_cell` (kept exact by the
 * report trigger): at most 256 rows per tile (per category asked for), whatever the number of reports.
 * With `from`/`to` the counts come from the reports themselves, grouped by the same cells; the cost
 * then grows with the reports in the tile. Every report falls in exactly one cell of one tile, so the
 * counts of the tiles covering an area add up to the number of reports the same filter lists.
 */
function clusterRowsQuery(layer: LayerDefinition, tile: TileAddress, parameters: LayerParameters, geometry: TileGeometrySql): RawBuilder<Record<string, unknown>> {
  const { filters } = parameters;
  const level = tile.z + CLUSTER_CELLS_PER_SIDE_LOG2;
  const statuses = filters.status ?? reportStatuses;
  const scale = 2 ** tile.z;
  const position = (sumU: RawBuilder<number>, sumV: RawBuilder<number>, total: RawBuilder<number>) => {
    const axis = (sum: RawBuilder<number>, origin: number) =>
      sql<number>`least(greatest(round((${sum} / ${total} * ${scale}::double precision - ${origin}::double precision) * ${TILE_EXTENT}::double precision), 0), ${TILE_EXTENT - 1})::integer`;
    return geometry.tilePoint(axis(sumU, tile.x), axis(sumV, tile.y));
  };
  const statusCounts = (count: (status: string) => RawBuilder<number>) =>
    sql.join(
      reportStatuses.map((status) => sql`${(statuses as readonly string[]).includes(status) ? count(status) : sql`0`}::integer AS ${sql.ref(`count_${status}`)}`),
      sql`, `,
    );
  const cellsPerSide = 2 ** CLUSTER_CELLS_PER_SIDE_LOG2;
  const firstX = tile.x * cellsPerSide;
  const firstY = tile.y * cellsPerSide;

  if (!filters.from && !filters.to) {
    const selected = sql.join(
      statuses.map((status) => sql`c.${sql.ref(status)}`),
      sql` + `,
    );
    const total = filters.status ? sql<number>`sum(${selected})` : sql<number>`sum(c.total)`;
    const category = filters.category ? sql<boolean>`c.category_code = ANY(string_to_array(${filters.category.join(',')}::text, ','))` : sql<boolean>`c.category_code = '*'`;
    return sql<Record<string, unknown>>`
      SELECT true AS cluster, ${total}::integer AS count, ${statusCounts((status) => sql`sum(c.${sql.ref(status)})`)},
        ${geometry.output(position(sql`sum(c.sum_u)`, sql`sum(c.sum_v)`, sql`sum(c.total)`))} AS geom
      FROM report_cluster_cell AS c
      WHERE c.level = ${level}::smallint AND ${category}
        AND c.cell_x BETWEEN ${firstX}::integer AND ${firstX + cellsPerSide - 1}::integer
        AND c.cell_y BETWEEN ${firstY}::integer AND ${firstY + cellsPerSide - 1}::integer
      GROUP BY c.cell_x, c.cell_y
      HAVING ${total} > 0 AND sum(c.total) > 0
      ORDER BY c.cell_y, c.cell_x`;
  }

  const u = sql<number>`web_mercator_u(ST_X(${layer.geometry}))`;
  const v = sql<number>`web_mercator_v(ST_Y(${layer.geometry}))`;
  return sql<Record<string, unknown>>`
    SELECT true AS cluster, count(*)::integer AS count, ${statusCounts((status) => sql`count(*) FILTER (WHERE r.status = ${status}::text)`)},
      ${geometry.output(position(sql`sum(r.u)`, sql`sum(r.v)`, sql`count(*)`))} AS geom
    FROM (
      SELECT f.status, ${u} AS u, ${v} AS v, floor(${u} * ${2 ** level}::double precision)::integer AS cell_x, floor(${v} * ${2 ** level}::double precision)::integer AS cell_y
      FROM report AS f
      WHERE ${layer.geometry} && ${tileEnvelopeWgs84(tile, 1)} AND ${where(layer.conditions(parameters))}
    ) AS r
    WHERE r.cell_x BETWEEN ${firstX}::integer AND ${firstX + cellsPerSide - 1}::integer
      AND r.cell_y BETWEEN ${firstY}::integer AND ${firstY + cellsPerSide - 1}::integer
    GROUP BY r.cell_x, r.cell_y
    ORDER BY r.cell_y, r.cell_x`;
}
