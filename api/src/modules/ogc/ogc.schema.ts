import { z } from 'zod';
import { isRealDate, isRealDateOrDateTime } from '../../http/validate-input.ts';
import { positionTypes, type LayerDefinition, type OrderKey, type PagePosition } from '@bandoso/tiles';
import { layerQuerySchema, perLayer } from '../tiles/tiles.schema.ts';

/** OGC API – Features: `limit` default and maximum (larger values are capped, as the standard asks). */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

const number = z
  .string()
  .trim()
  .regex(/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/, 'must be a decimal number')
  .transform(Number)
  .refine(Number.isFinite, 'must be finite');

/** `bbox=minLon,minLat,maxLon,maxLat` in WGS84 (CRS84). */
const bbox = z
  .string()
  .transform((value, context) => {
    const parts = value.split(',');
    if (parts.length !== 4) {
      context.addIssue({ code: 'custom', message: 'bbox is four numbers: minLon,minLat,maxLon,maxLat (WGS84); 3D boxes are not supported' });
      return z.NEVER;
    }
    const numbers: number[] = [];
    for (const part of parts) {
      const parsed = number.safeParse(part);
      if (!parsed.success) {
        context.addIssue({ code: 'custom', message: `bbox: ${JSON.stringify(part.slice(0, 30))} is not a number` });
        return z.NEVER;
      }
      numbers.push(parsed.data);
    }
    const [west, south, east, north] = numbers as [number, number, number, number];
    if (Math.abs(west) > 180 || Math.abs(east) > 180 || Math.abs(south) > 90 || Math.abs(north) > 90) {
      context.addIssue({ code: 'custom', message: 'bbox: longitudes must be within ±180 and latitudes within ±90 (lon,lat order)' });
      return z.NEVER;
    }
    if (south > north || west > east) {
      context.addIssue({ code: 'custom', message: 'bbox: the minimum must come before the maximum (boxes across the antimeridian are not supported)' });
      return z.NEVER;
    }
    return [west, south, east, north] as [number, number, number, number];
  })
  .describe('minLon,minLat,maxLon,maxLat (WGS84)');

const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const date = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `datetime`: an instant or an interval `start/end` (RFC 3339 date-times; `..` or nothing for an open
 * end). A bare date means the whole day in Vietnam.
 */
const datetime = z.string().transform((value, context) => {
  const bound = (text: string, side: 'start' | 'end'): string | undefined | null => {
    if (text === '..' || text === '') return undefined;
    if (dateTime.test(text) && isRealDateOrDateTime(text)) return new Date(text).toISOString();
    if (date.test(text) && isRealDate(text)) return side === 'start' ? `${text}T00:00:00+07:00` : `${text}T23:59:59.999+07:00`;
    return null;
  };
  const parts = value.split('/');
  const invalid = () => {
    context.addIssue({ code: 'custom', message: 'datetime is an RFC 3339 date-time (2025-07-01T08:00:00+07:00), a date, or an interval start/end with .. for an open end' });
    return z.NEVER;
  };
  if (parts.length === 1) {
    if (value === '..' || value === '') return invalid();
    const start = bound(value, 'start');
    const end = bound(value, 'end');
    if (start === null || end === null) return invalid();
    return { start, end };
  }
  if (parts.length !== 2) return invalid();
  const start = bound(parts[0]!, 'start');
  const end = bound(parts[1]!, 'end');
  if (start === null || end === null || (start === undefined && end === undefined)) return invalid();
  if (start && end && Date.parse(start) > Date.parse(end)) {
    context.addIssue({ code: 'custom', message: 'datetime: the interval starts after it ends' });
    return z.NEVER;
  }
  return { ...(start ? { start } : {}), ...(end ? { end } : {}) };
}).describe("An instant or an interval start/end on the collection's time property (RFC 3339 date-times or dates; .. for an open end); a collection without one selects every feature");

const limit = z
  .string()
  .regex(/^\d{1,9}$/, 'limit must be a positive integer')
  .transform(Number)
  .refine((value) => value >= 1, 'limit must be at least 1')
  .transform((value) => Math.min(value, MAX_LIMIT))
  .describe(`Features per page (default ${DEFAULT_LIMIT}; larger values are capped at ${MAX_LIMIT})`);

const offset = z
  .string()
  .regex(/^\d{1,9}$/, 'offset must be a non-negative integer')
  .transform(Number)
  .describe('Features to skip (older links; the next and prev links carry a cursor instead, which stays fast on deep pages)');

const format = (accepted: readonly [string, ...string[]]) => z.enum(accepted, { error: `f must be ${accepted.join(' or ')}` }).describe('Response format').optional();

/** Metadata resources accept only `f=json`. */
export const metadataQuerySchema = z.strictObject({ f: format(['json']) }, { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown parameter(s) ${issue.keys.join(', ')}` : undefined) });

/**
 * `cursor`: where a page starts, as the `next` and `prev` links give it. Opaque to clients; inside,
 * base64url JSON of the collection and the feature's position (`{ in, after | before: [sort keys…, id] }`).
 */
export function encodeCursor(layer: LayerDefinition, position: PagePosition): string {
  return Buffer.from(JSON.stringify({ in: layer.id, ...position })).toString('base64url');
}

export const featureIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
/** The ids of the base map's tables (bigserial). */
export const bigintFeatureIdSchema = z.string().regex(/^[1-9]\d{0,17}$/);
/** A feature id of this layer: a UUID, or a positive integer for the layers whose table has bigint ids. */
export function featureIdSchemaFor(layer: LayerDefinition): z.ZodType<string> {
  return layer.idType === 'bigint' ? bigintFeatureIdSchema : featureIdSchema;
}

const positionValue: Record<OrderKey['type'] | 'uuid' | 'bigint', z.ZodType<string>> = {
  text: z.string().max(1000).refine((value) => !value.includes('\u0000')),
  timestamptz: z.string().refine((value) => dateTime.test(value) && isRealDateOrDateTime(value)),
  uuid: featureIdSchema,
  bigint: bigintFeatureIdSchema,
};

const cursorFor = (layer: LayerDefinition) => {
  const types = positionTypes(layer);
  const values = z
    .array(z.string())
    .length(types.length)
    .refine((list) => list.every((value, index) => positionValue[types[index]!].safeParse(value).success));
  const collection = z.literal(layer.id);
  const position = z.union([z.strictObject({ in: collection, after: values }), z.strictObject({ in: collection, before: values })]);
  return z.string().transform((value, context): PagePosition => {
    let decoded: unknown;
    try {
      decoded = /^[A-Za-z0-9_-]{1,4000}$/.test(value) ? JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) : undefined;
    } catch {
      decoded = undefined;
    }
    const parsed = position.safeParse(decoded);
    if (parsed.success) return 'after' in parsed.data ? { after: parsed.data.after } : { before: parsed.data.before };
    context.addIssue({ code: 'custom', message: 'cursor is not one this API gave out: follow the next and prev links as they are, or start again without cursor' });
    return z.NEVER;
  }).describe('Where the page starts, as the next and prev links give it (opaque; follow the links)');
};

export const itemsQuerySchema = perLayer((layer) =>
  layerQuerySchema(layer, {
    f: format(['json', 'geojson']),
    limit: limit.optional(),
    cursor: cursorFor(layer).optional(),
    offset: offset.optional(),
    bbox: bbox.optional(),
    datetime: datetime.optional(),
  }).refine((query) => query.cursor === undefined || query.offset === undefined, { message: 'give cursor or offset, not both (the next and prev links carry a cursor)', path: ['offset'] }),
);

export const itemQuerySchema = perLayer((layer) => layerQuerySchema(layer, { f: format(['json', 'geojson']) }));

export const ogcTileQuerySchema = perLayer((layer) => layerQuerySchema(layer, { f: format(['mvt']) }));

/** OGC order: /{tileMatrix}/{tileRow}/{tileCol} = /{z}/{y}/{x}. */
export interface OgcTilePath {
  tileMatrix: string;
  tileRow: string;
  tileCol: string;
}
