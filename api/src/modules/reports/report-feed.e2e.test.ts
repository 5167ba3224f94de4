import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedPositionEvent } from '@bandoso/contracts';
import type { DatabaseHandle } from '../../db/database.ts';
import { bearerToken, createTestUser, getSharedTestDatabase, pointInUnit, staffAction, startTestServer, submitTestReport, type TestServer } from '../../testing/index.ts';

let database: DatabaseHandle;
let server: TestServer;

beforeAll(async () => {
  database = await getSharedTestDatabase();
  server = await startTestServer(database);
});
afterAll(() => server.close());

interface ServerSentEvent {
  id: string;
  event: string;
  data: any;
}

/**
 * Reads server-sent events until `until` says enough (or the timeout passes): the report events, and
 * the stream's position (the id of its first event, feed.position).
 */
async function readStream(url: string, headers: Record<string, string>, until: (events: ServerSentEvent[], position?: ServerSentEvent) => boolean, afterConnect?: () => Promise<void>, timeoutMs = 15_000) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const response = await fetch(url, { headers, signal: controller.signal });
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: ServerSentEvent[] = [];
  let position: ServerSentEvent | undefined;
  let buffer = '';
  const pending = afterConnect?.();
  try {
    while (!until(events, position)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(block.split('\n').filter((line) => !line.startsWith(':') && line.includes(': ')).map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)]));
        if (!fields.data) continue;
        const event = { id: fields.id ?? '', event: fields.event ?? 'message', data: JSON.parse(fields.data) };
        if (event.event === feedPositionEvent) {
          expect(position, 'one position per stream, before every report event').toBeUndefined();
          expect(events).toEqual([]);
          position = event;
        } else events.push(event);
      }
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
    await pending;
  }
  return { events, position };
}

async function collectEvents(...args: Parameters<typeof readStream>) {
  return (await readStream(...args)).events;
}

describe('GET /api/reports/events (Server-Sent Events)', () => {
  it('pushes a new report and its status changes as they happen', async () => {
    const centre = await pointInUnit(database.db, '03127');
    const officer = await createTestUser(database.db, 'officer', 'UBND-03127');
    const token = await bearerToken(server.baseUrl, officer);
    let trackingCode = '';
    const events = await collectEvents(
      `${server.baseUrl}/api/reports/events`,
      {},
      (received) => received.some((event) => event.data.report.trackingCode === trackingCode && event.data.report.status === 'accepted'),
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const report = await submitTestReport(server.baseUrl, { category: 'trees', coordinates: centre });
        trackingCode = report.trackingCode;
        await staffAction(server.baseUrl, token, report.id, { action: 'accept' });
      },
    );
    const mine = events.filter((event) => event.data.report.trackingCode === trackingCode);
    expect(mine.map((event) => event.event)).toEqual(['report.created', 'report.updated']);
    expect(mine[0]!.data.report).toMatchObject({ category: 'trees', status: 'received', commune: { code: '03127' }, location: { type: 'Point' } });
    expect(Number(mine[1]!.id)).toBeGreaterThan(Number(mine[0]!.id));
  });

  it('resumes from Last-Event-ID with what the client missed', async () => {
    const centre = await pointInUnit(database.db, '03334');
    const first = await submitTestReport(server.baseUrl, { category: 'trees', coordinates: centre });
    const seq = await database.db.selectFrom('report_event').select('seq').where('report_id', '=', first.id).executeTakeFirstOrThrow();
    const missed = await submitTestReport(server.baseUrl, { category: 'trees', coordinates: centre });
    const events = await collectEvents(`${server.baseUrl}/api/reports/events`, { 'Last-Event-ID': String(seq.seq) }, (received) =>
      received.some((event) => event.data.report.trackingCode === missed.trackingCode),
    );
    const codes = events.map((event) => event.data.report.trackingCode);
    expect(codes).toContain(missed.trackingCode);
    expect(codes).not.toContain(first.trackingCode);
  });

  it('starts every stream with its position, so a client that lost it before any report resumes without a gap', async () => {
    const centre = await pointInUnit(database.db, '03334');
    // A stream that ends before any report event (as when the database restarts): the client keeps
    // only the position.
    const { events: none, position } = await readStream(`${server.baseUrl}/api/reports/events`, {}, (_, first) => first !== undefined);
    expect(none).toEqual([]);
    const last = await database.db.selectFrom('report_event').select(({ fn }) => fn.max('seq').as('seq')).executeTakeFirstOrThrow();
    expect(position).toMatchObject({ event: feedPositionEvent, id: String(last.seq), data: { after: Number(last.seq) } });
    // Reports stored while it was away arrive when it comes back with that position.
    const missed = await submitTestReport(server.baseUrl, { category: 'trees', coordinates: centre });
    const events = await collectEvents(`${server.baseUrl}/api/reports/events`, { 'Last-Event-ID': position!.id }, (received) =>
      received.some((event) => event.data.report.trackingCode === missed.trackingCode),
    );
    expect(events.map((event) => event.data.report.trackingCode)).toContain(missed.trackingCode);
  });
});
