import { randomBytes } from 'node:crypto';
import { tileContaining } from '@bandoso/tiles';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { fetchTile } from '../modules/tiles/tile-test-helpers.ts';
import { startTestServer, type TestServer } from '../testing/index.ts';
import { startStreamingReplica, type StreamingReplica } from '../testing/replica-server.ts';
import { pointInUnit, submitTestReport } from '../testing/report-helpers.ts';
import { createServerDatabase, dropServerDatabase, serverDatabaseUrl } from '../testing/server-databases.ts';
import { openServerDatabase, type DatabaseHandle } from './database.ts';
import type { ReadReplica } from './replica.ts';

/**
 * DATABASE_REPLICA_URL against a real streaming replica (pg_basebackup -R of the test server, on
 * loopback). Server backend only: the embedded database has no replicas (the variable is refused).
 */
const target = inject('testDatabase');

describe('DATABASE_REPLICA_URL', () => {
  it('is refused without DATABASE_URL, with a message that says what to do (the embedded database has no replicas)', () => {
    expect(() => loadConfig({ DATABASE_REPLICA_URL: 'postgres://u:p@replica:5432/bandoso' })).toThrow(/DATABASE_REPLICA_URL: a read replica needs the server backend: set DATABASE_URL/);
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/bandoso', DATABASE_REPLICA_URL: 'postgres://u:p@replica:5432/bandoso' });
    expect(config.database).toMatchObject({ kind: 'server', replicaUrl: 'postgres://u:p@replica:5432/bandoso' });
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/bandoso' }).database).toMatchObject({ replicaUrl: undefined });
  });
});

describe.skipIf(target.backend !== 'server')('a read replica (server backend only: PGlite has no streaming replication)', () => {
  const name = `${target.backend === 'server' ? target.prefix : ''}replica_${randomBytes(3).toString('hex')}`;
  let primaryUrl: string;
  let streaming: StreamingReplica | undefined;
  let database: DatabaseHandle;
  let replica: ReadReplica;
  let server: TestServer;
  let point: [number, number];

  const url = (path: string) => `${server.baseUrl}${path}`;
  const reads = () => ({ ...replica.reads });
  const getJson = async (path: string) => {
    const response = await fetch(url(path));
    expect(response.status, `${path}: ${response.status}`).toBe(200);
    return response.json() as Promise<any>;
  };
  const tileAt = (z: number) => tileContaining(point[0], point[1], z);
  const reportIdsInTile = async (z: number) => {
    const { x, y } = tileAt(z);
    const fetched = await fetchTile(url(`/tiles/reports/${z}/${x}/${y}.mvt`));
    expect([200, 204]).toContain(fetched.status);
    return fetched.features.map((feature) => String(feature.properties.id));
  };
  const onReplica = async (text: string) => streaming!.query<Record<string, unknown>>(name, text);

  beforeAll(async () => {
    if (target.backend !== 'server') return;
    primaryUrl = serverDatabaseUrl(target.baseUrl, name);
    await createServerDatabase(target.baseUrl, name, target.template);
    streaming = await startStreamingReplica(target.baseUrl);
    database = await openServerDatabase(primaryUrl, { poolSize: 5, replicaUrl: streaming.url(name) });
    replica = database.replica!;
    server = await startTestServer(database);
    point = await pointInUnit(database.db, '03127');
    await streaming.waitForReplay(name, primaryUrl);
    // The first reads subscribe to the change notifications; until then each read takes a fresh floor.
    await waitForReplicaRead();
  });

  /** Public reads until one is answered by the replica (it may be on a backoff, or catching up). */
  async function waitForReplicaRead(timeoutMs = 15_000): Promise<void> {
    const start = reads().replica;
    const deadline = Date.now() + timeoutMs;
    while (reads().replica === start && Date.now() < deadline) {
      await getJson('/api/reports?limit=1');
      if (reads().replica === start) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(reads().replica, 'a public read answered by the replica').toBeGreaterThan(start);
  }

  afterAll(async () => {
    await server?.close();
    await database?.close();
    await streaming?.destroy();
    if (target.backend === 'server') await dropServerDatabase(target.baseUrl, name);
  });

  it('answers public reads from the replica and writes on the primary', async () => {
    expect(replica.handle.location).toContain(`:${streaming!.port}/`);
    const before = reads();
    await getJson('/api/reports?limit=5');
    await getJson('/api/stats');
    await getJson('/ogc/collections/reports/items?limit=3');
    const { x, y } = tileAt(11);
    expect((await fetchTile(url(`/tiles/reports/11/${x}/${y}.mvt`))).status).toBeLessThan(300);
    const after = reads();
    expect(after.replica - before.replica).toBeGreaterThanOrEqual(4);
    expect(after.primary).toBe(before.primary);
    // The replica's own view of who reads it: the platform's replica pool, on this database.
    const [sessions] = await onReplica(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'bandoso:replica' AND datname = current_database()`);
    expect(sessions!.n).toBeGreaterThan(0);
    const metrics = await (await fetch(url('/metrics'))).text();
    expect(metrics).toMatch(/^bandoso_public_reads_total\{server="replica"\} [1-9]/m);
    expect(metrics).toMatch(/^bandoso_database_pool_max\{backend="replica"\} 5$/m);
    expect(metrics).toMatch(/^bandoso_replica_up 1$/m);

    const report = await submitTestReport(server.baseUrl, { category: 'public_lighting', coordinates: point });
    // Written on the primary (a standby refuses writes: had it gone there, it would have failed).
    const row = await database.db.selectFrom('report').select('id').where('tracking_code', '=', report.trackingCode).executeTakeFirst();
    expect(row?.id).toBe(report.id);
  });

  it('never serves a page or tile the lagging replica has not replayed: the primary answers until it catches up', async () => {
    const z = 14;
    // Warm the cache with the tile (from the replica), then stop the replica's replay for real.
    await streaming!.waitForReplay(name, primaryUrl);
    const cachedBefore = await reportIdsInTile(z);
    await onReplica('SELECT pg_wal_replay_pause()');
    try {
      const before = reads();
      const report = await submitTestReport(server.baseUrl, { category: 'public_lighting', coordinates: point });
      // At once, with no wait: the public view, the list, and the tile (which was cached) show it.
      const view = await getJson(`/api/reports/${report.trackingCode}`);
      expect(view.trackingCode).toBe(report.trackingCode);
      const list = await getJson(`/api/reports?limit=100&q=${encodeURIComponent(report.trackingCode)}`);
      expect(list.reports.map((item: { trackingCode: string }) => item.trackingCode)).toContain(report.trackingCode);
      const tileIds = await reportIdsInTile(z);
      expect(cachedBefore).not.toContain(report.id);
      expect(tileIds).toContain(report.id);
      // Another zoom, never cached: built on the primary too, and holds the report.
      expect(await reportIdsInTile(15)).toContain(report.id);
      // The lag was real: the replica does not have the report yet.
      const [onStandby] = await onReplica(`SELECT count(*)::int AS n FROM report WHERE tracking_code = '${report.trackingCode}'`);
      expect(onStandby!.n).toBe(0);
      const during = reads();
      expect(during.replica).toBe(before.replica);
      expect(during.primary - before.primary).toBeGreaterThanOrEqual(4);

      // /metrics shows the lag.
      const metrics = await (await fetch(url('/metrics'))).text();
      const lagBytes = Number(/^bandoso_replica_lag_bytes (\S+)$/m.exec(metrics)?.[1]);
      expect(lagBytes).toBeGreaterThan(0);
      expect(metrics).toMatch(/^bandoso_replica_lag_seconds \d/m);
      expect(metrics).toMatch(/^bandoso_public_reads_total\{server="primary"\} [1-9]/m);
    } finally {
      await onReplica('SELECT pg_wal_replay_resume()');
    }
    // Replay resumed: the replica answers again, and what it answers holds the report.
    await streaming!.waitForReplay(name, primaryUrl);
    const resumed = reads();
    const ids = await reportIdsInTile(16);
    expect(reads().replica).toBe(resumed.replica + 1);
    const latest = await database.db.selectFrom('report').select('id').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(ids).toContain(latest.id);
    const metrics = await (await fetch(url('/metrics'))).text();
    expect(Number(/^bandoso_replica_lag_bytes (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(0);
    expect(metrics).toMatch(/^bandoso_replica_lag_seconds \d/m);
  });

  it('falls back to the primary with no error while the replica is stopped, and returns to it once it is back', async () => {
    await streaming!.stop();
    const before = reads();
    for (let round = 0; round < 3; round += 1) {
      await getJson('/api/reports?limit=5');
      await getJson('/api/stats');
      await getJson('/ogc/collections/reports/items?limit=3');
      expect((await reportIdsInTile(13 - round)).length).toBeGreaterThanOrEqual(0);
    }
    const report = await submitTestReport(server.baseUrl, { category: 'public_lighting', coordinates: point });
    expect((await getJson(`/api/reports/${report.trackingCode}`)).trackingCode).toBe(report.trackingCode);
    const down = reads();
    expect(down.replica).toBe(before.replica);
    expect(down.primary - before.primary).toBeGreaterThanOrEqual(10);
    expect(replica.state).toBe('down');
    const metrics = await (await fetch(url('/metrics'))).text();
    expect(metrics).toMatch(/^bandoso_replica_lag_seconds nan$/im);
    expect(metrics).toMatch(/^bandoso_replica_up 0$/m);

    await streaming!.start();
    await streaming!.waitForReplay(name, primaryUrl);
    // The backoff is short (at most 5 s): public reads return to the replica by themselves.
    await waitForReplicaRead();
    expect(replica.state).toBe('up');
    expect((await getJson(`/api/reports/${report.trackingCode}`)).trackingCode).toBe(report.trackingCode);
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM report`.execute(database.db);
    expect(count.rows[0]!.n).toBeGreaterThan(0);
  });
});
