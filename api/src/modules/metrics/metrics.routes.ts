import { Router } from 'express';
import { AppError } from '../../errors/app-error.ts';
import type { MetricsAccess } from './metrics-access.ts';
import type { PlatformMetrics } from './metrics.service.ts';
import { scrapeCluster } from '../../cluster/cluster-worker.ts';

/**
 * GET /metrics: Prometheus' text format, for operators' scrapers only (see `MetricsAccess`). Mounted
 * ahead of authentication: its bearer token is METRICS_TOKEN, not a user's.
 */
export function createMetricsRouter(metrics: PlatformMetrics, access: MetricsAccess): Router {
  const router = Router();
  router.get('/metrics', async (request, response) => {
    const refusal = access.refusal(request.ip, request.get('authorization'));
    if (refusal) throw new AppError('FORBIDDEN', refusal, { vi: 'Chỉ máy chủ giám sát được phép đọc số liệu vận hành (/metrics).' });
    // Several API processes (WEB_CONCURRENCY): the primary gathers every process's metrics.
    const cluster = scrapeCluster();
    const { text, contentType } = cluster ? await cluster : { text: await metrics.scrape(), contentType: metrics.contentType };
    response.set({ 'Content-Type': contentType, 'Cache-Control': 'no-store' }).send(text);
  });
  return router;
}
