import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { AppError } from '../errors/app-error.ts';

/** A real calendar day written YYYY-MM-DD (not 2026-02-29, not 2026-13-01); false, never a throw, for any other text. */
export function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value.startsWith('0000')) return false; // PostgreSQL has no year 0
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** Instants PostgreSQL reads back from an ISO string in UTC: years 0001 to 9999. */
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * A real day (YYYY-MM-DD), or a date-time whose day is real, that JavaScript can read and that falls
 * in years 0001–9999 once in UTC (0001-01-01T00:00+07:00 is in year 0 there); never throws.
 */
export function isRealDateOrDateTime(value: string): boolean {
  if (!isRealDate(value.slice(0, 10))) return false;
  if (value.length === 10) return true;
  const instant = Date.parse(value);
  return instant >= FIRST_INSTANT && instant <= LAST_INSTANT;
}

/**
 * Parses request input with a schema; on failure answers 400 with every problem, each naming the
 * parameter, so a person can fix the request in one go.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown, where: 'query' | 'body' | 'path'): z.infer<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    parameter: issue.path.map(String).join('.') || where,
    problem: issue.message,
  }));
  const summary = problems.map((item) => `${item.parameter}: ${item.problem}`).join('; ');
  throw new AppError('VALIDATION_FAILED', `Invalid ${where}: ${summary}`, {
    vi: `Dữ liệu gửi lên không hợp lệ (${where}): ${summary}`,
    details: problems,
  });
}

/**
 * Where some text in `value` (a string, or nested in arrays and objects) holds U+0000: the path of
 * the first such value ('' for `value` itself), or null when there is none.
 */
function findNulCharacter(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return itemPath;
    const found = findNulCharacter(item, itemPath, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

function nulCharacterError(where: string): AppError {
  return new AppError('VALIDATION_FAILED', `${where} holds a NUL character (U+0000), which no text here may contain (a control character); remove it and send again.`, {
    vi: `${where} chứa ký tự NUL (U+0000, ký tự điều khiển); hãy bỏ ký tự đó và gửi lại.`,
    details: [{ parameter: where, problem: 'contains a NUL character (U+0000)' }],
  });
}

/**
 * PostgreSQL text cannot hold U+0000: a value with one would fail in the database, as a 500. Refused
 * here instead, for every route after it: in the path and query (`%00`) and in a parsed body.
 */
export const refuseNulCharacters: RequestHandler = (request, _response, next) => {
  if (/%00/i.test(request.originalUrl)) return next(nulCharacterError('The address (path or query)'));
  const inBody = findNulCharacter(request.body);
  if (inBody !== null) return next(nulCharacterError(inBody === '' ? 'The body' : inBody));
  next();
};
