import { z } from 'zod';
import { isRealDateOrDateTime } from '../../http/validate-input.ts';
import { idempotencyKeySchema } from '../reports/reports.schema.ts';

/**
 * Input of the Open311 GeoReport v2 endpoints, in the spec's own parameter names. The spec's rule for
 * optional arguments holds throughout: an empty parameter means the same as an absent one.
 */

/** The one jurisdiction this endpoint serves (the spec suggests the jurisdiction's web domain). */
export const OPEN311_JURISDICTION_ID = 'dienbien.gov.vn';
/** The spec's default window and page: the last 90 days, at most 1000 requests. */
export const DEFAULT_WINDOW_DAYS = 90;
export const MAX_REQUESTS_PER_QUERY = 1000;
/** `service_request_id` lists are looked up one by one: keep them short. */
export const MAX_IDS_PER_QUERY = 100;
/** The spec limits descriptions to 4,000 characters. */
export const MAX_DESCRIPTION_CHARACTERS = 4000;
/** A media URL is kept in the description (we cannot fetch it), which holds 5,000 characters in all. */
export const MAX_MEDIA_URL_CHARACTERS = 950;

export type Open311Locale = 'vi' | 'en';

/** Absent, empty and null are the same; numbers and booleans (JSON bodies) are read as their text. */
function normalizeParameter(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string' && value.trim() === '') return undefined;
  return value;
}

/** A parameter given once, as text. */
const text = (name: string, max: number) =>
  z.preprocess(
    normalizeParameter,
    z
      .string({ error: `${name} must be given once, as text` })
      .transform((value) => value.normalize('NFC').trim())
      .refine((value) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value), { message: `${name} contains control characters` })
      .refine((value) => value.length <= max, { message: `${name} must be at most ${max} characters` })
      .optional(),
  );

/** A list parameter: comma-separated, and/or repeated (`status=open&status=closed`). */
const list = (name: string, maxItems: number) =>
  z.preprocess(
    (value) => {
      const normalized = normalizeParameter(value);
      if (Array.isArray(normalized)) return normalized.map((item) => normalizeParameter(item)).filter((item) => item !== undefined).join(',') || undefined;
      return normalized;
    },
    z
      .string({ error: `${name} must be text: values separated by commas` })
      .max(10_000, `${name} is too long`)
      .transform((value) => [...new Set(value.split(',').map((item) => item.trim()).filter(Boolean))])
      .refine((items) => items.length <= maxItems, { message: `${name} takes at most ${maxItems} values` })
      .optional(),
  );

const decimalDegrees = (name: 'lat' | 'long', limit: number) =>
  z.preprocess(
    normalizeParameter,
    z
      .string({ error: `${name} must be given once, in decimal degrees (WGS84)` })
      .trim()
      .regex(/^[-+]?(\d+(\.\d*)?|\.\d+)$/, `${name} must be a decimal number of degrees (WGS84), e.g. ${name === 'lat' ? '21.3860' : '103.0169'}`)
      .transform(Number)
      .refine((value) => Math.abs(value) <= limit, {
        message: name === 'lat' ? 'lat must be between -90 and 90 (Điện Biên is near lat=21.4, long=103.0: were lat and long swapped?)' : 'long must be between -180 and 180',
      })
      .optional(),
  );

/**
 * A W3C date-time (the spec's format, e.g. 2026-01-31T08:00:00+07:00), or a bare date meaning that
 * day in Vietnam time. A "+" that a client left unencoded in the URL arrives as a space: read it back.
 */
const w3cDateTime = (name: string) =>
  z.preprocess(
    (value) => {
      const normalized = normalizeParameter(value);
      return typeof normalized === 'string' ? normalized.trim().replace(/ (\d{2}:?\d{2})$/, '+$1') : normalized;
    },
    z
      .string({ error: `${name} must be given once` })
      .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value), {
        message: `${name} must be a W3C date-time with a time zone, e.g. 2026-01-31T08:00:00+07:00 or 2026-01-31T01:00:00Z (a bare date, 2026-01-31, means that day in Vietnam time)`,
      })
      .refine((value) => isRealDateOrDateTime(value), { message: `${name} is not a real date` })
      .optional(),
  );

export const jurisdictionSchema = text('jurisdiction_id', 200);

/** `locale=en` (or en-US…) answers names in English; anything else, or nothing, in Vietnamese. */
export const localeSchema = z.preprocess(
  normalizeParameter,
  z
    .string()
    .optional()
    .catch(undefined)
    .transform((value): Open311Locale | undefined => (value === undefined ? undefined : /^en(\b|[-_])/i.test(value.trim()) ? 'en' : 'vi')),
);

export const listRequestsQuerySchema = z.object({
  service_request_id: list('service_request_id', MAX_IDS_PER_QUERY).transform((ids) => ids?.map((id) => id.toUpperCase())),
  service_code: list('service_code', 100),
  start_date: w3cDateTime('start_date'),
  end_date: w3cDateTime('end_date'),
  status: list('status', 2)
    .refine((items) => items === undefined || items.every((item) => item === 'open' || item === 'closed'), {
      message: 'status must be open, closed, or both separated by a comma',
    })
    .transform((items) => items as Array<'open' | 'closed'> | undefined),
});

export type ListRequestsQuery = z.infer<typeof listRequestsQuerySchema>;

const booleanAttribute = (name: string) =>
  z.preprocess(
    normalizeParameter,
    z
      .string({ error: `${name} must be true or false` })
      .trim()
      .toLowerCase()
      .refine((value) => ['true', 'false', '1', '0', 'yes', 'no'].includes(value), { message: `${name} must be true or false` })
      .transform((value) => ['true', '1', 'yes'].includes(value))
      .optional(),
  );

/** The one attribute this endpoint reads (see the service definition): may the office contact the person? */
export const CONSENT_ATTRIBUTE = 'consent_to_contact';

export const createRequestBodySchema = z
  .object({
    service_code: z.preprocess(
      normalizeParameter,
      z.string({ error: 'service_code is required: a code from GET services.xml' }).trim().min(1).max(60, 'service_code must be at most 60 characters'),
    ),
    lat: decimalDegrees('lat', 90),
    long: decimalDegrees('long', 180),
    address_string: text('address_string', 500),
    address_id: text('address_id', 200),
    email: text('email', 200),
    device_id: text('device_id', 200),
    account_id: text('account_id', 200),
    first_name: text('first_name', 100),
    last_name: text('last_name', 100),
    phone: text('phone', 40),
    description: text('description', MAX_DESCRIPTION_CHARACTERS),
    media_url: text('media_url', MAX_MEDIA_URL_CHARACTERS).refine((value) => value === undefined || isWebUrl(value), {
      message: 'media_url must be an http:// or https:// URL',
    }),
    // Form bodies carry attributes as `attribute[code]=value`; JSON bodies may nest them.
    'attribute[consent_to_contact]': booleanAttribute('attribute[consent_to_contact]'),
    attribute: z
      .preprocess(
        (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined),
        z.object({ consent_to_contact: booleanAttribute('attribute[consent_to_contact]') }).optional(),
      )
      .optional(),
  })
  .superRefine((value, context) => {
    if ((value.lat === undefined) !== (value.long === undefined)) {
      context.addIssue({ code: 'custom', path: [value.lat === undefined ? 'lat' : 'long'], message: 'lat and long must be sent together' });
    } else if (value.lat === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['lat'],
        message:
          value.address_string || value.address_id
            ? 'lat and long are required: this server places requests by WGS84 coordinates and cannot locate address_string or address_id alone (send them with lat and long)'
            : 'lat and long are required (WGS84 decimal degrees)',
      });
    }
  })
  .transform((value) => ({
    serviceCode: value.service_code,
    latitude: value.lat as number,
    longitude: value.long as number,
    addressString: value.address_string,
    email: value.email,
    accountId: value.account_id,
    firstName: value.first_name,
    lastName: value.last_name,
    phone: value.phone,
    description: value.description,
    mediaUrl: value.media_url,
    consentToContact: value['attribute[consent_to_contact]'] ?? value.attribute?.consent_to_contact ?? false,
  }));

export type CreateRequestInput = z.infer<typeof createRequestBodySchema>;

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** `api_key`: an opaque secret; longer than any key we issue is wrong without asking the database. */
export const apiKeySchema = z.preprocess(normalizeParameter, z.string().trim().min(1).max(200).optional().catch(undefined));

/**
 * Partners' Idempotency-Key header: the API's key rules, shorter, because it is stored prefixed with
 * the partner's id (one partner's keys never meet another's or a citizen's).
 */
export const partnerIdempotencyKeySchema = idempotencyKeySchema.refine((value) => value.length <= 150, {
  message: 'Idempotency-Key must be at most 150 characters here',
});

/** A tracking code (`DB-7K3M9Q`) as it appears in a path; anything else simply matches nothing. */
export const requestIdSchema = z.string().trim().toUpperCase().max(40);
