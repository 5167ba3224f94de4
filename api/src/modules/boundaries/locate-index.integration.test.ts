import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, repositoryRoot, startTestServer, type TestDatabase, type TestServer } from '../../testing/index.ts';
import { importReferenceFile } from '../imports/imports.service.ts';
import { findNeighbourUnitsWithin } from './boundaries.repository.ts';
import { findNeighboursOf, locateWithSet, type LocatedWithSet } from './boundaries.service.ts';
import { attachLocateIndex, type LocateIndex } from './locate-index.ts';

// The real 2025 boundaries are test data only (../shared/data/README.md): read from there, never copied.
const sharedData = path.resolve(repositoryRoot, '../shared/data');
const realCommunes = path.join(sharedData, 'dienbien-communes-2025.geojson');
const realProvince = path.join(sharedData, 'dienbien-province.geojson');
const available = fs.existsSync(realCommunes) && fs.existsSync(realProvince);
const AT = '2026-01-15';

/** A small deterministic generator (mulberry32): the same points on every run and backend. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a lookup answers, as the API would show it: the result, or the error's code and message. */
async function outcome(run: () => Promise<LocatedWithSet>): Promise<unknown> {
  try {
    const { located, boundarySetId } = await run();
    return { located, boundarySetId };
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return { error: code, message };
  }
}

if (!available) {
  describe('the locate index on the real boundaries', () => {
    it.skip(`skipped: the real boundaries are not in ${sharedData} (test data kept beside the repository, see its README)`, () => undefined);
  });
} else {
  let database: TestDatabase;
  let index: LocateIndex;
  let detach: () => Promise<void>;
  let edges: Array<{ ax: number; ay: number; bx: number; by: number }>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const set = { name: 'real-2025', validFrom: '2025-07-01' };
    expect((await importReferenceFile(database.db, { layer: 'province', source: { path: realProvince }, boundarySet: set })).status).toBe('imported');
    expect((await importReferenceFile(database.db, { layer: 'communes', source: { path: realCommunes }, boundarySet: set })).imported).toBe(45);
    ({ index, detach } = attachLocateIndex(database));
    await vi.waitFor(() => expect(index.state).toBe('ready'), { timeout: 60_000, interval: 50 });
    // A sample of the real communes' edges (every 97th), exact as PostGIS stores them.
    const rows = await sql<{ ax: number; ay: number; bx: number; by: number }>`
      SELECT ST_X(a) AS ax, ST_Y(a) AS ay, ST_X(b) AS bx, ST_Y(b) AS by FROM (
        SELECT d.geom AS a, lead(d.geom) OVER (PARTITION BY u.id, d.path[1], d.path[2] ORDER BY d.path[3]) AS b, row_number() OVER () AS n
        FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id, LATERAL ST_DumpPoints(u.geom) AS d
        WHERE s.name = 'real-2025' AND u.level <> 'province') AS e
      WHERE b IS NOT NULL AND n % 97 = 0`.execute(database.db);
    edges = rows.rows;
    expect(edges.length).toBeGreaterThan(300);
  });
  afterAll(async () => {
    await detach?.();
    await database?.close();
  });

  /** Both paths for each point: the platform's (index when it can) must equal PostGIS's, error or not. */
  async function compare(points: Array<[number, number]>): Promise<{ answered: number; deferred: number }> {
    let answered = 0;
    let deferred = 0;
    for (const [lon, lat] of points) {
      const direct = await index.unitsCovering(AT, lon, lat);
      if (direct === undefined) deferred += 1;
      else answered += 1;
      const expected = await outcome(() => locateWithSet(database.db, lon, lat, AT, 'sql'));
      const actual = await outcome(() => locateWithSet(database.db, lon, lat, AT, 'auto'));
      expect(actual, `${lon},${lat}`).toEqual(expected);
    }
    return { answered, deferred };
  }

  /** A point `offset` degrees to the left (positive) or right of the edge's middle. */
  const beside = (edge: (typeof edges)[number], offset: number): [number, number] => {
    const dx = edge.bx - edge.ax;
    const dy = edge.by - edge.ay;
    const length = Math.hypot(dx, dy) || 1;
    return [(edge.ax + edge.bx) / 2 - (dy / length) * offset, (edge.ay + edge.by) / 2 + (dx / length) * offset];
  };

  describe('the locate index on the real boundaries (../shared/data, test data only)', () => {
    it('answers random points over the province and around it exactly as PostGIS, and most from memory', async () => {
      const next = random(18);
      const points: Array<[number, number]> = Array.from({ length: 1000 }, () => [102.05 + next() * 1.65, 20.8 + next() * 1.85]);
      const { answered, deferred } = await compare(points);
      // Points within 0.1 mm of a boundary are left to PostGIS: among random points, next to none.
      expect(answered).toBeGreaterThanOrEqual(995);
      expect(answered + deferred).toBe(points.length);
    }, 180_000);

    it('leaves points on shared edges and vertices to PostGIS, and so gets the border rule right', async () => {
      const points: Array<[number, number]> = edges.filter((_edge, position) => position % 3 === 0).flatMap((edge): Array<[number, number]> => [
        [edge.ax, edge.ay],
        [(edge.ax + edge.bx) / 2, (edge.ay + edge.by) / 2],
        beside(edge, 1e-10),
      ]);
      const { answered } = await compare(points);
      expect(answered).toBe(0);
      // The border rule did apply on the way: some of these points lie on two communes.
      let shared = 0;
      for (const edge of edges.slice(0, 60)) {
        const { located } = await locateWithSet(database.db, edge.ax, edge.ay, AT);
        if (located.onBorderWith.length > 0) {
          shared += 1;
          expect(located.onBorderWith.every((unit) => unit.code > located.commune!.code)).toBe(true);
        }
      }
      expect(shared).toBeGreaterThan(0);
    }, 180_000);

    it('answers points just beside the edges (1 cm and 1 m, both sides) from memory, exactly as PostGIS', async () => {
      const points = edges.filter((_edge, position) => position % 3 === 1).flatMap((edge) => [beside(edge, 1e-7), beside(edge, -1e-7), beside(edge, 1e-5), beside(edge, -1e-5)]);
      const { answered } = await compare(points);
      // Not all: a point beside a very short edge can be near the next one too.
      expect(answered).toBeGreaterThan(points.length * 0.97);
    }, 180_000);

    it('finds the neighbouring communes within a distance exactly as ST_DWithin on geography', async () => {
      let fromMemory = 0;
      let checked = 0;
      // Pins 0.5 to 60 m from a border, and random ones with a long reach.
      const next = random(2025);
      const cases: Array<{ point: [number, number]; metres: number }> = [
        ...edges.filter((_edge, position) => position % 10 === 0).map((edge) => ({ point: beside(edge, (next() < 0.5 ? -1 : 1) * (0.000005 + next() * 0.00055)), metres: 30 })),
        ...Array.from({ length: 60 }, () => ({ point: [102.2 + next() * 1.35, 20.95 + next() * 1.55] as [number, number], metres: [5, 30, 250, 1000][Math.floor(next() * 4)]! })),
      ];
      for (const { point, metres } of cases) {
        const [lon, lat] = point;
        let located: LocatedWithSet;
        try {
          located = await locateWithSet(database.db, lon, lat, AT);
        } catch {
          continue; // outside the province
        }
        if (!located.located.commune || !located.indexed) continue;
        checked += 1;
        const code = located.located.commune.code;
        const expected = await findNeighbourUnitsWithin(database.db, located.boundarySetId, code, lon, lat, metres);
        const inMemory = index.neighboursWithin(located.indexed, code, lon, lat, metres);
        expect(await findNeighboursOf(database.db, located, code, lon, lat, metres), `${lon},${lat} within ${metres} m`).toEqual(expected);
        if (inMemory && inMemory.unsure.length === 0) {
          fromMemory += 1;
          expect(inMemory.within.map((unit) => ({ code: unit.code, name: unit.name }))).toEqual(expected);
        }
      }
      expect(checked).toBeGreaterThan(150);
      expect(fromMemory).toBeGreaterThan(checked * 0.9);
    }, 240_000);
  });

  describe('after a boundary set is imported', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(database);
    });
    afterAll(() => server?.close());

    it('the very next locate answers from the new set, and the index answers from memory again once rebuilt', async () => {
      const point = 'lon=103.0169&lat=21.3860';
      const before = await (await fetch(`${server.baseUrl}/api/locate?${point}`)).json();
      expect(before.boundarySet.name).toBe('real-2025');
      const builds = index.builds;

      const report = await importReferenceFile(database.db, { layer: 'communes', source: { path: realCommunes }, boundarySet: { name: 'real-2026', validFrom: '2026-01-01' } });
      expect(report.imported).toBe(45);
      // At once: whether or not the notification has arrived, the index is not used from the old data.
      const after = await (await fetch(`${server.baseUrl}/api/locate?${point}`)).json();
      expect(after.boundarySet.name).toBe('real-2026');
      expect(after.commune.code).toBe(before.commune.code);

      await vi.waitFor(() => expect(index.state).toBe('ready'), { timeout: 60_000, interval: 50 });
      expect(index.builds).toBeGreaterThan(builds);
      const answered = index.counters.answered;
      const again = await (await fetch(`${server.baseUrl}/api/locate?${point}`)).json();
      expect(again).toEqual(after);
      expect(index.counters.answered).toBeGreaterThan(answered);
    });
  });
}
