import { EventEmitter } from 'node:events';
import type { CameraStatus, CameraStatusEventData } from '@bandoso/contracts';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../../db/database.ts';
import type { Database } from '../../db/database-schema.ts';
import { notify } from '../../db/notify.ts';
import type { CameraRelay } from './camera-relay.ts';
import * as repository from './cameras.repository.ts';

/** Probes run at once, so that a few slow cameras do not hold up the others. */
const PROBE_CONCURRENCY = 6;

/**
 * The camera health checker: every interval it reads each camera's playlist (not those in
 * maintenance). Online when the playlist answers and its media sequence advanced since the last
 * check, degraded when it answers but stalls, offline when it does not answer. A change is written
 * with an audited `status` event and a `camera_status` notification (the live feed and, through the
 * table's trigger, the camera tiles hear of it at once); `last_seen_at` follows every answer.
 * The cameras that answer are the ones the relay records for rewind.
 */
export class CameraHealthChecker {
  readonly #lastSequence = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #closed = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly relay: Pick<CameraRelay, 'probe' | 'record'>,
    private readonly options: { intervalMs: number; record: boolean; logger?: Logger },
  ) {}

  start(): void {
    if (this.options.intervalMs <= 0) return;
    const tick = () => {
      this.#running = this.checkOnce()
        .catch((error: unknown) => this.options.logger?.warn({ err: error }, 'camera health check failed; trying again at the next interval'))
        .finally(() => {
          if (this.#closed) return;
          this.#timer = setTimeout(tick, this.options.intervalMs);
          this.#timer.unref();
        });
    };
    tick();
  }

  /** One round over every checked camera. */
  async checkOnce(): Promise<void> {
    const cameras = await repository.listCheckedCameras(this.db);
    const answering: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cameras.length && !this.#closed) {
        const camera = cameras[next++]!;
        let status: CameraStatus;
        let seenAt: Date | null = null;
        try {
          const probe = await this.relay.probe(camera.stream_url);
          const previous = this.#lastSequence.get(camera.id);
          this.#lastSequence.set(camera.id, probe.mediaSequence);
          seenAt = new Date();
          // A first answer, an advance, or a restarted camera (its sequence went back) is live.
          status = previous === undefined || probe.mediaSequence !== previous ? (probe.segments > 0 ? 'online' : 'degraded') : 'degraded';
          answering.push(camera.id);
        } catch {
          this.#lastSequence.delete(camera.id);
          status = 'offline';
        }
        if (this.#closed) return;
        await this.#record(camera.id, camera.code, status, seenAt);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, cameras.length) }, worker));
    if (this.options.record && !this.#closed) this.relay.record(answering);
  }

  async #record(id: string, code: string, status: CameraStatus, seenAt: Date | null): Promise<void> {
    await this.db.transaction().execute(async (transaction) => {
      const result = await repository.recordCameraHealth(transaction, id, status, seenAt);
      if (!result?.changed) return;
      await repository.insertCameraEvent(transaction, { cameraId: id, kind: 'status', actorUserId: null, actorRole: 'system', changes: { status: { from: result.previous, to: status } } });
      const payload: CameraStatusEventData = { camera: { id, code, status, lastSeenAt: result.lastSeenAt?.toISOString() ?? null, visibility: result.visibility } };
      await notify(transaction, 'camera_status', payload);
      this.options.logger?.info({ camera: code, from: result.previous, to: status }, 'camera status changed');
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}

/**
 * Camera status changes as they are written (a `camera_status` notification from any process), for
 * the live feed.
 */
export class CameraStatusFeed {
  readonly #emitter = new EventEmitter();
  #unlisten: Promise<() => Promise<void>> | undefined;

  constructor(private readonly database: DatabaseHandle) {
    this.#emitter.setMaxListeners(0);
  }

  start(): void {
    this.#unlisten ??= this.database.listen('camera_status', {
      onNotification: (payload) => {
        try {
          this.#emitter.emit('status', JSON.parse(payload) as CameraStatusEventData);
        } catch {
          // Not ours to crash on: a malformed payload is dropped.
        }
      },
    });
  }

  subscribe(listener: (event: CameraStatusEventData) => void): () => void {
    this.#emitter.on('status', listener);
    return () => this.#emitter.off('status', listener);
  }

  async close(): Promise<void> {
    const unlisten = await this.#unlisten;
    await unlisten?.().catch(() => undefined);
    this.#emitter.removeAllListeners();
  }
}
