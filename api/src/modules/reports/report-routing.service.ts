import type { Kysely } from 'kysely';
import type { Database, DatabaseExecutor } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { findNeighboursOf, locateWithSet, type LocateResult } from '../boundaries/boundaries.service.ts';
import { currentOfficeCoverage, findCoveringOffices, type OfficeSummaryRow } from '../offices/offices.service.ts';
import type * as rules from './report-rules.repository.ts';

export interface RoutingDecision {
  located: LocateResult & { commune: NonNullable<LocateResult['commune']> };
  boundarySetId: string;
  office: OfficeSummaryRow;
  /** Why this office: the rule that matched, for the report's first event. */
  rule: string;
  nearBorder: boolean;
  neighbours: Array<{ code: string; name: string }>;
}

/**
 * Where a report goes. Point-in-polygon on the boundary set in force at `at` gives the commune or
 * ward; the category says who answers: the commune's People's Committee, or the office with the
 * category's responsibility whose area covers the point (the most local one first). A pin close to
 * another commune is flagged so that the receiving office confirms it.
 */
export async function routeReport(
  db: DatabaseExecutor,
  category: rules.CategoryRow,
  longitude: number,
  latitude: number,
  at: Date,
  borderFlagDistanceM: number,
): Promise<RoutingDecision> {
  // The locate and office indexes answer from memory when they are current (no query; one shared
  // check of the change counters); the set's id comes with the located point.
  const [locatedWith, coverage] = await Promise.all([locateWithSet(db as Kysely<Database>, longitude, latitude, at.toISOString()), currentOfficeCoverage(db)]);
  const { located, boundarySetId } = locatedWith;
  const coveringOffices = async (codes: string[], responsibility: string | null) =>
    coverage ? coverage.covering(boundarySetId, codes, responsibility) : findCoveringOffices(db, boundarySetId, codes, responsibility);
  if (!located.commune) {
    throw new AppError('OUTSIDE_PROVINCE', 'No commune or ward of the boundary set in force covers this point.', {
      vi: 'Vị trí không thuộc xã, phường nào của tỉnh Điện Biên. Hãy kiểm tra lại vị trí trên bản đồ.',
    });
  }
  const commune = located.commune;
  const unitCodes = [commune.code, located.district?.code, located.province?.code].filter((code): code is string => Boolean(code));

  let office: OfficeSummaryRow | undefined;
  let rule: string;
  if (category.responsible_kind === 'commune_committee') {
    office = (await coveringOffices([commune.code], null))[0];
    rule = `category ${category.code} → People's Committee of ${commune.name}`;
  } else {
    const offices = await coveringOffices(unitCodes, category.responsibility);
    office = offices[0];
    rule = office
      ? `category ${category.code} → responsibility "${category.responsibility}" → ${office.code} (covers ${offices[0]!.unit_code})`
      : `category ${category.code} → responsibility "${category.responsibility}": no office covers this point`;
    if (!office) {
      // Nobody has that responsibility here: the commune answers rather than nobody.
      office = (await coveringOffices([commune.code], null))[0];
      rule += `; fallback to the People's Committee of ${commune.name}`;
    }
  }
  if (!office) {
    throw new AppError('CONFLICT', `No office answers reports in ${commune.name} yet; the administrators have to set one up.`, {
      vi: `Chưa có cơ quan tiếp nhận phản ánh tại ${commune.name}. Vui lòng liên hệ quản trị hệ thống.`,
    });
  }
  const neighbours = borderFlagDistanceM > 0 ? await findNeighboursOf(db, locatedWith, commune.code, longitude, latitude, borderFlagDistanceM) : [];
  return { located: { ...located, commune }, boundarySetId, office, rule, nearBorder: neighbours.length > 0, neighbours };
}
