import type { Map as MapLibreMap } from 'maplibre-gl';
import type { ClientConfig } from '../app/client-config.ts';

/** `GET /api/locate` (api/src/modules/boundaries). */
export interface LocateResponse {
  province: { code: string; name: string } | null;
  commune: { code: string; name: string; level: string } | null;
  onBorderWith: { code: string; name: string }[];
}

export type LocateState = { status: 'loading' } | { status: 'loaded'; result: LocateResponse } | { status: 'failed'; error: unknown };

/** The place a citizen pinned: a tap, the map centre, or the device position (with its accuracy). */
export interface Place {
  lngLat: [number, number];
  accuracyM: number | undefined;
  source: 'map' | 'centre' | 'device';
  locate: LocateState;
}

/**
 * What the citizen view's screens (the report form, the public detail, "my reports", each loaded
 * when first opened) may ask of the view: the map, and moving between screens.
 */
export interface CitizenNavigator {
  map: MapLibreMap;
  config: ClientConfig;
  announce(message: string): void;
  showHome(): void;
  showPlace(): void;
  showForm(): void;
  showDetail(trackingCode: string): void;
  showMine(): void;
  /** Moves the map to a point (a report, a nearby report) without changing the pinned place. */
  flyTo(lngLat: [number, number], zoom?: number): void;
}

/** One screen of the citizen panel. */
export interface CitizenScreen {
  readonly element: HTMLElement;
  /** The pinned place changed (a tap while the form is open, the pin dragged). */
  setPlace?(place: Place): void;
  destroy(): void;
}
