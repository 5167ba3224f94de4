import { tileContaining } from '@bandoso/tiles';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { getSharedTestDatabase, insertTestReports, pointInUnit, rawRequest, startTestServer, type TestServer } from '../../testing/index.ts';

/**
 * GET /metrics on the real app over the real database: what the platform did shows in the scrape
 * (route templates, the tile cache, the live feed, the database's figures), and only the allowed
 * networks or the token may read it.
 */
let database: DatabaseHandle;
let server: TestServer;

beforeAll(async () => {
  database = await getSharedTestDatabase();
  server = await startTestServer(database);
});
afterAll(() => server?.close());

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus' text format, the lines that carry a value. */
function parseScrape(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((label) => [label[1]!, label[2]!]));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

async function scrape(baseUrl = server.baseUrl): Promise<{ text: string; samples: Sample[] }> {
  const response = await fetch(`${baseUrl}/metrics`);
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  return { text, samples: parseScrape(text) };
}

/** The value of the one sample with this name whose labels include `labels`. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${found.length} samples`);
  return found[0]?.value;
}

describe('GET /metrics', () => {
  it('times requests by route template and status, never by raw path', async () => {
    expect((await fetch(`${server.baseUrl}/api/reports/DB-0000A1`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/api/reports/DB-0000A2`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/api/no-such-thing/8f0c2a`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/api/health`)).status).toBe(200);
    expect((await fetch(`${server.baseUrl}/open311/v2/services.json`)).status).toBe(200);
    const { text, samples } = await scrape();
    const count = (route: string, status: string) => valueOf(samples, 'bandoso_http_request_duration_seconds_count', { method: 'GET', route, status });
    expect(count('/api/reports/:trackingCode', '404')).toBe(2);
    expect(count('/api/health', '200')).toBe(1);
    expect(count('/open311/v2/services{.:format}', '200')).toBe(1);
    expect(count('(unmatched)', '404')).toBe(1);
    expect(valueOf(samples, 'bandoso_http_request_duration_seconds_bucket', { route: '/api/health', status: '200', le: '+Inf' })).toBe(1);
    for (const raw of ['DB-0000A1', '8f0c2a', 'no-such-thing']) expect(text).not.toContain(raw);
  });

  it('counts tile cache misses and hits, and the bytes the cache holds', async () => {
    const before = (await scrape()).samples;
    const tile = tileContaining(103.0169, 21.386, 12);
    const address = `${server.baseUrl}/tiles/communes/${tile.z}/${tile.x}/${tile.y}.mvt`;
    const first = await fetch(address);
    const second = await fetch(address);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.headers.get('x-tile-cache'), second.headers.get('x-tile-cache')]).toEqual(['miss', 'hit']);
    const after = (await scrape()).samples;
    const moved = (name: string) => valueOf(after, name)! - valueOf(before, name)!;
    expect(moved('bandoso_tile_cache_misses_total')).toBe(1);
    expect(moved('bandoso_tile_cache_hits_total')).toBe(1);
    expect(valueOf(after, 'bandoso_tile_cache_bytes')).toBeGreaterThan(0);
    expect(valueOf(after, 'bandoso_tile_cache_entries')).toBeGreaterThanOrEqual(1);
    // Answered ahead of Express, and still labelled by its template.
    expect(valueOf(after, 'bandoso_http_request_duration_seconds_count', { route: '/tiles/:layer/:z/:x/:y.mvt', status: '200' })).toBe(2);
  });

  it('reports the pool, the notification listener and the process', async () => {
    const { samples } = await scrape();
    const backend = database.backend;
    const max = valueOf(samples, 'bandoso_database_pool_max', { backend })!;
    const inUse = valueOf(samples, 'bandoso_database_pool_in_use', { backend })!;
    const idle = valueOf(samples, 'bandoso_database_pool_idle', { backend })!;
    expect(max).toBeGreaterThanOrEqual(1);
    if (backend === 'embedded') expect(max).toBe(1);
    expect(inUse + idle).toBeGreaterThanOrEqual(1);
    expect(inUse + idle).toBeLessThanOrEqual(max);
    expect(valueOf(samples, 'bandoso_database_pool_waiting', { backend })).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'bandoso_notification_listener_up', { backend })).toBe(1);
    expect(valueOf(samples, 'bandoso_database_up', { backend })).toBe(1);
    expect(valueOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(valueOf(samples, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    // No replica is configured here: no lag is made up.
    expect(valueOf(samples, 'bandoso_replica_lag_seconds')).toBeUndefined();
  });

  it('counts open live-feed streams', async () => {
    const clients = async () => valueOf((await scrape()).samples, 'bandoso_sse_clients');
    expect(await clients()).toBe(0);
    const controller = new AbortController();
    const stream = await fetch(`${server.baseUrl}/api/reports/events`, { signal: controller.signal });
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(await clients()).toBe(1);
    controller.abort();
    await stream.body?.cancel().catch(() => undefined);
    const deadline = Date.now() + 5_000;
    while ((await clients()) !== 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await clients()).toBe(0);
  });

  it('reports the open overdue reports and the webhook backlog as the database counts them', async () => {
    const [lon, lat] = await pointInUnit(database.db, '03127');
    const countOverdue = async () =>
      Number((await sql<{ count: string }>`SELECT count(*) AS count FROM report WHERE overdue AND status IN ('received', 'accepted', 'in_progress', 'transferred', 'reopened')`.execute(database.db)).rows[0]!.count);
    const before = await countOverdue();
    await insertTestReports(database.db, [
      { lon, lat, overdue: true },
      { lon, lat, overdue: true, status: 'in_progress' },
      { lon, lat, overdue: true, status: 'resolved' },
      { lon, lat, overdue: false },
    ]);
    const expected = await countOverdue();
    expect(expected).toBe(before + 2);
    // A server of its own: the figures of the shared one may be cached for a few seconds.
    const fresh = await startTestServer(database);
    try {
      const { samples } = await scrape(fresh.baseUrl);
      expect(valueOf(samples, 'bandoso_reports_overdue_open')).toBe(expected);
      const outbox = await sql<{ fan_out: string; delivery: string }>`
        SELECT (SELECT count(*) FROM outbox_message WHERE webhook_fanned_out_at IS NULL) AS fan_out,
               (SELECT count(*) FROM webhook_delivery WHERE status = 'pending') AS delivery`.execute(database.db);
      expect(valueOf(samples, 'bandoso_webhook_outbox_backlog', { stage: 'fan_out' })).toBe(Number(outbox.rows[0]!.fan_out));
      expect(valueOf(samples, 'bandoso_webhook_outbox_backlog', { stage: 'delivery' })).toBe(Number(outbox.rows[0]!.delivery));
      expect(valueOf(samples, 'bandoso_webhook_outbox_oldest_age_seconds', { stage: 'fan_out' })).toBeGreaterThanOrEqual(0);
    } finally {
      await fresh.close();
    }
  });
});

describe('who may read /metrics', () => {
  const token = 'metrics-token-0123456789abcdef';
  let guarded: TestServer;
  beforeAll(async () => {
    guarded = await startTestServer(database, { METRICS_ALLOWED_NETWORKS: '192.0.2.0/24,2001:db8::/32', METRICS_TOKEN: token });
  });
  afterAll(() => guarded?.close());

  it('refuses a client outside METRICS_ALLOWED_NETWORKS, and admits it with the token', async () => {
    const refused = await fetch(`${guarded.baseUrl}/metrics`);
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('FORBIDDEN');
    expect(body.error.message).toMatch(/METRICS_ALLOWED_NETWORKS.*127\.0\.0\.1/);

    const wrong = await fetch(`${guarded.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${token.slice(0, -1)}x` } });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/not this server’s METRICS_TOKEN/);

    const admitted = await fetch(`${guarded.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect(admitted.status).toBe(200);
    expect(await admitted.text()).toMatch(/^# HELP bandoso_http_request_duration_seconds /m);
  });

  it('judges the client a trusted proxy forwards, not the proxy (TRUST_PROXY=loopback)', async () => {
    // nginx on this host forwarding an outside scraper: the default networks (loopback) do not admit it.
    const forwarded = await rawRequest(server.baseUrl, '/metrics', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    expect(forwarded.status).toBe(403);
    expect(forwarded.body.toString()).toContain('203.0.113.9');
    // ...and one in METRICS_ALLOWED_NETWORKS, forwarded the same way, is admitted.
    expect((await rawRequest(guarded.baseUrl, '/metrics', { headers: { 'X-Forwarded-For': '192.0.2.10' } })).status).toBe(200);
    // A local scraper through the same proxy.
    expect((await rawRequest(server.baseUrl, '/metrics', { headers: { 'X-Forwarded-For': '127.0.0.1' } })).status).toBe(200);
  });

  it('refuses a malformed Authorization header with what to send', async () => {
    const malformed = await fetch(`${guarded.baseUrl}/metrics`, { headers: { Authorization: token } });
    expect(malformed.status).toBe(403);
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toMatch(/Bearer <METRICS_TOKEN>/);
    // From an allowed network the network suffices: a scraper's (or a user's) bearer token changes nothing.
    expect((await fetch(`${server.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});
