import { cameraStatusEvent, cameraWatchSchema, type CameraStatusEventData } from '@bandoso/contracts';
import { bearerToken, createTestDatabase, createTestUser, startTestServer, type TestDatabase, type TestServer } from '@bandoso/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedClient } from '../drills/feed-client.ts';
import { startCameraSimulator, type CameraSimulator } from './camera-simulator.ts';

/**
 * The camera relay end to end: the platform on a real port, cameras simulated by ffmpeg, the sample
 * cameras CAM-005 (public) and CAM-007 (restricted) pointed at them.
 */
let database: TestDatabase;
let simulator: CameraSimulator;
// Live relay only (no recording): every upstream segment fetch is a viewer's.
let live: TestServer;
// Health checker every second, recording for rewind.
let checked: TestServer;
const ids: Record<string, string> = {};
let iocToken: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  simulator = await startCameraSimulator({ port: 0, codes: ['CAM-005', 'CAM-007'], listSize: 6 });
  database = await createTestDatabase();
  for (const code of ['CAM-005', 'CAM-007']) {
    const row = await database.db.updateTable('camera').set({ stream_url: simulator.streamUrl(code), status: 'online' }).where('code', '=', code).returning('id').executeTakeFirstOrThrow();
    ids[code] = row.id;
  }
  // The other sample cameras are not simulated: out of the checker's way.
  await database.db.updateTable('camera').set({ status: 'maintenance' }).where('code', 'not in', ['CAM-005', 'CAM-007']).execute();
  const common = { CAMERA_ALLOWED_NETWORKS: '127.0.0.1/32', CAMERA_URL_SECRET: 's'.repeat(40) };
  live = await startTestServer(database, { ...common, CAMERA_REWIND_MINUTES: '0', CAMERA_HEALTH_INTERVAL_S: '0' });
  checked = await startTestServer(database, { ...common, CAMERA_REWIND_MINUTES: '1', CAMERA_HEALTH_INTERVAL_S: '1' });
  iocToken = await bearerToken(live.baseUrl, await createTestUser(database.db, 'ioc_operator'));
}, 120_000);

afterAll(async () => {
  await live?.close();
  await checked?.close();
  await database?.close();
  await simulator?.stop();
});

async function watch(base: string, code: string, body: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(`${base}/api/cameras/${ids[code]}/watch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return cameraWatchSchema.parse(await response.json());
}

/** The segment URIs of a playlist, resolved against it. */
function segmentUrls(playlist: string, playlistUrl: string): string[] {
  return playlist
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => new URL(line, playlistUrl).toString());
}

describe('the camera relay with simulated cameras', () => {
  it('relays a public camera to anyone: its playlist names only the platform, and its segments are MPEG-TS', async () => {
    const signed = await watch(live.baseUrl, 'CAM-005');
    const playlistUrl = new URL(signed.url, live.baseUrl).toString();
    const response = await fetch(playlistUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/mpegurl/);
    const playlist = await response.text();
    expect(playlist).toMatch(/^#EXTM3U/);
    expect(playlist).not.toContain(new URL(simulator.baseUrl).host);
    expect(playlist).not.toContain('/cameras/CAM-005');
    const segments = segmentUrls(playlist, playlistUrl);
    expect(segments.length).toBeGreaterThanOrEqual(2);
    for (const url of segments) expect(new URL(url).origin).toBe(live.baseUrl);
    const segment = await fetch(segments.at(-1)!);
    expect(segment.status).toBe(200);
    expect(segment.headers.get('content-type')).toBe('video/mp2t');
    const bytes = new Uint8Array(await segment.arrayBuffer());
    expect(bytes[0]).toBe(0x47);
    expect(bytes[188]).toBe(0x47);
  });

  it('fetches each segment from the camera once however many watch: five viewers on the live cadence', async () => {
    const relay = live.instance.cameras.relay;
    const before = relay.counters(ids['CAM-005']!);
    const requested = new Set<string>();
    let viewerRequests = 0;
    const viewer = async () => {
      const signed = await watch(live.baseUrl, 'CAM-005');
      const playlistUrl = new URL(signed.url, live.baseUrl).toString();
      const seen = new Set<string>();
      const until = Date.now() + 4_000;
      while (Date.now() < until) {
        const playlist = await (await fetch(playlistUrl)).text();
        for (const url of segmentUrls(playlist, playlistUrl).slice(-3)) {
          const name = new URL(url).pathname;
          if (seen.has(name)) continue;
          seen.add(name);
          requested.add(name);
          const answer = await fetch(url);
          expect(answer.status).toBe(200);
          await answer.arrayBuffer();
          viewerRequests += 1;
        }
        await sleep(500);
      }
    };
    await Promise.all(Array.from({ length: 5 }, viewer));
    const after = relay.counters(ids['CAM-005']!);
    expect(viewerRequests).toBeGreaterThanOrEqual(5 * requested.size - 5);
    // At most one upstream fetch per distinct segment, none per viewer (the first test's viewer may
    // have had the oldest ones fetched already).
    const fetched = after.segmentFetches - before.segmentFetches;
    expect(fetched).toBeLessThanOrEqual(requested.size);
    expect(fetched).toBeGreaterThanOrEqual(requested.size - 3);
    expect(requested.size).toBeGreaterThanOrEqual(4);
    // 4 s of 1 s segments: the playlist was read about once per target duration, not 5 × 8 times.
    expect(after.playlistFetches - before.playlistFetches).toBeLessThanOrEqual(8);
  });

  it('refuses the restricted camera to anonymous (401) and citizen (403) callers, and relays it to the IOC', async () => {
    const anonymous = await fetch(`${live.baseUrl}/api/cameras/${ids['CAM-007']}/watch`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
    const citizenToken = await bearerToken(live.baseUrl, await createTestUser(database.db, 'citizen'));
    const citizen = await fetch(`${live.baseUrl}/api/cameras/${ids['CAM-007']}/watch`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${citizenToken}` }, body: '{}' });
    expect(citizen.status).toBe(403);
    const signed = await watch(live.baseUrl, 'CAM-007', {}, iocToken);
    expect((await fetch(new URL(signed.url, live.baseUrl))).status).toBe(200);
  });

  it('plays back what a camera showed a few seconds ago (rewind): the playlist starts at the asked time', async () => {
    // The checker found the cameras online and the relay has been recording them since.
    const deadline = Date.now() + 20_000;
    let playlist = '';
    let from = new Date();
    while (Date.now() < deadline) {
      await sleep(1000);
      from = new Date(Date.now() - 4_000);
      const signed = await watch(checked.baseUrl, 'CAM-005', { from: from.toISOString() });
      expect(signed.url).toContain('from=');
      const response = await fetch(new URL(signed.url, checked.baseUrl));
      if (response.status === 200) {
        playlist = await response.text();
        break;
      }
      expect(response.status).toBe(404);
    }
    expect(playlist).toContain('#EXT-X-ENDLIST');
    const times = [...playlist.matchAll(/#EXT-X-PROGRAM-DATE-TIME:(\S+)/g)].map((match) => new Date(match[1]!).getTime());
    expect(times.length).toBeGreaterThanOrEqual(2);
    // The first segment covers the asked time (1 s segments).
    expect(times[0]!).toBeLessThanOrEqual(from.getTime());
    expect(from.getTime() - times[0]!).toBeLessThan(2_500);
    const playlistUrl = new URL((await watch(checked.baseUrl, 'CAM-005', { from: from.toISOString() })).url, checked.baseUrl).toString();
    const first = segmentUrls(await (await fetch(playlistUrl)).text(), playlistUrl)[0]!;
    const segment = await fetch(first);
    expect(segment.status).toBe(200);
    expect(new Uint8Array(await segment.arrayBuffer())[0]).toBe(0x47);
    // Beyond the rewind window: refused with a reason.
    const tooOld = await fetch(`${checked.baseUrl}/api/cameras/${ids['CAM-005']}/watch`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ from: new Date(Date.now() - 5 * 60_000).toISOString() }) });
    expect(tooOld.status).toBe(400);
  });

  it('marks a stopped camera offline within two health intervals, says so on the IOC’s live feed only, and online again after it restarts', async () => {
    const statusOf = async (code: string) => (database.db.selectFrom('camera').select(['status', 'last_seen_at']).where('code', '=', code).executeTakeFirstOrThrow());
    const until = async (code: string, status: string, withinMs: number) => {
      const started = Date.now();
      while (Date.now() - started < withinMs) {
        if ((await statusOf(code)).status === status) return Date.now() - started;
        await sleep(100);
      }
      throw new Error(`${code} did not become ${status} within ${withinMs} ms (it is ${(await statusOf(code)).status})`);
    };
    await until('CAM-007', 'online', 10_000);
    const feeds = {
      ioc: new FeedClient(`${checked.baseUrl}/api/reports/events`, { headers: { Authorization: `Bearer ${iocToken}` } }),
      anonymous: new FeedClient(`${checked.baseUrl}/api/reports/events`),
    };
    while (!Object.values(feeds).every((feed) => feed.connections.some((connection) => connection.status === 200))) await sleep(20);
    await sleep(300);
    const stoppedAt = Date.now();
    await simulator.stopCamera('CAM-007');
    const offlineAfter = await until('CAM-007', 'offline', 2 * 1000 + 1500);
    await simulator.startCamera('CAM-007');
    const onlineAfter = await until('CAM-007', 'online', 2 * 1000 + 1500);
    await sleep(300);
    await Promise.all(Object.values(feeds).map((feed) => feed.stop()));
    const cameraEvents = (feed: FeedClient) => feed.otherEvents.filter((event) => event.event === cameraStatusEvent).map((event) => event.data as CameraStatusEventData);
    const events = { ioc: cameraEvents(feeds.ioc), anonymous: cameraEvents(feeds.anonymous) };
    const mine = events.ioc.filter((event) => event.camera.code === 'CAM-007').map((event) => event.camera.status);
    expect(mine).toEqual(expect.arrayContaining(['offline', 'online']));
    expect(mine.indexOf('offline')).toBeLessThan(mine.lastIndexOf('online'));
    // Restricted: not on the public feed.
    expect(events.anonymous.filter((event) => event.camera.code === 'CAM-007')).toEqual([]);
    const history = await fetch(`${checked.baseUrl}/api/admin/cameras/${ids['CAM-007']}/events`, { headers: { Authorization: `Bearer ${iocToken}` } });
    const kinds = ((await history.json()) as { events: Array<{ kind: string; actor: { role: string }; changes: { status?: { to: string } } }> }).events.filter((event) => event.kind === 'status');
    expect(kinds.map((event) => event.changes.status?.to)).toEqual(expect.arrayContaining(['offline', 'online']));
    expect(kinds.every((event) => event.actor.role === 'system')).toBe(true);
    console.log(`CAM-007 stopped → offline after ${offlineAfter} ms, restarted → online after ${onlineAfter} ms (health interval 1 s; stopped at ${new Date(stoppedAt).toISOString()})`);
  });
});
