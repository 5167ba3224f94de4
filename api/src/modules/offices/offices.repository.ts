import type { Kysely, Transaction } from 'kysely';
import type { Database, OfficeKind, DatabaseExecutor } from '../../db/database-schema.ts';


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

export async function findBoundarySetIdByName(db: DatabaseExecutor, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('boundary_set').select('id').where('name', '=', name).executeTakeFirst();
  return row?.id;
}

export async function listUnitCodesInSet(db: DatabaseExecutor, boundarySetId: string, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('admin_unit').select('code').where('boundary_set_id', '=', boundarySetId).where('code', 'in', codes).execute();
  return rows.map((row) => row.code);
}
