export { createTestDatabase, getSharedTestDatabase, type TestDatabase } from './test-database.ts';
export { createCliTestDatabase, type CliTestDatabase } from './cli-database.ts';
export { startTestServer, type TestServer } from './test-server.ts';
export { repositoryRoot } from './template-cache.ts';
export { databaseFingerprint } from './database-fingerprint.ts';
export { runEntryPoint, cleanEnvironment, type ChildResult } from './child-process.ts';
export { rawRequest, type RawResponse } from './raw-request.ts';
export {
  pointInUnit,
  pointOnSharedBorder,
  adjacentUnits,
  createTestUser,
  bearerToken,
  submitTestReport,
  staffAction,
  type TestUser,
  type SubmittedReport,
} from './report-helpers.ts';
export { insertTestReports, setTestReportStatus } from './report-factory.ts';
