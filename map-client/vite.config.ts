import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { precompressAssets } from './tools/precompress-plugin.ts';

const clientRoot = fileURLToPath(new URL('./', import.meta.url));
/** Where `npm start` listens during development (`npm run dev -w @bandoso/map-client` proxies to it). */
const platformUrl = process.env.PLATFORM_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: clientRoot,
  base: '/',
  // Not the default `public/`: nothing is copied into dist besides what the PWA needs.
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // MapLibre alone is ~1 MB minified; the budget check (tools/check-bundle-budget.ts) watches gzip sizes.
    chunkSizeWarningLimit: 1500,
    manifest: 'build-manifest.json',
    reportCompressedSize: false,
    rollupOptions: {
      // Two pages: the map (index.html) and a heritage site's 3D tour (tour.html, /heritage/{code}),
      // which has no map and so does not load MapLibre.
      input: { index: fileURLToPath(new URL('./index.html', import.meta.url)), 'heritage-tour': fileURLToPath(new URL('./tour.html', import.meta.url)) },
      output: {
        // What both pages load (styles, i18n, the API client…) in one chunk with a known name, which
        // the service worker precaches with them.
        manualChunks(id, { getModuleInfo }) {
          return staticEntries(id, getModuleInfo).size > 1 ? 'common' : undefined;
        },
        // The camera player, with what its panel, the video wall and the IOC share of it, is a chunk
        // Rollup would name after any one of its modules: it is named for what it is. (hls.js is not
        // in it: the player fetches it with import() when a stream starts.)
        chunkFileNames(chunk) {
          return chunk.moduleIds.some((id) => id.endsWith(cameraPlayerModule)) ? 'assets/camera-player-[hash].js' : 'assets/[name]-[hash].js';
        },
      },
    },
  },
  server: {
    proxy: Object.fromEntries(['/api', '/tiles', '/fonts', '/ogc'].map((prefix) => [prefix, { target: platformUrl, changeOrigin: false }])),
  },
  plugins: [
    precompressAssets(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'autoUpdate',
      // The manifest and its icons are added to the precache by the plugin itself.
      includeManifestIcons: true,
      manifest: {
        name: 'Bản đồ số Điện Biên',
        short_name: 'Bản đồ số',
        description: 'Phản ánh hiện trường, quy hoạch, di tích và khẩn cấp trên bản đồ tỉnh Điện Biên.',
        lang: 'vi',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f4f1e8',
        theme_color: '#0b5d3b',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      injectManifest: {
        // The app shell and the citizen's report screens (a report can be written offline: the form,
        // the queue, the photo preparation with exifr's lite build). The views' heavy chunks (deck.gl,
        // three.js, hls.js) are cached when first used.
        globPatterns: [
          'index.html',
          'assets/index-*.{js,css}',
          // A tour's page (its 3D part, three.js, is cached with "save for offline" or when first used).
          'tour.html',
          'assets/heritage-tour-*.{js,css}',
          'assets/common-*.{js,css}',
          'assets/tour-math-*.js',
          'assets/maplibre-gl-worker-*.mjs',
          'assets/planner-view-*.js',
          'assets/ioc-view-*.js',
          // The sign-in form the IOC view shares with the office desk and the admin console.
          'assets/staff-sign-in-*.js',
          // Rolldown's helpers for the views' namespace imports, when it splits them out of a chunk.
          'assets/rolldown-runtime-*.js',
          'assets/report-form-*.js',
          'assets/report-detail-*.js',
          'assets/report-queue-runtime-*.js',
          'assets/my-reports-screen-*.js',
          'assets/photo-preparation-*.js',
          'assets/lite.esm-*.js',
        ],
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
        rollupFormat: 'iife',
      },
      devOptions: { enabled: false },
    }),
  ],
});

const cameraPlayerModule = '/src/cameras/camera-stream-player.ts';

interface StaticModuleInfo {
  isEntry: boolean;
  importers: readonly string[];
}

/** The entry pages that import a module statically (directly or through other modules). */
function staticEntries(id: string, getModuleInfo: (id: string) => StaticModuleInfo | null, seen = new Set<string>()): Set<string> {
  const entries = new Set<string>();
  if (seen.has(id)) return entries;
  seen.add(id);
  const info = getModuleInfo(id);
  if (!info) return entries;
  if (info.isEntry) entries.add(id);
  for (const importer of info.importers) for (const entry of staticEntries(importer, getModuleInfo, seen)) entries.add(entry);
  return entries;
}
