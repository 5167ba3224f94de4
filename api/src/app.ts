import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { AppConfig } from './config/config.ts';
import type { DatabaseHandle } from './db/database.ts';
import { createErrorHandler, notFoundHandler } from './http/error-handler.ts';
import { createBoundariesRouter } from './modules/boundaries/boundaries.routes.ts';
import { createHealthRouter } from './modules/health/health.routes.ts';
// <imports: reports>
// <imports: tiles and OGC API>
// <imports: web client>

export interface AppDependencies {
  config: AppConfig;
  database: DatabaseHandle;
  logger: Logger;
}

/** The HTTP application: middleware, one router per domain, one error handler. No listening here. */
export function createApp({ database, logger }: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    pinoHttp({
      logger,
      genReqId: (request, response) => {
        const incoming = request.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        response.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'info' : 'debug'),
    }),
  );
  app.use(express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] }));

  // Domain routers. Keep one line per module; the map client's static files mount last.
  app.use(createHealthRouter(database));
  app.use(createBoundariesRouter(database.db));
  // <routers: reports>
  // <routers: tiles and OGC API>

  app.use('/api', notFoundHandler);
  // <routers: web client>
  app.use(createErrorHandler(logger));
  return app;
}
