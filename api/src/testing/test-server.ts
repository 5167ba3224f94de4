import { createApp } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { createLogger } from '../logging/logger.ts';
import { listen } from '../server.ts';

export interface TestServer {
  baseUrl: string;
  close(): Promise<void>;
}

/** The real application on a real port (0: any free one), over the given database. */
export async function startTestServer(database: DatabaseHandle): Promise<TestServer> {
  const config = loadConfig({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', PORT: '0', HOST: '127.0.0.1' });
  const app = createApp({ config, database, logger: createLogger(config.logLevel) });
  const server = await listen(app, 0, '127.0.0.1');
  return { baseUrl: `http://127.0.0.1:${server.port}`, close: () => server.close() };
}
