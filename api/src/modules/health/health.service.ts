import type { DatabaseHandle } from '../../db/database.ts';
import { selectPostgisVersion } from './health.repository.ts';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  database: DatabaseHandle['backend'];
  postgis: string | null;
}

export async function checkHealth(handle: DatabaseHandle): Promise<HealthReport> {
  try {
    return { status: 'ok', database: handle.backend, postgis: await selectPostgisVersion(handle.db) };
  } catch {
    return { status: 'unavailable', database: handle.backend, postgis: null };
  }
}
