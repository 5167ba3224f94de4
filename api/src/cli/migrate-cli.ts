/**
 * npm run migrate -- [latest|down|up]
 *
 * Runs the migrations on the configured database (DATABASE_URL or the embedded DATA_DIR).
 */
import { createMigrator, assertMigrated } from '@bandoso/migrations';
import { loadConfig } from '../config/config.ts';
import { openDatabase } from '../db/database.ts';

const direction = process.argv[2] ?? 'latest';
if (!['latest', 'down', 'up'].includes(direction)) {
  console.error('Usage: npm run migrate -- [latest|down|up]');
  process.exit(2);
}
const database = await openDatabase(loadConfig().database);
try {
  const migrator = createMigrator(database.db);
  const result = direction === 'latest' ? await migrator.migrateToLatest() : direction === 'up' ? await migrator.migrateUp() : await migrator.migrateDown();
  for (const item of result.results ?? []) console.log(`${item.direction} ${item.migrationName}: ${item.status}`);
  if ((result.results ?? []).length === 0) console.log('Nothing to do.');
  assertMigrated(result);
} finally {
  await database.close();
}
