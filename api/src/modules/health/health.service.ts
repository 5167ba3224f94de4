import type { DatabaseHandle, NotificationState } from '../../db/database.ts';
import { selectPostgisVersion } from './health.repository.ts';

export interface HealthReport {
  /** `ok`: the database answers; `unavailable`: it did not within the health timeout. */
  status: 'ok' | 'unavailable';
  database: DatabaseHandle['backend'];
  postgis: string | null;
  /**
   * The connection that hears the database's notifications (the live feed, tile cache invalidation):
   * `reconnecting` while it is being made again. The platform stays correct meanwhile, only slower
   * to show changes; the live feed refuses new streams until it is back.
   */
  notifications: NotificationState;
}

/**
 * Asks the database for its PostGIS version, and answers within `timeoutMs` whatever the database
 * does: a frozen server must not hang the health check that is supposed to notice it.
 */
export async function checkHealth(handle: DatabaseHandle, timeoutMs: number): Promise<HealthReport> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  const version = selectPostgisVersion(handle.db).catch(() => null);
  try {
    const postgis = await Promise.race([version, timedOut]);
    return { status: postgis === null ? 'unavailable' : 'ok', database: handle.backend, postgis, notifications: handle.notificationState() };
  } finally {
    clearTimeout(timer);
  }
}
