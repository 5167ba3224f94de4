import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CameraRewindStore, type RecordedSegment } from './camera-rewind-store.ts';

const folders: string[] = [];

afterEach(async () => {
  while (folders.length > 0) await fs.rm(folders.pop()!, { recursive: true, force: true });
});

async function cameraFolder(): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'camera-rewind-store-test-'));
  folders.push(root);
  return path.join(root, 'camera-1');
}

const T0 = Date.parse('2025-03-01T01:00:00Z');

function segment(sequence: number, extra: Partial<RecordedSegment> = {}): Omit<RecordedSegment, 'bytes' | 'recordedAt'> {
  return { sequence, name: `${sequence}.ts`, durationS: 2, programDateTime: new Date(T0 + sequence * 2_000), discontinuity: false, ...extra };
}

function body(sequence: number): Buffer {
  return Buffer.from(`segment ${sequence}`.padEnd(188, '.'));
}

async function filesOf(folder: string): Promise<string[]> {
  return (await fs.readdir(folder)).sort();
}

const options = { keepMs: 60_000, maxBytes: 1024 * 1024 };

describe('CameraRewindStore', () => {
  it('stores segments with their index, and opens them again as they were', async () => {
    const folder = await cameraFolder();
    const store = await CameraRewindStore.open(folder, options);
    expect(store.lastSequence).toBeUndefined();
    await expect(fs.access(folder)).rejects.toThrow();
    await store.add(segment(10, { mapName: 'init-10.mp4', name: '10.m4s' }), body(10), [{ name: 'init-10.mp4', body: Buffer.from('init') }]);
    await store.add(segment(11, { name: '11.m4s', mapName: 'init-10.mp4', key: { method: 'AES-128', name: 'key-11.key', ivHex: '00'.repeat(16) } }), body(11), [
      { name: 'init-10.mp4', body: Buffer.from('init') },
      { name: 'key-11.key', body: Buffer.from('0123456789abcdef') },
    ]);
    expect(await filesOf(folder)).toEqual(['10.m4s', '11.m4s', 'index.jsonl', 'init-10.mp4', 'key-11.key']);

    const reopened = await CameraRewindStore.open(folder, options);
    expect(reopened.lastSequence).toBe(11);
    expect(reopened.segments().map((stored) => [stored.name, stored.mapName, stored.key?.name])).toEqual([
      ['10.m4s', 'init-10.mp4', undefined],
      ['11.m4s', 'init-10.mp4', 'key-11.key'],
    ]);
    expect((await reopened.read('11.m4s'))?.equals(body(11))).toBe(true);
    expect((await reopened.read('init-10.mp4'))?.toString()).toBe('init');
    expect(await reopened.read('12.m4s')).toBeUndefined();
    expect(await reopened.read('../index.jsonl')).toBeUndefined();
  });

  it('finds the segment covering a time, the next one after a hole, and nothing outside the recording', async () => {
    const store = await CameraRewindStore.open(await cameraFolder(), options);
    for (const sequence of [1, 2, 3, 6, 7]) await store.add(segment(sequence), body(sequence));
    const names = (from: number): string[] | undefined => store.segmentsFrom(new Date(from))?.map((stored) => stored.name);
    expect(names(T0 + 2_000)).toEqual(['1.ts', '2.ts', '3.ts', '6.ts', '7.ts']);
    expect(names(T0 + 5_999)).toEqual(['2.ts', '3.ts', '6.ts', '7.ts']);
    // 8 s to 12 s were not recorded: from the next segment on.
    expect(names(T0 + 9_000)).toEqual(['6.ts', '7.ts']);
    expect(names(T0 + 1_999)).toBeUndefined();
    expect(names(T0 + 16_000)).toBeUndefined();
  });

  it('prunes by the time segments were stored (whatever the camera’s clock), index first', async () => {
    const folder = await cameraFolder();
    const store = await CameraRewindStore.open(folder, { ...options, keepMs: 10_000 });
    await store.add(segment(1, { mapName: 'init-1.mp4' }), body(1), [{ name: 'init-1.mp4', body: Buffer.from('old init') }]);
    await store.add(segment(2, { mapName: 'init-2.mp4' }), body(2), [{ name: 'init-2.mp4', body: Buffer.from('new init') }]);
    expect(await store.prune(new Date(Date.now() + 5_000))).toBe(0);
    expect(await store.prune(new Date(Date.now() + 10_001))).toBe(2);
    expect(store.segmentCount).toBe(0);
    expect(store.totalBytes).toBe(0);
    expect(await filesOf(folder)).toEqual(['index.jsonl']);
    expect(await fs.readFile(path.join(folder, 'index.jsonl'), 'utf8')).toBe('');
  });

  it('keeps the folder under its size limit, oldest first, and drops resources nobody needs', async () => {
    const folder = await cameraFolder();
    const store = await CameraRewindStore.open(folder, { ...options, maxBytes: 188 * 3 });
    await store.add(segment(1, { mapName: 'init-1.mp4' }), body(1), [{ name: 'init-1.mp4', body: Buffer.from('old init') }]);
    await store.add(segment(2, { mapName: 'init-2.mp4' }), body(2), [{ name: 'init-2.mp4', body: Buffer.from('new init') }]);
    await store.add(segment(3, { mapName: 'init-2.mp4' }), body(3));
    await store.add(segment(4, { mapName: 'init-2.mp4' }), body(4));
    expect(store.segments().map((stored) => stored.sequence)).toEqual([3, 4]);
    expect(store.totalBytes).toBeLessThanOrEqual(188 * 3);
    expect(await filesOf(folder)).toEqual(['3.ts', '4.ts', 'index.jsonl', 'init-2.mp4']);
  });

  it('reconciles a folder left by a crash: torn lines, lines without files and files without lines', async () => {
    const folder = await cameraFolder();
    const store = await CameraRewindStore.open(folder, options);
    for (const sequence of [1, 2, 3]) await store.add(segment(sequence), body(sequence));
    // A crash after the rename of a segment but before its index line; one in the middle of a line; a
    // segment file lost; a temporary file of an interrupted write.
    await fs.writeFile(path.join(folder, '4.ts'), body(4));
    await fs.appendFile(path.join(folder, 'index.jsonl'), '{"seq":5,"name":"5.ts","du');
    await fs.rm(path.join(folder, '2.ts'));
    await fs.writeFile(path.join(folder, '6.ts.123.tmp'), 'half');

    const reopened = await CameraRewindStore.open(folder, options);
    expect(reopened.segments().map((stored) => stored.name)).toEqual(['1.ts', '3.ts']);
    expect(await filesOf(folder)).toEqual(['1.ts', '3.ts', 'index.jsonl']);
    const lines = (await fs.readFile(path.join(folder, 'index.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { name: string }).name)).toEqual(['1.ts', '3.ts']);
    // Sequences keep counting past what was stored, never back.
    await reopened.add(segment(2), body(2));
    expect(reopened.segments().map((stored) => stored.name)).toEqual(['1.ts', '3.ts']);
  });

  it('removes its folder on destroy', async () => {
    const folder = await cameraFolder();
    const store = await CameraRewindStore.open(folder, options);
    await store.add(segment(1), body(1));
    await store.destroy();
    await expect(fs.access(folder)).rejects.toThrow();
    expect(store.has('1.ts')).toBe(false);
  });
});
