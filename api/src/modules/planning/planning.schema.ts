import { z } from 'zod';
import { coordinate } from '../boundaries/boundaries.schema.ts';


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
