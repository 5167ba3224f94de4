import type { Router } from 'express';
import type { Logger } from 'pino';
import { fetch as undiciFetch } from 'undici';
import type { AppConfig } from '../../config/config.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { WebhookTargetGuard } from '../webhooks/webhook-target-policy.ts';
import { CameraHealthChecker, CameraStatusFeed } from './camera-health.service.ts';
import { CameraRelay, CameraUnavailableError } from './camera-relay.ts';
import { CameraUrlSigner } from './camera-url-signing.ts';
import { findCameraSource } from './cameras.repository.ts';
import { createCamerasRouter, serveCameraSegments } from './cameras.routes.ts';
import type { NodeHandler } from '../../http/node-handler.ts';

export interface CamerasModule {
  router: Router;
  /** Segments, answered ahead of Express. */
  segmentHandler: NodeHandler;
  relay: CameraRelay;
  health: CameraHealthChecker;
  statusFeed: CameraStatusFeed;
  start(): void;
  close(): Promise<void>;
}

/**
 * The cameras' parts, put together: the relay reaches cameras only where CAMERA_ALLOWED_NETWORKS
 * (or a public address) allows — an address in the URL is checked before connecting, a name when
 * its DNS answer arrives — and never follows a redirect elsewhere.
 */
export function createCamerasModule(config: AppConfig, database: DatabaseHandle, logger: Logger): CamerasModule {
  const guard = new WebhookTargetGuard({ allowedNetworks: config.cameras.allowedNetworks, settingName: 'CAMERA_ALLOWED_NETWORKS' });
  const dispatcher = guard.dispatcher();
  const fetchUpstream = async (url: string, init: { signal: AbortSignal }): Promise<Response> => {
    if (guard.problemWithUrl(url)) throw new CameraUnavailableError(undefined, { reason: 'unreachable' });
    return (await undiciFetch(url, { signal: init.signal, dispatcher, redirect: 'error' })) as unknown as Response;
  };
  const relay = new CameraRelay((id) => findCameraSource(database.db, id), {
    rewindDir: config.cameras.rewindDir,
    rewindMinutes: config.cameras.rewindMinutes,
    fetchUpstream,
    logger,
  });
  const health = new CameraHealthChecker(database.db, relay, { intervalMs: config.cameras.healthIntervalMs, record: config.cameras.rewindMinutes > 0, logger });
  const statusFeed = new CameraStatusFeed(database);
  const signer = new CameraUrlSigner(config.cameras.urlSecret);
  const router = createCamerasRouter(database.db, {
    relay,
    signer,
    watchTtlS: config.cameras.watchTtlS,
    rewindMinutes: config.cameras.rewindMinutes,
    guard,
    ownPort: config.port,
  });
  return {
    router,
    segmentHandler: serveCameraSegments(relay, signer),
    relay,
    health,
    statusFeed,
    start() {
      statusFeed.start();
      health.start();
    },
    async close() {
      await health.close();
      await relay.close();
      await statusFeed.close();
      await dispatcher.close().catch(() => undefined);
    },
  };
}
