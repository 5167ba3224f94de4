import {
  cameraCollectionSchema,
  cameraFeatureSchema,
  camerasSeeingSchema,
  cameraStatusEvent,
  cameraStatusEventDataSchema,
  cameraWatchBodySchema,
  cameraWatchSchema,
  clientConfigSchema,
  feedEventDataSchema,
  feedPositionDataSchema,
  feedPositionEvent,
  feedEventTypes,
  heritageSiteListSchema,
  heritageSiteSchema,
  overdueReportListSchema,
  planChangesSchema,
  planListSchema,
  statisticsReportSchema,
  submissionReceiptSchema,
  whatAppliesHereSchema,
  searchResponseSchema,
} from '@bandoso/contracts';
import { z } from 'zod';
import {
  apiClientBodySchema,
  apiClientIdSchema,
  calendarDaySchema,
  calendarExceptionBodySchema,
  categoryBodySchema,
  categoryCodeSchema,
  passwordBodySchema,
  priorityBodySchema,
  userBodySchema,
  userIdSchema,
  userListQuerySchema,
  userPatchSchema,
} from '../admin/admin.schema.ts';
import { createTokenBodySchema, loginBodySchema } from '../auth/auth.schema.ts';
import { locateQuerySchema } from '../boundaries/boundaries.schema.ts';
import { nearestFacilitiesQuerySchema } from '../emergency/emergency.schema.ts';
import { cameraCreateSchema, cameraIdSchema, cameraPatchSchema, camerasSeeingQuerySchema, segmentNameSchema, streamQuerySchema } from '../cameras/cameras.schema.ts';
import { siteCodeSchema, stopsBodySchema, tilesetVersionSchema } from '../heritage/heritage.schema.ts';
import { searchQuerySchema } from '../search/search.schema.ts';
import { planningAtQuerySchema, planningChangesQuerySchema } from '../planning/planning.schema.ts';
import { citizenInformationSchema, staffActionSchema } from '../reports/report-workflow.schema.ts';
import { duplicateCandidatesQuerySchema, staffListQuerySchema } from '../reports/reports.routes.ts';
import {
  listReportsQuerySchema,
  nearbyQuerySchema,
  ratingBodySchema,
  routingPreviewQuerySchema,
  submitReportSchema,
  trackingCodeSchema,
} from '../reports/reports.schema.ts';
import { overdueListQuerySchema, statisticsQuerySchema } from '../stats/stats.schema.ts';
import { layerIds } from '@bandoso/tiles';
import { anyLayerQuerySchema } from '../tiles/tiles.schema.ts';
import { deliveriesQuerySchema, deliveryIdSchema, putWebhookSchema, webhookQuerySchema } from '../webhooks/webhooks.schema.ts';

/**
 * Every operation of the JSON API, described with the very schemas its route parses requests with,
 * so the published document cannot drift from what the server accepts, and, where a response has a
 * schema in @bandoso/contracts, with the schema its service's return type comes from.
 * `openapi.e2e.test.ts` checks that every `/api` route of every module is listed here.
 */
export type Security = 'session' | 'bearer';

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path, with `{name}` parameters. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  query?: z.ZodType;
  params?: Record<string, z.ZodType>;
  headers?: Record<string, { schema: z.ZodType; description: string; required?: boolean }>;
  body?: { schema: z.ZodType; multipart?: { jsonPart: string; files?: string } };
  /** Who may call it (absent: anyone). */
  roles?: string[];
  /** By status: a description, or a description with the body's schema. */
  responses: Record<number, string | DocumentedResponse>;
  produces?: string;
}

export interface DocumentedResponse {
  description: string;
  /** The body's schema (JSON); the service's return type is its z.infer. */
  schema?: z.ZodType;
  /** For an event stream: the schema of each event type's `data` (JSON). */
  events?: Record<string, z.ZodType>;
}

const uuid = z.string().uuid();
const trackingCode = trackingCodeSchema;
const errors = { 400: 'Invalid request: the message names each problem.' } as const;
const staff = ['officer', 'ioc_operator', 'admin'];
const tileLayer = z.enum(layerIds);
const tileIndex = z.string().regex(/^\d{1,9}$/);

export const operations: Operation[] = [
  { method: 'get', path: '/api/health', tag: 'platform', summary: 'Health: backend and PostGIS version', responses: { 200: 'Healthy', 503: 'The database does not answer' } },
  { method: 'get', path: '/api/client-config', tag: 'platform', summary: 'Settings the map page needs (base map style, centre)', responses: { 200: { description: 'Configuration', schema: clientConfigSchema } } },
  { method: 'get', path: '/api/locate', tag: 'boundaries', summary: 'The province, (district) and commune/ward containing a point on a date', query: locateQuerySchema, responses: { 200: 'Located', ...errors, 404: 'Outside the province, or no boundary set in force' } },

  { method: 'post', path: '/api/auth/login', tag: 'auth', summary: 'Sign in: sets an HTTP-only session cookie and returns the CSRF token', body: { schema: loginBodySchema }, responses: { 200: 'Signed in', 401: 'Wrong e-mail or password' } },
  { method: 'post', path: '/api/auth/logout', tag: 'auth', summary: 'Sign out', responses: { 204: 'Signed out' } },
  { method: 'get', path: '/api/auth/me', tag: 'auth', summary: 'The signed-in user and CSRF token', responses: { 200: 'The user', 401: 'Not signed in' } },
  { method: 'get', path: '/api/auth/session', tag: 'auth', summary: 'The signed-in user and CSRF token, or `user: null` when signed out (no error)', responses: { 200: 'The user, or null' } },
  { method: 'post', path: '/api/auth/tokens', tag: 'auth', summary: 'A bearer token for API clients', body: { schema: loginBodySchema.extend(createTokenBodySchema.shape) }, responses: { 201: 'Token', 401: 'Wrong e-mail or password' } },

  { method: 'get', path: '/api/categories', tag: 'reports', summary: 'Report categories with their deadlines', responses: { 200: 'Categories' } },
  { method: 'get', path: '/api/offices', tag: 'reports', summary: 'Offices that answer reports', responses: { 200: 'Offices' } },
  {
    method: 'post',
    path: '/api/reports',
    tag: 'reports',
    summary: 'Send a report (JSON, or multipart with a "report" JSON part and up to 5 "photos")',
    description: 'Routed by point-in-polygon to the commune and by category to the office. Rate-limited per client.',
    headers: { 'Idempotency-Key': { schema: z.string().min(8).max(200), description: 'Makes a retried submission create exactly one report (a replay answers 200).' } },
    body: { schema: submitReportSchema, multipart: { jsonPart: 'report', files: 'photos' } },
    responses: {
      201: { description: 'Created: tracking code, commune, office, deadlines, reporter token', schema: submissionReceiptSchema },
      200: { description: 'Replay of an earlier submission (the same receipt)', schema: submissionReceiptSchema },
      ...errors,
      404: 'Outside the province',
      409: 'Idempotency-Key reused for another report',
      413: 'Too large',
      415: 'Unsupported photo or body type',
      429: 'Too many submissions',
    },
  },
  { method: 'get', path: '/api/reports', tag: 'reports', summary: 'Public list and search', query: listReportsQuerySchema, responses: { 200: 'Reports (public fields only)', ...errors } },
  { method: 'get', path: '/api/reports/nearby', tag: 'reports', summary: 'Open reports of a category near a point ("already reported?")', query: nearbyQuerySchema, produces: 'application/geo+json', responses: { 200: 'FeatureCollection', ...errors } },
  { method: 'get', path: '/api/reports/routing-preview', tag: 'reports', summary: 'Which commune and office would receive a report here', query: routingPreviewQuerySchema, responses: { 200: 'Commune and office', ...errors, 404: 'Outside the province' } },
  {
    method: 'get',
    path: '/api/reports/events',
    tag: 'reports',
    summary: 'Live feed of report events (Server-Sent Events; resume with Last-Event-ID)',
    description:
      'Each event has an id (resume after it with Last-Event-ID or ?lastEventId=), a type (report.created, report.updated) and JSON data; x-events gives the schema of each type’s data. Every stream starts with a feed.position event whose id is the position it starts after, so a client that loses the stream before any report event resumes without a gap.',
    produces: 'text/event-stream',
    responses: { 200: { description: 'Event stream', events: { ...Object.fromEntries(feedEventTypes.map((type) => [type, feedEventDataSchema])), [feedPositionEvent]: feedPositionDataSchema, [cameraStatusEvent]: cameraStatusEventDataSchema } } },
  },
  { method: 'get', path: '/api/reports/{trackingCode}', tag: 'reports', summary: 'A report’s public view and timeline', params: { trackingCode }, responses: { 200: 'Report', ...errors, 404: 'Unknown tracking code' } },
  { method: 'post', path: '/api/reports/{trackingCode}/rating', tag: 'reports', summary: 'The reporter rates the answer (not satisfied reopens it)', params: { trackingCode }, body: { schema: ratingBodySchema }, responses: { 200: 'Rated', ...errors, 403: 'Not the reporter', 409: 'Not resolved, or already rated' } },
  { method: 'post', path: '/api/reports/{trackingCode}/information', tag: 'reports', summary: 'The reporter adds the information the office asked for', params: { trackingCode }, body: { schema: citizenInformationSchema, multipart: { jsonPart: 'information', files: 'photos' } }, responses: { 200: 'Added', 403: 'Not the reporter', 409: 'No information was asked for' } },
  { method: 'post', path: '/api/reports/{trackingCode}/follow', tag: 'reports', summary: 'Follow a report instead of sending a duplicate', params: { trackingCode }, responses: { 201: 'Following', 404: 'Unknown tracking code' } },
  { method: 'get', path: '/api/photos/{photoId}', tag: 'reports', summary: 'A photo’s public copy (resized, metadata stripped)', params: { photoId: uuid }, produces: 'image/jpeg', responses: { 200: 'Image', 404: 'Unknown photo' } },

  { method: 'get', path: '/api/staff/reports', tag: 'staff', summary: 'Reports of the caller’s office (all offices for IOC and admins)', query: staffListQuerySchema, roles: staff, responses: { 200: 'Reports', 401: 'Not signed in', 403: 'Wrong role' } },
  { method: 'get', path: '/api/staff/reports/{reportId}', tag: 'staff', summary: 'A report with its internal timeline, location check and (where allowed) the reporter’s contact', params: { reportId: uuid }, roles: staff, responses: { 200: 'Report', 404: 'Not among the caller’s reports' } },
  {
    method: 'get',
    path: '/api/staff/reports/{reportId}/transfer-options',
    tag: 'staff',
    summary: 'Offices the report could be transferred to: those that handle its category and cover its place first, then the rest; nearest first',
    params: { reportId: uuid },
    roles: staff,
    responses: { 200: '{ offices: [{ code, name, nameEn, handlesCategory, coversPlace, distanceM }] }', 404: 'Not among the caller’s reports' },
  },
  {
    method: 'get',
    path: '/api/staff/reports/{reportId}/duplicate-candidates',
    tag: 'staff',
    summary: 'Other reports near this one (radiusM, default 500, at most 2000) that are not duplicates: same category first, then nearest; at most 20',
    params: { reportId: uuid },
    query: duplicateCandidatesQuerySchema,
    roles: staff,
    responses: { 200: '{ reports: [{ trackingCode, category, status, description, createdAt, distanceM }] }', ...errors, 404: 'Not among the caller’s reports' },
  },
  { method: 'post', path: '/api/staff/reports/{reportId}/actions', tag: 'staff', summary: 'Act on a report: accept, start, request information, resume, resolve, reject, transfer, mark a duplicate, confirm location, note', params: { reportId: uuid }, body: { schema: staffActionSchema, multipart: { jsonPart: 'action', files: 'photos' } }, roles: staff, responses: { 200: 'The report after the action', ...errors, 404: 'Not among the caller’s reports', 409: 'Not possible in the report’s state' } },
  { method: 'get', path: '/api/staff/photos/{photoId}/original', tag: 'staff', summary: 'The private original of a photo (evidence)', params: { photoId: uuid }, roles: staff, produces: 'application/octet-stream', responses: { 200: 'Original bytes', 404: 'Not among the caller’s reports' } },
  { method: 'put', path: '/api/staff/webhook', tag: 'webhooks', summary: 'Set the office’s document-system webhook', body: { schema: putWebhookSchema }, roles: ['officer', 'admin'], responses: { 200: 'Webhook (a new secret is shown once)', ...errors } },
  { method: 'get', path: '/api/staff/webhook', tag: 'webhooks', summary: 'The office’s webhook', query: webhookQuerySchema, roles: staff, responses: { 200: 'Webhook' } },
  { method: 'get', path: '/api/staff/webhook/deliveries', tag: 'webhooks', summary: 'Delivery log', query: deliveriesQuerySchema, roles: staff, responses: { 200: 'Deliveries and attempts' } },
  { method: 'post', path: '/api/staff/webhook/deliveries/{deliveryId}/redeliver', tag: 'webhooks', summary: 'Send a delivery again (same id and body)', params: { deliveryId: deliveryIdSchema }, roles: ['officer', 'admin'], responses: { 200: 'Queued again' } },
  { method: 'post', path: '/api/webhooks/inbound/{officeCode}', tag: 'webhooks', summary: 'Signed status update from an office’s document system', params: { officeCode: z.string() }, description: 'Signed with Standard Webhooks headers webhook-id, webhook-timestamp and webhook-signature (v1, HMAC-SHA256 over "<id>.<timestamp>.<raw body>"), or, until 0.3.0, the deprecated X-Bandoso-Timestamp and X-Bandoso-Signature (HMAC-SHA256 over "<timestamp>.<raw body>"). See docs/webhooks.md.', responses: { 200: 'Applied', 401: 'Bad signature', 404: 'Unknown office or report', 409: 'Impossible transition or reused externalId' } },

  { method: 'get', path: '/api/stats', tag: 'statistics', summary: 'Statistics per commune, office, category or day (JSON or CSV)', query: statisticsQuerySchema, produces: 'application/json, text/csv', responses: { 200: { description: 'Statistics (the JSON schema; CSV has one line per group)', schema: statisticsReportSchema }, ...errors } },
  { method: 'get', path: '/api/stats/overdue', tag: 'statistics', summary: 'Open reports past their deadline (public fields)', query: overdueListQuerySchema, responses: { 200: { description: 'Overdue reports', schema: overdueReportListSchema }, ...errors } },

  { method: 'get', path: '/api/facilities/nearest', tag: 'emergency', summary: 'Nearest police station, fire station or hospital, with distance', query: nearestFacilitiesQuerySchema, responses: { 200: 'Facilities', ...errors } },
  {
    method: 'get',
    path: '/api/search',
    tag: 'search',
    summary: 'Places by name: communes, heritage sites, emergency facilities, planning zones, streets, places and points of interest; accents and small typos forgiven; best match first, then nearer to lon/lat',
    query: searchQuerySchema,
    responses: { 200: { description: 'Results', schema: searchResponseSchema }, ...errors },
  },
  { method: 'get', path: '/api/planning/plans', tag: 'planning', summary: 'Plans and their versions', responses: { 200: { description: 'Plans', schema: planListSchema } } },
  { method: 'get', path: '/api/planning/at', tag: 'planning', summary: 'What applies at a point: zones with land use, density, height, FAR, decision', query: planningAtQuerySchema, responses: { 200: { description: 'Zones', schema: whatAppliesHereSchema }, ...errors } },
  { method: 'get', path: '/api/planning/changes', tag: 'planning', summary: 'What changed between two versions of a plan', query: planningChangesQuerySchema, responses: { 200: { description: 'Changes', schema: planChangesSchema }, ...errors } },

  { method: 'get', path: '/api/cameras', tag: 'cameras', summary: 'Cameras the caller may watch (GeoJSON): public ones for everyone, all for IOC operators and admins; health, view cone; never the source address', produces: 'application/geo+json', responses: { 200: { description: 'Cameras', schema: cameraCollectionSchema } } },
  { method: 'get', path: '/api/cameras/seeing', tag: 'cameras', summary: 'Cameras whose field of view holds a place, nearest first (of those the caller may watch)', query: camerasSeeingQuerySchema, responses: { 200: { description: 'Cameras', schema: camerasSeeingSchema }, ...errors } },
  {
    method: 'post',
    path: '/api/cameras/{id}/watch',
    tag: 'cameras',
    summary: 'A signed HLS playlist URL for a camera (valid ≤ 5 minutes, bound to the camera): live, or rewound with "from"',
    params: { id: cameraIdSchema },
    body: { schema: cameraWatchBodySchema },
    responses: { 200: { description: 'Signed URL', schema: cameraWatchSchema }, ...errors, 401: 'Restricted camera: sign in', 403: 'Restricted camera: IOC operators and admins only', 404: 'No camera in service with this id' },
  },
  {
    method: 'get',
    path: '/api/cameras/{id}/stream.m3u8',
    tag: 'cameras',
    summary: 'The camera’s HLS playlist, relayed (segment URIs carry the same signature); with from=, the recording from that time',
    params: { id: cameraIdSchema },
    query: streamQuerySchema,
    produces: 'application/vnd.apple.mpegurl',
    responses: { 200: 'Playlist', 403: 'Missing, altered or expired signature', 404: 'Nothing recorded at that time', 503: 'The camera cannot be reached (Retry-After)' },
  },
  {
    method: 'get',
    path: '/api/cameras/{id}/segments/{name}',
    tag: 'cameras',
    summary: 'A segment of a relayed playlist (one upstream fetch per segment, however many watch)',
    params: { id: cameraIdSchema, name: segmentNameSchema },
    query: streamQuerySchema.pick({ exp: true, sig: true }),
    produces: 'video/mp2t',
    responses: { 200: 'Segment', 403: 'Missing, altered or expired signature', 404: 'No longer kept: reload the playlist', 503: 'The camera cannot be reached (Retry-After)' },
  },
  { method: 'get', path: '/api/admin/cameras', tag: 'cameras', summary: 'The registry: every camera, retired ones too', roles: ['ioc_operator', 'admin'], responses: { 200: 'Cameras' } },
  {
    method: 'post',
    path: '/api/admin/cameras',
    tag: 'cameras',
    summary: 'Register a camera (inside the province; bearing 0–360; range ≤ 5 km; an http(s) HLS source at a public address or in CAMERA_ALLOWED_NETWORKS); audited',
    body: { schema: cameraCreateSchema },
    roles: ['ioc_operator', 'admin'],
    responses: { 201: { description: 'The camera', schema: cameraFeatureSchema }, ...errors, 409: 'The code is taken' },
  },
  {
    method: 'patch',
    path: '/api/admin/cameras/{id}',
    tag: 'cameras',
    summary: 'Edit a camera (any of its fields; lon and lat together); audited',
    params: { id: cameraIdSchema },
    body: { schema: cameraPatchSchema },
    roles: ['ioc_operator', 'admin'],
    responses: { 200: { description: 'The camera', schema: cameraFeatureSchema }, ...errors, 404: 'No camera in service with this id' },
  },
  { method: 'delete', path: '/api/admin/cameras/{id}', tag: 'cameras', summary: 'Retire a camera (it leaves the map; its history stays); audited', params: { id: cameraIdSchema }, roles: ['ioc_operator', 'admin'], responses: { 204: 'Retired', 404: 'No camera in service with this id' } },
  { method: 'get', path: '/api/admin/cameras/{id}/events', tag: 'cameras', summary: 'A camera’s audit trail: who changed what, when (the source address only as "changed")', params: { id: cameraIdSchema }, roles: ['ioc_operator', 'admin'], responses: { 200: 'Events', 404: 'No such camera' } },

  { method: 'get', path: '/api/heritage', tag: 'heritage', summary: 'Heritage sites: name, rank, position, 3D tileset (absolute URL) and tour length; sites with a tileset first', responses: { 200: { description: 'Sites', schema: heritageSiteListSchema } } },
  {
    method: 'get',
    path: '/api/heritage/{code}',
    tag: 'heritage',
    summary: 'One heritage site and its guided 3D tour (stops: camera pose in the site’s east-north-up metres, title and narration in Vietnamese and English)',
    params: { code: siteCodeSchema },
    responses: { 200: { description: 'The site and its tour', schema: heritageSiteSchema }, ...errors, 404: 'No site with this code' },
  },
  {
    method: 'put',
    path: '/api/admin/heritage/{code}/stops',
    tag: 'heritage',
    summary: 'Replace a site’s tour (1–30 stops, ordinals 1..n; texts in both languages; the camera within 1000 m of the site horizontally and -50..1500 m up, looking within 1000 m)',
    params: { code: siteCodeSchema },
    body: { schema: stopsBodySchema },
    roles: ['admin'],
    responses: { 200: { description: 'The site with its new tour', schema: heritageSiteSchema }, ...errors, 404: 'No site with this code' },
  },
  {
    method: 'get',
    path: '/heritage/tilesets/{code}/{version}/{path}',
    tag: 'heritage',
    summary: 'A file of a site’s 3D Tiles tileset (tileset.json, .glb contents…): only its current version; immutable (cached a year), strong ETag and 304, gzip for JSON, CORS *',
    description: '{path} is the file’s path inside the tileset and may hold "/" (e.g. tiles/root.glb). The tileset.json URL of each site is in GET /api/heritage.',
    params: { code: siteCodeSchema, version: tilesetVersionSchema, path: z.string() },
    produces: 'application/json, model/gltf-binary, model/gltf+json, application/octet-stream, image/png, image/jpeg, image/webp, image/ktx2',
    responses: { 200: 'The file', 304: 'The client holds this file', ...errors, 404: 'Not a file of the site’s current tileset' },
  },

  { method: 'put', path: '/api/admin/categories/{code}', tag: 'admin', summary: 'Create or update a category and its deadlines', params: { code: categoryCodeSchema }, body: { schema: categoryBodySchema }, roles: ['admin'], responses: { 204: 'Saved', ...errors } },
  { method: 'put', path: '/api/admin/priorities/{code}', tag: 'admin', summary: 'Handling deadline of a priority (working minutes)', params: { code: z.enum(['urgent', 'normal', 'complex']) }, body: { schema: priorityBodySchema }, roles: ['admin'], responses: { 204: 'Saved' } },
  { method: 'get', path: '/api/calendar', tag: 'admin', summary: 'Public holidays and make-up working days', responses: { 200: 'Days' } },
  { method: 'put', path: '/api/admin/calendar/{day}', tag: 'admin', summary: 'Add or change a holiday or make-up working day', params: { day: calendarDaySchema }, body: { schema: calendarExceptionBodySchema }, roles: ['admin'], responses: { 204: 'Saved' } },
  { method: 'delete', path: '/api/admin/calendar/{day}', tag: 'admin', summary: 'Remove a calendar exception', params: { day: calendarDaySchema }, roles: ['admin'], responses: { 204: 'Removed', 404: 'Not in the calendar' } },
  { method: 'post', path: '/api/admin/users', tag: 'admin', summary: 'Create an account', body: { schema: userBodySchema }, roles: ['admin'], responses: { 201: 'Created', ...errors } },
  { method: 'get', path: '/api/admin/users', tag: 'admin', summary: 'Accounts, filtered by words of the e-mail or name (q), role and office', query: userListQuerySchema, roles: ['admin'], responses: { 200: '{ users: [{ id, email, displayName, role, office, active, createdAt }] }', ...errors } },
  {
    method: 'patch',
    path: '/api/admin/users/{id}',
    tag: 'admin',
    summary: 'Change an account (name, role, office, active); deactivating ends its sessions',
    params: { id: userIdSchema },
    body: { schema: userPatchSchema },
    roles: ['admin'],
    responses: { 200: 'The account', ...errors, 404: 'No such account', 409: 'An admin cannot deactivate themselves or give up their own admin role' },
  },
  { method: 'post', path: '/api/admin/users/{id}/password', tag: 'admin', summary: 'Set a new password (at least 10 characters); ends the account’s sessions', params: { id: userIdSchema }, body: { schema: passwordBodySchema }, roles: ['admin'], responses: { 204: 'Set', ...errors, 404: 'No such account' } },
  { method: 'get', path: '/api/admin/categories', tag: 'admin', summary: 'Every category as the admin form edits it, inactive ones too', roles: ['admin'], responses: { 200: 'Categories' } },
  { method: 'get', path: '/api/admin/priorities', tag: 'admin', summary: 'Priorities and their handling deadlines (working minutes)', roles: ['admin'], responses: { 200: 'Priorities' } },
  { method: 'get', path: '/styles/default.json', tag: 'tiles', summary: 'The composed MapLibre style (base map and platform layers, absolute URLs on the origin asked), for QGIS and other MapLibre clients; ETag, 304 on If-None-Match', responses: { 200: 'MapLibre style (version 8)', 304: 'The client holds this style' } },
  { method: 'get', path: '/tiles', tag: 'tiles', summary: 'Catalog of the vector tile layers, with their TileJSON addresses', responses: { 200: 'Catalog' } },
  { method: 'get', path: '/tiles/{layer}.json', tag: 'tiles', summary: "TileJSON 3.0.0 of a layer (its filters in the query make the tiles' address carry them)", params: { layer: tileLayer }, query: anyLayerQuerySchema, responses: { 200: 'TileJSON', ...errors, 404: 'No such layer' } },
  {
    method: 'get',
    path: '/tiles/{layer}/{z}/{x}/{y}.mvt',
    tag: 'tiles',
    summary: 'A Mapbox vector tile: gzip when accepted, strong ETag, 304 on If-None-Match; reports are clusters below zoom 13',
    params: { layer: tileLayer, z: tileIndex, x: tileIndex, y: tileIndex },
    query: anyLayerQuerySchema,
    produces: 'application/vnd.mapbox-vector-tile',
    responses: { 200: 'The tile', 204: 'No feature in this tile', 304: 'The client holds this tile', ...errors, 404: 'No such layer' },
  },
  { method: 'post', path: '/api/admin/api-clients', tag: 'admin', summary: 'Create an Open311 API client (the key is shown once)', body: { schema: apiClientBodySchema }, roles: ['admin'], responses: { 201: 'Created' } },
  { method: 'get', path: '/api/admin/api-clients', tag: 'admin', summary: 'Open311 API clients (never their keys)', roles: ['admin'], responses: { 200: '{ clients: [{ id, name, active, createdAt }] }' } },
  { method: 'delete', path: '/api/admin/api-clients/{id}', tag: 'admin', summary: 'Revoke an Open311 API client: its key stops working at once', params: { id: apiClientIdSchema }, roles: ['admin'], responses: { 204: 'Revoked', ...errors, 404: 'No such client' } },
];
