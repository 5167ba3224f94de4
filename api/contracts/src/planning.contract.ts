import { z } from 'zod';
import { boundingBoxSchema, calendarDateSchema, countSchema, pointGeometrySchema } from './common.contract.ts';
import { comparedZoneAttributes } from './vocabulary.ts';

/** Responses of api/src/modules/planning: plans and their versions, what applies at a point, what changed. */

export const planVersionSchema = z.strictObject({
  version: z.string(),
  decisionNumber: z.string(),
  decisionDate: calendarDateSchema,
  zoneCount: countSchema,
  bbox: boundingBoxSchema,
});
export type PlanVersion = z.infer<typeof planVersionSchema>;

export const planSchema = z.strictObject({
  planCode: z.string(),
  planName: z.string(),
  approvingAuthority: z.string().nullable(),
  versions: z.array(planVersionSchema).describe('Oldest decision first; the last one is in force'),
  currentVersion: z.string(),
});
export type Plan = z.infer<typeof planSchema>;

/** `GET /api/planning/plans`. */
export const planListSchema = z.strictObject({ plans: z.array(planSchema) });
export type PlanList = z.infer<typeof planListSchema>;


export const zoneAttributeValuesSchema = z.strictObject({
  zoneName: z.string().nullable(),
  landUseCode: z.string(),
  landUseName: z.string(),
  maxDensityPct: z.number().nullable(),
  maxFloors: z.number().nullable(),
  maxHeightM: z.number().nullable(),
  far: z.number().nullable(),
});
export type ZoneAttributeValues = z.infer<typeof zoneAttributeValuesSchema>;

export const zoneAtPointSchema = z.strictObject({
  planCode: z.string(),
  planName: z.string(),
  planVersion: z.string(),
  decisionNumber: z.string(),
  decisionDate: calendarDateSchema,
  approvingAuthority: z.string().nullable(),
  zoneCode: z.string(),
  ...zoneAttributeValuesSchema.shape,
  areaM2: z.number().min(0),
});
export type ZoneAtPoint = z.infer<typeof zoneAtPointSchema>;

/** `GET /api/planning/at`: "what applies here". */
export const whatAppliesHereSchema = z.strictObject({
  point: pointGeometrySchema,
  zones: z.array(zoneAtPointSchema).describe('One zone per plan covering the point (two on a shared edge), in the asked or current version'),
});
export type WhatAppliesHere = z.infer<typeof whatAppliesHereSchema>;

export const zoneChangeSchema = z.strictObject({
  zoneCode: z.string(),
  change: z.enum(['added', 'removed', 'changed']),
  changedAttributes: z.array(z.enum(comparedZoneAttributes)).describe("For 'changed': the attributes whose value differs (empty when only the geometry changed)"),
  geometryChanged: z.boolean(),
  before: zoneAttributeValuesSchema.nullable(),
  after: zoneAttributeValuesSchema.nullable(),
  bbox: boundingBoxSchema,
});
export type ZoneChange = z.infer<typeof zoneChangeSchema>;

/** `GET /api/planning/changes`. */
export const planChangesSchema = z.strictObject({
  planCode: z.string(),
  from: planVersionSchema,
  to: planVersionSchema,
  changes: z.array(zoneChangeSchema),
  unchangedCount: countSchema,
});
export type PlanChanges = z.infer<typeof planChangesSchema>;
