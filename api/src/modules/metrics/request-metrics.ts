import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { PlatformMetrics } from './metrics.service.ts';

/** The `route` label of requests that no route answered (404s, static files): one label, never the raw path. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * Handlers that answer ahead of Express (see `createApp`), by the template Express would have named:
 * their requests never carry `req.route`.
 */
const FAST_PATHS: ReadonlyArray<{ pattern: RegExp; template: string }> = [
  { pattern: /^\/tiles\/[^/?]+\/[^/?]+\/[^/?]+\/[^/?]+\.mvt(?:\?|$)/, template: '/tiles/:layer/:z/:x/:y.mvt' },
  { pattern: /^\/api\/cameras\/[^/?]+\/segments\/[^/?]+(?:\?|$)/, template: '/api/cameras/:id/segments/:name' },
];

/**
 * Times every request from the moment the server hands it over to its last byte, and labels it when
 * it has finished (by then Express has matched its route). The app runs it first, ahead of the tile
 * fast path, so tiles are timed too.
 */
export function timeRequests(metrics: PlatformMetrics): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const started = performance.now();
    response.once('finish', () => {
      // A live-feed stream lasts minutes to hours: in a latency histogram it would only skew the tail.
      if (String(response.getHeader('content-type') ?? '').startsWith('text/event-stream')) return;
      metrics.observeRequest({ method: request.method ?? 'GET', route: routeTemplateOf(request), status: String(response.statusCode) }, (performance.now() - started) / 1000);
    });
  };
}

/**
 * The route a request was answered by, as a template (`/api/reports/:trackingCode`): Express's
 * matched route (prefixed by the path its router is mounted at), a fast path's template, or one
 * label for everything else. Never the raw path: ids and tile coordinates would make a series per
 * request.
 */
export function routeTemplateOf(request: IncomingMessage): string {
  const { route, baseUrl } = request as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
  if (route && route.path !== undefined) return `${baseUrl ?? ''}${String(route.path)}`;
  const url = request.url ?? '';
  for (const { pattern, template } of FAST_PATHS) if (pattern.test(url)) return template;
  return UNMATCHED_ROUTE;
}
