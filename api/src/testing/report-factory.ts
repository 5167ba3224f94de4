import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, ReportStatus } from '../db/database-schema.ts';

export interface TestReportSpec {
  lon: number;
  lat: number;
  /** A seeded category code (default 'public_lighting'). */
  category?: string;
  status?: ReportStatus;
  /** ISO date-time (default now). */
  createdAt?: string;
  overdue?: boolean;
}

export interface TestReport {
  id: string;
  trackingCode: string;
  category: string;
  status: ReportStatus;
  lon: number;
  lat: number;
  unitCode: string;
  /** The private contact stored in report_reporter (what must never leak). */
  reporter: { name: string; phone: string; email: string };
}

/**
 * Inserts reports straight into the database (one statement for all, like a bulk write), each with a
 * reporter row holding a name, phone and e-mail, so privacy tests have something to look for. The
 * routing columns are filled as the intake would: the commune of the 2025 sample set that covers the
 * point (the nearest one outside it) and that commune's People's Committee.
 */
export async function insertTestReports(db: Kysely<Database>, specs: readonly TestReportSpec[]): Promise<TestReport[]> {
  if (specs.length === 0) return [];
  const rows = specs.map((spec, index) => ({
    ordinal: index,
    tracking_code: `T-${randomBytes(5).toString('hex').toUpperCase()}`,
    category_code: spec.category ?? 'public_lighting',
    status: spec.status ?? 'received',
    lon: spec.lon,
    lat: spec.lat,
    created_at: spec.createdAt ?? new Date().toISOString(),
    overdue: spec.overdue ?? false,
  }));
  return db.transaction().execute(async (transaction) => {
    const inserted = await sql<{ id: string; ordinal: number; tracking_code: string; unit_code: string }>`
      WITH input AS (
        SELECT * FROM json_to_recordset(${JSON.stringify(rows)}::json)
          AS i(ordinal integer, tracking_code text, category_code text, status text, lon double precision, lat double precision, created_at timestamptz, overdue boolean)
      ),
      routed AS (
        SELECT i.*, unit.boundary_set_id, unit.code AS unit_code, unit.name AS unit_name, office.id AS office_id
        FROM input AS i
        CROSS JOIN LATERAL (
          SELECT u.boundary_set_id, u.code, u.name, u.geom FROM admin_unit AS u JOIN boundary_set AS s ON s.id = u.boundary_set_id
          WHERE s.name = 'dienbien-2025' AND u.level IN ('commune', 'ward', 'town')
          ORDER BY NOT ST_Covers(u.geom, ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326)), ST_Distance(u.geom, ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326)), u.code
          LIMIT 1
        ) AS unit
        JOIN office ON office.code = 'UBND-' || unit.code
      ),
      written AS (
        INSERT INTO report (tracking_code, category_code, priority, description, location, status, boundary_set_id, unit_code, unit_name, office_id,
          location_verdict, created_at, acknowledge_due_at, overdue, duplicate_of)
        SELECT r.tracking_code, r.category_code, c.default_priority, 'Báo cáo thử nghiệm ' || r.tracking_code, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326),
          r.status, r.boundary_set_id, r.unit_code, r.unit_name, r.office_id, 'unverified', r.created_at, r.created_at + interval '1 day', r.overdue, NULL
        FROM routed AS r JOIN report_category AS c ON c.code = r.category_code
        RETURNING id, tracking_code, unit_code
      )
      SELECT w.id, i.ordinal, w.tracking_code, w.unit_code FROM written AS w JOIN input AS i ON i.tracking_code = w.tracking_code
      ORDER BY i.ordinal`.execute(transaction);
    if (inserted.rows.length !== rows.length) throw new Error(`insertTestReports: ${rows.length - inserted.rows.length} report(s) not inserted (unknown category?)`);
    const reports = inserted.rows.map((row): TestReport => {
      const spec = rows[row.ordinal]!;
      return {
        id: row.id,
        trackingCode: row.tracking_code,
        category: spec.category_code,
        status: spec.status as ReportStatus,
        lon: spec.lon,
        lat: spec.lat,
        unitCode: row.unit_code,
        reporter: { name: `Nguyễn Văn Riêng ${row.tracking_code}`, phone: `0912${randomDigits(6)}`, email: `private-${row.tracking_code.toLowerCase()}@example.invalid` },
      };
    });
    await transaction
      .insertInto('report_reporter')
      .values(
        reports.map((report) => ({
          report_id: report.id,
          name: report.reporter.name,
          phone: report.reporter.phone,
          email: report.reporter.email,
          consent_to_contact: true,
          token_hash: randomBytes(16).toString('hex'),
        })),
      )
      .execute();
    return reports;
  });
}

/** Changes a report's status the way a workflow step would (one UPDATE). */
export async function setTestReportStatus(db: Kysely<Database>, reportId: string, status: ReportStatus): Promise<void> {
  await db.updateTable('report').set({ status, updated_at: new Date() }).where('id', '=', reportId).execute();
}

function randomDigits(count: number): string {
  let digits = '';
  for (const byte of randomBytes(count)) digits += String(byte % 10);
  return digits;
}
