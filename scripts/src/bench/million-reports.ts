import { sql } from 'kysely';
import { openServerDatabase, type DatabaseHandle } from '../../../api/src/db/database.ts';
import { prepareDatabase } from '../../../api/src/prepare-database.ts';
import { baseDatabaseName, createServerDatabase, dropServerDatabase, serverDatabaseUrl, withAdminClient } from '../../../api/src/testing/server-databases.ts';

/**
 * A million synthetic reports spread over the province, in a database of their own beside the one
 * DATABASE_URL names (never the demo data): what bench:tiles and bench:ogc measure against.
 */

const REPORTS = Number(process.env.BENCH_TILES_REPORTS ?? 1_000_000);

/** The database of the synthetic reports beside `baseUrl`'s database (the name predates bench:ogc). */
export function millionReportsDatabaseName(baseUrl: string): string {
  return `${baseDatabaseName(baseUrl).replace(/[^a-z0-9_]/g, '_')}_bench_tiles`;
}

async function databaseExists(baseUrl: string, name: string): Promise<boolean> {
  return withAdminClient(baseUrl, async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
}

/** Synthetic reports, spread over the province: each commune gets a share proportional to its area. */
async function seedReports(database: DatabaseHandle, total: number): Promise<void> {
  const batch = 250_000;
  // Other modules' triggers on report (statistics…) would multiply the seeding time; this database
  // only serves benchmarks, so they are off while it fills. The tile triggers stay on: the
  // cluster pyramid is built exactly as in production.
  const others = await sql<{ name: string }>`
    SELECT tgname AS name FROM pg_trigger WHERE tgrelid = 'report'::regclass AND NOT tgisinternal AND tgname NOT LIKE 'report_tiles_%'`.execute(database.db);
  for (const { name } of others.rows) await sql`ALTER TABLE report DISABLE TRIGGER ${sql.id(name)}`.execute(database.db);
  const existing = (await sql<{ count: number }>`SELECT count(*)::integer AS count FROM report`.execute(database.db)).rows[0]!.count;
  for (let offset = existing; offset < existing + total; offset += batch) {
    const count = Math.min(batch, existing + total - offset);
    const started = performance.now();
    await sql`
      WITH units AS (
        SELECT u.boundary_set_id, u.code, u.name, u.geom, o.id AS office_id, ST_Area(u.geom) / sum(ST_Area(u.geom)) OVER () AS share
        FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id JOIN office o ON o.code = 'UBND-' || u.code
        WHERE s.name = 'dienbien-2025' AND u.level IN ('commune', 'ward', 'town')
      ),
      categories AS (SELECT array_agg(code ORDER BY code) AS codes FROM report_category WHERE active),
      points AS (
        SELECT units.*, (ST_Dump(ST_GeneratePoints(units.geom, greatest(1, ceil(units.share * ${count}::integer))::integer, ${offset}::integer + 1))).geom AS location
        FROM units
      ),
      numbered AS (SELECT points.*, row_number() OVER () + ${offset}::integer AS n FROM points LIMIT ${count}::integer)
      INSERT INTO report (tracking_code, category_code, priority, description, location, status, boundary_set_id, unit_code, unit_name, office_id,
        location_verdict, created_at, acknowledge_due_at, overdue)
      SELECT 'BENCH-' || ${offset}::integer || '-' || n,
        categories.codes[1 + (n * 7919) % array_length(categories.codes, 1)],
        'normal', 'Synthetic report for the tile benchmark', location,
        (ARRAY['received', 'accepted', 'in_progress', 'waiting_for_citizen', 'resolved', 'resolved', 'resolved', 'rejected', 'reopened'])[1 + (n * 104729) % 9],
        boundary_set_id, code, name, office_id, 'unverified',
        now() - ((n * 15485863) % (365 * 24 * 3600)) * interval '1 second',
        now() - ((n * 15485863) % (365 * 24 * 3600)) * interval '1 second' + interval '1 day',
        (n % 11 = 0)
      FROM numbered, categories`.execute(database.db);
    console.log(`  ${offset + count} reports (${((performance.now() - started) / 1000).toFixed(1)} s for this batch)`);
  }
  for (const { name } of others.rows) await sql`ALTER TABLE report ENABLE TRIGGER ${sql.id(name)}`.execute(database.db);
  await sql`ANALYZE report`.execute(database.db);
  await sql`ANALYZE report_cluster_cell`.execute(database.db);
}

/**
 * The benchmark database, migrated and holding at least BENCH_TILES_REPORTS (default 1,000,000)
 * synthetic reports: created and seeded on first use (minutes), then kept for later runs.
 * BENCH_TILES_RESEED=1 drops and rebuilds it.
 */
export async function openMillionReports(baseUrl: string): Promise<DatabaseHandle> {
  const benchName = millionReportsDatabaseName(baseUrl);
  if (process.env.BENCH_TILES_RESEED === '1') await dropServerDatabase(baseUrl, benchName);
  if (!(await databaseExists(baseUrl, benchName))) {
    console.log(`Creating ${benchName} with ${REPORTS} synthetic reports (once; kept for later runs)…`);
    await createServerDatabase(baseUrl, benchName);
  }
  const database = await openServerDatabase(serverDatabaseUrl(baseUrl, benchName), { poolSize: 12, timeouts: { statementMs: 0 } });
  await prepareDatabase(database, { seed: true });
  const existing = (await sql<{ count: number }>`SELECT count(*)::integer AS count FROM report`.execute(database.db)).rows[0]!.count;
  if (existing < REPORTS) await seedReports(database, REPORTS - existing);
  return database;
}

