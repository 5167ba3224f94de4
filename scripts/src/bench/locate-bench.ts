/**
 * npm run bench:locate
 *
 * Locate latency on the embedded database and, when DATABASE_URL is set, on the server: the same
 * point-in-polygon lookups as raw SQL through the driver (the baseline) and served through HTTP by
 * the real application, in one run, so the ratio survives a noisy machine.
 */
import { sql } from 'kysely';
import { openEmbeddedDatabase, openServerDatabase, type DatabaseHandle } from '../../../api/src/db/database.ts';
import { startTestServer } from '../../../api/src/testing/test-server.ts';
import { prepareDatabase } from '../../../api/src/prepare-database.ts';
import { measure, printTable, type Measurement } from './bench-statistics.ts';

const requests = Number(process.env.BENCH_REQUESTS ?? 2000);

async function benchBackend(database: DatabaseHandle): Promise<Array<Record<string, string | number>>> {
  await prepareDatabase(database, { seed: true });
  const points = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
    FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id, LATERAL ST_Dump(ST_GeneratePoints(u.geom, ${requests}::int, 1)) AS p
    WHERE s.name = 'dienbien-2025' AND u.level = 'province'`.execute(database.db);
  const at = (index: number) => points.rows[index % points.rows.length]!;
  const server = await startTestServer(database);
  try {
    // Warm both paths (query plans, JIT) before measuring.
    for (let index = 0; index < 100; index += 1) await fetch(`${server.baseUrl}/api/locate?lon=${at(index).lon}&lat=${at(index).lat}`);
    const raw = await measure('raw SQL', requests, async (index) => {
      const { lon, lat } = at(index);
      await sql`
        SELECT u.code, u.name, u.level FROM admin_unit u
        WHERE u.boundary_set_id = (SELECT id FROM boundary_set WHERE valid_from <= current_date ORDER BY valid_from DESC, created_at DESC LIMIT 1)
          AND ST_Covers(u.geom, ST_SetSRID(ST_MakePoint(${lon}::double precision, ${lat}::double precision), 4326))
        ORDER BY u.code`.execute(database.db);
    });
    const served = await measure('HTTP /api/locate', requests, async (index) => {
      const { lon, lat } = at(index);
      const response = await fetch(`${server.baseUrl}/api/locate?lon=${lon}&lat=${lat}`);
      if (response.status !== 200) throw new Error(`locate answered ${response.status}`);
      await response.arrayBuffer();
    });
    return [row(database.backend, raw, raw), row(database.backend, served, raw)];
  } finally {
    await server.close();
  }
}

function row(backend: string, measurement: Measurement, baseline: Measurement): Record<string, string | number> {
  return {
    backend,
    path: measurement.label,
    requests: measurement.count,
    'per second': measurement.perSecond,
    'p50 ms': measurement.p50Ms,
    'p95 ms': measurement.p95Ms,
    'p50 vs raw': measurement.p50Ms / baseline.p50Ms,
  };
}

const rows: Array<Record<string, string | number>> = [];
const embedded = await openEmbeddedDatabase({ dataDir: 'memory://' });
try {
  rows.push(...(await benchBackend(embedded)));
} finally {
  await embedded.close();
}
if (process.env.DATABASE_URL) {
  const server = await openServerDatabase(process.env.DATABASE_URL);
  try {
    rows.push(...(await benchBackend(server)));
  } finally {
    await server.close();
  }
} else {
  console.log('(DATABASE_URL is not set: the server backend is not measured)');
}
printTable(`Locate latency, ${requests} random points in the province, one client, sequential`, rows);
