import { reportStatuses, trackingCodePattern } from '@bandoso/contracts';
import geojsonValidation from 'geojson-validation';
import { z } from 'zod';
import { coordinate, isoDateOrDateTimeNamed } from '../boundaries/boundaries.schema.ts';

/** Strings people type: trimmed, Unicode-normalised (NFC keeps Vietnamese diacritics comparable), no control characters. */
export const humanText = (max: number) =>
  z
    .string()
    .transform((value) => value.normalize('NFC').trim())
    .refine((value) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value), { message: 'contains control characters' })
    .refine((value) => value.length <= max, { message: `must be at most ${max} characters` });

/** A GeoJSON Point in WGS84, [longitude, latitude], checked with geojson-validation and for swapped axes. */
export const pointSchema = z
  .unknown()
  .superRefine((value, context) => {
    if (!geojsonValidation.valid(value) || (value as { type?: unknown }).type !== 'Point') {
      context.addIssue({ code: 'custom', message: 'location must be a GeoJSON Point: { "type": "Point", "coordinates": [longitude, latitude] }' });
      return;
    }
    const coordinates = (value as { coordinates: unknown[] }).coordinates;
    const [longitude, latitude] = coordinates as [unknown, unknown];
    if (coordinates.length !== 2 || typeof longitude !== 'number' || typeof latitude !== 'number' || !Number.isFinite(longitude) || !Number.isFinite(latitude)) {
      context.addIssue({ code: 'custom', message: 'location.coordinates must be two numbers: [longitude, latitude]' });
      return;
    }
    if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
      const swapped = Math.abs(longitude) <= 90 && Math.abs(latitude) <= 180;
      context.addIssue({
        code: 'custom',
        message: swapped
          ? 'location.coordinates are out of range; they look swapped: GeoJSON wants [longitude, latitude] (Điện Biên is near [103.0, 21.4])'
          : 'location.coordinates are out of range: longitude must be within ±180 and latitude within ±90',
      });
    }
  })
  .transform((value) => {
    const [longitude, latitude] = (value as { coordinates: [number, number] }).coordinates;
    return { longitude, latitude };
  });

const vietnamesePhone = z
  .string()
  .transform((value) => value.replace(/[\s.()-]/g, ''))
  .refine((value) => /^(\+84|0084|0)\d{8,10}$/.test(value), { message: 'phone must be a Vietnamese phone number, e.g. 0912 345 678 or +84 912 345 678' });

export const reporterSchema = z
  .object({
    name: humanText(200).optional(),
    phone: vietnamesePhone.optional(),
    email: z.string().trim().toLowerCase().email('email must be an e-mail address').max(200).optional(),
    consentToContact: z.boolean().default(false),
  })
  .strict();

export const submitReportSchema = z
  .object({
    category: z.string({ error: 'category is required (a code from GET /api/categories)' }).trim().min(1, 'category is required').max(60),
    description: humanText(5000).refine((value) => value.length >= 5, { message: 'description must say what the problem is (at least 5 characters)' }),
    location: pointSchema,
    accuracyM: z.number().min(0, 'accuracyM cannot be negative').max(100_000).optional(),
    address: humanText(500).optional(),
    reporter: reporterSchema.optional(),
  })
  .strict();

export type SubmitReportInput = z.infer<typeof submitReportSchema>;

export const idempotencyKeySchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.:-]{8,200}$/, 'Idempotency-Key must be 8–200 characters of letters, digits and _ . : - (a UUID is ideal)');

export const trackingCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(trackingCodePattern, 'a tracking code looks like DB-7K3M9Q');

const commaList = <T extends string>(values: readonly [T, ...T[]], name: string) =>
  z
    .string()
    .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values, { error: `${name} must be one or more of ${values.join(', ')}, separated by commas` })).min(1));

export const nearbyQuerySchema = z
  .object({
    lon: coordinate('lon', 180),
    lat: coordinate('lat', 90),
    category: z.string().trim().min(1).max(60),
    radius: z.coerce.number().min(10).max(5000).optional(),
  })
  .strict();

/** A commune or ward: its official 5-digit code (the report's `commune.code`). */
export const communeCodeSchema = z.string().trim().regex(/^\d{5}$/, 'commune is an official 5-digit code');

export const listReportsQuerySchema = z
  .object({
    commune: communeCodeSchema.optional(),
    category: z.string().trim().min(1).max(400).optional(),
    status: commaList(reportStatuses, 'status').optional(),
    from: isoDateOrDateTimeNamed('from').optional(),
    to: isoDateOrDateTimeNamed('to').optional(),
    q: humanText(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict();

export const ratingBodySchema = z
  .object({
    token: z.string().trim().min(20).max(200).optional(),
    rating: z.enum(['satisfied', 'not_satisfied'], { error: 'rating must be "satisfied" or "not_satisfied"' }),
    comment: humanText(2000).optional(),
  })
  .strict();

export const followBodySchema = z.object({}).strict();

export const routingPreviewQuerySchema = z
  .object({ lon: coordinate('lon', 180), lat: coordinate('lat', 90), category: z.string().trim().min(1).max(60) })
  .strict();
