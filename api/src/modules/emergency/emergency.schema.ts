import { z } from 'zod';
import { coordinate } from '../boundaries/boundaries.schema.ts';
import type { FacilityKind } from '../../db/database-schema.ts';


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
