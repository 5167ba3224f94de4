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

/**
 * The first event of every stream, `feed.position`: its id is the position the stream starts after
 * (the last event id before it), so a client that loses the stream before any report event comes
 * back with Last-Event-ID and misses nothing. Its data repeats the position.
 */
export const feedPositionEvent = 'feed.position';
export const feedPositionDataSchema = z.strictObject({
  after: z.number().int().nonnegative().describe('The stream carries the events after this id'),
});
export type FeedPositionData = z.infer<typeof feedPositionDataSchema>;
