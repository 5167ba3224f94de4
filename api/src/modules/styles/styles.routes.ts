import { Router } from 'express';
import type { AppConfig } from '../../config/config.ts';
import { baseUrlOf } from '../../http/base-url.ts';
import { StylesService } from './styles.service.ts';

/**
 * `GET /styles/default.json`: the composed MapLibre style (base map and platform layers, absolute
 * URLs on the origin asked), public and cross-origin like the tiles, revalidated by ETag.
 */
export function createStylesRouter(config: Pick<AppConfig, 'basemapStyleUrl'>, tileLayers: () => readonly string[]): Router {
  const styles = new StylesService(config, tileLayers);
  const router = Router();
  router.get('/styles/default.json', (request, response) => {
    const { body, etag } = styles.defaultStyle(baseUrlOf(request));
    response.set({ 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, no-cache', ETag: etag });
    const held = request.get('If-None-Match')?.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    if (held?.includes(etag) || held?.includes('*')) {
      response.status(304).end();
      return;
    }
    response.type('application/json').send(body);
  });
  return router;
}
