import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.ts';
import { createTestDatabase, createTestUser, getSharedTestDatabase, pointInUnit, startTestServer, type TestDatabase, type TestServer } from '../../testing/index.ts';
import type { Principal } from '../auth/auth.service.ts';
import { submitReport } from '../reports/report-intake.service.ts';
import { addCitizenInformation, rateReport } from '../reports/report-citizen.service.ts';
import { flagOverdueReports } from '../reports/report-deadlines.service.ts';
import { performStaffAction } from '../reports/report-workflow.service.ts';
import type { StaffAction } from '../reports/report-workflow.schema.ts';
import type { ReportsContext } from '../reports/reports-context.ts';
import { bucketOfMinutes, MEDIAN_RELATIVE_ERROR_BOUND } from './stats-histogram.ts';
import { expectedAggregates, expectedGroups, insertRoutedReports, reportFacts, seededRandom, storedAggregates } from './stats-test-support.ts';
import { ensureStatisticsGroupedByCurrentUnits, figures, getStatistics, regroupStatisticsByCurrentUnits } from './stats.service.ts';

async function expectAggregatesToMatchReports(database: TestDatabase, context: string): Promise<void> {
  const expected = expectedAggregates(await reportFacts(database.db));
  const stored = await storedAggregates(database.db);
  expect([...stored.keys()].sort(), context).toEqual([...expected.keys()].sort());
  for (const [key, row] of expected) expect(stored.get(key), `${context}: ${key}`).toEqual(row);
}

async function adminPrincipal(database: TestDatabase): Promise<Principal> {
  const user = await createTestUser(database.db, 'admin');
  const row = await database.db.selectFrom('app_user').select('id').where('email', '=', user.email).executeTakeFirstOrThrow();
  return {
    userId: row.id,
    email: user.email,
    displayName: 'Test admin',
    role: 'admin',
    officeId: null,
    officeCode: null,
    officeName: null,
    sessionId: 'test',
    sessionKind: 'bearer',
    csrfToken: 'test',
  };
}

describe('the duration buckets', () => {
  it('are the same in SQL (migration 0004) and in TypeScript, edges included', async () => {
    const database = await getSharedTestDatabase();
    const random = seededRandom(42);
    const minutes = [0, 0.5, 0.999, 1, 1.5, 59.99, 60, 61, 1440, 2 ** 20 - 1, 2 ** 20, 2 ** 21, 1e9];
    for (let power = 0; power <= 20; power += 1) minutes.push(2 ** power);
    for (let index = 0; index < 500; index += 1) minutes.push(2 ** (random() * 21));
    const result = await sql<{ minutes: number; bucket: number }>`
      SELECT m AS minutes, report_statistics_minutes_bucket(m) AS bucket FROM unnest(${minutes}::double precision[]) AS m`.execute(database.db);
    for (const row of result.rows) expect(row.bucket, `${row.minutes} minutes`).toBe(bucketOfMinutes(row.minutes));
  });
});

describe('the aggregates equal a brute-force recomputation from the reports', () => {
  let database: TestDatabase;
  let server: TestServer;
  let context: ReportsContext;
  let admin: Principal;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database);
    context = server.instance.reports;
    admin = await adminPrincipal(database);
    // Group by the set in force from the start, so that the rebuild at the end regroups nothing.
    await ensureStatisticsGroupedByCurrentUnits(database.db);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('after a random sequence of submissions, workflow steps, ratings, deadline passes and direct SQL writes', async () => {
    const seed = Number(process.env.STATS_SEED ?? 20_260_315);
    const random = seededRandom(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const units = ['03127', '03334', '03130', '03151', '03158', '03142'];
    const points = await Promise.all(
      (await database.db.selectFrom('admin_unit').innerJoin('boundary_set', 'boundary_set.id', 'admin_unit.boundary_set_id').select('admin_unit.code').where('boundary_set.name', '=', 'dienbien-2025').where('admin_unit.level', 'in', ['commune', 'ward']).orderBy('admin_unit.code').execute())
        .map((unit) => unit.code)
        .filter((code, index) => units.includes(code) || index % 9 === 0)
        .map((code) => pointInUnit(database.db, code)),
    );
    const pre2025Units = (
      await sql<{ code: string; lon: number; lat: number }>`
        SELECT u.code, ST_X(ST_PointOnSurface(u.geom)) AS lon, ST_Y(ST_PointOnSurface(u.geom)) AS lat
        FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
        WHERE s.name = 'dienbien-pre2025' AND u.level IN ('commune', 'ward') ORDER BY u.code`.execute(database.db)
    ).rows;
    expect(pre2025Units.length).toBeGreaterThan(3);
    const categories = ['public_lighting', 'roads_pavements', 'drainage_flooding', 'waste_environment', 'power_lines'];
    const offices = ['UBND-03127', 'UBND-03334', 'DIENLUC-DB', 'SXD-DB'];
    const reports: Array<{ id: string; trackingCode: string; token: string | null }> = [];
    // A clock that only moves forward, from mid-January across several month ends; times land on
    // both sides of midnight in Vietnam (17:00 UTC).
    let clock = Date.parse('2026-01-28T16:40:00.123Z');
    const tick = () => {
      clock += Math.floor(random() * 30 * 3_600_000) + Math.floor(random() * 60_000);
      return new Date(clock);
    };
    const counts: Record<string, number> = {};
    const steps = Number(process.env.STATS_STEPS ?? 160);
    for (let step = 0; step < steps; step += 1) {
      const choice = reports.length < 5 ? 0 : random();
      let operation: string;
      try {
        if (choice < 0.3) {
          operation = 'submit';
          const [longitude, latitude] = pick(points);
          const result = await submitReport(context, { category: pick(categories), description: `Phản ánh ngẫu nhiên số ${step}`, location: { longitude, latitude } }, [], { now: tick() });
          reports.push({ id: result.body.id, trackingCode: result.body.trackingCode, token: result.body.reporterToken });
        } else if (choice < 0.68) {
          const report = pick(reports);
          const { status } = await database.db.selectFrom('report').select('status').where('id', '=', report.id).executeTakeFirstOrThrow();
          const anyAction: Array<() => StaffAction> = [
            () => ({ action: 'accept' }),
            () => ({ action: 'start' }),
            () => ({ action: 'request_information', note: 'Xin bổ sung ảnh.' }),
            () => ({ action: 'resume' }),
            () => ({ action: 'resolve', answer: 'Đã xử lý xong.' }),
            () => ({ action: 'reject', reason: 'not_eligible', answer: 'Không thuộc phạm vi.' }),
            () => ({ action: 'reject', reason: 'not_our_responsibility', answer: 'Chuyển đơn vị khác.', targetOfficeCode: pick(offices) }),
            () => ({ action: 'transfer', targetOfficeCode: pick(offices), note: 'Chuyển cho đúng đơn vị.' }),
            () => ({ action: 'mark_duplicate', originalTrackingCode: pick(reports).trackingCode }),
            () => ({ action: 'confirm_location' }),
            () => ({ action: 'add_note', note: 'Ghi chú nội bộ.', public: false }),
          ];
          // Mostly the natural next step of the report's state, sometimes anything (refusals included).
          const nextStep: Partial<Record<string, StaffAction['action']>> = {
            received: 'accept',
            transferred: 'accept',
            accepted: random() < 0.5 ? 'start' : 'resolve',
            reopened: 'start',
            in_progress: random() < 0.85 ? 'resolve' : 'request_information',
            waiting_for_citizen: 'resume',
          };
          const natural = nextStep[status];
          const action: StaffAction = natural && random() < 0.7 ? anyAction.find((make) => make().action === natural)!() : pick(anyAction)();
          operation = `staff ${action.action}`;
          await performStaffAction(context, admin, report.id, action, [], tick());
        } else if (choice < 0.78) {
          operation = 'rate';
          const report = pick(reports);
          await rateReport(context, report.trackingCode, report.token ?? undefined, random() < 0.6 ? 'satisfied' : 'not_satisfied', undefined, tick());
        } else if (choice < 0.82) {
          operation = 'citizen information';
          const report = pick(reports);
          await addCitizenInformation(context, report.trackingCode, report.token ?? undefined, 'Đây là thông tin bổ sung.', [], tick());
        } else if (choice < 0.88) {
          operation = 'deadline pass';
          await flagOverdueReports(context, new Date(tick().getTime() + random() * 10 * 86_400_000));
        } else if (choice < 0.92) {
          operation = 'bulk update';
          const ids = reports.filter(() => random() < 0.3).map((report) => report.id);
          if (ids.length > 0) await sql`UPDATE report SET overdue = NOT overdue, office_id = (SELECT id FROM office WHERE code = ${pick(offices)}) WHERE id IN (${sql.join(ids)})`.execute(database.db);
        } else if (choice < 0.94) {
          operation = 'move creation time';
          await sql`UPDATE report SET created_at = created_at - interval '1 day 7 hours 3 minutes 11.5 seconds' WHERE id = ${pick(reports).id}`.execute(database.db);
        } else if (choice < 0.97) {
          operation = 'insert routed under the pre-2025 set';
          const inserted = await insertRoutedReports(
            database.db,
            Array.from({ length: 2 }, () => {
              const unit = pick(pre2025Units);
              return { setName: 'dienbien-pre2025', unitCode: unit.code, officeCode: pick(offices), categoryCode: pick(categories), createdAt: tick(), location: [unit.lon, unit.lat] as [number, number] };
            }),
          );
          for (const id of inserted) {
            const row = await database.db.selectFrom('report').select('tracking_code').where('id', '=', id).executeTakeFirstOrThrow();
            reports.push({ id, trackingCode: row.tracking_code, token: null });
          }
        } else {
          operation = 'delete';
          const report = pick(reports);
          const deleted = await sql`DELETE FROM report WHERE id = ${report.id} AND NOT EXISTS (SELECT 1 FROM report d WHERE d.duplicate_of = ${report.id})`.execute(database.db);
          if (Number(deleted.numAffectedRows) === 1) reports.splice(reports.indexOf(report), 1);
        }
      } catch (error) {
        // Steps the workflow refuses (a resolve before an accept, rating twice…) change nothing.
        if (!(error instanceof AppError)) throw error;
        operation = `refused: ${error.code}`;
      }
      counts[operation] = (counts[operation] ?? 0) + 1;
      if (step % 20 === 19) await expectAggregatesToMatchReports(database, `seed ${seed}, after step ${step} (${operation})`);
    }
    await expectAggregatesToMatchReports(database, `seed ${seed}, at the end`);
    // The sequence did exercise the paths that matter.
    const statuses = await sql<{ status: string; count: number }>`SELECT status, count(*)::int AS count FROM report GROUP BY status`.execute(database.db);
    const byStatus = Object.fromEntries(statuses.rows.map((row) => [row.status, row.count]));
    expect(Object.keys(byStatus).length, `${JSON.stringify(byStatus)} after ${JSON.stringify(counts)}`).toBeGreaterThanOrEqual(6);
    expect(counts.submit).toBeGreaterThan(20);

    // Rebuilding from scratch gives the same table as the increments did.
    const incremental = await storedAggregates(database.db);
    await regroupStatisticsByCurrentUnits(database.db);
    expect(await storedAggregates(database.db)).toEqual(incremental);

    // The API's sums over arbitrary periods equal sums of the reports created in them.
    const facts = await reportFacts(database.db);
    const officeCodes = new Map((await database.db.selectFrom('office').select(['id', 'code']).execute()).map((office) => [office.id, office.code]));
    for (const [from, to] of [
      ['2026-01-01', '2026-12-31'],
      ['2026-01-29', '2026-03-14'],
      ['2026-02-01', '2026-02-28'],
      ['2026-02-17', '2026-02-17'],
      ['2026-01-31', '2026-04-02'],
    ] as const) {
      for (const [groupBy, keyOf] of [
        ['commune', (report: (typeof facts)[number]) => report.unitKey],
        ['office', (report: (typeof facts)[number]) => officeCodes.get(report.officeKey)!],
        ['category', (report: (typeof facts)[number]) => report.categoryKey],
        ['day', (report: (typeof facts)[number]) => report.day],
        ['month', (report: (typeof facts)[number]) => report.day.slice(0, 7)],
      ] as const) {
        const answer = await getStatistics(database.db, { groupBy, from, to });
        const expected = expectedGroups(facts, keyOf, from, to);
        for (const group of answer.groups) {
          const sums = expected.get(group.key);
          if (!sums) {
            expect(group.received, `${groupBy} ${group.key} ${from}..${to}`).toBe(0);
            continue;
          }
          expect(group, `${groupBy} ${group.key} ${from}..${to}`).toMatchObject(figures({ key: group.key, ...sums }));
          expected.delete(group.key);
        }
        expect([...expected.keys()], `${groupBy} groups missing from the answer`).toEqual([]);
      }
    }

    // Medians read from histograms are within 9.05 % of the exact (lower) median.
    const exact = await sql<{ category_code: string; acknowledge: number | null; resolve: number | null }>`
      SELECT category_code,
        percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - created_at)::double precision / 60) AS acknowledge,
        percentile_disc(0.5) WITHIN GROUP (ORDER BY CASE WHEN status = 'resolved' THEN extract(epoch FROM resolved_at - created_at)::double precision / 60 END) AS resolve
      FROM report GROUP BY category_code`.execute(database.db);
    const all = await getStatistics(database.db, { groupBy: 'category', from: '2000-01-01', to: '2099-12-31' });
    for (const row of exact.rows) {
      const group = all.groups.find((item) => item.key === row.category_code)!;
      for (const [estimate, truth] of [
        [group.medianAcknowledgeMinutes, row.acknowledge],
        [group.medianResolveMinutes, row.resolve],
      ] as const) {
        if (truth === null) expect(estimate).toBeNull();
        else if (truth < 1) expect(Math.abs(estimate! - truth)).toBeLessThan(1);
        else expect(Math.abs(estimate! - truth) / truth, `${row.category_code}: ${estimate} vs ${truth}`).toBeLessThan(MEDIAN_RELATIVE_ERROR_BOUND + 0.001);
      }
    }
  });
});

describe('regrouping by the units in force', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('counts reports routed before the 2025 reform under the 2025 commune at their location, and leaves their routing alone', async () => {
    const old = (
      await sql<{ code: string; name: string; lon: number; lat: number }>`
        SELECT u.code, u.name, ST_X(ST_PointOnSurface(u.geom)) AS lon, ST_Y(ST_PointOnSurface(u.geom)) AS lat
        FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
        WHERE s.name = 'dienbien-pre2025' AND u.level IN ('commune', 'ward') ORDER BY u.code`.execute(database.db)
    ).rows;
    const ids = await insertRoutedReports(
      database.db,
      old.map((unit) => ({ setName: 'dienbien-pre2025', unitCode: unit.code, officeCode: 'UBND-03127', categoryCode: 'public_lighting', createdAt: new Date('2025-05-12T03:00:00Z'), location: [unit.lon, unit.lat] })),
    );
    // Where each location lies in the 2025 set, by an independent point-in-polygon.
    const expected = new Map<string, number>();
    for (const unit of old) {
      const located = await sql<{ code: string }>`
        SELECT u.code FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
        WHERE s.name = 'dienbien-2025' AND u.level IN ('commune', 'ward', 'town') AND ST_Covers(u.geom, ST_SetSRID(ST_MakePoint(${unit.lon}::double precision, ${unit.lat}::double precision), 4326))
        ORDER BY u.code LIMIT 1`.execute(database.db);
      const code = located.rows[0]!.code;
      expected.set(code, (expected.get(code) ?? 0) + 1);
    }
    const answer = await getStatistics(database.db, { groupBy: 'commune', from: '2025-05-01', to: '2025-05-31' });
    expect(answer.boundarySet?.name).toBe('dienbien-2025');
    expect(answer.totals.received).toBe(old.length);
    const counted = new Map(answer.groups.filter((group) => group.received > 0).map((group) => [group.key, group.received]));
    expect(counted).toEqual(expected);
    // No pre-2025 code survives as a group of its own.
    for (const unit of old) if (!expected.has(unit.code)) expect(answer.groups.find((group) => group.key === unit.code)).toBeUndefined();
    // The reports themselves keep their original routing.
    const routing = await database.db.selectFrom('report').select(['unit_code']).where('id', 'in', ids).orderBy('unit_code').execute();
    expect(routing.map((row) => row.unit_code)).toEqual(old.map((unit) => unit.code));
  });

  it('regroups once a new boundary set comes into force (two communes merged), and counts new writes under it at once', async () => {
    // A 2030 set: the 2025 units, with 03127 and 03334 merged into 99999.
    const set = await database.db.insertInto('boundary_set').values({ name: 'stats-test-2030', valid_from: '2030-01-01' }).returning('id').executeTakeFirstOrThrow();
    await sql`
      INSERT INTO admin_unit (boundary_set_id, code, name, name_folded, level, geom)
      SELECT ${set.id}, u.code, u.name, u.name_folded, u.level, u.geom FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
      WHERE s.name = 'dienbien-2025' AND u.code NOT IN ('03127', '03334')`.execute(database.db);
    await sql`
      INSERT INTO admin_unit (boundary_set_id, code, name, name_folded, level, geom)
      SELECT ${set.id}, '99999', 'Phường Điện Biên Phủ Mới', 'phuong dien bien phu moi', 'ward', ST_Multi(ST_Union(u.geom)) FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
      WHERE s.name = 'dienbien-2025' AND u.code IN ('03127', '03334')`.execute(database.db);

    const [a, b] = [await pointInUnit(database.db, '03127'), await pointInUnit(database.db, '03334')];
    await insertRoutedReports(database.db, [
      { setName: 'dienbien-2025', unitCode: '03127', officeCode: 'UBND-03127', categoryCode: 'roads_pavements', createdAt: new Date('2029-06-01T02:00:00Z'), location: a },
      { setName: 'dienbien-2025', unitCode: '03334', officeCode: 'UBND-03334', categoryCode: 'roads_pavements', createdAt: new Date('2029-06-02T02:00:00Z'), location: b },
    ]);
    const before = await getStatistics(database.db, { groupBy: 'commune', from: '2029-01-01', to: '2029-12-31' }, new Date('2029-12-31T05:00:00Z'));
    expect(before.boundarySet?.name).toBe('dienbien-2025');
    expect(before.groups.filter((group) => group.received > 0).map((group) => [group.key, group.received])).toEqual([
      ['03127', 1],
      ['03334', 1],
    ]);

    const after = await getStatistics(database.db, { groupBy: 'commune', from: '2029-01-01', to: '2029-12-31' }, new Date('2030-01-02T05:00:00Z'));
    expect(after.boundarySet?.name).toBe('stats-test-2030');
    expect(after.groups).toHaveLength(44);
    expect(after.groups.filter((group) => group.received > 0).map((group) => [group.key, group.name, group.received])).toEqual([['99999', 'Phường Điện Biên Phủ Mới', 2]]);

    // A report written now (routed under 2025, counted under 2030) counts under the merged ward at once.
    await insertRoutedReports(database.db, [{ setName: 'dienbien-2025', unitCode: '03127', officeCode: 'UBND-03127', categoryCode: 'roads_pavements', createdAt: new Date('2029-07-01T02:00:00Z'), location: a }]);
    const state = await sql<{ regrouped_at: Date }>`SELECT regrouped_at FROM report_statistics_state`.execute(database.db);
    const again = await getStatistics(database.db, { groupBy: 'commune', from: '2029-01-01', to: '2029-12-31' }, new Date('2030-01-02T06:00:00Z'));
    expect(again.groups.find((group) => group.key === '99999')?.received).toBe(3);
    expect((await sql<{ regrouped_at: Date }>`SELECT regrouped_at FROM report_statistics_state`.execute(database.db)).rows[0]!.regrouped_at).toEqual(state.rows[0]!.regrouped_at);
    await expectAggregatesToMatchReports(database, 'under the 2030 set');
  });

  it('regroups when the units of the set in use are re-imported, and not otherwise', async () => {
    const now = new Date('2030-01-03T05:00:00Z');
    expect(await ensureStatisticsGroupedByCurrentUnits(database.db, now)).toBeTruthy();
    const stamp = async () => (await sql<{ regrouped_at: Date; units_changed: boolean }>`SELECT regrouped_at, units_changed FROM report_statistics_state`.execute(database.db)).rows[0]!;
    const first = await stamp();
    await ensureStatisticsGroupedByCurrentUnits(database.db, now);
    expect(await stamp()).toEqual(first);
    // Changing a unit of another set does not matter.
    await sql`UPDATE admin_unit SET geom = geom WHERE code = '03127' AND boundary_set_id = (SELECT id FROM boundary_set WHERE name = 'dienbien-2025')`.execute(database.db);
    expect((await stamp()).units_changed).toBe(false);
    // Re-importing the merged ward (here: shrinking it back to the old 03127) does.
    await sql`
      UPDATE admin_unit SET geom = (SELECT u.geom FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id WHERE s.name = 'dienbien-2025' AND u.code = '03127')
      WHERE code = '99999'`.execute(database.db);
    expect((await stamp()).units_changed).toBe(true);
    const answer = await getStatistics(database.db, { groupBy: 'commune', from: '2029-01-01', to: '2029-12-31' }, now);
    const after = await stamp();
    expect(after.units_changed).toBe(false);
    expect(after.regrouped_at.getTime()).toBeGreaterThan(first.regrouped_at.getTime());
    // The 03334 report's location is no longer in any 2030 unit: it keeps its routing unit.
    expect(answer.groups.filter((group) => group.received > 0).map((group) => [group.key, group.received])).toEqual([
      ['99999', 2],
      ['03334', 1],
    ]);
    expect(answer.groups.find((group) => group.key === '03334')?.name).toBe('Phường Mường Thanh');
    await expectAggregatesToMatchReports(database, 'after re-import');
  });
});
