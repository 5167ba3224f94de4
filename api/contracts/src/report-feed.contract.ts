import { z } from 'zod';
import { codeAndNameSchema, instantSchema, pointGeometrySchema, trackingCodeValueSchema } from './common.contract.ts';
import { reportStatusSchema } from './report-status.contract.ts';

/** `data` of a feed event (JSON): what happened, and the report's public fields after it. */
export const feedEventDataSchema = z.strictObject({
  kind: z.string().describe("The timeline event: 'routed' for a new report, else the step taken (accepted, resolved, escalated…)"),
  at: instantSchema,
  report: z.strictObject({
    id: z.uuid(),
    trackingCode: trackingCodeValueSchema,
    category: z.string(),
    status: reportStatusSchema,
    overdue: z.boolean(),
    location: pointGeometrySchema,
    commune: codeAndNameSchema,
    office: codeAndNameSchema,
    createdAt: instantSchema,
  }),
});
export type FeedEventData = z.infer<typeof feedEventDataSchema>;

/** `data` of the stream's first event, `feedPositionEvent` (vocabulary.ts): the position it starts after. */
export const feedPositionDataSchema = z.strictObject({
  after: z.number().int().nonnegative().describe('The stream carries the events after this id'),
});
export type FeedPositionData = z.infer<typeof feedPositionDataSchema>;
