import { reportStatuses, type LayerDefinition, type LayerFilterName } from '@bandoso/tiles';
import { DEFAULT_LIMIT, MAX_LIMIT } from './ogc.schema.ts';
import { GEOJSON, JSON_TYPE, OPENAPI_TYPE } from './ogc.service.ts';

type Parameter = { name: string; in: 'query' | 'path'; required?: boolean; description: string; schema: Record<string, unknown>; style?: string; explode?: boolean };

const filterParameters: Record<LayerFilterName, Omit<Parameter, 'name' | 'in'>> = {
  category: { description: 'Category codes, comma-separated', schema: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,40}(,[a-z][a-z0-9_]{1,40})*$' } },
  status: { description: 'Statuses, comma-separated', schema: { type: 'string', example: reportStatuses.slice(0, 2).join(',') } },
  from: { description: 'Created on or after this day (Vietnam time)', schema: { type: 'string', format: 'date' } },
  to: { description: 'Created on or before this day (Vietnam time)', schema: { type: 'string', format: 'date' } },
  version: { description: 'A plan version instead of the latest version of each plan', schema: { type: 'string' } },
};

function layerParameters(layer: LayerDefinition): Parameter[] {
  return [
    ...layer.filters.map((filter) => ({ name: filter.name, in: 'query' as const, ...filterParameters[filter.name] })),
    ...(layer.usesBoundarySet ? [{ name: 'set', in: 'query' as const, description: 'A boundary set by name (default: the set in force today)', schema: { type: 'string' } }] : []),
  ];
}

const format = (values: string[]): Parameter => ({ name: 'f', in: 'query', description: 'Response format', schema: { type: 'string', enum: values } });

const json = (description: string, schema: Record<string, unknown> = { type: 'object' }, type = JSON_TYPE) => ({ description, content: { [type]: { schema } } });
const errors = {
  '400': json('Invalid parameters', { $ref: '#/components/schemas/Error' }),
  '404': json('Not found', { $ref: '#/components/schemas/Error' }),
  '500': json('Server error', { $ref: '#/components/schemas/Error' }),
};

/** The API definition for the `oas30` conformance class, one set of paths per collection. */
export function buildOpenApiDocument(base: string, layers: readonly LayerDefinition[]) {
  const paths: Record<string, unknown> = {
    '/': { get: { summary: 'Landing page', operationId: 'getLandingPage', parameters: [format(['json'])], responses: { '200': json('Links to the API'), ...errors } } },
    '/conformance': { get: { summary: 'Conformance classes', operationId: 'getConformance', parameters: [format(['json'])], responses: { '200': json('Conformance classes'), ...errors } } },
    '/api': { get: { summary: 'This document', operationId: 'getApi', responses: { '200': json('OpenAPI 3.0', { type: 'object' }, OPENAPI_TYPE) } } },
    '/collections': { get: { summary: 'Collections', operationId: 'getCollections', parameters: [format(['json'])], responses: { '200': json('The collections'), ...errors } } },
  };
  for (const layer of layers) {
    const id = layer.id;
    const tag = [id];
    paths[`/collections/${id}`] = {
      get: { tags: tag, summary: `${layer.title}: metadata`, operationId: `describe-${id}`, parameters: [format(['json'])], responses: { '200': json('Collection'), ...errors } },
    };
    paths[`/collections/${id}/items`] = {
      get: {
        tags: tag,
        summary: `${layer.title}: features`,
        description: layer.description,
        operationId: `get-${id}-features`,
        parameters: [
          { name: 'limit', in: 'query', description: `Features per page (default ${DEFAULT_LIMIT}; larger values are capped at ${MAX_LIMIT})`, schema: { type: 'integer', minimum: 1, default: DEFAULT_LIMIT } },
          { name: 'cursor', in: 'query', description: 'Where the page starts, as the next and prev links give it (opaque; follow the links)', schema: { type: 'string' } },
          { name: 'offset', in: 'query', description: 'Features to skip (older links; the next and prev links carry a cursor instead, which stays fast on deep pages)', schema: { type: 'integer', minimum: 0, default: 0 } },
          { name: 'bbox', in: 'query', description: 'minLon,minLat,maxLon,maxLat (WGS84)', style: 'form', explode: false, schema: { type: 'array', minItems: 4, maxItems: 4, items: { type: 'number' } } },
          {
            name: 'datetime',
            in: 'query',
            description: layer.temporal ? `Instant or interval on ${layer.temporal.property} (RFC 3339; .. for an open end)` : 'Accepted; this collection has no time property, so it selects every feature',
            schema: { type: 'string' },
          },
          ...layerParameters(layer),
          format(['json', 'geojson']),
        ],
        responses: { '200': json('Features', { $ref: '#/components/schemas/FeatureCollection' }, GEOJSON), ...errors },
      },
    };
    paths[`/collections/${id}/items/{featureId}`] = {
      get: {
        tags: tag,
        summary: `${layer.title}: one feature`,
        operationId: `get-${id}-feature`,
        parameters: [{ name: 'featureId', in: 'path', required: true, description: 'Feature id (UUID)', schema: { type: 'string' } }, ...layerParameters(layer), format(['json', 'geojson'])],
        responses: { '200': json('Feature', { $ref: '#/components/schemas/Feature' }, GEOJSON), ...errors },
      },
    };
    paths[`/collections/${id}/tiles`] = {
      get: { tags: tag, summary: `${layer.title}: vector tilesets`, operationId: `get-${id}-tilesets`, parameters: [format(['json'])], responses: { '200': json('Tilesets'), ...errors } },
    };
    paths[`/collections/${id}/tiles/WebMercatorQuad`] = {
      get: { tags: tag, summary: `${layer.title}: tileset metadata`, operationId: `get-${id}-tileset`, parameters: [format(['json'])], responses: { '200': json('Tileset'), ...errors } },
    };
    paths[`/collections/${id}/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}`] = {
      get: {
        tags: tag,
        summary: `${layer.title}: one vector tile`,
        operationId: `get-${id}-tile`,
        parameters: [
          { name: 'tileMatrix', in: 'path', required: true, description: 'Zoom level', schema: { type: 'string' } },
          { name: 'tileRow', in: 'path', required: true, description: 'Row (y)', schema: { type: 'integer', minimum: 0 } },
          { name: 'tileCol', in: 'path', required: true, description: 'Column (x)', schema: { type: 'integer', minimum: 0 } },
          ...layerParameters(layer),
          format(['mvt']),
        ],
        responses: {
          '200': { description: 'Mapbox vector tile', content: { 'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } } } },
          '204': { description: 'No feature in this tile' },
          '304': { description: 'Not modified (If-None-Match)' },
          ...errors,
        },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Bản đồ số Điện Biên — OGC API Features and Tiles',
      version: '1.0.0',
      description: 'Public map layers of Điện Biên province. Conforms to OGC API – Features – Part 1: Core (core, GeoJSON, OpenAPI 3.0).',
      license: { name: 'Apache-2.0' },
    },
    servers: [{ url: `${base}/ogc` }],
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, messageVi: { type: 'string' }, requestId: { type: 'string' } } } },
        },
        Feature: {
          type: 'object',
          required: ['type', 'geometry', 'properties'],
          properties: { type: { type: 'string', enum: ['Feature'] }, id: { type: 'string' }, geometry: { type: 'object', nullable: true }, properties: { type: 'object', nullable: true } },
        },
        FeatureCollection: {
          type: 'object',
          required: ['type', 'features'],
          properties: {
            type: { type: 'string', enum: ['FeatureCollection'] },
            features: { type: 'array', items: { $ref: '#/components/schemas/Feature' } },
            numberMatched: { type: 'integer', minimum: 0 },
            numberReturned: { type: 'integer', minimum: 0 },
            timeStamp: { type: 'string', format: 'date-time' },
            links: { type: 'array', items: { type: 'object' } },
          },
        },
      },
    },
  };
}
