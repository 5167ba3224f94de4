import http from 'node:http';
import { decodeTile, type DecodedFeature } from '@bandoso/tiles';

export interface FetchedTile {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  features: DecodedFeature[];
  /** Every layer in the tile (a tile of one layer has one). */
  layers: string[];
}

/** GETs a tile and decodes it (fetch undoes gzip by itself). */
export async function fetchTile(url: string, init: RequestInit = {}): Promise<FetchedTile> {
  const response = await fetch(url, init);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const decoded = response.status === 200 ? decodeTile(bytes) : {};
  return { status: response.status, headers: response.headers, bytes, features: Object.values(decoded).flat(), layers: Object.keys(decoded) };
}

/** A raw GET (no transparent decompression), to see the bytes on the wire. */
export function rawGet(url: string, headers: Record<string, string>, method: 'GET' | 'HEAD' = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, method }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Strings that must never appear in anything public: the reporters' contact details. */
export function containsAny(haystack: Uint8Array | string, needles: readonly string[]): string | undefined {
  const text = typeof haystack === 'string' ? haystack : Buffer.from(haystack).toString('utf8');
  return needles.find((needle) => text.includes(needle));
}
