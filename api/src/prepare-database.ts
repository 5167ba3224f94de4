import type { Logger } from 'pino';
import { migrateToLatest } from '@bandoso/migrations';
import type { AppConfig } from './config/config.ts';
import { openDatabase, waitForDatabase, type DatabaseHandle } from './db/database.ts';
import { seedDemoAccounts } from './modules/auth/demo-accounts.ts';
import { isDatabaseEmpty } from './modules/imports/database-state.service.ts';
import { insertMissingDefaultRules } from './modules/reports/reports.service.ts';
import { ensureStatisticsGroupedByCurrentUnits } from './modules/stats/stats.service.ts';

// Preparing a database to serve, apart from serving it: a cluster's primary, the import and
// create-user commands and the benchmarks prepare a database without loading the web application.

/** Brings a database to the current schema and, when it is empty and asked to, loads the sample data. */
export async function prepareDatabase(database: DatabaseHandle, options: { seed: boolean; logger?: Logger; demoPassword?: string | undefined }): Promise<void> {
  const migrated = await migrateToLatest(database.db);
  for (const result of migrated.results ?? []) options.logger?.info({ migration: result.migrationName }, 'migrated');
  await insertMissingDefaultRules(database.db);
  if (options.seed && (await isDatabaseEmpty(database.db))) {
    // The importers (GeoJSON, shapefiles, turf) are loaded only to seed: a cluster's primary stays small.
    const sampleData = await import('./modules/imports/sample-data.ts');
    const started = performance.now();
    options.logger?.info('loading the Điện Biên sample data (first start)');
    let lastFile = '';
    await sampleData.seedSampleData(database.db, (progress) => {
      if (progress.file !== lastFile && progress.phase === 'writing') {
        lastFile = progress.file;
        options.logger?.info({ file: progress.file, features: progress.total }, 'importing sample file');
      }
    });
    options.logger?.info({ ms: Math.round(performance.now() - started) }, 'sample data loaded');
  }
  // Statistics are grouped by the communes of the boundary set in force; settle that now rather than
  // in the first public request after a boundary change.
  await ensureStatisticsGroupedByCurrentUnits(database.db);
  if (options.seed && options.demoPassword) {
    const accounts = await seedDemoAccounts(database.db, options.demoPassword);
    options.logger?.warn({ accounts }, 'demo staff accounts exist (DEMO_PASSWORD is set): never use this on a public deployment');
  }
}

/**
 * Server backend: waits for the server (at most DATABASE_WAIT_S) and prepares the database, once,
 * before any process serves. Migrations and the sample data may run statements longer than a request
 * may: they get a connection of their own, with the import statement timeout, closed before serving.
 */
export async function prepareServerDatabase(config: AppConfig, logger: Logger): Promise<void> {
  if (config.database.kind !== 'server') return;
  const maintenance = await openDatabase(config.database, { logger, statementTimeoutMs: config.database.importStatementTimeoutMs });
  try {
    await waitForDatabase(maintenance, { maxWaitMs: config.database.waitMs, logger });
    await prepareDatabase(maintenance, { seed: config.seedSampleData, logger, demoPassword: config.demoPassword });
  } finally {
    await maintenance.close();
  }
}
