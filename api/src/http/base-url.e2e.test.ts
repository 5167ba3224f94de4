import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/config.ts';
import { getSharedTestDatabase, startTestServer, type TestServer } from '../testing/index.ts';

// Behind a reverse proxy the request's Host is often the proxy's view of the platform
// (127.0.0.1:3000); the links partners follow must use the public origin.
describe('absolute links use PUBLIC_BASE_URL when it is set', () => {
  const origin = 'https://bando.dienbien.gov.vn';
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(await getSharedTestDatabase(), { PUBLIC_BASE_URL: `${origin}/` });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('in TileJSON, the tile catalog, OGC API and Open311 documents', async () => {
    const tileJson = (await (await fetch(`${server.baseUrl}/tiles/communes.json`)).json()) as { tiles: string[] };
    expect(tileJson.tiles).toEqual([`${origin}/tiles/communes/{z}/{x}/{y}.mvt`]);
    const catalog = (await (await fetch(`${server.baseUrl}/tiles`)).json()) as { layers: Array<{ tilejson: string }> };
    expect(catalog.layers.every((layer) => layer.tilejson.startsWith(`${origin}/tiles/`))).toBe(true);
    const landing = (await (await fetch(`${server.baseUrl}/ogc`)).json()) as { links: Array<{ href: string }> };
    expect(landing.links.length).toBeGreaterThan(0);
    expect(landing.links.every((link) => link.href.startsWith(`${origin}/ogc`))).toBe(true);
    const discovery = await (await fetch(`${server.baseUrl}/open311/v2/discovery.json`)).json();
    expect(JSON.stringify(discovery)).toContain(`"${origin}/open311/v2"`);
    expect(JSON.stringify(discovery)).not.toContain('127.0.0.1');
  });

  it('is an origin: a path or a non-URL stops start-up with a message', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://bando.dienbien.gov.vn' }).publicBaseUrl).toBe(origin);
    expect(loadConfig({}).publicBaseUrl).toBeUndefined();
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'https://bando.dienbien.gov.vn/map' })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'bando.dienbien.gov.vn' })).toThrow(/PUBLIC_BASE_URL/);
  });
});
