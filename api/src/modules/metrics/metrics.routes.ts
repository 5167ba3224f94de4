import { Router } from 'express';
import { AppError } from '../../errors/app-error.ts';
import type { MetricsAccess } from './metrics-access.ts';
import type { PlatformMetrics } from './metrics.service.ts';

/**
 * GET /metrics: Prometheus' text format, for operators' scrapers only (see `MetricsAccess`). Mounted
 * ahead of authentication: its bearer token is METRICS_TOKEN, not a user's.
 */
export function createMetricsRouter(metrics: PlatformMetrics, access: MetricsAccess): Router {
  const router = Router();
  router.get('/metrics', async (request, response) => {
    const refusal = access.refusal(request.ip, request.get('authorization'));
    if (refusal) throw new AppError('FORBIDDEN', refusal, { vi: 'Chỉ máy chủ giám sát được phép đọc số liệu vận hành (/metrics).' });
    const text = await metrics.scrape();
    response.set({ 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' }).send(text);
  });
  return router;
}
