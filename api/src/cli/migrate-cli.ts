/**
 * npm run migrate -- [latest|down|up]
 *
 * Runs the migrations on the configured database (DATABASE_URL or the embedded DATA_DIR).
 */
import { createMigrator, assertMigrated } from '@bandoso/migrations';
import { command } from './command.ts';

const cli = command('Usage: npm run migrate -- [latest|down|up]\n\nRuns the migrations on the configured database (DATABASE_URL, or the embedded one in DATA_DIR).');
const { positionals } = cli.parse({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
const direction = positionals[0] ?? 'latest';
if (!['latest', 'down', 'up'].includes(direction) || positionals.length > 1) cli.fail(`Unknown direction ${JSON.stringify(positionals.join(' '))}.`);
const { database } = await cli.openDatabase('run the migrations');
try {
  const migrator = createMigrator(database.db);
  const result = direction === 'latest' ? await migrator.migrateToLatest() : direction === 'up' ? await migrator.migrateUp() : await migrator.migrateDown();
  for (const item of result.results ?? []) console.log(`${item.direction} ${item.migrationName}: ${item.status}`);
  if ((result.results ?? []).length === 0) console.log('Nothing to do.');
  assertMigrated(result);
} finally {
  await database.close();
}
