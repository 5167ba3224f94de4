import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { parseInput } from '../../http/validate-input.ts';
import { planningAtQuerySchema, planningChangesQuerySchema } from './planning.schema.ts';
import { comparePlanVersions, findWhatAppliesAt, listPlans } from './planning.service.ts';

export function createPlanningRouter(db: Kysely<Database>): Router {
  const router = Router();
  router.get('/api/planning/plans', async (_request, response) => {
    response.json(await listPlans(db));
  });
  router.get('/api/planning/at', async (request, response) => {
    const query = parseInput(planningAtQuerySchema, request.query, 'query');
    response.json(await findWhatAppliesAt(db, query.lon, query.lat, { planCode: query.plan, version: query.version }));
  });
  router.get('/api/planning/changes', async (request, response) => {
    const query = parseInput(planningChangesQuerySchema, request.query, 'query');
    response.json(await comparePlanVersions(db, query.plan, query.from, query.to));
  });
  return router;
}
