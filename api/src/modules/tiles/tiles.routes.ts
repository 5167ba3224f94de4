import { Router } from 'express';
import { parseInput } from '../../http/validate-input.ts';
import { baseUrlOf, sendTile } from './tile-response.ts';
import { layerQuerySchema, tileAddressSchema, toLayerQuery } from './tiles.schema.ts';
import type { TilesService } from './tiles.service.ts';

/** GET /tiles (catalog), /tiles/{layer}.json (TileJSON 3.0.0), /tiles/{layer}/{z}/{x}/{y}.mvt. */
export function createTilesRouter(tiles: TilesService): Router {
  const router = Router();
  void tiles.start();

  router.get('/tiles', (request, response) => {
    response.set({ 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, no-cache' }).json(tiles.catalog(baseUrlOf(request)));
  });

  router.get('/tiles/:layer.json', async (request, response) => {
    const layer = tiles.layer(request.params.layer);
    const query = toLayerQuery(layer, parseInput(layerQuerySchema(layer, {}), request.query, 'query'));
    const document = await tiles.tileJson(layer, query, baseUrlOf(request));
    response.set({ 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, no-cache' }).json(document);
  });

  router.get('/tiles/:layer/:z/:x/:y.mvt', async (request, response) => {
    const layer = tiles.layer(request.params.layer);
    const tile = parseInput(tileAddressSchema, { z: request.params.z, x: request.params.x, y: request.params.y }, 'path');
    const query = toLayerQuery(layer, parseInput(layerQuerySchema(layer, {}), request.query, 'query'));
    await sendTile(request, response, await tiles.tile(layer, tile, query));
  });

  return router;
}
