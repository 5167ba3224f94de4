import { ogcConformanceSchema, ogcLandingPageSchema, ogcTilesetListSchema, ogcTilesetSchema } from '@bandoso/contracts';
import { MAX_TILE_ZOOM } from '@bandoso/tiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSharedTestDatabase, startTestServer, type TestServer } from '../../testing/index.ts';
import { ogcTileMatrixSetListSchema, ogcTileMatrixSetSchema } from './ogc.tile-matrix-sets.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(await getSharedTestDatabase());
});
afterAll(() => server.close());

async function get(path: string, origin?: string) {
  const response = await fetch(`${server.baseUrl}${path}`, origin ? { headers: { origin } } : {});
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as any) : undefined };
}

const TILES = 'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/';
const HALF = Math.PI * 6_378_137;

describe('OGC API – Tiles: conformance and tile matrix sets', () => {
  it('declares the Tiles classes it implements, and no others', async () => {
    const { conformsTo } = ogcConformanceSchema.parse((await get('/ogc/conformance')).body);
    const tiles = conformsTo.filter((uri) => uri.startsWith(TILES)).map((uri) => uri.slice(TILES.length));
    expect(tiles.sort()).toEqual(['core', 'geodata-tilesets', 'mvt', 'oas30', 'tileset', 'tilesets-list']);
    expect(conformsTo.filter((uri) => uri.includes('dataset-tilesets') || uri.includes('geodata-selection') || uri.endsWith('/png'))).toEqual([]);
  });

  it('links the tile matrix sets from the landing page', async () => {
    const { links } = ogcLandingPageSchema.parse((await get('/ogc')).body);
    const link = links.find((candidate) => candidate.rel === 'http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes');
    expect(link?.href).toBe(`${server.baseUrl}/ogc/tileMatrixSets`);
    expect(link?.type).toBe('application/json');
  });

  it('lists WebMercatorQuad at /tileMatrixSets, with CORS', async () => {
    const { status, headers, body } = await get('/ogc/tileMatrixSets', 'https://qgis.example');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(headers.get('access-control-allow-origin')).toBe('*');
    const list = ogcTileMatrixSetListSchema.parse(body);
    expect(list.tileMatrixSets).toHaveLength(1);
    expect(list.tileMatrixSets[0]).toMatchObject({
      id: 'WebMercatorQuad',
      uri: 'http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad',
      crs: 'http://www.opengis.net/def/crs/EPSG/0/3857',
    });
    const self = list.tileMatrixSets[0]!.links.find((link) => link.rel === 'self');
    expect(self?.href).toBe(`${server.baseUrl}/ogc/tileMatrixSets/WebMercatorQuad`);
  });

  it('defines WebMercatorQuad as OGC 17-083r4 does, for every zoom the tiles are served at', async () => {
    const { status, headers, body } = await get('/ogc/tileMatrixSets/WebMercatorQuad', 'https://qgis.example');
    expect(status).toBe(200);
    expect(headers.get('access-control-allow-origin')).toBe('*');
    const tms = ogcTileMatrixSetSchema.parse(body);
    expect(tms).toMatchObject({ id: 'WebMercatorQuad', crs: 'http://www.opengis.net/def/crs/EPSG/0/3857', orderedAxes: ['X', 'Y'], wellKnownScaleSet: 'http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible' });
    expect(tms.tileMatrices.map((matrix) => matrix.id)).toEqual(Array.from({ length: MAX_TILE_ZOOM + 1 }, (_, zoom) => String(zoom)));
    const [zero, ten] = [tms.tileMatrices[0]!, tms.tileMatrices[10]!];
    // The standard's annex values (rounded as it prints them).
    expect(zero.scaleDenominator).toBeCloseTo(559_082_264.028_717, 3);
    expect(zero.cellSize).toBeCloseTo(156_543.033_928_041, 6);
    expect(zero.pointOfOrigin[0]).toBeCloseTo(-20_037_508.342_789_2, 4);
    expect(zero.pointOfOrigin[1]).toBeCloseTo(20_037_508.342_789_2, 4);
    expect(zero).toMatchObject({ cornerOfOrigin: 'topLeft', tileWidth: 256, tileHeight: 256, matrixWidth: 1, matrixHeight: 1 });
    expect(ten).toMatchObject({ matrixWidth: 1024, matrixHeight: 1024 });
    expect(ten.cellSize * 256 * ten.matrixWidth).toBeCloseTo(2 * HALF, 3);
    expect(tms.boundingBox.lowerLeft[0]).toBeCloseTo(-HALF, 4);
  });

  it('answers 404 for another tile matrix set and 400 for a format it has not', async () => {
    expect((await get('/ogc/tileMatrixSets/WorldCRS84Quad')).status).toBe(404);
    expect((await get('/ogc/tileMatrixSets/WebMercatorQuad?f=html')).status).toBe(400);
    expect((await get('/ogc/tileMatrixSets?unknown=1')).status).toBe(400);
  });

  it('points the tilesets at the local definition as their tiling scheme', async () => {
    const list = ogcTilesetListSchema.parse((await get('/ogc/collections/communes/tiles')).body);
    const tileset = ogcTilesetSchema.parse((await get('/ogc/collections/communes/tiles/WebMercatorQuad')).body);
    for (const links of [list.tilesets[0]!.links, tileset.links]) {
      const scheme = links.find((link) => link.rel === 'http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme');
      expect(scheme?.href).toBe(`${server.baseUrl}/ogc/tileMatrixSets/WebMercatorQuad`);
    }
    expect(tileset.tileMatrixSetURI).toBe('http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad');
  });

  it('describes /tileMatrixSets in the API definition, from the zod schemas', async () => {
    const { body } = await get('/ogc/api');
    for (const path of ['/tileMatrixSets', '/tileMatrixSets/WebMercatorQuad', '/collections/communes/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}']) expect(body.paths[path], path).toBeDefined();
    const list = body.paths['/tileMatrixSets'].get.responses['200'].content['application/json'].schema;
    expect(list.required).toEqual(expect.arrayContaining(['links', 'tileMatrixSets']));
    const tms = body.paths['/tileMatrixSets/WebMercatorQuad'].get.responses['200'].content['application/json'].schema;
    expect(tms.properties.tileMatrices.items.required).toEqual(expect.arrayContaining(['id', 'scaleDenominator', 'pointOfOrigin', 'matrixWidth', 'matrixHeight']));
    expect(body.paths['/tileMatrixSets/WebMercatorQuad'].get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(['f']);
  });
});
