/**
 * `npm start` runs this first (root `prestart`): it builds the map client only when map-client/dist
 * is missing or older than its sources, so a fresh clone's `npm ci && npm start` serves the map and
 * later starts cost a hash of the sources (~50 ms).
 */
import { ensureClientBuild } from './client-build.ts';

const result = await ensureClientBuild({ logLevel: 'warn' });
if (result.built) console.log(`map client built in ${(result.ms / 1000).toFixed(1)} s (${result.reason})`);
