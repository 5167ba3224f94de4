import type { IncomingMessage, ServerResponse } from 'node:http';
import accepts from 'accepts';
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
 * with two strong ETags; a client holding either is current. Written on Node's own request and
 * response (Express's extend them), so the Express route and the fast path answer identically.
 */
export async function sendTile(request: IncomingMessage, response: ServerResponse, tile: TileResponse): Promise<void> {
  response.setHeader('Cache-Control', TILE_CACHE_CONTROL);
  response.setHeader('Vary', 'Accept-Encoding');
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('X-Tile-Cache', tile.cached ? 'hit' : 'miss');
  if (tile.body.byteLength === 0) {
    response.writeHead(204).end();
    return;
  }
  const gzip = acceptsGzip(request);
  response.setHeader('ETag', gzip ? tile.gzipEtag : tile.etag);
  response.setHeader('Content-Type', MVT_CONTENT_TYPE);
  const ifNoneMatch = request.headers['if-none-match'];
  if (matchesIfNoneMatch(ifNoneMatch, [tile.etag, tile.gzipEtag])) {
    response.writeHead(304).end();
    return;
  }
  const body = gzip ? await tile.gzipped() : tile.body;
  if (gzip) response.setHeader('Content-Encoding', 'gzip');
  response.setHeader('Content-Length', body.byteLength);
  response.writeHead(200).end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
}

/** Accept-Encoding negotiation (q-values, `*`, `identity;q=0`), as Express's req.acceptsEncodings does. */
function acceptsGzip(request: IncomingMessage): boolean {
  return accepts(request).encoding(['gzip', 'identity']) === 'gzip';
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
