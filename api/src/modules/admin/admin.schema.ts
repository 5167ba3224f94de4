import { z } from 'zod';
import { isRealDate } from '../../http/validate-input.ts';

export const categoryCodeSchema = z.string().trim().regex(/^[a-z][a-z0-9_]{1,40}$/, 'a category code is lower-case letters, digits and _, e.g. street_vendors');

const text = (max: number) => z.string().trim().min(1).max(max);

/** A category as an admin writes it. Deadlines are in working minutes (8 working hours = 480). */
export const categoryBodySchema = z
  .object({
    nameVi: text(200),
    nameEn: text(200),
    descriptionVi: text(1000).nullish(),
    descriptionEn: text(1000).nullish(),
    responsible: z.union([z.literal('commune_committee'), z.string().trim().regex(/^[a-z][a-z0-9_]{1,40}$/, 'responsible is "commune_committee" or a responsibility code such as power, water')]),
    defaultPriority: z.enum(['urgent', 'normal', 'complex']),
    acknowledgeWorkingMinutes: z.number().int().min(1).max(60 * 24 * 60).default(480),
    resolveWorkingMinutes: z.number().int().min(1).max(60 * 24 * 365).nullish(),
    active: z.boolean().default(true),
    sortOrder: z.number().int().min(0).max(100_000).default(0),
  })
  .strict();

export const calendarDaySchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is written YYYY-MM-DD')
  .refine((value) => isRealDate(value), { message: 'not a real date' });

export const calendarExceptionBodySchema = z
  .object({
    kind: z.enum(['holiday', 'working_day']),
    nameVi: text(200),
    nameEn: text(200).nullish(),
  })
  .strict();

export const priorityBodySchema = z.object({ resolveWorkingMinutes: z.number().int().min(1).max(60 * 24 * 365) }).strict();

export const userBodySchema = z
  .object({
    email: z.string().trim().toLowerCase().email(),
    displayName: text(200),
    password: z.string().min(10, 'password must be at least 10 characters').max(200),
    role: z.enum(['citizen', 'officer', 'ioc_operator', 'planner', 'admin']),
    officeCode: z.string().trim().min(1).max(60).nullish(),
  })
  .strict()
  .refine((value) => (value.role === 'officer') === Boolean(value.officeCode), { message: 'officeCode is required for officers and only for them', path: ['officeCode'] });

export const apiClientBodySchema = z.object({ name: text(200) }).strict();
