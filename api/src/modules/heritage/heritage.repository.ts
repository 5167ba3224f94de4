import { sql } from 'kysely';
import type { DatabaseExecutor, HeritageRank, HeritageTilesetSource } from '../../db/database-schema.ts';

/** A heritage site as the heritage module reads it: what it says, where it is, and its tileset. */
export interface HeritageSiteRow {
  id: string;
  code: string;
  name_vi: string;
  name_en: string;
  rank: HeritageRank;
  description_vi: string;
  description_en: string;
  opening_hours: string | null;
  lon: number;
  lat: number;
  tileset_source: HeritageTilesetSource | null;
  tileset_version: string | null;
  tileset_illustrative: boolean;
  tileset_folder: string | null;
  stop_count: number;
}

const siteColumns = [
  'f.id',
  'f.code',
  'f.name_vi',
  'f.name_en',
  'f.rank',
  'f.description_vi',
  'f.description_en',
  'f.opening_hours',
  sql<number>`ST_X(f.location)`.as('lon'),
  sql<number>`ST_Y(f.location)`.as('lat'),
  'f.tileset_source',
  'f.tileset_version',
  'f.tileset_illustrative',
  'f.tileset_folder',
  sql<number>`(SELECT count(*) FROM heritage_stop s WHERE s.site_id = f.id)::int`.as('stop_count'),
] as const;

/** Every site: those with a tileset first, then by name (folded, so that diacritics do not decide the order). */
export async function listSites(db: DatabaseExecutor): Promise<HeritageSiteRow[]> {
  return db
    .selectFrom('heritage_site as f')
    .select(siteColumns)
    .orderBy(sql`f.tileset_version IS NULL`)
    .orderBy('f.name_folded')
    .orderBy('f.code')
    .execute();
}

export async function findSite(db: DatabaseExecutor, code: string): Promise<HeritageSiteRow | undefined> {
  return db.selectFrom('heritage_site as f').select(siteColumns).where('f.code', '=', code).executeTakeFirst();
}

/** The site's row, locked until the transaction ends (its tour or tileset is about to change). */
export async function lockSite(db: DatabaseExecutor, code: string): Promise<HeritageSiteRow | undefined> {
  return db.selectFrom('heritage_site as f').select(siteColumns).where('f.code', '=', code).forUpdate().executeTakeFirst();
}

/** A few site codes, to name in a "no such site" message. */
export async function listSiteCodes(db: DatabaseExecutor, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('heritage_site').select('code').orderBy('code').limit(limit).execute();
  return rows.map((row) => row.code);
}

export interface StopRow {
  ordinal: number;
  title_vi: string;
  title_en: string;
  narration_vi: string;
  narration_en: string;
  camera_east: number;
  camera_north: number;
  camera_up: number;
  target_east: number;
  target_north: number;
  target_up: number;
}

export async function listStops(db: DatabaseExecutor, siteId: string): Promise<StopRow[]> {
  return db
    .selectFrom('heritage_stop')
    .select(['ordinal', 'title_vi', 'title_en', 'narration_vi', 'narration_en', 'camera_east', 'camera_north', 'camera_up', 'target_east', 'target_north', 'target_up'])
    .where('site_id', '=', siteId)
    .orderBy('ordinal')
    .execute();
}

/** Replaces the site's tour with these stops (call it in a transaction). */
export async function replaceStops(db: DatabaseExecutor, siteId: string, stops: readonly StopRow[]): Promise<void> {
  await db.deleteFrom('heritage_stop').where('site_id', '=', siteId).execute();
  if (stops.length === 0) return;
  await db
    .insertInto('heritage_stop')
    .values(stops.map((stop) => ({ site_id: siteId, ...stop })))
    .execute();
}

/**
 * Gives these sites their generated tilesets (illustrative), unless a site has an imported one: a
 * surveyed tileset is never replaced by a reconstruction. Answers the codes it changed.
 */
export async function adoptGeneratedTilesets(db: DatabaseExecutor, builds: ReadonlyArray<{ code: string; version: string }>): Promise<string[]> {
  const changed: string[] = [];
  for (const build of builds) {
    const result = await db
      .updateTable('heritage_site')
      .set({ tileset_source: 'generated', tileset_version: build.version, tileset_illustrative: true, tileset_folder: null, updated_at: sql<Date>`now()` })
      .where('code', '=', build.code)
      .where((where) => where.or([where('tileset_source', 'is', null), where('tileset_source', '=', 'generated')]))
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) changed.push(build.code);
  }
  return changed;
}

/**
 * Brings the versions of the sites that show a generated tileset in line with what was built: a
 * new build's version, or none when the generator no longer builds the site. Rows already right are
 * not written (a write would drop their cached tiles). Answers the codes it changed.
 */
export async function syncGeneratedVersions(db: DatabaseExecutor, builds: ReadonlyArray<{ code: string; version: string }>): Promise<string[]> {
  const changed: string[] = [];
  for (const build of builds) {
    const result = await db
      .updateTable('heritage_site')
      .set({ tileset_version: build.version, updated_at: sql<Date>`now()` })
      .where('code', '=', build.code)
      .where('tileset_source', '=', 'generated')
      .where('tileset_version', 'is distinct from', build.version)
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) changed.push(build.code);
  }
  const built = builds.map((build) => build.code).join(',');
  const orphaned = await db
    .updateTable('heritage_site')
    .set({ tileset_version: null, updated_at: sql<Date>`now()` })
    .where('tileset_source', '=', 'generated')
    .where('tileset_version', 'is not', null)
    .where(sql<boolean>`NOT (code = ANY(string_to_array(${built}::text, ',')))`)
    .returning('code')
    .execute();
  return [...changed, ...orphaned.map((row) => row.code)];
}

/** Points the site at an imported tileset (in the media folder). */
export async function setImportedTileset(db: DatabaseExecutor, siteId: string, tileset: { version: string; folder: string; illustrative: boolean }): Promise<void> {
  await db
    .updateTable('heritage_site')
    .set({ tileset_source: 'imported', tileset_version: tileset.version, tileset_folder: tileset.folder, tileset_illustrative: tileset.illustrative, updated_at: sql<Date>`now()` })
    .where('id', '=', siteId)
    .execute();
}

/** Points the site at its generated tileset (an illustrative reconstruction). */
export async function setGeneratedTileset(db: DatabaseExecutor, siteId: string, version: string): Promise<void> {
  await db
    .updateTable('heritage_site')
    .set({ tileset_source: 'generated', tileset_version: version, tileset_folder: null, tileset_illustrative: true, updated_at: sql<Date>`now()` })
    .where('id', '=', siteId)
    .execute();
}
