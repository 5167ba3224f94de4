import { statisticsGroupings } from '@bandoso/contracts';
import { z } from 'zod';
import { isRealDate } from '../../http/validate-input.ts';

/** A calendar day (creation day in Vietnam time), YYYY-MM-DD. */
const calendarDate = (name: 'from' | 'to') =>
  z
    .string({ error: `${name} must be a date, YYYY-MM-DD` })
    .trim()
    .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value), { message: `${name} must be a date written YYYY-MM-DD, e.g. 2026-01-31` })
    .refine((value) => !/^\d{4}-\d{2}-\d{2}$/.test(value) || isRealDate(value), { message: `${name} is not a real date` })
    .refine((value) => !isRealDate(value) || (value >= '2000-01-01' && value <= '2099-12-31'), { message: `${name} must be between 2000-01-01 and 2099-12-31` });

export const statisticsQuerySchema = z
  .object({
    groupBy: z
      .enum(statisticsGroupings, { error: `groupBy must be one of ${statisticsGroupings.join(', ')}` })
      .default('commune'),
    from: calendarDate('from').optional(),
    to: calendarDate('to').optional(),
    format: z.enum(['json', 'csv'], { error: 'format must be json or csv' }).optional(),
  })
  .strict();

export type StatisticsQuery = z.infer<typeof statisticsQuerySchema>;

export const overdueListQuerySchema = z
  .object({
    commune: z.string().trim().regex(/^\d{5}$/, 'commune is an official 5-digit code').optional(),
    office: z.string().trim().min(1).max(60).optional(),
    category: z.string().trim().min(1).max(60).optional(),
    limit: z.coerce.number({ error: 'limit must be a number' }).int().min(1).max(500).default(100),
    offset: z.coerce.number({ error: 'offset must be a number' }).int().min(0).max(1_000_000).default(0),
  })
  .strict();

export type OverdueListQuery = z.infer<typeof overdueListQuerySchema>;
