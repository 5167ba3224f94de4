import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { parseInput } from '../../http/validate-input.ts';
import { searchQuerySchema } from './search.schema.ts';
import { searchByName } from './search.service.ts';

export function createSearchRouter(db: Kysely<Database>): Router {
  const router = Router();
  // Public, like /api/locate: read-only and cheap (indexed), so not rate-limited per client (a
  // database-backed limiter would cost a write per keystroke of the search box).
  router.get('/api/search', async (request, response) => {
    const query = parseInput(searchQuerySchema, request.query, 'query');
    response.set('Cache-Control', 'no-store').json(await searchByName(db, query));
  });
  return router;
}
