import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { AppError } from '../errors/app-error.ts';

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

/** True when some text in `value` (a string, or nested in arrays and objects) holds U+0000. */
export function containsNulCharacter(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((item) => containsNulCharacter(item, depth + 1));
  return Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNulCharacter(item, depth + 1));
}

export function nulCharacterError(where: string): AppError {
  return new AppError('VALIDATION_FAILED', `The ${where} holds a NUL character (U+0000), which no text here may contain; remove it and send again.`, {
    vi: `Dữ liệu gửi lên (${where}) chứa ký tự NUL (U+0000); hãy bỏ ký tự đó và gửi lại.`,
  });
}

/**
 * PostgreSQL text cannot hold U+0000: a value with one would fail in the database, as a 500. Refused
 * here instead, for every route after it: in the path and query (`%00`) and in a parsed body.
 */
export const refuseNulCharacters: RequestHandler = (request, _response, next) => {
  if (/%00/i.test(request.originalUrl)) return next(nulCharacterError('address (path or query)'));
  if (containsNulCharacter(request.body)) return next(nulCharacterError('body'));
  next();
};
