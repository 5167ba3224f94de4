import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { AppConfig } from './config/config.ts';
import type { DatabaseHandle } from './db/database.ts';
import { createErrorHandler, createErrorResponder, notFoundHandler } from './http/error-handler.ts';
import { ThrottledLog } from './logging/throttled-log.ts';
import { refuseNulCharacters } from './http/validate-input.ts';
import { refuseOversizedBodies } from './http/body-limit.ts';
import { createBoundariesRouter } from './modules/boundaries/boundaries.routes.ts';
import { attachLocateIndex } from './modules/boundaries/locate-index.ts';
import { attachOfficeIndex } from './modules/offices/office-index.ts';
import { attachCategoryIndex } from './modules/reports/category-index.ts';
import { createHealthRouter } from './modules/health/health.routes.ts';
import { authenticate } from './modules/auth/auth.middleware.ts';
import { createAdminRouter } from './modules/admin/admin.routes.ts';
import { createAuthRouter } from './modules/auth/auth.routes.ts';
import { createPhotoStorage } from './modules/photos/photo-storage.ts';
import { ReportCalendarSource } from './modules/reports/report-calendar.ts';
import { ReportFeed } from './modules/reports/report-feed.service.ts';
import type { ReportsContext } from './modules/reports/reports-context.ts';
import { createOfficesRouter } from './modules/offices/offices.routes.ts';
import { createReportsRouter, MAX_MULTIPART_BYTES } from './modules/reports/reports.routes.ts';
import { createStatisticsRouter } from './modules/stats/stats.routes.ts';
import { createOpen311Router, createOpen311ErrorHandler } from './modules/open311/open311.routes.ts';
import { createWebhooksRouter, keepRawWebhookBody } from './modules/webhooks/webhooks.routes.ts';
import { createOpenApiRouter } from './modules/openapi/openapi.routes.ts';
import { createOgcRouter } from './modules/ogc/ogc.routes.ts';
import { createTilesRouter, serveTiles } from './modules/tiles/tiles.routes.ts';
import { TilesService } from './modules/tiles/tiles.service.ts';
import { createEmergencyRouter } from './modules/emergency/emergency.routes.ts';
import { createPlanningRouter } from './modules/planning/planning.routes.ts';
import { createHeritageRouter } from './modules/heritage/heritage.routes.ts';
import { createSearchRouter } from './modules/search/search.routes.ts';
import { HeritageService } from './modules/heritage/heritage.service.ts';
import { createCamerasModule, type CamerasModule } from './modules/cameras/cameras-module.ts';
import { createClientConfigRouter, createWebClientRouter } from './modules/web/web.routes.ts';
import { createStylesRouter } from './modules/styles/styles.routes.ts';
import { MetricsAccess } from './modules/metrics/metrics-access.ts';
import { createMetricsRouter } from './modules/metrics/metrics.routes.ts';
import { PlatformMetrics } from './modules/metrics/metrics.service.ts';
import { timeRequests } from './modules/metrics/request-metrics.ts';
import { answerClusterMetrics } from './cluster/cluster-worker.ts';

export interface AppDependencies {
  config: AppConfig;
  database: DatabaseHandle;
  logger: Logger;
}

export interface AppInstance {
  app: Express;
  /** What the HTTP server runs: tile requests answered ahead of Express, everything else by `app`. */
  handler: RequestListener;
  /** What the running app shares with background work (the deadline watcher). */
  reports: ReportsContext;
  /** The camera relay, health checker and status feed (tests and benchmarks read the relay's counters). */
  cameras: CamerasModule;
  /** Resolves once the database subscriptions made their first attempt (listening, or retrying). */
  ready(): Promise<void>;
  /** Stops what the app started: ends the live-feed streams (with a retry hint) and the database subscriptions. */
  close(): Promise<void>;
}

/** The HTTP application: middleware, one router per domain, one error handler. No listening here. */
export function createApp({ config, database, logger }: AppDependencies): AppInstance {
  const app = express();
  const reports: ReportsContext = {
    db: database.db,
    calendar: new ReportCalendarSource(database.db, config.reports.workingHours),
    photoStorage: createPhotoStorage(config.mediaDir),
    config: { nearbyRadiusM: config.reports.nearbyRadiusM, borderFlagDistanceM: config.reports.borderFlagDistanceM },
  };
  const reportFeed = new ReportFeed(database);
  reportFeed.start();
  // Generated 3D tilesets are built (or found up to date) in the background, once per process.
  const heritage = new HeritageService(database.db, { mediaDir: config.mediaDir, logger });
  heritage.start();
  // The camera relay, its health checker (which also keeps the rewind recordings) and status feed.
  const cameras = createCamerasModule(config, database, logger);
  cameras.start();
  // One count of the requests an outage fails, shared by every error handler.
  const outageLog = new ThrottledLog(logger);
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // Read by baseUrlOf (absolute links in documents).
  app.locals.publicBaseUrl = config.publicBaseUrl;
  // Tiles first, ahead of the access log, body and cookie parsing and authentication: they are
  // public, read no body, and come by the hundred per second while a map pans (see serveTiles).
  // Their errors still reach the one error handler, which logs every 5xx.
  const tiles = new TilesService(database, logger, { cacheBytes: config.tileCacheBytes });
  // Locating and routing from memory (LOCATE_INDEX): built in the background, SQL until it is ready.
  const locateIndex = config.locateIndex ? attachLocateIndex(database, logger) : undefined;
  const officeIndex = config.locateIndex ? attachOfficeIndex(database, logger) : undefined;
  const categoryIndex = config.locateIndex ? attachCategoryIndex(database, logger) : undefined;
  // GET /metrics reads the counts where they live (tile cache, pool, live feed; with
  // DATABASE_REPLICA_URL, the replica's lag and reads, from the database handle).
  const metrics = new PlatformMetrics({ database, tiles, feed: reportFeed }, { databaseTimeoutMs: config.healthTimeoutMs });
  // A cluster worker (WEB_CONCURRENCY) hands its metrics to the primary, which aggregates a scrape.
  answerClusterMetrics(() => metrics.scrapeJson());
  const timeRequest = timeRequests(metrics);
  const tileHandler = serveTiles(tiles);
  app.use(tileHandler);
  app.use(createTilesRouter(tiles));
  app.use(
    pinoHttp({
      logger,
      genReqId: (request, response) => {
        const incoming = request.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        response.setHeader('X-Request-Id', id);
        return id;
      },
      // The 503s of a database outage are counted by the error handler's outage log, not one line each.
      customLogLevel: (_request, response, error) =>
        response.statusCode === 503 && response.hasHeader('retry-after') ? 'debug' : error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'info' : 'debug',
    }),
  );
  // Before authentication: its bearer token is METRICS_TOKEN, not a user's.
  app.use(createMetricsRouter(metrics, new MetricsAccess(config.metrics)));
  // A Content-Length past what any route takes: 413 before the body is read (uploads: the photos' limits).
  app.use(refuseOversizedBodies({ multipartBytes: MAX_MULTIPART_BYTES, otherBytes: 1024 * 1024 }));
  // keepRawWebhookBody: signed webhook requests are verified over their exact bytes.
  app.use(express.json({ limit: '1mb', type: ['application/json', 'application/*+json'], verify: keepRawWebhookBody }));
  app.use(refuseNulCharacters);
  app.use(cookieParser());
  app.use(authenticate(database.db));

  // Domain routers, one per module. Everything under /api that no router answers is a JSON 404;
  // the map client's static files mount last.
  app.use(createHealthRouter(database, { timeoutMs: config.healthTimeoutMs }));
  app.use(createOpenApiRouter());
  app.use(createClientConfigRouter(config));
  app.use(createStylesRouter(config, () => tiles.layers().map((layer) => layer.id)));
  app.use(createBoundariesRouter(database.db));
  app.use(createAuthRouter(database.db));
  app.use(createOfficesRouter(database.db));
  app.use(createReportsRouter(reports, reportFeed, { submissionsPerHour: config.reports.submissionsPerHour, cameraStatus: cameras.statusFeed, sse: config.sse }));
  app.use(createAdminRouter(database.db, reports.calendar));
  app.use(createStatisticsRouter(database.db));
  app.use(createWebhooksRouter(reports, { allowedNetworks: config.webhooks.allowedNetworks }));
  app.use(createEmergencyRouter(database.db));
  app.use(createPlanningRouter(database.db));
  app.use(createSearchRouter(database.db));
  app.use(createHeritageRouter(heritage));
  app.use(cameras.router);
  app.use('/open311', createOpen311Router(reports, { submissionsPerHourPerPartner: config.open311SubmissionsPerHour }), createOpen311ErrorHandler(outageLog));
  app.use(createOgcRouter(database.db, tiles));
  app.use('/api', notFoundHandler);
  app.use(createWebClientRouter());
  const respondWithError = createErrorResponder(logger, outageLog);
  app.use(createErrorHandler(logger, outageLog));
  return {
    app,
    // A tile request Express need not see is answered before it, and so are its errors (running it
    // through Express again would run its query again); anything else goes to Express.
    handler: (request, response) => {
      timeRequest(request, response);
      const fallBack = (error?: unknown) => {
        if (error === undefined) app(request, response);
        else if (response.headersSent) response.destroy();
        else respondWithError(error, request, response);
      };
      tileHandler(request, response, (error?: unknown) => (error === undefined ? cameras.segmentHandler(request, response, fallBack) : fallBack(error)));
    },
    reports,
    cameras,
    async ready() {
      await Promise.all([tiles.start(), reportFeed.started()]);
    },
    async close() {
      await reportFeed.close();
      await heritage.close();
      await cameras.close();
      await tiles.close();
      await locateIndex?.detach();
      await officeIndex?.detach();
      await categoryIndex?.detach();
      outageLog.flush();
    },
  };
}
