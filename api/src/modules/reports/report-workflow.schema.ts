import { staffActionNames, type StaffActionName } from '@bandoso/contracts';
import { z } from 'zod';

const note = z
  .string()
  .transform((value) => value.normalize('NFC').trim())
  .refine((value) => value.length <= 5000, { message: 'must be at most 5000 characters' });
const requiredText = (what: string) => note.refine((value) => value.length >= 2, { message: `${what} is required` });
const officeCode = z.string().trim().min(1).max(60);

/** What staff can do to a report. Each action is one event on its timeline. */
export const staffActionSchema = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('accept'), note: note.optional() }).strict(),
    z.object({ action: z.literal('start'), note: note.optional() }).strict(),
    z.object({ action: z.literal('request_information'), note: requiredText('note (what the citizen must add)') }).strict(),
    z.object({ action: z.literal('resume'), note: note.optional() }).strict(),
    z.object({ action: z.literal('resolve'), answer: requiredText('answer (the public reply)'), note: note.optional() }).strict(),
    z
      .object({
        action: z.literal('reject'),
        reason: z.enum(['not_eligible', 'not_enough_information', 'not_our_responsibility']),
        answer: requiredText('answer (the public explanation)'),
        targetOfficeCode: officeCode.optional(),
      })
      .strict()
      .refine((value) => value.reason !== 'not_our_responsibility' || value.targetOfficeCode, {
        message: 'targetOfficeCode is required when the reason is not_our_responsibility: name the office that is responsible',
        path: ['targetOfficeCode'],
      }),
    z.object({ action: z.literal('transfer'), targetOfficeCode: officeCode, note: requiredText('note (why it is transferred)') }).strict(),
    z.object({ action: z.literal('mark_duplicate'), originalTrackingCode: z.string().trim().toUpperCase(), note: note.optional() }).strict(),
    z.object({ action: z.literal('confirm_location'), note: note.optional() }).strict(),
    z.object({ action: z.literal('add_note'), note: requiredText('note'), public: z.boolean().default(false) }).strict(),
    z.object({ action: z.literal('escalate'), note: requiredText('note (why the supervising office must look at it)') }).strict(),
  ],
  { error: `action must be one of ${staffActionNames.join(', ')}` },
);

export type StaffAction = z.infer<typeof staffActionSchema>;

/** One schema per action of the workflow's transitions (report-status.ts), and no other: else this fails to compile. */
const _everyActionHasASchema: [StaffAction['action']] extends [StaffActionName] ? ([StaffActionName] extends [StaffAction['action']] ? true : never) : never = true;

export const citizenInformationSchema = z
  .object({ token: z.string().trim().min(20).max(200).optional(), note: requiredText('note') })
  .strict();
