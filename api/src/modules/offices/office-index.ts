import type { Kysely } from 'kysely';
import type { Database, OfficeKind } from '../../db/database-schema.ts';
import { FreshSnapshot, perHandle, type Versioned } from '../boundaries/fresh-snapshot.ts';
import { readOfficeSnapshot, type OfficeSummaryRow } from './offices.repository.ts';

/**
 * The offices and their areas in memory, for routing a report (every routing preview, every
 * submission) without a query. Used only while current (FreshSnapshot): every write to `office` or
 * `office_coverage` counts in tile_source_version ('office') inside its transaction and is announced
 * (triggers of migration 0016).
 */

interface OfficeEntry extends OfficeSummaryRow {
  responsibilities: string[];
  /** Position in PostgreSQL's order of codes. */
  rank: number;
}

/** One snapshot of the offices' areas: answers as findCoveringOffices does. */
export class OfficeCoverage {
  /** boundary set id → unit code → offices covering it (ascending rank). */
  readonly #areas = new Map<string, Map<string, OfficeEntry[]>>();

  constructor(offices: ReadonlyArray<Omit<OfficeEntry, 'rank'>>, coverage: ReadonlyArray<{ office_id: string; boundary_set_id: string; unit_code: string }>) {
    const byId = new Map(offices.map((office, rank) => [office.id, { ...office, rank }]));
    for (const row of coverage) {
      const office = byId.get(row.office_id);
      if (!office) continue;
      let units = this.#areas.get(row.boundary_set_id);
      if (!units) this.#areas.set(row.boundary_set_id, (units = new Map()));
      const list = units.get(row.unit_code) ?? [];
      list.push(office);
      units.set(row.unit_code, list);
    }
    for (const units of this.#areas.values()) for (const list of units.values()) list.sort((a, b) => a.rank - b.rank);
  }

  /**
   * The offices covering any of `unitCodes` (most specific first, as given) in a boundary set that
   * have `responsibility`, or are commune People's Committees when it is null.
   */
  covering(boundarySetId: string, unitCodes: string[], responsibility: string | null): Array<OfficeSummaryRow & { unit_code: string }> {
    const units = this.#areas.get(boundarySetId);
    if (!units || unitCodes.length === 0) return [];
    const rows: Array<{ office: OfficeEntry; unit_code: string }> = [];
    for (const unitCode of new Set(unitCodes)) {
      for (const office of units.get(unitCode) ?? []) {
        if (responsibility === null ? office.kind === 'commune_committee' : office.responsibilities.includes(responsibility)) rows.push({ office, unit_code: unitCode });
      }
    }
    // As the SQL: by office code, then (stable) by the position of the unit in `unitCodes`.
    rows.sort((a, b) => a.office.rank - b.office.rank);
    rows.sort((a, b) => unitCodes.indexOf(a.unit_code) - unitCodes.indexOf(b.unit_code));
    return rows.map(({ office, unit_code }) => ({ id: office.id, code: office.code, name: office.name, name_en: office.name_en, kind: office.kind, unit_code }));
  }
}

/**
 * 'office': the triggers on office and office_coverage (a cascade from a deleted boundary set
 * fires them too). The boundaries too: the units' codes and sets are what the areas refer to.
 */
const SOURCES = ['office', 'boundary_set', 'admin_unit'];

async function loadCoverage(db: Kysely<Database>): Promise<Versioned<OfficeCoverage>> {
  const { versions, offices, coverage } = await readOfficeSnapshot(db);
  return {
    versions: new Map(SOURCES.map((source) => [source, versions.get(source) ?? 0])),
    value: new OfficeCoverage(
      offices.map((office) => ({ ...office, kind: office.kind as OfficeKind })),
      coverage,
    ),
  };
}

/** The offices' areas, used only while current (see FreshSnapshot): `current()` or `undefined` (ask the database). */
export type OfficeIndex = FreshSnapshot<OfficeCoverage>;

/** The office index of each database handle (see `perHandle`): `attachOfficeIndex` starts or joins it, `officeIndexFor` finds it. */
const attached = perHandle((handle, logger): OfficeIndex => new FreshSnapshot(handle, { name: 'office index', sources: SOURCES, load: loadCoverage, logger }));
export const officeIndexFor = attached.for;
export const attachOfficeIndex = attached.attach;
