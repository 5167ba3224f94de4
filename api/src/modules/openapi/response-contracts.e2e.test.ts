import {
  clientConfigSchema,
  errorBodySchema,
  feedEventDataSchema,
  feedPositionDataSchema,
  feedPositionEvent,
  feedEventTypes,
  heritageSiteListSchema,
  heritageSiteSchema,
  ogcApiDefinitionSchema,
  ogcCollectionSchema,
  ogcCollectionsSchema,
  ogcConformanceSchema,
  ogcFeatureCollectionSchema,
  ogcFeatureWithLinksSchema,
  ogcLandingPageSchema,
  ogcTilesetListSchema,
  ogcTilesetSchema,
  overdueReportListSchema,
  planChangesSchema,
  planListSchema,
  statisticsGroupings,
  statisticsReportSchema,
  submissionReceiptSchema,
  whatAppliesHereSchema,
  type FeedEventType,
} from '@bandoso/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, createTestDatabase, createTestUser, pointInUnit, staffAction, startTestServer, submitTestReport, type TestDatabase, type TestServer } from '../../testing/index.ts';

/**
 * The responses the server really sends, parsed with the schemas of @bandoso/contracts: the schemas
 * `/api/openapi.json` and `/ogc/api` publish, the server's return types come from and the map client
 * reads its answers with. Response schemas are strict, so a field the server adds or drops without
 * the contract fails here. Runs on a database of its own, so every report in it came through the API.
 */
let database: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

async function get(path: string, expectedStatus = 200): Promise<unknown> {
  const response = await fetch(`${server.baseUrl}${path}`);
  expect(response.status, path).toBe(expectedStatus);
  return response.json();
}

/** Reads the live feed until `enough`, answering each event's type and data. */
async function readFeed(enough: (events: Array<{ type: string; data: unknown }>) => boolean, afterConnect: () => Promise<void>): Promise<Array<{ type: string; data: unknown }>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 15_000);
  const response = await fetch(`${server.baseUrl}/api/reports/events`, { signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ type: string; data: unknown }> = [];
  let buffer = '';
  const acting = afterConnect();
  try {
    while (!enough(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const field = (name: string) => lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
        const data = field('data');
        if (data !== undefined) events.push({ type: field('event') ?? 'message', data: JSON.parse(data) });
      }
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
    await acting;
  }
  return events;
}

describe('the JSON API answers what its contracts say', () => {
  it('GET /api/client-config', async () => {
    clientConfigSchema.parse(await get('/api/client-config'));
  });

  it('GET /api/planning/plans, /at and /changes', async () => {
    const { plans } = planListSchema.parse(await get('/api/planning/plans'));
    expect(plans.length).toBeGreaterThan(0);
    const plan = plans[0]!;
    const [west, south, east, north] = plan.versions.at(-1)!.bbox;
    const here = whatAppliesHereSchema.parse(await get(`/api/planning/at?lon=${(west + east) / 2}&lat=${(south + north) / 2}`));
    const changes = planChangesSchema.parse(await get(`/api/planning/changes?plan=${encodeURIComponent(plan.planCode)}&from=${plan.versions[0]!.version}&to=${plan.currentVersion}`));
    expect(changes.changes.length).toBeGreaterThan(0);
    // A point inside a changed zone of the version in force has a zone to describe.
    const [zoneWest, zoneSouth, zoneEast, zoneNorth] = changes.changes.find((change) => change.after !== null)!.bbox;
    const zone = whatAppliesHereSchema.parse(await get(`/api/planning/at?lon=${(zoneWest + zoneEast) / 2}&lat=${(zoneSouth + zoneNorth) / 2}`));
    expect(here.zones.length + zone.zones.length).toBeGreaterThan(0);
  });

  it('POST /api/reports: the 201 receipt and its 200 replay', async () => {
    const body = JSON.stringify({ category: 'trees', description: 'Cây đổ chắn đường', location: { type: 'Point', coordinates: await pointInUnit(database.db, '03127') } });
    const send = () => fetch(`${server.baseUrl}/api/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'contract-receipt-0001' }, body });
    const created = await send();
    expect(created.status).toBe(201);
    const receipt = submissionReceiptSchema.parse(await created.json());
    const replayed = await send();
    expect(replayed.status).toBe(200);
    expect(submissionReceiptSchema.parse(await replayed.json()).trackingCode).toBe(receipt.trackingCode);
  });

  it('GET /api/reports/events: the data of report.created and report.updated', async () => {
    const officer = await createTestUser(database.db, 'officer', 'UBND-03127');
    const token = await bearerToken(server.baseUrl, officer);
    let trackingCode = '';
    const events = await readFeed(
      (received) => received.filter((event) => (event.data as { report?: { trackingCode?: string } }).report?.trackingCode === trackingCode).length >= 2,
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const report = await submitTestReport(server.baseUrl, { category: 'trees', coordinates: await pointInUnit(database.db, '03127') });
        trackingCode = report.trackingCode;
        expect((await staffAction(server.baseUrl, token, report.id, { action: 'accept' })).status).toBe(200);
      },
    );
    const mine = events.filter((event) => event.type !== feedPositionEvent).filter((event) => feedEventDataSchema.parse(event.data).report.trackingCode === trackingCode);
    expect(mine.map((event) => event.type)).toEqual(['report.created', 'report.updated']);
    const [position, ...reportEvents] = events;
    expect(position?.type).toBe(feedPositionEvent);
    feedPositionDataSchema.parse(position?.data);
    for (const event of reportEvents) expect(feedEventTypes).toContain(event.type as FeedEventType);
  });

  it('GET /api/stats in every grouping, and GET /api/stats/overdue', async () => {
    const report = await submitTestReport(server.baseUrl, { category: 'public_lighting', coordinates: await pointInUnit(database.db, '03127') });
    await database.db.updateTable('report').set({ overdue: true }).where('id', '=', report.id).execute();
    for (const groupBy of statisticsGroupings) {
      const statistics = statisticsReportSchema.parse(await get(`/api/stats?groupBy=${groupBy}`));
      expect(statistics.totals.received).toBeGreaterThan(0);
    }
    const overdue = overdueReportListSchema.parse(await get('/api/stats/overdue'));
    expect(overdue.reports.map((item) => item.trackingCode)).toContain(report.trackingCode);
  });

  it('GET /api/heritage and /api/heritage/{code}', async () => {
    const { sites } = heritageSiteListSchema.parse(await get('/api/heritage'));
    const withTour = sites.find((site) => site.tileset !== null && site.stops > 0)!;
    expect(withTour).toBeDefined();
    expect(heritageSiteSchema.parse(await get(`/api/heritage/${withTour.code}`)).stops).toHaveLength(withTour.stops);
    heritageSiteSchema.parse(await get(`/api/heritage/${sites.at(-1)!.code}`));
  });

  it('answers errors in the one error format', async () => {
    errorBodySchema.parse(await get('/api/planning/at?lon=east&lat=21.4', 400));
    errorBodySchema.parse(await get('/api/planning/changes?plan=NO-SUCH-PLAN&from=1&to=2', 404));
    errorBodySchema.parse(await get('/api/heritage/DT-NO-SUCH-SITE', 404));
  });
});

describe('the OGC API answers what its contracts say', () => {
  it('landing page, conformance, API definition, collections', async () => {
    ogcLandingPageSchema.parse(await get('/ogc'));
    ogcConformanceSchema.parse(await get('/ogc/conformance'));
    ogcApiDefinitionSchema.parse(await get('/ogc/api'));
    const { collections } = ogcCollectionsSchema.parse(await get('/ogc/collections'));
    expect(collections.length).toBeGreaterThan(5);
    ogcCollectionSchema.parse(await get('/ogc/collections/communes'));
  });

  it('publishes a definition whose parameters and responses come from the zod schemas', async () => {
    const definition = (await get('/ogc/api')) as { paths: Record<string, { get: { parameters?: Array<{ name: string; in: string }>; responses: Record<string, { content?: Record<string, { schema: any }> }> } }> };
    const items = definition.paths['/collections/reports/items']!.get;
    expect(items.parameters!.map((parameter) => parameter.name)).toEqual(expect.arrayContaining(['f', 'limit', 'cursor', 'offset', 'bbox', 'datetime', 'category', 'status', 'from', 'to']));
    const page = items.responses['200']!.content!['application/geo+json']!.schema;
    expect(page.required).toEqual(expect.arrayContaining(['type', 'features', 'numberMatched', 'numberReturned', 'timeStamp', 'links']));
    expect(page.properties.features.items.properties.type.enum).toEqual(['Feature']);
    expect(definition.paths['/collections/communes/items/{featureId}']!.get.parameters).toContainEqual(expect.objectContaining({ name: 'featureId', in: 'path' }));
    expect(definition.paths['/']!.get.responses['200']!.content!['application/json']!.schema.properties.links.type).toBe('array');
    expect(definition.paths['/collections']!.get.responses['200']!.content!['application/json']!.schema.properties.collections.items.required).toEqual(expect.arrayContaining(['id', 'extent', 'links']));
  });

  it('items and one feature of every collection, and the tilesets', async () => {
    await submitTestReport(server.baseUrl, { category: 'trees', coordinates: await pointInUnit(database.db, '03334') });
    const { collections } = ogcCollectionsSchema.parse(await get('/ogc/collections'));
    for (const { id } of collections) {
      const page = ogcFeatureCollectionSchema.parse(await get(`/ogc/collections/${id}/items?limit=3`));
      // The base map's collections are empty until one is imported (their items are checked after an
      // import in basemap-import.e2e.test.ts).
      if (id.startsWith('basemap-') && page.numberReturned === 0) continue;
      expect(page.numberReturned, id).toBeGreaterThan(0);
      ogcFeatureWithLinksSchema.parse(await get(`/ogc/collections/${id}/items/${page.features[0]!.id}`));
    }
    ogcTilesetListSchema.parse(await get('/ogc/collections/reports/tiles'));
    ogcTilesetSchema.parse(await get('/ogc/collections/reports/tiles/WebMercatorQuad'));
    errorBodySchema.parse(await get('/ogc/collections/rivers', 404));
  });
});
