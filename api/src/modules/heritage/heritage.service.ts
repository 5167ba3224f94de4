import fs from 'node:fs/promises';
import path from 'node:path';
import type { HeritageSite, HeritageSiteList, HeritageSiteSummary, HeritageStop, HeritageTileset } from '@bandoso/contracts';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { builtVersion, generatedTilesets, type GeneratedTilesets } from './generated-tilesets.ts';
import { unknownSiteError } from './heritage-errors.ts';
import { replaceSiteTour } from './heritage-tours.service.ts';
import * as repository from './heritage.repository.ts';
import type { HeritageSiteRow, StopRow } from './heritage.repository.ts';
import type { StopInput } from './heritage.schema.ts';
import { horizontalDistanceMetres, rootOriginEcef } from './tileset-placement.ts';
import { TilesetFileReader, type TilesetFile } from './tileset-files.ts';

/**
 * Heritage sites in 3D: the list and one site's tour (`GET /api/heritage`, `/api/heritage/{code}`),
 * an admin's edit of a tour, and the files of the sites' 3D Tiles tilesets
 * (`/heritage/tilesets/{code}/{version}/…`). The answers' shapes are @bandoso/contracts'
 * heritage.contract.ts.
 *
 * A tileset's address holds its version, a hash of its content, so its files never change and may be
 * cached for a year. Generated tilesets (illustrative reconstructions, `npm run heritage:build`) are
 * built, or found up to date, once per process; the database then learns their versions, which the
 * OGC API and the tiles read. Imported ones (`npm run import -- heritage-tileset`) live in the media
 * folder, under `heritage/<code>/<version>/`.
 */

/** The folder of an imported tileset, relative to the media folder (the shape migration 0010 allows). */
export function importedTilesetFolder(code: string, version: string): string {
  return `heritage/${code}/${version}`;
}
const IMPORTED_FOLDER = /^heritage\/[A-Za-z0-9_-]{1,64}\/[0-9a-f]{8,64}$/;

/** The address of a tileset's root document. */
export function tilesetUrl(origin: string, code: string, version: string): string {
  return `${origin}/heritage/tilesets/${encodeURIComponent(code)}/${version}/tileset.json`;
}

function toStop(row: StopRow): HeritageStop {
  return {
    ordinal: row.ordinal,
    title: { vi: row.title_vi, en: row.title_en },
    narration: { vi: row.narration_vi, en: row.narration_en },
    camera: { position: [row.camera_east, row.camera_north, row.camera_up], target: [row.target_east, row.target_north, row.target_up] },
  };
}

/**
 * Gives the sites the generator builds their tilesets (illustrative reconstructions), building them
 * first if they are not up to date; a site with an imported tileset keeps it. Sample data loading.
 */
export async function adoptGeneratedTilesets(db: Kysely<Database>): Promise<string[]> {
  const built = await generatedTilesets();
  return repository.adoptGeneratedTilesets(db, Object.entries(built.sites).map(([code, site]) => ({ code, version: site.version })));
}

/** Points a site at a tileset imported into the media folder (its files already in place). */
export async function useImportedTileset(db: Kysely<Database>, code: string, tileset: { version: string; illustrative: boolean }): Promise<void> {
  await db.transaction().execute(async (transaction) => {
    const site = await repository.lockSite(transaction, code);
    if (!site) throw await unknownSiteError(transaction, code);
    await repository.setImportedTileset(transaction, site.id, { version: tileset.version, folder: importedTilesetFolder(code, tileset.version), illustrative: tileset.illustrative });
  });
}

/**
 * Points a site at its generated tileset again (after an import, or on a database loaded before the
 * generator existed). Answers its version; refused when the generator does not model the site.
 */
export async function useGeneratedTileset(db: Kysely<Database>, code: string): Promise<string> {
  const built = await generatedTilesets();
  const build = built.sites[code];
  if (!build) {
    const modelled = Object.keys(built.sites).join(', ');
    throw new AppError('NOT_FOUND', `The generator does not model ${code}; it models ${modelled}.`, { vi: `Chương trình dựng mô hình không có di tích ${code}; chỉ có ${modelled}.` });
  }
  await db.transaction().execute(async (transaction) => {
    const site = await repository.lockSite(transaction, code);
    if (!site) throw await unknownSiteError(transaction, code);
    await repository.setGeneratedTileset(transaction, site.id, build.version);
  });
  return build.version;
}

/** A site's point and current tileset, for the importer's checks and messages. */
export async function findSiteForImport(db: Kysely<Database>, code: string): Promise<{ lon: number; lat: number; tileset: { source: string; version: string } | null }> {
  const site = await repository.findSite(db, code);
  if (!site) throw await unknownSiteError(db, code);
  return { lon: site.lon, lat: site.lat, tileset: site.tileset_source && site.tileset_version ? { source: site.tileset_source, version: site.tileset_version } : null };
}

export interface HeritageServiceOptions {
  /** The media folder; imported tilesets are under its `heritage/`. */
  mediaDir: string;
  logger: Logger;
}

/** What the running app keeps for heritage: the generated tilesets of this process, and the file reader. */
export class HeritageService {
  readonly #db: Kysely<Database>;
  readonly #mediaDir: string;
  readonly #logger: Logger;
  readonly #files = new TilesetFileReader();
  #builds: GeneratedTilesets | null | undefined;
  #built: Promise<void> | undefined;
  #synchronised: Promise<void> | undefined;
  #closed = false;

  constructor(db: Kysely<Database>, options: HeritageServiceOptions) {
    this.#db = db;
    this.#mediaDir = options.mediaDir;
    this.#logger = options.logger;
  }

  /**
   * Starts making sure the generated tilesets are built and the database knows their versions. It
   * runs in the background: start-up does not wait for it, heritage requests do. Building is once per
   * process (and quick when up to date), so the many servers of a test run do not each pay for it.
   */
  start(): void {
    this.#built ??= generatedTilesets((line) => (line.includes('up to date') ? this.#logger.debug(line) : this.#logger.info(line)))
      .then((builds) => {
        this.#builds = builds;
      })
      .catch((error: unknown) => {
        this.#builds = null;
        this.#logger.error({ err: error }, 'the generated heritage tilesets could not be built: they are not served (run npm run heritage:build to see why)');
      });
  }

  /** Waits for the generated tilesets and, once per app (again after a failure), writes their versions. */
  async #ready(): Promise<void> {
    this.start();
    await this.#built;
    if (this.#builds && !this.#closed) {
      this.#synchronised ??= this.#synchronise(this.#builds).catch((error: unknown) => {
        this.#synchronised = undefined;
        throw error;
      });
      await this.#synchronised;
    }
  }

  async #synchronise(builds: GeneratedTilesets): Promise<void> {
    const changed = await repository.syncGeneratedVersions(
      this.#db,
      Object.entries(builds.sites).map(([code, site]) => ({ code, version: site.version })),
    );
    if (changed.length > 0) this.#logger.info({ sites: changed }, 'generated heritage tilesets: new versions recorded');
    // The generator places a site where the sample data puts it; say so when the database moved it.
    for (const site of await repository.listSites(this.#db)) {
      const build = builds.sites[site.code];
      if (site.tileset_source !== 'generated' || !build) continue;
      try {
        const origin = rootOriginEcef(JSON.parse(await fs.readFile(path.join(build.folder, 'tileset.json'), 'utf8')));
        const offset = origin ? horizontalDistanceMetres(origin, site.lon, site.lat) : 0;
        if (offset > 1) this.#logger.warn({ site: site.code, offsetM: Math.round(offset) }, 'a generated heritage tileset stands away from the site’s point in the database: update gis-data/sample/heritage-sites.geojson and rebuild');
      } catch (error) {
        this.#logger.warn({ err: error, site: site.code }, 'could not read a generated heritage tileset');
      }
    }
  }

  /** Stops writing to the database (the build, shared by the process, may go on). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#synchronised?.catch(() => {});
  }

  async list(origin: string): Promise<HeritageSiteList> {
    await this.#ready();
    const rows = await repository.listSites(this.#db);
    const sites = rows.map((row): HeritageSiteSummary => ({
      code: row.code,
      name: { vi: row.name_vi, en: row.name_en },
      rank: row.rank,
      position: [row.lon, row.lat],
      tileset: this.#tileset(row, origin),
      stops: row.stop_count,
    }));
    // Servable tilesets first (the database's order, corrected where a generated one is not built here).
    return { sites: [...sites.filter((site) => site.tileset), ...sites.filter((site) => !site.tileset)] };
  }

  async site(origin: string, code: string): Promise<HeritageSite> {
    await this.#ready();
    const row = await repository.findSite(this.#db, code);
    if (!row) throw await unknownSiteError(this.#db, code);
    const stops = await repository.listStops(this.#db, row.id);
    return {
      code: row.code,
      name: { vi: row.name_vi, en: row.name_en },
      rank: row.rank,
      description: { vi: row.description_vi, en: row.description_en },
      openingHours: row.opening_hours,
      position: [row.lon, row.lat],
      tileset: this.#tileset(row, origin),
      stops: stops.map(toStop),
    };
  }

  async replaceTour(origin: string, code: string, stops: readonly StopInput[]): Promise<HeritageSite> {
    await replaceSiteTour(this.#db, code, stops);
    return this.site(origin, code);
  }

  /** A file of a site's current tileset; 404 for any other version, path or site. */
  async tilesetFile(code: string, version: string, segments: readonly string[]): Promise<TilesetFile> {
    await this.#ready();
    const row = await repository.findSite(this.#db, code);
    let root = row && row.tileset_version === version ? this.#folder(row) : undefined;
    if (root && row!.tileset_source === 'generated' && (await builtVersion(root)) !== version) {
      this.#logger.warn({ site: code, version }, 'the generated heritage tileset was rebuilt while the server runs: restart it to serve the new build');
      root = undefined;
    }
    const file = root ? await this.#files.file(root, segments) : undefined;
    if (!file) {
      const current = row?.tileset_version && this.#folder(row) ? ` The current version of ${code} is ${row.tileset_version}.` : '';
      throw new AppError('NOT_FOUND', `No file ${segments.join('/').slice(0, 200)} in version ${version} of the tileset of ${code}.${current}`, {
        vi: `Không có tệp ${segments.join('/').slice(0, 200)} trong phiên bản ${version} của mô hình 3D di tích ${code}.${current ? ` Phiên bản hiện hành là ${row!.tileset_version}.` : ''}`,
      });
    }
    return file;
  }

  /** The folder a site's current tileset is served from, if this process can serve it. */
  #folder(row: HeritageSiteRow): string | undefined {
    if (!row.tileset_version) return undefined;
    if (row.tileset_source === 'imported') {
      if (!row.tileset_folder || !IMPORTED_FOLDER.test(row.tileset_folder)) return undefined;
      return path.join(this.#mediaDir, ...row.tileset_folder.split('/'));
    }
    if (row.tileset_source === 'generated') {
      const build = this.#builds?.sites[row.code];
      return build && build.version === row.tileset_version ? build.folder : undefined;
    }
    return undefined;
  }

  #tileset(row: HeritageSiteRow, origin: string): HeritageTileset | null {
    if (!row.tileset_source || !row.tileset_version || !this.#folder(row)) return null;
    return { url: tilesetUrl(origin, row.code, row.tileset_version), source: row.tileset_source, illustrative: row.tileset_illustrative, version: row.tileset_version };
  }
}
