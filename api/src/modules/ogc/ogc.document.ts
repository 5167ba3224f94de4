import {
  errorBodySchema,
  ogcApiDefinitionSchema,
  ogcCollectionSchema,
  ogcCollectionsSchema,
  ogcConformanceSchema,
  ogcFeatureCollectionSchema,
  ogcFeatureWithLinksSchema,
  ogcLandingPageSchema,
  ogcTilesetListSchema,
  ogcTilesetSchema,
  type OgcApiDefinition,
} from '@bandoso/contracts';
import type { LayerDefinition } from '@bandoso/tiles';
import type { z } from 'zod';
import { pathParameter, queryParameters, responseSchema, type ParameterObject } from '../openapi/openapi-schemas.ts';
import { tileAddressSchema } from '../tiles/tiles.schema.ts';
import { featureIdSchemaFor, itemQuerySchema, itemsQuerySchema, metadataQuerySchema, ogcTileQuerySchema } from './ogc.schema.ts';
import { GEOJSON, JSON_TYPE, OPENAPI_TYPE } from './ogc.service.ts';
import { ogcTileMatrixSetListSchema, ogcTileMatrixSetSchema } from './ogc.tile-matrix-sets.ts';

/**
 * The API definition of the `oas30` conformance class, one set of paths per collection, generated
 * like `/api/openapi.json`: parameters from the zod schemas the routes parse requests with
 * (ogc.schema.ts), responses from the zod schemas the service's return types come from
 * (@bandoso/contracts' ogc-features.contract.ts). Nothing here restates a shape.
 */

const errors = {
  '400': { description: 'Invalid parameters', content: { [JSON_TYPE]: { schema: { $ref: '#/components/schemas/Error' } } } },
  '404': { description: 'Not found', content: { [JSON_TYPE]: { schema: { $ref: '#/components/schemas/Error' } } } },
  '500': { description: 'Server error', content: { [JSON_TYPE]: { schema: { $ref: '#/components/schemas/Error' } } } },
};

const ok = (description: string, schema: z.ZodType, type = JSON_TYPE) => ({ '200': { description, content: { [type]: { schema: responseSchema(schema) } } } });

const metadataParameters = () => queryParameters(metadataQuerySchema);

function get(summary: string, operationId: string, parameters: ParameterObject[], responses: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { get: { ...extra, summary, operationId, ...(parameters.length > 0 ? { parameters } : {}), responses } };
}

function collectionPaths(layer: LayerDefinition): Record<string, unknown> {
  const id = layer.id;
  const tags = { tags: [id] };
  const tile = tileAddressSchema.shape;
  return {
    [`/collections/${id}`]: get(`${layer.title}: metadata`, `describe-${id}`, metadataParameters(), { ...ok('Collection', ogcCollectionSchema), ...errors }, tags),
    [`/collections/${id}/items`]: get(`${layer.title}: features`, `get-${id}-features`, queryParameters(itemsQuerySchema(layer)), { ...ok('Features', ogcFeatureCollectionSchema, GEOJSON), ...errors }, { ...tags, description: layer.description }),
    [`/collections/${id}/items/{featureId}`]: get(
      `${layer.title}: one feature`,
      `get-${id}-feature`,
      [pathParameter('featureId', featureIdSchemaFor(layer), layer.idType === 'bigint' ? 'Feature id (a positive integer)' : 'Feature id (UUID)'), ...queryParameters(itemQuerySchema(layer))],
      { ...ok('Feature', ogcFeatureWithLinksSchema, GEOJSON), ...errors },
      tags,
    ),
    [`/collections/${id}/tiles`]: get(`${layer.title}: vector tilesets`, `get-${id}-tilesets`, metadataParameters(), { ...ok('Tilesets', ogcTilesetListSchema), ...errors }, tags),
    [`/collections/${id}/tiles/WebMercatorQuad`]: get(`${layer.title}: tileset metadata`, `get-${id}-tileset`, metadataParameters(), { ...ok('Tileset', ogcTilesetSchema), ...errors }, tags),
    [`/collections/${id}/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}`]: get(
      `${layer.title}: one vector tile`,
      `get-${id}-tile`,
      [pathParameter('tileMatrix', tile.z, 'Zoom level'), pathParameter('tileRow', tile.y, 'Row (y)'), pathParameter('tileCol', tile.x, 'Column (x)'), ...queryParameters(ogcTileQuerySchema(layer))],
      {
        '200': { description: 'Mapbox vector tile', content: { 'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } } } },
        '204': { description: 'No feature in this tile' },
        '304': { description: 'Not modified (If-None-Match)' },
        ...errors,
      },
      tags,
    ),
  };
}

interface DocumentWithoutServers {
  openapi: string;
  info: OgcApiDefinition['info'];
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, unknown>;
}

/** The paths and components do not depend on the request: made once per layer list. */
const made = new WeakMap<readonly LayerDefinition[], DocumentWithoutServers>();

function documentWithoutServers(layers: readonly LayerDefinition[]): DocumentWithoutServers {
  let document = made.get(layers);
  if (document) return document;
  const paths: Record<string, Record<string, unknown>> = {
    '/': get('Landing page', 'getLandingPage', metadataParameters(), { ...ok('Links to the API', ogcLandingPageSchema), ...errors }),
    '/conformance': get('Conformance classes', 'getConformance', metadataParameters(), { ...ok('Conformance classes', ogcConformanceSchema), ...errors }),
    '/api': get('This document', 'getApi', metadataParameters(), { ...ok('OpenAPI 3.0', ogcApiDefinitionSchema, OPENAPI_TYPE), ...errors }),
    '/collections': get('Collections', 'getCollections', metadataParameters(), { ...ok('The collections', ogcCollectionsSchema), ...errors }),
    '/tileMatrixSets': get('Tile matrix sets', 'getTileMatrixSetsList', metadataParameters(), { ...ok('The tile matrix sets the tiles use', ogcTileMatrixSetListSchema), ...errors }),
    '/tileMatrixSets/WebMercatorQuad': get('WebMercatorQuad', 'getTileMatrixSet-WebMercatorQuad', metadataParameters(), { ...ok('The tile matrix set (OGC 2D Tile Matrix Set 2.0, JSON)', ogcTileMatrixSetSchema), ...errors }),
  };
  for (const layer of layers) Object.assign(paths, collectionPaths(layer));
  document = {
    openapi: '3.0.3',
    info: {
      title: 'Bản đồ số Điện Biên — OGC API Features and Tiles',
      version: '1.0.0',
      description: 'Public map layers of Điện Biên province. Conforms to OGC API – Features – Part 1: Core (core, GeoJSON, OpenAPI 3.0) and OGC API – Tiles – Part 1 (core, tileset, tilesets list, geodata tilesets, Mapbox Vector Tiles, OpenAPI 3.0) in WebMercatorQuad.',
      license: { name: 'Apache-2.0' },
    },
    paths,
    components: { schemas: { Error: responseSchema(errorBodySchema) } },
  };
  made.set(layers, document);
  return document;
}

/** The API definition, served at /ogc/api with this server's address. */
export function buildOgcApiDefinition(base: string, layers: readonly LayerDefinition[]): OgcApiDefinition {
  const { openapi, info, paths, components } = documentWithoutServers(layers);
  return { openapi, info, servers: [{ url: `${base}/ogc` }], paths, components };
}
