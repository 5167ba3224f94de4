import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MultiPolygon, Point, Polygon } from 'geojson';
import { afterAll, describe, expect, it } from 'vitest';
import { createZip, encodeWindows1258, prjSamples, writeShapefile, type ShapefileRecord } from '../testing/index.ts';
import { prepareImportData, prepareImportFile } from './prepare-import.ts';
import { encodingFromCpg } from './read-shapefile.ts';

const tm3Square = (x: number, y: number, size = 1000): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + size, y],
      [x + size, y + size],
      [x, y + size],
      [x, y],
    ],
  ],
});
const point = (lon: number, lat: number): Point => ({ type: 'Point', coordinates: [lon, lat] });

const communeRecords: ShapefileRecord[] = [
  { geometry: tm3Square(501000, 2366000), properties: { MA_XA: '99951', TEN_XA: 'Phường Mường Thanh Mới', LOAI: 'Phường', DIEN_TICH: 1.25 } },
  { geometry: tm3Square(502000, 2366000), properties: { MA_XA: '99952', TEN_XA: 'Xã Thanh Nưa Thử', LOAI: 'Xã', DIEN_TICH: 1 } },
];

function communeZip(files: { prj?: string; cpg?: string; encoding?: 'utf-8' | 'windows-1258'; records?: ShapefileRecord[] } = {}) {
  const shapefile = writeShapefile(files.records ?? communeRecords, { encoding: files.encoding ?? 'utf-8' });
  return createZip({
    'ranh_gioi_xa.shp': shapefile.shp,
    'ranh_gioi_xa.shx': shapefile.shx,
    'ranh_gioi_xa.dbf': shapefile.dbf,
    ...(files.prj !== undefined ? { 'ranh_gioi_xa.prj': files.prj } : {}),
    ...(files.cpg !== undefined ? { 'ranh_gioi_xa.cpg': files.cpg } : {}),
  });
}

const facilityRecords: ShapefileRecord[] = [
  { geometry: point(103.0188, 21.3893), properties: { MA: 'CA-01', TEN: 'Công an phường Điện Biên Phủ', LOAI: 'Công an', KHAN_CAP: 113, DIA_CHI: 'Số 1 đường Võ Nguyên Giáp' } },
  { geometry: point(103.0312, 21.3791), properties: { MA: 'BV-01', TEN: 'Bệnh viện Đa khoa tỉnh Điện Biên', LOAI: 'Bệnh viện', KHAN_CAP: 115, DIA_CHI: 'Tổ 1, phường Mường Thanh' } },
];

describe('shapefile zips', () => {
  it('reads a VN-2000 TM-3° 103 shapefile (.prj without TOWGS84) and reprojects it with the registry shift', async () => {
    const file = await prepareImportData(Buffer.from(communeZip({ prj: prjSamples.vn2000Tm3103Esri, cpg: 'UTF-8' })), 'ranh_gioi_xa.zip', { layer: 'communes' });
    expect(file.problems).toEqual([]);
    expect(file.format).toBe('shapefile');
    expect(file.sourceSrs).toBe('vn2000-tm3-103');
    expect(file.notes).toEqual([
      'coordinate system from the .prj: "VN_2000_Dien_Bien_TM3_103" (datum D_Vietnam_2000, Transverse_Mercator, central meridian 103, scale 0.9999, false easting 500000) → vn2000-tm3-103',
    ]);
    expect(file.features.map((feature) => feature.attributes)).toEqual([
      { code: '99951', name: 'Phường Mường Thanh Mới', name_folded: 'phuong muong thanh moi', level: 'ward', parent_code: null, admin_center: null },
      { code: '99952', name: 'Xã Thanh Nưa Thử', name_folded: 'xa thanh nua thu', level: 'commune', parent_code: null, admin_center: null },
    ]);
    expect(file.features[0]!.extraProperties).toEqual({ DIEN_TICH: 1.25 });
    const rings = (file.features[0]!.geometry as MultiPolygon).coordinates[0]!;
    expect(rings).toHaveLength(1);
    // The writer stores the outer ring clockwise, starting at (501000, 2366000) → PROJ 9.7 reference.
    const corner = rings[0]!.find(([lon, lat]) => Math.abs(lon! - 103.0115) < 0.001 && Math.abs(lat! - 21.3889) < 0.001)!;
    expect(corner[0]).toBeCloseTo(103.01153626628857, 6);
    expect(corner[1]).toBeCloseTo(21.38885897861878, 6);
  });

  it('reads a WGS 84 point shapefile with a .cpg-less UTF-8 DBF holding Vietnamese text', async () => {
    const shapefile = writeShapefile(facilityRecords);
    const zip = createZip({ 'co_so.shp': shapefile.shp, 'co_so.shx': shapefile.shx, 'co_so.dbf': shapefile.dbf, 'co_so.prj': prjSamples.wgs84Esri });
    const file = await prepareImportData(Buffer.from(zip), 'co_so.zip', { layer: 'facilities', propertyMap: { hotline: 'KHAN_CAP' } });
    expect(file.problems).toEqual([]);
    expect(file.sourceSrs).toBe('wgs84');
    expect(file.notes).toContain('co_so.dbf has no .cpg; its text was read as UTF-8');
    expect(file.features.map((feature) => feature.attributes)).toEqual([
      { code: 'CA-01', name: 'Công an phường Điện Biên Phủ', name_folded: 'cong an phuong dien bien phu', kind: 'police', hotline: '113', address: 'Số 1 đường Võ Nguyên Giáp', phone: null },
      { code: 'BV-01', name: 'Bệnh viện Đa khoa tỉnh Điện Biên', name_folded: 'benh vien da khoa tinh dien bien', kind: 'hospital', hotline: '115', address: 'Tổ 1, phường Mường Thanh', phone: null },
    ]);
    expect(file.features[1]!.geometry).toEqual({ type: 'Point', coordinates: [103.0312, 21.3791] });
    expect(file.features[1]!.label).toBe('feature #2 (code BV-01 "Bệnh viện Đa khoa tỉnh Điện Biên")');
  });

  it('reads stored (uncompressed) zip entries too', async () => {
    const shapefile = writeShapefile(facilityRecords);
    const zip = createZip({ 'a.shp': shapefile.shp, 'a.dbf': shapefile.dbf, 'a.cpg': 'UTF-8' }, { compress: false });
    const file = await prepareImportData(Buffer.from(zip), 'a.zip', { layer: 'facilities', propertyMap: { hotline: 'KHAN_CAP' } });
    expect(file.problems).toEqual([]);
    expect(file.features).toHaveLength(2);
  });

  it('refuses a Windows-1258 DBF read as UTF-8, and reads it with --encoding or a .cpg', async () => {
    const refused = await prepareImportData(Buffer.from(communeZip({ prj: prjSamples.vn2000Tm3103Esri, encoding: 'windows-1258' })), 'xa.zip', { layer: 'communes' });
    expect(refused.features).toEqual([]);
    expect(refused.problems).toEqual([
      {
        index: null,
        label: 'xa.zip',
        problem:
          'ranh_gioi_xa.dbf is not valid UTF-8 (first in record 1) but is read as UTF-8 because there is no .cpg saying otherwise; pass --encoding windows-1258 if it was written by Vietnamese Windows software, or re-save it as UTF-8 (TCVN3/VNI text must first be converted to Unicode)',
      },
    ]);

    const withOption = await prepareImportData(Buffer.from(communeZip({ prj: prjSamples.vn2000Tm3103Esri, encoding: 'windows-1258' })), 'xa.zip', {
      layer: 'communes',
      encoding: 'windows-1258',
    });
    expect(withOption.problems).toEqual([]);
    expect(withOption.features.map((feature) => feature.attributes.name)).toEqual(['Phường Mường Thanh Mới', 'Xã Thanh Nưa Thử']);

    const withCpg = await prepareImportData(Buffer.from(communeZip({ prj: prjSamples.vn2000Tm3103Esri, encoding: 'windows-1258', cpg: '1258' })), 'xa.zip', { layer: 'communes' });
    expect(withCpg.problems).toEqual([]);
    // Windows-1258 stores tone marks as combining characters; names come out composed (NFC).
    expect(withCpg.features[0]!.attributes.name).toBe('Phường Mường Thanh Mới'.normalize('NFC'));
    expect(withCpg.features[0]!.attributes.name_folded).toBe('phuong muong thanh moi');
  });

  it('the Windows-1258 test encoder really produces non-UTF-8 bytes with combining tone marks', () => {
    expect([...encodeWindows1258('Thử')]).toEqual([0x54, 0x68, 0xfd, 0xd2]); // T h ư + combining hook above
  });

  it('asks for --srs when the .prj is not recognised, and imports with it', async () => {
    const zip = Buffer.from(communeZip({ prj: prjSamples.tm3103OnWgs84Esri, cpg: 'UTF-8' }));
    const refused = await prepareImportData(zip, 'xa.zip', { layer: 'communes' });
    expect(refused.features).toEqual([]);
    expect(refused.problems).toHaveLength(1);
    expect(refused.problems[0]).toMatchObject({ index: null, label: 'xa.zip' });
    expect(refused.problems[0]!.problem).toMatch(
      /^the \.prj declares "TM3_103" \(datum D_WGS_1984, .*\), which the importer does not recognise: its parameters are those of VN-2000 TM-3° 103° but its datum says WGS 84.*pass --srs vn2000-tm3-103\. Pass --srs with one of wgs84, vn2000, vn2000-utm48n, vn2000-tm3-103$/,
    );

    const accepted = await prepareImportData(zip, 'xa.zip', { layer: 'communes', srs: 'vn2000-tm3-103' });
    expect(accepted.problems).toEqual([]);
    expect(accepted.features).toHaveLength(2);
    expect(accepted.notes).toContain('--srs vn2000-tm3-103 overrides the .prj, which declares "TM3_103" (datum D_WGS_1984, Transverse_Mercator, central meridian 103, scale 0.9999, false easting 500000)');
  });

  it('reads a VN-2000 / UTM 48N .prj', async () => {
    const records: ShapefileRecord[] = [{ geometry: point(500000, 2360000), properties: { code: 'CAM-1', name: 'Cam', bearing_de: 0, hfov_deg: 60, range_m: 50, stream_url: 'https://x.vn/a.m3u8' } }];
    const shapefile = writeShapefile(records);
    const zip = createZip({ 'cam.shp': shapefile.shp, 'cam.dbf': shapefile.dbf, 'cam.prj': prjSamples.vn2000Utm48nOgc });
    const file = await prepareImportData(Buffer.from(zip), 'cam.zip', { layer: 'cameras' });
    expect(file.problems).toEqual([]);
    expect(file.sourceSrs).toBe('vn2000-utm48n');
    const [lon, lat] = (file.features[0]!.geometry as Point).coordinates;
    expect(Math.abs(lon! - 105.00188853369745)).toBeLessThan(1e-6);
    expect(Math.abs(lat! - 21.341038746871764)).toBeLessThan(1e-6);
  });

  it('without a .prj, projected coordinates ask for --srs', async () => {
    const file = await prepareImportData(Buffer.from(communeZip({ cpg: 'UTF-8' })), 'xa.zip', { layer: 'communes' });
    expect(file.problems.map((problem) => problem.problem)).toEqual([
      "coordinates look projected (e.g. VN-2000 metres: [501000, 2366000]) but were read as wgs84 (no .prj and no --srs given); pass --srs vn2000-tm3-103 or vn2000-utm48n (Điện Biên's own maps use vn2000-tm3-103)",
      "coordinates look projected (e.g. VN-2000 metres: [502000, 2366000]) but were read as wgs84 (no .prj and no --srs given); pass --srs vn2000-tm3-103 or vn2000-utm48n (Điện Biên's own maps use vn2000-tm3-103)",
    ]);
  });

  it('reads numeric DBF codes as text without padding', async () => {
    const records: ShapefileRecord[] = [{ geometry: tm3Square(501000, 2366000), properties: { MA_XA: 3127, TEN_XA: 'Phường A', LOAI: 'phuong' } }];
    const file = await prepareImportData(Buffer.from(communeZip({ prj: prjSamples.vn2000Tm3103Esri, records })), 'xa.zip', { layer: 'communes' });
    expect(file.problems).toEqual([]);
    expect(file.features[0]!.attributes.code).toBe('3127');
  });

  it('reports null shapes per feature', async () => {
    const records: ShapefileRecord[] = [communeRecords[0]!, { geometry: null, properties: { MA_XA: '99953', TEN_XA: 'Xã Trống', LOAI: 'xã' } }];
    const file = await prepareImportData(Buffer.from(communeZip({ prj: prjSamples.vn2000Tm3103Esri, records })), 'xa.zip', { layer: 'communes' });
    expect(file.features).toHaveLength(1);
    expect(file.problems).toEqual([{ index: 1, label: 'feature #2 (code 99953 "Xã Trống")', problem: 'has no geometry (it is null or missing)' }]);
  });

  it('explains zips that are not one shapefile', async () => {
    const shapefile = writeShapefile(communeRecords);
    const noShp = await prepareImportData(Buffer.from(createZip({ 'readme.txt': 'hello', 'a.dbf': shapefile.dbf })), 'x.zip', { layer: 'communes' });
    expect(noShp.problems[0]!.problem).toBe('the zip has no .shp file (it holds readme.txt, a.dbf)');
    const two = await prepareImportData(Buffer.from(createZip({ 'a.shp': shapefile.shp, 'b/c.shp': shapefile.shp })), 'x.zip', { layer: 'communes' });
    expect(two.problems[0]!.problem).toBe('the zip holds 2 shapefiles (a.shp, b/c.shp); put one layer in each zip');
    const noDbf = await prepareImportData(Buffer.from(createZip({ 'a.shp': shapefile.shp, 'a.prj': prjSamples.vn2000Tm3103Esri })), 'x.zip', { layer: 'communes' });
    expect(noDbf.problems[0]!.problem).toBe("a.dbf is missing: a shapefile's attributes (code, name…) are in its .dbf; include it next to a.shp");
    const notZip = await prepareImportData(Buffer.from('PK\u0003\u0004 but not really a zip'), 'x.zip', { layer: 'communes' });
    expect(notZip.problems[0]!.problem).toBe('the zip archive is incomplete or damaged (its central directory is missing); was the file cut short? copy or download it again');
    const loneShp = await prepareImportData(Buffer.from(shapefile.shp), 'a.shp', { layer: 'communes' });
    expect(loneShp.problems[0]!.problem).toBe('a.shp alone is not enough: send the shapefile as a .zip with its .dbf, .shx and .prj');
  });

  it('says a zip cut short at any byte is incomplete, at once', async () => {
    const zip = communeZip({ prj: prjSamples.vn2000Tm3103Esri, cpg: 'UTF-8' });
    for (let length = 4; length < zip.length; length++) {
      const file = await prepareImportData(Buffer.from(zip.subarray(0, length)), 'xa.zip', { layer: 'communes' });
      expect(file.problems.map((problem) => problem.problem), `cut at ${length} of ${zip.length} bytes`).toEqual([
        'the zip archive is incomplete or damaged (its central directory is missing); was the file cut short? copy or download it again',
      ]);
    }
  });

  it('refuses an entry whose header claims a size it cannot have, without allocating it', async () => {
    const zip = communeZip({ prj: prjSamples.vn2000Tm3103Esri, cpg: 'UTF-8' });
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    let centralEntry = zip.length - 22;
    while (view.getUint32(centralEntry, true) !== 0x02014b50) centralEntry--;
    view.setUint32(centralEntry + 24, 0xfffffff0, true); // the last entry's uncompressed size: 4 GB
    const file = await prepareImportData(Buffer.from(zip), 'xa.zip', { layer: 'communes' });
    expect(file.problems.map((problem) => problem.problem)).toEqual(["the zip archive could not be read (an entry's header is damaged); is it a complete .zip file?"]);
  });

  it('refuses a .dbf whose header promises more records than the file holds', async () => {
    const shapefile = writeShapefile(communeRecords);
    const dbf = shapefile.dbf.slice();
    new DataView(dbf.buffer).setUint32(4, 1_000_000_000, true);
    const zip = createZip({ 'xa.shp': shapefile.shp, 'xa.dbf': dbf, 'xa.prj': prjSamples.vn2000Tm3103Esri, 'xa.cpg': 'UTF-8' });
    const file = await prepareImportData(Buffer.from(zip), 'xa.zip', { layer: 'communes' });
    expect(file.problems.map((problem) => problem.problem)).toEqual([
      expect.stringMatching(/^xa\.dbf is damaged or cut short: its header promises 1000000000 records of \d+ bytes after \d+ bytes of header, but the file holds \d+ bytes; copy or export it again$/),
    ]);
  });

  it('reads a GeoJSON file sent inside a zip', async () => {
    const geojson = JSON.stringify({ type: 'Feature', properties: { code: '1', name: 'Xã A', unit_type: 'xã' }, geometry: tm3Square(501000, 2366000) });
    const file = await prepareImportData(Buffer.from(createZip({ 'xa.geojson': geojson })), 'xa.zip', { layer: 'communes', srs: 'vn2000-tm3-103' });
    expect(file.problems).toEqual([]);
    expect(file.format).toBe('geojson');
  });
});

describe('loose shapefiles on disk', () => {
  const folders: string[] = [];
  afterAll(async () => {
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  });

  it('reads a .shp path with its .dbf/.prj/.cpg companions in any letter case', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'bandoso-shp-'));
    folders.push(folder);
    const shapefile = writeShapefile(communeRecords);
    await writeFile(join(folder, 'XA.shp'), shapefile.shp);
    await writeFile(join(folder, 'XA.DBF'), shapefile.dbf);
    await writeFile(join(folder, 'xa.prj'), prjSamples.vn2000Tm3103Wkt2);
    await writeFile(join(folder, 'XA.cpg'), 'UTF-8\n');
    const file = await prepareImportFile(join(folder, 'XA.shp'), { layer: 'communes' });
    expect(file.problems).toEqual([]);
    expect(file.sourceSrs).toBe('vn2000-tm3-103');
    expect(file.features.map((feature) => feature.attributes.name)).toEqual(['Phường Mường Thanh Mới', 'Xã Thanh Nưa Thử']);
  });

  it('reports a missing file as a file-level problem', async () => {
    const file = await prepareImportFile('/nonexistent/xa.zip', { layer: 'communes' });
    expect(file.problems).toEqual([{ index: null, label: 'xa.zip', problem: 'cannot read /nonexistent/xa.zip: no such file' }]);
  });
});

describe('encodingFromCpg', () => {
  it.each([
    ['UTF-8', 'utf-8'],
    ['utf8\n', 'utf-8'],
    ['65001', 'utf-8'],
    ['1258', 'windows-1258'],
    ['ANSI 1258', 'windows-1258'],
    ['CP1252', 'windows-1252'],
    ['TCVN3', null],
  ])('%j → %s', (cpg, expected) => {
    expect(encodingFromCpg(cpg)).toBe(expected);
  });
});
