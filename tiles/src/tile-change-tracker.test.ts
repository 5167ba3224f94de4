import { describe, expect, it } from 'vitest';
import { TileChangeTracker, parseDataChange } from './tile-change-tracker.ts';

function tracker(versions: Map<string, number>, waitForNotificationsMs = 30) {
  const invalidated: Array<[string, unknown]> = [];
  const missed: string[] = [];
  let reads = 0;
  const instance = new TileChangeTracker({
    readVersions: async () => {
      reads += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return new Map(versions);
    },
    invalidate: (source, bbox) => invalidated.push([source, bbox]),
    waitForNotificationsMs,
    onMissedNotification: (source) => missed.push(source),
  });
  return { instance, invalidated, missed, reads: () => reads };
}

describe('TileChangeTracker', () => {
  it('parses the trigger payload', () => {
    expect(parseDataChange('{"source" : "report", "version" : 3, "bbox" : [103, 21, 103.1, 21.1]}')).toEqual({ source: 'report', version: 3, bbox: [103, 21, 103.1, 21.1] });
    expect(parseDataChange('{"source":"boundary_set","version":2,"bbox":null}')).toEqual({ source: 'boundary_set', version: 2, bbox: null });
    expect(parseDataChange('not json')).toBeUndefined();
  });

  it('shares one version read between requests that arrive together, and reads again for later ones', async () => {
    const { instance, reads } = tracker(new Map([['report', 1]]));
    await Promise.all([instance.ensureCurrent(), instance.ensureCurrent(), instance.ensureCurrent()]);
    expect(reads()).toBe(1);
    await instance.ensureCurrent();
    expect(reads()).toBe(2);
    // A request arriving while a read runs waits for the next read.
    const first = instance.ensureCurrent();
    await new Promise((resolve) => setTimeout(resolve, 1));
    const second = instance.ensureCurrent();
    await Promise.all([first, second]);
    expect(reads()).toBe(4);
  });

  it('waits for a notification the counters announce, and applies it with its bbox', async () => {
    const versions = new Map([['report', 1]]);
    const { instance, invalidated, missed } = tracker(versions, 500);
    await instance.ensureCurrent();
    versions.set('report', 2);
    const current = instance.ensureCurrent();
    setTimeout(() => instance.apply({ source: 'report', version: 2, bbox: [1, 2, 3, 4] }), 20);
    await current;
    expect(invalidated).toEqual([['report', [1, 2, 3, 4]]]);
    expect(missed).toEqual([]);
  });

  it('drops the whole layer when a notification never comes (listener down)', async () => {
    const versions = new Map([['camera', 4]]);
    const { instance, invalidated, missed } = tracker(versions);
    await instance.ensureCurrent();
    versions.set('camera', 5);
    await instance.ensureCurrent();
    expect(invalidated).toEqual([['camera', null]]);
    expect(missed).toEqual(['camera']);
  });

  it('treats a gap in versions as a lost notification', () => {
    const { instance, invalidated } = tracker(new Map());
    instance.apply({ source: 'report', version: 1, bbox: [0, 0, 1, 1] });
    instance.apply({ source: 'report', version: 3, bbox: [0, 0, 1, 1] });
    expect(invalidated).toEqual([
      ['report', [0, 0, 1, 1]],
      ['report', null],
    ]);
  });

  it('tells whether a change touched an area since a generation (so a racing tile is not cached)', () => {
    const { instance } = tracker(new Map());
    const start = instance.generation;
    expect(instance.changedSince(['report'], [0, 0, 1, 1], start)).toBe(false);
    instance.apply({ source: 'report', version: 1, bbox: [5, 5, 6, 6] });
    expect(instance.changedSince(['report'], [0, 0, 1, 1], start)).toBe(false);
    expect(instance.changedSince(['camera'], [5, 5, 6, 6], start)).toBe(false);
    expect(instance.changedSince(['report'], [5.5, 5.5, 7, 7], start)).toBe(true);
  });

  it('does not wait for notifications while the listener is known to be down: drops the layer at once', async () => {
    const versions = new Map([['report', 1]]);
    const { instance, invalidated, missed } = tracker(versions, 5000);
    await instance.ensureCurrent();
    instance.setListening(false);
    versions.set('report', 2);
    const started = performance.now();
    await instance.ensureCurrent();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(invalidated).toEqual([['report', null]]);
    expect(missed).toEqual(['report']);
  });

  it('after the listener is back, drops every source it knows and takes the counters as they are', async () => {
    const versions = new Map([
      ['report', 1],
      ['camera', 7],
    ]);
    const { instance, invalidated, missed } = tracker(versions, 5000);
    await instance.ensureCurrent();
    instance.setListening(false);
    // Changes made while nothing was heard: the counters moved, no notification came.
    versions.set('report', 4);
    const before = instance.generation;
    instance.resynchronise();
    expect(invalidated).toEqual([
      ['report', null],
      ['camera', null],
    ]);
    // A tile computed across the reconnect is not cached.
    expect(instance.changedSince(['report'], [0, 0, 1, 1], before)).toBe(true);
    // The next read adopts the counters without waiting, and later notifications apply as usual.
    const started = performance.now();
    await instance.ensureCurrent();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(missed).toEqual([]);
    instance.apply({ source: 'report', version: 5, bbox: [1, 1, 2, 2] });
    expect(invalidated.at(-1)).toEqual(['report', [1, 1, 2, 2]]);
  });
});
