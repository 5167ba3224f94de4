import type { Logger } from 'pino';
import { migrateToLatest } from '@bandoso/migrations';
import { createApp } from './app.ts';
import type { AppConfig } from './config/config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { isDatabaseEmpty, seedSampleData } from './modules/imports/sample-data.ts';
import { insertMissingDefaultRules } from './modules/reports/report-rules.repository.ts';
import { listen, type RunningServer } from './server.ts';

/** Brings a database to the current schema and, when it is empty and asked to, loads the sample data. */
export async function prepareDatabase(database: DatabaseHandle, options: { seed: boolean; logger?: Logger }): Promise<void> {
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
    await prepareDatabase(database, { seed: config.seedSampleData, logger });
    const server = await listen(createApp({ config, database, logger }), config.port, config.host);
    return {
      url: `http://localhost:${server.port}`,
      database,
      server,
      async stop() {
        await server.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
