import type { Logger } from 'pino';
import { migrateToLatest } from '@bandoso/migrations';
import { createApp } from './app.ts';
import type { AppConfig } from './config/config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { isDatabaseEmpty, seedSampleData } from './modules/imports/sample-data.ts';
import { insertMissingDefaultRules } from './modules/reports/report-rules.repository.ts';
import { listen, type RunningServer } from './server.ts';
import { flagOverdueReports } from './modules/reports/report-workflow.service.ts';
import type { ReportsContext } from './modules/reports/reports-context.ts';
import { seedDemoAccounts } from './modules/auth/demo-accounts.ts';
import { ensureStatisticsGroupedByCurrentUnits } from './modules/stats/stats.service.ts';
import { startWebhookDispatcher } from './modules/webhooks/webhook-dispatcher.service.ts';
import { startRetention } from './modules/maintenance/retention.service.ts';

/** Brings a database to the current schema and, when it is empty and asked to, loads the sample data. */
export async function prepareDatabase(database: DatabaseHandle, options: { seed: boolean; logger?: Logger; demoPassword?: string | undefined }): Promise<void> {
  const migrated = await migrateToLatest(database.db);
  for (const result of migrated.results ?? []) options.logger?.info({ migration: result.migrationName }, 'migrated');
  await insertMissingDefaultRules(database.db);
  if (options.seed && (await isDatabaseEmpty(database.db))) {
    const started = performance.now();
    options.logger?.info('loading the Điện Biên sample data (first start)');
    let lastFile = '';
    await seedSampleData(database.db, (progress) => {
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
 * Flags overdue reports and escalates them, every `intervalSeconds` (0: never). One pass at a time;
 * a failed pass is logged and the next one tries again.
 */
export function startDeadlineWatcher(context: ReportsContext, intervalSeconds: number, logger: Logger): { stop(): void } {
  if (intervalSeconds <= 0) return { stop() {} };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    flagOverdueReports(context)
      .then((flagged) => {
        if (flagged > 0) logger.info({ flagged }, 'reports flagged overdue and escalated');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'deadline watcher failed'))
      .finally(() => {
        running = false;
      });
  }, intervalSeconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

export interface RunningPlatform {
  url: string;
  database: DatabaseHandle;
  server: RunningServer;
  stop(): Promise<void>;
}

/** Opens the configured database, prepares it, and serves the platform. */
export async function startPlatform(config: AppConfig, logger: Logger): Promise<RunningPlatform> {
  const database = await openDatabase(config.database);
  try {
    await prepareDatabase(database, { seed: config.seedSampleData, logger, demoPassword: config.demoPassword });
    const instance = createApp({ config, database, logger });
    const server = await listen(instance.handler, config.port, config.host);
    const watcher = startDeadlineWatcher(instance.reports, config.reports.deadlineCheckIntervalS, logger);
    const webhookDispatcher = startWebhookDispatcher(database, logger, { targetPolicy: { allowedNetworks: config.webhooks.allowedNetworks } });
    const retention = startRetention(database.db, config.retention, config.retention.intervalS, logger);
    return {
      url: `http://localhost:${server.port}`,
      database,
      server,
      async stop() {
        watcher.stop();
        retention.stop();
        await webhookDispatcher.stop();
        await server.close();
        await instance.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
