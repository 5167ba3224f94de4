import { z } from 'zod';
import { trackingCodePattern } from './vocabulary.ts';

/**
 * Building blocks of the response schemas. Responses are strict objects: a field the server adds
 * without adding it here fails the contract tests (api/src/modules/openapi/response-contracts.e2e.test.ts).
 */

/** An instant, ISO 8601 with an offset (the server writes UTC, `…Z`). */
export const instantSchema = z.iso.datetime({ offset: true });

/** A calendar day, YYYY-MM-DD. */
export const calendarDateSchema = z.iso.date();

/** [longitude, latitude], WGS84. */
export const lonLatSchema = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

/** [west, south, east, north], WGS84. */
export const boundingBoxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]).describe('[west, south, east, north], WGS84');

/** A GeoJSON Point, [longitude, latitude]. */
export const pointGeometrySchema = z.strictObject({ type: z.literal('Point'), coordinates: lonLatSchema });
export type PointGeometry = z.infer<typeof pointGeometrySchema>;

export const countSchema = z.number().int().min(0);

/** A commune, office, province…: its code and its name. */
export const codeAndNameSchema = z.strictObject({ code: z.string(), name: z.string() });

/** A tracking code in a response (vocabulary.ts). */
export const trackingCodeValueSchema = z.string().regex(trackingCodePattern);

/** Every error the platform answers: `{ error: { code, message, messageVi?, details?, requestId } }`. */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.string().describe('One of a closed set (VALIDATION_FAILED, NOT_FOUND, DATABASE_UNAVAILABLE, …), each with one HTTP status'),
    message: z.string(),
    messageVi: z.string().optional(),
    details: z.unknown().optional(),
    requestId: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
