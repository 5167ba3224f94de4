/**
 * Words the platform and its clients share, other than the report statuses (report-status.ts).
 * Plain values, no zod: the map client bundles this file. The `*.contract.ts` files hold the zod
 * schemas; the client imports only their types.
 */

/** A tracking code, read over the phone: "DB-" and six characters of Crockford's base 32 (no I, L, O, U). */
export const trackingCodePattern = /^DB-[0-9A-HJKMNP-TV-Z]{6}$/;

/** The event types of the live feed, `GET /api/reports/events` (Server-Sent Events). */
export const feedEventTypes = ['report.created', 'report.updated'] as const;
export type FeedEventType = (typeof feedEventTypes)[number];

/**
 * The first event of every live-feed stream: its id is the position the stream starts after (the
 * last event id before it), so a client that loses the stream before any report event comes back
 * with Last-Event-ID and misses nothing. Its data repeats the position.
 */
export const feedPositionEvent = 'feed.position';

/** The live feed's event when a camera's health changes (no id: it is state, not replayed). */
export const cameraStatusEvent = 'camera.status';

/** The languages the map client speaks. */
export const clientLanguages = ['vi', 'en'] as const;
export type ClientLanguage = (typeof clientLanguages)[number];

/** How `GET /api/stats` can group its figures. */
export const statisticsGroupings = ['commune', 'office', 'category', 'day', 'month'] as const;
export type StatisticsGrouping = (typeof statisticsGroupings)[number];

/** The attributes two versions of a planning zone are compared on (`GET /api/planning/changes`). */
export const comparedZoneAttributes = ['zoneName', 'landUseCode', 'landUseName', 'maxDensityPct', 'maxFloors', 'maxHeightM', 'far'] as const;
export type ComparedAttribute = (typeof comparedZoneAttributes)[number];

/**
 * A heritage site's tour page, `/heritage/{code}` (what a QR code at the gate points to): the server
 * answers it with the tour page, the map client's service worker too, and the page reads its code
 * from it. `/heritage/tilesets/…` holds the sites' 3D Tiles, not pages.
 */
export const tourPath = (code: string): string => `/heritage/${encodeURIComponent(code)}`;

/** The site code of a tour page's path, or undefined for any other path. */
export function tourCodeFromPath(pathname: string): string | undefined {
  const match = /^\/heritage\/([^/]+)\/?$/.exec(pathname);
  if (!match || match[1] === 'tilesets') return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}

/**
 * Who may watch a camera: `public` anyone (traffic and tourist cameras), `restricted` IOC operators
 * and admins only.
 */
export const cameraVisibilities = ['public', 'restricted'] as const;
export type CameraVisibility = (typeof cameraVisibilities)[number];

/**
 * A camera's health as the checker last saw it: `online` its playlist answers and advances,
 * `degraded` it answers but stalls, `offline` it does not answer, `maintenance` set by staff (not
 * checked).
 */
export const cameraStatuses = ['online', 'degraded', 'offline', 'maintenance'] as const;
export type CameraStatus = (typeof cameraStatuses)[number];

/** The IOC's video wall of cameras. */
export const videoWallPath = '/ioc/cameras';
