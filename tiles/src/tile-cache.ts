import { boundsIntersect, type LonLatBounds } from './tile-coordinates.ts';

export interface CachedTile {
  /** Layer, z/x/y and the normalised parameters (see `TileServer`). */
  key: string;
  layer: string;
  /** The area whose changes may alter this tile: the tile and its buffer, in degrees. */
  bounds: LonLatBounds;
  /** MVT bytes (empty: no feature). */
  body: Uint8Array;
  /** Strong validator of `body` (quoted). */
  etag: string;
  /** The gzip-encoded body, made on first demand. */
  gzipped?: Promise<Uint8Array>;
}

/**
 * An in-memory LRU of tiles bounded by bytes (a Map keeps insertion order: a hit moves the entry to
 * the end, eviction takes from the front). An index per layer makes invalidating one layer, or the
 * tiles of one layer that touch a changed area, proportional to that layer's entries.
 */
export class TileCache {
  readonly #entries = new Map<string, CachedTile>();
  readonly #byLayer = new Map<string, Set<string>>();
  #bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes: number) {}

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Whether `key` is cached (without touching its recency). */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  get(key: string): CachedTile | undefined {
    const entry = this.#entries.get(key);
    if (!entry) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  set(entry: CachedTile): void {
    const cost = costOf(entry);
    if (cost > this.maxBytes) return;
    this.delete(entry.key);
    this.#entries.set(entry.key, entry);
    let keys = this.#byLayer.get(entry.layer);
    if (!keys) this.#byLayer.set(entry.layer, (keys = new Set()));
    keys.add(entry.key);
    this.#bytes += cost;
    for (const [key] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.delete(key);
    }
  }

  /** Counts the gzip copy once it exists (it was made after `set`). */
  addBytes(bytes: number): void {
    this.#bytes += bytes;
  }

  delete(key: string): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#entries.delete(key);
    this.#byLayer.get(entry.layer)?.delete(key);
    this.#bytes -= costOf(entry) + (entry.gzipped ? gzipCost.get(entry) ?? 0 : 0);
    return true;
  }

  /** Drops the layer's tiles that touch `bbox` (every tile of the layer when bbox is null). */
  invalidate(layer: string, bbox: LonLatBounds | null): number {
    const keys = this.#byLayer.get(layer);
    if (!keys) return 0;
    let dropped = 0;
    for (const key of [...keys]) {
      const entry = this.#entries.get(key);
      if (!entry || bbox === null || boundsIntersect(entry.bounds, bbox)) {
        if (this.delete(key)) dropped += 1;
        else keys.delete(key);
      }
    }
    return dropped;
  }

  clear(): void {
    this.#entries.clear();
    this.#byLayer.clear();
    this.#bytes = 0;
  }

  /** Records the size of an entry's gzip copy, so the byte budget covers it. */
  recordGzip(entry: CachedTile, bytes: number): void {
    if (this.#entries.get(entry.key) !== entry) return;
    gzipCost.set(entry, bytes);
    this.addBytes(bytes);
    for (const [key] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.delete(key);
    }
  }
}

const gzipCost = new WeakMap<CachedTile, number>();

/** Bytes held by an entry: its body plus a rough overhead for the key and bookkeeping. */
function costOf(entry: CachedTile): number {
  return entry.body.byteLength + entry.key.length * 2 + 200;
}
