import type { Map as MapLibreMap, VectorTileSource } from 'maplibre-gl';
import type { MessageKey } from '../app/i18n.ts';
import { addVectorSourceAgain } from './replace-vector-source.ts';

type Announce = (message: { key: MessageKey; params?: Record<string, string> }, kind?: 'info' | 'success' | 'warning' | 'error') => void;

export interface MapRecovery {
  /** The sources that failed and wait for the connection (their TileJSON or some of their tiles). */
  readonly failedSources: ReadonlySet<string>;
  /** Asks again for what failed (done by itself on the browser's `online` event). */
  retry(): void;
}

/**
 * A map that failed to load something comes back by itself. MapLibre reports a source that could not
 * be loaded (its TileJSON, a tile) with an `error` event naming the source, and then leaves it so:
 * without the TileJSON the source never asks for a tile again. So each failed source is remembered,
 * and when the connection returns (`online`) it is added again (TileJSON and tiles asked for anew,
 * its layers back in place with their filters and visibility), with no reload of the page.
 *
 * What the person is told: offline, that the map will load when the connection returns (reloading
 * would not help); online, that a layer could not be loaded; once recovered, that it has.
 */
export function recoverMapWhenOnline(map: MapLibreMap, announce: Announce): MapRecovery {
  const failed = new Set<string>();
  let toldOffline = false;
  let recovering = false;

  map.on('error', (event) => {
    const sourceId = (event as { sourceId?: string }).sourceId;
    if (!sourceId || !map.getSource(sourceId)) return;
    failed.add(sourceId);
    if (!navigator.onLine) {
      // Once per outage: every tile of every layer fails while offline.
      if (!toldOffline) announce({ key: 'map.offlineWaiting' }, 'warning');
      toldOffline = true;
    } else announce({ key: 'map.loadFailed', params: { layer: sourceId } }, 'error');
  });

  const retry = () => {
    toldOffline = false;
    if (failed.size === 0) return;
    const again = [...failed];
    failed.clear();
    for (const sourceId of again) {
      const source = map.getSource<VectorTileSource>(sourceId);
      if (source?.type === 'vector' && source.url) addVectorSourceAgain(map, sourceId, source.url);
    }
    if (recovering) return;
    recovering = true;
    map.once('idle', () => {
      recovering = false;
      if (failed.size === 0) announce({ key: 'map.recovered' }, 'success');
    });
  };

  window.addEventListener('online', retry);
  window.addEventListener('offline', () => (toldOffline = false));
  return { failedSources: failed, retry };
}
