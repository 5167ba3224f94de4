import { z } from 'zod';
import { isRealDate } from '../../http/validate-input.ts';
import { reportStatuses, type ReportStatus } from '@bandoso/contracts';
import { MAX_TILE_ZOOM, type LayerDefinition, type LayerFilters } from '@bandoso/tiles';

const integer = (name: string) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `${name} must be a non-negative integer`)
    .transform(Number);

/** z/x/y of a tile: integers, 0 ≤ z ≤ 24, 0 ≤ x, y < 2^z. */
export const tileAddressSchema = z
  .object({ z: integer('z'), x: integer('x'), y: integer('y') })
  .refine((tile) => tile.z <= MAX_TILE_ZOOM, { message: `z must be between 0 and ${MAX_TILE_ZOOM}`, path: ['z'] })
  .refine((tile) => tile.x < 2 ** tile.z, { message: 'x must be below 2^z', path: ['x'] })
  .refine((tile) => tile.y < 2 ** tile.z, { message: 'y must be below 2^z', path: ['y'] });

/** Query values may repeat (`?status=a&status=b`): read them as one comma list. */
const listText = z.union([z.string(), z.array(z.string())]).transform((value) => (Array.isArray(value) ? value.join(',') : value));

const commaList = <T extends string>(name: string, item: z.ZodType<T>) =>
  listText.transform((value, context): T[] => {
    const items = [...new Set(value.split(',').map((part) => part.trim()).filter((part) => part.length > 0))].sort();
    if (items.length === 0) {
      context.addIssue({ code: 'custom', message: `${name} must list at least one value` });
      return z.NEVER;
    }
    const parsed: T[] = [];
    for (const entry of items) {
      const result = item.safeParse(entry);
      if (!result.success) {
        context.addIssue({ code: 'custom', message: `${name}: ${result.error.issues[0]?.message ?? 'invalid value'} (${JSON.stringify(entry.slice(0, 40))})` });
        return z.NEVER;
      }
      parsed.push(result.data);
    }
    return parsed;
  });

const categoryCode = z.string().regex(/^[a-z][a-z0-9_]{1,40}$/, 'a category code is lowercase letters, digits and _');
const statusCode = z.enum(reportStatuses, { error: `a status is one of ${reportStatuses.join(', ')}` }) as z.ZodType<ReportStatus>;

/** A calendar day, YYYY-MM-DD, that exists. */
export const calendarDay = (name: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${name} must be a date, YYYY-MM-DD`)
    .refine(isRealDate, { message: `${name} is not a real date` });

const filterSchemas = {
  category: commaList('category', categoryCode).describe('Category codes, comma-separated'),
  status: commaList('status', statusCode).describe(`Statuses, comma-separated (${reportStatuses.join(', ')})`),
  from: calendarDay('from').describe('Created on or after this day (Vietnam time)'),
  to: calendarDay('to').describe('Created on or before this day (Vietnam time)'),
  version: z.string().regex(/^[\w.-]{1,40}$/, 'version is a plan version, e.g. 2023').describe('A plan version instead of the latest version of each plan'),
} satisfies Record<keyof LayerFilters, z.ZodType>;

const boundarySetName = z
  .string()
  .regex(/^[\w.-]{1,100}$/, 'set is the name of a boundary set, e.g. dienbien-2025')
  .describe('A boundary set by name (default: the set in force today)');

/** Every tile filter and `set`, for the API document: each layer accepts only those it declares (others: 400). */
export const anyLayerQuerySchema = z.object({
  category: filterSchemas.category.optional(),
  status: filterSchemas.status.optional(),
  from: filterSchemas.from.optional(),
  to: filterSchemas.to.optional(),
  version: filterSchemas.version.optional(),
  set: boundarySetName.optional(),
});

export interface LayerQuery {
  filters: LayerFilters;
  /** `?set=NAME` of layers drawn from a boundary set. */
  set?: string;
}

/**
 * The query parameters a layer accepts: its declared filters, `set` for boundary layers, and
 * whatever `extra` the endpoint adds. Anything else is refused (400), so a typo is never silently
 * ignored.
 */
export function layerQuerySchema<Extra extends z.ZodRawShape>(layer: LayerDefinition, extra: Extra) {
  const shape: Record<string, z.ZodType> = { ...(extra as unknown as Record<string, z.ZodType>) };
  for (const filter of layer.filters) shape[filter.name] = filterSchemas[filter.name].optional();
  if (layer.usesBoundarySet) shape.set = boundarySetName.optional();
  return z
    .strictObject(shape, {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown parameter(s) ${issue.keys.join(', ')}; ${layer.id} accepts ${Object.keys(shape).join(', ') || 'no parameters'}`
          : undefined,
    })
    .refine((query) => !(typeof query.from === 'string' && typeof query.to === 'string' && query.from > query.to), {
      message: 'from must not be after to',
      path: ['from'],
    });
}

/**
 * `build(layer)`, made once per layer: a zod object schema costs far more to construct (and to
 * compile on first use) than to run, and tile requests come by the hundred per second.
 */
export function perLayer<Schema>(build: (layer: LayerDefinition) => Schema): (layer: LayerDefinition) => Schema {
  const made = new WeakMap<LayerDefinition, Schema>();
  return (layer) => {
    let schema = made.get(layer);
    if (schema === undefined) {
      schema = build(layer);
      made.set(layer, schema);
    }
    return schema;
  };
}

/** The query of /tiles/{layer}.json and /tiles/{layer}/{z}/{x}/{y}.mvt. */
export const tileQuerySchema = perLayer((layer) => layerQuerySchema(layer, {}));

/** Splits a parsed layer query into filters and `set`. */
export function toLayerQuery(layer: LayerDefinition, parsed: Record<string, unknown>): LayerQuery {
  const filters: LayerFilters = {};
  for (const filter of layer.filters) {
    const value = parsed[filter.name];
    if (value !== undefined) (filters as Record<string, unknown>)[filter.name] = value;
  }
  return typeof parsed.set === 'string' ? { filters, set: parsed.set } : { filters };
}
