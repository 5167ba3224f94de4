import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tileContaining } from '@bandoso/tiles';
import type { DatabaseHandle } from '../../db/database.ts';
import { getSharedTestDatabase, startTestServer, type TestServer } from '../../testing/index.ts';
import { insertTestReports, type TestReport } from '../../testing/report-factory.ts';
import { containsAny, fetchTile } from '../tiles/tile-test-helpers.ts';

let database: DatabaseHandle;
let server: TestServer;
let reports: TestReport[];
const CITY = { lon: 103.0169, lat: 21.386 };

beforeAll(async () => {
  database = await getSharedTestDatabase();
  server = await startTestServer(database);
  // Our own reports in a corner of the shared database (other files add theirs elsewhere).
  reports = await insertTestReports(database.db, [
    { lon: 102.61, lat: 22.31, status: 'received', createdAt: '2024-03-10T10:00:00+07:00' },
    { lon: 102.612, lat: 22.312, status: 'resolved', createdAt: '2024-03-11T23:30:00+07:00' },
    { lon: 102.614, lat: 22.309, status: 'accepted', category: 'power_lines', createdAt: '2024-03-12T08:00:00+07:00' },
  ]);
});
afterAll(() => server.close());

async function get(path: string) {
  const response = await fetch(`${server.baseUrl}${path}`);
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', text, body: text ? (JSON.parse(text) as any) : undefined };
}

describe('OGC API – Features', () => {
  it('has a landing page linking the API definition, the conformance and the collections', async () => {
    const { status, type, body } = await get('/ogc');
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    const rels = body.links.map((link: { rel: string }) => link.rel);
    expect(rels).toEqual(expect.arrayContaining(['self', 'service-desc', 'conformance', 'data']));
    expect(body.links.find((link: { rel: string }) => link.rel === 'service-desc').type).toBe('application/vnd.oai.openapi+json;version=3.0');
    expect((await get('/ogc?f=json')).status).toBe(200);
    expect((await get('/ogc?f=html')).status).toBe(400);
  });

  it('declares exactly the classes it passes', async () => {
    const { body } = await get('/ogc/conformance');
    expect(body.conformsTo.sort()).toEqual([
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
      'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core',
      'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets',
      'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt',
      'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30',
      'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset',
      'http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list',
    ]);
  });

  it('serves an OpenAPI 3.0 definition with every collection', async () => {
    const { status, type, body } = await get('/ogc/api');
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/vnd\.oai\.openapi\+json/);
    expect(body.openapi).toMatch(/^3\.0\./);
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/', '/conformance', '/collections', '/collections/reports/items', '/collections/communes/items/{featureId}']));
  });

  it('lists the layers as collections with extents and links', async () => {
    const { body } = await get('/ogc/collections');
    expect(body.collections.map((collection: { id: string }) => collection.id)).toEqual([
      'province',
      'communes',
      'commune-labels',
      'planning-zones',
      'heritage-sites',
      'cameras',
      'camera-fov',
      'facilities',
      'reports',
      'basemap-landuse',
      'basemap-water',
      'basemap-waterways',
      'basemap-roads',
      'basemap-buildings',
      'basemap-places',
      'basemap-pois',
    ]);
    const reportsCollection = body.collections.find((collection: { id: string }) => collection.id === 'reports');
    expect(reportsCollection.extent.spatial.bbox[0]).toHaveLength(4);
    expect(reportsCollection.extent.temporal.interval[0]).toHaveLength(2);
    expect(reportsCollection.links.map((link: { rel: string }) => link.rel)).toEqual(expect.arrayContaining(['self', 'items']));
    expect((await get('/ogc/collections/communes')).body.id).toBe('communes');
    expect((await get('/ogc/collections/rivers')).status).toBe(404);
  });

  it('pages through a collection with next links, numberMatched and numberReturned', async () => {
    const seen = new Set<string>();
    let path: string | undefined = '/ogc/collections/communes/items?limit=10';
    let pages = 0;
    while (path) {
      const page = await get(path);
      expect(page.status).toBe(200);
      expect(page.type).toMatch(/^application\/geo\+json/);
      expect(page.body.type).toBe('FeatureCollection');
      expect(page.body.numberMatched).toBe(45);
      expect(page.body.numberReturned).toBe(page.body.features.length);
      expect(Date.parse(page.body.timeStamp)).not.toBeNaN();
      for (const feature of page.body.features) {
        expect(feature.type).toBe('Feature');
        expect(feature.geometry.type).toBe('MultiPolygon');
        seen.add(feature.id);
      }
      pages += 1;
      const next = page.body.links.find((link: { rel: string }) => link.rel === 'next');
      path = next ? new URL(next.href).pathname + new URL(next.href).search : undefined;
    }
    expect(pages).toBe(5);
    expect(seen.size).toBe(45);
    const defaults = await get('/ogc/collections/planning-zones/items');
    expect(defaults.body.numberReturned).toBe(44);
    const capped = await get('/ogc/collections/communes/items?limit=50000');
    expect(capped.status).toBe(200);
    expect(capped.body.numberReturned).toBe(45);
  });

  it('pages by cursor forward and back, through ties in the sort key, keeping the filters; offset is still read', async () => {
    // Five reports of one instant (the id breaks the tie) and two newer ones, in a corner of their own.
    const tied = await insertTestReports(
      database.db,
      Array.from({ length: 7 }, (_, index) => ({
        lon: 102.7 + index * 0.001,
        lat: 22.2,
        status: 'received' as const,
        createdAt: index < 5 ? '2024-05-01T09:00:00+07:00' : `2024-05-0${index - 3}T09:00:00+07:00`,
      })),
    );
    const area = '/ogc/collections/reports/items?bbox=102.69,22.19,102.72,22.21';
    const ids = (body: { features: Array<{ id: string }> }) => body.features.map((feature) => feature.id);
    const link = (body: { links: Array<{ rel: string; href: string }> }, rel: string) => {
      const href = body.links.find((candidate) => candidate.rel === rel)?.href;
      return href ? new URL(href).pathname + new URL(href).search : undefined;
    };
    const whole = ids((await get(area)).body);
    // Newest first, then by id, descending like the time.
    const sameInstant = tied.slice(0, 5).map((report) => report.id).sort().reverse();
    expect(whole).toEqual([tied[6]!.id, tied[5]!.id, ...sameInstant]);

    const forward: Array<{ features: Array<{ id: string }>; links: Array<{ rel: string; href: string }> }> = [];
    for (let path: string | undefined = `${area}&limit=2`; path; path = link(forward.at(-1)!, 'next')) {
      const page = await get(path);
      expect(page.status, path).toBe(200);
      expect(page.body.numberMatched).toBe(7);
      forward.push(page.body);
    }
    expect(forward.map(ids)).toEqual([whole.slice(0, 2), whole.slice(2, 4), whole.slice(4, 6), whole.slice(6)]);
    expect(link(forward[0]!, 'prev')).toBeUndefined();
    const next = new URL(forward[0]!.links.find((candidate) => candidate.rel === 'next')!.href);
    expect(next.searchParams.get('bbox')).toBe('102.69,22.19,102.72,22.21');
    expect(next.searchParams.has('offset')).toBe(false);

    const backward: string[][] = [];
    for (let path = link(forward.at(-1)!, 'prev'); path; ) {
      const page = await get(path);
      expect(page.status, path).toBe(200);
      backward.unshift(ids(page.body));
      path = link(page.body, 'prev');
    }
    expect(backward).toEqual([whole.slice(0, 2), whole.slice(2, 4), whole.slice(4, 6)]);

    // A link made before cursors: its page, then cursor links on both sides.
    const old = (await get(`${area}&limit=2&offset=3`)).body;
    expect(ids(old)).toEqual(whole.slice(3, 5));
    expect(ids((await get(link(old, 'next')!)).body)).toEqual(whole.slice(5, 7));
    expect(ids((await get(link(old, 'prev')!)).body)).toEqual(whole.slice(1, 3));
  });

  it('refuses a cursor it did not give out, or one with offset, with 400', async () => {
    const first = (await get('/ogc/collections/reports/items?limit=1')).body;
    const cursor = new URL(first.links.find((link: { rel: string }) => link.rel === 'next').href).searchParams.get('cursor')!;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const id = '00000000-0000-4000-8000-000000000000';
    for (const query of [
      'cursor=not*base64',
      `cursor=${encode({ in: 'reports', after: [id] })}`,
      `cursor=${encode({ in: 'reports', after: ['2024-02-30T09:00:00+07:00', id] })}`,
      `cursor=${encode({ in: 'reports', after: ['2024-02-03T09:00:00+07:00', 'not-a-uuid'] })}`,
      `cursor=${encode({ in: 'reports', sideways: ['2024-02-03T09:00:00+07:00', id] })}`,
      `cursor=${encode({ after: ['2024-02-03T09:00:00+07:00', id] })}`,
      `cursor=${Buffer.from('{"after":').toString('base64url')}`,
      `cursor=${cursor}&offset=2`,
    ]) {
      const { status, body } = await get(`/ogc/collections/reports/items?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.code, query).toBe('VALIDATION_FAILED');
    }
    // A position in another collection's order is refused, not misread.
    expect((await get(`/ogc/collections/communes/items?cursor=${cursor}`)).status).toBe(400);
  });

  it('selects by bbox and datetime', async () => {
    const box = await get('/ogc/collections/reports/items?bbox=102.605,22.305,102.62,22.315');
    const mine = box.body.features.filter((feature: { id: string }) => reports.some((report) => report.id === feature.id));
    expect(mine).toHaveLength(3);
    const day = await get('/ogc/collections/reports/items?bbox=102.605,22.305,102.62,22.315&datetime=2024-03-11');
    expect(day.body.features.map((feature: { id: string }) => feature.id)).toEqual([reports[1]!.id]);
    const open = await get(`/ogc/collections/reports/items?bbox=102.605,22.305,102.62,22.315&datetime=${encodeURIComponent('2024-03-11T17:00:00Z/..')}`);
    expect(open.body.features.map((feature: { id: string }) => feature.id)).toEqual([reports[2]!.id]);
    const zones = await get('/ogc/collections/planning-zones/items?datetime=1990-01-01/2000-01-01');
    expect(zones.body.numberMatched).toBe(0);
    // A collection without time accepts datetime and selects everything.
    expect((await get('/ogc/collections/communes/items?datetime=2024-01-01')).body.numberMatched).toBe(45);
  });

  it('answers one feature by id, 404 for an unknown one', async () => {
    const { status, type, body } = await get(`/ogc/collections/reports/items/${reports[0]!.id}`);
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/geo\+json/);
    expect(body).toMatchObject({ type: 'Feature', id: reports[0]!.id, geometry: { type: 'Point' } });
    expect(Object.keys(body.properties).sort()).toEqual(['age_days', 'category', 'created_at', 'overdue', 'status', 'tracking_code']);
    expect(body.properties.tracking_code).toBe(reports[0]!.trackingCode);
    expect((await get(`/ogc/collections/reports/items/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await get(`/ogc/collections/reports/items/not-a-uuid`)).status).toBe(404);
    expect((await get(`/ogc/collections/communes/items/${reports[0]!.id}`)).status).toBe(404);
  });

  it('refuses unknown and malformed parameters with 400', async () => {
    for (const query of ['foo=bar', 'limit=0', 'limit=abc', 'bbox=1,2,3', 'bbox=103,21,102,22', 'bbox=21,103,22,104', 'datetime=yesterday', 'datetime=../..', 'datetime=0000-01-01', 'datetime=0000-01-01T00:00:00Z', 'datetime=0001-01-01T00:00:00%2B07:00', 'offset=-1', 'status=lost', 'f=xml']) {
      const { status, body } = await get(`/ogc/collections/reports/items?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.code, query).toBe('VALIDATION_FAILED');
    }
  });

  it('never publishes contact details, stream addresses or non-public fields', async () => {
    const contacts = reports.flatMap((report) => [report.reporter.name, report.reporter.phone, report.reporter.email]);
    const all = await get('/ogc/collections/reports/items?limit=10000');
    expect(containsAny(all.text, contacts)).toBeUndefined();
    for (const feature of all.body.features) expect(Object.keys(feature.properties).sort()).toEqual(['age_days', 'category', 'created_at', 'overdue', 'status', 'tracking_code']);
    const streams = (await sql<{ stream_url: string }>`SELECT stream_url FROM camera`.execute(database.db)).rows.map((row) => row.stream_url);
    const cameras = await get('/ogc/collections/cameras/items');
    expect(cameras.body.numberReturned).toBeGreaterThan(0);
    expect(containsAny(cameras.text, [...streams, 'stream_url'])).toBeUndefined();
  });
});

describe('OGC API – Tiles', () => {
  it('describes the WebMercatorQuad tileset and serves its tiles in z/y/x order', async () => {
    const tilesets = await get('/ogc/collections/communes/tiles');
    expect(tilesets.body.tilesets[0].tileMatrixSetURI).toBe('http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad');
    const tileset = await get('/ogc/collections/communes/tiles/WebMercatorQuad');
    expect(tileset.status).toBe(200);
    expect(tileset.body.dataType).toBe('vector');
    const template = tileset.body.links.find((link: { rel: string }) => link.rel === 'item');
    expect(template.href).toMatch(/\/ogc\/collections\/communes\/tiles\/WebMercatorQuad\/\{tileMatrix\}\/\{tileRow\}\/\{tileCol\}$/);
    expect(tileset.body.tileMatrixSetLimits[0]).toMatchObject({ tileMatrix: '7' });

    const tile = tileContaining(CITY.lon, CITY.lat, 11);
    expect(tile.x).not.toBe(tile.y);
    const ogcTile = await fetchTile(template.href.replace('{tileMatrix}', tile.z).replace('{tileRow}', tile.y).replace('{tileCol}', tile.x));
    const xyzTile = await fetchTile(`${server.baseUrl}/tiles/communes/${tile.z}/${tile.x}/${tile.y}.mvt`);
    expect(ogcTile.status).toBe(200);
    expect(ogcTile.headers.get('etag')).toBe(xyzTile.headers.get('etag'));
    expect(ogcTile.features).toEqual(xyzTile.features);
    expect((await get('/ogc/collections/communes/tiles/WorldCRS84Quad')).status).toBe(404);
    expect((await get(`/ogc/collections/communes/tiles/WebMercatorQuad/3/8/0`)).status).toBe(400);
  });
});
