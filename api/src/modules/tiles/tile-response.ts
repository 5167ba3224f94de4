import type { Request, Response } from 'express';
import type { TileResponse } from '@bandoso/tiles';

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

/**
 * Tiles may be stored by browsers and proxies but must be revalidated on every use (`no-cache`): a
 * revalidation costs a 304 of a few bytes, and a report shows on the map as soon as it was sent.
 */
export const TILE_CACHE_CONTROL = 'public, no-cache';

/**
 * Answers a tile: 204 when empty, 304 when the client's copy is current (If-None-Match), otherwise
 * the bytes, gzip-encoded when the client accepts it. The two encodings are two representations
 * with two strong ETags; a client holding either is current.
 */
export async function sendTile(request: Request, response: Response, tile: TileResponse): Promise<void> {
  response.set({ 'Cache-Control': TILE_CACHE_CONTROL, Vary: 'Accept-Encoding', 'Access-Control-Allow-Origin': '*', 'X-Tile-Cache': tile.cached ? 'hit' : 'miss' });
  if (tile.body.byteLength === 0) {
    response.status(204).end();
    return;
  }
  const gzip = request.acceptsEncodings('gzip', 'identity') === 'gzip';
  const etag = gzip ? tile.gzipEtag : tile.etag;
  response.set({ ETag: etag, 'Content-Type': MVT_CONTENT_TYPE });
  if (matchesIfNoneMatch(request.get('If-None-Match'), [tile.etag, tile.gzipEtag])) {
    response.status(304).end();
    return;
  }
  if (gzip) {
    const body = await tile.gzipped();
    response.set('Content-Encoding', 'gzip').status(200).end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    return;
  }
  response.status(200).end(Buffer.from(tile.body.buffer, tile.body.byteOffset, tile.body.byteLength));
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored. */
export function matchesIfNoneMatch(header: string | undefined, etags: readonly string[]): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => etags.includes(tag));
}

/** The absolute origin of the request (behind the loopback proxy too), for links in documents. */
export function baseUrlOf(request: Request): string {
  return `${request.protocol}://${request.get('host') ?? 'localhost'}`;
}
