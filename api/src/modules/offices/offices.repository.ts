import { sql, type Kysely } from 'kysely';
import { readSourceVersions } from '@bandoso/tiles';
import type { Database, DatabaseExecutor, OfficeKind, OfficeRow } from '../../db/database-schema.ts';

export interface OfficeInput {
  code: string;
  name: string;
  nameEn: string | null;
  kind: OfficeKind;
  responsibilities: string[];
  phone: string | null;
  email: string | null;
  address: string | null;
}

export async function upsertOffice(db: DatabaseExecutor, office: OfficeInput): Promise<string> {
  const row = await db
    .insertInto('office')
    .values({
      code: office.code,
      name: office.name,
      name_en: office.nameEn,
      kind: office.kind,
      responsibilities: office.responsibilities,
      phone: office.phone,
      email: office.email,
      address: office.address,
    })
    .onConflict((conflict) =>
      conflict.column('code').doUpdateSet((excluded) => ({
        name: excluded.ref('excluded.name'),
        name_en: excluded.ref('excluded.name_en'),
        kind: excluded.ref('excluded.kind'),
        responsibilities: excluded.ref('excluded.responsibilities'),
        phone: excluded.ref('excluded.phone'),
        email: excluded.ref('excluded.email'),
        address: excluded.ref('excluded.address'),
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setOfficeSupervisor(db: DatabaseExecutor, officeCode: string, supervisorCode: string | null): Promise<void> {
  await db
    .updateTable('office')
    .set((eb) => ({
      supervisor_id: supervisorCode === null ? null : eb.selectFrom('office as supervisor').select('supervisor.id').where('supervisor.code', '=', supervisorCode),
    }))
    .where('code', '=', officeCode)
    .execute();
}

/** Replaces an office's area within one boundary set. */
export async function replaceOfficeCoverage(db: DatabaseExecutor, officeId: string, boundarySetId: string, unitCodes: string[]): Promise<void> {
  await db.deleteFrom('office_coverage').where('office_id', '=', officeId).where('boundary_set_id', '=', boundarySetId).execute();
  if (unitCodes.length === 0) return;
  await db
    .insertInto('office_coverage')
    .values(unitCodes.map((unitCode) => ({ office_id: officeId, boundary_set_id: boundarySetId, unit_code: unitCode })))
    .execute();
}

export type OfficeSummaryRow = Pick<OfficeRow, 'id' | 'code' | 'name' | 'name_en' | 'kind'>;

/** Every office, for the public list (GET /api/offices). */
export async function listOffices(db: DatabaseExecutor) {
  return db.selectFrom('office').select(['code', 'name', 'name_en', 'kind', 'responsibilities']).orderBy('kind').orderBy('code').execute();
}

/**
 * The offices covering any of `unitCodes` (most specific first, as given) in a boundary set, that
 * have `responsibility` — or are commune People's Committees when it is null.
 */
export async function findCoveringOffices(db: DatabaseExecutor, boundarySetId: string, unitCodes: string[], responsibility: string | null): Promise<Array<OfficeSummaryRow & { unit_code: string }>> {
  if (unitCodes.length === 0) return [];
  let query = db
    .selectFrom('office_coverage')
    .innerJoin('office', 'office.id', 'office_coverage.office_id')
    .select(['office.id', 'office.code', 'office.name', 'office.name_en', 'office.kind', 'office_coverage.unit_code'])
    .where('office_coverage.boundary_set_id', '=', boundarySetId)
    .where('office_coverage.unit_code', 'in', unitCodes);
  query = responsibility === null ? query.where('office.kind', '=', 'commune_committee') : query.where(sql<boolean>`${responsibility} = ANY(office.responsibilities)`);
  const rows = await query.orderBy('office.code').execute();
  return rows.sort((a, b) => unitCodes.indexOf(a.unit_code) - unitCodes.indexOf(b.unit_code));
}

export async function findOfficeByCode(db: DatabaseExecutor, code: string): Promise<(OfficeSummaryRow & { supervisor_id: string | null }) | undefined> {
  return db.selectFrom('office').select(['id', 'code', 'name', 'name_en', 'kind', 'supervisor_id']).where('code', '=', code).executeTakeFirst();
}

export async function findOfficeById(db: DatabaseExecutor, id: string): Promise<(OfficeSummaryRow & { supervisor_id: string | null }) | undefined> {
  return db.selectFrom('office').select(['id', 'code', 'name', 'name_en', 'kind', 'supervisor_id']).where('id', '=', id).executeTakeFirst();
}

/** Every office (smallest code first, as PostgreSQL orders codes) and area, with the change counters, from one snapshot. */
export async function readOfficeSnapshot(db: Kysely<Database>) {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (transaction) => {
      const versions = await readSourceVersions(transaction);
      const offices = await transaction.selectFrom('office').select(['id', 'code', 'name', 'name_en', 'kind', 'responsibilities']).orderBy('code').execute();
      const coverage = await transaction.selectFrom('office_coverage').select(['office_id', 'boundary_set_id', 'unit_code']).execute();
      return { versions, offices, coverage };
    });
}
