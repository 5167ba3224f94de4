import { z } from 'zod';
import { boundingBoxSchema, countSchema, instantSchema } from './common.contract.ts';

/**
 * Responses of the OGC API under /ogc (OGC API – Features – Part 1, and the tileset metadata of OGC
 * API – Tiles), as api/src/modules/ogc answers them. Its OpenAPI document (`/ogc/api`) is generated
 * from these schemas.
 */

export const ogcLinkSchema = z.strictObject({
  href: z.string(),
  rel: z.string(),
  type: z.string().optional(),
  title: z.string().optional(),
  templated: z.boolean().optional(),
});
export type OgcLink = z.infer<typeof ogcLinkSchema>;

const links = z.array(ogcLinkSchema);

/** `GET /ogc`. */
export const ogcLandingPageSchema = z.strictObject({ title: z.string(), description: z.string(), links });
export type OgcLandingPage = z.infer<typeof ogcLandingPageSchema>;

/** `GET /ogc/conformance`. */
export const ogcConformanceSchema = z.strictObject({ conformsTo: z.array(z.string()) });
export type OgcConformance = z.infer<typeof ogcConformanceSchema>;

/** `GET /ogc/collections/{collectionId}`. */
export const ogcCollectionSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  attribution: z.string(),
  itemType: z.literal('feature'),
  crs: z.array(z.string()),
  extent: z.strictObject({
    spatial: z.strictObject({ bbox: z.array(boundingBoxSchema), crs: z.string() }),
    temporal: z.strictObject({ interval: z.array(z.tuple([z.string().nullable(), z.string().nullable()])), trs: z.string() }).optional(),
  }),
  links,
});
export type OgcCollection = z.infer<typeof ogcCollectionSchema>;

/** `GET /ogc/collections`. */
export const ogcCollectionsSchema = z.strictObject({ links, collections: z.array(ogcCollectionSchema) });
export type OgcCollections = z.infer<typeof ogcCollectionsSchema>;

/** A GeoJSON geometry (RFC 7946), WGS84. */
export const geoJsonGeometrySchema = z.looseObject({
  type: z.enum(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']),
});

const featureFields = {
  type: z.literal('Feature'),
  id: z.string(),
  geometry: geoJsonGeometrySchema.nullable(),
  properties: z.record(z.string(), z.unknown()).nullable().describe("The collection's public fields (the layer registry's, never more)"),
};

/** A feature of an items page. */
export const ogcFeatureSchema = z.strictObject(featureFields);
export type OgcFeature = z.infer<typeof ogcFeatureSchema>;

/** `GET /ogc/collections/{collectionId}/items/{featureId}`: one feature, with its links. */
export const ogcFeatureWithLinksSchema = z.strictObject({ ...featureFields, links });
export type OgcFeatureWithLinks = z.infer<typeof ogcFeatureWithLinksSchema>;

/** `GET /ogc/collections/{collectionId}/items`: one page. */
export const ogcFeatureCollectionSchema = z.strictObject({
  type: z.literal('FeatureCollection'),
  features: z.array(ogcFeatureSchema),
  numberMatched: countSchema,
  numberReturned: countSchema,
  timeStamp: instantSchema,
  links: links.describe('self, collection, and next / prev (with a cursor) when there are more'),
});
export type OgcFeatureCollection = z.infer<typeof ogcFeatureCollectionSchema>;

/** `GET /ogc/collections/{collectionId}/tiles`. */
export const ogcTilesetListSchema = z.strictObject({
  links,
  tilesets: z.array(z.strictObject({ title: z.string(), dataType: z.literal('vector'), crs: z.string(), tileMatrixSetURI: z.string(), links })),
});
export type OgcTilesetList = z.infer<typeof ogcTilesetListSchema>;

/** `GET /ogc/collections/{collectionId}/tiles/WebMercatorQuad`. */
export const ogcTilesetSchema = z.strictObject({
  title: z.string(),
  description: z.string(),
  dataType: z.literal('vector'),
  crs: z.string(),
  tileMatrixSetURI: z.string(),
  tileMatrixSetLimits: z.array(z.strictObject({ tileMatrix: z.string(), minTileRow: countSchema, maxTileRow: countSchema, minTileCol: countSchema, maxTileCol: countSchema })),
  boundingBox: z.strictObject({ lowerLeft: z.tuple([z.number(), z.number()]), upperRight: z.tuple([z.number(), z.number()]), crs: z.string() }),
  layers: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      dataType: z.literal('vector'),
      geometryDimension: z.number().int().min(0).max(2),
      minTileMatrix: z.string(),
      maxTileMatrix: z.string(),
      propertiesSchema: z.strictObject({ type: z.literal('object'), properties: z.record(z.string(), z.strictObject({ type: z.enum(['string', 'number', 'boolean']) })) }),
    }),
  ),
  links,
});
export type OgcTileset = z.infer<typeof ogcTilesetSchema>;

/** `GET /ogc/api`: the API definition, an OpenAPI 3.0 document. */
export const ogcApiDefinitionSchema = z.looseObject({
  openapi: z.string().regex(/^3\.0\.\d+$/),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  servers: z.array(z.looseObject({ url: z.string() })),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});
export type OgcApiDefinition = z.infer<typeof ogcApiDefinitionSchema>;
