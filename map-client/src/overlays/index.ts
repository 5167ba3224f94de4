import type { MapOverlay } from '../map/map-overlay.ts';
import { basemapOverlay } from './basemap-overlay.ts';
import { boundariesOverlay } from './boundaries-overlay.ts';
import { camerasOverlay } from './cameras-overlay.ts';
import { facilitiesOverlay } from './facilities-overlay.ts';
import { heritageOverlay } from './heritage-overlay.ts';
import { planningOverlay } from './planning-overlay.ts';
import { reportsOverlay } from './reports-overlay.ts';

/**
 * Every overlay, in layer-switcher order (drawing order within a slot follows it too). The base map is
 * listed last, as the bottom of the stack; its slot draws it under all the others.
 */
export const allOverlays: readonly MapOverlay[] = [boundariesOverlay, planningOverlay, camerasOverlay, facilitiesOverlay, heritageOverlay, reportsOverlay, basemapOverlay];
