import http from 'node:http';

/** What the tests of this module share. */

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One request exactly as written: the path is sent verbatim ('..' and all, which fetch would
 * normalise away), and the body is not decompressed (to see Content-Encoding and the bytes).
 */
export function rawRequest(baseUrl: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, method: options.method ?? 'GET', path, headers: options.headers ?? {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

/** A valid tour of `count` stops around the site's point (metres east, north, up). */
export function sampleStops(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    ordinal: index + 1,
    title: { vi: `Điểm dừng ${index + 1}`, en: `Stop ${index + 1}` },
    narration: { vi: `Lời thuyết minh ${index + 1}.`, en: `Narration ${index + 1}.` },
    camera: { position: [100 + index, -80, 60] as [number, number, number], target: [0, 0, 10] as [number, number, number] },
  }));
}
