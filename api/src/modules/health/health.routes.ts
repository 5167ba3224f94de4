import { Router } from 'express';
import type { DatabaseHandle } from '../../db/database.ts';
import { DATABASE_RETRY_AFTER_S } from '../../errors/app-error.ts';
import { checkHealth } from './health.service.ts';

export function createHealthRouter(handle: DatabaseHandle, options: { timeoutMs: number }): Router {
  const router = Router();
  router.get('/api/health', async (_request, response) => {
    const report = await checkHealth(handle, options.timeoutMs);
    if (report.status !== 'ok') response.set('Retry-After', String(DATABASE_RETRY_AFTER_S));
    response.status(report.status === 'ok' ? 200 : 503).set('Cache-Control', 'no-store').json(report);
  });
  return router;
}
