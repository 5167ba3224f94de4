import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Plugin } from 'vite';

const gzip = promisify(gzipCallback);

/** What is worth compressing (text), and from what size (below it the headers cost more than they save). */
const compressible = /\.(?:js|mjs|css|json|svg|wasm)$/;
const minimumBytes = 1024;

/**
 * Writes `<file>.gz` (gzip -9) beside every text asset of the build, which the platform serves to
 * browsers that accept gzip (api/src/modules/web/web.routes.ts): the map's entry is ≈ 310 kB that way
 * instead of 1.1 MB, with no compression work per request. (Brotli would save another 10–17 % but
 * takes seconds per build at the qualities where it wins.)
 */
export function precompressAssets(): Plugin {
  let outDir = '';
  return {
    name: 'bandoso-precompress-assets',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async writeBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((file) => file.startsWith('assets/') && compressible.test(file));
      await Promise.all(
        files.map(async (file) => {
          const content = await fs.readFile(path.join(outDir, file));
          if (content.length < minimumBytes) return;
          await fs.writeFile(path.join(outDir, `${file}.gz`), await gzip(content, { level: 9 }));
        }),
      );
    },
  };
}
