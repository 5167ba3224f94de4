import { Router, type Request } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors/app-error.ts';
import { baseUrlOf } from '../../http/base-url.ts';
import { parseInput } from '../../http/validate-input.ts';
import { requireRole } from '../auth/auth.middleware.ts';
import { matchesIfNoneMatch } from '../tiles/tile-response.ts';
import { siteCodeSchema, stopsBodySchema, tilesetVersionSchema } from './heritage.schema.ts';
import type { HeritageService } from './heritage.service.ts';

/** A tileset's files never change under their address (the version is a hash of the content). */
export const TILESET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const sitePathSchema = z.object({ code: siteCodeSchema });
const tilesetPathSchema = z.object({ code: siteCodeSchema, version: tilesetVersionSchema });

/**
 * Heritage sites and their tours (`/api/heritage`, an admin's `/api/admin/heritage/{code}/stops`),
 * and the sites' 3D Tiles (`/heritage/tilesets/{code}/{version}/…`): public, cacheable for a year,
 * gzip for JSON, readable by any viewer on any origin (CORS).
 */
export function createHeritageRouter(heritage: HeritageService): Router {
  const router = Router();

  router.get('/api/heritage', async (request, response) => {
    response.json(await heritage.list(baseUrlOf(request)));
  });

  router.get('/api/heritage/:code', async (request, response) => {
    const { code } = parseInput(sitePathSchema, request.params, 'path');
    response.json(await heritage.site(baseUrlOf(request), code));
  });

  router.put('/api/admin/heritage/:code/stops', requireRole('admin'), async (request, response) => {
    const { code } = parseInput(sitePathSchema, request.params, 'path');
    const { stops } = parseInput(stopsBodySchema, request.body, 'body');
    response.json(await heritage.replaceTour(baseUrlOf(request), code, stops));
  });

  router.use('/heritage/tilesets', (request, response, next) => {
    response.set({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'ETag, Content-Length, Content-Encoding' });
    if (request.method !== 'OPTIONS') return next();
    // A viewer on another origin that sends If-None-Match itself asks first.
    response.set({ 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS', 'Access-Control-Allow-Headers': 'If-None-Match, Accept-Encoding', 'Access-Control-Max-Age': '86400', Allow: 'GET, HEAD, OPTIONS' });
    response.status(204).end();
  });

  router.get('/heritage/tilesets/:code/:version/*path', async (request, response) => {
    const { code, version } = parseInput(tilesetPathSchema, request.params, 'path');
    const file = await heritage.tilesetFile(code, version, (request.params as { path: string[] }).path);
    const gzip = file.gzipEtag !== undefined && acceptsGzip(request);
    response.set({
      'Cache-Control': TILESET_CACHE_CONTROL,
      'Content-Type': file.contentType,
      'X-Content-Type-Options': 'nosniff',
      ETag: gzip ? file.gzipEtag! : file.etag,
    });
    if (file.gzipEtag) response.set('Vary', 'Accept-Encoding');
    // A client holding either representation is current.
    if (matchesIfNoneMatch(request.headers['if-none-match'], file.gzipEtag ? [file.etag, file.gzipEtag] : [file.etag])) {
      response.status(304).end();
      return;
    }
    const body = gzip ? await file.gzipped() : await file.read();
    if (gzip) response.set('Content-Encoding', 'gzip');
    response.set('Content-Length', String(body.byteLength));
    response.status(200).end(body);
  });

  router.use('/heritage/tilesets', (request, _response, next) => {
    next(
      new AppError('NOT_FOUND', `No such tileset resource: ${request.method} ${request.originalUrl.split('?')[0]!.slice(0, 200)}. Files are at /heritage/tilesets/{code}/{version}/{path}; GET /api/heritage gives each site's tileset URL.`, {
        vi: `Không có tài nguyên mô hình 3D này. Địa chỉ mô hình của từng di tích có trong GET /api/heritage.`,
      }),
    );
  });

  return router;
}

function acceptsGzip(request: Request): boolean {
  return request.acceptsEncodings('gzip', 'identity') === 'gzip';
}
