import { z } from 'zod';
import { instantSchema, pointGeometrySchema } from './common.contract.ts';
import { cameraStatuses, cameraVisibilities } from './vocabulary.ts';

/**
 * Cameras and their live streams. A camera's source address is never part of any answer: the
 * platform relays its stream under its own origin, behind a signed URL (`POST /api/cameras/{id}/watch`).
 */

export const cameraStatusSchema = z.enum(cameraStatuses);
export const cameraVisibilitySchema = z.enum(cameraVisibilities);

/** A polygon in GeoJSON (WGS84): a camera's field of view. */
export const polygonGeometrySchema = z.strictObject({
  type: z.literal('Polygon'),
  coordinates: z.array(z.array(z.tuple([z.number(), z.number()]))),
});

/** What anyone allowed to see a camera sees of it. */
export const cameraPropertiesSchema = z.strictObject({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  visibility: cameraVisibilitySchema,
  owner: z.string().nullable().describe('Who runs the camera (e.g. the provincial police), if known'),
  status: cameraStatusSchema,
  lastSeenAt: instantSchema.nullable().describe('When its stream last answered the health checker'),
  bearingDeg: z.number().min(0).max(360).describe('Direction of view, degrees clockwise from north'),
  hfovDeg: z.number().describe('Horizontal field of view (degrees)'),
  rangeM: z.number().describe('Range of view (m)'),
  fieldOfView: polygonGeometrySchema,
});
export type CameraProperties = z.infer<typeof cameraPropertiesSchema>;

export const cameraFeatureSchema = z.strictObject({
  type: z.literal('Feature'),
  id: z.uuid(),
  geometry: pointGeometrySchema,
  properties: cameraPropertiesSchema,
});
export type CameraFeature = z.infer<typeof cameraFeatureSchema>;

/** `GET /api/cameras`: the cameras the caller may watch (public ones; all for the IOC and admins). */
export const cameraCollectionSchema = z.strictObject({
  type: z.literal('FeatureCollection'),
  features: z.array(cameraFeatureSchema),
});
export type CameraCollection = z.infer<typeof cameraCollectionSchema>;

/** `GET /api/cameras/seeing?lon=&lat=`: the cameras whose field of view holds a place, nearest first. */
export const camerasSeeingSchema = z.strictObject({
  cameras: z.array(cameraFeatureSchema.extend({ distanceM: z.number().min(0).describe('From the camera to the place (m)') })),
});
export type CamerasSeeing = z.infer<typeof camerasSeeingSchema>;

/** `POST /api/cameras/{id}/watch` body: live (no body), or rewound to a time of the last minutes. */
export const cameraWatchBodySchema = z.strictObject({
  from: instantSchema.optional().describe('Play what the camera saw from this time (within the rewind window) instead of live'),
});
export type CameraWatchBody = z.infer<typeof cameraWatchBodySchema>;

/** `POST /api/cameras/{id}/watch` answer: a playlist URL signed for this camera, valid until `expiresAt`. */
export const cameraWatchSchema = z.strictObject({
  url: z.string().describe('Path of the signed HLS playlist, under the platform’s origin'),
  expiresAt: instantSchema.describe('Ask again before this (the player renews it)'),
  renewAfterS: z.number().int().min(1).describe('Seconds after which the player should renew the URL'),
  rewindMinutes: z.number().int().min(0).describe('How far back `from` may go'),
});
export type CameraWatch = z.infer<typeof cameraWatchSchema>;

/** `data` of the live feed's `cameraStatusEvent` (vocabulary.ts): a camera's health changed. */
export const cameraStatusEventDataSchema = z.strictObject({
  camera: z.strictObject({ id: z.uuid(), code: z.string(), status: cameraStatusSchema, lastSeenAt: instantSchema.nullable(), visibility: cameraVisibilitySchema }),
});
export type CameraStatusEventData = z.infer<typeof cameraStatusEventDataSchema>;
