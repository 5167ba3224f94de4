import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSharedTestDatabase, startTestServer, type TestServer } from '../../testing/index.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(await getSharedTestDatabase());
});
afterAll(() => server.close());

async function get(path: string) {
  const response = await fetch(`${server.baseUrl}${path}`);
  return { status: response.status, body: (await response.json()) as any };
}

const PLAN = 'QHC-DBP';

describe('GET /api/planning/plans', () => {
  it('lists the sample plan with its two versions, oldest first, the latest in force', async () => {
    const { status, body } = await get('/api/planning/plans');
    expect(status).toBe(200);
    const plan = body.plans.find((item: { planCode: string }) => item.planCode === PLAN);
    expect(plan.planName).toBe('Điều chỉnh quy hoạch chung thành phố Điện Biên Phủ đến năm 2030');
    expect(plan.versions.map((version: { version: string }) => version.version)).toEqual(['2016', '2023']);
    expect(plan.versions.map((version: { zoneCount: number }) => version.zoneCount)).toEqual([42, 44]);
    expect(plan.currentVersion).toBe('2023');
    const [west, south, east, north] = plan.versions[1].bbox;
    expect(west).toBeGreaterThan(102.99);
    expect(east).toBeLessThan(103.05);
    expect(south).toBeGreaterThan(21.36);
    expect(north).toBeLessThan(21.42);
    expect(plan.versions[0].decisionDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('GET /api/planning/at ("what applies here")', () => {
  it('answers the zone of the current version at a point, with every planning attribute', async () => {
    // The centre of TMDV-01 (9 floors in 2016, 12 in 2023): read its position from the changes list.
    const changes = await get(`/api/planning/changes?plan=${PLAN}&from=2016&to=2023`);
    const tmdv = changes.body.changes.find((change: { zoneCode: string }) => change.zoneCode === 'TMDV-01');
    const [west, south, east, north] = tmdv.bbox;
    const lon = (west + east) / 2;
    const lat = (south + north) / 2;

    const current = await get(`/api/planning/at?lon=${lon}&lat=${lat}`);
    expect(current.status).toBe(200);
    expect(current.body.zones).toHaveLength(1);
    expect(current.body.zones[0]).toMatchObject({
      planCode: PLAN,
      planVersion: '2023',
      zoneCode: 'TMDV-01',
      landUseCode: 'TMDV',
      landUseName: 'Đất thương mại – dịch vụ',
      maxFloors: 12,
      maxHeightM: 48,
    });
    const zone = current.body.zones[0];
    for (const key of ['decisionNumber', 'decisionDate', 'approvingAuthority', 'maxDensityPct', 'far', 'zoneName']) expect(zone[key], key).not.toBeNull();
    expect(zone.areaM2).toBeGreaterThan(10_000);

    const old = await get(`/api/planning/at?lon=${lon}&lat=${lat}&version=2016`);
    expect(old.body.zones[0]).toMatchObject({ planVersion: '2016', zoneCode: 'TMDV-01', maxFloors: 9, maxHeightM: 36 });
  });

  it('answers an empty list outside every planned area (Mường Nhé, far north-west)', async () => {
    const { status, body } = await get('/api/planning/at?lon=102.45&lat=22.2');
    expect(status).toBe(200);
    expect(body.zones).toEqual([]);
  });

  it('answers 404 with the known versions for an unknown version or plan', async () => {
    const version = await get('/api/planning/at?lon=103.02&lat=21.39&version=1999');
    expect(version.status).toBe(404);
    expect(version.body.error.message).toMatch(/2016, 2023/);
    expect(version.body.error.messageVi).toMatch(/phiên bản 1999/);
    const plan = await get('/api/planning/at?lon=103.02&lat=21.39&plan=NOPE');
    expect(plan.status).toBe(404);
    expect(plan.body.error.message).toMatch(/QHC-DBP/);
  });

  it.each([
    ['missing lat', 'lon=103.02', /lat/],
    ['swapped', 'lon=21.39&lat=103.02', /swap/],
    ['empty version', 'lon=103.02&lat=21.39&version=', /version/],
  ])('answers 400 for %s', async (_name, query, message) => {
    const { status, body } = await get(`/api/planning/at?${query}`);
    expect(status).toBe(400);
    expect(body.error.message).toMatch(message);
  });
});

describe('GET /api/planning/changes', () => {
  it('lists exactly the changes the sample documents between 2016 and 2023', async () => {
    const { status, body } = await get(`/api/planning/changes?plan=${PLAN}&from=2016&to=2023`);
    expect(status).toBe(200);
    expect(body.from.version).toBe('2016');
    expect(body.to.version).toBe('2023');
    const byCode = Object.fromEntries(body.changes.map((change: { zoneCode: string }) => [change.zoneCode, change]));
    // gis-data/README.md, "What changed from 2016 to 2023".
    expect(byCode['CN-01'].change).toBe('removed');
    expect(byCode['HH-03'].change).toBe('added');
    expect(byCode['GT-02'].change).toBe('removed');
    expect(byCode['TMDV-05'].change).toBe('added');
    expect(byCode['CN-02'].change).toBe('removed');
    expect(byCode['DO-16'].change).toBe('added');
    expect(byCode['CX-06'].change).toBe('added');
    expect(byCode['TMDV-04'].change).toBe('added');
    expect(byCode['HH-01']).toMatchObject({ change: 'changed', geometryChanged: true });
    expect(byCode['TMDV-01']).toMatchObject({ change: 'changed', geometryChanged: false });
    expect(byCode['TMDV-01'].changedAttributes).toEqual(expect.arrayContaining(['maxFloors', 'maxHeightM']));
    expect(byCode['TMDV-01'].before.maxFloors).toBe(9);
    expect(byCode['TMDV-01'].after.maxFloors).toBe(12);
    expect(byCode['DO-11'].changedAttributes).toEqual(expect.arrayContaining(['maxDensityPct']));
    expect(byCode['DO-11'].before.maxDensityPct).toBe(60);
    expect(byCode['DO-11'].after.maxDensityPct).toBe(70);
    // 42 zones in 2016 + 44 in 2023; the codes of both sides add up.
    const removed = body.changes.filter((change: { change: string }) => change.change === 'removed').length;
    const added = body.changes.filter((change: { change: string }) => change.change === 'added').length;
    const changed = body.changes.filter((change: { change: string }) => change.change === 'changed').length;
    expect(removed + changed + body.unchangedCount).toBe(42);
    expect(added + changed + body.unchangedCount).toBe(44);
    for (const change of body.changes) expect(change.bbox).toHaveLength(4);
  });

  it('is symmetric: from 2023 to 2016 swaps added and removed', async () => {
    const forward = await get(`/api/planning/changes?plan=${PLAN}&from=2016&to=2023`);
    const backward = await get(`/api/planning/changes?plan=${PLAN}&from=2023&to=2016`);
    const swap: Record<string, string> = { added: 'removed', removed: 'added', changed: 'changed' };
    const summary = (body: any) => body.changes.map((change: { zoneCode: string; change: string }) => `${change.zoneCode}:${change.change}`).sort();
    expect(summary(backward.body)).toEqual(
      forward.body.changes.map((change: { zoneCode: string; change: string }) => `${change.zoneCode}:${swap[change.change]}`).sort(),
    );
  });

  it.each([
    ['same version twice', `plan=${PLAN}&from=2016&to=2016`, 400, /different/],
    ['missing plan', 'from=2016&to=2023', 400, /plan/],
    ['unknown version', `plan=${PLAN}&from=2016&to=2030`, 404, /no version 2030/],
    ['unknown plan', 'plan=XYZ&from=2016&to=2023', 404, /no plan XYZ/],
  ])('answers %s with %i', async (_name, query, status, message) => {
    const response = await get(`/api/planning/changes?${query}`);
    expect(response.status).toBe(status);
    expect(response.body.error.message).toMatch(message);
  });
});
