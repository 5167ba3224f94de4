import { cameraWatchBodySchema } from '@bandoso/contracts';
import type { ServerResponse } from 'node:http';
import querystring from 'node:querystring';
import { Router, type Request } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import type { NodeHandler } from '../../http/node-handler.ts';
import { parseInput } from '../../http/validate-input.ts';
import { requireRole } from '../auth/auth.middleware.ts';
import { CameraUnavailableError, type CameraRelay } from './camera-relay.ts';
import type { CameraUrlSigner } from './camera-url-signing.ts';
import { cameraCreateSchema, cameraIdSchema, cameraPatchSchema, camerasSeeingQuerySchema, segmentNameSchema, streamQuerySchema } from './cameras.schema.ts';
import { cameraHistory, camerasSeeing, createCamera, listCamerasFor, listRegistry, retireCamera, updateCamera, watchCamera, type RegistryOptions } from './cameras.service.ts';

export interface CamerasRouterOptions extends RegistryOptions {
  relay: CameraRelay;
  signer: CameraUrlSigner;
  watchTtlS: number;
  rewindMinutes: number;
}

const signatureRefused = (problem: 'missing' | 'expired' | 'invalid') =>
  new AppError(
    'FORBIDDEN',
    problem === 'expired' ? 'This stream link has expired: ask for a new one (POST /api/cameras/{id}/watch); the map’s player does so by itself.' : 'This stream link is not valid: ask for one with POST /api/cameras/{id}/watch.',
    { vi: problem === 'expired' ? 'Liên kết xem camera đã hết hạn; hãy mở lại camera.' : 'Liên kết xem camera không hợp lệ; hãy mở lại camera từ bản đồ.' },
  );

/** The relay's failure as the API's: 503 with Retry-After, and never the camera's address. */
function asAppError(error: unknown): unknown {
  if (!(error instanceof CameraUnavailableError)) return error;
  return new AppError('CAMERA_UNAVAILABLE', `${error.message} Trying again in a few seconds may help.`, { vi: 'Không nhận được hình ảnh từ camera; hệ thống sẽ thử lại sau vài giây.' });
}

/**
 * Cameras: the list and the cameras that see a place (public ones for everyone, all for the IOC),
 * signed stream URLs, the relayed playlists and segments, and the registry for IOC operators and
 * admins.
 */
export function createCamerasRouter(db: Kysely<Database>, options: CamerasRouterOptions): Router {
  const router = Router();
  const operations = requireRole('ioc_operator', 'admin');
  const { relay, signer } = options;

  router.get('/api/cameras', async (request, response) => {
    response.set('Cache-Control', 'no-cache').type('application/geo+json').send(JSON.stringify(await listCamerasFor(db, request.principal)));
  });

  router.get('/api/cameras/seeing', async (request, response) => {
    const query = parseInput(camerasSeeingQuerySchema, request.query, 'query');
    response.set('Cache-Control', 'no-cache').json(await camerasSeeing(db, request.principal, query.lon, query.lat));
  });

  router.post('/api/cameras/:id/watch', async (request, response) => {
    const id = parseInput(cameraIdSchema, request.params.id, 'path');
    const body = parseInput(cameraWatchBodySchema, request.body ?? {}, 'body');
    response.set('Cache-Control', 'no-store').json(await watchCamera(db, request.principal, id, body.from, { signer, ttlS: options.watchTtlS, rewindMinutes: options.rewindMinutes }));
  });

  /** The camera id of a signed stream request, or the 403 that refuses it. */
  const signedCamera = (request: Request) => {
    const id = parseInput(cameraIdSchema, request.params.id, 'path');
    const query = parseInput(streamQuerySchema, request.query, 'query');
    const problem = signer.problem(id, query.exp, query.sig, Math.floor(Date.now() / 1000));
    if (problem) throw signatureRefused(problem);
    return { id, query, signature: `exp=${query.exp}&sig=${query.sig}` };
  };

  router.get('/api/cameras/:id/stream.m3u8', async (request, response) => {
    const { id, query, signature } = signedCamera(request);
    // Segments are named relative to the playlist and carry its signature.
    const segmentUri = (name: string) => `segments/${name}?${signature}`;
    let playlist: string | undefined;
    try {
      playlist = query.from !== undefined ? await relay.rewindPlaylist(id, new Date(query.from), segmentUri) : await relay.livePlaylist(id, segmentUri);
    } catch (error) {
      throw asAppError(error);
    }
    if (playlist === undefined) {
      throw new AppError('NOT_FOUND', 'Nothing was recorded from this camera at that time (it was offline, or the time is outside the rewind window).', {
        vi: 'Không có hình ảnh camera được lưu vào thời điểm đó.',
      });
    }
    response.set({ 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': 'no-cache, no-store' }).send(playlist);
  });

  // Segments: answered ahead of Express by `serveCameraSegments` (below); this route is the same for
  // a request that reaches Express anyway (e.g. through a prefix).
  router.get('/api/cameras/:id/segments/:name', (request, response, next) => {
    answerSegment(relay, signer, String(request.params.id), String(request.params.name), request.query, response).catch(next);
  });

  // ---- the registry ----------------------------------------------------------------------------------

  router.get('/api/admin/cameras', operations, async (_request, response) => {
    response.set('Cache-Control', 'no-store').json(await listRegistry(db));
  });

  router.post('/api/admin/cameras', operations, async (request, response) => {
    const input = parseInput(cameraCreateSchema, request.body, 'body');
    response.status(201).json(await createCamera(db, request.principal!, input, options));
  });

  router.patch('/api/admin/cameras/:id', operations, async (request, response) => {
    const id = parseInput(cameraIdSchema, request.params.id, 'path');
    const patch = parseInput(cameraPatchSchema, request.body, 'body');
    const { camera, sourceChanged } = await updateCamera(db, request.principal!, id, patch, options);
    if (sourceChanged) relay.forget(id);
    response.json(camera);
  });

  router.delete('/api/admin/cameras/:id', operations, async (request, response) => {
    const id = parseInput(cameraIdSchema, request.params.id, 'path');
    await retireCamera(db, request.principal!, id);
    relay.forget(id);
    response.status(204).end();
  });

  router.get('/api/admin/cameras/:id/events', operations, async (request, response) => {
    const id = parseInput(cameraIdSchema, request.params.id, 'path');
    response.set('Cache-Control', 'no-store').json(await cameraHistory(db, id));
  });

  return router;
}

const SEGMENT_PATH = /^\/api\/cameras\/([^/?]+)\/segments\/([^/?]+)(?:\?(.*))?$/;

/** A segment for a signed request: from the relay's cache (or one shared fetch), or 403 / 404 / 503. */
async function answerSegment(relay: CameraRelay, signer: CameraUrlSigner, rawId: string, rawName: string, rawQuery: unknown, response: ServerResponse): Promise<void> {
  const id = parseInput(cameraIdSchema, rawId, 'path');
  const query = parseInput(streamQuerySchema, rawQuery, 'query');
  const problem = signer.problem(id, query.exp, query.sig, Math.floor(Date.now() / 1000));
  if (problem) throw signatureRefused(problem);
  const name = parseInput(segmentNameSchema, rawName, 'path');
  let segment: Awaited<ReturnType<CameraRelay['segment']>>;
  try {
    segment = await relay.segment(id, name);
  } catch (error) {
    throw asAppError(error);
  }
  if (!segment) throw new AppError('NOT_FOUND', 'This segment is no longer kept: reload the playlist.', { vi: 'Đoạn video này không còn; hãy tải lại.' });
  // Private: a segment is only for holders of a signed URL; it never changes once written.
  response.writeHead(200, { 'Content-Type': segment.contentType, 'Content-Length': segment.body.length, 'Cache-Control': 'private, max-age=60' });
  response.end(segment.body);
}

/**
 * Segments ahead of Express, as tiles are: every viewer asks for one each target duration, they are
 * public to whoever holds a signed URL (no session, no body, no cookies), and Express's middleware
 * would cost more than the answer. Errors go to the same error handler.
 */
export function serveCameraSegments(relay: CameraRelay, signer: CameraUrlSigner): NodeHandler {
  return (request, response, next) => {
    const match = request.method === 'GET' ? SEGMENT_PATH.exec(request.url ?? '') : null;
    if (!match) {
      next();
      return;
    }
    let id: string;
    let name: string;
    try {
      id = decodeURIComponent(match[1]!);
      name = decodeURIComponent(match[2]!);
    } catch {
      next();
      return;
    }
    answerSegment(relay, signer, id, name, match[3] ? { ...querystring.parse(match[3]) } : {}, response).catch(next);
  };
}
