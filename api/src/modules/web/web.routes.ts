import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tourCodeFromPath } from '@bandoso/contracts';
import express, { Router, type Response } from 'express';
import type { AppConfig } from '../../config/config.ts';
import { parseInput } from '../../http/validate-input.ts';
import { glyphRequestSchema } from './web.schema.ts';
import { buildClientConfig, emptyGlyphRange, glyphFile, listFontStacks, resolveFontStack } from './web.service.ts';

const mapClientRoot = fileURLToPath(new URL('../../../../map-client/', import.meta.url));

export interface WebClientOptions {
  /** The built client (`vite build` output). Default: map-client/dist. */
  clientDirectory?: string;
  /** The SDF glyph PBFs, one folder per font stack. Default: map-client/glyphs. */
  glyphDirectory?: string;
}

/** `GET /api/client-config`: mounted with the API routers (before the API's 404). */
export function createClientConfigRouter(config: Pick<AppConfig, 'basemapStyleUrl'> & Partial<Pick<AppConfig, 'seedSampleData'>>): Router {
  const router = Router();
  const body = buildClientConfig(config);
  router.get('/api/client-config', (_request, response) => {
    response.setHeader('Cache-Control', 'no-cache');
    response.json(body);
  });
  return router;
}

/** Files whose name does not change when their content does: the browser must always ask again. */
const revalidatedFiles = new Set(['index.html', 'tour.html', 'sw.js', 'manifest.webmanifest', 'registerSW.js']);
/** Paths the client's history fallback must never answer with the page. */
const nonPagePrefixes = ['/api/', '/tiles', '/fonts/', '/ogc', '/assets/'];

/**
 * The map client: static files of the Vite build (hashed assets cached for a year, the page and the
 * service worker revalidated every time), the label glyphs, and index.html for client-side routes
 * (`/planning`, `/ioc`…) or tour.html for a heritage tour (`/heritage/{code}`). Mounted after the API's 404, so API paths never get the page.
 */
export function createWebClientRouter(options: WebClientOptions = {}): Router {
  const clientDirectory = options.clientDirectory ?? path.join(mapClientRoot, 'dist');
  const glyphDirectory = options.glyphDirectory ?? path.join(mapClientRoot, 'glyphs');
  const router = Router();

  router.get('/fonts/:fontstack/:file', (request, response) => {
    const glyph = parseInput(glyphRequestSchema, request.params, 'path');
    const available = listFontStacks(glyphDirectory);
    const fontStack = resolveFontStack(glyph.fontstack, available);
    const file = glyphFile(glyphDirectory, fontStack, glyph.file.start, glyph.file.end);
    response.setHeader('Content-Type', 'application/x-protobuf');
    // Like the tiles and the published style: other MapLibre clients (QGIS…) load the glyphs too.
    response.setHeader('Access-Control-Allow-Origin', '*');
    // Not content-hashed, but fonts change only with a release: a week, then revalidate (ETag).
    response.setHeader('Cache-Control', 'public, max-age=604800');
    if (fs.existsSync(file)) {
      response.sendFile(file, { lastModified: true, etag: true, cacheControl: false });
      return;
    }
    response.send(emptyGlyphRange(fontStack, glyph.file.start, glyph.file.end));
  });

  // The build's text assets, gzipped at build time (map-client/tools/precompress-plugin.ts), to every
  // browser that accepts it; the others, and files without a .gz, get the file itself below.
  router.get('/assets/:file', (request, response, next) => {
    const name = request.params.file;
    if (!/^[\w-][\w.-]*$/.test(name) || !request.acceptsEncodings('gzip')) return next();
    const compressed = path.join(clientDirectory, 'assets', `${name}.gz`);
    if (!fs.existsSync(compressed)) return next();
    response.type(path.extname(name));
    response.setHeader('Content-Encoding', 'gzip');
    setClientCacheHeaders(response, path.join('assets', name));
    response.sendFile(compressed, { cacheControl: false, lastModified: true, etag: true });
  });

  router.use(
    express.static(clientDirectory, {
      index: false,
      redirect: false,
      setHeaders(response, file) {
        setClientCacheHeaders(response, path.relative(clientDirectory, file));
      },
    }),
  );

  router.get(/.*/, (request, response, next) => {
    if (nonPagePrefixes.some((prefix) => request.path.startsWith(prefix))) return next();
    // A path with a file extension is a missing file, not a page: let it 404.
    if (/\.[a-z0-9]+$/i.test(request.path)) return next();
    if (!request.accepts('html')) return next();
    // A heritage site's 3D tour has its own page, without the map (a build from before it had none).
    const page = path.join(clientDirectory, tourCodeFromPath(request.path) !== undefined && fs.existsSync(path.join(clientDirectory, 'tour.html')) ? 'tour.html' : 'index.html');
    if (!fs.existsSync(page)) {
      response.status(503).setHeader('Cache-Control', 'no-store').type('html').send(clientNotBuiltPage);
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(page, { cacheControl: false });
  });
  return router;
}

function setClientCacheHeaders(response: Response, relativePath: string): void {
  const name = path.basename(relativePath);
  if (relativePath.startsWith(`assets${path.sep}`)) {
    response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    // The same URL is answered gzipped or not, by the request's Accept-Encoding.
    response.vary('Accept-Encoding');
  }
  else if (revalidatedFiles.has(name) || name.startsWith('workbox-')) response.setHeader('Cache-Control', 'no-cache');
  else response.setHeader('Cache-Control', 'public, max-age=3600');
}

const clientNotBuiltPage = `<!doctype html>
<html lang="vi"><meta charset="utf-8"><title>Bản đồ số — chưa có giao diện</title>
<body style="font-family:sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5">
<h1>Giao diện bản đồ chưa được build</h1>
<p>Hãy chạy <code>npm run build</code> (hoặc <code>npm start</code>, lệnh này tự build khi cần) rồi tải lại trang.</p>
<p lang="en">The map client has not been built. Run <code>npm run build</code> (or <code>npm start</code>, which builds it when needed), then reload.</p>
</body></html>`;
