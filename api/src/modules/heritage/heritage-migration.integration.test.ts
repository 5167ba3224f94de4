import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator } from '@bandoso/migrations';
import { createTestDatabase, type TestDatabase } from '../../testing/index.ts';

/**
 * Migration 0010 on a database that used 0002's free `tileset_url`: the value is kept in the site's
 * properties on the way up and put back on the way down; the new constraints hold.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ empty: true });
});
afterAll(() => database?.close());

describe('migration 0010-heritage-tours', () => {
  it('keeps a tileset_url a site had, up and down, and keeps tilesets and stops consistent', async () => {
    const migrator = createMigrator(database.db);
    expect((await migrator.migrateTo('0009-report-event-commit-order')).error).toBeUndefined();
    await sql`
      INSERT INTO heritage_site (code, name_vi, name_en, name_folded, rank, description_vi, description_en, tileset_url, location)
      VALUES ('T-1', 'Thử', 'Test', 'thu', 'provincial', 'Mô tả', 'Description', 'https://example.org/a1/tileset.json', ST_SetSRID(ST_MakePoint(103.02, 21.38), 4326))`.execute(database.db);

    expect((await migrator.migrateTo('0010-heritage-tours')).error).toBeUndefined();
    const up = await sql<{ properties: Record<string, unknown>; tileset_source: string | null }>`SELECT properties, tileset_source FROM heritage_site WHERE code = 'T-1'`.execute(database.db);
    expect(up.rows[0]).toEqual({ properties: { tileset_url: 'https://example.org/a1/tileset.json' }, tileset_source: null });

    const update = (set: string) => sql.raw(`UPDATE heritage_site SET ${set} WHERE code = 'T-1'`).execute(database.db);
    await expect(update(`tileset_source = 'imported', tileset_version = '0123456789abcdef'`)).rejects.toThrow(/heritage_site_tileset/);
    await expect(update(`tileset_source = 'imported', tileset_version = '0123456789abcdef', tileset_folder = 'heritage/OTHER/0123456789abcdef'`)).rejects.toThrow(/heritage_site_tileset/);
    await expect(update(`tileset_version = '0123456789abcdef'`)).rejects.toThrow(/heritage_site_tileset/);
    await expect(update(`tileset_source = 'generated', tileset_version = '../x'`)).rejects.toThrow(/check constraint/);
    await update(`tileset_source = 'imported', tileset_version = '0123456789abcdef', tileset_folder = 'heritage/T-1/0123456789abcdef'`);

    const stop = (ordinal: number, overrides = '') =>
      sql.raw(`
        INSERT INTO heritage_stop (site_id, ordinal, title_vi, title_en, narration_vi, narration_en, camera_east, camera_north, camera_up, target_east, target_north, target_up)
        SELECT id, ${ordinal}, 'Một', 'One', 'Lời', 'Words', ${overrides || '10, 20, 30'}, 0, 0, 0 FROM heritage_site WHERE code = 'T-1'`).execute(database.db);
    await stop(1);
    await expect(stop(1)).rejects.toThrow(/duplicate key|unique/i);
    await expect(stop(0)).rejects.toThrow(/check constraint/);
    await expect(stop(2, `'NaN', 0, 0`)).rejects.toThrow(/check constraint/);
    await expect(
      sql`INSERT INTO heritage_stop (site_id, ordinal, title_vi, title_en, narration_vi, narration_en, camera_east, camera_north, camera_up, target_east, target_north, target_up)
          SELECT id, 3, '  ', 'One', 'Lời', 'Words', 1, 1, 1, 0, 0, 0 FROM heritage_site WHERE code = 'T-1'`.execute(database.db),
    ).rejects.toThrow(/check constraint/);

    expect((await migrator.migrateTo('0009-report-event-commit-order')).error).toBeUndefined();
    const down = await sql<{ properties: Record<string, unknown>; tileset_url: string | null }>`SELECT properties, tileset_url FROM heritage_site WHERE code = 'T-1'`.execute(database.db);
    expect(down.rows[0]).toEqual({ properties: {}, tileset_url: 'https://example.org/a1/tileset.json' });
  });
});
