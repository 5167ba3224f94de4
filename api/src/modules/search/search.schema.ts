import { z } from 'zod';
import { coordinate } from '../boundaries/boundaries.schema.ts';

export const MAX_SEARCH_LIMIT = 50;
export const DEFAULT_SEARCH_LIMIT = 10;
/** Longer than any place name; a longer query is a mistake (or an attack), not a search. */
export const MAX_QUERY_LENGTH = 200;

const limitMessage = `limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}`;

export const searchQuerySchema = z
  .object({
    q: z
      .string({ error: 'q is required: the text to search for (a commune, street, place, heritage site…)' })
      .trim()
      .min(1, 'q must not be empty or only spaces')
      .max(MAX_QUERY_LENGTH, `q must be at most ${MAX_QUERY_LENGTH} characters`)
      .describe('What to search for; accents and case do not matter ("bao tang" finds "Bảo tàng"), small typos are forgiven'),
    lon: coordinate('lon', 180).optional().describe('With lat: nearer results first among equally good matches'),
    lat: coordinate('lat', 90).optional().describe('With lon: nearer results first among equally good matches'),
    limit: z
      .string()
      .trim()
      .regex(/^\d{1,3}$/, limitMessage)
      .transform(Number)
      .refine((value) => value >= 1 && value <= MAX_SEARCH_LIMIT, { message: limitMessage })
      .default(DEFAULT_SEARCH_LIMIT)
      .describe(`At most this many results (default ${DEFAULT_SEARCH_LIMIT}, at most ${MAX_SEARCH_LIMIT})`),
  })
  .refine((query) => (query.lon === undefined) === (query.lat === undefined), {
    message: 'lon and lat go together: give both, or neither',
    path: ['lon'],
  });

export type SearchQuery = z.infer<typeof searchQuerySchema>;
