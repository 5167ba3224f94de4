import { z } from 'zod';
import { instantSchema, trackingCodeValueSchema } from './common.contract.ts';

/** 201 of `POST /api/reports` (200, the same body, when an Idempotency-Key replays an earlier submission). */
export const submissionReceiptSchema = z.strictObject({
  id: z.uuid(),
  trackingCode: trackingCodeValueSchema,
  status: z.literal('received'),
  commune: z.strictObject({ code: z.string(), name: z.string(), level: z.string() }),
  office: z.strictObject({ code: z.string(), name: z.string() }),
  acknowledgeDueAt: instantSchema,
  dueAt: instantSchema,
  nearBorder: z.boolean().describe('The pin is near a commune border: the receiving office confirms the commune'),
  photos: z.number().int().min(0).describe('Photos stored with the report'),
  reporterToken: z.string().describe('Proves the submitter later (rating, answering questions). Shown once; only its hash is stored'),
});
export type SubmissionReceipt = z.infer<typeof submissionReceiptSchema>;
