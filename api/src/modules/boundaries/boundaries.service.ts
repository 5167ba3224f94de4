import type { Kysely } from 'kysely';
import type { AdminLevel, Database, DatabaseExecutor } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { findNeighbourUnitsWithin, findUnitIdsWithin, findUnitsCoveringPointOn, type CoveringUnitRow } from './boundaries.repository.ts';
import { locateIndexFor, type IndexedLocate } from './locate-index.ts';

/** Administrative dates (validity of boundary sets, deadlines) are calendar days in Vietnam. */
export const ADMINISTRATIVE_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export interface UnitSummary {
  code: string;
  name: string;
  level: AdminLevel;
}

export interface LocateResult {
  point: { type: 'Point'; coordinates: [number, number] };
  at: string;
  province: { code: string; name: string } | null;
  district: UnitSummary | null;
  commune: UnitSummary | null;
  /** Other commune-level units whose boundary the point lies on (it belongs to `commune`). */
  onBorderWith: UnitSummary[];
  boundarySet: { name: string; validFrom: string; validTo: string | null };
}

const communeLevels: ReadonlySet<AdminLevel> = new Set(['commune', 'ward', 'town']);

/** The calendar date in Vietnam of an ISO date or date-time (a bare date is taken as it is). */
export function administrativeDate(at: string | undefined, now: Date = new Date()): string {
  if (at && /^\d{4}-\d{2}-\d{2}$/.test(at)) return at;
  const instant = at ? new Date(at) : now;
  return administrativeDayFormat.format(instant);
}

// Made once: building an Intl.DateTimeFormat costs more than a whole in-memory locate.
const administrativeDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: ADMINISTRATIVE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The units containing a point under the boundary set in force on a date.
 *
 * Shared borders: a point on the boundary between two units is covered by both. The rule is that the
 * unit with the smallest official code receives it; the others are listed in `onBorderWith`. The
 * rule only depends on the data, so every process, every backend and every retry answers the same.
 */
export async function locatePoint(db: Kysely<Database>, longitude: number, latitude: number, at?: string): Promise<LocateResult> {
  return (await locateWithSet(db, longitude, latitude, at)).located;
}

/**
 * What locatePoint answers, with the set's id, and the in-memory lookup when the locate index
 * answered (later lookups of the same request use the same snapshot: see findNeighboursOf).
 */
export interface LocatedWithSet {
  located: LocateResult;
  boundarySetId: string;
  indexed: IndexedLocate | undefined;
}

/**
 * `path`: 'auto' uses the locate index when it can answer exactly and is current (the platform's
 * choice), 'sql' always asks PostGIS (tests and benchmarks compare the two).
 */
export async function locateWithSet(db: Kysely<Database>, longitude: number, latitude: number, at?: string, path: 'auto' | 'sql' = 'auto'): Promise<LocatedWithSet> {
  const date = administrativeDate(at);
  const fromIndex = path === 'auto' ? await locateIndexFor(db)?.unitsCovering(date, longitude, latitude) : undefined;
  const { set, units } = fromIndex ?? (await findUnitsCoveringPointOn(db, date, longitude, latitude));
  const indexed = fromIndex?.set ? fromIndex : undefined;
  if (!set || (set.valid_to !== null && set.valid_to < date)) {
    throw new AppError('NO_BOUNDARY_SET', `No boundary set is in force on ${date}.`, {
      vi: `Không có bộ ranh giới hành chính nào có hiệu lực vào ngày ${date}.`,
    });
  }
  if (units.length === 0) {
    throw new AppError(
      'OUTSIDE_PROVINCE',
      `The point (lon ${longitude}, lat ${latitude}) is outside Điện Biên province (boundary set ${set.name}). Check the position, and that lon and lat are not swapped.`,
      {
        vi: `Vị trí (kinh độ ${longitude}, vĩ độ ${latitude}) nằm ngoài tỉnh Điện Biên. Hãy kiểm tra lại vị trí trên bản đồ.`,
      },
    );
  }
  const province = units.find((unit) => unit.level === 'province');
  const district = units.find((unit) => unit.level === 'district');
  const communes = units.filter((unit) => communeLevels.has(unit.level));
  const [commune, ...others] = communes;
  const located: LocateResult = {
    point: { type: 'Point', coordinates: [longitude, latitude] },
    at: date,
    province: province ? { code: province.code, name: province.name } : null,
    district: district ? summarize(district) : null,
    commune: commune ? summarize(commune) : null,
    onBorderWith: others.map(summarize),
    boundarySet: { name: set.name, validFrom: set.valid_from, validTo: set.valid_to },
  };
  return { located, boundarySetId: set.id, indexed };
}

/**
 * Other commune-level units within `metres` of the point (the pin is near their border), smallest
 * code first: from the same in-memory snapshot as the lookup when it answered and can tell exactly,
 * else ST_DWithin on geography.
 */
export async function findNeighboursOf(
  db: DatabaseExecutor,
  locatedWith: Pick<LocatedWithSet, 'boundarySetId' | 'indexed'>,
  exceptCode: string,
  longitude: number,
  latitude: number,
  metres: number,
): Promise<Array<{ code: string; name: string }>> {
  const index = locatedWith.indexed ? locateIndexFor(db) : undefined;
  const fromIndex = index && locatedWith.indexed ? index.neighboursWithin(locatedWith.indexed, exceptCode, longitude, latitude, metres) : undefined;
  if (!fromIndex) return findNeighbourUnitsWithin(db, locatedWith.boundarySetId, exceptCode, longitude, latitude, metres);
  // Units at the limit (within its safety margin): PostGIS decides, for those units only.
  const confirmed = new Set(await findUnitIdsWithin(db, fromIndex.unsure.map((unit) => unit.id), longitude, latitude, metres));
  const units = [...fromIndex.within, ...fromIndex.unsure.filter((unit) => confirmed.has(unit.id))];
  const order = locatedWith.indexed!.set.units;
  return units.sort((a, b) => order.indexOf(a) - order.indexOf(b)).map((unit) => ({ code: unit.code, name: unit.name }));
}

function summarize(unit: CoveringUnitRow): UnitSummary {
  return { code: unit.code, name: unit.name, level: unit.level };
}

// Lookups other modules make (routing, tiles, statistics, offices): the module's public surface.
export { findBoundarySetByName, findLatestBoundarySetStartingBy, findNeighbourUnitsWithin, listUnitCodesInSet, type BoundarySetRow } from './boundaries.repository.ts';
