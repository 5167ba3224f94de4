import { Router } from 'express';
import type { DatabaseHandle } from '../../db/database.ts';
import { checkHealth } from './health.service.ts';

export function createHealthRouter(handle: DatabaseHandle): Router {
  const router = Router();
  router.get('/api/health', async (_request, response) => {
    const report = await checkHealth(handle);
    response.status(report.status === 'ok' ? 200 : 503).set('Cache-Control', 'no-store').json(report);
  });
  return router;
}
