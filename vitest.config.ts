import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{api,api/contracts,gis-data,tiles,migrations,scripts}/src/**/*.test.ts', 'map-client/{src,test,tools}/**/*.test.ts'],
    globalSetup: ['api/src/testing/global-setup.ts', 'scripts/src/e2e/client-build.global-setup.ts'],
    pool: 'forks',
    // Files of one worker share its module state, so each worker opens the shared test database once.
    isolate: false,
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
