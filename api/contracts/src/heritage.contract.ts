import { z } from 'zod';
import { lonLatSchema } from './common.contract.ts';

/**
 * Heritage sites and their 3D tours. Positions of a tour are in the site's local frame: metres east,
 * north and up from the site's point (the origin of its tileset's east-north-up frame).
 */

/** A text in both languages of the platform, Vietnamese first. */
export const bilingualTextSchema = z.strictObject({ vi: z.string().min(1), en: z.string().min(1) });
export type BilingualText = z.infer<typeof bilingualTextSchema>;

/** [east, north, up] in metres from the site's point. */
export const localPositionSchema = z.tuple([z.number(), z.number(), z.number()]).describe('[east, north, up] in metres from the site’s point');
export type LocalPosition = z.infer<typeof localPositionSchema>;

export const heritageRankSchema = z.enum(['special_national', 'national', 'provincial']);

/** One stop of a tour: where the camera stands and what it looks at, and what is told there. */
export const heritageStopSchema = z.strictObject({
  ordinal: z.number().int().min(1),
  title: bilingualTextSchema,
  narration: bilingualTextSchema,
  camera: z.strictObject({ position: localPositionSchema, target: localPositionSchema }),
});
export type HeritageStop = z.infer<typeof heritageStopSchema>;

/** A site's 3D Tiles tileset. */
export const heritageTilesetSchema = z.strictObject({
  url: z.url().describe('Absolute URL of the tileset.json (3D Tiles 1.1)'),
  source: z.enum(['generated', 'imported']).describe('generated: built by the project (npm run heritage:build); imported: a surveyed tileset (npm run import -- heritage-tileset)'),
  illustrative: z.boolean().describe('An illustrative reconstruction modelled from public descriptions, not a survey'),
  version: z.string().describe('Changes whenever the tileset changes; the URL contains it'),
});
export type HeritageTileset = z.infer<typeof heritageTilesetSchema>;

/** A site in the list of `GET /api/heritage`. */
export const heritageSiteSummarySchema = z.strictObject({
  code: z.string(),
  name: bilingualTextSchema,
  rank: heritageRankSchema,
  position: lonLatSchema,
  tileset: heritageTilesetSchema.nullable(),
  stops: z.number().int().min(0).describe('How many stops its tour has'),
});
export type HeritageSiteSummary = z.infer<typeof heritageSiteSummarySchema>;

export const heritageSiteListSchema = z.strictObject({ sites: z.array(heritageSiteSummarySchema) });
export type HeritageSiteList = z.infer<typeof heritageSiteListSchema>;

/** `GET /api/heritage/{code}`: one site and its tour. */
export const heritageSiteSchema = z.strictObject({
  code: z.string(),
  name: bilingualTextSchema,
  rank: heritageRankSchema,
  description: bilingualTextSchema,
  openingHours: z.string().nullable(),
  position: lonLatSchema,
  tileset: heritageTilesetSchema.nullable(),
  stops: z.array(heritageStopSchema),
});
export type HeritageSite = z.infer<typeof heritageSiteSchema>;
