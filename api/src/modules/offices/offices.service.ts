import type { Kysely } from 'kysely';
import type { Database, DatabaseExecutor } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { findBoundarySetByName, listUnitCodesInSet } from '../boundaries/boundaries.service.ts';
import { officeIndexFor, type OfficeCoverage } from './office-index.ts';
import * as repository from './offices.repository.ts';
import type { OfficeSeed } from './offices.schema.ts';

/**
 * Creates or updates offices with their areas, in one transaction. Every covered unit must exist in
 * the named boundary set, and every supervisor must be one of the offices: a typo fails loudly.
 */
export async function upsertOffices(db: Kysely<Database>, offices: OfficeSeed[]): Promise<number> {
  const codes = new Set(offices.map((office) => office.code));
  await db.transaction().execute(async (transaction) => {
    for (const office of offices) {
      const officeId = await repository.upsertOffice(transaction, {
        code: office.code,
        name: office.name,
        nameEn: office.name_en ?? null,
        kind: office.kind,
        responsibilities: office.responsibilities,
        phone: office.phone ?? null,
        email: office.email ?? null,
        address: office.address ?? null,
      });
      if (!office.covers) continue;
      const setId = (await findBoundarySetByName(transaction, office.covers.set))?.id;
      if (!setId) throw new AppError('VALIDATION_FAILED', `Office ${office.code} covers boundary set "${office.covers.set}", which does not exist.`);
      const found = new Set(await listUnitCodesInSet(transaction, setId, office.covers.unit_codes));
      const missing = office.covers.unit_codes.filter((code) => !found.has(code));
      if (missing.length > 0) {
        throw new AppError('VALIDATION_FAILED', `Office ${office.code} covers units ${missing.join(', ')}, which are not in boundary set "${office.covers.set}".`);
      }
      await repository.replaceOfficeCoverage(transaction, officeId, setId, office.covers.unit_codes);
    }
    for (const office of offices) {
      const supervisor = office.supervisor_code ?? null;
      if (supervisor !== null && !codes.has(supervisor)) {
        throw new AppError('VALIDATION_FAILED', `Office ${office.code} names supervisor ${supervisor}, which is not in the file.`);
      }
      await repository.setOfficeSupervisor(transaction, office.code, supervisor);
    }
  });
  return offices.length;
}

/** Every office, as the public list shows it; `responsibilities` lets the admin category form offer the codes offices have. */
export async function listPublicOffices(db: DatabaseExecutor) {
  const offices = await repository.listOffices(db);
  return offices.map((office) => ({ code: office.code, name: office.name, nameEn: office.name_en, kind: office.kind, responsibilities: office.responsibilities }));
}

// Lookups other modules make (routing, the workflow, partners): the module's public surface.
export { findCoveringOffices, findOfficeByCode, findOfficeById, type OfficeSummaryRow } from './offices.repository.ts';

/**
 * The offices' areas held in memory, when the office index runs on `db` and is current: routing
 * asks it (covering(…)) instead of findCoveringOffices; `undefined`: ask the database.
 */
export async function currentOfficeCoverage(db: DatabaseExecutor): Promise<OfficeCoverage | undefined> {
  return officeIndexFor(db)?.current();
}
