/**
 * Outage drills: the platform, run as operators run it (its own process), against a PostgreSQL
 * server of the drill's own that is restarted, terminated, stopped and frozen under load. They run
 * on the server pass of `npm test` (DATABASE_URL set, so PostgreSQL's server binaries are there);
 * each prints what it measured.
 *
 *   DATABASE_URL=postgres://… npx vitest run scripts/src/drills
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { tileContaining } from '@bandoso/tiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedClient } from './feed-client.ts';
import { startPlatformChild, type LogLine, type PlatformChild } from './platform-child.ts';
import { createDrillCluster, findPostgresBinaries, type DrillCluster } from './postgres-cluster.ts';

const enabled = Boolean(process.env.DATABASE_URL) && findPostgresBinaries() !== undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const run = randomBytes(3).toString('hex');

interface Answer {
  kind: string;
  started: number;
  ended: number;
  /** 0: no HTTP answer (connection refused or reset, or the client's 30 s limit). */
  status: number;
  cacheHit?: boolean;
}

/** One request, timed; never throws. */
async function request(kind: string, url: string, init: RequestInit = {}): Promise<Answer & { body: string }> {
  const started = Date.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
    const body = await response.text();
    return { kind, started, ended: Date.now(), status: response.status, cacheHit: response.headers.get('x-tile-cache') === 'hit', body };
  } catch {
    return { kind, started, ended: Date.now(), status: 0, body: '' };
  }
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** Lines a person would have to read: warnings and worse, and any stack. */
function noisyLines(lines: readonly LogLine[]): { warnOrWorse: number; errors: number; stacks: number; bytes: number } {
  const noisy = lines.filter((line) => line.level >= 40);
  return {
    warnOrWorse: noisy.length,
    errors: lines.filter((line) => line.level >= 50).length,
    stacks: lines.filter((line) => JSON.stringify(line).includes('"stack"')).length,
    bytes: noisy.reduce((sum, line) => sum + JSON.stringify(line).length, 0),
  };
}

function report(title: string, rows: Record<string, unknown>): void {
  const width = Math.max(...Object.keys(rows).map((key) => key.length));
  console.log(`\n${title}\n${Object.entries(rows)
    .map(([key, value]) => `  ${key.padEnd(width)}  ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('\n')}`);
}

describe.skipIf(!enabled)('database outage drills (a PostgreSQL server of their own)', () => {
  let cluster: DrillCluster;
  let points: Array<[number, number]>;
  let category: string;

  beforeAll(async () => {
    cluster = await createDrillCluster();
    // The first start migrates the empty database and loads the sample data.
    const platform = await startPlatformChild(cluster.url, { SEED_SAMPLE_DATA: 'true' });
    await platform.stop();
    const units = await cluster.query<{ lon: number; lat: number }>(`
      SELECT ST_X(ST_PointOnSurface(u.geom)) AS lon, ST_Y(ST_PointOnSurface(u.geom)) AS lat
      FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
      WHERE s.name = 'dienbien-2025' AND u.level NOT IN ('province', 'district') ORDER BY u.code`);
    points = units.rows.map((row) => [row.lon, row.lat]);
    category = (await cluster.query<{ code: string }>(`SELECT code FROM report_category WHERE active ORDER BY code LIMIT 1`)).rows[0]!.code;
  }, 300_000);

  afterAll(async () => {
    await cluster?.destroy();
  });

  const reportBody = (index: number, label: string) =>
    JSON.stringify({
      category,
      description: `Diễn tập ${label} ${run} #${index}: ống nước vỡ trên đường`,
      location: { type: 'Point', coordinates: points[index % points.length] },
    });

  /** A live-feed client, once its first stream is open. */
  async function openFeed(base: string, reconnectMs: number): Promise<FeedClient> {
    const feed = new FeedClient(`${base}/api/reports/events`, { reconnectMs });
    while (!feed.connections.some((connection) => connection.status === 200)) await sleep(20);
    return feed;
  }

  /**
   * `count` submissions sent while the drill holds a lock on `report`: each waits inside its
   * transaction until the returned client commits (releasing the lock).
   */
  async function submissionsHeldOnALock(base: string, count: number, label: string): Promise<{ locker: pg.Client; submissions: Array<Promise<Answer>> }> {
    const locker = new pg.Client({ connectionString: cluster.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE report IN EXCLUSIVE MODE');
    const submissions = Array.from({ length: count }, (_, index) =>
      request('submit', `${base}/api/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `drill-${label}-${run}-${index}` }, body: reportBody(index, label) }),
    );
    for (let waited = 0; ; waited += 50) {
      const waiting = await cluster.query<{ count: string }>(`SELECT count(*) FROM pg_stat_activity WHERE application_name = 'bandoso' AND wait_event_type = 'Lock'`);
      if (Number(waiting.rows[0]!.count) === count) return { locker, submissions };
      if (waited > 10_000) throw new Error(`only ${waiting.rows[0]!.count} of ${count} submissions reached the lock`);
      await sleep(50);
    }
  }

  /** Submits until a 2xx, retrying the same Idempotency-Key after 503s and network errors, as the map's offline queue does. */
  async function submitUntilStored(platform: PlatformChild, key: string, body: string, answers: Answer[]): Promise<{ trackingCode: string; attempts: number }> {
    for (let attempt = 1; attempt <= 300; attempt += 1) {
      if (!platform.alive()) throw new Error(`the platform process ended (${JSON.stringify(await platform.exited)}):\n${platform.stderr().slice(0, 4000)}`);
      const answer = await request('submit', `${platform.baseUrl}/api/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key }, body });
      answers.push(answer);
      if (answer.status === 201 || answer.status === 200) return { trackingCode: (JSON.parse(answer.body) as { trackingCode: string }).trackingCode, attempts: attempt };
      if (answer.status !== 503 && answer.status !== 0) throw new Error(`submission ${key}: unexpected ${answer.status} ${answer.body}`);
      await sleep(Math.min(1000, 50 * attempt));
    }
    throw new Error(`submission ${key} was never stored`);
  }

  it(
    'survives restarts under load: 400 reports from 10 clients while PostgreSQL restarts -m fast, then -m immediate',
    async () => {
      const platform = await startPlatformChild(cluster.url);
      const feed = new FeedClient(`${platform.baseUrl}/api/reports/events`, { reconnectMs: 200 });
      const answers: Answer[] = [];
      const stored = new Map<string, { trackingCode: string; body: string; attempts: number }>();
      const total = 400;
      let next = 0;
      let completed = 0;
      const restarts: Array<{ mode: string; at: number; ms: number }> = [];
      const client = async () => {
        while (next < total) {
          const index = next++;
          const key = `drill-a-${run}-${index}`;
          const body = reportBody(index, 'a');
          const { trackingCode, attempts } = await submitUntilStored(platform, key, body, answers);
          stored.set(key, { trackingCode, body, attempts });
          completed += 1;
        }
      };
      const restarter = async () => {
        for (const [mode, after] of [['fast', 100], ['immediate', 250]] as const) {
          while (completed < after) await sleep(20);
          const at = Date.now();
          await cluster.restart(mode);
          restarts.push({ mode, at, ms: Date.now() - at });
        }
      };
      await Promise.all([...Array.from({ length: 10 }, client), restarter()]);

      // Every stored report answers its replay with its own tracking code.
      const replays: Answer[] = [];
      const keys = [...stored.keys()];
      await Promise.all(
        Array.from({ length: 10 }, async (_, worker) => {
          for (let index = worker; index < keys.length; index += 10) {
            const key = keys[index]!;
            const answer = await request('replay', `${platform.baseUrl}/api/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key }, body: stored.get(key)!.body });
            replays.push(answer);
            expect(answer.status, answer.body).toBe(200);
            expect((JSON.parse(answer.body) as { trackingCode: string }).trackingCode).toBe(stored.get(key)!.trackingCode);
          }
        }),
      );

      // Stored once each: one report per key, with the tracking code its client was given.
      const rows = await cluster.query<{ key: string; tracking_code: string }>(
        `SELECT k.key, r.tracking_code FROM idempotency_key k JOIN report r ON r.id = k.report_id WHERE k.key LIKE $1`,
        [`drill-a-${run}-%`],
      );
      expect(rows.rows).toHaveLength(total);
      for (const row of rows.rows) expect(row.tracking_code).toBe(stored.get(row.key)!.trackingCode);
      const reports = await cluster.query<{ count: string }>(`SELECT count(*) FROM report WHERE description LIKE $1`, [`Diễn tập a ${run} #%`]);
      expect(Number(reports.rows[0]!.count)).toBe(total);

      // The live feed delivered every report, each once, in order, across its reconnects.
      const deadline = Date.now() + 20_000;
      const expected = new Set([...stored.values()].map((entry) => entry.trackingCode));
      while (Date.now() < deadline && [...expected].some((code) => !feed.createdTrackingCodes().includes(code))) await sleep(100);
      await feed.stop();
      const delivered = feed.createdTrackingCodes().filter((code) => expected.has(code));
      expect(new Set(delivered).size).toBe(total);
      expect(delivered).toHaveLength(total);
      const ids = feed.messages.map((message) => message.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);

      expect(platform.alive()).toBe(true);
      expect(answers.filter((answer) => answer.status >= 500 && answer.status !== 503)).toEqual([]);
      expect(platform.stderr()).toBe('');
      const log = noisyLines(platform.log());
      expect(platform.log().filter((line) => line.msg === 'unhandled error')).toEqual([]);
      const exit = await platform.stop();
      expect(exit.code).toBe(0);
      report('drill (a): restarts under load', {
        'answers to submissions': countBy(answers, (answer) => String(answer.status)),
        'attempts per report': `max ${Math.max(...[...stored.values()].map((entry) => entry.attempts))}`,
        restarts: restarts
          .map((restart) => {
            const firstStored = answers.find((answer) => answer.started >= restart.at + restart.ms && (answer.status === 201 || answer.status === 200));
            return `${restart.mode}: server back in ${restart.ms} ms, next report stored ${firstStored ? firstStored.ended - restart.at : '?'} ms after the restart began`;
          })
          .join('; '),
        'replays answered 200 with their code': `${replays.filter((answer) => answer.status === 200).length}/${total}`,
        'stored once each': `${rows.rows.length}/${total}`,
        'delivered by the live feed': `${new Set(delivered).size}/${total}, over ${feed.connections.length} connections ${JSON.stringify(countBy(feed.connections, (connection) => String(connection.status)))}`,
        'log: warn or worse / errors / stacks / bytes': `${log.warnOrWorse} / ${log.errors} / ${log.stacks} / ${log.bytes}`,
        'process': `alive through both restarts; SIGTERM exit ${exit.code}`,
      });
    },
    240_000,
  );
  it(
    'serves only 503s (or cached tiles) while PostgreSQL is stopped for 20 s, none slower than 10 s, and everything again within 5 s of its return',
    async () => {
      const platform = await startPlatformChild(cluster.url);
      const base = platform.baseUrl;
      const city = points[0]!;
      // Tiles a map had open before the outage (cached), and tiles it pans to during it (not cached).
      const cachedTiles = [10, 11, 12, 13].map((z) => tileContaining(city[0], city[1], z)).map((tile) => `/tiles/communes/${tile.z}/${tile.x}/${tile.y}.mvt`);
      for (const path of cachedTiles) expect((await request('warm', `${base}${path}`)).status).toBe(200);
      // A map panning east at zoom 14: a tile it has not asked for before, every time.
      const origin = tileContaining(city[0], city[1], 14);
      let panned = 0;
      const newTile = () => `/tiles/reports/14/${origin.x + (panned += 1)}/${origin.y}.mvt`;
      const feed = new FeedClient(`${base}/api/reports/events`, { reconnectMs: 250 });
      const answers: Answer[] = [];
      let running = true;
      const loop = async (work: () => Promise<Answer>) => {
        while (running) {
          answers.push(await work());
          await sleep(25);
        }
      };
      const traffic = Promise.all([
        loop(() => request('cached tile', `${base}${cachedTiles[answers.length % cachedTiles.length]}`)),
        loop(() => request('new tile', `${base}${newTile()}`)),
        loop(() => request('locate', `${base}/api/locate?lon=${points[answers.length % points.length]![0]}&lat=${points[answers.length % points.length]![1]}`)),
        loop(() => request('health', `${base}/api/health`)),
      ]);
      await sleep(3000);
      const stopAt = Date.now();
      await cluster.stop('fast');
      const stoppedAt = Date.now();
      await sleep(20_000);
      const startAt = Date.now();
      await cluster.start();
      const backAt = Date.now();
      await sleep(10_000);
      running = false;
      await traffic;
      await feed.stop();

      const during = answers.filter((answer) => answer.started >= stoppedAt && answer.ended <= startAt);
      const after = answers.filter((answer) => answer.started >= backAt);
      expect(during.length).toBeGreaterThan(100);
      // During: 503, or a cached tile as it was.
      const wrong = during.filter((answer) => !(answer.status === 503 || (answer.kind === 'cached tile' && answer.status === 200 && answer.cacheHit)));
      expect(wrong).toEqual([]);
      expect(during.some((answer) => answer.kind === 'cached tile' && answer.status === 200)).toBe(true);
      const slowest = Math.max(...answers.map((answer) => answer.ended - answer.started));
      expect(slowest).toBeLessThan(10_000);
      // After: every kind answers again within 5 s of the server's return, and keeps answering.
      const recovery: Record<string, number> = {};
      for (const kind of ['cached tile', 'new tile', 'locate', 'health']) {
        const failures = after.filter((answer) => answer.kind === kind && !(answer.status === 200 || answer.status === 204));
        const lastFailure = Math.max(backAt, ...failures.map((answer) => answer.ended));
        recovery[kind] = lastFailure - backAt;
        expect(recovery[kind], `${kind} after the return: ${JSON.stringify(countBy(failures, (answer) => String(answer.status)))}`).toBeLessThan(5000);
        expect(after.filter((answer) => answer.kind === kind && answer.started > lastFailure).length).toBeGreaterThan(5);
      }
      // The live feed: refused (never left open and empty) while the database was away, open again soon after.
      const feedDuring = feed.connections.filter((connection) => connection.at >= stoppedAt && connection.at <= startAt);
      expect(feedDuring.length).toBeGreaterThan(0);
      expect(feedDuring.every((connection) => connection.status === 503)).toBe(true);
      // A request sent while the server was starting may wait for the feed to go live and open
      // before pg_ctl returned: what counts is when a stream opened, not when it was asked for.
      const feedBack = feed.connections.find((connection) => connection.at >= startAt && connection.status === 200);
      expect(feedBack, JSON.stringify(feed.connections.filter((connection) => connection.at >= startAt))).toBeDefined();
      recovery['live feed'] = Math.max(0, feedBack!.answeredAt! - backAt);
      expect(recovery['live feed']).toBeLessThan(5000);

      expect(platform.alive()).toBe(true);
      expect(platform.stderr()).toBe('');
      const outageLog = platform.log().filter((line) => line.time >= stopAt && line.time <= startAt);
      const log = noisyLines(outageLog);
      expect(log.stacks).toBe(0);
      expect(log.warnOrWorse).toBeLessThan(60);
      await platform.stop();
      report('drill (b): PostgreSQL stopped for 20 s under tile, locate, health and live-feed traffic', {
        'answers during the outage': Object.fromEntries(['cached tile', 'new tile', 'locate', 'health'].map((kind) => [kind, countBy(during.filter((answer) => answer.kind === kind), (answer) => String(answer.status))])),
        'live-feed connections during': countBy(feedDuring, (connection) => String(connection.status)),
        'slowest answer (ms)': slowest,
        'server stop / start took (ms)': `${stoppedAt - stopAt} / ${backAt - startAt}`,
        'recovery after the server was back (ms)': recovery,
        'answers after the return': countBy(after, (answer) => `${answer.kind} ${answer.status}`),
        'log during the outage: warn or worse / errors / stacks / bytes': `${log.warnOrWorse} / ${log.errors} / ${log.stacks} / ${log.bytes} (${outageLog.length} lines in all)`,
      });
    },
    120_000,
  );

  it(
    'answers /api/health with 503 within 2 s while PostgreSQL is frozen (SIGSTOP), and recovers when it thaws',
    async () => {
      // A statement may take 2 s: a query the frozen server never answers is abandoned 2 s later.
      const platform = await startPlatformChild(cluster.url, { DATABASE_STATEMENT_TIMEOUT_S: '2' });
      const base = platform.baseUrl;
      const locateUrl = `${base}/api/locate?lon=${points[0]![0]}&lat=${points[0]![1]}`;
      expect((await request('health', `${base}/api/health`)).status).toBe(200);
      expect((await request('locate', locateUrl)).status).toBe(200);
      await cluster.freeze();
      let frozenAnswers: Array<Answer & { body: string }> = [];
      let locate: Answer | undefined;
      try {
        const pendingLocate = request('locate', locateUrl);
        for (let index = 0; index < 5; index += 1) {
          frozenAnswers.push(await request('health', `${base}/api/health`));
          await sleep(300);
        }
        locate = await pendingLocate;
      } finally {
        await cluster.thaw();
      }
      const thawedAt = Date.now();
      let healthy: Answer | undefined;
      while (Date.now() - thawedAt < 15_000) {
        const answer = await request('health', `${base}/api/health`);
        if (answer.status === 200) {
          healthy = answer;
          break;
        }
        await sleep(100);
      }
      expect(frozenAnswers.map((answer) => answer.status)).toEqual([503, 503, 503, 503, 503]);
      for (const answer of frozenAnswers) expect(answer.ended - answer.started).toBeLessThan(2000);
      expect(JSON.parse(frozenAnswers[0]!.body)).toMatchObject({ status: 'unavailable' });
      expect(healthy).toBeDefined();
      // The request that waited on the frozen server was answered 503, 2 s after its statement limit.
      expect(locate!.status).toBe(503);
      expect(locate!.ended - locate!.started).toBeLessThan(6000);
      const afterwards = await request('locate', locateUrl);
      expect(afterwards.status).toBe(200);
      expect(platform.alive()).toBe(true);
      await platform.stop();
      report('drill (c): PostgreSQL frozen with SIGSTOP', {
        'health while frozen': frozenAnswers.map((answer) => `${answer.status} in ${answer.ended - answer.started} ms`).join(', '),
        'a locate sent while frozen (statement timeout 2 s)': `${locate?.status} after ${locate ? locate.ended - locate.started : '?'} ms`,
        'the same locate after the thaw': `${afterwards.status} in ${afterwards.ended - afterwards.started} ms`,
        'healthy again after the thaw (ms)': healthy!.ended - thawedAt,
      });
      frozenAnswers = [];
    },
    60_000,
  );

  it(
    'finishes the 20 requests in flight on SIGTERM, ends live-feed streams with a retry hint, then exits 0',
    async () => {
      const platform = await startPlatformChild(cluster.url, { DATABASE_POOL_SIZE: '25', SHUTDOWN_GRACE_S: '10' });
      const base = platform.baseUrl;
      const feed = await openFeed(base, 60_000);
      // Every report insert waits on a lock, so that 20 submissions are in flight at the signal.
      const { locker, submissions } = await submissionsHeldOnALock(base, 20, 'd');
      const signalledAt = Date.now();
      platform.signal('SIGTERM');
      await sleep(1000);
      // Stopped accepting: a new connection is refused while the 20 are still being answered.
      const newcomer = await request('newcomer', `${base}/api/health`);
      await locker.query('COMMIT');
      await locker.end();
      const answers = await Promise.all(submissions);
      const exit = await platform.exited;
      const exitedAt = Date.now();
      await feed.stop();

      expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 20 }, () => 201));
      expect(newcomer.status).toBe(0);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(exitedAt - signalledAt).toBeLessThan(10_000);
      const stream = feed.connections[0]!;
      expect(stream).toMatchObject({ status: 200, ended: 'closed', retryMs: 1000 });
      const count = await cluster.query<{ count: string }>(`SELECT count(*) FROM report WHERE description LIKE $1`, [`Diễn tập d ${run} #%`]);
      expect(Number(count.rows[0]!.count)).toBe(20);
      expect(platform.stderr()).toBe('');
      report('drill (d): SIGTERM with 20 submissions in flight', {
        'answers to the 20': countBy(answers, (answer) => String(answer.status)),
        'stored': `${count.rows[0]!.count}/20`,
        'a new connection after the signal': newcomer.status === 0 ? 'refused' : `answered ${newcomer.status}`,
        'live-feed stream': `ended by the server with retry: ${stream.retryMs} ms`,
        'exit': `code ${exit.code} after ${exitedAt - signalledAt} ms (held 1 s by the lock)`,
      });
    },
    60_000,
  );

  it(
    'stays up when its connections are terminated mid-transaction and mid-LISTEN, and its listener comes back',
    async () => {
      const platform = await startPlatformChild(cluster.url);
      const base = platform.baseUrl;
      const feed = await openFeed(base, 200);
      const first: Answer[] = [];
      const { locker, submissions: inFlight } = await submissionsHeldOnALock(base, 8, 'e');
      // Terminated in the middle of their transactions, and the LISTEN connection with them.
      const terminated = await cluster.query<{ application_name: string }>(
        `SELECT application_name, pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name IN ('bandoso', 'bandoso:listen') AND (wait_event_type = 'Lock' OR application_name = 'bandoso:listen')`,
      );
      first.push(...(await Promise.all(inFlight)));
      await locker.query('COMMIT');
      await locker.end();
      expect(platform.alive()).toBe(true);
      expect(first.map((answer) => answer.status)).toEqual(Array.from({ length: 8 }, () => 503));

      // Then rounds of terminating every connection of the platform while clients keep submitting.
      const answers: Answer[] = [];
      const codes = new Map<string, string>();
      let next = 0;
      const clients = Array.from({ length: 4 }, async () => {
        while (next < 120) {
          const index = next++;
          // The first 8 keys are those refused above: resent now, they are stored once.
          const key = `drill-e-${run}-${index}`;
          codes.set(key, (await submitUntilStored(platform, key, reportBody(index, 'e'), answers)).trackingCode);
        }
      });
      const killer = (async () => {
        for (let round = 0; round < 5; round += 1) {
          await sleep(250);
          await cluster.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'bandoso%'`);
        }
      })();
      await Promise.all([...clients, killer]);
      let listening: string | undefined;
      const since = Date.now();
      while (Date.now() - since < 10_000) {
        const health = await request('health', `${base}/api/health`);
        listening = health.status === 200 ? (JSON.parse(health.body) as { notifications: string }).notifications : undefined;
        if (listening === 'listening') break;
        await sleep(100);
      }
      const expected = new Set(codes.values());
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && [...expected].some((code) => !feed.createdTrackingCodes().includes(code))) await sleep(100);
      await feed.stop();
      expect(listening).toBe('listening');
      expect(platform.alive()).toBe(true);
      expect(answers.filter((answer) => answer.status !== 201 && answer.status !== 200 && answer.status !== 503)).toEqual([]);
      const count = await cluster.query<{ count: string }>(`SELECT count(*) FROM report WHERE description LIKE $1`, [`Diễn tập e ${run} #%`]);
      expect(Number(count.rows[0]!.count)).toBe(120);
      expect(feed.createdTrackingCodes().filter((code) => expected.has(code)).length).toBe(120);
      expect(platform.stderr()).toBe('');
      await platform.stop();
      report('drill (e): connections terminated by the server', {
        'terminated mid-transaction / LISTEN': `${terminated.rows.filter((row) => row.application_name === 'bandoso').length} / ${terminated.rows.filter((row) => row.application_name === 'bandoso:listen').length}; their requests answered ${JSON.stringify(countBy(first, (answer) => String(answer.status)))}`,
        'then 5 rounds of terminating every connection, 120 reports from 4 clients': countBy(answers, (answer) => String(answer.status)),
        'stored once each': `${count.rows[0]!.count}/120`,
        'delivered by the live feed': `${feed.createdTrackingCodes().filter((code) => expected.has(code)).length}/120 over ${feed.connections.length} connections`,
        'notifications afterwards': listening,
      });
    },
    90_000,
  );
  it(
    'waits for the database at start-up, saying so, and gives up after DATABASE_WAIT_S with exit 3',
    async () => {
      await cluster.stop('fast');
      let platform: PlatformChild | undefined;
      let gaveUp: PlatformChild | undefined;
      try {
        // Given up: the server does not come within the limit.
        gaveUp = await startPlatformChild(cluster.url, { DATABASE_WAIT_S: '2' }, { waitForHealthy: false });
        const giveUpExit = await gaveUp.exited;
        expect(giveUpExit.code).toBe(3);
        const fatal = gaveUp.log().find((line) => line.level === 60);
        expect(fatal?.msg).toMatch(/did not answer within 2 s \(DATABASE_WAIT_S\).*Start it, or check DATABASE_URL/);

        // Waited for: the server comes back while the platform is starting.
        platform = await startPlatformChild(cluster.url, { DATABASE_WAIT_S: '60' }, { waitForHealthy: false });
        while (!platform.log().some((line) => line.msg === 'waiting for the database')) {
          expect(platform.alive()).toBe(true);
          await sleep(50);
        }
        await sleep(1500);
        const startAt = Date.now();
        await cluster.start();
        let ready: number | undefined;
        while (Date.now() - startAt < 20_000) {
          if ((await request('health', `${platform.baseUrl}/api/health`)).status === 200) {
            ready = Date.now() - startAt;
            break;
          }
          await sleep(100);
        }
        expect(ready).toBeDefined();
        const waiting = platform.log().filter((line) => line.msg === 'waiting for the database');
        expect(waiting.length).toBeGreaterThan(1);
        expect(waiting[0]).toMatchObject({ level: 40, error: expect.stringMatching(/ECONNREFUSED/) });
        expect(platform.log().some((line) => line.msg === 'the database answers')).toBe(true);
        expect(platform.stderr()).toBe('');
        report('drill (f): start-up with the database down', {
          'DATABASE_WAIT_S=2, server down': `exit ${giveUpExit.code}: ${fatal?.msg}`,
          'DATABASE_WAIT_S=60, server started later': `${waiting.length} "waiting for the database" lines, healthy ${ready} ms after the server started`,
        });
      } finally {
        await gaveUp?.stop();
        await platform?.stop();
        await cluster.start().catch(() => undefined);
      }
    },
    60_000,
  );
});
