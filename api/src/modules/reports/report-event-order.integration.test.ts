import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, insertTestReports, type TestDatabase } from '../../testing/index.ts';
import * as repository from './reports.repository.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const event = (reportId: string, note: string) => ({
  reportId,
  kind: 'note',
  fromStatus: null,
  toStatus: null,
  actorUserId: null,
  actorRole: 'system' as const,
  officeId: null,
  note,
  isPublic: true,
  data: {},
  createdAt: new Date(),
});

/** Resolves once `release` is called: holds a transaction open between two of its statements. */
function gate() {
  let release = () => {};
  const opened = new Promise<void>((resolve) => (release = resolve));
  return { opened, release };
}

// Two transactions at once need two connections: the embedded database has one.
describe.skipIf(!process.env.DATABASE_URL)('the order of report events', () => {
  it('is the order their transactions commit in, so a reader past a seq never misses an earlier commit', async () => {
    const [report] = await insertTestReports(database.db, [{ lon: 103.0169, lat: 21.386 }]);
    const before = await repository.findLastEventSeq(database.db);
    const firstInserted = gate();
    const firstMayCommit = gate();
    // The first transaction inserts its event first, then waits; the second inserts and commits.
    const first = database.db.transaction().execute(async (transaction) => {
      await repository.insertEvent(transaction, event(report!.id, 'inserted first, committed last'));
      firstInserted.release();
      await firstMayCommit.opened;
    });
    await firstInserted.opened;
    await database.db.transaction().execute((transaction) => repository.insertEvent(transaction, event(report!.id, 'inserted last, committed first')));
    // A reader now sees the second event only, and moves its cursor past it.
    const seen = await repository.listPublicEventsAfter(database.db, before, 100);
    expect(seen.map((row) => row.kind)).toEqual(['note']);
    const cursor = seen[0]!.seq;
    firstMayCommit.release();
    await first;
    // The first event committed after the cursor, so it comes after it: nothing is skipped.
    const next = await repository.listPublicEventsAfter(database.db, cursor, 100);
    expect(next).toHaveLength(1);
    expect(next[0]!.seq).toBeGreaterThan(cursor);
  });
});
