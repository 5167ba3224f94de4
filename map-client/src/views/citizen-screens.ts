import type { Map as MapLibreMap } from 'maplibre-gl';
import type { ClientConfig } from '../app/client-config.ts';
import type { Announce } from '../app/status-toast.ts';
import type { Place } from './citizen-place.ts';

/**
 * What the citizen view's screens (the report form, the public detail, "my reports", each loaded
 * when first opened) may ask of the view: the map, and moving between screens.
 */
export interface CitizenNavigator {
  map: MapLibreMap;
  config: ClientConfig;
  announce: Announce;
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
