import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlyphRange } from '../../../../map-client/src/map/glyph-pbf.ts';
import { createErrorHandler } from '../../http/error-handler.ts';
import { createLogger } from '../../logging/logger.ts';
import { listen, type RunningServer } from '../../server.ts';
import { getSharedTestDatabase, rawRequest, startTestServer, type TestServer } from '../../testing/index.ts';
import { createWebClientRouter } from './web.routes.ts';

let platform: TestServer;

beforeAll(async () => {
  platform = await startTestServer(await getSharedTestDatabase());
});
afterAll(() => platform.close());

describe('GET /api/client-config', () => {
  it('tells the client where the tiles and glyphs are, and that there is no base map by default', async () => {
    const response = await fetch(`${platform.baseUrl}/api/client-config`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const body = await response.json();
    expect(body).toMatchObject({
      basemapStyleUrl: null,
      tilesUrl: '/tiles',
      glyphsUrl: '/fonts/{fontstack}/{range}.pbf',
      fontStacks: { regular: 'Noto Sans Regular', bold: 'Noto Sans Bold' },
      defaultLanguage: 'vi',
    });
    const [west, south, east, north] = body.provinceBounds;
    const [lon, lat] = body.defaultCenter;
    expect(lon).toBeGreaterThan(west);
    expect(lon).toBeLessThan(east);
    expect(lat).toBeGreaterThan(south);
    expect(lat).toBeLessThan(north);
  });

  it('passes BASEMAP_STYLE_URL through when a deployment sets it', async () => {
    const server = await startTestServer(await getSharedTestDatabase(), { BASEMAP_STYLE_URL: 'https://tiles.example.vn/styles/basic/style.json' });
    try {
      const body = await (await fetch(`${server.baseUrl}/api/client-config`)).json();
      expect(body.basemapStyleUrl).toBe('https://tiles.example.vn/styles/basic/style.json');
    } finally {
      await server.close();
    }
  });
});

describe('GET /fonts/{fontstack}/{range}.pbf', () => {
  async function glyphs(fontstack: string, range: string) {
    const response = await fetch(`${platform.baseUrl}/fonts/${encodeURIComponent(fontstack)}/${range}.pbf`);
    return { response, decoded: response.status === 200 ? decodeGlyphRange(new Uint8Array(await response.arrayBuffer())) : undefined };
  }

  it('serves every Vietnamese letter, precomposed, with SDF bitmaps', async () => {
    const text = 'Mường Phăng Điện Biên Phủ Tuần Giáo Nậm Pồ Mường Nhé Sín Thầu Chà Tở Thanh Nưa Ẳng Tở Pú Nhung ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ';
    const codePoints = [...new Set([...text.normalize('NFC')].map((character) => character.codePointAt(0)!))];
    const ranges = new Map<string, Set<number>>();
    for (const fontstack of ['Noto Sans Regular', 'Noto Sans Bold', 'Noto Sans Italic']) {
      for (const codePoint of codePoints) {
        const start = Math.floor(codePoint / 256) * 256;
        const key = `${fontstack} ${start}`;
        if (!ranges.has(key)) {
          const { response, decoded } = await glyphs(fontstack, `${start}-${start + 255}`);
          expect(response.status).toBe(200);
          expect(response.headers.get('content-type')).toBe('application/x-protobuf');
          expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
          expect(response.headers.get('access-control-allow-origin')).toBe('*');
          expect(decoded!.name).toBe(fontstack);
          ranges.set(key, new Set(decoded!.glyphs.filter((glyph) => glyph.id === 32 || (glyph.bitmap?.length ?? 0) > 0).map((glyph) => glyph.id)));
        }
        expect(ranges.get(`${fontstack} ${start}`)!.has(codePoint), `${fontstack} U+${codePoint.toString(16)} ${String.fromCodePoint(codePoint)}`).toBe(true);
      }
      ranges.clear();
    }
  });

  it('answers a font it does not have with Noto Sans of the nearest weight (a base map may ask for others)', async () => {
    const { response, decoded } = await glyphs('Open Sans Semibold,Arial Unicode MS Bold', '0-255');
    expect(response.status).toBe(200);
    expect(decoded!.name).toBe('Noto Sans Bold');
    const regular = await glyphs('Open Sans Regular,Arial Unicode MS Regular', '0-255');
    expect(regular.decoded!.name).toBe('Noto Sans Regular');
  });

  it('answers a range the font does not cover with an empty, valid range instead of an error', async () => {
    const { response, decoded } = await glyphs('Noto Sans Regular', '19968-20223');
    expect(response.status).toBe(200);
    expect(decoded).toEqual({ name: 'Noto Sans Regular', range: '19968-20223', glyphs: [] });
  });

  it.each([
    ['a range not on a 256 boundary', '100-355'],
    ['a range of the wrong size', '0-511'],
    ['beyond the Basic Multilingual Plane', '65536-65791'],
  ])('answers 400 for %s', async (_name, range) => {
    const response = await fetch(`${platform.baseUrl}/fonts/Noto%20Sans%20Regular/${range}.pbf`);
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a font stack that tries to leave the glyph folder', async () => {
    const response = await fetch(`${platform.baseUrl}/fonts/..%2F..%2Fapi/0-255.pbf`);
    expect(response.status).toBe(400);
  });
});

/** A script big enough to be worth compressing. */
const bigScript = Array.from({ length: 400 }, (_, index) => `console.log('line ${index} of a bundle');`).join('\n');

describe('the built client (a stand-in build in a temporary folder)', () => {
  let directory: string;
  let server: RunningServer;
  let baseUrl: string;

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'bandoso-web-'));
    fs.mkdirSync(path.join(directory, 'assets'));
    fs.writeFileSync(path.join(directory, 'index.html'), '<!doctype html><title>Bản đồ số</title>');
    fs.writeFileSync(path.join(directory, 'tour.html'), '<!doctype html><title>Di tích 3D</title>');
    fs.writeFileSync(path.join(directory, 'assets', 'main-abc123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(directory, 'assets', 'big-abc123.js'), bigScript);
    fs.writeFileSync(path.join(directory, 'assets', 'big-abc123.js.gz'), gzipSync(bigScript));
    fs.writeFileSync(path.join(directory, 'sw.js'), 'self.addEventListener("fetch", () => {})');
    fs.writeFileSync(path.join(directory, 'manifest.webmanifest'), '{}');
    fs.writeFileSync(path.join(directory, 'icon-192.png'), 'png');
    const app = express();
    app.get('/api/thing', (_request, response) => void response.json({ ok: true }));
    app.use(createWebClientRouter({ clientDirectory: directory }));
    app.use(createErrorHandler(createLogger('silent')));
    server = await listen(app, 0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('serves the page at / and revalidates it every time', async () => {
    const response = await fetch(`${baseUrl}/`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('Bản đồ số');
  });

  it('caches hashed assets for a year, immutable', async () => {
    const response = await fetch(`${baseUrl}/assets/main-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toMatch(/javascript/);
  });

  it('answers the build’s gzipped copy of an asset to a browser that accepts gzip, and the file itself to one that does not', async () => {
    const gzipped = await rawRequest(baseUrl, '/assets/big-abc123.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['content-type']).toMatch(/javascript/);
    expect(gzipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(gzipped.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(gzipped.body).toString('utf8')).toBe(bigScript);
    expect(gzipped.body.length).toBeLessThan(bigScript.length / 4);

    const plain = await rawRequest(baseUrl, '/assets/big-abc123.js', { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/);
    expect(plain.body.toString('utf8')).toBe(bigScript);
    // Without a .gz beside it, gzip or not, the file itself.
    const small = await rawRequest(baseUrl, '/assets/main-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.toString('utf8')).toBe('console.log(1)');
  });

  it('revalidates the service worker and the manifest', async () => {
    for (const file of ['sw.js', 'manifest.webmanifest']) {
      const response = await fetch(`${baseUrl}/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('cache-control'), file).toBe('no-cache');
    }
    expect((await fetch(`${baseUrl}/icon-192.png`)).headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('answers client routes with the page (history fallback)', async () => {
    for (const route of ['/planning', '/ioc', '/reports/DB-1234']) {
      const response = await fetch(`${baseUrl}${route}`, { headers: { accept: 'text/html,application/xhtml+xml' } });
      expect(response.status, route).toBe(200);
      expect(await response.text(), route).toContain('Bản đồ số');
    }
  });

  it('answers a heritage tour (/heritage/{code}) with its own page, and the heritage list with the map', async () => {
    for (const route of ['/heritage/DT-A1', '/heritage/DT-A1/', '/heritage/%C4%90T-1']) {
      const response = await fetch(`${baseUrl}${route}`, { headers: { accept: 'text/html' } });
      expect(response.status, route).toBe(200);
      expect(response.headers.get('cache-control'), route).toBe('no-cache');
      expect(await response.text(), route).toContain('Di tích 3D');
    }
    for (const route of ['/heritage', '/heritage/tilesets', '/heritage/DT-A1/stops']) {
      const response = await fetch(`${baseUrl}${route}`, { headers: { accept: 'text/html' } });
      expect(await response.text(), route).toContain('Bản đồ số');
    }
    expect((await fetch(`${baseUrl}/tour.html`)).headers.get('cache-control')).toBe('no-cache');
  });

  it('never answers a missing file, an API path or a tile with the page', async () => {
    expect((await fetch(`${baseUrl}/assets/missing-000.js`, { headers: { accept: '*/*' } })).status).toBe(404);
    expect((await fetch(`${baseUrl}/maplibre-gl-worker.mjs`, { headers: { accept: '*/*' } })).status).toBe(404);
    expect((await fetch(`${baseUrl}/api/nothing`, { headers: { accept: 'text/html' } })).status).toBe(404);
    expect((await fetch(`${baseUrl}/tiles/communes/8/203/113.mvt`, { headers: { accept: 'text/html' } })).status).toBe(404);
    expect((await fetch(`${baseUrl}/api/thing`)).status).toBe(200);
  });

  it('says how to build the client when it is missing', async () => {
    const app = express();
    app.use(createWebClientRouter({ clientDirectory: path.join(directory, 'not-built') }));
    const bare = await listen(app, 0, '127.0.0.1');
    try {
      const response = await fetch(`http://127.0.0.1:${bare.port}/`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });
});
