import type { CameraCollection, CameraFeature, CamerasSeeing, CameraStatus, CameraVisibility, CameraWatch, CameraWatchBody } from '@bandoso/contracts';
import { fetchJson, postJson } from '../app/api-client.ts';

/** `GET /api/cameras`, `GET /api/cameras/seeing` and `POST /api/cameras/{id}/watch` (api/src/modules/cameras), as the contract says. */
export type { CameraCollection, CameraFeature, CamerasSeeing, CameraWatch };

/**
 * What the player needs to know of a camera. A camera from the vector tiles has no `id` (the tiles
 * carry its code): it is looked up in `GET /api/cameras` when its player opens.
 */
export interface CameraSummary {
  id?: string;
  code: string;
  name: string;
  status: CameraStatus;
  visibility?: CameraVisibility;
  lastSeenAt?: string | null;
  /** Who runs it. */
  owner?: string | null;
}

export function cameraSummaryOf(feature: CameraFeature): CameraSummary {
  const { id, code, name, status, visibility, lastSeenAt, owner } = feature.properties;
  return { id, code, name, status, visibility, lastSeenAt, owner };
}

export function loadCameras(signal?: AbortSignal): Promise<CameraCollection> {
  return fetchJson<CameraCollection>('/api/cameras', signal ? { signal } : {});
}

/** The list asked for a code lookup is reused for a minute (several cameras opened in a row). */
let lookup: { at: number; cameras: Promise<CameraCollection> } | undefined;

/** The camera of a code among those this browser may watch, or undefined. */
export async function findCamera(code: string): Promise<CameraFeature | undefined> {
  if (!lookup || Date.now() - lookup.at > 60_000) lookup = { at: Date.now(), cameras: loadCameras() };
  const current = lookup;
  try {
    return (await current.cameras).features.find((feature) => feature.properties.code === code);
  } catch (error) {
    if (lookup === current) lookup = undefined;
    throw error;
  }
}

export function loadCamerasSeeing([lon, lat]: [number, number], signal?: AbortSignal): Promise<CamerasSeeing> {
  return fetchJson<CamerasSeeing>(`/api/cameras/seeing?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}`, signal ? { signal } : {});
}

/** Rewind windows seen in /watch answers, by camera id (and the last one seen, for cameras not asked yet). */
const rewindMinutesByCamera = new Map<string, number>();
let lastRewindMinutes: number | undefined;

/** A signed playlist URL: live, or from a time of the last `rewindMinutes`. */
export async function watchCamera(id: string, from?: string): Promise<CameraWatch> {
  const body: CameraWatchBody = from ? { from } : {};
  const watch = await postJson<CameraWatch>(`/api/cameras/${encodeURIComponent(id)}/watch`, body);
  rewindMinutesByCamera.set(id, watch.rewindMinutes);
  lastRewindMinutes = watch.rewindMinutes;
  return watch;
}

/** How far back a camera's recording goes, if this page has been told. */
export function knownRewindMinutes(id: string): number | undefined {
  return rewindMinutesByCamera.get(id) ?? lastRewindMinutes;
}

/** A replay starts this long before the moment asked for, to show what led up to it. */
export const replayLeadS = 30;

/**
 * Where a replay of "the moment a report was sent" starts: `replayLeadS` before it, moved into the
 * recording window if only the lead falls out of it; `tooOld` when the moment itself is older than
 * the window. Unknown window: the platform decides (and says so when it refuses).
 */
export function replayStart(momentIso: string, nowMs: number, rewindMinutes: number | undefined): { from: string } | { tooOld: true; rewindMinutes: number } {
  const moment = Date.parse(momentIso);
  const wanted = moment - replayLeadS * 1000;
  if (rewindMinutes === undefined) return { from: new Date(wanted).toISOString() };
  // A little inside the window: the request takes a moment to arrive.
  const oldest = nowMs - rewindMinutes * 60_000 + 5_000;
  if (moment < oldest) return { tooOld: true, rewindMinutes };
  return { from: new Date(Math.max(wanted, oldest)).toISOString() };
}
