import type { MultiPolygon, Polygon } from 'geojson';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AdminLevel, Database } from '../../db/database-schema.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { readBoundarySnapshot, type BoundarySetRow, type CoveringUnitRow } from './boundaries.repository.ts';
import { FreshSnapshot, perHandle, type SnapshotState, type Versioned } from './fresh-snapshot.ts';
import { SetGeometry } from './locate-geometry.ts';

/**
 * An in-process index of every boundary set, so that locating a point (every tap on the map, every
 * report) needs no database query. Boundaries change once a decade; lookups happen all the time.
 *
 * It answers only when its answer is PostGIS's (see SetGeometry: points on or near a boundary are
 * left to ST_Covers) and only from data known to be current. A lookup returns `undefined` — and the
 * caller runs the SQL — while the index is being built, while the notification connection is not
 * listening, and whenever the change counters the boundary tables' triggers bump inside every
 * writer's transaction (tile_source_version, migration 0005) are ahead of what it was built from.
 * Those counters are read before the answer, one read shared by every lookup that arrived before
 * it started (as the tile cache does), so a lookup made after an import committed — in this
 * process or another (`npm run import`) — never answers from the previous boundaries. A change
 * heard on `data_changed` starts a rebuild at once, in the background.
 */

const SOURCES = ['boundary_set', 'admin_unit'] as const;

export interface IndexedSet extends BoundarySetRow {
  /** The set's units, smallest code first (PostgreSQL's order of `code`). */
  units: CoveringUnitRow[];
  /** Undefined when a unit's geometry is not a WGS84 (Multi)Polygon: that set is left to SQL. */
  geometry: SetGeometry | undefined;
}

interface Snapshot {
  /** Every set, in the order that picks the set in force (latestSetStartingBy). */
  sets: IndexedSet[];
}

export type LocateIndexState = SnapshotState;

/** What one lookup used: the snapshot of the set (for later lookups in the same request) and the units. */
export interface IndexedLocate {
  set: IndexedSet;
  units: CoveringUnitRow[];
}

export interface LocateIndexCounters {
  /** Lookups answered from memory. */
  answered: number;
  /** Points close to a boundary, left to PostGIS. */
  nearBoundary: number;
  /** Lookups made while the index was not usable (building, stale, not listening). */
  notReady: number;
}

export class LocateIndex {
  readonly #snapshot: FreshSnapshot<Snapshot>;
  readonly counters: LocateIndexCounters = { answered: 0, nearBoundary: 0, notReady: 0 };

  constructor(handle: DatabaseHandle, logger?: Logger) {
    this.#snapshot = new FreshSnapshot(handle, {
      name: 'locate index',
      sources: SOURCES,
      load: loadSnapshot,
      describe: (snapshot) => ({ sets: snapshot.sets.length, edges: snapshot.sets.reduce((sum, set) => sum + (set.geometry?.edgeCount ?? 0), 0) }),
      logger,
    });
  }

  get state(): LocateIndexState {
    return this.#snapshot.state;
  }

  /** Builds made so far (tests). */
  get builds(): number {
    return this.#snapshot.builds;
  }

  /** Subscribes to data_changed; the first build starts once it listens. Never waits for the build. */
  start(): void {
    this.#snapshot.start();
  }

  close(): Promise<void> {
    return this.#snapshot.close();
  }

  /**
   * The set in force on `date` and its units covering the point (smallest code first), as
   * findUnitsCoveringPointOn answers; `undefined`: ask the database.
   */
  async unitsCovering(date: string, longitude: number, latitude: number): Promise<IndexedLocate | { set: undefined; units: [] } | undefined> {
    const snapshot = await this.#snapshot.current();
    if (!snapshot) {
      this.counters.notReady += 1;
      return undefined;
    }
    const set = snapshot.sets.find((candidate) => candidate.valid_from <= date);
    if (!set) return { set: undefined, units: [] };
    if (!set.geometry) {
      this.counters.notReady += 1;
      return undefined;
    }
    const covering = set.geometry.unitsCovering(longitude, latitude);
    if (!covering) {
      this.counters.nearBoundary += 1;
      return undefined;
    }
    this.counters.answered += 1;
    return { set, units: covering.map((index) => set.units[index]!) };
  }

  /**
   * Commune-level units of `located.set` other than `exceptCode` within `metres` of the point, as
   * findNeighbourUnitsWithin answers (ST_DWithin on geography): those surely within, and those too
   * close to the limit to tell (PostGIS decides those), smallest code first. Uses the same snapshot
   * as the lookup that found `located`.
   */
  neighboursWithin(located: IndexedLocate, exceptCode: string, longitude: number, latitude: number, metres: number): { within: CoveringUnitRow[]; unsure: CoveringUnitRow[] } | undefined {
    const { set } = located;
    if (!set.geometry) return undefined;
    const covering = located.units.map((unit) => set.units.indexOf(unit));
    // As the SQL: other commune-level units only.
    const considered = (index: number) => communeLevels.has(set.units[index]!.level) && set.units[index]!.code !== exceptCode;
    const { within, unsure } = set.geometry.unitsWithin(longitude, latitude, metres, covering, considered);
    if (unsure.size > 0) this.counters.nearBoundary += 1;
    const units = (indexes: Set<number>) => [...indexes].sort((a, b) => a - b).map((index) => set.units[index]!);
    return { within: units(within), unsure: units(unsure) };
  }
}

const communeLevels: ReadonlySet<AdminLevel> = new Set(['commune', 'ward', 'town']);

/** Every set and unit as of one snapshot (see readBoundarySnapshot), with their geometry in memory. */
async function loadSnapshot(db: Kysely<Database>): Promise<Versioned<Snapshot>> {
  const { versions, sets, units } = await readBoundarySnapshot(db, SOURCES);
  const bySet = new Map<string, typeof units>();
  for (const unit of units) {
    const list = bySet.get(unit.boundary_set_id) ?? [];
    list.push(unit);
    bySet.set(unit.boundary_set_id, list);
  }
  return {
    versions,
    value: {
      sets: sets.map((set) => {
        const rows = bySet.get(set.id) ?? [];
        const indexable = rows.every((row) => row.geojson !== null);
        return {
          ...set,
          units: rows.map((row) => ({ id: row.id, code: row.code, name: row.name, level: row.level })),
          geometry: indexable ? new SetGeometry(rows.map((row, index) => ({ index, geometry: JSON.parse(row.geojson!) as Polygon | MultiPolygon }))) : undefined,
        };
      }),
    },
  };
}

/** The locate index of each database handle (see `perHandle`): `attachLocateIndex` starts or joins it, `locateIndexFor` finds it. */
const attached = perHandle((handle, logger) => new LocateIndex(handle, logger));
export const locateIndexFor = attached.for;
export const attachLocateIndex = attached.attach;
