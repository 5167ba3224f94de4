import querystring from 'node:querystring';
import { Router } from 'express';
import { parseInput } from '../../http/validate-input.ts';
import { baseUrlOf } from '../../http/base-url.ts';
import { sendTile } from './tile-response.ts';
import { tileAddressSchema, tileQuerySchema, toLayerQuery } from './tiles.schema.ts';
import type { TilesService } from './tiles.service.ts';

/** GET /tiles (catalog) and /tiles/{layer}.json (TileJSON 3.0.0). Tiles themselves: `serveTiles`. */
export function createTilesRouter(tiles: TilesService): Router {
  const router = Router();
  void tiles.start();

  router.get('/tiles', async (request, response) => {
    response.set({ 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, no-cache' }).json(tiles.catalog(baseUrlOf(request), await tiles.offeredLayers()));
  });

  router.get('/tiles/:layer.json', async (request, response) => {
    const layer = tiles.layer(request.params.layer);
    const query = toLayerQuery(layer, parseInput(tileQuerySchema(layer), request.query, 'query'));
    const document = await tiles.tileJson(layer, query, baseUrlOf(request));
    response.set({ 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, no-cache' }).json(document);
  });

  return router;
}

const TILE_PATH = /^\/tiles\/([^/?]+)\/([^/?]+)\/([^/?]+)\/([^/?]+)\.mvt(?:\?(.*))?$/;

/** A handler on Node's own request and response: Express middleware, and usable without Express. */
export type { NodeHandler } from '../../http/node-handler.ts';
import type { NodeHandler } from '../../http/node-handler.ts';

/**
 * GET /tiles/{layer}/{z}/{x}/{y}.mvt. A map that pans asks for hundreds of tiles a second, most of
 * them cache hits that cost tens of microseconds; the access log, body and cookie parsing,
 * authentication and Express's router cost several times that, so tiles are matched by one regular
 * expression and answered on Node's response. The application runs it ahead of Express (see
 * `createApp`) and as Express's first middleware; same validation as every route (zod schemas, 400
 * with the problems), errors go to `next` and so to the one error handler. Tiles are public: there
 * is no caller to authenticate.
 */
export function serveTiles(tiles: TilesService): NodeHandler {
  void tiles.start();
  return (request, response, next) => {
    const match = request.method === 'GET' || request.method === 'HEAD' ? TILE_PATH.exec(request.url ?? '') : null;
    if (!match) {
      next();
      return;
    }
    let segments: string[];
    try {
      segments = match.slice(1, 5).map((segment) => decodeURIComponent(segment!));
    } catch {
      next(); // not a tile address (a malformed escape): whatever else answers it
      return;
    }
    const [layerId, z, x, y] = segments as [string, string, string, string];
    try {
      const layer = tiles.layer(layerId);
      const tile = parseInput(tileAddressSchema, { z, x, y }, 'path');
      // Parsed as Express's default ("simple") query parser does: repeated names become arrays.
      const query = toLayerQuery(layer, parseInput(tileQuerySchema(layer), match[5] ? { ...querystring.parse(match[5]) } : {}, 'query'));
      tiles.tile(layer, tile, query).then((answer) => sendTile(request, response, answer)).catch(next);
    } catch (error) {
      next(error);
    }
  };
}
