import type { Logger } from 'pino';
import { createApp } from './app.ts';
import type { AppConfig } from './config/config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { prepareDatabase, prepareServerDatabase } from './prepare-database.ts';
import { ThrottledLog } from './logging/throttled-log.ts';
import { listen, type RunningServer } from './server.ts';
import { flagOverdueReports } from './modules/reports/report-deadlines.service.ts';
import type { ReportsContext } from './modules/reports/reports-context.ts';
import { startWebhookDispatcher } from './modules/webhooks/webhook-dispatcher.service.ts';
import { startRetention } from './modules/maintenance/retention.service.ts';

/**
 * Flags overdue reports and escalates them, every `intervalSeconds` (0: never). One pass at a time;
 * a failed pass is logged and the next one tries again. `stop` ends the timer and waits for a pass
 * that is running.
 */
export function startDeadlineWatcher(context: ReportsContext, intervalSeconds: number, logger: Logger): { stop(): Promise<void> } {
  if (intervalSeconds <= 0) return { stop: async () => {} };
  const failures = new ThrottledLog(logger);
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = flagOverdueReports(context)
      .then((flagged) => {
        if (flagged > 0) logger.info({ flagged }, 'reports flagged overdue and escalated');
      })
      .catch((error: unknown) => failures.failure(error, 'deadline watcher failed'))
      .finally(() => {
        running = undefined;
      });
  }, intervalSeconds * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

export interface RunningPlatform {
  url: string;
  database: DatabaseHandle;
  server: RunningServer;
  /**
   * Stops gracefully: no new connections; live-feed streams end with a retry hint; requests in
   * flight finish (for at most SHUTDOWN_GRACE_S, then their connections are cut); background work
   * finishes the step it is in; then the database is closed.
   */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** A cluster's primary prepared the database: do not migrate or seed. */
  prepared?: boolean;
  /**
   * Run the periodic passes over the whole database (overdue reports, retention) here; default
   * true. In a cluster only API process 1 does: every process would repeat the same pass. (The
   * webhook dispatcher runs everywhere: its workers share the outbox with SKIP LOCKED, so more
   * processes deliver faster. Each process's camera relay checks its own cameras.)
   */
  periodicWork?: boolean;
}

/**
 * Opens the configured database (waiting for a server to answer, for at most DATABASE_WAIT_S),
 * prepares it (unless `prepared`: a cluster's primary did), and serves the platform.
 */
export async function startPlatform(config: AppConfig, logger: Logger, options: StartOptions = {}): Promise<RunningPlatform> {
  if (config.database.kind === 'server' && !options.prepared) await prepareServerDatabase(config, logger);
  const database = await openDatabase(config.database, { logger, command: config.command });
  try {
    if (database.backend === 'embedded') await prepareDatabase(database, { seed: config.seedSampleData, logger, demoPassword: config.demoPassword });
    const instance = createApp({ config, database, logger });
    await instance.ready();
    const server = await listen(instance.handler, config.port, config.host, config.http);
    const periodicWork = options.periodicWork ?? true;
    const none = { stop: async () => {} };
    const watcher = periodicWork ? startDeadlineWatcher(instance.reports, config.reports.deadlineCheckIntervalS, logger) : none;
    const retention = periodicWork ? startRetention(database.db, config.retention, config.retention.intervalS, logger) : none;
    logger.info(
      { deadlineCheckS: config.reports.deadlineCheckIntervalS, retentionS: config.retention.intervalS, periodicWork },
      periodicWork ? 'periodic work (overdue reports, retention) runs in this process' : 'periodic work (overdue reports, retention) is left to API process 1',
    );
    const webhookDispatcher = startWebhookDispatcher(database, logger, { targetPolicy: { allowedNetworks: config.webhooks.allowedNetworks } });
    let stopping: Promise<void> | undefined;
    return {
      url: `http://localhost:${server.port}`,
      database,
      server,
      stop() {
        stopping ??= (async () => {
          const started = Date.now();
          const inFlight = server.inFlight();
          // Streams first: they never finish by themselves, and their clients reconnect elsewhere.
          await instance.close();
          await server.close(config.shutdownGraceMs);
          await Promise.all([watcher.stop(), retention.stop(), webhookDispatcher.stop()]);
          await database.close();
          logger.info({ ms: Date.now() - started, requestsInFlight: inFlight }, 'stopped');
        })();
        return stopping;
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
