import type { SavedReport } from '../offline/local-database-schema.ts';
import type { LocalDatabase } from '../offline/local-database.ts';

/**
 * "My reports": the reports sent from this device (with the reporter token that proves it is theirs
 * when they rate or answer) and the reports followed from here, newest first.
 */
export interface MyReports {
  list(): Promise<SavedReport[]>;
  get(trackingCode: string): Promise<SavedReport | undefined>;
  save(report: SavedReport): Promise<void>;
}

export function createMyReports(database: LocalDatabase): MyReports {
  return {
    async list() {
      const all = await database.getAll('my-reports');
      return all.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
    },
    get: (trackingCode) => database.get('my-reports', trackingCode),
    async save(report) {
      // A reporter's token is never replaced by a follower's.
      const existing = await database.get('my-reports', report.trackingCode);
      if (existing?.role === 'reporter' && report.role === 'follower') return;
      await database.put('my-reports', report);
    },
  };
}
