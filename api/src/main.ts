import { ConfigError, loadConfig } from './config/config.ts';
import { EmbeddedDatabaseLockedError } from './db/embedded-lock.ts';
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

try {
  const platform = await startPlatform(config, logger);
  logger.info({ url: platform.url, database: platform.database.backend, ms: Math.round(performance.now() - started) }, `ready: ${platform.url}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  if (error instanceof EmbeddedDatabaseLockedError) {
    logger.fatal(error.message);
    process.exit(3);
  }
  logger.fatal({ err: error }, 'could not start');
  process.exit(1);
}
