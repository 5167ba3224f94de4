import { z } from 'zod';

const coordinate = (name: 'lon' | 'lat', limit: number) =>
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

/** Plan codes and versions as the importer stores them: short printable text. */
const label = (name: string) =>
  z
    .string({ error: `${name} is required` })
    .trim()
    .min(1, `${name} must not be empty`)
    .max(100, `${name} is too long (at most 100 characters)`);

export const planningAtQuerySchema = z.object({
  lon: coordinate('lon', 180),
  lat: coordinate('lat', 90),
  /** Only this plan (default: every plan covering the point). */
  plan: label('plan').optional(),
  /** That version of the plan(s) (default: the latest version of each plan, by decision date). */
  version: label('version').optional(),
});

export const planningChangesQuerySchema = z
  .object({
    plan: label('plan'),
    from: label('from'),
    to: label('to'),
  })
  .refine((query) => query.from !== query.to, { message: 'from and to must be two different versions', path: ['to'] });

export type PlanningAtQuery = z.infer<typeof planningAtQuerySchema>;
export type PlanningChangesQuery = z.infer<typeof planningChangesQuerySchema>;
