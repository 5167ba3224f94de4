import type {
  OgcCollection,
  OgcCollections,
  OgcConformance,
  OgcFeature,
  OgcFeatureCollection,
  OgcFeatureWithLinks,
  OgcLandingPage,
  OgcLink,
  OgcTileset,
  OgcTilesetList,
} from '@bandoso/contracts';
import type { Kysely } from 'kysely';
import { POSITION, tilesCovering, vectorLayerFields, type FeatureRow, type FeatureSelection, type LayerDefinition, type PagePosition, type TileAddress, type TileResponse } from '@bandoso/tiles';
import type { Database } from '../../db/database-schema.ts';
import { readPublic } from '../../db/replica.ts';
import { AppError } from '../../errors/app-error.ts';
import type { LayerQuery } from '../tiles/tiles.schema.ts';
import type { TilesService } from '../tiles/tiles.service.ts';
import { findLayerExtent } from '../tiles/tiles.service.ts';
import { countFeatures, findFeature, listFeatures } from './ogc.repository.ts';
import { DEFAULT_LIMIT, encodeCursor } from './ogc.schema.ts';
import { EPSG_3857, TILING_SCHEME, WEB_MERCATOR_QUAD, tileMatrixSetHref, tileMatrixSetList, webMercatorQuad, type OgcTileMatrixSet, type OgcTileMatrixSetList } from './ogc.tile-matrix-sets.ts';

/**
 * What the API passes, and nothing more. OGC API – Tiles – Part 1: tiles by a template (core) in
 * Mapbox Vector Tiles (mvt), tileset metadata (tileset) and the list of a collection's tilesets
 * (tilesets-list) under /collections/{collectionId}/tiles (geodata-tilesets), all in the OpenAPI
 * definition (oas30). Not declared: dataset-tilesets (no /tiles of all collections together),
 * geodata-selection, the raster and GeoJSON encodings.
 */
export const conformanceClasses = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset',
  'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list',
  'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets',
  'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt',
  'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30',
] as const;

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const GEOJSON = 'application/geo+json';
export const JSON_TYPE = 'application/json';
export const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';
const MVT = 'application/vnd.mapbox-vector-tile';

export interface ItemsRequest extends LayerQuery {
  limit?: number;
  offset?: number;
  cursor?: PagePosition;
  bbox?: [number, number, number, number];
  interval?: { start?: string; end?: string };
}

/**
 * OGC API – Features Part 1 (core, GeoJSON, OpenAPI 3.0) and OGC API – Tiles over the same layers as
 * /tiles. Collections are the tile layers; features carry the same public fields, never more. The
 * answers' shapes are @bandoso/contracts' ogc-features.contract.ts, which the API definition
 * (ogc.document.ts) is generated from.
 */
export class OgcService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly tiles: TilesService,
  ) {}

  landingPage(base: string): OgcLandingPage {
    return {
      title: 'Bản đồ số Điện Biên — OGC API',
      description: 'Public map layers of Điện Biên province as OGC API – Features and OGC API – Tiles (vector tiles).',
      links: [
        { href: `${base}/ogc`, rel: 'self', type: JSON_TYPE, title: 'This document' },
        { href: `${base}/ogc/api`, rel: 'service-desc', type: OPENAPI_TYPE, title: 'The API definition (OpenAPI 3.0)' },
        { href: `${base}/ogc/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'Conformance classes' },
        { href: `${base}/ogc/conformance`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/conformance', type: JSON_TYPE, title: 'Conformance classes' },
        { href: `${base}/ogc/collections`, rel: 'data', type: JSON_TYPE, title: 'Collections' },
        { href: `${base}/ogc/collections`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/data', type: JSON_TYPE, title: 'Collections' },
        { href: `${base}/ogc/tileMatrixSets`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes', type: JSON_TYPE, title: 'Tile matrix sets' },
      ] satisfies OgcLink[],
    };
  }

  conformance(): OgcConformance {
    return { conformsTo: [...conformanceClasses] };
  }

  tileMatrixSets(base: string): OgcTileMatrixSetList {
    return tileMatrixSetList(base);
  }

  tileMatrixSet(base: string): OgcTileMatrixSet {
    return webMercatorQuad(base);
  }

  layer(id: string): LayerDefinition {
    return this.tiles.layer(id);
  }

  async collections(base: string): Promise<OgcCollections> {
    const collections: OgcCollection[] = [];
    for (const layer of this.tiles.layers()) collections.push(await this.collection(base, layer, { filters: {} }));
    return {
      links: [{ href: `${base}/ogc/collections`, rel: 'self', type: JSON_TYPE, title: 'Collections' }] satisfies OgcLink[],
      collections,
    };
  }

  async collection(base: string, layer: LayerDefinition, query: LayerQuery): Promise<OgcCollection> {
    const { parameters } = await this.tiles.resolveParameters(layer, query);
    const extent = await readPublic(this.db, (db) => findLayerExtent(db, layer, parameters));
    const href = `${base}/ogc/collections/${layer.id}`;
    return {
      id: layer.id,
      title: layer.title,
      description: layer.description,
      attribution: layer.attribution,
      itemType: 'feature',
      crs: [CRS84],
      extent: {
        spatial: { bbox: [extent.bbox ?? [-180, -90, 180, 90]], crs: CRS84 },
        ...(extent.interval ? { temporal: { interval: [extent.interval], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } } : {}),
      },
      links: [
        { href, rel: 'self', type: JSON_TYPE, title: layer.title },
        { href: `${href}/items`, rel: 'items', type: GEOJSON, title: `${layer.title} (GeoJSON)` },
        { href: `${href}/tiles`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector', type: JSON_TYPE, title: 'Vector tilesets' },
        { href: `${base}/tiles/${layer.id}.json`, rel: 'describedby', type: JSON_TYPE, title: 'TileJSON' },
      ] satisfies OgcLink[],
    };
  }

  /**
   * One page of items. The `next` and `prev` links carry a cursor (the position of the page's last or
   * first feature), so following them costs the same on the ten-thousandth page as on the first;
   * `offset` is still read, for links made before cursors. One feature more than the page is asked
   * for, to know whether another page follows without trusting a count taken in another snapshot.
   */
  async items(base: string, layer: LayerDefinition, request: ItemsRequest, search: URLSearchParams): Promise<OgcFeatureCollection> {
    const { parameters } = await this.tiles.resolveParameters(layer, request);
    const limit = request.limit ?? DEFAULT_LIMIT;
    const offset = request.offset ?? 0;
    const selection: FeatureSelection = { ...(request.bbox ? { bbox: request.bbox } : {}), ...(request.interval && layer.temporal ? { interval: request.interval } : {}) };
    const start: { offset: number } | PagePosition = request.cursor ?? { offset };
    // On the read replica when it is current (see db/replica.ts), else the primary.
    const [fetched, matched] = await readPublic(this.db, (db) =>
      Promise.all([listFeatures(db, layer, parameters, { ...selection, ...start, limit: limit + 1 }), countFeatures(db, layer, parameters, selection)]),
    );
    const backwards = 'before' in start;
    const more = fetched.length > limit;
    const rows = fetched.slice(0, limit);
    if (backwards) rows.reverse(); // fetched nearest-first; shown in the layer's order
    const href = `${base}/ogc/collections/${layer.id}/items`;
    const page = (position: PagePosition) => {
      const next = new URLSearchParams(search);
      next.set('cursor', encodeCursor(layer, position));
      next.set('limit', String(limit));
      return `${href}?${next.toString()}`;
    };
    const links: OgcLink[] = [
      { href: search.size > 0 ? `${href}?${search.toString()}` : href, rel: 'self', type: GEOJSON, title: 'This page' },
      { href: `${base}/ogc/collections/${layer.id}`, rel: 'collection', type: JSON_TYPE, title: layer.title },
    ];
    const first = rows[0];
    const last = rows.at(-1);
    // After a backward page, the features it stopped before follow; after a forward one, those it started after precede.
    if (last && (backwards || more)) links.push({ href: page({ after: last[POSITION] as string[] }), rel: 'next', type: GEOJSON, title: 'Next page' });
    if (first && (backwards ? more : 'after' in start || offset > 0)) links.push({ href: page({ before: first[POSITION] as string[] }), rel: 'prev', type: GEOJSON, title: 'Previous page' });
    return {
      type: 'FeatureCollection' as const,
      features: rows.map((row) => toFeature(row, layer, base)),
      numberMatched: matched,
      numberReturned: rows.length,
      timeStamp: new Date().toISOString(),
      links,
    };
  }

  async item(base: string, layer: LayerDefinition, query: LayerQuery, id: string): Promise<OgcFeatureWithLinks> {
    const { parameters } = await this.tiles.resolveParameters(layer, query);
    const row = await readPublic(this.db, (db) => findFeature(db, layer, parameters, id));
    if (!row) throw new AppError('NOT_FOUND', `No feature ${id} in ${layer.id}.`, { vi: `Không có đối tượng ${id} trong lớp ${layer.id}.` });
    const href = `${base}/ogc/collections/${layer.id}`;
    return {
      ...toFeature(row, layer, base),
      links: [
        { href: `${href}/items/${id}`, rel: 'self', type: GEOJSON, title: 'This feature' },
        { href, rel: 'collection', type: JSON_TYPE, title: layer.title },
      ] satisfies OgcLink[],
    };
  }

  tilesets(base: string, layer: LayerDefinition): OgcTilesetList {
    const href = `${base}/ogc/collections/${layer.id}/tiles`;
    return {
      links: [
        { href, rel: 'self', type: JSON_TYPE, title: 'Tilesets' },
        { href: `${base}/ogc/collections/${layer.id}`, rel: 'collection', type: JSON_TYPE, title: layer.title },
      ] satisfies OgcLink[],
      tilesets: [
        {
          title: `${layer.title} (WebMercatorQuad)`,
          dataType: 'vector',
          crs: EPSG_3857,
          tileMatrixSetURI: WEB_MERCATOR_QUAD,
          links: [
            { href: `${href}/WebMercatorQuad`, rel: 'self', type: JSON_TYPE, title: 'Tileset metadata' },
            { href: tileMatrixSetHref(base), rel: TILING_SCHEME, type: JSON_TYPE, title: 'WebMercatorQuad' },
          ] satisfies OgcLink[],
        },
      ],
    };
  }

  async tileset(base: string, layer: LayerDefinition): Promise<OgcTileset> {
    const { parameters } = await this.tiles.resolveParameters(layer, { filters: {} });
    const bounds = await this.tiles.bounds(layer, parameters);
    const href = `${base}/ogc/collections/${layer.id}/tiles/WebMercatorQuad`;
    const limits = [];
    for (let zoom = layer.minzoom; zoom <= layer.maxzoom; zoom += 1) {
      const covering = tilesCovering(bounds, zoom);
      const first = covering[0]!;
      const last = covering.at(-1)!;
      limits.push({ tileMatrix: String(zoom), minTileRow: first.y, maxTileRow: last.y, minTileCol: first.x, maxTileCol: last.x });
    }
    const properties: OgcTileset['layers'][number]['propertiesSchema']['properties'] = {};
    for (const [name, type] of Object.entries(vectorLayerFields(layer))) properties[name] = { type: type === 'Number' ? 'number' : type === 'Boolean' ? 'boolean' : 'string' };
    return {
      title: layer.title,
      description: layer.description,
      dataType: 'vector',
      crs: EPSG_3857,
      tileMatrixSetURI: WEB_MERCATOR_QUAD,
      tileMatrixSetLimits: limits,
      boundingBox: { lowerLeft: [bounds[0], bounds[1]], upperRight: [bounds[2], bounds[3]], crs: CRS84 },
      layers: [
        {
          id: layer.id,
          title: layer.title,
          dataType: 'vector',
          geometryDimension: { Point: 0, LineString: 1, Polygon: 2 }[layer.geometryType],
          minTileMatrix: String(layer.minzoom),
          maxTileMatrix: String(layer.maxzoom),
          propertiesSchema: { type: 'object', properties },
        },
      ],
      links: [
        { href, rel: 'self', type: JSON_TYPE, title: 'This tileset' },
        { href: `${href}/{tileMatrix}/{tileRow}/{tileCol}`, rel: 'item', type: MVT, title: 'Tiles (z/y/x)', templated: true },
        { href: tileMatrixSetHref(base), rel: TILING_SCHEME, type: JSON_TYPE, title: 'WebMercatorQuad' },
        { href: `${base}/ogc/collections/${layer.id}`, rel: 'collection', type: JSON_TYPE, title: layer.title },
      ] satisfies OgcLink[],
    };
  }

  tile(layer: LayerDefinition, tile: TileAddress, query: LayerQuery): Promise<TileResponse> {
    return this.tiles.tile(layer, tile, query);
  }
}

function toFeature(row: FeatureRow, layer: LayerDefinition, base: string): OgcFeature {
  const { id, geometry, [POSITION]: _position, ...properties } = row;
  // Paths on this platform become absolute URLs on the origin the request came to.
  for (const field of layer.fields) {
    const value = properties[field.name];
    if (field.link && typeof value === 'string' && value.startsWith('/')) properties[field.name] = `${base}${value}`;
  }
  // The geometry is ST_AsGeoJSON's (or null), the properties the layer's public fields.
  return { type: 'Feature', id, geometry: geometry as OgcFeature['geometry'], properties };
}
