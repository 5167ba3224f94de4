import { z } from 'zod';
import { calendarDateSchema, codeAndNameSchema, countSchema, instantSchema, pointGeometrySchema, trackingCodeValueSchema } from './common.contract.ts';
import { reportStatusSchema } from './report-status.contract.ts';
import { statisticsGroupings } from './vocabulary.ts';

/** Responses of `GET /api/stats` (JSON) and `GET /api/stats/overdue`; the definitions are in api/src/modules/stats/stats.service.ts. */


const rate = z.number().min(0).max(1).nullable();
const minutes = z.number().min(0).nullable();

export const statisticsFiguresSchema = z.strictObject({
  received: countSchema,
  open: countSchema,
  overdue: countSchema,
  resolved: countSchema,
  resolvedOnTime: countSchema,
  rejected: countSchema,
  duplicates: countSchema,
  acknowledged: countSchema,
  rated: countSchema,
  satisfied: countSchema,
  onTimeRate: rate.describe('resolvedOnTime / (resolved + overdue); null without a denominator'),
  satisfactionRate: rate.describe('satisfied / rated; null when nobody rated'),
  medianAcknowledgeMinutes: minutes,
  medianResolveMinutes: minutes,
});
export type StatisticsFigures = z.infer<typeof statisticsFiguresSchema>;

export const statisticsGroupSchema = z.strictObject({
  key: z.string().describe('Commune code, office code, category code, day (YYYY-MM-DD) or month (YYYY-MM)'),
  name: z.string(),
  nameEn: z.string().nullable(),
  ...statisticsFiguresSchema.shape,
});
export type StatisticsGroup = z.infer<typeof statisticsGroupSchema>;

export const statisticsReportSchema = z.strictObject({
  groupBy: z.enum(statisticsGroupings),
  from: calendarDateSchema,
  to: calendarDateSchema,
  generatedAt: instantSchema,
  boundarySet: z
    .strictObject({ name: z.string(), validFrom: calendarDateSchema, validTo: calendarDateSchema.nullable() })
    .nullable()
    .describe('The boundary set whose units the communes are (null when no set is in force)'),
  totals: statisticsFiguresSchema,
  groups: z.array(statisticsGroupSchema),
});
export type StatisticsReport = z.infer<typeof statisticsReportSchema>;

export const overdueReportSchema = z.strictObject({
  id: z.uuid().describe('The report (staff open it at /office/reports/{id})'),
  trackingCode: trackingCodeValueSchema,
  status: reportStatusSchema,
  category: codeAndNameSchema,
  commune: codeAndNameSchema,
  office: codeAndNameSchema,
  createdAt: instantSchema,
  acknowledgedAt: instantSchema.nullable(),
  acknowledgeDueAt: instantSchema,
  dueAt: instantSchema.nullable(),
  location: pointGeometrySchema,
});
export type OverdueReport = z.infer<typeof overdueReportSchema>;

/** `GET /api/stats/overdue`: open reports flagged overdue, oldest first, public fields only. */
export const overdueReportListSchema = z.strictObject({
  total: countSchema,
  limit: countSchema,
  offset: countSchema,
  reports: z.array(overdueReportSchema),
});
export type OverdueReportList = z.infer<typeof overdueReportListSchema>;
