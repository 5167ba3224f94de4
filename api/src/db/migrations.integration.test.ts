import { sql, NO_MIGRATIONS } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator, migrateToLatest, migrations } from '@bandoso/migrations';
import { createTestDatabase, type TestDatabase } from '../testing/index.ts';

const referenceTables = ['admin_unit', 'boundary_set', 'camera', 'emergency_facility', 'heritage_site', 'office', 'office_coverage', 'planning_zone'];

async function publicTables(database: TestDatabase): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'kysely_%' AND table_name <> 'spatial_ref_sys'
    ORDER BY table_name`.execute(database.db);
  return result.rows.map((row) => row.table_name);
}

describe('migrations on an empty database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
  });
  afterAll(() => database.close());

  // Every migration up, down and up again: on PGlite that is minutes of single-threaded work (126 s seen on a loaded CI machine).
  it('go up, all the way down, and up again', { timeout: 300_000 }, async () => {
    const first = await migrateToLatest(database.db);
    expect(first.results?.map((result) => result.migrationName)).toEqual(Object.keys(migrations));
    expect(await publicTables(database)).toEqual(expect.arrayContaining(referenceTables));

    const down = await createMigrator(database.db).migrateTo(NO_MIGRATIONS);
    expect(down.error).toBeUndefined();
    expect(await publicTables(database)).toEqual([]);
    const postgis = await sql<{ count: number }>`SELECT count(*)::int AS count FROM pg_extension WHERE extname = 'postgis'`.execute(database.db);
    expect(postgis.rows[0]?.count).toBe(0);

    const again = await migrateToLatest(database.db);
    expect(again.results?.every((result) => result.status === 'Success')).toBe(true);
    expect(await publicTables(database)).toEqual(expect.arrayContaining(referenceTables));
  });

  it('declares every geometry column with SRID 4326, a type and a GiST index', async () => {
    const columns = await sql<{ table: string; column: string; srid: number; type: string }>`
      SELECT f_table_name AS table, f_geometry_column AS column, srid, type FROM geometry_columns
      WHERE f_table_schema = 'public' ORDER BY 1, 2`.execute(database.db);
    expect(columns.rows.length).toBeGreaterThanOrEqual(8);
    for (const column of columns.rows) {
      expect(column.srid, `${column.table}.${column.column}`).toBe(4326);
      expect(column.type, `${column.table}.${column.column}`).not.toBe('GEOMETRY');
    }
    const indexes = await sql<{ definition: string }>`SELECT indexdef AS definition FROM pg_indexes WHERE schemaname = 'public'`.execute(database.db);
    for (const column of columns.rows) {
      const indexed = indexes.rows.some((index) => index.definition.includes(`ON public.${column.table} USING gist (${column.column})`));
      expect(indexed, `GiST index on ${column.table}.${column.column}`).toBe(true);
    }
  });

  it('refuses invalid, empty and wrongly referenced geometries', async () => {
    const set = await database.db
      .insertInto('boundary_set')
      .values({ name: 'constraint-test', valid_from: '2030-01-01' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const insertUnit = (geometry: string, srid = 4326) =>
      database.db
        .insertInto('admin_unit')
        .values({
          boundary_set_id: set.id,
          code: `T${Math.random()}`,
          name: 'test',
          name_folded: 'test',
          level: 'commune',
          geom: sql<string>`ST_SetSRID(ST_GeomFromText(${geometry}), ${srid}::int)`,
        })
        .execute();
    await expect(insertUnit('MULTIPOLYGON(((103 21, 103.01 21.01, 103.01 21, 103 21.01, 103 21)))')).rejects.toThrow(/check constraint/);
    await expect(insertUnit('MULTIPOLYGON EMPTY')).rejects.toThrow(/check constraint/);
    await expect(insertUnit('MULTIPOLYGON(((103 21, 103.01 21, 103.01 21.01, 103 21)))', 3857)).rejects.toThrow(/SRID/);
    await expect(insertUnit('POINT(103 21)')).rejects.toThrow(/type/i);
    await expect(insertUnit('MULTIPOLYGON(((103 21, 103.01 21, 103.01 21.01, 103 21)))')).resolves.toBeDefined();
  });

  it('derives a camera field of view that matches its bearing, angle and range', async () => {
    await database.db
      .insertInto('camera')
      .values({
        code: 'CAM-TEST-FOV',
        name: 'test',
        location: sql<string>`ST_SetSRID(ST_MakePoint(103.0169, 21.3860), 4326)`,
        bearing_deg: 90,
        hfov_deg: 60,
        range_m: 200,
        stream_url: 'http://127.0.0.1/none.m3u8',
      })
      .execute();
    const fov = await sql<{ valid: boolean; area: number; east: boolean; north: boolean }>`
      SELECT ST_IsValid(fov) AS valid, ST_Area(fov::geography) AS area,
             ST_Covers(fov, ST_Project(location::geography, 150, radians(90))::geometry) AS east,
             ST_Covers(fov, ST_Project(location::geography, 150, radians(0))::geometry) AS north
      FROM camera WHERE code = 'CAM-TEST-FOV'`.execute(database.db);
    const row = fov.rows[0]!;
    expect(row.valid).toBe(true);
    // A 60° sector of radius 200 m: π·200²/6 ≈ 20 944 m² (the 16-segment arc is a little smaller).
    expect(row.area).toBeGreaterThan(20_500);
    expect(row.area).toBeLessThan(21_000);
    expect(row.east).toBe(true);
    expect(row.north).toBe(false);
  });
});
