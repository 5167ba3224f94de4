import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTile, findLayer, tileContaining, TileServer, type TileAddress } from '@bandoso/tiles';
import { createTestDatabase, type TestDatabase } from '../../testing/index.ts';
import { insertTestReports } from '../../testing/report-factory.ts';

// The tile server's freshness rules against a real database, with the change notifications held
// back (no LISTEN at all): the worst case of a notification that arrives after the writer's
// response. What must hold: a tile read after a write returned shows the write, whether it was
// cached (the version check catches it) or not (its query reads a snapshot taken after the write).

describe('TileServer: no stale tile after a write returned, even before its notification arrives', () => {
  let database: TestDatabase;
  let server: TileServer;
  const missed: string[] = [];
  const layer = findLayer('reports')!;
  const here = { lon: 103.0169, lat: 21.386 };

  beforeAll(async () => {
    database = await createTestDatabase();
    server = new TileServer(database.db, { backend: database.backend, waitForNotificationsMs: 20, onMissedNotification: (source) => missed.push(source) });
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  async function reportIds(tile: TileAddress): Promise<{ ids: string[]; cached: boolean }> {
    const response = await server.getTile(() => ({ layer, tile, parameters: { filters: {} }, variant: '' }), false);
    const ids = Object.values(decodeTile(response.body)).flatMap((features) => features.map((feature) => String(feature.properties.id)));
    return { ids, cached: response.cached };
  }

  it('recomputes a cached tile the write touched (version counters ahead of what was heard)', async () => {
    const tile = tileContaining(here.lon, here.lat, 14);
    const [first] = await insertTestReports(database.db, [here]);
    expect((await reportIds(tile)).ids).toContain(first!.id);
    expect((await reportIds(tile)).cached).toBe(true);

    const [second] = await insertTestReports(database.db, [{ lon: here.lon + 0.0002, lat: here.lat }]);
    const after = await reportIds(tile);
    expect(after.cached).toBe(false);
    expect(after.ids).toEqual(expect.arrayContaining([first!.id, second!.id]));
    // Nothing was heard, so the layer was dropped as a whole and the miss reported.
    expect(missed).toContain('report');
  });

  it('answers a tile that is not cached from the database, with the write in it', async () => {
    const elsewhere = { lon: 103.35, lat: 21.65 };
    const tile = tileContaining(elsewhere.lon, elsewhere.lat, 14);
    const [added] = await insertTestReports(database.db, [elsewhere]);
    const fresh = await reportIds(tile);
    expect(fresh.cached).toBe(false);
    expect(fresh.ids).toContain(added!.id);
    // Concurrent first requests of one tile all see the write as well.
    const [again] = await insertTestReports(database.db, [{ lon: elsewhere.lon + 0.0002, lat: elsewhere.lat }]);
    const together = await Promise.all([reportIds(tile), reportIds(tile), reportIds(tile)]);
    for (const answer of together) expect(answer.ids).toEqual(expect.arrayContaining([added!.id, again!.id]));
  });
});
