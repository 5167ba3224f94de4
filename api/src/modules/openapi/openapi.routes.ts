import { Router } from 'express';
import { buildOpenApiDocument } from './openapi.document.ts';

export function createOpenApiRouter(): Router {
  const router = Router();
  router.get('/api/openapi.json', (_request, response) => {
    response.set('Cache-Control', 'public, max-age=300').json(buildOpenApiDocument());
  });
  return router;
}
