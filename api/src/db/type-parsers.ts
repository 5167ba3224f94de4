/**
 * One set of value parsers for both backends, so a query returns the same JavaScript values on the
 * embedded database and on the server (pg and PGlite disagree on several defaults).
 *
 * - int8 (count(*), sums) → number: our counts stay far below 2^53.
 * - numeric → number: densities, heights and coefficients have a few digits.
 * - date → the 'YYYY-MM-DD' text itself: a calendar date has no time zone, and turning it into a
 *   JavaScript Date would shift it by the server's offset.
 * - timestamptz → Date.
 */
export const typeOids = {
  int8: 20,
  numeric: 1700,
  date: 1082,
  timestamptz: 1184,
} as const;

import pg from 'pg';

const parseTimestampWithZone = pg.types.getTypeParser(typeOids.timestamptz, 'text') as (value: string) => Date;

export const sharedTypeParsers: Record<number, (value: string) => unknown> = {
  [typeOids.int8]: (value) => Number(value),
  [typeOids.numeric]: (value) => Number(value),
  [typeOids.date]: (value) => value,
  [typeOids.timestamptz]: (value) => parseTimestampWithZone(value),
};
