import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { parseInput } from '../../http/validate-input.ts';
import { locateQuerySchema } from './boundaries.schema.ts';
import { locatePoint } from './boundaries.service.ts';

export function createBoundariesRouter(db: Kysely<Database>): Router {
  const router = Router();
  router.get('/api/locate', async (request, response) => {
    const query = parseInput(locateQuerySchema, request.query, 'query');
    response.json(await locatePoint(db, query.lon, query.lat, query.at));
  });
  return router;
}
