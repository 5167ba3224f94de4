import { fetchJson } from '../app/api-client.ts';

/** The tile layers the platform's contract names (tiles/ and api/src/modules/tiles). */
export const knownTileLayers = ['province', 'communes', 'commune-labels', 'planning-zones', 'heritage-sites', 'cameras', 'camera-fov', 'facilities', 'reports'] as const;
export type TileLayerId = (typeof knownTileLayers)[number];

/**
 * Which tile layers this platform serves, from `GET /tiles`. The catalog's exact shape belongs to the
 * tiles module; this reads the common ones (an array of layers or of ids, `{ layers: [...] }`, or an
 * object keyed by id) so that a layer the server lacks shows as "no data yet" instead of an error.
 * When the catalog cannot be read at all, every known layer is assumed (MapLibre reports the missing).
 */
export async function loadTileCatalog(tilesUrl: string): Promise<Set<string>> {
  try {
    return readTileCatalog(await fetchJson<unknown>(tilesUrl));
  } catch {
    return new Set(knownTileLayers);
  }
}

export function readTileCatalog(catalog: unknown): Set<string> {
  const ids = new Set<string>();
  const visit = (entry: unknown, key?: string) => {
    if (typeof entry === 'string') ids.add(entry);
    else if (entry && typeof entry === 'object') {
      const id = (entry as { id?: unknown; name?: unknown }).id ?? (entry as { name?: unknown }).name ?? key;
      if (typeof id === 'string') ids.add(id);
    }
  };
  if (Array.isArray(catalog)) catalog.forEach((entry) => visit(entry));
  else if (catalog && typeof catalog === 'object') {
    const layers = (catalog as { layers?: unknown; tilesets?: unknown }).layers ?? (catalog as { tilesets?: unknown }).tilesets;
    if (Array.isArray(layers)) layers.forEach((entry) => visit(entry));
    else if (layers && typeof layers === 'object') Object.entries(layers).forEach(([key, entry]) => visit(entry, key));
    else Object.entries(catalog).forEach(([key, entry]) => visit(entry, key));
  }
  return ids;
}

/** The TileJSON of a layer, absolute (MapLibre resolves source URLs outside the page). */
export function tileJsonUrl(tilesUrl: string, layer: string, origin: string): string {
  return new URL(`${tilesUrl.replace(/\/$/, '')}/${layer}.json`, origin).href;
}
