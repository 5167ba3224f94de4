import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { listPublicOffices } from './offices.service.ts';

export function createOfficesRouter(db: Kysely<Database>): Router {
  const router = Router();
  router.get('/api/offices', async (_request, response) => {
    response.set('Cache-Control', 'public, max-age=60').json({ offices: await listPublicOffices(db) });
  });
  return router;
}
