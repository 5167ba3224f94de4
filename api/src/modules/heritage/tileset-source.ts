import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { isSafePathSegment } from './heritage.schema.ts';

/**
 * Reads a tileset a contractor delivered, as a folder or a .zip, into memory (relative POSIX path →
 * bytes), refusing what could write or read outside the tileset: absolute paths, '..', links, and
 * archives larger than the limits. Everything is checked from the folder's listing or the zip's
 * central directory BEFORE a byte is read or inflated; inflating is then capped at each entry's
 * declared size and checked against its CRC-32 (a zip bomb or a lying header stops there).
 */

export interface TilesetSourceLimits {
  /** At most this many files. */
  maxFiles: number;
  /** Each file at most this many bytes. */
  maxFileBytes: number;
  /** All files together at most this many bytes (uncompressed). */
  maxTotalBytes: number;
}

export interface TilesetSource {
  files: Map<string, Uint8Array>;
  /** What was refused, each naming the entry and what to do; when any, `files` is empty. */
  problems: string[];
  /** Files left out on purpose (hidden files, macOS metadata). */
  skipped: string[];
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Hidden files and macOS's resource forks: not part of a tileset, left out without a word. */
function isClutter(segments: readonly string[]): boolean {
  return segments.some((segment) => (segment.startsWith('.') && segment !== '.' && segment !== '..') || segment === '__MACOSX' || segment === 'Thumbs.db');
}

/** A path that would lead outside the tileset's folder (checked before anything else, clutter included). */
function escapeProblem(name: string): string | undefined {
  if (name.includes('\\')) return `"${name}" uses a backslash; paths in a tileset use "/" (export the archive again)`;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return `"${name}" is an absolute path; every file must be inside the tileset's folder`;
  const segments = name.split('/');
  if (segments.some((segment) => segment === '..')) return `"${name}" leads outside the tileset's folder (..); refused, nothing was extracted`;
  if (segments.some((segment) => segment === '.' || segment === '')) return `"${name}" is not a plain path (an empty or "." part)`;
  return undefined;
}

/** A name that no file served here may have. */
function nameProblem(name: string): string | undefined {
  const bad = name.split('/').find((segment) => !isSafePathSegment(segment));
  return bad === undefined ? undefined : `"${name}": the name "${bad}" holds a character a file name here may not have (a control character or ":"); rename it`;
}

/** Why a path cannot be part of the tileset, or undefined; `clutter` when it is simply left out. */
function entryVerdict(name: string): string | 'clutter' | undefined {
  return escapeProblem(name) ?? (isClutter(name.split('/')) ? 'clutter' : nameProblem(name));
}

function limitProblems(count: number, total: number, largest: { name: string; size: number } | undefined, limits: TilesetSourceLimits): string[] {
  const problems: string[] = [];
  if (count === 0) problems.push('no file found: give the folder that holds tileset.json, or a .zip of it');
  if (count > limits.maxFiles) problems.push(`${count} files: more than the ${limits.maxFiles} allowed; is this one site's tileset?`);
  if (total > limits.maxTotalBytes) problems.push(`${megabytes(total)} in all: more than the ${megabytes(limits.maxTotalBytes)} allowed (--max-total-mb raises it)`);
  if (largest && largest.size > limits.maxFileBytes) problems.push(`${largest.name} is ${megabytes(largest.size)}: more than the ${megabytes(limits.maxFileBytes)} one file may have; split the tile`);
  return problems;
}

/** Reads a folder: links are refused (a tileset may not point outside itself), hidden files skipped. */
export async function readTilesetSourceFolder(dir: string, limits: TilesetSourceLimits): Promise<TilesetSource> {
  const found: { name: string; size: number }[] = [];
  const problems: string[] = [];
  const skipped: string[] = [];
  const walk = async (relative: string[]): Promise<void> => {
    const entries = await fs.readdir(path.join(dir, ...relative), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const segments = [...relative, entry.name];
      const name = segments.join('/');
      const verdict = entryVerdict(name);
      if (verdict === 'clutter') skipped.push(name);
      else if (verdict !== undefined) problems.push(verdict);
      if (verdict !== undefined) continue;
      const info = await fs.lstat(path.join(dir, ...segments));
      if (info.isSymbolicLink()) problems.push(`${name} is a symbolic link; copy the file itself into the tileset's folder`);
      else if (info.isDirectory()) {
        if (found.length <= limits.maxFiles) await walk(segments);
      } else if (info.isFile()) found.push({ name, size: info.size });
      else problems.push(`${name} is not a regular file`);
    }
  };
  await walk([]);
  const largest = found.reduce<{ name: string; size: number } | undefined>((max, file) => (!max || file.size > max.size ? file : max), undefined);
  problems.push(...limitProblems(found.length, found.reduce((sum, file) => sum + file.size, 0), largest, limits));
  if (problems.length > 0) return { files: new Map(), problems, skipped };
  const files = new Map<string, Uint8Array>();
  for (const file of found) files.set(file.name, new Uint8Array(await fs.readFile(path.join(dir, ...file.name.split('/')))));
  return { files, problems, skipped };
}

interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  directory: boolean;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const UNIX = 3;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** The zip's central directory: every entry, as the archive declares it (nothing inflated yet). */
function readCentralDirectory(bytes: Buffer): { entries: ZipEntry[]; problems: string[] } {
  const problems: string[] = [];
  // The end record is in the last 22 + 65,535 (comment) bytes.
  let end = -1;
  for (let offset = bytes.length - 22; offset >= Math.max(0, bytes.length - 22 - 0xffff); offset -= 1) {
    if (bytes.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) {
      end = offset;
      break;
    }
  }
  if (end < 0) return { entries: [], problems: ['not a readable .zip (no central directory); zip the tileset folder again'] };
  const count = bytes.readUInt16LE(end + 10);
  const size = bytes.readUInt32LE(end + 12);
  const start = bytes.readUInt32LE(end + 16);
  if (count === 0xffff || start === 0xffffffff || size === 0xffffffff) return { entries: [], problems: ['a ZIP64 archive; zip the tileset in plain ZIP (under 4 GB, under 65,535 files)'] };
  if (start + size > end) return { entries: [], problems: ['a damaged .zip (its directory points past its end); zip the tileset folder again'] };
  const entries: ZipEntry[] = [];
  let offset = start;
  for (let index = 0; index < count; index += 1) {
    if (offset + 46 > end || bytes.readUInt32LE(offset) !== CENTRAL_DIRECTORY_HEADER) return { entries: [], problems: ['a damaged .zip (bad directory entry); zip the tileset folder again'] };
    const madeBy = bytes.readUInt16LE(offset + 4) >> 8;
    const flags = bytes.readUInt16LE(offset + 8);
    const method = bytes.readUInt16LE(offset + 10);
    const crc = bytes.readUInt32LE(offset + 16);
    const compressedSize = bytes.readUInt32LE(offset + 20);
    const uncompressedSize = bytes.readUInt32LE(offset + 24);
    const nameLength = bytes.readUInt16LE(offset + 28);
    const extraLength = bytes.readUInt16LE(offset + 30);
    const commentLength = bytes.readUInt16LE(offset + 32);
    const externalAttributes = bytes.readUInt32LE(offset + 38);
    const localHeaderOffset = bytes.readUInt32LE(offset + 42);
    const rawName = bytes.subarray(offset + 46, offset + 46 + nameLength);
    // Bit 11: the name is UTF-8; older tools wrote CP437, read here as Latin-1 (names are checked below either way).
    const name = flags & 0x800 ? rawName.toString('utf8') : rawName.toString('latin1');
    offset += 46 + nameLength + extraLength + commentLength;
    const directory = name.endsWith('/');
    const label = name || `entry ${index + 1}`;
    if (madeBy === UNIX && ((externalAttributes >>> 16) & S_IFMT) === S_IFLNK) {
      problems.push(`${label} is a symbolic link; a tileset may not point outside itself (zip the files, not links)`);
      continue;
    }
    const trimmed = directory ? name.slice(0, -1) : name;
    const verdict = entryVerdict(trimmed);
    if (verdict !== undefined && verdict !== 'clutter') {
      problems.push(verdict);
      continue;
    }
    if (flags & 0x1) problems.push(`${label} is encrypted; zip the tileset without a password`);
    else if (!directory && method !== 0 && method !== 8) problems.push(`${label} is compressed with method ${method}; use plain Deflate (any zip tool's default)`);
    else if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) problems.push(`${label} needs ZIP64; zip the tileset in plain ZIP`);
    entries.push({ name: trimmed, method, crc, compressedSize, size: uncompressedSize, localHeaderOffset, directory });
  }
  return { entries, problems };
}

/** Reads a .zip: every entry is checked from the central directory first, then inflated with its declared size as the cap. */
export async function readTilesetSourceZip(file: string, limits: TilesetSourceLimits): Promise<TilesetSource> {
  const bytes = await fs.readFile(file);
  const { entries, problems } = readCentralDirectory(bytes);
  const skipped = entries.filter((entry) => !entry.directory && isClutter(entry.name.split('/'))).map((entry) => entry.name);
  const wanted = entries.filter((entry) => !entry.directory && !isClutter(entry.name.split('/')));
  if (problems.length > 0) return { files: new Map(), problems, skipped };
  // A zip of the folder itself holds one top folder: the tileset is inside it.
  const names = new Set(wanted.map((entry) => entry.name));
  const top = wanted[0]?.name.split('/')[0];
  const prefix = !names.has('tileset.json') && top !== undefined && names.has(`${top}/tileset.json`) && wanted.every((entry) => entry.name.startsWith(`${top}/`)) ? `${top}/` : '';
  const seen = new Set<string>();
  for (const entry of wanted) {
    const key = entry.name.toLowerCase();
    if (seen.has(key)) problems.push(`${entry.name} is in the archive twice (names differing only in case count as the same); keep one`);
    seen.add(key);
  }
  const largest = wanted.reduce<{ name: string; size: number } | undefined>((max, entry) => (!max || entry.size > max.size ? { name: entry.name, size: entry.size } : max), undefined);
  problems.push(...limitProblems(wanted.length, wanted.reduce((sum, entry) => sum + entry.size, 0), largest, limits));
  if (problems.length > 0) return { files: new Map(), problems, skipped };

  const files = new Map<string, Uint8Array>();
  for (const entry of wanted) {
    const local = entry.localHeaderOffset;
    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== LOCAL_FILE_HEADER) return { files: new Map(), problems: [`${entry.name}: damaged entry (no local header); zip the tileset folder again`], skipped };
    const dataStart = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(dataStart, dataStart + entry.compressedSize);
    if (data.length !== entry.compressedSize) return { files: new Map(), problems: [`${entry.name}: the archive ends inside this entry; it is truncated`], skipped };
    let content: Buffer;
    try {
      content = entry.method === 0 ? Buffer.from(data) : zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
    } catch {
      return { files: new Map(), problems: [`${entry.name}: does not inflate to the ${entry.size} bytes its header declares; the archive is damaged or forged`], skipped };
    }
    if (content.length !== entry.size || zlib.crc32(content) !== entry.crc) {
      return { files: new Map(), problems: [`${entry.name}: its content does not match its header (size or CRC-32); the archive is damaged`], skipped };
    }
    files.set(entry.name.slice(prefix.length), new Uint8Array(content.buffer, content.byteOffset, content.byteLength));
  }
  return { files, problems, skipped };
}
