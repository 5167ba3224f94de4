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

const userRoleSchema = z.enum(['citizen', 'officer', 'ioc_operator', 'planner', 'admin'], { error: 'role must be one of citizen, officer, ioc_operator, planner, admin' });

export const userIdSchema = z.string().uuid('a user id is a UUID');

export const apiClientIdSchema = z.string().uuid('an API client id is a UUID');

/** The user list's filters: `q` finds words of the e-mail or name (accents and case ignored). */
export const userListQuerySchema = z
  .object({
    q: z
      .string()
      .trim()
      .max(200, 'q must be at most 200 characters')
      .refine((value) => !/[\u0000-\u001F\u007F]/.test(value), { message: 'q contains control characters' })
      .optional(),
    role: userRoleSchema.optional(),
    office: z.string().trim().min(1).max(60).optional(),
  })
  .strict();

/**
 * A change to an account: only what is given changes. The officer⇔office rule of POST applies to the
 * account as it will be (checked by the service, which knows the current values).
 */
export const userPatchSchema = z
  .object({
    displayName: text(200).optional(),
    role: userRoleSchema.optional(),
    officeCode: z.string().trim().min(1).max(60).nullable().optional(),
    active: z.boolean({ error: 'active must be true or false' }).optional(),
  })
  .strict()
  .refine((value) => Object.values(value).some((field) => field !== undefined), { message: 'give at least one of displayName, role, officeCode, active' });

export const passwordBodySchema = z.object({ password: z.string({ error: 'password is required' }).min(10, 'password must be at least 10 characters').max(200, 'password must be at most 200 characters') }).strict();
