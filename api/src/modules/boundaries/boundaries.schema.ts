import { z } from 'zod';
import { isRealDateOrDateTime } from '../../http/validate-input.ts';

/** A longitude or latitude query parameter: a plain decimal number within range, with a hint when lon/lat look swapped. */
export const coordinate = (name: 'lon' | 'lat', limit: number) =>
  z
    .string({ error: `${name} is required (decimal degrees, WGS84)` })
    .trim()
    .regex(/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/, `${name} must be a decimal number of degrees, e.g. ${name === 'lon' ? '103.0169' : '21.3860'}`)
    .transform(Number)
    .refine((value) => Number.isFinite(value) && Math.abs(value) <= limit, {
      message:
        name === 'lat'
          ? 'lat must be between -90 and 90 (did you swap lon and lat? Điện Biên is near lon=103, lat=21.4)'
          : 'lon must be between -180 and 180',
    });

/** An ISO 8601 date (`2024-05-07`) or date-time with offset (`2024-05-07T08:00:00+07:00`). */
/**
 * A day (read in Vietnam time by the caller) or an instant with its offset; `name` is the parameter
 * the messages name. Every check is safe on any text: zod runs all refinements, failed or not.
 */
export function isoDateOrDateTimeNamed(name: string) {
  const written = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value);
  return z
    .string()
    .trim()
    .refine(written, { message: `${name} must be an ISO 8601 date (2024-05-07) or date-time with offset (2024-05-07T08:00:00+07:00)` })
    .refine((value) => !written(value) || isRealDateOrDateTime(value), { message: `${name} is not a real date` });
}

export const isoDateOrDateTime = isoDateOrDateTimeNamed('at');

export const locateQuerySchema = z.object({
  lon: coordinate('lon', 180),
  lat: coordinate('lat', 90),
  at: isoDateOrDateTime.optional(),
});

export type LocateQuery = z.infer<typeof locateQuerySchema>;
