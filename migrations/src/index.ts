import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import * as postgisExtension from './0001-postgis-extension.ts';
import * as referenceData from './0002-reference-data.ts';
import * as reports from './0003-reports.ts';
import * as reportStatistics from './0004-report-statistics.ts';
import * as tileChangeNotifications from './0005-tile-change-notifications.ts';
import * as webhooks from './0006-webhooks.ts';
import * as rateLimits from './0007-rate-limits.ts';
import * as reportPagingIndex from './0008-report-paging-index.ts';
import * as reportEventCommitOrder from './0009-report-event-commit-order.ts';
import * as heritageTours from './0010-heritage-tours.ts';
import * as cameraRegistry from './0011-camera-registry.ts';
import * as basemap from './0012-basemap.ts';
import * as search from './0013-search.ts';
import * as reportTextSearch from './0014-report-text-search.ts';
import * as functionSearchPath from './0015-function-search-path.ts';
import * as routingRuleChanges from './0016-routing-rule-changes.ts';

/**
 * Every migration, in order. Static imports (not a folder scan) so the list is the same under tsx,
 * vitest and a bundler, and a missing file is a compile error.
 */
export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-postgis-extension': postgisExtension,
  '0002-reference-data': referenceData,
  '0003-reports': reports,
  '0004-report-statistics': reportStatistics,
  '0005-tile-change-notifications': tileChangeNotifications,
  '0006-webhooks': webhooks,
  '0007-rate-limits': rateLimits,
  '0008-report-paging-index': reportPagingIndex,
  '0009-report-event-commit-order': reportEventCommitOrder,
  '0010-heritage-tours': heritageTours,
  '0011-camera-registry': cameraRegistry,
  '0012-basemap': basemap,
  '0013-search': search,
  '0014-report-text-search': reportTextSearch,
  '0015-function-search-path': functionSearchPath,
  '0016-routing-rule-changes': routingRuleChanges,
});

export function createMigrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => ({ ...migrations }) } });
}

export class MigrationFailedError extends Error {}

/** Runs every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const result = await createMigrator(db).migrateToLatest();
  assertMigrated(result);
  return result;
}

export function assertMigrated(result: MigrationResultSet): void {
  if (result.error) {
    const failed = result.results?.find((item) => item.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationFailedError(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: result.error });
  }
}
