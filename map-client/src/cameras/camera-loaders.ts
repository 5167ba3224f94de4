import type { CameraStatusEventData } from '@bandoso/contracts';
import type { CameraSummary } from './camera-api.ts';
import type { CameraPanelOptions } from './camera-panel.ts';

/**
 * The camera player's chunks, fetched when first used (DESIGN principle 12): the player panel (and,
 * from it, hls.js in a chunk of its own) when a camera is opened, the video wall with its view. They
 * live here rather than in views/lazy-views.ts because the IOC's own chunk opens the panel too, and
 * lazy-views.ts loads the IOC view: one module for both would make an import cycle.
 */
export const loadCameraPanel = () => import('./camera-panel.ts');
export const loadVideoWall = () => import('./video-wall.ts');

let panelModule: ReturnType<typeof loadCameraPanel> | undefined;

/** Opens the floating player of a camera (one at a time: it replaces the one open). */
export function openCameraPanel(camera: CameraSummary, options: CameraPanelOptions & { onError?(error: unknown): void } = {}): void {
  const { onError, ...panelOptions } = options;
  const loading = (panelModule ??= loadCameraPanel());
  loading
    .then((module) => module.showCameraPanel(camera, panelOptions))
    .catch((error: unknown) => {
      // Offline, or a new deployment removed the chunk: the next tap tries again.
      if (panelModule === loading) panelModule = undefined;
      console.error('camera panel', error);
      onError?.(error);
    });
}

/** Closes the camera's panel if one is open (its player stops). */
export function closeOpenCameraPanel(): void {
  void panelModule?.then((module) => module.closeCameraPanel()).catch(() => undefined);
}

/** A camera's health changed (the live feed): the open panel, if any, shows it. */
export function notifyCameraStatus(event: CameraStatusEventData): void {
  void panelModule?.then((module) => module.updateCameraPanelStatus(event)).catch(() => undefined);
}
