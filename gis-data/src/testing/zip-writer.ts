import { strToU8, zipSync } from 'fflate';

export interface ZipOptions {
  /** Deflate the entries (as most zip tools do); stored when false. Default true. */
  compress?: boolean;
}

/**
 * Builds in memory the kind of .zip provincial departments hand out (one shapefile per archive), for
 * tests. Strings are written as UTF-8.
 */
export function createZip(files: Record<string, Uint8Array | string>, options: ZipOptions = {}): Uint8Array {
  const entries = Object.fromEntries(Object.entries(files).map(([name, content]) => [name, typeof content === 'string' ? strToU8(content) : content]));
  return zipSync(entries, { level: options.compress === false ? 0 : 6 });
}
