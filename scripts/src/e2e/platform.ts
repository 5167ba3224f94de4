import { getSharedTestDatabase, startTestServer, type TestServer } from '@bandoso/api/testing';

/**
 * The real platform for a browser test: the API, the tiles and the built map client (built once per
 * run by client-build.global-setup.ts) on a free port, over this worker's copy of the seeded test
 * database.
 */
export async function startBrowserPlatform(environment: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer(await getSharedTestDatabase(), environment);
}
