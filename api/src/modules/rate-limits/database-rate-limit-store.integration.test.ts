import type { Options } from 'express-rate-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/index.ts';
import { DatabaseRateLimitStore } from './database-rate-limit-store.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const storeWithWindow = (prefix: string, windowMs: number) => {
  const store = new DatabaseRateLimitStore(database.db, prefix);
  store.init({ windowMs } as Options);
  return store;
};

describe('the database rate-limit store', () => {
  it('counts hits per key in a window that starts at the first hit, and starts a new one after it', async () => {
    const store = storeWithWindow('test:', 3000);
    const first = await store.increment('198.51.100.1');
    expect(first.totalHits).toBe(1);
    expect(first.resetTime!.getTime() - Date.now()).toBeGreaterThan(1000);
    expect((await store.increment('198.51.100.1')).totalHits).toBe(2);
    expect((await store.increment('198.51.100.2')).totalHits).toBe(1);
    expect((await store.get('198.51.100.1'))?.totalHits).toBe(2);
    await store.decrement('198.51.100.1');
    expect((await store.get('198.51.100.1'))?.totalHits).toBe(1);
    // Another store (another process) on the same database sees the same counter.
    expect((await storeWithWindow('test:', 3000).increment('198.51.100.1')).totalHits).toBe(2);
    // A store with another prefix (another limiter) does not.
    expect((await storeWithWindow('other:', 3000).increment('198.51.100.1')).totalHits).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 3100));
    expect(await store.get('198.51.100.1')).toBeUndefined();
    const renewed = await store.increment('198.51.100.1');
    expect(renewed.totalHits).toBe(1);
    expect(renewed.resetTime!.getTime()).toBeGreaterThan(first.resetTime!.getTime());

    await store.resetKey('198.51.100.2');
    expect(await store.get('198.51.100.2')).toBeUndefined();
  });
});
