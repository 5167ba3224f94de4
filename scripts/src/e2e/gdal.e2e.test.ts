import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTile, tileContaining } from '@bandoso/tiles';
import { getSharedTestDatabase, repositoryRoot, startTestServer, type TestServer } from '@bandoso/api/testing';

/**
 * The README's "Open it in QGIS or GDAL" commands, run against a live server with Debian's GDAL
 * (`gdal-bin`; .ci/run installs it): `ogrinfo` on the OGC API – Features (the OAPIF driver) and on
 * one vector tile (the MVT driver). Without ogrinfo these tests are skipped with a plain message,
 * except under CI=true, where a missing GDAL fails the run.
 */
const candidates = [process.env.OGRINFO_PATH, '/usr/bin/ogrinfo', '/usr/local/bin/ogrinfo'].filter((item): item is string => Boolean(item));
const ogrinfoPath = candidates.find((candidate) => fs.existsSync(candidate));
const missingGdalMessage = `ogrinfo not found (looked at ${candidates.join(', ')}). Install GDAL with \`apt-get install --no-install-recommends gdal-bin\` or set OGRINFO_PATH.`;

function describeWithGdal(name: string, body: () => void): void {
  if (ogrinfoPath) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs GDAL (CI=true: a missing ogrinfo fails the run)', () => {
        throw new Error(missingGdalMessage);
      });
    });
    return;
  }
  console.warn(`\n[GDAL tests skipped] ${missingGdalMessage}\n`);
  describe.skip(name, body);
}

const run = promisify(execFile);

/** ogrinfo with the server on this machine: no proxy, no retries, no cache between calls. */
async function ogrinfo(...args: string[]): Promise<string> {
  const { stdout } = await run(ogrinfoPath!, args, {
    timeout: 60_000,
    maxBuffer: 32 * 1024 * 1024,
    env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', GDAL_HTTP_MAX_RETRY: '0', CPL_VSIL_CURL_CACHE_SIZE: '0', GDAL_DISABLE_READDIR_ON_OPEN: 'EMPTY_DIR' },
  });
  return stdout;
}

/** Dien Bien Phu city: the z10 tile holding it holds several communes. */
const CITY = { lon: 103.02, lat: 21.39 };

describeWithGdal("GDAL reads the platform (the README's ogrinfo commands)", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(await getSharedTestDatabase());
  });
  afterAll(() => server?.close());

  it('lists the collections with the OGC API – Features driver', async () => {
    const out = await ogrinfo('-ro', `OAPIF:${server.baseUrl}/ogc`);
    const layers = [...out.matchAll(/^\d+: (\S+)/gm)].map((match) => match[1]);
    expect(layers).toEqual(expect.arrayContaining(['province', 'communes', 'planning-zones', 'heritage-sites', 'facilities', 'reports']));
  });

  it('summarises the communes collection: 45 multipolygons with their fields', async () => {
    const out = await ogrinfo('-ro', '-so', `OAPIF:${server.baseUrl}/ogc`, 'communes');
    expect(out).toMatch(/^Layer name: communes$/m);
    expect(out).toMatch(/^Geometry: Multi Polygon$/m);
    expect(out).toMatch(/^Feature Count: 45$/m);
    // Extent in WGS84 around Điện Biên province (roughly 102.1–103.6 E, 20.9–22.6 N).
    const extent = /^Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)$/m.exec(out);
    expect(extent).not.toBeNull();
    const [west, south, east, north] = extent!.slice(1).map(Number) as [number, number, number, number];
    expect(west).toBeGreaterThan(101.5);
    expect(east).toBeLessThan(104);
    expect(south).toBeGreaterThan(20.5);
    expect(north).toBeLessThan(23);
  });

  it('reads one vector tile with the MVT driver: the communes it holds', async () => {
    const { z, x, y } = tileContaining(CITY.lon, CITY.lat, 10);
    const url = `${server.baseUrl}/tiles/communes/${z}/${x}/${y}.mvt`;
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const decoded = decodeTile(new Uint8Array(await response.arrayBuffer()));
    const expected = decoded.communes?.length ?? 0;
    expect(expected).toBeGreaterThan(1);

    const listing = await ogrinfo('-ro', `MVT:${url}`);
    expect(listing).toMatch(/^1: communes \((Multi )?Polygon\)$/m);

    const summary = await ogrinfo('-ro', '-so', '-al', `MVT:${url}`);
    expect(summary).toMatch(/^Layer name: communes$/m);
    expect(summary).toMatch(new RegExp(`^Feature Count: ${expected}$`, 'm'));
    // The tile's address gives the georeferencing: its extent is inside the z10 tile, in EPSG:3857.
    const extent = /^Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)$/m.exec(summary);
    expect(extent).not.toBeNull();
    const size = (2 * Math.PI * 6_378_137) / 2 ** z;
    const left = -Math.PI * 6_378_137 + x * size;
    const top = Math.PI * 6_378_137 - y * size;
    const [minX, minY, maxX, maxY] = extent!.slice(1).map(Number) as [number, number, number, number];
    expect(minX).toBeGreaterThanOrEqual(left - size * 0.1);
    expect(maxX).toBeLessThanOrEqual(left + size * 1.1);
    expect(maxY).toBeLessThanOrEqual(top + size * 0.1);
    expect(minY).toBeGreaterThanOrEqual(top - size * 1.1);
  });
});

// The README shows the same commands: keep them in step.
it('the README shows the commands this file runs', () => {
  const readme = fs.readFileSync(path.join(repositoryRoot, 'README.md'), 'utf8');
  expect(readme).toContain('ogrinfo -ro -so OAPIF:http://');
  expect(readme).toContain('ogrinfo -ro MVT:http://');
});
