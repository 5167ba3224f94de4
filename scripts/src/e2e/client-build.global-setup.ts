import { ensureClientBuild } from '../../../map-client/tools/client-build.ts';
import { chromiumPath } from './browser.ts';

/**
 * vitest globalSetup: builds the map client once per test run, before any worker starts, when the
 * browser tests will run (Chromium present, or CI). Skipped when up to date (a hash of the sources).
 */
export default async function setup(): Promise<void> {
  if (!chromiumPath && process.env.CI !== 'true') return;
  const result = await ensureClientBuild({ logLevel: 'error' });
  if (result.built) console.log(`[browser tests] map client built in ${(result.ms / 1000).toFixed(1)} s (${result.reason})`);
}
