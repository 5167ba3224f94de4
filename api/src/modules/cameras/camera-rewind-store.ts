import fs from 'node:fs/promises';
import path from 'node:path';
import { parseRelayName } from './camera-playlist.ts';

/**
 * One recorded camera's segments on disk, for rewind:
 *
 *   <rewindDir>/<cameraId>/index.jsonl     one JSON line per stored segment, in relay sequence order
 *   <rewindDir>/<cameraId>/1234.ts         the segments, under the relay's own names
 *   <rewindDir>/<cameraId>/init-1200.mp4   initialisation sections and keys the segments refer to
 *
 * The index and the files never disagree in a way a reader can see: a file is written under a
 * temporary name and renamed into place before its index line is appended (a crash leaves at most an
 * unindexed file), and pruning rewrites the index (temporary file + rename) before it deletes files
 * (a crash leaves at most files the index no longer names). Opening a folder reconciles both ways:
 * index lines whose files are missing are dropped, files no line needs are deleted, and a torn last
 * line is ignored. All changes of one store run one after another.
 */

export interface RecordedKey {
  method: string;
  /** The relay name of the key file (absent for METHOD=NONE). */
  name?: string;
  /** 32 hex digits. */
  ivHex?: string;
  format?: string;
  formatVersion?: string;
}

export interface RecordedSegment {
  /** The relay's sequence number (also in `name`). */
  sequence: number;
  name: string;
  durationS: number;
  /** When the segment starts: the upstream's EXT-X-PROGRAM-DATE-TIME, or the relay's estimate. */
  programDateTime: Date;
  /** The relay saw a discontinuity before this segment (an upstream restart, a new source, or upstream's own tag). */
  discontinuity: boolean;
  /** The relay name of its initialisation section, if any. */
  mapName?: string;
  key?: RecordedKey;
  /** When it was stored (the relay's clock): what retention counts from, whatever the camera's clock says. */
  recordedAt: Date;
  /** Size of the segment file. */
  bytes: number;
}

export interface RecordedResource {
  name: string;
  body: Buffer;
}

export interface CameraRewindStoreOptions {
  /** Segments stored longer ago than this are deleted. */
  keepMs: number;
  /** The folder's size limit: past it, the oldest segments go first. */
  maxBytes: number;
}

const INDEX_FILE = 'index.jsonl';

interface IndexLine {
  seq: number;
  name: string;
  dur: number;
  pdt: number;
  disc?: true;
  map?: string;
  key?: RecordedKey;
  at: number;
  bytes: number;
}

export class CameraRewindStore {
  #segments: RecordedSegment[] = [];
  readonly #segmentNames = new Set<string>();
  /** Initialisation sections and keys on disk: name → bytes. */
  readonly #resources = new Map<string, number>();
  #totalBytes = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #destroyed = false;
  #folderReady = false;

  private constructor(
    readonly directory: string,
    private readonly options: CameraRewindStoreOptions,
  ) {}

  /** Opens the folder (which need not exist: it is created with the first segment) and reconciles it with its index. */
  static async open(directory: string, options: CameraRewindStoreOptions): Promise<CameraRewindStore> {
    const store = new CameraRewindStore(directory, options);
    await store.#load();
    await store.prune();
    return store;
  }

  /** The highest relay sequence stored, so that a relay started again keeps counting past it. */
  get lastSequence(): number | undefined {
    return this.#segments.at(-1)?.sequence;
  }

  get segmentCount(): number {
    return this.#segments.length;
  }

  get totalBytes(): number {
    return this.#totalBytes;
  }

  segments(): readonly RecordedSegment[] {
    return this.#segments;
  }

  has(name: string): boolean {
    return this.#segmentNames.has(name) || this.#resources.has(name);
  }

  /**
   * The stored segments from the one covering `from` to the newest. When `from` falls in a hole of the
   * recording (the camera was down), from the first one after it; undefined when `from` is before the
   * oldest stored segment or after the newest ends.
   */
  segmentsFrom(from: Date): RecordedSegment[] | undefined {
    const at = from.getTime();
    const segments = this.#segments;
    if (segments.length === 0 || !Number.isFinite(at)) return undefined;
    let start = segments.findIndex((segment) => segment.programDateTime.getTime() <= at && at < endOf(segment));
    if (start < 0) {
      const first = segments[0]!;
      const last = segments.at(-1)!;
      if (at < first.programDateTime.getTime() || at >= endOf(last)) return undefined;
      start = segments.findIndex((segment) => segment.programDateTime.getTime() > at);
      if (start < 0) return undefined;
    }
    return segments.slice(start);
  }

  /** A stored file by its relay name; undefined when it is not (or no longer) stored. */
  async read(name: string): Promise<Buffer | undefined> {
    if (!parseRelayName(name) || !this.has(name)) return undefined;
    try {
      return await fs.readFile(path.join(this.directory, name));
    } catch (error) {
      // Pruned between the check and the read.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Stores a segment (and the resources it refers to that are not stored yet), then applies the size limit. */
  add(segment: Omit<RecordedSegment, 'bytes' | 'recordedAt'>, body: Buffer, resources: readonly RecordedResource[] = []): Promise<void> {
    return this.#serially(async () => {
      if (this.#destroyed) return;
      const last = this.#segments.at(-1);
      if (last && segment.sequence <= last.sequence) return;
      if (!parseRelayName(segment.name) || resources.some((resource) => !parseRelayName(resource.name))) throw new Error('Not a relay name.');
      if (!this.#folderReady) {
        await fs.mkdir(this.directory, { recursive: true });
        this.#folderReady = true;
      }
      for (const resource of resources) {
        if (this.#resources.has(resource.name)) continue;
        await this.#writeFile(resource.name, resource.body);
        this.#resources.set(resource.name, resource.body.length);
        this.#totalBytes += resource.body.length;
      }
      await this.#writeFile(segment.name, body);
      const stored: RecordedSegment = { ...segment, recordedAt: new Date(), bytes: body.length };
      try {
        await fs.appendFile(path.join(this.directory, INDEX_FILE), `${JSON.stringify(toIndexLine(stored))}\n`);
      } catch (error) {
        await fs.rm(path.join(this.directory, segment.name), { force: true }).catch(() => undefined);
        throw error;
      }
      this.#segments.push(stored);
      this.#segmentNames.add(stored.name);
      this.#totalBytes += stored.bytes;
      if (this.#totalBytes > this.options.maxBytes) await this.#removeOldest((_, index, bytesLeft) => bytesLeft > this.options.maxBytes && index < this.#segments.length - 1);
    });
  }

  /** Deletes the segments stored longer ago than the store keeps them; answers how many went. */
  prune(now: Date = new Date()): Promise<number> {
    const oldestKept = now.getTime() - this.options.keepMs;
    return this.#serially(() => this.#removeOldest((segment) => segment.recordedAt.getTime() < oldestKept));
  }

  /** Removes the folder and everything in it; the store stays empty afterwards. */
  destroy(): Promise<void> {
    return this.#serially(async () => {
      this.#destroyed = true;
      this.#segments = [];
      this.#segmentNames.clear();
      this.#resources.clear();
      this.#totalBytes = 0;
      await fs.rm(this.directory, { recursive: true, force: true });
    });
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #writeFile(name: string, body: Buffer): Promise<void> {
    const final = path.join(this.directory, name);
    const temporary = `${final}.${process.pid}.tmp`;
    try {
      await fs.writeFile(temporary, body);
      await fs.rename(temporary, final);
    } catch (error) {
      await fs.rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  /** Removes segments from the oldest while `shouldRemove` says so: index first, files after. */
  async #removeOldest(shouldRemove: (segment: RecordedSegment, index: number, bytesLeft: number) => boolean): Promise<number> {
    let count = 0;
    let bytesLeft = this.#totalBytes;
    while (count < this.#segments.length && shouldRemove(this.#segments[count]!, count, bytesLeft)) {
      bytesLeft -= this.#segments[count]!.bytes;
      count += 1;
    }
    if (count === 0) return 0;
    const removed = this.#segments.slice(0, count);
    const kept = this.#segments.slice(count);
    await this.#rewriteIndex(kept);
    this.#segments = kept;
    for (const segment of removed) this.#segmentNames.delete(segment.name);
    const stillNeeded = resourcesNamedBy(kept);
    const files = removed.map((segment) => segment.name);
    for (const [name, bytes] of this.#resources) {
      if (stillNeeded.has(name)) continue;
      this.#resources.delete(name);
      this.#totalBytes -= bytes;
      files.push(name);
    }
    this.#totalBytes -= removed.reduce((sum, segment) => sum + segment.bytes, 0);
    await Promise.all(files.map((name) => fs.rm(path.join(this.directory, name), { force: true })));
    return count;
  }

  async #rewriteIndex(segments: readonly RecordedSegment[]): Promise<void> {
    if (segments.length === 0 && !this.#folderReady) return;
    await this.#writeFile(INDEX_FILE, Buffer.from(segments.map((segment) => `${JSON.stringify(toIndexLine(segment))}\n`).join('')));
  }

  async #load(): Promise<void> {
    let files: string[];
    try {
      files = await fs.readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    this.#folderReady = true;
    const present = new Set(files);
    let text = '';
    try {
      text = await fs.readFile(path.join(this.directory, INDEX_FILE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const bySequence = new Map<number, RecordedSegment>();
    let dropped = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const segment = fromIndexLine(line);
      const needs = segment ? [segment.name, ...resourcesNamedBy([segment])] : [];
      if (!segment || !needs.every((name) => present.has(name))) {
        dropped += 1;
        continue;
      }
      bySequence.set(segment.sequence, segment);
    }
    this.#segments = [...bySequence.values()].sort((a, b) => a.sequence - b.sequence);
    for (const segment of this.#segments) this.#segmentNames.add(segment.name);
    const needed = resourcesNamedBy(this.#segments);
    for (const name of needed) this.#resources.set(name, (await fs.stat(path.join(this.directory, name))).size);
    this.#totalBytes = this.#segments.reduce((sum, segment) => sum + segment.bytes, 0) + [...this.#resources.values()].reduce((sum, bytes) => sum + bytes, 0);
    if (dropped > 0) await this.#rewriteIndex(this.#segments);
    const kept = new Set([INDEX_FILE, ...needed, ...this.#segments.map((segment) => segment.name)]);
    await Promise.all(files.filter((name) => !kept.has(name)).map((name) => fs.rm(path.join(this.directory, name), { force: true, recursive: true })));
  }
}

function endOf(segment: RecordedSegment): number {
  return segment.programDateTime.getTime() + segment.durationS * 1000;
}

function resourcesNamedBy(segments: readonly RecordedSegment[]): Set<string> {
  const names = new Set<string>();
  for (const segment of segments) {
    if (segment.mapName) names.add(segment.mapName);
    if (segment.key?.name) names.add(segment.key.name);
  }
  return names;
}

function toIndexLine(segment: RecordedSegment): IndexLine {
  const line: IndexLine = {
    seq: segment.sequence,
    name: segment.name,
    dur: segment.durationS,
    pdt: segment.programDateTime.getTime(),
    at: segment.recordedAt.getTime(),
    bytes: segment.bytes,
  };
  if (segment.discontinuity) line.disc = true;
  if (segment.mapName) line.map = segment.mapName;
  if (segment.key) line.key = segment.key;
  return line;
}

/** One index line back, or undefined when it is torn or not of our making. */
function fromIndexLine(text: string): RecordedSegment | undefined {
  let line: Partial<IndexLine>;
  try {
    line = JSON.parse(text) as Partial<IndexLine>;
  } catch {
    return undefined;
  }
  const name = typeof line.name === 'string' ? parseRelayName(line.name) : undefined;
  if (!name || name.kind !== 'segment' || name.sequence !== line.seq) return undefined;
  if (![line.dur, line.pdt, line.at, line.bytes].every((value) => typeof value === 'number' && Number.isFinite(value))) return undefined;
  if (line.map !== undefined && (typeof line.map !== 'string' || parseRelayName(line.map)?.kind !== 'init')) return undefined;
  const key = line.key;
  if (key !== undefined && (typeof key.method !== 'string' || (key.name !== undefined && parseRelayName(key.name)?.kind !== 'key'))) return undefined;
  const segment: RecordedSegment = {
    sequence: name.sequence,
    name: line.name!,
    durationS: line.dur!,
    programDateTime: new Date(line.pdt!),
    discontinuity: line.disc === true,
    recordedAt: new Date(line.at!),
    bytes: line.bytes!,
  };
  if (line.map) segment.mapName = line.map;
  if (key) segment.key = key;
  return segment;
}
