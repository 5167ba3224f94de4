import express, { Router, type ErrorRequestHandler, type RequestHandler, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { DatabaseRateLimitStore } from '../rate-limits/database-rate-limit-store.ts';
import { baseUrlOf } from '../../http/base-url.ts';
import { AppError, type ErrorCode } from '../../errors/app-error.ts';
import { errorHeaders, toAppError } from '../../http/error-handler.ts';
import type { ThrottledLog } from '../../logging/throttled-log.ts';
import { parseInput } from '../../http/validate-input.ts';
import type { ReportsContext } from '../reports/reports-context.ts';
import { errorDocument, formatOf, sendOpen311, type Open311Document, type Open311Format } from './open311-format.ts';
import {
  apiKeySchema,
  createRequestBodySchema,
  jurisdictionSchema,
  listRequestsQuerySchema,
  localeSchema,
  partnerIdempotencyKeySchema,
  requestIdSchema,
} from './open311.schema.ts';
import {
  assertJurisdiction,
  authenticatePartner,
  createServiceRequest,
  describeDiscovery,
  getServiceDefinition,
  listServices,
  type Open311Client,
  type Open311View,
} from './open311.service.ts';
import { getServiceRequest, listServiceRequests, resolveToken } from './open311-requests.service.ts';

/**
 * Open311 GeoReport v2, mounted at `/open311`: `/open311/v2/services.xml`, `…/requests.json`… The
 * format is the resource's extension (`.xml`, `.json`), else the Accept header, else XML. Mount
 * `createOpen311ErrorHandler` right after this router, on the same path, so that every error under
 * `/open311` (body parsing included) is answered in the spec's error format.
 */
export function createOpen311Router(context: ReportsContext, options: { submissionsPerHourPerPartner: number }): Router {
  const router = Router();
  const { db } = context;
  // The key first: a caller without one learns nothing else about the request. Only from the body:
  // a key in the query string would be written to access logs.
  const authenticate: RequestHandler = async (request, response, next) => {
    response.locals.partner = await authenticatePartner(db, apiKeySchema.parse((request.body as Record<string, unknown> | undefined)?.api_key));
    next();
  };
  // Per partner key, not per connection: one partner's servers may share an address, and a leaked
  // key is limited wherever it is used from.
  const perPartner = rateLimit({
    windowMs: 60 * 60 * 1000,
    limit: options.submissionsPerHourPerPartner,
    // Shared by every API process on this database.
    store: new DatabaseRateLimitStore(db, 'open311:'),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (_request, response) => `partner:${(response.locals.partner as Open311Client).id}`,
    handler: (_request, _response, next) =>
      next(
        new AppError('RATE_LIMITED', `Too many service requests with this api_key: at most ${options.submissionsPerHourPerPartner} per hour. Try again later.`, {
          vi: `Đối tác đã gửi quá nhiều phản ánh (tối đa ${options.submissionsPerHourPerPartner} mỗi giờ). Vui lòng thử lại sau.`,
        }),
      ),
  });
  // The spec's POST body is form-encoded; JSON bodies are parsed by the app already.
  const formBody = express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 100 });

  router.get('/v2/discovery{.:format}', (request, response) => {
    const { format, view } = readRequest(request);
    send(response, format, view, describeDiscovery(view), 'public, max-age=300');
  });

  router.get('/v2/services{.:format}', async (request, response) => {
    const { format, view } = readRequest(request);
    send(response, format, view, await listServices(db, view), 'public, max-age=60');
  });

  router.get('/v2/services/:serviceCode{.:format}', async (request, response) => {
    const { format, view } = readRequest(request);
    send(response, format, view, await getServiceDefinition(db, request.params.serviceCode, view), 'public, max-age=60');
  });

  router.post('/v2/requests{.:format}', formBody, authenticate, perPartner, async (request, response) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const { format, view } = readRequest(request);
    const client = response.locals.partner as Open311Client;
    assertJurisdiction(parseInput(jurisdictionSchema, body.jurisdiction_id, 'body'));
    const input = parseInput(createRequestBodySchema, body, 'body');
    const rawKey = request.get('idempotency-key');
    const idempotencyKey = rawKey === undefined ? undefined : parseInput(partnerIdempotencyKeySchema, rawKey, 'body');
    const created = await createServiceRequest(context, client, input, { ...(idempotencyKey ? { idempotencyKey } : {}), locale: view.locale });
    if (!created.created) response.set('Idempotent-Replayed', 'true');
    response.location(`${view.baseUrl}/open311/v2/requests/${created.trackingCode}.${format}`);
    send(response, format, view, created.document, 'no-store', created.created ? 201 : 200);
  });

  router.get('/v2/requests{.:format}', async (request, response) => {
    const { format, view } = readRequest(request);
    const query = parseInput(listRequestsQuerySchema, request.query, 'query');
    send(response, format, view, await listServiceRequests(db, query, view), 'no-cache');
  });

  router.get('/v2/requests/:requestId{.:format}', async (request, response) => {
    const { format, view } = readRequest(request);
    const id = parseInput(requestIdSchema, request.params.requestId, 'path');
    send(response, format, view, await getServiceRequest(db, id, view), 'no-cache');
  });

  router.get('/v2/tokens/:token{.:format}', async (request, response) => {
    const { format, view } = readRequest(request);
    const token = parseInput(requestIdSchema, request.params.token, 'path');
    send(response, format, view, await resolveToken(db, token), 'no-cache');
  });

  router.use((request, _response, next) => {
    next(
      new AppError('NOT_FOUND', `No such Open311 resource: ${request.method} ${request.baseUrl}${request.path}. Start at GET /open311/v2/discovery.xml.`, {
        vi: `Không có địa chỉ ${request.method} ${request.baseUrl}${request.path}.`,
      }),
    );
  });

  return router;
}

/** What every endpoint reads first: format, language, our own root URL, and the jurisdiction. */
function readRequest(request: Request): { format: Open311Format; view: Open311View } {
  const format = formatOf(request);
  assertJurisdiction(parseInput(jurisdictionSchema, request.query.jurisdiction_id, 'query'));
  // `locale` (not in the spec, harmless to clients that ignore it) wins over Accept-Language.
  const locale = localeSchema.parse(request.query.locale) ?? (request.acceptsLanguages('vi', 'en') === 'en' ? 'en' : 'vi');
  return { format, view: { locale, baseUrl: baseUrlOf(request) } };
}

function send(response: Response, format: Open311Format, view: Open311View, document: Open311Document, cacheControl: string, status = 200): void {
  response.vary('Accept').vary('Accept-Language').set('Content-Language', view.locale).set('Cache-Control', cacheControl);
  sendOpen311(response, format, document, status);
}

/**
 * The spec's HTTP codes: 404 for what does not exist, 403 for a missing or wrong api_key, 400 for
 * every other request that cannot be fulfilled; our own failures stay 5xx.
 */
function open311Status(code: ErrorCode, status: number): number {
  if (code === 'NOT_FOUND') return 404;
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return 403;
  // Not among the spec's codes, but what every HTTP client knows means "slow down" (with RateLimit headers).
  if (code === 'RATE_LIMITED') return 429;
  return status >= 500 ? status : 400;
}

interface BodyParserError extends Error {
  type?: string;
}

const bodyParserMessages: Record<string, string> = {
  'entity.parse.failed': 'The request body could not be read: send application/x-www-form-urlencoded (as the spec says) or valid JSON.',
  'entity.too.large': 'The request body is too large (at most 1 MB).',
  'encoding.unsupported': 'The request body must be UTF-8.',
  'charset.unsupported': 'The request body must be UTF-8.',
  'parameters.too.many': 'The request body has too many parameters.',
};

/** Every error under /open311 as the spec's `[{ code, description }]`, in the request's format. */
export function createOpen311ErrorHandler(outageLog?: ThrottledLog): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const format = formatOf(request, true);
    let status: number;
    let errors: Array<{ code: number; description: string }>;
    const parserMessage = bodyParserMessages[(error as BodyParserError)?.type ?? ''];
    const appError = parserMessage ? undefined : toAppError(error, outageLog);
    if (appError) {
      status = open311Status(appError.code, appError.status);
      response.set(errorHeaders(appError));
      const details = Array.isArray(appError.details) ? (appError.details as Array<{ parameter?: unknown; problem?: unknown }>) : [];
      const described = details.filter((detail) => typeof detail?.parameter === 'string' && typeof detail.problem === 'string');
      errors =
        described.length > 0
          ? described.map((detail) => ({ code: status, description: `${String(detail.parameter)}: ${String(detail.problem)}` }))
          : [{ code: status, description: appError.message }];
    } else if (parserMessage) {
      status = 400;
      errors = [{ code: status, description: parserMessage }];
    } else {
      status = 500;
      request.log.error({ err: error }, 'unhandled error in open311');
      errors = [{ code: status, description: `Something went wrong on our side. Please try again; if it keeps happening, report the request id ${String(request.id ?? '')}.` }];
    }
    response.set('Cache-Control', 'no-store').vary('Accept');
    sendOpen311(response, format, errorDocument(errors), status);
  };
}
