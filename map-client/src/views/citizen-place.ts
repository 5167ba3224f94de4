import { NetworkError } from '../app/api-client.ts';
import type { HeritageSiteHit } from '../overlays/heritage-overlay.ts';
import type { LocateResponse } from '../reports/report-api.ts';

/** Where the platform's answer about the pinned place stands (`GET /api/locate`). */
export type LocateState = { status: 'loading' } | { status: 'loaded'; result: LocateResponse } | { status: 'failed'; error: unknown };

/** The place a citizen pinned: a tap, the map centre, or the device position (with its accuracy). */
export interface Place {
  lngLat: [number, number];
  accuracyM: number | undefined;
  source: 'map' | 'centre' | 'device';
  locate: LocateState;
  /** The heritage site tapped, when the tap was on one: the card links to its tour. */
  heritage?: HeritageSiteHit;
}

/** The platform could not be reached (as opposed to answering with a refusal). */
export function isLocateOffline(locate: LocateState): boolean {
  return locate.status === 'failed' && locate.error instanceof NetworkError;
}

export function locatedCommuneName(locate: LocateState): string | undefined {
  return locate.status === 'loaded' ? locate.result.commune?.name : undefined;
}

/** Outside the province (no commune) nothing can be reported; offline, the platform decides later. */
export function canReportAt(locate: LocateState): boolean {
  return locate.status === 'loaded' ? locate.result.commune !== null : isLocateOffline(locate);
}
