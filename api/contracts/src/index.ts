/**
 * @bandoso/contracts: what the platform and its clients agree on, in one home. The report statuses
 * and the staff workflow (plain values), and zod schemas of the API's responses: the server's
 * services return their types, `/api/openapi.json` and `/ogc/api` are generated from them, and the
 * map client imports the same types. It imports nothing but zod, and nothing of Node: the map
 * client bundles what it uses of it.
 */
export * from './report-status.ts';
export * from './vocabulary.ts';
export * from './common.contract.ts';
export * from './report-status.contract.ts';
export * from './client-config.contract.ts';
export * from './planning.contract.ts';
export * from './report-feed.contract.ts';
export * from './report-submission.contract.ts';
export * from './statistics.contract.ts';
export * from './ogc-features.contract.ts';
export * from './heritage.contract.ts';
export * from './camera.contract.ts';
export * from './search.contract.ts';
