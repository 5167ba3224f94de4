import fs from 'node:fs';
import path from 'node:path';
import { heritageSiteSchema, type HeritageSite } from '@bandoso/contracts';
import { createZip } from '@bandoso/gis-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../../prepare-database.ts';
import { createCliTestDatabase, databaseFingerprint, rawRequest, runEntryPoint, startTestServer, type CliTestDatabase } from '../../testing/index.ts';
import { importReferenceFile } from '../imports/imports.service.ts';
import { sampleDataDirectory } from '../imports/sample-data.ts';
import { generatedTilesets } from './generated-tilesets.ts';
import { enuFrameToEcef } from '@bandoso/gis-data/heritage';
import { adoptGeneratedTilesets } from './heritage.service.ts';

/**
 * `npm run import -- heritage-tileset`, as users run it (a child process on the database), then the
 * server on that database: a good tileset is stored and served; bad ones are refused with a message
 * that says what is wrong, and the site keeps serving the tileset it had.
 */
const cli = 'api/src/cli/import-cli.ts';
let target: CliTestDatabase;
let environment: Record<string, string>;
let mediaDir: string;
/** A copy of the generated tileset of Đồi A1: a real, valid tileset standing at the site. */
let goodFolder: string;

beforeAll(async () => {
  target = await createCliTestDatabase('heritage-tileset');
  mediaDir = path.join(target.scratch, 'media');
  environment = { ...target.environment, MEDIA_DIR: mediaDir };
  const built = await generatedTilesets();
  goodFolder = path.join(target.scratch, 'doi-a1-survey');
  fs.cpSync(built.sites['DT-A1']!.folder, goodFolder, { recursive: true });
  // The database (fresh when embedded, a copy of the seeded one on a server) has the sample sites and their generated tilesets.
  await target.use(async (database) => {
    await prepareDatabase(database, { seed: false });
    const report = await importReferenceFile(database.db, { layer: 'heritage-sites', source: { path: `${sampleDataDirectory}heritage-sites.geojson` } });
    expect(report.status).toBe('imported');
    await adoptGeneratedTilesets(database.db);
  });
}, 180_000);
afterAll(() => target?.close());

/** A variant of the good tileset, changed by `change`. */
function variant(name: string, change: (folder: string) => void): string {
  const folder = path.join(target.scratch, name);
  fs.cpSync(goodFolder, folder, { recursive: true });
  change(folder);
  return folder;
}

function editTileset(folder: string, edit: (tileset: any) => void): void {
  const file = path.join(folder, 'tileset.json');
  const tileset = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(tileset);
  fs.writeFileSync(file, JSON.stringify(tileset));
}

/** Runs the server on the database for a moment: the site, and whether its tileset's files are served. */
async function servedSite(code: string): Promise<{ site: HeritageSite; tilesetStatus: number; contentStatus: number }> {
  return target.use(async (database) => {
    const server = await startTestServer(database, { MEDIA_DIR: mediaDir });
    try {
      const site = heritageSiteSchema.parse(await (await fetch(`${server.baseUrl}/api/heritage/${code}`)).json());
      const tileset = await rawRequest(server.baseUrl, new URL(site.tileset!.url).pathname);
      const root = JSON.parse(tileset.body.toString('utf8')).root.content.uri as string;
      const content = await rawRequest(server.baseUrl, new URL(root, site.tileset!.url).pathname);
      return { site, tilesetStatus: tileset.status, contentStatus: content.status };
    } finally {
      await server.close();
    }
  });
}

// Each run of the command starts Node and tsx; those that pass the checks open the database too.
describe('npm run import -- heritage-tileset', { timeout: 240_000 }, () => {
  it('explains itself, and refuses a malformed site code or a missing argument with exit status 2', async () => {
    const help = await runEntryPoint(cli, ['--help'], environment);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/heritage-tileset <siteCode> <folder or \.zip>/);
    const malformed = await runEntryPoint(cli, ['heritage-tileset', '../DT-A1', goodFolder], environment);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/is not a heritage site code/);
    expect((await runEntryPoint(cli, ['heritage-tileset', 'DT-A1'], environment)).code).toBe(2);
  });

  it('refuses an unknown site with exit status 1', async () => {
    const result = await runEntryPoint(cli, ['heritage-tileset', 'DT-NO-SUCH-SITE', goodFolder], environment);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No heritage site has the code DT-NO-SUCH-SITE/);
  });

  it('imports a good tileset: stored in the media folder, served for the site as imported', async () => {
    const before = await servedSite('DT-A1');
    expect(before.site.tileset?.source).toBe('generated');
    const result = await runEntryPoint(cli, ['heritage-tileset', 'DT-A1', goodFolder], environment);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Checking \d+ files/);
    expect(result.stdout).toMatch(/DT-A1 now shows the imported tileset, version [0-9a-f]{16}/);
    expect(result.stdout).toMatch(/before, it had its generated tileset/);
    const after = await servedSite('DT-A1');
    expect(after.site.tileset).toMatchObject({ source: 'imported', illustrative: false });
    expect(after.tilesetStatus).toBe(200);
    expect(after.contentStatus).toBe(200);
    expect(fs.existsSync(path.join(mediaDir, 'heritage', 'DT-A1', after.site.tileset!.version, 'tileset.json'))).toBe(true);

    const again = await runEntryPoint(cli, ['heritage-tileset', 'DT-A1', goodFolder], environment);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/DT-A1 already shows this tileset/);
  });

  it('refuses bad tilesets, saying what is wrong, and the site keeps serving the tileset it had', async () => {
    const served = await servedSite('DT-A1');
    const before = await target.use((database) => databaseFingerprint(database.db));
    const mediaBefore = fs.readdirSync(path.join(mediaDir, 'heritage', 'DT-A1'));

    const corruptGlb = variant('corrupt-glb', (folder) => {
      const file = path.join(folder, 'tiles', 'root.glb');
      const bytes = fs.readFileSync(file);
      fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    });
    const missingContent = variant('missing-content', (folder) => fs.rmSync(path.join(folder, 'tiles', 'ne.glb')));
    const growingError = variant('growing-error', (folder) =>
      editTileset(folder, (tileset) => {
        tileset.root.children[0].geometricError = tileset.root.geometricError + 10;
      }),
    );
    const elsewhere = variant('elsewhere', (folder) =>
      editTileset(folder, (tileset) => {
        // 0.05° (5.5 km) further south: the survey of another site.
        tileset.root.transform = enuFrameToEcef(103.0245, 21.3828 - 0.05, 480);
      }),
    );
    const withLink = variant('with-link', (folder) => fs.symlinkSync('/etc/passwd', path.join(folder, 'tiles', 'passwd.glb')));
    const files = Object.fromEntries(readFolder(goodFolder));
    const escapingZip = path.join(target.scratch, 'escaping.zip');
    fs.writeFileSync(escapingZip, createZip({ ...files, '../../escaped.json': '{"escaped": true}' }));

    const cases: Array<[string, string, RegExp]> = [
      ['a corrupt GLB', corruptGlb, /tiles\/root\.glb/],
      ['a missing content file', missingContent, /tiles\/ne\.glb/],
      ['a geometric error growing with depth', growingError, /geometricError/],
      ['a tileset standing at another site', elsewhere, /stands \d+ k?m from the site's point \(103\.0245, 21\.3828\); at most 2000 m/],
      ['a symbolic link', withLink, /tiles\/passwd\.glb is a symbolic link/],
      ['a zip with ../', escapingZip, /"\.\.\/\.\.\/escaped\.json" leads outside the tileset's folder/],
    ];
    for (const [what, source, message] of cases) {
      const result = await runEntryPoint(cli, ['heritage-tileset', 'DT-A1', source], environment);
      expect(result.code, `${what}\n${result.stdout}\n${result.stderr}`).toBe(1);
      expect(result.stdout, what).toMatch(/Refused: \d+ problem\(s\)\. Nothing was changed: DT-A1 keeps (its imported tileset|the tileset it had)/);
      expect(result.stdout, what).toMatch(message);
    }
    expect(fs.existsSync(path.join(target.scratch, 'escaped.json'))).toBe(false);
    expect(fs.existsSync(path.join(mediaDir, 'escaped.json'))).toBe(false);
    expect(fs.existsSync(path.join(mediaDir, 'heritage', 'escaped.json'))).toBe(false);
    expect(fs.readdirSync(path.join(mediaDir, 'heritage', 'DT-A1'))).toEqual(mediaBefore);
    expect(await target.use((database) => databaseFingerprint(database.db))).toEqual(before);
    const after = await servedSite('DT-A1');
    expect(after.site.tileset).toEqual({ ...served.site.tileset!, url: expect.stringMatching(new RegExp(`/heritage/tilesets/DT-A1/${served.site.tileset!.version}/tileset\\.json$`)) });
    expect(after.tilesetStatus).toBe(200);
    expect(after.contentStatus).toBe(200);
  }, 480_000);

  it('shows the generated tileset again with --generated, and says which sites the generator models', async () => {
    const back = await runEntryPoint(cli, ['heritage-tileset', 'DT-A1', '--generated'], environment);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toMatch(/DT-A1 now shows its generated tileset \(an illustrative reconstruction\), version [0-9a-f]{16}/);
    const served = await servedSite('DT-A1');
    expect(served.site.tileset).toMatchObject({ source: 'generated', illustrative: true });
    expect(served.tilesetStatus).toBe(200);
    const unmodelled = await runEntryPoint(cli, ['heritage-tileset', 'DT-HIM-LAM', '--generated'], environment);
    expect(unmodelled.code).toBe(1);
    expect(unmodelled.stderr).toMatch(/The generator does not model DT-HIM-LAM; it models DT-A1/);
  });

  it('takes a zip of the tileset folder, and checks it without writing in a dry run', async () => {
    const zip = path.join(target.scratch, 'tuong-dai.zip');
    const built = await generatedTilesets();
    const files = readFolder(built.sites['DT-TUONG-DAI']!.folder);
    fs.writeFileSync(zip, createZip(Object.fromEntries([...files].map(([name, bytes]) => [`tuong-dai-survey/${name}`, bytes]))));
    const dryRun = await runEntryPoint(cli, ['heritage-tileset', 'DT-TUONG-DAI', zip, '--dry-run', '--json'], environment);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    const report = JSON.parse(dryRun.stdout);
    expect(report).toMatchObject({ status: 'validated', site: 'DT-TUONG-DAI', errors: [], previous: { source: 'generated' } });
    expect(report.files).toBe(files.size);
    expect(fs.existsSync(path.join(mediaDir, 'heritage', 'DT-TUONG-DAI'))).toBe(false);
  });
});

/** The files of a folder (relative POSIX paths), hidden ones left out. */
function readFolder(folder: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(folder, relative), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(name);
      else files.set(name, new Uint8Array(fs.readFileSync(path.join(folder, name))));
    }
  };
  walk('');
  return files;
}

