import path from 'node:path';
import { ConfigError, loadConfig, type AppConfig } from './config/config.ts';
import { clusterWorkerSlot, onClusterShutdown } from './cluster/cluster-worker.ts';
import { EmbeddedDatabaseLockedError } from './db/embedded-lock.ts';
import { DatabaseUnavailableError } from './db/postgres-errors.ts';
import { createLogger } from './logging/logger.ts';

const started = performance.now();
let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
const workerSlot = clusterWorkerSlot();
const logger = workerSlot === undefined ? createLogger(config.logLevel) : createLogger(config.logLevel).child({ worker: workerSlot });
if (workerSlot === undefined) logger.info({ database: config.database.kind === 'server' ? 'server' : `embedded (${config.database.dataDir})` }, 'starting Bản đồ số');
if (workerSlot !== undefined) {
  // Each API process records camera rewinds in its own folder: two relays must not write one.
  config = Object.freeze({ ...config, cameras: Object.freeze({ ...config.cameras, rewindDir: path.join(config.cameras.rewindDir, `worker-${workerSlot}`) }) }) as AppConfig;
}
let processes = workerSlot === undefined ? config.webConcurrency : 1;
if (processes > 1 && config.database.kind !== 'server') {
  logger.warn(
    { WEB_CONCURRENCY: processes },
    'WEB_CONCURRENCY ignored: the embedded database (PGlite) lives inside one process, so the platform runs one API process. Set DATABASE_URL to a PostgreSQL server to run several.',
  );
  processes = 1;
}

// A signal during start-up (while waiting for the database, say) stops it at once.
const stopBeforeReady = (signal: NodeJS.Signals) => {
  logger.info({ signal }, 'stopped before it was ready');
  process.exit(0);
};
process.once('SIGINT', stopBeforeReady);
process.once('SIGTERM', stopBeforeReady);

if (processes > 1) await runPrimary(config);
else await runProcess(config);

/** WEB_CONCURRENCY > 1 on the server backend: prepare the database once, then run the API processes. */
async function runPrimary(config: AppConfig) {
  try {
    // Imported here: the primary prepares the database and serves nothing, so it never loads the web application.
    const { startClusterPrimary } = await import('./cluster/cluster-primary.ts');
    const primary = await startClusterPrimary(config, logger);
    process.off('SIGINT', stopBeforeReady);
    process.off('SIGTERM', stopBeforeReady);
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'stopping now, without waiting for requests in flight');
        primary.kill();
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal, graceS: config.shutdownGraceMs / 1000 }, 'stopping the API processes: they finish the requests in flight');
      void primary.stop().then(() => {
        logger.info('stopped');
        process.exit(0);
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    const { port } = await primary.ready;
    const url = `http://localhost:${port}`;
    logger.info({ url, database: 'server', processes, ms: Math.round(performance.now() - started) }, `ready: ${url} (${processes} API processes)`);
  } catch (error) {
    exitOnStartFailure(error);
  }
}

/** One API process: the whole platform (or one worker of a cluster, the database already prepared). */
async function runProcess(config: AppConfig) {
  try {
    // In a cluster, slot 1 (restarted in the same slot when it dies) runs the periodic passes.
    const { startPlatform } = await import('./platform.ts');
    const platform = await startPlatform(config, logger, { prepared: workerSlot !== undefined, periodicWork: workerSlot === undefined || workerSlot === 1 });
    process.off('SIGINT', stopBeforeReady);
    process.off('SIGTERM', stopBeforeReady);
    logger.info({ url: platform.url, database: platform.database.backend, ms: Math.round(performance.now() - started) }, `ready: ${platform.url}`);
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        // A second signal: the operator does not want to wait for the grace period.
        logger.warn({ signal }, 'stopping now, without waiting for requests in flight');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal, graceS: config.shutdownGraceMs / 1000 }, 'stopping: finishing the requests in flight');
      platform.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'stopping failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // A worker of a cluster: the primary's "stop" is a first signal (a repeated one changes nothing).
    onClusterShutdown(() => {
      if (!stopping) stop('SIGTERM');
    });
  } catch (error) {
    exitOnStartFailure(error);
  }
}

function exitOnStartFailure(error: unknown): never {
  if (error instanceof EmbeddedDatabaseLockedError) {
    logger.fatal(error.message);
    process.exit(3);
  }
  if (error instanceof DatabaseUnavailableError) {
    logger.fatal(error.message);
    process.exit(3);
  }
  logger.fatal({ err: error }, 'could not start');
  process.exit(1);
}
