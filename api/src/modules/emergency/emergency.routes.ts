import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { parseInput } from '../../http/validate-input.ts';
import { nearestFacilitiesQuerySchema } from './emergency.schema.ts';
import { listNearestFacilities } from './emergency.service.ts';

export function createEmergencyRouter(db: Kysely<Database>): Router {
  const router = Router();
  router.get('/api/facilities/nearest', async (request, response) => {
    const query = parseInput(nearestFacilitiesQuerySchema, request.query, 'query');
    // Facilities move rarely; a person in an emergency may reload often.
    response.setHeader('Cache-Control', 'public, max-age=60');
    response.json(await listNearestFacilities(db, query.kind, query.lon, query.lat, query.limit));
  });
  return router;
}
