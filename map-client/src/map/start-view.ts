import type { Map as MapLibreMap } from 'maplibre-gl';

/**
 * Where the map opens, and how fast it zooms: the first useful view (names of streets and relics)
 * should be a gesture or two away, not twelve wheel notches. Three parts:
 * - the last view of this browser, when there is one (a return visit continues where it left off);
 * - otherwise the province, then the provincial city when the device is in it (asked only when the
 *   person already allowed the position: opening the map never prompts);
 * - a mouse wheel notch of about half a zoom level (MapLibre's default, 1/450, is about 0.15).
 */

export interface SavedView {
  center: [number, number];
  zoom: number;
}

export const savedViewKey = 'bandoso.mapView';

/**
 * MapLibre's rate for a mouse wheel (zoom per pixel of deltaY, through a sigmoid): the default 1/450
 * moves about 0.15 zoom levels per notch (deltaY 100); 1/100, the rate MapLibre uses for trackpads,
 * about 0.55, close to what the common web maps do (half to one level a notch).
 */
export const wheelZoomRate = 1 / 100;

type Bounds = readonly [number, number, number, number];

/** The least zoom of the city view: street and relic names are drawn (basemap-road-label from z12). */
export const cityZoom = 13;

const inside = ([lng, lat]: readonly [number, number], [west, south, east, north]: Bounds) => lng >= west && lng <= east && lat >= south && lat <= north;

/** The view this browser saved last, if it is usable (inside the province's reach, a sane zoom). */
export function readSavedView(storage: Pick<Storage, 'getItem'> | undefined, provinceBounds: Bounds): SavedView | undefined {
  try {
    const saved = JSON.parse(storage?.getItem(savedViewKey) ?? 'null') as Partial<SavedView> | null;
    const center = saved?.center;
    const zoom = saved?.zoom;
    if (!Array.isArray(center) || center.length !== 2 || !center.every(Number.isFinite) || typeof zoom !== 'number' || !Number.isFinite(zoom)) return undefined;
    const [west, south, east, north] = provinceBounds;
    if (!inside(center as [number, number], [west - 0.5, south - 0.5, east + 0.5, north + 0.5]) || zoom < 5 || zoom > 19) return undefined;
    return { center: [center[0]!, center[1]!], zoom };
  } catch {
    return undefined;
  }
}

/** Saves the view after each move (the next visit opens there). */
export function rememberView(map: MapLibreMap, storage: Pick<Storage, 'setItem'> | undefined): void {
  if (!storage) return;
  map.on('moveend', () => {
    const { lng, lat } = map.getCenter();
    try {
      storage.setItem(savedViewKey, JSON.stringify({ center: [Number(lng.toFixed(5)), Number(lat.toFixed(5))], zoom: Number(map.getZoom().toFixed(2)) }));
    } catch {
      // Storage full or refused (private mode): the next visit opens on the province.
    }
  });
}

/**
 * Moves the map to the city when the device is in it, unless the person has moved the map meanwhile.
 * Only when the position is already allowed: a permission prompt on opening would be worse than a
 * wide view.
 */
export async function startAtCityIfThere(map: MapLibreMap, cityBounds: Bounds, padding: { top: number; bottom: number; left: number; right: number }): Promise<boolean> {
  const geolocation = globalThis.navigator?.geolocation;
  if (!geolocation || !navigator.permissions?.query) return false;
  let moved = false;
  const onMove = (event: { originalEvent?: unknown }) => {
    if (event.originalEvent) moved = true;
  };
  map.on('movestart', onMove);
  try {
    const permission = await navigator.permissions.query({ name: 'geolocation' });
    if (permission.state !== 'granted') return false;
    const position = await new Promise<GeolocationPosition>((resolve, reject) => geolocation.getCurrentPosition(resolve, reject, { maximumAge: 10 * 60_000, timeout: 8_000 }));
    const here: [number, number] = [position.coords.longitude, position.coords.latitude];
    if (moved || !inside(here, cityBounds)) return false;
    const [west, south, east, north] = cityBounds;
    // The whole city, and never less than street level (a phone's screen fits it at about z11).
    const camera = map.cameraForBounds([[west, south], [east, north]], { padding });
    map.jumpTo({ center: here, zoom: Math.max(cityZoom, camera?.zoom ?? cityZoom) });
    return true;
  } catch {
    return false;
  } finally {
    map.off('movestart', onMove);
  }
}

/** The browser's storage, when it may be used. */
export function viewStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
