/**
 * The heavy parts, each behind a dynamic import (DESIGN principle 12): Vite puts each in its own
 * chunk, fetched the first time its view opens. tools/check-bundle-budget.ts fails the build if any
 * of deck.gl, three.js or hls.js reaches the entry's static import graph. The camera player and the
 * video wall (hls.js) are loaded by cameras/camera-loaders.ts: the IOC's chunk opens them too.
 */
export const loadPlannerView = () => import('./planner-view.ts');
export const loadIocView = () => import('./ioc-view.ts');
export const loadHeritageView = () => import('./heritage-view.ts');
/** The office's desk and the admin console: fetched only when a member of staff opens them. */
export const loadOfficeView = () => import('./office-view.ts');
export const loadAdminView = () => import('./admin-view.ts');
