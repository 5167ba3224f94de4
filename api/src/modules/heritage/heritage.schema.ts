import { z } from 'zod';

/**
 * Requests of the heritage module. The answers' shapes are @bandoso/contracts' heritage.contract.ts.
 * The rules a tour must keep (ordinals 1..n, poses near the site) are checked by the service, so
 * that the sample data and an admin's edit meet the same ones.
 */

/** Letters, digits, '-' and '_': the codes of the sample data (DT-A1) and what a folder or URL can hold as it is. */
export const SITE_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const siteCodeSchema = z
  .string()
  .regex(SITE_CODE_PATTERN, 'a heritage site code is 1–64 letters, digits, "-" or "_", starting with a letter or digit (e.g. DT-A1)');

/** At most this many stops in a tour. */
export const MAX_STOPS = 30;

const text = (name: string, max: number) =>
  z
    .string({ error: `${name} is required (text)` })
    .trim()
    .min(1, `${name} must not be empty (in Vietnamese and in English)`)
    .max(max, `${name} is too long (at most ${max} characters)`);

const bilingual = (name: string, max: number) => z.strictObject({ vi: text(`${name}.vi`, max), en: text(`${name}.en`, max) });

const metres = z.number({ error: 'a finite number of metres' }).finite('a finite number of metres');

/** [east, north, up] in metres from the site's point. */
const localPosition = z.tuple([metres, metres, metres], { error: '[east, north, up] in metres from the site’s point' });

export const stopInputSchema = z.strictObject({
  ordinal: z.number().int().min(1).max(MAX_STOPS),
  title: bilingual('title', 200),
  narration: bilingual('narration', 4000),
  camera: z.strictObject({ position: localPosition, target: localPosition }),
});
export type StopInput = z.infer<typeof stopInputSchema>;

/** `PUT /api/admin/heritage/{code}/stops`: the whole tour, replacing the one the site had. */
export const stopsBodySchema = z.strictObject({
  stops: z.array(stopInputSchema).min(1, `a tour has 1 to ${MAX_STOPS} stops`).max(MAX_STOPS, `a tour has 1 to ${MAX_STOPS} stops`),
});
export type StopsBody = z.infer<typeof stopsBodySchema>;

/** A file of tours, `{ "<site code>": { "stops": [...] } }` (gis-data/sample/heritage-tours.json; `npm run import -- heritage-tours`). */
export const toursFileSchema = z.record(siteCodeSchema, stopsBodySchema);
export type ToursFile = z.infer<typeof toursFileSchema>;

/** A version in a tileset's address: hex, as tilesetVersion() makes it. */
export const tilesetVersionSchema = z.string().regex(/^[0-9a-f]{8,64}$/, 'a tileset version is 8–64 hex digits');

/**
 * Whether a name can be one segment of a file's path inside a tileset: not '.', '..' or hidden, no
 * separator, drive colon or control character, at most 255 characters. The importer refuses files
 * whose names are not, and the tileset route answers 404 for them, so no path leaves its folder.
 */
export function isSafePathSegment(segment: string): boolean {
  return segment.length > 0 && segment.length <= 255 && !segment.startsWith('.') && !/[/\\:\u0000-\u001f\u007f]/.test(segment);
}
