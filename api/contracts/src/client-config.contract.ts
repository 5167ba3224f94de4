import { z } from 'zod';
import { boundingBoxSchema, lonLatSchema } from './common.contract.ts';
import { clientLanguages } from './vocabulary.ts';

/** `GET /api/client-config`: what the map client needs to know about this deployment before it draws anything. */
export const clientConfigSchema = z.strictObject({
  basemapStyleUrl: z.string().nullable().describe("A MapLibre style to draw under the platform's layers; null: the platform's own offline style"),
  defaultCenter: lonLatSchema.describe('[lon, lat] the map opens on when the whole province does not fit'),
  defaultZoom: z.number().min(0).max(24),
  provinceBounds: boundingBoxSchema.describe('[west, south, east, north] of the province, WGS84: the map opens fitted to it'),
  tilesUrl: z.string().describe("Where the tile catalog and each layer's TileJSON are ({tilesUrl}/{layer}.json)"),
  glyphsUrl: z.string().describe('MapLibre glyphs URL template, served by this platform (no font leaves the premises)'),
  fontStacks: z.strictObject({ regular: z.string(), bold: z.string() }),
  defaultLanguage: z.enum(clientLanguages),
  sampleData: z.boolean().describe('The deployment shows the sample data (SEED_SAMPLE_DATA): the map says so, in the language on screen').optional(),
});
export type ClientConfig = z.infer<typeof clientConfigSchema>;
