import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { isSafePathSegment } from './heritage.schema.ts';

const gzip = promisify(zlib.gzip);

/** The types a 3D Tiles viewer reads; any other file in a tileset folder is not served. */
const contentTypes: Readonly<Record<string, string>> = {
  json: 'application/json',
  glb: 'model/gltf-binary',
  gltf: 'model/gltf+json',
  bin: 'application/octet-stream',
  b3dm: 'application/octet-stream',
  i3dm: 'application/octet-stream',
  pnts: 'application/octet-stream',
  cmpt: 'application/octet-stream',
  subtree: 'application/octet-stream',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  ktx2: 'image/ktx2',
};

/** JSON is worth compressing; glTF binaries and images mostly are not (quantised, or compressed already). */
const compressibleTypes = new Set(['application/json', 'model/gltf+json']);

export function tilesetContentType(file: string): string | undefined {
  const extension = /\.([A-Za-z0-9]+)$/.exec(file)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : contentTypes[extension];
}

/** One file of a tileset, ready to answer: its type, strong ETags, and its bytes (plain or gzip). */
export interface TilesetFile {
  contentType: string;
  /** Strong ETag of the bytes (quoted): their SHA-256. */
  etag: string;
  /** When the file is worth compressing: the gzip representation's ETag (another representation, another tag). */
  gzipEtag: string | undefined;
  read(): Promise<Buffer>;
  gzipped(): Promise<Buffer>;
}

interface KnownFile {
  size: number;
  mtimeMs: number;
  etag: string;
}

/** Entries kept before the memo starts again (a tileset has tens to thousands of files). */
const MAX_KNOWN_FILES = 20_000;
/** Bytes of gzipped JSON kept in memory (tileset.json files are a few KB to a few hundred). */
const MAX_GZIPPED_BYTES = 16 * 1024 * 1024;
/** Files larger than this are not gzipped (they would be read whole into memory for it). */
const MAX_GZIP_INPUT_BYTES = 8 * 1024 * 1024;

/**
 * Reads files out of tileset folders, safely: the path is made of plain names only, the file must be a
 * regular file (not a link) whose real path is inside the folder, and of a type a viewer reads.
 * Versions are immutable (the version is a hash of the content), so a file's ETag is computed once
 * and kept while its size and time stay the same, and gzipped JSON is kept by its ETag.
 */
export class TilesetFileReader {
  readonly #known = new Map<string, KnownFile>();
  readonly #gzipped = new Map<string, Buffer>();
  #gzippedBytes = 0;
  readonly #realRoots = new Map<string, string>();

  /** The file at `segments` inside `root`, or undefined when there is no such file to serve. */
  async file(root: string, segments: readonly string[]): Promise<TilesetFile | undefined> {
    if (segments.length === 0 || segments.length > 32 || !segments.every(isSafePathSegment)) return undefined;
    const relative = segments.join('/');
    const contentType = tilesetContentType(relative);
    if (!contentType) return undefined;
    const absolute = path.join(root, ...segments);
    let stat;
    try {
      stat = await fs.lstat(absolute);
      if (!stat.isFile()) return undefined;
      const [realRoot, realFile] = await Promise.all([this.#realRoot(root), fs.realpath(absolute)]);
      if (!realFile.startsWith(realRoot + path.sep)) return undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    let bytes: Buffer | undefined;
    let known = this.#known.get(absolute);
    if (!known || known.size !== stat.size || known.mtimeMs !== stat.mtimeMs) {
      bytes = await fs.readFile(absolute);
      known = { size: stat.size, mtimeMs: stat.mtimeMs, etag: `"${createHash('sha256').update(bytes).digest('base64url')}"` };
      if (this.#known.size >= MAX_KNOWN_FILES) this.#known.clear();
      this.#known.set(absolute, known);
    }
    const etag = known.etag;
    const read = async () => (bytes ??= await fs.readFile(absolute));
    const compressible = compressibleTypes.has(contentType) && stat.size <= MAX_GZIP_INPUT_BYTES;
    const gzipEtag = compressible ? `${etag.slice(0, -1)}-gzip"` : undefined;
    return {
      contentType,
      etag,
      gzipEtag,
      read,
      gzipped: async () => {
        if (!gzipEtag) return read();
        const kept = this.#gzipped.get(gzipEtag);
        if (kept) return kept;
        const compressed = await gzip(await read(), { level: 6 });
        if (this.#gzippedBytes + compressed.byteLength > MAX_GZIPPED_BYTES) {
          this.#gzipped.clear();
          this.#gzippedBytes = 0;
        }
        this.#gzipped.set(gzipEtag, compressed);
        this.#gzippedBytes += compressed.byteLength;
        return compressed;
      },
    };
  }

  async #realRoot(root: string): Promise<string> {
    let real = this.#realRoots.get(root);
    if (real === undefined) {
      real = await fs.realpath(root);
      this.#realRoots.set(root, real);
    }
    return real;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'ENAMETOOLONG';
}
