import { errorBodySchema } from '@bandoso/contracts';
import { operations, type DocumentedResponse, type Operation } from './openapi.operations.ts';
import { queryParameters, requestSchema, responseSchema } from './openapi-schemas.ts';

/**
 * A success response: its content types, each JSON one with the body's schema (from the zod schema
 * the service's return type comes from), and for an event stream the schema of each event's data.
 */
function successResponse(status: string, response: DocumentedResponse, produces: string) {
  if (Number(status) === 204) return { description: response.description };
  const types = produces.split(',').map((type) => type.trim());
  return {
    description: response.description,
    content: Object.fromEntries(types.map((type) => [type, response.schema && /json/.test(type) ? { schema: responseSchema(response.schema) } : {}])),
    ...(response.events ? { 'x-events': Object.fromEntries(Object.entries(response.events).map(([event, schema]) => [event, responseSchema(schema)])) } : {}),
  };
}

function operationObject(operation: Operation) {
  const parameters = [
    ...Object.entries(operation.params ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: requestSchema(schema) })),
    ...(operation.query ? queryParameters(operation.query) : []),
    ...Object.entries(operation.headers ?? {}).map(([name, header]) => ({ name, in: 'header', required: header.required ?? false, description: header.description, schema: requestSchema(header.schema) })),
  ];
  const body = operation.body
    ? {
        required: true,
        content: {
          'application/json': { schema: requestSchema(operation.body.schema) },
          ...(operation.body.multipart
            ? {
                'multipart/form-data': {
                  schema: {
                    type: 'object',
                    required: [operation.body.multipart.jsonPart],
                    properties: {
                      [operation.body.multipart.jsonPart]: { type: 'string', description: 'The same JSON document as application/json' },
                      ...(operation.body.multipart.files ? { [operation.body.multipart.files]: { type: 'array', maxItems: 5, items: { type: 'string', format: 'binary' } } } : {}),
                    },
                  },
                },
              }
            : {}),
        },
      }
    : undefined;
  const produces = operation.produces ?? 'application/json';
  return {
    tags: [operation.tag],
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    ...(operation.roles ? { security: [{ session: [] }, { bearer: [] }], 'x-roles': operation.roles } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: Object.fromEntries([
      ...Object.entries(operation.responses).map(([status, described]) => {
        const response = typeof described === 'string' ? { description: described } : described;
        if (Number(status) >= 400) return [status, { description: response.description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }];
        return [status, successResponse(status, response, produces)];
      }),
      // Anything that reads the database may find it unavailable for a moment.
      ...(operation.responses[503] === undefined && !WITHOUT_DATABASE.has(operation.path) ? [['503', { $ref: '#/components/responses/DatabaseUnavailable' }]] : []),
    ]),
  };
}

/** Operations answered without the database (no 503 DATABASE_UNAVAILABLE). */
const WITHOUT_DATABASE = new Set(['/api/client-config', '/tiles', '/styles/default.json']);

let cached: Record<string, unknown> | undefined;

export function buildOpenApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = operationObject(operation);
  }
  cached = {
    openapi: '3.0.3',
    info: {
      title: 'Bản đồ số — Điện Biên',
      version: '0.1.0',
      description:
        'The platform’s JSON API. Vector tiles are at /tiles (TileJSON per layer), OGC API Features and Tiles at /ogc (own OpenAPI document at /ogc/api), Open311 GeoReport v2 at /open311/v2. Errors: { "error": { "code", "message", "messageVi", "details"?, "requestId" } }.',
      license: { name: 'Apache-2.0' },
    },
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'bandoso_session', description: 'From POST /api/auth/login; unsafe requests also send X-CSRF-Token.' },
        bearer: { type: 'http', scheme: 'bearer', description: 'From POST /api/auth/tokens.' },
      },
      responses: {
        DatabaseUnavailable: {
          description: 'DATABASE_UNAVAILABLE: the database cannot be reached for a moment (restarting, stopped, overloaded). Try again after Retry-After seconds.',
          headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } },
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
      schemas: {
        Error: responseSchema(errorBodySchema),
      },
    },
  };
  return cached;
}
