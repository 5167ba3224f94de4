import type { ClientConfig } from '@bandoso/contracts';
import { fetchJson } from './api-client.ts';

/** `GET /api/client-config` (api/src/modules/web/web.service.ts), as the server's contract says. */
export type { ClientConfig };

/** Used when the config cannot be fetched (offline first visit of a view, server restarting). */
export const fallbackClientConfig: ClientConfig = Object.freeze({
  basemapStyleUrl: null,
  defaultCenter: [103.02, 21.39],
  defaultZoom: 8,
  provinceBounds: [102.14, 20.88, 103.6, 22.55],
  tilesUrl: '/tiles',
  glyphsUrl: '/fonts/{fontstack}/{range}.pbf',
  fontStacks: { regular: 'Noto Sans Regular', bold: 'Noto Sans Bold' },
  defaultLanguage: 'vi',
}) as ClientConfig;

/**
 * The provincial city, Điện Biên Phủ (the wards Điện Biên Phủ and Mường Thanh, 2025): where most
 * people who open the map are, and where a first view shows names (streets, relics) at once. The map
 * starts there when the device is in it (map/start-view.ts).
 */
export const provincialCity: Readonly<{ name: string; bounds: readonly [number, number, number, number] }> = Object.freeze({
  name: 'Điện Biên Phủ',
  bounds: [102.96, 21.345, 103.07, 21.425] as const,
});

export async function loadClientConfig(): Promise<ClientConfig> {
  try {
    return { ...fallbackClientConfig, ...(await fetchJson<Partial<ClientConfig>>('/api/client-config')) };
  } catch {
    return fallbackClientConfig;
  }
}
