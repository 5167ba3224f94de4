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
