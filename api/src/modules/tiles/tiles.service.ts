import type { Logger } from 'pino';
import {
  buildTileJson,
  findLayer,
  listLayers,
  TileServer,
  type LayerDefinition,
  type LayerParameters,
  type LonLatBounds,
  type TileAddress,
  type TileJson,
  type TileResponse,
} from '@bandoso/tiles';
import type { DatabaseHandle } from '../../db/database.ts';
import { readPublic } from '../../db/replica.ts';
import { AppError } from '../../errors/app-error.ts';
import { findBoundarySetByName, findLatestBoundarySetStartingBy, type BoundarySetRow } from '../boundaries/boundaries.service.ts';
import { administrativeDate } from '../boundaries/boundaries.service.ts';
import { findLayerExtent, hasBasemapImport } from './tiles.repository.ts';

// The extent of a layer's features, for TileJSON and OGC API collections.
export { findLayerExtent } from './tiles.repository.ts';
import type { LayerQuery } from './tiles.schema.ts';

/** Roughly Điện Biên: what TileJSON says while a layer has no data yet. */
const FALLBACK_BOUNDS: LonLatBounds = [102.1, 20.9, 103.6, 22.5];

export interface TilesServiceOptions {
  /** Byte budget of the tile cache (default 64 MiB). */
  cacheBytes?: number;
}

/**
 * Tiles for the HTTP layer: resolves a layer's parameters (the boundary set in force), serves tiles
 * through the cached `TileServer`, and describes layers (catalog, TileJSON). The OGC API module
 * uses the same instance, so both share one cache.
 */
export class TilesService {
  readonly server: TileServer;
  readonly #database: DatabaseHandle;
  readonly #logger: Logger;
  /** Boundary sets by name, and the set in force by day; forgotten on any boundary change. */
  readonly #sets = new Map<string, Promise<BoundarySetRow | undefined>>();
  #listening: Promise<void> | undefined;
  /** Tiles answered from the cache, and built (or joined while being built): read by /metrics. */
  readonly served = { hits: 0, misses: 0 };

  constructor(database: DatabaseHandle, logger: Logger, options: TilesServiceOptions = {}) {
    this.#database = database;
    this.#logger = logger;
    this.server = new TileServer(database.db, {
      backend: database.backend,
      // Tile misses go to the read replica when it has replayed every write before the request.
      ...(database.replica ? { replica: database.replica } : {}),
      ...(options.cacheBytes ? { cacheBytes: options.cacheBytes } : {}),
      onChange: (source) => {
        if (source === 'boundary_set' || source === 'admin_unit') this.#sets.clear();
      },
      onMissedNotification: (source, expected, heard) =>
        logger.warn({ source, expected, heard }, 'tile cache: change notifications missing, dropped the layer from the cache'),
    });
    // Public reads on the replica first prove, with this version check, that every change committed before them was heard.
    database.replica?.useChangeCheck(() => this.server.tracker.ensureCurrent());
  }

  /** Subscribes to change notifications (once; later calls share the subscription). */
  start(): Promise<void> {
    this.#listening ??= this.server.listen((handlers) => this.#database.listen('data_changed', handlers)).catch((error: unknown) => {
      // Without notifications the cache still never serves stale tiles (the version check drops
      // whole layers), it only invalidates more than it needs to.
      this.#logger.error({ err: error }, 'tile cache: could not subscribe to data_changed');
    });
    return this.#listening;
  }

  async close(): Promise<void> {
    await this.#listening;
    await this.server.close();
  }

  layers(): readonly LayerDefinition[] {
    return listLayers();
  }

  /** The layer, or 404. */
  layer(id: string): LayerDefinition {
    const layer = findLayer(id);
    if (!layer) {
      throw new AppError('NOT_FOUND', `No layer ${JSON.stringify(id)}. Layers: ${listLayers().map((item) => item.id).join(', ')}.`, {
        vi: `Không có lớp bản đồ ${JSON.stringify(id)}.`,
      });
    }
    return layer;
  }

  /** Parameters for the layer's SQL, and their canonical text (part of cache keys and URLs). */
  async resolveParameters(layer: LayerDefinition, query: LayerQuery): Promise<{ parameters: LayerParameters; variant: string }> {
    const parts = Object.entries(query.filters)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name}=${Array.isArray(value) ? value.join(',') : String(value)}`)
      .sort();
    if (!layer.usesBoundarySet) return { parameters: { filters: query.filters }, variant: parts.join('&') };
    const set = await this.#boundarySet(query.set);
    parts.push(`set=${set.id}`);
    return { parameters: { filters: query.filters, boundarySetId: set.id }, variant: parts.join('&') };
  }

  async #boundarySet(name: string | undefined): Promise<BoundarySetRow> {
    const today = administrativeDate(undefined);
    const key = name === undefined ? `in-force:${today}` : `name:${name}`;
    let lookup = this.#sets.get(key);
    if (!lookup) {
      lookup = name === undefined ? findLatestBoundarySetStartingBy(this.#database.db, today) : findBoundarySetByName(this.#database.db, name);
      this.#sets.set(key, lookup);
      lookup.catch(() => this.#sets.delete(key));
    }
    const set = await lookup;
    if (name !== undefined && !set) {
      throw new AppError('NOT_FOUND', `No boundary set named ${JSON.stringify(name)}.`, { vi: `Không có bộ ranh giới ${JSON.stringify(name)}.` });
    }
    if (!set || (name === undefined && set.valid_to !== null && set.valid_to < today)) {
      throw new AppError('NO_BOUNDARY_SET', `No boundary set is in force on ${today}.`, { vi: `Không có bộ ranh giới hành chính nào có hiệu lực vào ngày ${today}.` });
    }
    return set;
  }

  /** One tile, current as of the moment of the call. */
  async tile(layer: LayerDefinition, tile: TileAddress, query: LayerQuery): Promise<TileResponse> {
    // Only boundary layers read memoised state (the boundary set in force) to build the request.
    const answer = await this.server.getTile(async () => {
      const { parameters, variant } = await this.resolveParameters(layer, query);
      return { layer, tile, parameters, variant };
    }, layer.usesBoundarySet);
    if (answer.cached) this.served.hits += 1;
    else this.served.misses += 1;
    return answer;
  }

  async bounds(layer: LayerDefinition, parameters: LayerParameters): Promise<LonLatBounds> {
    const extent = await readPublic(this.#database.db, (db) => findLayerExtent(db, layer, parameters));
    return extent.bbox ?? FALLBACK_BOUNDS;
  }

  /** TileJSON 3.0.0 of a layer; the tiles URL carries the same filters. */
  async tileJson(layer: LayerDefinition, query: LayerQuery, baseUrl: string): Promise<TileJson> {
    await this.server.tracker.ensureCurrent();
    const { parameters } = await this.resolveParameters(layer, query);
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query.filters)) if (value !== undefined) search.set(name, Array.isArray(value) ? value.join(',') : String(value));
    if (query.set) search.set('set', query.set);
    const suffix = search.size > 0 ? `?${search.toString().replaceAll('%2C', ',')}` : '';
    return buildTileJson(layer, `${baseUrl}/tiles/${layer.id}/{z}/{x}/{y}.mvt${suffix}`, await this.bounds(layer, parameters));
  }

  /**
   * The layers a map should offer: the base map's only once one was imported, so that a deployment
   * without one keeps today's map and shows no OpenStreetMap attribution for empty layers. When the
   * database cannot say (an outage), every layer: the catalog stays servable, and empty tiles are harmless.
   */
  async offeredLayers() {
    let basemap = true;
    try {
      basemap = await hasBasemapImport(this.#database.db);
    } catch {
      // The database is away: see above.
    }
    return listLayers().filter((layer) => basemap || !layer.id.startsWith('basemap-'));
  }

  catalog(baseUrl: string, layers = listLayers()) {
    return {
      layers: layers.map((layer) => ({
        id: layer.id,
        title: layer.title,
        description: layer.description,
        geometryType: layer.geometryType,
        minzoom: layer.minzoom,
        maxzoom: layer.maxzoom,
        parameters: [...layer.filters.map((filter) => ({ name: filter.name, description: filter.description })), ...(layer.usesBoundarySet ? [{ name: 'set', description: 'A boundary set by name (default: the set in force today)' }] : [])],
        tilejson: `${baseUrl}/tiles/${layer.id}.json`,
        tiles: `${baseUrl}/tiles/${layer.id}/{z}/{x}/{y}.mvt`,
      })),
    };
  }
}
