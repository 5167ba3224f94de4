import { randomBytes } from 'node:crypto';
import type { SubmissionReceipt } from '@bandoso/contracts';
import { sql, type Kysely } from 'kysely';
import type { Database, UserRole } from '../db/database-schema.ts';
import { createUser } from '../modules/auth/auth.service.ts';

/** A point well inside a unit of a boundary set (its ST_PointOnSurface), as [lon, lat]. */
export async function pointInUnit(db: Kysely<Database>, unitCode: string, setName = 'dienbien-2025'): Promise<[number, number]> {
  const result = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(ST_PointOnSurface(u.geom)) AS lon, ST_Y(ST_PointOnSurface(u.geom)) AS lat
    FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
    WHERE s.name = ${setName} AND u.code = ${unitCode}`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error(`no unit ${unitCode} in ${setName}`);
  return [row.lon, row.lat];
}

/** A point that lies exactly on the shared border of two units, as [lon, lat]. */
export async function pointOnSharedBorder(db: Kysely<Database>, codeA: string, codeB: string, setName = 'dienbien-2025'): Promise<[number, number]> {
  const result = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
      SELECT ST_LineInterpolatePoint(ST_GeometryN(ST_LineMerge(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 2)), 1), 0.5) AS p
      FROM admin_unit a JOIN admin_unit b ON b.boundary_set_id = a.boundary_set_id JOIN boundary_set s ON s.id = a.boundary_set_id
      WHERE s.name = ${setName} AND a.code = ${codeA} AND b.code = ${codeB}
    ) AS border`.execute(db);
  const row = result.rows[0];
  if (!row || row.lon === null) throw new Error(`units ${codeA} and ${codeB} do not share a border`);
  return [row.lon, row.lat];
}

/** Two commune-level units of a set that share a border (a line, not just a point). */
export async function adjacentUnits(db: Kysely<Database>, setName = 'dienbien-2025'): Promise<[string, string]> {
  const result = await sql<{ a: string; b: string }>`
    SELECT a.code AS a, b.code AS b
    FROM admin_unit a JOIN admin_unit b ON b.boundary_set_id = a.boundary_set_id AND a.code < b.code JOIN boundary_set s ON s.id = a.boundary_set_id
    WHERE s.name = ${setName} AND a.level <> 'province' AND b.level <> 'province' AND a.level <> 'district' AND b.level <> 'district'
      AND ST_Intersects(a.geom, b.geom) AND ST_Length(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 2)) > 0.001
    ORDER BY a.code, b.code LIMIT 1`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('no adjacent units');
  return [row.a, row.b];
}

export interface TestUser {
  email: string;
  password: string;
  role: UserRole;
  officeCode: string | null;
}

/** A staff (or citizen) account with a fresh e-mail; `officeCode` for officers. */
export async function createTestUser(db: Kysely<Database>, role: UserRole, officeCode: string | null = null): Promise<TestUser> {
  const email = `${role}.${randomBytes(5).toString('hex')}@test.bandoso.vn`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const office = officeCode ? await db.selectFrom('office').select('id').where('code', '=', officeCode).executeTakeFirstOrThrow() : undefined;
  await createUser(db, { email, displayName: `Test ${role}`, password, role, officeId: office?.id ?? null });
  return { email, password, role, officeCode };
}

/** A bearer token for a user, through the real API. */
export async function bearerToken(baseUrl: string, user: TestUser): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  if (response.status !== 201) throw new Error(`token for ${user.email}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** The receipt of `POST /api/reports` (@bandoso/contracts). */
export type SubmittedReport = SubmissionReceipt;

/** Sends a report through `POST /api/reports` and expects 201. */
export async function submitTestReport(
  baseUrl: string,
  body: { category: string; coordinates: [number, number]; description?: string; reporter?: Record<string, unknown>; accuracyM?: number },
  headers: Record<string, string> = {},
): Promise<SubmittedReport> {
  const response = await fetch(`${baseUrl}/api/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({
      category: body.category,
      description: body.description ?? `Thử nghiệm ${randomBytes(4).toString('hex')}: đèn đường hỏng`,
      location: { type: 'Point', coordinates: body.coordinates },
      ...(body.accuracyM === undefined ? {} : { accuracyM: body.accuracyM }),
      ...(body.reporter ? { reporter: body.reporter } : {}),
    }),
  });
  if (response.status !== 201) throw new Error(`submit: ${response.status} ${await response.text()}`);
  return (await response.json()) as SubmittedReport;
}

/** Performs a staff action through the API and returns the HTTP status and body. */
export async function staffAction(baseUrl: string, token: string, reportId: string, action: Record<string, unknown>) {
  const response = await fetch(`${baseUrl}/api/staff/reports/${reportId}/actions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(action),
  });
  return { status: response.status, body: (await response.json()) as any };
}
