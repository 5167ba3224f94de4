import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { createZip, prjSamples, writeShapefile } from '@bandoso/gis-data/testing';
import { acquireEmbeddedLock } from '../db/embedded-lock.ts';
import { createCliTestDatabase, repositoryRoot, runEntryPoint, type CliTestDatabase } from '../testing/index.ts';

const cli = 'api/src/cli/import-cli.ts';
const realCommunes = path.resolve(repositoryRoot, '../shared/data/dienbien-communes-2025.geojson');
const fixture = (name: string) => path.join(repositoryRoot, 'gis-data/fixtures', name);

// Each test runs the command as users do (node + tsx, then the embedded database opened, migrated on first use): tens of seconds on a loaded machine.
describe('npm run import (the command line)', { timeout: 180_000 }, () => {
  let target: CliTestDatabase;
  let scratch: string;
  let environment: Record<string, string>;

  beforeAll(async () => {
    target = await createCliTestDatabase('import');
    ({ scratch, environment } = target);
  });
  afterAll(() => target?.close());

  it('prints its usage with --help, and refuses an unknown layer with exit status 2', async () => {
    const help = await runEntryPoint(cli, ['--help'], environment);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Layers: communes, province, planning-zones, heritage-sites, cameras, facilities/);
    const wrong = await runEntryPoint(cli, ['roads', realCommunes], environment);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/Unknown layer "roads"/);
    const badSrs = await runEntryPoint(cli, ['communes', realCommunes, '--srs', 'EPSG:9999'], environment);
    expect(badSrs.code).toBe(2);
    expect(badSrs.stderr).toMatch(/vn2000-tm3-103/);
  });

  it('imports the real 2025 boundaries as they are', async () => {
    const result = await runEntryPoint(cli, ['communes', realCommunes, '--set', 'real-2025-cli', '--valid-from', '2025-07-01'], environment);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Imported 45 of 45 features into communes/);
    expect(result.stdout).toMatch(/Boundary set: real-2025-cli, in force 2025-07-01 → open/);
  });

  it('rejects a bad file feature by feature with exit status 1, writing nothing', async () => {
    const result = await runEntryPoint(cli, ['communes', fixture('mixed-good-and-bad.geojson'), '--set', 'mixed', '--valid-from', '2030-01-01', '--json'], environment);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe('rejected');
    expect(report.rejected.map((note: { feature: string }) => note.feature.match(/#\d+/)?.[0])).toEqual(['#2', '#4']);
    const dryRun = await runEntryPoint(cli, ['communes', fixture('hole.geojson'), '--set', 'mixed', '--valid-from', '2030-01-01', '--dry-run'], environment);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toMatch(/Dry run: all 1 features are valid; nothing was written/);
  });

  it('reads a Windows-1258 shapefile with --encoding, and says to pass it when there is no .cpg', async () => {
    // Two 1 km squares in the provincial TM-3° grid (VN-2000), names written by Vietnamese Windows software.
    const square = (x: number, y: number): Polygon => ({ type: 'Polygon', coordinates: [[[x, y], [x + 1000, y], [x + 1000, y + 1000], [x, y + 1000], [x, y]]] });
    const shapefile = writeShapefile(
      [
        { geometry: square(501000, 2366000), properties: { MA_XA: '99951', TEN_XA: 'Phường Mường Thanh Mới', LOAI: 'Phường' } },
        { geometry: square(502000, 2366000), properties: { MA_XA: '99952', TEN_XA: 'Xã Thanh Nưa Thử', LOAI: 'Xã' } },
      ],
      { encoding: 'windows-1258' },
    );
    const zip = path.join(scratch, 'ranh-gioi-xa-1258.zip');
    fs.writeFileSync(zip, createZip({ 'xa.shp': shapefile.shp, 'xa.shx': shapefile.shx, 'xa.dbf': shapefile.dbf, 'xa.prj': prjSamples.vn2000Tm3103Esri }));
    const options = ['--set', 'encoding-test', '--valid-from', '2031-01-01', '--dry-run', '--json'];

    const refused = await runEntryPoint(cli, ['communes', zip, ...options], environment);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).rejected[0].reason).toMatch(/xa\.dbf is not valid UTF-8 .* pass --encoding windows-1258/);

    const read = await runEntryPoint(cli, ['communes', zip, ...options, '--encoding', 'windows-1258'], environment);
    expect(read.stderr).not.toMatch(/Error/);
    expect(read.code).toBe(0);
    const report = JSON.parse(read.stdout);
    expect(report.status).toBe('validated');
    expect(report.rejected).toEqual([]);
  });

  it('says clearly when another process holds the embedded database', async () => {
    const dataDir = path.join(scratch, 'held');
    const lock = acquireEmbeddedLock(dataDir);
    try {
      const result = await runEntryPoint(cli, ['communes', realCommunes, '--set', 'x', '--valid-from', '2025-07-01'], { DATA_DIR: dataDir });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(new RegExp(`in use by another process \\(pid ${process.pid}`));
      expect(result.stderr).toMatch(/stop it \(Ctrl\+C\)/);
    } finally {
      lock.release();
    }
  });
});
