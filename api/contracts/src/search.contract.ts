import { z } from 'zod';
import { boundingBoxSchema, codeAndNameSchema, lonLatSchema } from './common.contract.ts';

/** What `GET /api/search` finds (issue 16): the kinds of place, in the order a tie is broken by. */
export const searchResultKinds = ['commune', 'heritage', 'facility', 'planning_zone', 'street', 'place', 'poi'] as const;
export const searchResultKindSchema = z.enum(searchResultKinds);
export type SearchResultKind = z.infer<typeof searchResultKindSchema>;

export const searchResultSchema = z.strictObject({
  kind: searchResultKindSchema,
  id: z.string().describe('The id of the row in its source (a street merged from several lines: the smallest)'),
  name: z.string(),
  commune: codeAndNameSchema.nullable().describe('The commune-level unit (of the boundary set in force) the point lies in; null outside the province'),
  point: lonLatSchema.describe('A point on the place (ST_PointOnSurface of an area, a point on a street)'),
  bbox: boundingBoxSchema.nullable().describe('The extent of an area or street; null for a point'),
  distanceM: z.number().min(0).nullable().describe('Metres from lon/lat, when they were given'),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

export const searchResponseSchema = z.strictObject({ results: z.array(searchResultSchema) });
export type SearchResponse = z.infer<typeof searchResponseSchema>;
