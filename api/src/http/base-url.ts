import type { Request } from 'express';

/**
 * The absolute origin links in documents start with (TileJSON, OGC API, Open311 media URLs…).
 * PUBLIC_BASE_URL when the deployment sets it (behind a proxy that does not pass the public host);
 * otherwise the request's own scheme and host (X-Forwarded-Proto/Host from a proxy on loopback are
 * honoured: `trust proxy`).
 */
export function baseUrlOf(request: Request): string {
  const configured = (request.app.locals as { publicBaseUrl?: string }).publicBaseUrl;
  if (configured) return configured;
  return `${request.protocol}://${request.host ?? 'localhost'}`;
}
