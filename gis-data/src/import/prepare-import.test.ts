import { fileURLToPath } from 'node:url';
import type { MultiPolygon, Point, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { prepareImportData, prepareImportFile } from './prepare-import.ts';
import type { PreparedFile, PrepareOptions } from './import-types.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
// The shared test data sits beside the repository (../shared/data from the repo root), in CI too.
const sharedData = (name: string) => fileURLToPath(new URL(`../../../../shared/data/${name}`, import.meta.url));

const problemTexts = (file: PreparedFile) => file.problems.map((problem) => `${problem.label}: ${problem.problem}`);

function featureCollection(features: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ type: 'FeatureCollection', ...extra, features });
}

function square(west: number, south: number, size = 0.01): Polygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [west, south],
        [west + size, south],
        [west + size, south + size],
        [west, south + size],
        [west, south],
      ],
    ],
  };
}

const commune = (properties: Record<string, unknown>, geometry: unknown = square(103.0, 21.38)) => ({ type: 'Feature', properties, geometry });
const point = (lon: number, lat: number): Point => ({ type: 'Point', coordinates: [lon, lat] });

async function prepareText(text: string, options: PrepareOptions, fileName = 'test.geojson') {
  return prepareImportData(text, fileName, options);
}

describe('the real Điện Biên data (../shared/data)', () => {
  it('imports the 45 communes of 2025 as they are, with zero problems', async () => {
    const progress: Array<[number, number]> = [];
    const file = await prepareImportFile(sharedData('dienbien-communes-2025.geojson'), {
      layer: 'communes',
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(file.problems).toEqual([]);
    expect(file.featureCount).toBe(45);
    expect(file.features).toHaveLength(45);
    expect(file.format).toBe('geojson');
    expect(file.sourceSrs).toBe('wgs84');
    expect(progress.at(-1)).toEqual([45, 45]);

    const first = file.features[0]!;
    expect(first.index).toBe(0);
    expect(first.label).toBe('feature #1 (code 03127 "Phường Điện Biên Phủ")');
    expect(first.attributes).toEqual({
      code: '03127',
      name: 'Phường Điện Biên Phủ',
      name_folded: 'phuong dien bien phu',
      level: 'ward',
      parent_code: null,
      admin_center: null,
    });
    expect(first.geometry.type).toBe('MultiPolygon');
    // The text admin_center and the other source properties are kept, not lost.
    expect(first.extraProperties).toMatchObject({ admin_center: 'Trụ sở Thành ủy, HĐND và UBND TP Điện Biên Phủ', province_code: '11', area_km2: '56.75' });
    expect(first.extraProperties).not.toHaveProperty('code');
    expect(file.notes).toEqual(['admin_center of 45 features are a text description, not [lon, lat]; kept in extraProperties, admin_center left empty']);

    const levels = file.features.map((feature) => feature.attributes.level);
    expect(levels.filter((level) => level === 'ward')).toHaveLength(3);
    expect(levels.filter((level) => level === 'commune')).toHaveLength(42);
    const codes = new Set(file.features.map((feature) => feature.attributes.code));
    expect(codes.size).toBe(45);
    // Geometry is passed through unchanged for WGS 84 input.
    const longitudes = file.features.flatMap((feature) => (feature.geometry as MultiPolygon).coordinates.flat(2).map(([lon]) => lon!));
    expect(Math.min(...longitudes.slice(0, 50_000))).toBeGreaterThan(102.1);
  });

  it('imports the province outline as layer province', async () => {
    const file = await prepareImportFile(sharedData('dienbien-province.geojson'), { layer: 'province' });
    expect(file.problems).toEqual([]);
    expect(file.features).toHaveLength(1);
    expect(file.features[0]!.attributes).toEqual({
      code: '11',
      name: 'Tỉnh Điện Biên',
      name_folded: 'tinh dien bien',
      level: 'province',
      parent_code: null,
      admin_center: null,
    });
    expect(file.features[0]!.geometry.type).toBe('MultiPolygon');
  });

  it('refuses the province file as communes, naming the missing unit_type', async () => {
    const file = await prepareImportFile(sharedData('dienbien-province.geojson'), { layer: 'communes' });
    expect(file.features).toEqual([]);
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0]!.label).toBe('feature #1 (code 11 "Tỉnh Điện Biên")');
    expect(file.problems[0]!.problem).toMatch(/^missing required property "unit_type" .*looked for "unit_type", "loai"/);
  });
});

describe('fixtures', () => {
  it('shared-border-point: both units import; the points file says who must win', async () => {
    const file = await prepareImportFile(fixture('shared-border-point.geojson'), { layer: 'communes' });
    expect(file.problems).toEqual([]);
    expect(file.features.map((feature) => feature.attributes.code)).toEqual(['99902', '99901']);
    const points = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(fixture('shared-border-point.points.geojson'), 'utf8')));
    const onEdge = points.features.find((feature: { properties: { case: string } }) => feature.properties.case === 'on the shared edge');
    expect(onEdge.geometry.coordinates).toEqual([103.01, 21.385]);
    expect(onEdge.properties.expected_code).toBe('99901');
    // The shared edge really is shared: both polygons have a vertical edge at exactly lon 103.01.
    for (const feature of file.features) {
      expect((feature.geometry as MultiPolygon).coordinates[0]![0]!.some(([lon]) => lon === 103.01)).toBe(true);
    }
  });

  it('self-intersecting: passes the file checks (PostGIS rejects it later)', async () => {
    const file = await prepareImportFile(fixture('self-intersecting.geojson'), { layer: 'communes' });
    expect(file.problems).toEqual([]);
    expect(file.features).toHaveLength(1);
  });

  it('lat-lon-swapped: says the coordinates look swapped', async () => {
    const file = await prepareImportFile(fixture('lat-lon-swapped.geojson'), { layer: 'communes' });
    expect(file.features).toEqual([]);
    expect(problemTexts(file)).toEqual([
      'feature #1 (code 99912 "Xã Đảo Ngược"): coordinates look like [lat, lon] (swapped); GeoJSON wants [lon, lat]: first position [21.38, 103]',
    ]);
  });

  it('outside-vietnam: says outside Vietnam with an example position', async () => {
    const file = await prepareImportFile(fixture('outside-vietnam.geojson'), { layer: 'communes' });
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0]).toMatchObject({ index: 0, label: 'feature #1 (code 99913 "Xã Xa Xôi")' });
    expect(file.problems[0]!.problem).toBe(
      'outside Vietnam (lon 102.0–117.9, lat 6.0–23.5): all 5 positions are outside, e.g. [100.5, 13.74]; check the coordinates and the source SRS (read as wgs84 (no --srs given))',
    );
  });

  it('hole: accepted with its hole', async () => {
    const file = await prepareImportFile(fixture('hole.geojson'), { layer: 'communes' });
    expect(file.problems).toEqual([]);
    const geometry = file.features[0]!.geometry as MultiPolygon;
    expect(geometry.coordinates).toHaveLength(1);
    expect(geometry.coordinates[0]).toHaveLength(2);
    expect(geometry.coordinates[0]![1]![0]).toEqual([103.005, 21.385]);
  });

  it('antimeridian: rejected as outside Vietnam, mentioning the 180° meridian', async () => {
    const file = await prepareImportFile(fixture('antimeridian.geojson'), { layer: 'communes' });
    expect(problemTexts(file)).toEqual([
      'feature #1 (code 99915 "Xã Bên Kia Trái Đất"): outside Vietnam: the geometry spans the 180° meridian (longitudes from -179.5 to 179.5), on the far side of the world from Vietnam (lon 102.0–117.9, lat 6.0–23.5)',
    ]);
  });

  it('broken-json: one file-level problem with line and column', async () => {
    const file = await prepareImportFile(fixture('broken-json.geojson'), { layer: 'communes' });
    expect(file.featureCount).toBe(0);
    expect(file.problems).toEqual([
      {
        index: null,
        label: 'broken-json.geojson',
        problem:
          'not valid JSON: unexpected end of file at line 10, column 67 (just after "38], [103.01, 21.38], [103.01,") — the file looks truncated (cut off before its end); copy or export it again',
      },
    ]);
  });

  it('wrong-geometry-type: a LineString is not a commune', async () => {
    const file = await prepareImportFile(fixture('wrong-geometry-type.geojson'), { layer: 'communes' });
    expect(problemTexts(file)).toEqual(['feature #1 (code 99917 "Xã Đường Viền"): geometry is a LineString; layer communes takes Polygon or MultiPolygon']);
  });

  it('missing-properties: names the feature without a name, keeps the other', async () => {
    const file = await prepareImportFile(fixture('missing-properties.geojson'), { layer: 'communes' });
    expect(file.features.map((feature) => feature.attributes.code)).toEqual(['99918']);
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0]).toMatchObject({ index: 1, label: 'feature #2 (code 99919)' });
    expect(file.problems[0]!.problem).toMatch(/^missing required property "name" \(official name.*\); looked for "name", "ten", "ten_xa".*use --map name=<property>/);
  });

  it('unclosed-ring: says which ring and where it starts and ends', async () => {
    const file = await prepareImportFile(fixture('unclosed-ring.geojson'), { layer: 'communes' });
    expect(problemTexts(file)).toEqual([
      'feature #1 (code 99920 "Xã Hở Vòng"): outer ring is not closed: it starts at [103, 21.38] and ends at [103, 21.39]; repeat the first position at the end',
    ]);
  });

  it('projected-without-srs: asks for --srs', async () => {
    const file = await prepareImportFile(fixture('projected-without-srs.geojson'), { layer: 'communes' });
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0]!.problem).toBe(
      "coordinates look projected (e.g. VN-2000 metres: [501000, 2366000]) but were read as wgs84 (no --srs given); pass --srs vn2000-tm3-103 or vn2000-utm48n (Điện Biên's own maps use vn2000-tm3-103)",
    );
  });

  it('vn2000-tm3-103: imports with --srs vn2000-tm3-103 to the known WGS 84 position', async () => {
    const file = await prepareImportFile(fixture('vn2000-tm3-103.geojson'), { layer: 'communes', srs: 'vn2000-tm3-103' });
    expect(file.problems).toEqual([]);
    expect(file.sourceSrs).toBe('vn2000-tm3-103');
    const ring = (file.features[0]!.geometry as MultiPolygon).coordinates[0]![0]!;
    // PROJ 9.7 (PostGIS): corner (501000, 2366000) → 103.01153626628857 21.38885897861878,
    // (502000, 2367000) → 103.02118190589034 21.39789060553369.
    expect(ring[0]![0]).toBeCloseTo(103.01153626628857, 6);
    expect(ring[0]![1]).toBeCloseTo(21.38885897861878, 6);
    expect(ring[2]![0]).toBeCloseTo(103.02118190589034, 6);
    expect(ring[2]![1]).toBeCloseTo(21.39789060553369, 6);
    expect(ring[0]).toEqual(ring[4]);
  });

  it('vn2000-tm3-103 without --srs is the projected-without-srs case', async () => {
    const file = await prepareImportFile(fixture('vn2000-tm3-103.geojson'), { layer: 'communes' });
    expect(file.problems[0]!.problem).toMatch(/^coordinates look projected/);
  });

  it('mixed-good-and-bad: keeps the 3 good ones and names exactly the 2 bad ones', async () => {
    const file = await prepareImportFile(fixture('mixed-good-and-bad.geojson'), { layer: 'communes' });
    expect(file.featureCount).toBe(5);
    expect(file.features.map((feature) => [feature.index, feature.attributes.code, feature.attributes.level])).toEqual([
      [0, '99931', 'commune'],
      [2, '99933', 'ward'],
      [4, '99935', 'town'],
    ]);
    expect(file.problems.map((problem) => [problem.index, problem.label])).toEqual([
      [1, 'feature #2 (code 99932 "Xã Lộn Trục")'],
      [3, 'feature #4 (code 99934 "Bản Không Rõ")'],
    ]);
    expect(file.problems[0]!.problem).toMatch(/^coordinates look like \[lat, lon\] \(swapped\)/);
    expect(file.problems[1]!.problem).toBe(
      'unit_type "bản" is not one of phường, xã, thị trấn, huyện, thị xã, thành phố, quận or tỉnh (or ward, commune, town, district, province)',
    );
  });
});

describe('GeoJSON reading', () => {
  it('takes a single Feature as well as a FeatureCollection', async () => {
    const file = await prepareText(JSON.stringify(commune({ code: '99001', name: 'Xã Một', unit_type: 'xã' })), { layer: 'communes' });
    expect(file.problems).toEqual([]);
    expect(file.features).toHaveLength(1);
  });

  it('reports a bare geometry, an empty collection and a non-object at file level', async () => {
    expect((await prepareText(JSON.stringify(square(103, 21.38)), { layer: 'communes' })).problems[0]!.problem).toBe(
      "the file is a bare Polygon geometry; wrap it in a Feature (or FeatureCollection) with the layer's properties",
    );
    expect((await prepareText(featureCollection([]), { layer: 'communes' })).problems[0]!.problem).toBe('the file has no features');
    expect((await prepareText('[1, 2]', { layer: 'communes' })).problems[0]!.problem).toBe('the file is a JSON array, not a GeoJSON FeatureCollection or Feature');
    expect((await prepareText('', { layer: 'communes' })).problems[0]!.problem).toBe('the file is empty');
  });

  it('locates a syntax error in the middle of a file', async () => {
    const text = '{\n  "type": "FeatureCollection",\n  "features": [\n    {"type": "Feature" "properties": {}}\n  ]\n}';
    const file = await prepareText(text, { layer: 'communes' }, 'bad.geojson');
    expect(file.problems).toEqual([
      {
        index: null,
        label: 'bad.geojson',
        problem: `not valid JSON: expected ',' or '}' after a property value, found '"' at line 4, column 24 (just after "{\\"type\\": \\"Feature\\" ")`,
      },
    ]);
  });

  it('uses the GeoJSON 2008 crs member when --srs is not given', async () => {
    const text = featureCollection([commune({ code: '99001', name: 'Xã Một', unit_type: 'xã' }, point(500000, 2360000))], {
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3405' } },
    });
    const file = await prepareText(text, { layer: 'communes' });
    expect(file.sourceSrs).toBe('vn2000-utm48n');
    expect(file.notes).toEqual(['coordinate system from the crs member: crs "urn:ogc:def:crs:EPSG::3405" → vn2000-utm48n']);
    // A Point is the wrong type for communes, but the SRS was taken from the member.
    expect(file.problems[0]!.problem).toBe('geometry is a Point; layer communes takes Polygon or MultiPolygon');
  });

  it('reports an unsupported crs member at file level, and lets --srs override it', async () => {
    const features = [commune({ code: '99001', name: 'Xã Một', unit_type: 'xã' })];
    const crs = { type: 'name', properties: { name: 'EPSG:32648' } };
    const refused = await prepareText(featureCollection(features, { crs }), { layer: 'communes' });
    expect(refused.problems).toEqual([
      {
        index: null,
        label: 'test.geojson',
        problem:
          'the crs member declares crs "EPSG:32648", which the importer does not recognise: "EPSG:32648" is not a supported coordinate system. Pass --srs with one of wgs84, vn2000, vn2000-utm48n, vn2000-tm3-103',
      },
    ]);
    const overridden = await prepareText(featureCollection(features, { crs }), { layer: 'communes', srs: 'wgs84' });
    expect(overridden.problems).toEqual([]);
    expect(overridden.notes).toEqual(['--srs wgs84 overrides the crs member, which declares crs "EPSG:32648"']);
  });

  it('reports a bad --srs at file level with the accepted values', async () => {
    const file = await prepareText(featureCollection([commune({ code: '1', name: 'X', unit_type: 'xã' })]), { layer: 'communes', srs: 'EPSG:9999' });
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0]!.problem).toMatch(/^--srs: Unknown source coordinate system "EPSG:9999"\. Accepted values:\n {2}wgs84/);
  });
});

describe('geometry checks', () => {
  const run = async (geometry: unknown, layer: PrepareOptions['layer'] = 'communes', srs?: string) => {
    const properties =
      layer === 'communes'
        ? { code: '99001', name: 'Xã Thử', unit_type: 'xã' }
        : { code: 'CAM-1', name: 'Ngã tư', bearing_deg: 90, hfov_deg: 60, range_m: 100, stream_url: 'rtsp://camera.local/1' };
    return prepareText(featureCollection([{ type: 'Feature', properties, geometry }]), { layer, ...(srs ? { srs } : {}) });
  };
  const problemOf = async (geometry: unknown, layer?: PrepareOptions['layer'], srs?: string) => (await run(geometry, layer, srs)).problems.map((problem) => problem.problem);

  it('rejects empty geometries and null geometry', async () => {
    expect(await problemOf({ type: 'MultiPolygon', coordinates: [] })).toEqual(['the MultiPolygon is empty (no polygons)']);
    expect(await problemOf({ type: 'Polygon', coordinates: [] })).toEqual(['the polygon is empty (no rings)']);
    expect(await problemOf({ type: 'Polygon', coordinates: [[]] })).toEqual(['outer ring is empty']);
    expect(await problemOf({ type: 'Point', coordinates: [] }, 'cameras')).toEqual(['the Point is empty (no coordinates)']);
    expect(await problemOf(null)).toEqual(['has no geometry (it is null or missing)']);
  });

  it('rejects rings with fewer than 4 positions', async () => {
    expect(
      await problemOf({
        type: 'MultiPolygon',
        coordinates: [
          square(103, 21.38).coordinates,
          [
            [
              [103.02, 21.38],
              [103.03, 21.38],
              [103.02, 21.38],
            ],
          ],
        ],
      }),
    ).toEqual(['polygon 2, outer ring has 3 positions; a ring needs at least 4 (3 corners and the first one repeated at the end)']);
  });

  it('names an unclosed hole', async () => {
    const polygon = square(103, 21.38, 0.02);
    polygon.coordinates.push([
      [103.005, 21.385],
      [103.005, 21.395],
      [103.015, 21.395],
      [103.015, 21.386],
    ]);
    expect(await problemOf(polygon)).toEqual(['hole 1 is not closed: it starts at [103.005, 21.385] and ends at [103.015, 21.386]; repeat the first position at the end']);
  });

  it('rejects coordinates written as text', async () => {
    expect(await problemOf({ type: 'Point', coordinates: ['103.1', '21.4'] }, 'cameras')).toEqual([
      'the point ["103.1","21.4"] holds text; coordinates must be JSON numbers',
    ]);
  });

  it('rejects a latitude beyond 90 that is not a swap', async () => {
    expect(await problemOf(point(103.1, 95), 'cameras')).toEqual(['position [103.1, 95] has latitude 95, outside −90…90']);
  });

  it('says degrees were given with a projected --srs', async () => {
    expect(await problemOf(point(103.1, 21.4), 'cameras', 'vn2000-utm48n')).toEqual([
      'coordinates look like longitude/latitude degrees (e.g. [103.1, 21.4]) but were read as vn2000-utm48n (--srs vn2000-utm48n), which is in metres; pass --srs wgs84 (or vn2000 for VN-2000 degrees)',
    ]);
  });

  it('detects swapped easting/northing in projected input', async () => {
    expect(await problemOf(point(2366000, 501000), 'cameras', 'vn2000-tm3-103')).toEqual([
      'coordinates look like [northing, easting] (swapped); the file must list the easting (x) first: first position [2366000, 501000]',
    ]);
  });

  it('turns a one-point MultiPoint into a Point and drops Z with a note', async () => {
    const file = await run({ type: 'MultiPoint', coordinates: [[103.02, 21.39, 480]] }, 'cameras');
    expect(file.problems).toEqual([]);
    expect(file.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [103.02, 21.39] });
    expect(file.notes).toEqual(['1 feature has Z (height) values; they were dropped (features are stored 2D)']);
    expect(await problemOf({ type: 'MultiPoint', coordinates: [[103.02, 21.39], [103.03, 21.39]] }, 'cameras')).toEqual([
      'geometry is a MultiPoint of 2 points; layer cameras takes one Point per feature',
    ]);
  });

  it('always outputs MultiPolygon for polygon layers', async () => {
    const file = await run(square(103, 21.38));
    expect(file.features[0]!.geometry).toEqual({ type: 'MultiPolygon', coordinates: [square(103, 21.38).coordinates] });
  });

  it('passes geojson-validation messages through when our walk has nothing to add', async () => {
    const file = await prepareText(featureCollection([{ type: 'Feature', geometry: point(103.02, 21.39) }]), { layer: 'cameras' });
    expect(file.problems.map((problem) => problem.problem)).toContain('not valid GeoJSON: must have a member with the name "properties"');
  });

  it('collects every problem of a feature, geometry and attributes alike', async () => {
    const file = await prepareText(featureCollection([commune({ code: '99001', unit_type: 'thôn' }, { type: 'Polygon', coordinates: [[[21.38, 103], [21.38, 103.01], [21.39, 103.01], [21.38, 103]]] })]), {
      layer: 'communes',
    });
    expect(file.problems.map((problem) => problem.problem.split(':')[0])).toEqual([
      'coordinates look like [lat, lon] (swapped); GeoJSON wants [lon, lat]',
      'missing required property "name" (official name with its unit type, e.g. "Phường Điện Biên Phủ"); looked for "name", "ten", "ten_xa", "ten_dvhc", "ten_phuong", "ten_don_vi", "name_vi"; use --map name=<property> if it has another name',
      'unit_type "thôn" is not one of phường, xã, thị trấn, huyện, thị xã, thành phố, quận or tỉnh (or ward, commune, town, district, province)',
    ]);
  });

  it('reports progress every 500 features and at the end', async () => {
    const features = Array.from({ length: 1200 }, (_, index) => ({
      type: 'Feature',
      properties: { code: `C${index}`, name: `Camera ${index}`, bearing_deg: 0, hfov_deg: 90, range_m: 50, stream_url: 'https://cam.example.vn/live.m3u8' },
      geometry: point(103.02, 21.39),
    }));
    const calls: Array<[number, number]> = [];
    const file = await prepareText(featureCollection(features), { layer: 'cameras', onProgress: (done, total) => calls.push([done, total]) });
    expect(file.features).toHaveLength(1200);
    expect(calls).toEqual([
      [500, 1200],
      [1000, 1200],
      [1200, 1200],
    ]);
  });
});

describe('property mapping', () => {
  it('finds Vietnamese-style property names case-insensitively', async () => {
    const file = await prepareText(featureCollection([commune({ MaXa: 3127, TEN_XA: 'Phường  Điện Biên Phủ ', LOAI: 'Phường', MA_CHA: '11' })]), { layer: 'communes' });
    expect(file.problems).toEqual([]);
    expect(file.features[0]!.attributes).toMatchObject({ code: '3127', name: 'Phường  Điện Biên Phủ', name_folded: 'phuong dien bien phu', level: 'ward', parent_code: '11' });
    expect(file.features[0]!.extraProperties).toEqual({});
  });

  it('applies --map equivalents (canonical name → source property)', async () => {
    const file = await prepareText(featureCollection([commune({ MA_DV: '03130', TEN_GOI: 'Xã Thanh Nưa', CAP_HANH_CHINH: 'xa', ten: 'not this one' })]), {
      layer: 'communes',
      propertyMap: { code: 'MA_DV', name: 'ten_goi', level: 'CAP_HANH_CHINH' },
    });
    expect(file.problems).toEqual([]);
    expect(file.features[0]!.attributes).toMatchObject({ code: '03130', name: 'Xã Thanh Nưa', level: 'commune' });
    expect(file.features[0]!.extraProperties).toEqual({ ten: 'not this one' });
  });

  it('reports a --map to an unknown attribute and to a property no feature has, once each', async () => {
    const features = [commune({ code: '1', name: 'Xã A', unit_type: 'xã' }), commune({ code: '2', name: 'Xã B', unit_type: 'xã' }, square(103.01, 21.38))];
    const file = await prepareText(featureCollection(features), { layer: 'communes', propertyMap: { ma: 'code', name: 'TEN' } });
    expect(file.problems.map((problem) => [problem.index, problem.problem])).toEqual([
      [null, '--map ma=code: "ma" is not an attribute of layer communes; its attributes are code, name, unit_type, parent_code, admin_center'],
      [null, '--map name=TEN: no feature has a property "TEN"; the file\'s properties are code, name, unit_type'],
    ]);
    expect(file.features).toEqual([]);
  });

  it('reports a required property that no feature has once, at file level', async () => {
    const features = [commune({ MA: '1', TEN: 'Xã A' }), commune({ MA: '2', TEN: 'Xã B' }, square(103.01, 21.38))];
    const file = await prepareText(featureCollection(features), { layer: 'communes' });
    expect(file.problems).toEqual([
      {
        index: null,
        label: 'test.geojson',
        problem:
          'no feature has the required property "unit_type" (looked for "unit_type", "loai", "loai_dvhc", "loaidvhc", "cap", "level", "type"); the file\'s properties are MA, TEN; use --map unit_type=<property>',
      },
    ]);
  });

  it('reads admin_center as [lon, lat] and reprojects it like the geometry', async () => {
    const wgs = await prepareText(featureCollection([commune({ code: '1', name: 'Xã A', unit_type: 'xã', admin_center: [103.005, 21.385] })]), { layer: 'communes' });
    expect(wgs.features[0]!.attributes.admin_center).toEqual({ type: 'Point', coordinates: [103.005, 21.385] });

    const projectedSquare = { type: 'Polygon', coordinates: [[[501000, 2366000], [502000, 2366000], [502000, 2367000], [501000, 2367000], [501000, 2366000]]] };
    const tm3 = await prepareText(featureCollection([commune({ code: '1', name: 'Xã A', unit_type: 'xã', admin_center: '501000, 2366000' }, projectedSquare)]), {
      layer: 'communes',
      srs: 'vn2000-tm3',
    });
    const center = tm3.features[0]!.attributes.admin_center as Point;
    expect(center.coordinates[0]).toBeCloseTo(103.01153626628857, 6);
    expect(center.coordinates[1]).toBeCloseTo(21.38885897861878, 6);

    const swapped = await prepareText(featureCollection([commune({ code: '1', name: 'Xã A', unit_type: 'xã', admin_center: [21.385, 103.005] })]), { layer: 'communes' });
    expect(swapped.problems[0]!.problem).toBe('admin_center: coordinates look like [lat, lon] (swapped); GeoJSON wants [lon, lat]: first position [21.385, 103.005]');
  });

  it('maps every unit type, English level names included', async () => {
    const types = ['Phường', 'XÃ', 'thi tran', 'Huyện', 'Thị xã', 'Thành phố', 'Quận', 'ward', 'District'];
    const features = types.map((unitType, index) => commune({ code: String(index), name: `Đơn vị ${index}`, unit_type: unitType }));
    const file = await prepareText(featureCollection(features), { layer: 'communes' });
    expect(file.problems).toEqual([]);
    expect(file.features.map((feature) => feature.attributes.level)).toEqual(['ward', 'commune', 'town', 'district', 'district', 'district', 'district', 'ward', 'district']);
    const province = await prepareText(featureCollection([commune({ code: '11', name: 'Tỉnh X', unit_type: 'tỉnh' })]), { layer: 'communes' });
    expect(province.problems[0]!.problem).toBe('unit_type says this is a province; import the province outline with layer "province"');
  });
});

describe('planning-zones', () => {
  const zone = (overrides: Record<string, unknown> = {}) =>
    commune(
      {
        plan_code: 'QHC-DBP-2024',
        plan_name: 'Quy hoạch chung thành phố Điện Biên Phủ',
        plan_version: '2',
        decision_number: '1234/QĐ-UBND',
        decision_date: '2024-03-15',
        approving_authority: 'UBND tỉnh Điện Biên',
        zone_code: 'ODT-01',
        land_use_code: 'ODT',
        land_use_name: 'Đất ở đô thị',
        max_density_pct: '60',
        max_floors: 5,
        max_height_m: '21,5',
        far: 3,
        ...overrides,
      },
      square(103.02, 21.38),
    );

  it('maps and coerces a complete zone', async () => {
    const file = await prepareText(featureCollection([zone()]), { layer: 'planning-zones' });
    expect(file.problems).toEqual([]);
    expect(file.features[0]!.label).toBe('feature #1 (zone_code ODT-01 "Đất ở đô thị")');
    expect(file.features[0]!.attributes).toEqual({
      plan_code: 'QHC-DBP-2024',
      plan_name: 'Quy hoạch chung thành phố Điện Biên Phủ',
      plan_version: '2',
      decision_number: '1234/QĐ-UBND',
      decision_date: '2024-03-15',
      approving_authority: 'UBND tỉnh Điện Biên',
      zone_code: 'ODT-01',
      land_use_code: 'ODT',
      land_use_name: 'Đất ở đô thị',
      max_density_pct: 60,
      max_floors: 5,
      max_height_m: 21.5,
      far: 3,
    });
  });

  it('leaves absent optional indicators null', async () => {
    const file = await prepareText(featureCollection([zone({ max_density_pct: null, max_floors: '', far: undefined, approving_authority: undefined })]), { layer: 'planning-zones' });
    expect(file.problems).toEqual([]);
    expect(file.features[0]!.attributes).toMatchObject({ max_density_pct: null, max_floors: null, far: null, approving_authority: null });
  });

  it.each([
    [{ decision_date: '2024-02-30' }, 'decision_date "2024-02-30" is not a real calendar date'],
    [{ decision_date: '15/03/2024' }, 'decision_date "15/03/2024" is not a date in YYYY-MM-DD form (did you mean 2024-03-15?)'],
    [{ max_density_pct: 120 }, 'max_density_pct 120 is out of range: must be 0 ≤ x ≤ 100'],
    [{ max_floors: 2.5 }, 'max_floors 2.5 is not a whole number'],
    [{ max_floors: -1 }, 'max_floors -1 is out of range: must be 0 ≤ x'],
    [{ far: 25 }, 'far 25 is out of range: must be 0 ≤ x ≤ 20'],
    [{ max_height_m: 'cao' }, 'max_height_m "cao" is not a number'],
  ])('rejects %j', async (overrides, expected) => {
    const file = await prepareText(featureCollection([zone(overrides)]), { layer: 'planning-zones' });
    expect(file.problems.map((problem) => problem.problem)).toEqual([expected]);
  });

  it('finds DBF-truncated field names (10 characters)', async () => {
    const properties = {
      plan_code: 'QH-1',
      plan_name: 'Quy hoạch',
      plan_versi: '1',
      decision_n: '1/QĐ-UBND',
      decision_d: '2023-01-02',
      zone_code: 'Z1',
      land_use_c: 'ONT',
      land_use_n: 'Đất ở nông thôn',
      max_densit: 40,
    };
    const file = await prepareText(featureCollection([commune(properties, square(103.02, 21.38))]), { layer: 'planning-zones' });
    expect(file.problems).toEqual([]);
    expect(file.features[0]!.attributes).toMatchObject({ plan_version: '1', decision_number: '1/QĐ-UBND', decision_date: '2023-01-02', land_use_code: 'ONT', land_use_name: 'Đất ở nông thôn', max_density_pct: 40 });
  });
});

describe('heritage-sites', () => {
  const site = (overrides: Record<string, unknown> = {}, geometry: unknown = point(103.0257, 21.3811)) => ({
    type: 'Feature',
    geometry,
    properties: {
      code: 'DT-A1',
      name_vi: 'Đồi A1',
      name_en: 'A1 Hill',
      rank: 'Quốc gia đặc biệt',
      description_vi: 'Cứ điểm then chốt.',
      description_en: 'A key stronghold.',
      opening_hours: '07:00–17:00',
      ...overrides,
    },
  });

  it('maps Vietnamese ranks, folds the name and reprojects the footprint', async () => {
    const footprint = square(103.025, 21.381, 0.001);
    const file = await prepareText(featureCollection([site({ footprint })]), { layer: 'heritage-sites' });
    expect(file.problems).toEqual([]);
    expect(file.features[0]!.attributes).toMatchObject({ rank: 'special_national', name_folded: 'doi a1', footprint: { type: 'MultiPolygon', coordinates: [footprint.coordinates] } });
    const ranks = await prepareText(featureCollection([site({ rank: 'di tích quốc gia' }), site({ rank: 'Cấp tỉnh', code: 'DT-2' }), site({ rank: 'national', code: 'DT-3' })]), {
      layer: 'heritage-sites',
    });
    expect(ranks.features.map((feature) => feature.attributes.rank)).toEqual(['national', 'provincial', 'national']);
  });

  it('rejects a bad footprint and rank', async () => {
    const open = { type: 'Polygon', coordinates: [[[103.025, 21.381], [103.026, 21.381], [103.026, 21.382], [103.025, 21.382]]] };
    const file = await prepareText(featureCollection([site({ footprint: open, rank: 'cấp huyện' })]), { layer: 'heritage-sites' });
    expect(file.problems.map((problem) => problem.problem)).toEqual([
      'rank "cấp huyện" is not one of special_national, national or provincial (or quốc gia đặc biệt, quốc gia, cấp tỉnh)',
      'footprint: outer ring is not closed: it starts at [103.025, 21.381] and ends at [103.025, 21.382]; repeat the first position at the end',
    ]);
  });

  it('keeps a tileset URL in a file as an extra property: a site gets its 3D tileset from `npm run import -- heritage-tileset`', async () => {
    const file = await prepareText(featureCollection([site({ tileset_url: '/tiles/3d/a1/tileset.json' })]), { layer: 'heritage-sites' });
    expect(file.problems).toEqual([]);
    expect(file.features[0]!.attributes).not.toHaveProperty('tileset_url');
    expect(file.features[0]!.extraProperties).toEqual({ tileset_url: '/tiles/3d/a1/tileset.json' });
  });

  it('rejects a polygon as a heritage site position', async () => {
    const file = await prepareText(featureCollection([site({}, square(103.02, 21.38))]), { layer: 'heritage-sites' });
    expect(file.problems.map((problem) => problem.problem)).toEqual(['geometry is a Polygon; layer heritage-sites takes Point']);
  });
});

describe('cameras', () => {
  const camera = (overrides: Record<string, unknown> = {}) => ({
    type: 'Feature',
    geometry: point(103.0165, 21.3856),
    properties: { code: 'CAM-001', name: 'Ngã tư Mường Thanh', bearing_deg: 45, hfov_deg: 90, range_m: 120, stream_url: 'rtsp://10.0.0.5/stream1', ...overrides },
  });

  it('defaults status to online and visibility to restricted, and maps Vietnamese status and visibility words', async () => {
    const file = await prepareText(featureCollection([camera(), camera({ code: 'CAM-002', trang_thai: 'Bảo trì', quyen_xem: 'Công khai', don_vi_quan_ly: 'Công an tỉnh' })]), { layer: 'cameras' });
    expect(file.problems).toEqual([]);
    expect(file.features.map((feature) => feature.attributes.status)).toEqual(['online', 'maintenance']);
    expect(file.features.map((feature) => feature.attributes.visibility)).toEqual(['restricted', 'public']);
    expect(file.features[1]!.attributes.owner).toBe('Công an tỉnh');
    expect(file.features[0]!.attributes).toMatchObject({ code: 'CAM-001', name: 'Ngã tư Mường Thanh', bearing_deg: 45, hfov_deg: 90, range_m: 120, stream_url: 'rtsp://10.0.0.5/stream1', status: 'online', visibility: 'restricted' });
  });

  it.each([
    [{ bearing_deg: 360 }, 'bearing_deg 360 is out of range: must be 0 ≤ x < 360'],
    [{ bearing_deg: -1 }, 'bearing_deg -1 is out of range: must be 0 ≤ x < 360'],
    [{ hfov_deg: 0 }, 'hfov_deg 0 is out of range: must be 0 < x ≤ 360'],
    [{ range_m: 5001 }, 'range_m 5001 is out of range: must be 0 < x ≤ 5000'],
    [{ stream_url: 'ftp://10.0.0.5/x' }, 'stream_url "ftp://10.0.0.5/x" is not an absolute http, https or rtsp URL'],
    [{ stream_url: 'camera-1' }, 'stream_url "camera-1" is not an absolute http, https or rtsp URL'],
    [{ status: 'broken' }, 'status "broken" is not one of online, offline, maintenance'],
  ])('rejects %j', async (overrides, expected) => {
    const file = await prepareText(featureCollection([camera(overrides)]), { layer: 'cameras' });
    expect(file.problems.map((problem) => problem.problem)).toEqual([expected]);
  });
});

describe('facilities', () => {
  const facility = (overrides: Record<string, unknown> = {}) => ({
    type: 'Feature',
    geometry: point(103.0188, 21.3893),
    properties: { code: 'F-1', name: 'Công an phường Điện Biên Phủ', kind: 'Công an', hotline: 113, address: 'Số 1 Võ Nguyên Giáp', ...overrides },
  });

  it('maps Vietnamese kinds and numeric hotlines', async () => {
    const file = await prepareText(
      featureCollection([facility(), facility({ code: 'F-2', name: 'Đội PCCC', kind: 'PCCC', hotline: '114', phone: '0215 3824 114' }), facility({ code: 'F-3', name: 'Trạm y tế', kind: 'Trạm y tế', hotline: 115 })]),
      { layer: 'facilities' },
    );
    expect(file.problems).toEqual([]);
    expect(file.features.map((feature) => [feature.attributes.kind, feature.attributes.hotline])).toEqual([
      ['police', '113'],
      ['fire', '114'],
      ['clinic', '115'],
    ]);
    expect(file.features[1]!.attributes).toMatchObject({ name_folded: 'doi pccc', phone: '0215 3824 114' });
  });

  it('rejects a hotline that does not match the kind', async () => {
    const file = await prepareText(featureCollection([facility({ kind: 'fire', hotline: '115' })]), { layer: 'facilities' });
    expect(file.problems.map((problem) => problem.problem)).toEqual(['hotline 115 does not match kind fire: fire facilities answer 114 (113 police, 114 fire, 115 medical)']);
  });
});
