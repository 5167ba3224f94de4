import { cameraStatuses, cameraVisibilities } from '@bandoso/contracts';
import { z } from 'zod';
import { coordinate } from '../boundaries/boundaries.schema.ts';

export const cameraIdSchema = z.uuid({ error: 'The camera id must be a UUID, as GET /api/cameras gives it.' });

/**
 * A file a relayed playlist names: a segment (the relay's sequence number and the upstream's
 * extension), an fMP4 init section (`init-<seq>.mp4`) or a key (`key-<seq>.key`).
 */
export const segmentNameSchema = z.string().regex(/^(?:(?:init-)?\d{1,15}\.(?:ts|m4s|mp4|aac)|key-\d{1,15}\.key)$/, 'Not a segment of this stream.');

export const camerasSeeingQuerySchema = z.object({
  lon: coordinate('lon', 180),
  lat: coordinate('lat', 90),
});

export const streamQuerySchema = z.object({
  exp: z.string().optional(),
  sig: z.string().optional(),
  from: z.iso.datetime({ offset: true, error: 'from must be an ISO 8601 time with its offset, e.g. 2026-12-04T10:15:00+07:00' }).optional(),
});

const cameraFields = {
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$/, 'code: 2 to 40 letters, digits, "-" or "_" (e.g. CAM-013)'),
  name: z.string().trim().min(1, 'name is required').max(200),
  lon: z.number({ error: 'lon must be a number (WGS84 longitude)' }).min(-180).max(180),
  lat: z.number({ error: 'lat must be a number (WGS84 latitude)' }).min(-90).max(90),
  bearingDeg: z.number({ error: 'bearingDeg must be a number' }).min(0, 'bearingDeg: 0 to 360 degrees clockwise from north').max(360, 'bearingDeg: 0 to 360 degrees clockwise from north'),
  hfovDeg: z.number({ error: 'hfovDeg must be a number' }).gt(0, 'hfovDeg: more than 0, at most 360 degrees').max(360, 'hfovDeg: more than 0, at most 360 degrees'),
  rangeM: z.number({ error: 'rangeM must be a number' }).gt(0, 'rangeM: more than 0, at most 5000 m').max(5000, 'rangeM: more than 0, at most 5000 m'),
  streamUrl: z.url({ protocol: /^https?$/, error: "streamUrl must be the camera's HLS playlist at an http:// or https:// address" }).max(2000),
  visibility: z.enum(cameraVisibilities, { error: 'visibility: public (anyone may watch) or restricted (IOC and admins)' }),
  owner: z.string().trim().max(200).nullable(),
  status: z.enum(cameraStatuses, { error: `status: one of ${cameraStatuses.join(', ')}` }),
};

export const cameraCreateSchema = z.strictObject({
  ...cameraFields,
  visibility: cameraFields.visibility.default('restricted'),
  owner: cameraFields.owner.default(null),
  status: cameraFields.status.default('online'),
});
export type CameraCreateInput = z.infer<typeof cameraCreateSchema>;

export const cameraPatchSchema = z
  .strictObject({
    name: cameraFields.name,
    lon: cameraFields.lon,
    lat: cameraFields.lat,
    bearingDeg: cameraFields.bearingDeg,
    hfovDeg: cameraFields.hfovDeg,
    rangeM: cameraFields.rangeM,
    streamUrl: cameraFields.streamUrl,
    visibility: cameraFields.visibility,
    owner: cameraFields.owner,
    status: cameraFields.status,
  })
  .partial()
  .refine((patch) => (patch.lon === undefined) === (patch.lat === undefined), { message: 'lon and lat are changed together' })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'Nothing to change: give at least one field' });
export type CameraPatchInput = z.infer<typeof cameraPatchSchema>;
