import Point from '@mapbox/point-geometry';
import { fromVectorTileJs, type VectorTileFeatureLike, type VectorTileLayerLike } from '@maplibre/vt-pbf';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Geometry } from 'geojson';
import type { LayerDefinition, LayerParameters } from './layer-registry.ts';
import { TILE_BUFFER, TILE_EXTENT, tileSizeMeters, WEB_MERCATOR_HALF_SIDE, type TileAddress } from './tile-coordinates.ts';
import { tileEnvelope, tileRowsQuery, type TileGeometrySql } from './tile-sql.ts';

/** Any Kysely instance: tiles/ runs raw SQL and does not depend on the API's table types. */
type Executor = Kysely<any>;

/**
 * The one difference between the two database backends that tiles care about: who writes the
 * protobuf. A server's PostGIS has ST_AsMVT; the embedded PostGIS (PGlite) is built without
 * protobuf-c, so there the same rows are clipped and quantised in SQL and encoded here with
 * @maplibre/vt-pbf. Both produce the same features, properties and coordinates (±1 unit, see
 * `tile-encoders.integration.test.ts` in the API).
 */
export interface TileEncoder {
  readonly name: 'st_asmvt' | 'vt-pbf';
  /** The tile as MVT bytes; empty when no feature falls in it. */
  encode(db: Executor, layer: LayerDefinition, tile: TileAddress, parameters: LayerParameters): Promise<Uint8Array>;
}

export function createTileEncoder(backend: 'server' | 'embedded'): TileEncoder {
  return backend === 'server' ? serverTileEncoder : embeddedTileEncoder;
}

// ---------------------------------------------------------------------------------------------
// Server: ST_AsMVT(ST_AsMVTGeom(..., 4096, 64, true)), martin's query.

const mvtGeometry: TileGeometrySql = {
  polygon: (geometry3857, tile) => sql`ST_AsMVTGeom(${geometry3857}, ${tileEnvelope(tile)}, ${TILE_EXTENT}, ${TILE_BUFFER}, true)`,
  line: (geometry3857, tile) => sql`ST_AsMVTGeom(${geometry3857}, ${tileEnvelope(tile)}, ${TILE_EXTENT}, ${TILE_BUFFER}, true)`,
  point: (geometry3857, tile) => sql`ST_AsMVTGeom(${geometry3857}, ${tileEnvelope(tile)}, ${TILE_EXTENT}, ${TILE_BUFFER}, true)`,
  tilePoint: (x, y) => sql`ST_Point(${x}, ${y})`,
  output: (geometry) => geometry,
};

export const serverTileEncoder: TileEncoder = {
  name: 'st_asmvt',
  async encode(db, layer, tile, parameters) {
    const rows = tileRowsQuery(layer, tile, parameters, mvtGeometry);
    const result = await sql<{ tile: Uint8Array | null }>`
      SELECT ST_AsMVT(t, ${layer.id}::text, ${TILE_EXTENT}::integer, 'geom') AS tile FROM (${rows}) AS t`.execute(db);
    return result.rows[0]?.tile ?? new Uint8Array();
  },
};

// ---------------------------------------------------------------------------------------------
// Embedded: ST_AsMVTGeom emulated in SQL, protobuf written by @maplibre/vt-pbf.

/**
 * The affine map of EPSG:3857 onto the tile's 0..4096 grid, y pointing down (as ST_AsMVTGeom does:
 * x' = (x - xmin)·f, y' = (ymax - y)·f), as bound parameters.
 */
function toTileSpace(geometry3857: RawBuilder<unknown>, { z, x, y }: TileAddress): RawBuilder<unknown> {
  const size = tileSizeMeters(z);
  const scale = TILE_EXTENT / size;
  const xmin = -WEB_MERCATOR_HALF_SIDE + x * size;
  const ymax = WEB_MERCATOR_HALF_SIDE - y * size;
  return sql`ST_Affine(${geometry3857}, ${scale}::double precision, 0, 0, ${-scale}::double precision, ${-xmin * scale}::double precision, ${ymax * scale}::double precision)`;
}

const bufferBox = sql`ST_MakeEnvelope(${-TILE_BUFFER}, ${-TILE_BUFFER}, ${TILE_EXTENT + TILE_BUFFER}, ${TILE_EXTENT + TILE_BUFFER})::box2d`;

const emulatedGeometry: TileGeometrySql = {
  // ST_AsMVTGeom for polygons, in its order: to tile space, snap to the integer grid, clip to the
  // buffered tile, make valid on the integer grid (GEOS snap-rounding; parts that collapse
  // disappear), drop collinear points, and orient rings as MVT wants (exterior positive area in tile
  // coordinates, y down).
  polygon: (geometry3857, tile) => sql`ST_ForcePolygonCCW(ST_Simplify(ST_CollectionExtract(
      ST_ReducePrecision(ST_MakeValid(ST_ClipByBox2D(ST_SnapToGrid(${toTileSpace(geometry3857, tile)}, 1), ${bufferBox})), 1), 3), 0, false))`,
  // Lines, as ST_AsMVTGeom treats them: to tile space, clipped to the buffered tile, snapped to the
  // integer grid, repeated points removed; a line that collapses to a point disappears.
  line: (geometry3857, tile) =>
    sql`(SELECT CASE WHEN ST_NPoints(l.g) >= 2 AND ST_Length(l.g) > 0 THEN l.g END FROM (SELECT ST_RemoveRepeatedPoints(ST_CollectionExtract(ST_SnapToGrid(
      ST_ClipByBox2D(${toTileSpace(geometry3857, tile)}, ${bufferBox}), 1), 2)) AS g) AS l)`,
  // Points: snapped like ST_SnapToGrid (rint), kept when inside the buffered tile.
  point: (geometry3857, tile) => {
    const snapped = sql`ST_SnapToGrid(${toTileSpace(geometry3857, tile)}, 1)`;
    const inside = (axis: RawBuilder<number>) => sql`${axis} BETWEEN ${-TILE_BUFFER} AND ${TILE_EXTENT + TILE_BUFFER}`;
    return sql`(SELECT CASE WHEN ${inside(sql`ST_X(p.g)`)} AND ${inside(sql`ST_Y(p.g)`)} THEN p.g END FROM (SELECT ${snapped} AS g) AS p)`;
  },
  tilePoint: (x, y) => sql`ST_Point(${x}, ${y})`,
  output: (geometry) => sql`ST_AsGeoJSON(${geometry}, 0)`,
};

export const embeddedTileEncoder: TileEncoder = {
  name: 'vt-pbf',
  async encode(db, layer, tile, parameters) {
    const result = await tileRowsQuery(layer, tile, parameters, emulatedGeometry).execute(db);
    if (result.rows.length === 0) return new Uint8Array();
    const features = result.rows.map(toFeature);
    return fromVectorTileJs({ layers: { [layer.id]: new EncodedLayer(layer.id, features) } });
  },
};

interface EncodedFeature {
  type: 1 | 2 | 3;
  rings: Point[][];
  properties: Record<string, string | number | boolean>;
}

function toFeature(row: Record<string, unknown>): EncodedFeature {
  const { geom, ...values } = row;
  const geometry = JSON.parse(String(geom)) as Geometry;
  const properties: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    properties[key] = typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string' ? value : String(value);
  }
  const toPoints = (positions: number[][]) => positions.map(([x, y]) => new Point(x!, y!));
  switch (geometry.type) {
    case 'Point':
      return { type: 1, rings: [toPoints([geometry.coordinates])], properties };
    case 'MultiPoint':
      return { type: 1, rings: [toPoints(geometry.coordinates)], properties };
    case 'LineString':
      return { type: 2, rings: [toPoints(geometry.coordinates)], properties };
    case 'MultiLineString':
      return { type: 2, rings: geometry.coordinates.map(toPoints), properties };
    case 'Polygon':
      return { type: 3, rings: geometry.coordinates.map(toPoints), properties };
    case 'MultiPolygon':
      return { type: 3, rings: geometry.coordinates.flat().map(toPoints), properties };
    default:
      throw new Error(`cannot encode a ${geometry.type} in a vector tile`);
  }
}

/** A layer in the shape @maplibre/vt-pbf serialises (the shape @mapbox/vector-tile reads). */
class EncodedLayer implements VectorTileLayerLike {
  readonly version = 2;
  readonly extent = TILE_EXTENT;
  readonly length: number;

  constructor(
    readonly name: string,
    private readonly features: EncodedFeature[],
  ) {
    this.length = features.length;
  }

  feature(index: number): VectorTileFeatureLike {
    const feature = this.features[index]!;
    return { type: feature.type, properties: feature.properties, id: undefined, extent: TILE_EXTENT, loadGeometry: () => feature.rings };
  }
}
