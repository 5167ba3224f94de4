import { createHash } from 'node:crypto';
import type { AppConfig } from '../../config/config.ts';
import { buildDefaultStyle } from '../../../../map-client/src/map/default-style.ts';
import { buildClientConfig } from '../web/web.service.ts';

export interface PublishedStyle {
  body: string;
  etag: string;
}

/**
 * `GET /styles/default.json`: the map client's own composition (map-client/src/map/default-style.ts),
 * so QGIS, GDAL and other MapLibre clients open the map the page shows. It depends on the origin only
 * (absolute URLs), so each origin's answer is built once and kept.
 */
export class StylesService {
  readonly #config: Pick<AppConfig, 'basemapStyleUrl'>;
  readonly #tileLayers: () => readonly string[];
  readonly #byOrigin = new Map<string, PublishedStyle>();

  /** `tileLayers`: the layers the platform serves (the tile registry), read at the first request. */
  constructor(config: Pick<AppConfig, 'basemapStyleUrl'>, tileLayers: () => readonly string[]) {
    this.#config = config;
    this.#tileLayers = tileLayers;
  }

  defaultStyle(origin: string): PublishedStyle {
    let published = this.#byOrigin.get(origin);
    if (!published) {
      const style = buildDefaultStyle({ config: buildClientConfig(this.#config), origin, availableTileLayers: new Set(this.#tileLayers()) });
      const body = JSON.stringify(style);
      published = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      // A handful of origins (the public name, an internal one, localhost): bounded all the same.
      if (this.#byOrigin.size >= 32) this.#byOrigin.clear();
      this.#byOrigin.set(origin, published);
    }
    return published;
  }
}
