import { Router, type Request, type Response } from 'express';
import type { Kysely } from 'kysely';
import type { PagePosition } from '@bandoso/tiles';
import type { Database } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { parseInput } from '../../http/validate-input.ts';
import { baseUrlOf } from '../../http/base-url.ts';
import { sendTile } from '../tiles/tile-response.ts';
import { tileAddressSchema, toLayerQuery } from '../tiles/tiles.schema.ts';
import type { TilesService } from '../tiles/tiles.service.ts';
import { buildOgcApiDefinition } from './ogc.document.ts';
import { featureIdSchemaFor, itemQuerySchema, itemsQuerySchema, metadataQuerySchema, ogcTileQuerySchema } from './ogc.schema.ts';
import { GEOJSON, OgcService, OPENAPI_TYPE } from './ogc.service.ts';

/** OGC API – Features (Part 1) and OGC API – Tiles under /ogc. */
export function createOgcRouter(db: Kysely<Database>, tiles: TilesService): Router {
  const ogc = new OgcService(db, tiles);
  const router = Router();

  router.use('/ogc', (_request, response, next) => {
    response.set({ 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, no-cache' });
    next();
  });

  const metadata = (request: Request) => parseInput(metadataQuerySchema, request.query, 'query');
  const sendJson = (response: Response, body: unknown, type = 'application/json') => {
    response.status(200).type(type).send(JSON.stringify(body));
  };

  router.get('/ogc', (request, response) => {
    metadata(request);
    sendJson(response, ogc.landingPage(baseUrlOf(request)));
  });

  router.get('/ogc/conformance', (request, response) => {
    metadata(request);
    sendJson(response, ogc.conformance());
  });

  router.get('/ogc/tileMatrixSets', (request, response) => {
    metadata(request);
    sendJson(response, ogc.tileMatrixSets(baseUrlOf(request)));
  });

  router.get('/ogc/tileMatrixSets/:tileMatrixSetId', (request, response) => {
    metadata(request);
    requireWebMercatorQuad(request.params.tileMatrixSetId);
    sendJson(response, ogc.tileMatrixSet(baseUrlOf(request)));
  });

  router.get(['/ogc/api', '/ogc/openapi'], (request, response) => {
    metadata(request);
    sendJson(response, buildOgcApiDefinition(baseUrlOf(request), tiles.layers()), OPENAPI_TYPE);
  });

  router.get('/ogc/collections', async (request, response) => {
    metadata(request);
    sendJson(response, await ogc.collections(baseUrlOf(request)));
  });

  router.get('/ogc/collections/:collectionId', async (request, response) => {
    metadata(request);
    const layer = ogc.layer(request.params.collectionId);
    sendJson(response, await ogc.collection(baseUrlOf(request), layer, { filters: {} }));
  });

  router.get('/ogc/collections/:collectionId/items', async (request, response) => {
    const layer = ogc.layer(request.params.collectionId);
    const parsed = parseInput(itemsQuerySchema(layer), request.query, 'query');
    const query = toLayerQuery(layer, parsed);
    const search = new URLSearchParams(request.originalUrl.split('?')[1] ?? '');
    search.delete('offset');
    search.delete('cursor');
    const body = await ogc.items(
      baseUrlOf(request),
      layer,
      {
        ...query,
        ...(parsed.limit !== undefined ? { limit: parsed.limit as number } : {}),
        ...(parsed.offset !== undefined ? { offset: parsed.offset as number } : {}),
        ...(parsed.cursor !== undefined ? { cursor: parsed.cursor as PagePosition } : {}),
        ...(parsed.bbox !== undefined ? { bbox: parsed.bbox as [number, number, number, number] } : {}),
        ...(parsed.datetime !== undefined ? { interval: parsed.datetime as { start?: string; end?: string } } : {}),
      },
      search,
    );
    sendJson(response, body, GEOJSON);
  });

  router.get('/ogc/collections/:collectionId/items/:featureId', async (request, response) => {
    const layer = ogc.layer(request.params.collectionId);
    const query = toLayerQuery(layer, parseInput(itemQuerySchema(layer), request.query, 'query'));
    const id = featureIdSchemaFor(layer).safeParse(request.params.featureId);
    if (!id.success) throw new AppError('NOT_FOUND', `No feature ${JSON.stringify(request.params.featureId.slice(0, 60))} in ${layer.id}.`);
    sendJson(response, await ogc.item(baseUrlOf(request), layer, query, id.data.toLowerCase()), GEOJSON);
  });

  router.get('/ogc/collections/:collectionId/tiles', (request, response) => {
    metadata(request);
    sendJson(response, ogc.tilesets(baseUrlOf(request), ogc.layer(request.params.collectionId)));
  });

  router.get('/ogc/collections/:collectionId/tiles/:tileMatrixSetId', async (request, response) => {
    metadata(request);
    const layer = ogc.layer(request.params.collectionId);
    requireWebMercatorQuad(request.params.tileMatrixSetId);
    sendJson(response, await ogc.tileset(baseUrlOf(request), layer));
  });

  // The standard's order: /{tileMatrix}/{tileRow}/{tileCol}, i.e. z/y/x.
  router.get('/ogc/collections/:collectionId/tiles/:tileMatrixSetId/:tileMatrix/:tileRow/:tileCol', async (request, response) => {
    const layer = ogc.layer(request.params.collectionId);
    requireWebMercatorQuad(request.params.tileMatrixSetId);
    const { tileMatrix, tileRow, tileCol } = request.params;
    const tile = parseInput(tileAddressSchema, { z: tileMatrix, y: tileRow, x: tileCol }, 'path');
    const query = toLayerQuery(layer, parseInput(ogcTileQuerySchema(layer), request.query, 'query'));
    await sendTile(request, response, await ogc.tile(layer, tile, query));
  });

  router.use('/ogc', (request, _response, next) => {
    next(new AppError('NOT_FOUND', `No such OGC API resource: ${request.method} ${request.originalUrl.split('?')[0]}`));
  });

  return router;
}

function requireWebMercatorQuad(id: string): void {
  if (id !== 'WebMercatorQuad') throw new AppError('NOT_FOUND', `No tile matrix set ${JSON.stringify(id.slice(0, 60))}; this API offers WebMercatorQuad.`);
}
