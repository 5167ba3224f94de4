import { z } from 'zod';
import type { FacilityKind } from '../../db/database-schema.ts';

const decimalDegrees = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

const coordinate = (name: 'lon' | 'lat', limit: number) =>
  z
    .string({ error: `${name} is required (decimal degrees, WGS84)` })
    .trim()
    .regex(decimalDegrees, `${name} must be a decimal number of degrees, e.g. ${name === 'lon' ? '103.0169' : '21.3860'}`)
    .transform(Number)
    .refine((value) => Number.isFinite(value) && Math.abs(value) <= limit, {
      message:
        name === 'lat'
          ? 'lat must be between -90 and 90 (did you swap lon and lat? Điện Biên is near lon=103, lat=21.4)'
          : 'lon must be between -180 and 180',
    });

export const facilityKinds = ['police', 'fire', 'hospital', 'clinic'] as const satisfies readonly FacilityKind[];

export const MAX_NEAREST_LIMIT = 20;

export const nearestFacilitiesQuerySchema = z.object({
  lon: coordinate('lon', 180),
  lat: coordinate('lat', 90),
  kind: z.enum(facilityKinds, { error: `kind must be one of ${facilityKinds.join(', ')}` }),
  limit: z
    .string()
    .trim()
    .regex(/^\d{1,3}$/, `limit must be a whole number from 1 to ${MAX_NEAREST_LIMIT}`)
    .transform(Number)
    .refine((value) => value >= 1 && value <= MAX_NEAREST_LIMIT, { message: `limit must be a whole number from 1 to ${MAX_NEAREST_LIMIT}` })
    .default(3),
});

export type NearestFacilitiesQuery = z.infer<typeof nearestFacilitiesQuerySchema>;
