import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSharedTestDatabase, startTestServer, type TestServer } from '../../testing/index.ts';

describe('GET /styles/default.json', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(await getSharedTestDatabase());
  });
  afterAll(async () => {
    await server?.close();
  });

  it('publishes the composed style, absolute on the origin asked, cross-origin, revalidated by ETag', async () => {
    const response = await fetch(`${server.baseUrl}/styles/default.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const style = (await response.json()) as { version: number; glyphs: string; sources: Record<string, { url: string }>; layers: { id: string }[] };
    expect(style.version).toBe(8);
    expect(style.glyphs).toBe(`${server.baseUrl}/fonts/{fontstack}/{range}.pbf`);
    expect(style.sources['basemap-roads']!.url).toBe(`${server.baseUrl}/tiles/basemap-roads.json`);
    const ids = style.layers.map((layer) => layer.id);
    expect(ids.indexOf('basemap-road-line')).toBeLessThan(ids.indexOf('reports-pin'));
    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    expect((await fetch(`${server.baseUrl}/styles/default.json`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    const italic = await fetch(`${server.baseUrl}/fonts/Noto%20Sans%20Italic/7680-7935.pbf`);
    expect(italic.status).toBe(200);
    expect((await italic.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });
});
