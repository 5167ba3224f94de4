import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { searchResponseSchema, type SearchResult } from '@bandoso/contracts';
import { foldVietnamese } from '@bandoso/gis-data';
import { buildOsmFixture, osmFixtureNames } from '@bandoso/gis-data/basemap';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBasemap } from '../basemap/basemap-import.service.ts';
import { createTestDatabase, startTestServer, type TestDatabase, type TestServer } from '../../testing/index.ts';

// A private copy: the base map rows this file adds must not show in other files' tiles.
let database: TestDatabase;
let server: TestServer;

const CITY_CENTRE = { lon: 103.0169, lat: 21.386 };
const EAST_OF_CITY = { lon: 103.045, lat: 21.386 };

async function search(query: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.baseUrl}/api/search?${query}`);
  return { status: response.status, body: await response.json() };
}

async function results(query: string): Promise<SearchResult[]> {
  const { status, body } = await search(query);
  expect(status, `${query}: ${JSON.stringify(body)}`).toBe(200);
  return searchResponseSchema.parse(body).results;
}

const q = (text: string) => `q=${encodeURIComponent(text)}`;

async function insertStreetSegment(name: string, coordinates: Array<[number, number]>): Promise<void> {
  await sql`
    INSERT INTO basemap_line (kind, class, name, name_folded, geom)
    VALUES ('road', 'primary', ${name}, ${foldVietnamese(name)},
            ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify({ type: 'LineString', coordinates })}::text), 4326)))`.execute(database.db);
}

async function insertPoint(kind: 'place' | 'poi', className: string, name: string, at: { lon: number; lat: number }): Promise<void> {
  await sql`
    INSERT INTO basemap_point (kind, class, name, name_folded, geom)
    VALUES (${kind}, ${className}, ${name}, ${foldVietnamese(name)}, ST_SetSRID(ST_MakePoint(${at.lon}, ${at.lat}), 4326))`.execute(database.db);
}

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  // Base map rows as the import writes them (name_folded = foldVietnamese(name)): a street in two
  // pieces, a village, and two markets of the same name 3 km apart.
  await insertStreetSegment('Đường Võ Nguyên Giáp', [[103.0100, 21.3880], [103.0150, 21.3870]]);
  await insertStreetSegment('Đường Võ Nguyên Giáp', [[103.0150, 21.3870], [103.0200, 21.3860]]);
  await insertStreetSegment('Đường Trường Chinh', [[103.0160, 21.3800], [103.0170, 21.3900]]);
  await insertPoint('place', 'village', 'Bản Him Lam', { lon: 103.032, lat: 21.405 });
  await insertPoint('poi', 'marketplace', 'Chợ Trung Tâm', CITY_CENTRE);
  await insertPoint('poi', 'marketplace', 'Chợ Trung Tâm', EAST_OF_CITY);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

/**
 * The named fixture list: what a person types, and what must come first. Accents, case, đ, word
 * order within the name's designator ("Phường", "Xã", "Đường") and one-letter typos must not matter.
 */
const firstResultFixtures: Array<{ query: string; kind: SearchResult['kind']; name: string }> = [
  { query: 'bao tang chien thang', kind: 'heritage', name: 'Bảo tàng Chiến thắng lịch sử Điện Biên Phủ' },
  { query: 'Bảo tàng', kind: 'heritage', name: 'Bảo tàng Chiến thắng lịch sử Điện Biên Phủ' },
  { query: 'BAO TANG CHIEN THANG LICH SU', kind: 'heritage', name: 'Bảo tàng Chiến thắng lịch sử Điện Biên Phủ' },
  { query: 'Muong Thanh', kind: 'commune', name: 'Phường Mường Thanh' },
  { query: 'muong thnah', kind: 'commune', name: 'Phường Mường Thanh' },
  { query: 'Phường Mường Thanh', kind: 'commune', name: 'Phường Mường Thanh' },
  { query: 'Xã Mường Phăng', kind: 'commune', name: 'Xã Mường Phăng' },
  { query: 'muong phang', kind: 'commune', name: 'Xã Mường Phăng' },
  { query: 'Điện Biên Phủ', kind: 'commune', name: 'Phường Điện Biên Phủ' },
  { query: 'dien bien phu', kind: 'commune', name: 'Phường Điện Biên Phủ' },
  { query: 'Đồi A1', kind: 'heritage', name: 'Đồi A1' },
  { query: 'doi a1', kind: 'heritage', name: 'Đồi A1' },
  { query: 'ham do cat', kind: 'heritage', name: 'Hầm chỉ huy của tướng De Castries (hầm Đờ Cát)' },
  { query: 'tuong dai chien thang', kind: 'heritage', name: 'Tượng đài Chiến thắng Điện Biên Phủ' },
  { query: 'benh vien da khoa', kind: 'facility', name: 'Bệnh viện Đa khoa tỉnh Điện Biên' },
  { query: 'tram y te muong phang', kind: 'facility', name: 'Trạm Y tế xã Mường Phăng' },
  { query: 'trung tam y te tuan giao', kind: 'facility', name: 'Trung tâm Y tế Tuần Giáo' },
  { query: 'dat y te', kind: 'planning_zone', name: 'Đất y tế YT-01' },
  { query: 'vo nguyen giap', kind: 'street', name: 'Đường Võ Nguyên Giáp' },
  { query: 'Võ Nguyên Giáp', kind: 'street', name: 'Đường Võ Nguyên Giáp' },
  { query: 'vo nguyen giapp', kind: 'street', name: 'Đường Võ Nguyên Giáp' },
  { query: 'truong chinh', kind: 'street', name: 'Đường Trường Chinh' },
  { query: 'ban him lam', kind: 'place', name: 'Bản Him Lam' },
];

describe('GET /api/search: ranking and diacritic folding on the named fixture list', () => {
  it.each(firstResultFixtures)('"$query" finds the $kind "$name" first', async ({ query, kind, name }) => {
    const [first] = await results(q(query));
    expect(first, query).toMatchObject({ kind, name });
  });

  it('gives each result its commune (as /api/locate finds it at the point), a point, and a bbox for areas and streets', async () => {
    const [museum] = await results(q('bao tang chien thang'));
    expect(museum?.bbox).toBeNull();
    expect(museum?.distanceM).toBeNull();
    const located = await (await fetch(`${server.baseUrl}/api/locate?lon=${museum?.point[0]}&lat=${museum?.point[1]}`)).json();
    expect(museum?.commune).toEqual({ code: located.commune.code, name: located.commune.name });

    const [ward] = await results(q('phuong muong thanh'));
    expect(ward?.commune?.name).toBe('Phường Mường Thanh');
    const [west, south, east, north] = ward?.bbox ?? [];
    expect(west).toBeLessThan(ward!.point[0]);
    expect(east).toBeGreaterThan(ward!.point[0]);
    expect(south).toBeLessThan(ward!.point[1]);
    expect(north).toBeGreaterThan(ward!.point[1]);
  });

  it('merges the pieces of a street into one result per commune, with the bbox of all of them', async () => {
    const streets = (await results(q('vo nguyen giap'))).filter((result) => result.kind === 'street');
    expect(streets).toHaveLength(1);
    expect(streets[0]?.bbox).toEqual([103.01, 21.386, 103.02, 21.388]);
    expect(streets[0]?.commune).not.toBeNull();
  });

  it('puts the nearer of two equal names first when lon/lat are given, with its distance', async () => {
    const nearCentre = (await results(`${q('cho trung tam')}&lon=${CITY_CENTRE.lon}&lat=${CITY_CENTRE.lat}`)).filter((result) => result.kind === 'poi');
    const nearEast = (await results(`${q('cho trung tam')}&lon=${EAST_OF_CITY.lon}&lat=${EAST_OF_CITY.lat}`)).filter((result) => result.kind === 'poi');
    expect(nearCentre).toHaveLength(2);
    expect(nearCentre[0]?.point).toEqual([CITY_CENTRE.lon, CITY_CENTRE.lat]);
    expect(nearCentre[0]?.distanceM).toBe(0);
    expect(nearCentre[1]?.distanceM).toBeGreaterThan(2_500);
    expect(nearEast[0]?.point).toEqual([EAST_OF_CITY.lon, EAST_OF_CITY.lat]);
  });

  it('never lets nearness put a poor match before a good one', async () => {
    // Far from the museum, next to the ward's other sites: the museum still comes first.
    const [first] = await results(`${q('bao tang chien thang')}&lon=103.5&lat=22.0`);
    expect(first?.name).toBe('Bảo tàng Chiến thắng lịch sử Điện Biên Phủ');
  });

  it('returns at most limit results (default 10)', async () => {
    expect(await results(q('xa'))).toHaveLength(10);
    expect(await results(`${q('xa')}&limit=3`)).toHaveLength(3);
    expect((await results(`${q('xa')}&limit=50`)).length).toBeGreaterThan(10);
  });

  it('finds nothing, without an error, for a text no name is like', async () => {
    expect(await results(q('zzqxw'))).toEqual([]);
    expect(await results(q('%_\\'))).toEqual([]);
  });
});

describe('GET /api/search: bad input is a 400 that names the parameter, in both languages', () => {
  const badQueries: Array<{ what: string; query: string; parameter: string }> = [
    { what: 'no q', query: 'limit=5', parameter: 'q' },
    { what: 'an empty q', query: 'q=', parameter: 'q' },
    { what: 'a q of only spaces', query: `q=${encodeURIComponent('   \t ')}`, parameter: 'q' },
    { what: 'a q of 201 characters', query: q('a'.repeat(201)), parameter: 'q' },
    { what: 'a q of 500 characters', query: q('Mường '.repeat(84).slice(0, 500)), parameter: 'q' },
    { what: 'q given twice', query: 'q=a&q=b', parameter: 'q' },
    { what: 'a limit over 50', query: `${q('xa')}&limit=51`, parameter: 'limit' },
    { what: 'a limit of 0', query: `${q('xa')}&limit=0`, parameter: 'limit' },
    { what: 'a fractional limit', query: `${q('xa')}&limit=2.5`, parameter: 'limit' },
    { what: 'a limit that is not a number', query: `${q('xa')}&limit=ten`, parameter: 'limit' },
    { what: 'a longitude out of range', query: `${q('xa')}&lon=200&lat=21.4`, parameter: 'lon' },
    { what: 'a latitude out of range', query: `${q('xa')}&lon=103&lat=95`, parameter: 'lat' },
    { what: 'a longitude that is not a number', query: `${q('xa')}&lon=east&lat=21.4`, parameter: 'lon' },
    { what: 'lon without lat', query: `${q('xa')}&lon=103`, parameter: 'lon' },
    { what: 'lat without lon', query: `${q('xa')}&lat=21.4`, parameter: 'lon' },
  ];
  it.each(badQueries)('refuses $what', async ({ query, parameter }) => {
    const { status, body } = await search(query);
    expect(status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toMatch(/^Invalid query: /);
    expect(body.error.messageVi).toMatch(/^Dữ liệu gửi lên không hợp lệ/);
    expect(body.error.details.map((detail: { parameter: string }) => detail.parameter)).toContain(parameter);
  });

  it('accepts 200 characters', async () => {
    expect(await results(q('a'.repeat(200)))).toEqual([]);
  });
});

// Last: an import replaces every base map row, the ones inserted above included.
describe.skipIf(spawnSync('osmium', ['--version']).status !== 0 && process.env.CI !== 'true')('GET /api/search over the base map the importer wrote (the project OSM fixture)', () => {
  beforeAll(async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bandoso-search-osm-'));
    try {
      fs.writeFileSync(path.join(folder, 'fixture.osm'), buildOsmFixture());
      const converted = spawnSync('osmium', ['cat', '--overwrite', '--no-progress', path.join(folder, 'fixture.osm'), '-o', path.join(folder, 'fixture.osm.pbf')], { encoding: 'utf8' });
      expect(converted.status, converted.stderr).toBe(0);
      const report = await importBasemap(database.db, { file: path.join(folder, 'fixture.osm.pbf'), clip: { kind: 'province' } });
      expect(report.status, report.problem).toBe('imported');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);

  it.each([
    { query: 'vo nguyen giap', kind: 'street', name: osmFixtureNames.mainStreet },
    { query: 'hoang van thai', kind: 'street', name: osmFixtureNames.secondStreet },
    { query: 'nguyen chi thnah', kind: 'street', name: osmFixtureNames.eastStreet },
    { query: 'ban him lam', kind: 'place', name: osmFixtureNames.village },
    { query: 'truong chuyen le quy don', kind: 'poi', name: osmFixtureNames.school },
  ] as const)('"$query" finds the imported $kind "$name" first', async ({ query, kind, name }) => {
    const [first] = await results(q(query));
    expect(first).toMatchObject({ kind, name });
    expect(first?.commune).not.toBeNull();
  });

  it('answers one result per street name and commune, however many ways the street was drawn with', async () => {
    const streets = (await results(`${q(osmFixtureNames.mainStreet)}&limit=50`)).filter((result) => result.kind === 'street' && result.name === osmFixtureNames.mainStreet);
    expect(streets.length).toBeGreaterThan(0);
    const communes = streets.map((street) => street.commune?.code ?? null);
    expect(new Set(communes).size).toBe(communes.length);
    for (const street of streets) expect(street.bbox).not.toBeNull();
  });

  it('ranks the heritage site before the base map point of the same name (the platform’s own record first)', async () => {
    const museums = (await results(q('bao tang chien thang'))).filter((result) => result.name === osmFixtureNames.museum);
    expect(museums[0]?.kind).toBe('heritage');
  });
});
