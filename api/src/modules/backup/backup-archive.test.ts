import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_FORMAT, ARCHIVE_FORMAT_VERSION, ArchiveWriter, BackupArchiveError, readArchive, type BackupManifest } from './backup-archive.ts';

const manifestBase: Omit<BackupManifest, 'members'> = {
  format: ARCHIVE_FORMAT,
  formatVersion: ARCHIVE_FORMAT_VERSION,
  createdAt: '2026-12-05T00:00:00.000Z',
  app: { name: 'ban-do-so', version: '0.1.0' },
  backend: 'embedded',
  database: { member: 'database/pgdata.tar.gz', kind: 'pglite-data-dir', postgresVersion: '17', migration: '0014-report-text-search', migrations: 14 },
  counts: { 'public.report': 1 },
  media: { files: 1, bytes: 3000 },
};

/** A tar written by hand (not by ArchiveWriter): what a damaged or foreign archive may hold. */
async function handMadeTar(file: string, entries: Array<{ name: string; body: Buffer; type?: 'file' | 'directory' | 'symlink' }>): Promise<void> {
  const pack = tar.pack();
  const written = pipeline(pack as unknown as Readable, fs.createWriteStream(file));
  for (const entry of entries) {
    if (entry.type === 'symlink') pack.entry({ name: entry.name, type: 'symlink', linkname: '/etc/passwd' });
    else pack.entry({ name: entry.name, type: entry.type ?? 'file' }, entry.body);
  }
  pack.finalize();
  await written;
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('the backup archive', () => {
  let scratch: string;
  let good: string;
  let database: Buffer;
  let photo: Buffer;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bandoso-archive-'));
    database = randomBytes(200_000);
    photo = randomBytes(3000);
    fs.writeFileSync(path.join(scratch, 'photo.jpg'), photo);
    good = path.join(scratch, 'good.tar');
    const writer = ArchiveWriter.create(good);
    await writer.addBuffer('database/pgdata.tar.gz', database);
    await writer.addFile('media/private/ab/ab000000-0000-4000-8000-000000000000.jpg', path.join(scratch, 'photo.jpg'));
    await writer.finish(manifestBase);
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('reads back what it wrote, member by member, into the destinations asked for', async () => {
    const out = path.join(scratch, 'out');
    const { manifest } = await readArchive(good, { destination: (name) => path.join(out, name) });
    expect(manifest.members.map((member) => [member.name, member.size, member.sha256])).toEqual([
      ['database/pgdata.tar.gz', database.length, sha(database)],
      ['media/private/ab/ab000000-0000-4000-8000-000000000000.jpg', photo.length, sha(photo)],
    ]);
    expect(fs.readFileSync(path.join(out, 'media/private/ab/ab000000-0000-4000-8000-000000000000.jpg')).equals(photo)).toBe(true);
    expect(fs.readFileSync(path.join(out, 'database/pgdata.tar.gz')).equals(database)).toBe(true);
    expect(fs.readdirSync(scratch).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('reads an archive that was gzipped afterwards', async () => {
    const gzipped = path.join(scratch, 'good.tar.gz');
    fs.writeFileSync(gzipped, gzipSync(fs.readFileSync(good)));
    expect((await readArchive(gzipped)).manifest.counts).toEqual({ 'public.report': 1 });
  });

  it('refuses an archive cut short anywhere: in a member, between members, or before the manifest digest', async () => {
    const bytes = fs.readFileSync(good);
    const cuts = [1000, 100_000, 512 * Math.ceil((512 + database.length) / 512), bytes.length - 2048];
    for (const length of cuts) {
      const cut = path.join(scratch, `cut-${length}.tar`);
      fs.writeFileSync(cut, bytes.subarray(0, length));
      await expect(readArchive(cut), `cut at ${length}`).rejects.toThrow(/The archive is incomplete/);
    }
  });

  it('refuses a flipped byte in a member, with the member named', async () => {
    const bytes = Buffer.from(fs.readFileSync(good));
    const at = bytes.indexOf(photo.subarray(1000, 1100));
    bytes[at + 50]! ^= 0x80;
    const flipped = path.join(scratch, 'flipped.tar');
    fs.writeFileSync(flipped, bytes);
    await expect(readArchive(flipped)).rejects.toThrow(/The archive is damaged: media\/private\/ab\/ab000000-.*\.jpg does not match its checksum/);
  });

  it('refuses a manifest changed after it was written', async () => {
    const bytes = Buffer.from(fs.readFileSync(good));
    const at = bytes.indexOf(Buffer.from('"public.report": 1'));
    bytes.write('"public.report": 7', at);
    const edited = path.join(scratch, 'edited.tar');
    fs.writeFileSync(edited, bytes);
    await expect(readArchive(edited)).rejects.toThrow(/its manifest does not match the manifest's checksum/);
  });

  it('refuses members that are not files, escape the folder, or that the manifest does not list; and other tars', async () => {
    const cases: Array<[string, Array<{ name: string; body: Buffer; type?: 'file' | 'directory' | 'symlink' }>, RegExp]> = [
      ['escape', [{ name: 'media/../../etc/cron.d/x', body: Buffer.from('x') }], /unsafe name/],
      ['symlink', [{ name: 'media/link', body: Buffer.alloc(0), type: 'symlink' }], /of type symlink: a backup of this platform holds plain files only/],
      ['foreign', [{ name: 'README', body: Buffer.from('hello') }], /is not a backup of this platform: it holds no manifest\.json/],
    ];
    for (const [label, entries, message] of cases) {
      const file = path.join(scratch, `${label}.tar`);
      await handMadeTar(file, entries);
      await expect(readArchive(file), label).rejects.toThrow(message);
    }
    // A member slipped in beside the listed ones.
    const manifest = Buffer.from(JSON.stringify({ ...manifestBase, members: [] }));
    const digest = Buffer.from(`${sha(manifest)}  manifest.json\n`);
    const extra = path.join(scratch, 'extra.tar');
    await handMadeTar(extra, [
      { name: 'media/extra.jpg', body: Buffer.from('not listed') },
      { name: 'manifest.json', body: manifest },
      { name: 'manifest.json.sha256', body: digest },
    ]);
    await expect(readArchive(extra)).rejects.toThrow(/holds media\/extra\.jpg, which its manifest does not list/);
    const notTar = path.join(scratch, 'not.tar');
    fs.writeFileSync(notTar, randomBytes(4096));
    await expect(readArchive(notTar)).rejects.toThrow(BackupArchiveError);
    await expect(readArchive(path.join(scratch, 'missing.tar'))).rejects.toThrow(/no such file/);
  });
});
