import { z } from 'zod';
import { trackingCodeSchema } from '../reports/reports.schema.ts';

const officeCode = z.string().trim().min(1).max(60);

/** `PUT /api/staff/webhook`: where an office's document system receives its reports. */
export const putWebhookSchema = z
  .object({
    /** Admins name the office; officers may omit it (their own office) or repeat their own. */
    officeCode: officeCode.optional(),
    url: z
      .string()
      .trim()
      .max(2000)
      .refine(
        (value) => {
          try {
            const url = new URL(value);
            return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
          } catch {
            return false;
          }
        },
        { message: 'url must be an http(s) URL without credentials, e.g. https://tdoffice.example.gov.vn/hooks/bandoso' },
      ),
    /** Omitted: a new secret is generated when the webhook is created (and shown once); kept when it is updated. */
    secret: z
      .string()
      .min(16, 'secret must be at least 16 characters (omit it to have one generated)')
      .max(200)
      .regex(/^[\x21-\x7e]+$/, 'secret must be printable ASCII without spaces')
      .optional(),
    /** Replace the secret by a newly generated one (shown once). */
    rotateSecret: z.boolean().default(false),
    /** false pauses deliveries (they wait, and are sent when it is active again). */
    active: z.boolean().default(true),
  })
  .strict()
  .refine((value) => !(value.secret && value.rotateSecret), { message: 'give either secret or rotateSecret, not both', path: ['rotateSecret'] });

export type PutWebhookInput = z.infer<typeof putWebhookSchema>;

export const webhookQuerySchema = z.object({ office: officeCode.optional() }).strict();

export const deliveriesQuerySchema = z
  .object({
    office: officeCode.optional(),
    status: z.enum(['pending', 'delivered', 'dead']).optional(),
    trackingCode: trackingCodeSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export type DeliveriesQuery = z.infer<typeof deliveriesQuerySchema>;

export const deliveryIdSchema = z.coerce.number().int().positive('must be a delivery id');

export const inboundOfficeCodeSchema = officeCode;

/**
 * The envelope of an inbound status update. The rest of the body is the action itself, exactly as
 * staff send it to `POST /api/staff/reports/:id/actions` (`staffActionSchema`).
 */
export const inboundEnvelopeSchema = z.object({
  trackingCode: trackingCodeSchema,
  /** The document system's own id for this update: a repeated id is answered, not applied again. */
  externalId: z
    .string()
    .trim()
    .regex(/^[\x21-\x7e]{1,200}$/, 'externalId must be 1–200 printable ASCII characters (your system’s id of this update)'),
  occurredAt: z.iso.datetime({ offset: true, error: 'occurredAt must be an ISO 8601 date-time with an offset' }).optional(),
});
