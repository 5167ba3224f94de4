import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.ts';
import { freePort } from '../testing/free-port.ts';
import { notify } from './notify.ts';
import { NotificationListener } from './notification-listener.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const until = async (condition: () => boolean, timeoutMs = 10_000) => {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

function recorder() {
  const events: string[] = [];
  return {
    events,
    handlers: {
      onNotification: (payload: string) => events.push(`notification ${payload}`),
      onListening: () => events.push('listening'),
      onLost: () => events.push('lost'),
    },
  };
}

describe('database notifications', () => {
  it('deliver what is sent on a channel once the subscription says it is listening', async () => {
    const { events, handlers } = recorder();
    const unsubscribe = await database.listen('outbox_message', handlers);
    await until(() => events.includes('listening'));
    expect(database.notificationState()).toBe('listening');
    await notify(database.db, 'outbox_message', { n: 1 });
    await until(() => events.includes('notification {"n":1}'));
    await unsubscribe();
    await notify(database.db, 'outbox_message', { n: 2 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events).not.toContain('notification {"n":2}');
  });
});

describe.skipIf(!process.env.DATABASE_URL)('the server backend’s listener', () => {
  it('comes back by itself after the server terminates its connection, and says so', async () => {
    const { events, handlers } = recorder();
    await database.listen('report_events', handlers);
    await until(() => events.includes('listening'));
    const result = await sql<{ terminated: boolean }>`
      SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'bandoso:listen'`.execute(database.db);
    expect(result.rows.map((row) => row.terminated)).toEqual([true]);
    await until(() => events.includes('lost'));
    await until(() => events.filter((event) => event === 'listening').length === 2);
    expect(database.notificationState()).toBe('listening');
    await notify(database.db, 'report_events', { after: 'reconnect' });
    await until(() => events.includes('notification {"after":"reconnect"}'));
    expect(events.slice(0, 3)).toEqual(['listening', 'lost', 'listening']);
  });

  it('keeps trying while the server cannot be reached, without failing the subscriber', async () => {
    // A port where nothing listens.
    const port = await freePort();
    let attempts = 0;
    const listener = new NotificationListener({
      createClient: () => {
        attempts += 1;
        return new pg.Client({ connectionString: `postgres://nobody@127.0.0.1:${port}/nothing`, connectionTimeoutMillis: 500 });
      },
      initialDelayMs: 20,
      maxDelayMs: 50,
    });
    const { events, handlers } = recorder();
    const unsubscribe = await listener.subscribe('data_changed', handlers);
    expect(listener.state).toBe('reconnecting');
    await until(() => attempts >= 4);
    expect(events).toEqual([]);
    await unsubscribe();
    await listener.close();
    expect(listener.state).toBe('closed');
  });
});
