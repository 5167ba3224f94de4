import { ConfigError, loadConfig } from './config/config.ts';
import { EmbeddedDatabaseLockedError } from './db/embedded-lock.ts';
import { DatabaseUnavailableError } from './db/postgres-errors.ts';
import { createLogger } from './logging/logger.ts';
import { startPlatform } from './platform.ts';

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
const logger = createLogger(config.logLevel);
logger.info({ database: config.database.kind === 'server' ? 'server' : `embedded (${config.database.dataDir})` }, 'starting Bản đồ số');

// A signal during start-up (while waiting for the database, say) stops it at once.
const stopBeforeReady = (signal: NodeJS.Signals) => {
  logger.info({ signal }, 'stopped before it was ready');
  process.exit(0);
};
process.once('SIGINT', stopBeforeReady);
process.once('SIGTERM', stopBeforeReady);

try {
  const platform = await startPlatform(config, logger);
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
} catch (error) {
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
