import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openEmbeddedDatabase, type DatabaseHandle } from '../../db/database.ts';
import { createTestDatabase, databaseFingerprint, pointInUnit, runEntryPoint, startTestServer, type TestDatabase } from '../../testing/index.ts';
import { listMediaFiles } from './backup.service.ts';

const backupCli = 'api/src/cli/backup-cli.ts';
const restoreCli = 'api/src/cli/restore-cli.ts';
const target = inject('testDatabase');

/**
 * Where a command under test reads or writes: an embedded DATA_DIR (media in DATA_DIR/media), or a
 * server database with a media folder of its own.
 */
interface Place {
  environment: Record<string, string>;
  mediaDir: string;
  /** Uses the database from this process (an embedded one only while no command holds it). */
  use<T>(work: (database: DatabaseHandle) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function embeddedPlace(dataDir: string): Place {
  return {
    environment: { DATA_DIR: dataDir },
    mediaDir: path.join(dataDir, 'media'),
    async use(work) {
      const database = await openEmbeddedDatabase({ dataDir });
      try {
        return await work(database);
      } finally {
        await database.close();
      }
    },
    async close() {},
  };
}

function serverPlace(database: TestDatabase, mediaDir: string): Place {
  return {
    environment: { ...database.childEnvironment!, MEDIA_DIR: mediaDir },
    mediaDir,
    use: (work) => work(database),
    close: () => database.close(),
  };
}

/** Every media file's SHA-256, by path. */
async function mediaDigests(mediaDir: string): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const file of await listMediaFiles(mediaDir)) digests[file.relative] = createHash('sha256').update(fs.readFileSync(file.absolute)).digest('hex');
  return digests;
}

/** What a restore must reproduce, and a refused one leave alone. */
async function snapshotOf(database: DatabaseHandle, mediaDir: string) {
  return {
    fingerprint: await databaseFingerprint(database.db),
    reportIds: (await database.db.selectFrom('report').select('id').orderBy('id').execute()).map((row) => row.id),
    photos: await database.db.selectFrom('report_photo').select(['id', 'report_id', 'original_path', 'public_path']).orderBy('id').execute(),
    media: await mediaDigests(mediaDir),
  };
}

const snapshot = (place: Place) => place.use((database) => snapshotOf(database, place.mediaDir));

// Every step runs the real commands (node + tsx, a database opened, PGlite dumping or loading its data
// folder, pg_dump/pg_restore): tens of seconds each on a loaded machine.
describe(`npm run backup / npm run restore (${target.backend})`, { timeout: 600_000 }, () => {
  let scratch: string;
  let source: Place;
  let restored: Place;
  let archive: string;
  let upload: Buffer;
  let reportId: string;
  let sourceFingerprint: Record<string, string>;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bandoso-backup-'));
    archive = path.join(scratch, 'archives', 'bandoso.tar');
    if (target.backend === 'embedded') {
      // A data folder on disk holding the seeded test template, as `npm start` leaves one.
      const dataDir = path.join(scratch, 'source');
      const seeded = await openEmbeddedDatabase({ dataDir, loadDataDir: new Blob([fs.readFileSync(target.templatePath)]) });
      await seeded.close();
      source = embeddedPlace(dataDir);
      restored = embeddedPlace(path.join(scratch, 'restored'));
    } else {
      source = serverPlace(await createTestDatabase(), path.join(scratch, 'source-media'));
      restored = serverPlace(await createTestDatabase({ empty: true }), path.join(scratch, 'restored-media'));
    }
    // A citizen's report with a photo, sent through the real API: a row, an original (evidence) and a public copy.
    // Noise: bytes found nowhere else in the archive, so that the test below can damage exactly this photo.
    upload = await sharp(randomBytes(640 * 480 * 3), { raw: { width: 640, height: 480, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
    reportId = await source.use(async (database) => {
      const server = await startTestServer(database, { MEDIA_DIR: source.mediaDir });
      try {
        const pin = await pointInUnit(database.db, '03127');
        const body = new FormData();
        body.append('report', JSON.stringify({ category: 'roads_pavements', description: 'Ổ gà trước cổng trường (sao lưu)', location: { type: 'Point', coordinates: pin }, accuracyM: 8 }));
        body.append('photos', new Blob([new Uint8Array(upload)], { type: 'image/jpeg' }), 'o-ga.jpg');
        const response = await fetch(`${server.baseUrl}/api/reports`, { method: 'POST', body });
        expect(response.status, await response.clone().text()).toBe(201);
        return ((await response.json()) as { id: string }).id;
      } finally {
        await server.close();
      }
    });
  });
  afterAll(async () => {
    await source?.close();
    await restored?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('backs up the database and the photos, and restores them into an empty target: same rows, ids and photo bytes', async () => {
    const before = await snapshot(source);
    sourceFingerprint = before.fingerprint;
    expect(before.reportIds).toContain(reportId);
    expect(before.photos.filter((photo) => photo.report_id === reportId)).toHaveLength(1);

    let started = performance.now();
    const backup = await runEntryPoint(backupCli, [archive], source.environment, 300_000);
    const backupMs = performance.now() - started;
    expect(backup.stderr).not.toMatch(/Error:/);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/Backup written: .*bandoso\.tar/);
    expect(backup.stdout).toMatch(/checked: +read back whole/);

    const check = await runEntryPoint(restoreCli, [archive, '--check'], {}, 120_000);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(new RegExp(`database: ${target.backend}, PostgreSQL .*, migration 0\\d{3}-`));

    started = performance.now();
    const restore = await runEntryPoint(restoreCli, [archive], restored.environment, 300_000);
    const restoreMs = performance.now() - started;
    expect(restore.stderr).not.toMatch(/Error:/);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/every file matched its SHA-256 and every table its row count/);

    const after = await snapshot(restored);
    expect(after.fingerprint).toEqual(before.fingerprint);
    expect(after.reportIds).toEqual(before.reportIds);
    expect(after.photos).toEqual(before.photos);
    expect(after.media).toEqual(before.media);
    const photo = after.photos.find((row) => row.report_id === reportId)!;
    expect(fs.readFileSync(path.join(restored.mediaDir, photo.original_path)).equals(upload)).toBe(true);
    expect(fs.existsSync(path.join(restored.mediaDir, photo.public_path))).toBe(true);

    const rows = Object.values(before.fingerprint).reduce((sum, digest) => sum + Number(digest.split(':')[0]), 0);
    console.log(
      `[backup round trip, ${target.backend}] archive ${(fs.statSync(archive).size / 1024 / 1024).toFixed(1)} MB, backup ${(backupMs / 1000).toFixed(1)} s, ` +
        `restore ${(restoreMs / 1000).toFixed(1)} s (each a whole command: node start-up included), ${rows} rows in ${Object.keys(before.fingerprint).length} tables, ` +
        `${before.reportIds.length} reports, ${before.photos.length} photos, ${Object.keys(before.media).length} media files`,
    );
  });

  it('refuses a target that holds data unless --force, and refuses to overwrite an archive', async () => {
    const refused = await runEntryPoint(restoreCli, [archive], restored.environment, 120_000);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/The target is not empty: .*Nothing was changed\. .*add --force/);
    const overwrite = await runEntryPoint(backupCli, [archive], source.environment, 120_000);
    expect(overwrite.code).toBe(1);
    expect(overwrite.stderr).toMatch(/already exists\. .*--force/);
  });

  it('refuses a truncated archive and one with a flipped byte, leaving the target as it was; --force then replaces it', async () => {
    const good = fs.readFileSync(archive);
    const truncated = path.join(scratch, 'archives', 'truncated.tar');
    fs.writeFileSync(truncated, good.subarray(0, Math.floor(good.length * 0.6)));
    // One bit of the photo's original (the evidence) changed inside the archive.
    const flipped = path.join(scratch, 'archives', 'flipped.tar');
    const damaged = Buffer.from(good);
    const middle = Math.floor(upload.length / 2);
    const at = damaged.indexOf(upload.subarray(middle, middle + 64));
    expect(at).toBeGreaterThan(0);
    expect(damaged.indexOf(upload.subarray(middle, middle + 64), at + 1)).toBe(-1);
    damaged[at + 10]! ^= 0x01;
    fs.writeFileSync(flipped, damaged);

    // The target first gets a change of its own, so that "as it was" is not "as in the archive".
    fs.writeFileSync(path.join(restored.mediaDir, 'note.txt'), 'a file the target has and the archive has not');
    const before = await restored.use(async (database) => {
      await database.db.updateTable('report').set({ description: 'Sửa sau khi khôi phục' }).where('id', '=', reportId).execute();
      return snapshotOf(database, restored.mediaDir);
    });

    const cut = await runEntryPoint(restoreCli, [truncated, '--force'], restored.environment, 300_000);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/The archive is incomplete: .*Nothing was changed/);
    const bad = await runEntryPoint(restoreCli, [flipped, '--force'], restored.environment, 300_000);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/The archive is damaged: media\/private\/.* does not match its checksum/);
    expect(await snapshot(restored)).toEqual(before);
    expect(fs.readdirSync(path.dirname(restored.mediaDir)).filter((name) => /^\..*(restore|replaced)/.test(name))).toEqual([]);

    const forced = await runEntryPoint(restoreCli, [archive, '--force'], restored.environment, 300_000);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/replacing what the target held/);
    const replaced = await snapshot(restored);
    expect(replaced.fingerprint).toEqual(sourceFingerprint);
    expect(replaced.media['note.txt']).toBeUndefined();
  });
});
