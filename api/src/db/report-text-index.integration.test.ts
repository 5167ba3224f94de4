import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { foldFrom, foldTo } from '../../../migrations/src/0014-report-text-search.ts';
import { foldedReportText, foldedWordPatterns, foldingCharacters } from './folded-text.ts';
import { getSharedTestDatabase } from '../testing/index.ts';

/**
 * The desk's word search reads the trigram index of migration 0014 only if its SQL is the index's
 * expression to the character: the migration keeps a frozen copy of the folding characters.
 */
describe('the folded report text index (migration 0014)', () => {
  it('folds with the same characters as folded-text.ts', () => {
    expect(foldFrom).toBe(foldingCharacters.from);
    expect(foldTo).toBe(foldingCharacters.to);
  });

  it('is what the planner uses for a word search (sequential scans off, so the plan says whether the index matches)', async () => {
    const { db } = await getSharedTestDatabase();
    const [pattern] = foldedWordPatterns('Đèn đường');
    const plan = await db.transaction().execute(async (transaction) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(transaction);
      const rows = await sql<Record<string, string>>`EXPLAIN SELECT id FROM report WHERE ${foldedReportText()} LIKE ${pattern}`.execute(transaction);
      return rows.rows.map((row) => Object.values(row)[0]).join('\n');
    });
    expect(plan).toContain('report_text_folded_trgm_idx');
  });
});
