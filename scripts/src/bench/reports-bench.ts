/**
 * npm run bench:reports  (needs DATABASE_URL: the server backend)
 *
 * Report submissions per second through HTTP (validation, point-in-polygon routing, working-time
 * deadlines, one transaction with report + reporter + event + outbox, the JSON answer) against the
 * same rows inserted with raw SQL in one transaction each (the baseline), in one run, in a dedicated
 * database that is dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openServerDatabase } from '../../../api/src/db/database.ts';
import { prepareDatabase } from '../../../api/src/prepare-database.ts';
import { createServerDatabase, dropServerDatabase, serverDatabaseUrl, baseDatabaseName } from '../../../api/src/testing/server-databases.ts';
import { startTestServer } from '../../../api/src/testing/test-server.ts';
import { measure, printTable, type Measurement } from './bench-statistics.ts';

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.error('bench:reports measures the server backend: set DATABASE_URL=postgres://…');
  process.exit(2);
}
const count = Number(process.env.BENCH_REPORTS ?? 2000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const name = `${baseDatabaseName(baseUrl).replace(/[^a-z0-9_]/g, '_')}_bench_reports`;

await dropServerDatabase(baseUrl, name);
await createServerDatabase(baseUrl, name);
const database = await openServerDatabase(serverDatabaseUrl(baseUrl, name), { poolSize: concurrency + 2 });
try {
  await prepareDatabase(database, { seed: true });
  const points = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
    FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id, LATERAL ST_Dump(ST_GeneratePoints(u.geom, ${count}::int, 7)) AS p
    WHERE s.name = 'dienbien-2025' AND u.level = 'province'`.execute(database.db);
  const routing = await sql<{ set_id: string; office_id: string }>`
    SELECT s.id AS set_id, o.id AS office_id FROM boundary_set s, office o WHERE s.name = 'dienbien-2025' AND o.code = 'UBND-03127'`.execute(database.db);
  const { set_id: setId, office_id: officeId } = routing.rows[0]!;
  const server = await startTestServer(database);
  const rows: Array<Record<string, string | number>> = [];
  try {
    const at = (index: number) => points.rows[index % points.rows.length]!;
    const raw = await measure(
      'raw SQL (one transaction: report, reporter, event, outbox)',
      count,
      async (index) => {
        const { lon, lat } = at(index);
        await database.db.transaction().execute(async (transaction) => {
          const report = await sql<{ id: string }>`
            INSERT INTO report (tracking_code, category_code, priority, description, location, status, boundary_set_id, unit_code, unit_name, office_id, location_verdict, acknowledge_due_at, due_at)
            VALUES (${`RAW-${randomBytes(6).toString('hex')}`}, 'public_lighting', 'normal', 'Đèn đường hỏng', ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326), 'received',
                    ${setId}, '03127', 'Phường Điện Biên Phủ', ${officeId}, 'unverified', now() + interval '1 day', now() + interval '3 days')
            RETURNING id`.execute(transaction);
          const id = report.rows[0]!.id;
          await sql`INSERT INTO report_reporter (report_id, token_hash) VALUES (${id}, ${randomBytes(32).toString('hex')})`.execute(transaction);
          await sql`INSERT INTO report_event (report_id, kind, to_status, actor_role, public, data) VALUES (${id}, 'routed', 'received', 'citizen', true, '{}'::jsonb)`.execute(transaction);
          await sql`INSERT INTO outbox_message (topic, report_id, office_id, payload) VALUES ('report.created', ${id}, ${officeId}, '{}'::jsonb)`.execute(transaction);
        });
      },
      concurrency,
    );
    const served = await measure(
      'HTTP POST /api/reports',
      count,
      async (index) => {
        const { lon, lat } = at(index);
        const response = await fetch(`${server.baseUrl}/api/reports`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ category: 'public_lighting', description: 'Đèn đường hỏng', location: { type: 'Point', coordinates: [lon, lat] } }),
        });
        if (response.status !== 201) throw new Error(`${response.status} ${await response.text()}`);
        await response.arrayBuffer();
      },
      concurrency,
    );
    const row = (measurement: Measurement) => ({
      path: measurement.label,
      reports: measurement.count,
      concurrency,
      'per second': measurement.perSecond,
      'p50 ms': measurement.p50Ms,
      'p95 ms': measurement.p95Ms,
      'throughput vs raw': measurement.perSecond / raw.perSecond,
    });
    rows.push(row(raw), row(served));
  } finally {
    await server.close();
  }
  printTable(`Report submissions on the server backend (${count} each, ${concurrency} concurrent clients)`, rows);
} finally {
  await database.close();
  await dropServerDatabase(baseUrl, name);
}
