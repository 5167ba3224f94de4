import { createApp, type AppInstance } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { createLogger } from '../logging/logger.ts';
import { listen } from '../server.ts';

export interface TestServer {
  baseUrl: string;
  /** The running app's shared parts (e.g. the reports context, to run the deadline watcher by hand). */
  instance: AppInstance;
  close(): Promise<void>;
}

/**
 * The real application on a real port (0: any free one), over the given database. `environment`
 * overrides configuration variables (e.g. a lower REPORT_SUBMISSIONS_PER_HOUR).
 */
export async function startTestServer(database: DatabaseHandle, environment: Record<string, string> = {}): Promise<TestServer> {
  const config = loadConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: 'memory://',
    REPORT_SUBMISSIONS_PER_HOUR: '100000',
    DEADLINE_CHECK_INTERVAL_S: '0',
    // The shared database's sample cameras point at a simulator the tests do not run: no checker
    // writing them offline under other tests (a camera test turns it on).
    CAMERA_HEALTH_INTERVAL_S: '0',
    ...environment,
  });
  const instance = createApp({ config, database, logger: createLogger(config.logLevel) });
  await instance.ready();
  const server = await listen(instance.handler, 0, '127.0.0.1', config.http);
  return {
    baseUrl: `http://127.0.0.1:${server.port}`,
    instance,
    async close() {
      await server.close();
      await instance.close();
    },
  };
}
