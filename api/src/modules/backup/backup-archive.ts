import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { z } from 'zod';

/**
 * The backup archive: one plain tar file (`tar tvf` lists it) holding
 *
 *   database/pgdata.tar.gz       embedded: PGlite's data-folder dump (dumpDataDir), or
 *   database/bandoso.pgdump      server: pg_dump --format=custom
 *   media/public/ab/….jpg …      every file of the media folder (photos are evidence)
 *   manifest.json                what the archive is, and the size and SHA-256 of every member above
 *   manifest.json.sha256         the SHA-256 of manifest.json: always the last member
 *
 * The manifest comes last so that writing streams once (checksums are computed on the way) and so
 * that an archive cut short anywhere lacks it: a restore reads the whole archive and checks every
 * member against the manifest before it touches anything. Tar rather than zip: it streams, and every
 * operator's machine can list it. Not compressed as a whole: photos and both database dumps already
 * are (a `.tar.gz` made by gzipping the archive afterwards is read as well).
 */
export const ARCHIVE_FORMAT = 'bandoso-backup';
export const ARCHIVE_FORMAT_VERSION = 1;
export const MANIFEST_MEMBER = 'manifest.json';
export const MANIFEST_DIGEST_MEMBER = 'manifest.json.sha256';
export const MEDIA_PREFIX = 'media/';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const manifestSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.number().int().min(1),
  createdAt: z.string(),
  app: z.object({ name: z.string(), version: z.string() }),
  backend: z.enum(['embedded', 'server']),
  database: z.object({
    /** The member holding the database. */
    member: z.string(),
    kind: z.enum(['pglite-data-dir', 'pg-dump-custom']),
    postgresVersion: z.string(),
    /** The last migration applied (null: none). */
    migration: z.string().nullable(),
    migrations: z.number().int().min(0),
  }),
  /** Rows of every table, `schema.table`, counted in the same snapshot as the dump. */
  counts: z.record(z.string(), z.number().int().min(0)),
  media: z.object({ files: z.number().int().min(0), bytes: z.number().int().min(0) }),
  members: z.array(z.object({ name: z.string(), size: z.number().int().min(0), sha256: sha256Hex })),
});

export type BackupManifest = z.infer<typeof manifestSchema>;
export type ManifestMember = BackupManifest['members'][number];

/** An archive that cannot be trusted (not one of ours, incomplete, damaged): nothing was changed. */
export class BackupArchiveError extends Error {
  override name = 'BackupArchiveError';
}

/** A member name the platform writes: relative, forward slashes, no `.`/`..` segments, no control characters. */
export function isSafeMemberName(name: string): boolean {
  if (name.length === 0 || name.length > 4096 || name.startsWith('/') || name.includes('\\')) return false;
  if (/[\u0000-\u001f\u007f]/.test(name)) return false;
  return name.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** Writes an archive to `<file>.partial-<pid>` and renames it into place only once it is whole. */
export class ArchiveWriter {
  readonly #pack = tar.pack();
  readonly #written: Promise<void>;
  readonly #partial: string;
  readonly #file: string;
  readonly #members: ManifestMember[] = [];
  readonly #names = new Set<string>();

  private constructor(file: string) {
    this.#file = file;
    this.#partial = `${file}.partial-${process.pid}`;
    this.#written = pipeline(this.#pack as unknown as Readable, fs.createWriteStream(this.#partial, { flags: 'wx', mode: 0o600 }));
    // Reported by finish() or abort(); never an unhandled rejection meanwhile.
    this.#written.catch(() => {});
  }

  static create(file: string): ArchiveWriter {
    return new ArchiveWriter(path.resolve(file));
  }

  get members(): readonly ManifestMember[] {
    return this.#members;
  }

  /** Adds a file from disk, streaming it (and hashing it on the way). */
  async addFile(name: string, source: string): Promise<ManifestMember> {
    const handle = await fsp.open(source, 'r');
    try {
      const stat = await handle.stat();
      return await this.#add(name, stat.size, stat.mtime, handle.createReadStream({ autoClose: false }));
    } finally {
      await handle.close();
    }
  }

  async addBuffer(name: string, bytes: Uint8Array): Promise<ManifestMember> {
    return this.#add(name, bytes.byteLength, new Date(), Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]));
  }

  async #add(name: string, size: number, mtime: Date, source: Readable): Promise<ManifestMember> {
    if (!isSafeMemberName(name) || this.#names.has(name) || name === MANIFEST_MEMBER || name === MANIFEST_DIGEST_MEMBER) throw new Error(`bad or repeated member name ${JSON.stringify(name)}`);
    this.#names.add(name);
    const hash = createHash('sha256');
    let seen = 0;
    await new Promise<void>((resolve, reject) => {
      const entry = this.#pack.entry({ name, size, mtime, mode: 0o600, type: 'file' }, (error) => (error ? reject(error) : resolve()));
      pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            seen += chunk.length;
            yield chunk;
          }
        },
        entry as unknown as NodeJS.WritableStream,
      ).catch(reject);
    });
    if (seen !== size) throw new Error(`${name} changed while it was being archived (${size} bytes expected, ${seen} read)`);
    const member = { name, size, sha256: hash.digest('hex') };
    this.#members.push(member);
    return member;
  }

  /** Adds the manifest (its members are the ones added so far) and its digest, then puts the archive in place. */
  async finish(manifest: Omit<BackupManifest, 'members'>): Promise<{ file: string; bytes: number; manifest: BackupManifest }> {
    const complete: BackupManifest = { ...manifest, members: [...this.#members] };
    const text = Buffer.from(`${JSON.stringify(complete, null, 2)}\n`);
    this.#pack.entry({ name: MANIFEST_MEMBER, size: text.length, mode: 0o600, mtime: new Date() }, text);
    const digest = Buffer.from(`${createHash('sha256').update(text).digest('hex')}  ${MANIFEST_MEMBER}\n`);
    this.#pack.entry({ name: MANIFEST_DIGEST_MEMBER, size: digest.length, mode: 0o600, mtime: new Date() }, digest);
    this.#pack.finalize();
    await this.#written;
    const handle = await fsp.open(this.#partial, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(this.#partial, this.#file);
    const { size } = await fsp.stat(this.#file);
    return { file: this.#file, bytes: size, manifest: complete };
  }

  /** Drops a partial archive (after a failure). */
  async abort(): Promise<void> {
    this.#pack.destroy();
    await this.#written.catch(() => {});
    await fsp.rm(this.#partial, { force: true });
  }
}

export interface ReadArchiveOptions {
  /**
   * Where to write a member as it is read (its parent folders are created), or undefined to only
   * check it. Called once per member, before any byte of it is written.
   */
  destination?: (name: string) => string | undefined;
  /** Told after each member. */
  onMember?: (name: string, bytes: number) => void;
}

/**
 * Reads a whole archive, checking it against its manifest: every member listed, none more, each
 * with its size and SHA-256, and the manifest's own digest. Throws a BackupArchiveError that says
 * what is wrong; files already written to `destination` are then the caller's to remove.
 */
export async function readArchive(file: string, options: ReadArchiveOptions = {}): Promise<{ manifest: BackupManifest; archiveBytes: number }> {
  let stat: fs.Stats;
  try {
    stat = await fsp.stat(file);
  } catch (error) {
    throw new BackupArchiveError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`);
  }
  if (!stat.isFile()) throw new BackupArchiveError(`${file} is not a file.`);
  const gzipped = await startsWithGzipMagic(file);

  const seen = new Map<string, { size: number; sha256: string }>();
  let manifestText: Buffer | undefined;
  let manifestDigest: string | undefined;
  let current: string | undefined;

  const extract = tar.extract();
  const feeding = gzipped ? pipeline(fs.createReadStream(file), createGunzip(), extract) : pipeline(fs.createReadStream(file), extract);
  feeding.catch(() => {});
  try {
    for await (const source of extract) {
      const { name, type } = source.header;
      // tar-stream's streams are streamx streams, which Node's stream functions accept.
      const entry = source as unknown as Readable;
      current = name;
      if (manifestDigest !== undefined) throw new BackupArchiveError(`The archive has a member after its manifest (${JSON.stringify(name)}): it is not an archive this platform wrote.`);
      if (type !== 'file' && type !== 'contiguous-file') throw new BackupArchiveError(`The archive holds ${JSON.stringify(name)} of type ${type ?? 'unknown'}: a backup of this platform holds plain files only.`);
      if (!isSafeMemberName(name)) throw new BackupArchiveError(`The archive holds a member with an unsafe name (${JSON.stringify(name)}): refused.`);
      if (seen.has(name) || (name === MANIFEST_MEMBER && manifestText)) throw new BackupArchiveError(`The archive holds ${JSON.stringify(name)} twice: refused.`);
      if (name === MANIFEST_MEMBER || name === MANIFEST_DIGEST_MEMBER) {
        const text = await readSmall(entry, 64 * 1024 * 1024, name);
        if (name === MANIFEST_MEMBER) manifestText = text;
        else manifestDigest = text.toString('utf8').split(/\s/)[0] ?? '';
        continue;
      }
      const hash = createHash('sha256');
      let size = 0;
      const target = options.destination?.(name);
      const hashing = async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      };
      if (target) {
        await fsp.mkdir(path.dirname(target), { recursive: true });
        await pipeline(entry, hashing, fs.createWriteStream(target, { flags: 'wx', mode: 0o640 }));
      } else {
        for await (const chunk of hashing(entry)) void chunk;
      }
      seen.set(name, { size, sha256: hash.digest('hex') });
      options.onMember?.(name, size);
    }
    await feeding;
  } catch (error) {
    if (error instanceof BackupArchiveError) throw error;
    const message = (error as Error).message;
    if (/unexpected end|premature close|unexpected end of file/i.test(message)) {
      throw new BackupArchiveError(`The archive is incomplete: it ends in the middle of ${current ? JSON.stringify(current) : 'its first member'} (cut short while it was written or copied?). Nothing was changed.`);
    }
    throw new BackupArchiveError(`The archive is damaged or is not a backup of this platform (${message}). Nothing was changed.`);
  }

  if (!manifestText || manifestDigest === undefined) {
    throw new BackupArchiveError(
      !manifestText && ![...seen.keys()].some((name) => name.startsWith('database/') || name.startsWith(MEDIA_PREFIX))
        ? `${file} is not a backup of this platform: it holds no manifest.json.`
        : `The archive is incomplete: it ends before its manifest${current ? ` (the last member read is ${JSON.stringify(current)})` : ''} — cut short while it was written or copied? Nothing was changed.`,
    );
  }
  if (createHash('sha256').update(manifestText).digest('hex') !== manifestDigest) throw new BackupArchiveError('The archive is damaged: its manifest does not match the manifest\'s checksum. Nothing was changed.');
  let manifest: BackupManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(manifestText.toString('utf8')));
  } catch (error) {
    throw new BackupArchiveError(`The archive's manifest is not one this platform reads (${(error as Error).message.slice(0, 300)}).`);
  }
  if (manifest.formatVersion > ARCHIVE_FORMAT_VERSION) {
    throw new BackupArchiveError(`The archive is of backup format ${manifest.formatVersion}, written by a newer version of the platform (${manifest.app.version}); this one reads format ${ARCHIVE_FORMAT_VERSION}. Restore it with that version.`);
  }
  const listed = new Set<string>();
  for (const member of manifest.members) {
    listed.add(member.name);
    const found = seen.get(member.name);
    if (!found) throw new BackupArchiveError(`The archive is incomplete: it lacks ${member.name}, which its manifest lists. Nothing was changed.`);
    if (found.size !== member.size || found.sha256 !== member.sha256) {
      throw new BackupArchiveError(`The archive is damaged: ${member.name} does not match its checksum (SHA-256 ${found.sha256.slice(0, 12)}…, ${found.size} bytes; the manifest says ${member.sha256.slice(0, 12)}…, ${member.size} bytes). Nothing was changed.`);
    }
  }
  for (const name of seen.keys()) if (!listed.has(name)) throw new BackupArchiveError(`The archive holds ${name}, which its manifest does not list: refused.`);
  if (!listed.has(manifest.database.member)) throw new BackupArchiveError('The archive\'s manifest names a database member that it does not list: refused.');
  return { manifest, archiveBytes: stat.size };
}

async function readSmall(entry: Readable, limit: number, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of entry as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) throw new BackupArchiveError(`The archive's ${name} is larger than ${limit} bytes: refused.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function startsWithGzipMagic(file: string): Promise<boolean> {
  const handle = await fsp.open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
