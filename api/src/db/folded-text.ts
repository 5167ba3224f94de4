import { foldVietnamese } from '@bandoso/gis-data';
import { sql, type Expression, type RawBuilder } from 'kysely';

/**
 * Accent- and case-insensitive text search in SQL, without extensions: `unaccent` is not available on
 * the embedded database (PGlite) and not guaranteed on the server, and `lower()` of Vietnamese capitals
 * depends on the database's locale (the C locale leaves "Đ" and "Ư" alone). So the folding is done with
 * the core `translate()`: every accented Latin letter (and A–Z) maps to what `foldVietnamese` (the same
 * helper the import uses for `name_folded`) makes of it, and combining marks (text stored decomposed,
 * NFD) are dropped. A query folded with `foldVietnamese` then matches with a plain LIKE.
 */
const { from, to } = (() => {
  let fromChars = '';
  let toChars = '';
  const ranges: Array<[number, number]> = [
    [0x41, 0x5a], // A–Z: folded here so the result never depends on the database's locale
    [0xc0, 0x24f], // Latin-1 Supplement, Latin Extended-A and -B (Ă, Đ, Ơ, Ư …)
    [0x1e00, 0x1eff], // Latin Extended Additional (Vietnamese tone-marked letters: ạ, ế, ữ …)
  ];
  for (const [first, last] of ranges) {
    for (let codePoint = first; codePoint <= last; codePoint += 1) {
      const character = String.fromCodePoint(codePoint);
      const folded = foldVietnamese(character);
      if (folded !== character && /^[a-z]$/.test(folded)) {
        fromChars += character;
        toChars += folded;
      }
    }
  }
  // Combining marks have no counterpart in `to`, so translate() deletes them.
  for (let codePoint = 0x300; codePoint <= 0x36f; codePoint += 1) fromChars += String.fromCodePoint(codePoint);
  return { from: fromChars, to: toChars };
})();

/** The `translate()` arguments: the characters folded, and what each becomes (none: dropped). */
export const foldingCharacters = { from, to } as const;

/** `text` folded in SQL the way `foldVietnamese` folds it in TypeScript (whitespace aside). */
export function foldedSql(text: Expression<string | null>): RawBuilder<string> {
  return sql<string>`translate(coalesce(${text}, ''), ${from}::text, ${to}::text)`;
}

/**
 * A report's description and address, folded, written exactly as the expression of the trigram
 * index `report_text_folded_trgm_idx` (migration 0014), with the folding characters as literals so
 * the planner matches the index: a word search then reads the index instead of folding every report.
 */
export function foldedReportText(): RawBuilder<string> {
  return sql<string>`translate(coalesce(report.description || ' ' || coalesce(report.address, ''), ''), ${sql.lit(from)}, ${sql.lit(to)})`;
}

/**
 * The words of a search, folded, each as a LIKE pattern that finds it anywhere (`%`, `_` and `\`
 * in the words are escaped: they are matched literally). Empty when the search has no words.
 */
export function foldedWordPatterns(search: string): string[] {
  return foldVietnamese(search)
    .split(' ')
    .filter(Boolean)
    .map((word) => `%${word.replace(/[\\%_]/g, (character) => `\\${character}`)}%`);
}
