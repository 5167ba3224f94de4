import { ogcLinkSchema, type OgcLink } from '@bandoso/contracts';
import { MAX_TILE_ZOOM } from '@bandoso/tiles';
import { z } from 'zod';

/**
 * The tile matrix sets this API tiles in (only WebMercatorQuad), as OGC API – Tiles publishes them at
 * /tileMatrixSets, in the JSON encoding of the OGC Two Dimensional Tile Matrix Set standard 2.0
 * (OGC 17-083r4). The definition is the standard's WebMercatorQuad (annex D), with the zooms this
 * platform serves (0 to MAX_TILE_ZOOM).
 *
 * These response schemas live with the module until they move to @bandoso/contracts' ogc-features
 * contract; the API definition (ogc.document.ts) is generated from them like the others.
 */

const links = z.array(ogcLinkSchema);
const point = z.tuple([z.number(), z.number()]);

/** `GET /ogc/tileMatrixSets/WebMercatorQuad`. */
export const ogcTileMatrixSetSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  uri: z.string().describe('The tile matrix set in the OGC definitions register'),
  crs: z.string(),
  orderedAxes: z.tuple([z.string(), z.string()]),
  wellKnownScaleSet: z.string(),
  boundingBox: z.strictObject({ lowerLeft: point, upperRight: point, crs: z.string() }),
  tileMatrices: z.array(
    z.strictObject({
      id: z.string(),
      scaleDenominator: z.number().positive(),
      cellSize: z.number().positive().describe('Metres per pixel at the equator'),
      cornerOfOrigin: z.literal('topLeft'),
      pointOfOrigin: point,
      tileWidth: z.number().int().positive(),
      tileHeight: z.number().int().positive(),
      matrixWidth: z.number().int().positive(),
      matrixHeight: z.number().int().positive(),
    }),
  ),
  links,
});
export type OgcTileMatrixSet = z.infer<typeof ogcTileMatrixSetSchema>;

/** `GET /ogc/tileMatrixSets`. */
export const ogcTileMatrixSetListSchema = z.strictObject({
  links,
  tileMatrixSets: z.array(z.strictObject({ id: z.string(), title: z.string(), uri: z.string(), crs: z.string(), links })),
});
export type OgcTileMatrixSetList = z.infer<typeof ogcTileMatrixSetListSchema>;

export const WEB_MERCATOR_QUAD_ID = 'WebMercatorQuad';
export const WEB_MERCATOR_QUAD = 'http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad';
export const EPSG_3857 = 'http://www.opengis.net/def/crs/EPSG/0/3857';
export const TILING_SCHEME = 'http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme';
const TITLE = 'Google Maps Compatible for the World';
const JSON_TYPE = 'application/json';

/** Half the equator in EPSG:3857 metres (π × 6 378 137). */
const HALF = Math.PI * 6_378_137;
const TILE_SIZE = 256;
/** The standard's "standardized rendering pixel size" (0.28 mm), which turns cell sizes into scales. */
const PIXEL_SIZE = 0.000_28;

export function tileMatrixSetHref(base: string): string {
  return `${base}/ogc/tileMatrixSets/${WEB_MERCATOR_QUAD_ID}`;
}

export function tileMatrixSetList(base: string): OgcTileMatrixSetList {
  const href = tileMatrixSetHref(base);
  return {
    links: [{ href: `${base}/ogc/tileMatrixSets`, rel: 'self', type: JSON_TYPE, title: 'Tile matrix sets' }] satisfies OgcLink[],
    tileMatrixSets: [
      {
        id: WEB_MERCATOR_QUAD_ID,
        title: TITLE,
        uri: WEB_MERCATOR_QUAD,
        crs: EPSG_3857,
        links: [
          { href, rel: 'self', type: JSON_TYPE, title: `${WEB_MERCATOR_QUAD_ID} definition` },
          { href, rel: TILING_SCHEME, type: JSON_TYPE, title: WEB_MERCATOR_QUAD_ID },
        ] satisfies OgcLink[],
      },
    ],
  };
}

export function webMercatorQuad(base: string): OgcTileMatrixSet {
  const tileMatrices: OgcTileMatrixSet['tileMatrices'] = [];
  for (let zoom = 0; zoom <= MAX_TILE_ZOOM; zoom += 1) {
    const cellSize = (2 * HALF) / TILE_SIZE / 2 ** zoom;
    tileMatrices.push({
      id: String(zoom),
      scaleDenominator: cellSize / PIXEL_SIZE,
      cellSize,
      cornerOfOrigin: 'topLeft',
      pointOfOrigin: [-HALF, HALF],
      tileWidth: TILE_SIZE,
      tileHeight: TILE_SIZE,
      matrixWidth: 2 ** zoom,
      matrixHeight: 2 ** zoom,
    });
  }
  return {
    id: WEB_MERCATOR_QUAD_ID,
    title: TITLE,
    uri: WEB_MERCATOR_QUAD,
    crs: EPSG_3857,
    orderedAxes: ['X', 'Y'],
    wellKnownScaleSet: 'http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible',
    boundingBox: { lowerLeft: [-HALF, -HALF], upperRight: [HALF, HALF], crs: EPSG_3857 },
    tileMatrices,
    links: [
      { href: tileMatrixSetHref(base), rel: 'self', type: JSON_TYPE, title: 'This tile matrix set' },
      { href: `${base}/ogc/tileMatrixSets`, rel: 'up', type: JSON_TYPE, title: 'Tile matrix sets' },
    ] satisfies OgcLink[],
  };
}
