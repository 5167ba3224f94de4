import { z } from 'zod';

/**
 * zod → OpenAPI 3.0 Schema Objects, for both published documents (`/api/openapi.json` and the OGC
 * API's `/ogc/api`): requests as the schema accepts them (`io: 'input'`), responses as the server
 * writes them (`io: 'output'`).
 */
type JsonSchema = Record<string, unknown>;

export function requestSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', target: 'openapi-3.0', unrepresentable: 'any' }) as JsonSchema;
}

export function responseSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'output', target: 'openapi-3.0', unrepresentable: 'any', override: formatWithoutPattern }) as JsonSchema;
}

/** `format: date-time` (or `date`) says it; zod's long pattern for the same thing only adds noise. */
function formatWithoutPattern({ jsonSchema }: { jsonSchema: { format?: string; pattern?: string } }): void {
  if (jsonSchema.format === 'date-time' || jsonSchema.format === 'date') delete jsonSchema.pattern;
}

export interface ParameterObject {
  name: string;
  in: 'query' | 'path' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

/** One parameter per property of a query schema; a property's description becomes the parameter's. */
export function queryParameters(schema: z.ZodType): ParameterObject[] {
  const json = requestSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'query' as const,
      required: json.required?.includes(name) ?? false,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

/** A path parameter (always required). */
export function pathParameter(name: string, schema: z.ZodType, description?: string): ParameterObject {
  return { name, in: 'path', required: true, ...(description ? { description } : {}), schema: requestSchema(schema) };
}
