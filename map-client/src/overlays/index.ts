import type { MapOverlay } from '../map/map-overlay.ts';
import { boundariesOverlay } from './boundaries-overlay.ts';
import { camerasOverlay } from './cameras-overlay.ts';
import { facilitiesOverlay } from './facilities-overlay.ts';
import { heritageOverlay } from './heritage-overlay.ts';
import { planningOverlay } from './planning-overlay.ts';
import { reportsOverlay } from './reports-overlay.ts';

/** Every overlay, in layer-switcher order (drawing order within a slot follows it too). */
export const allOverlays: readonly MapOverlay[] = [boundariesOverlay, planningOverlay, camerasOverlay, facilitiesOverlay, heritageOverlay, reportsOverlay];
