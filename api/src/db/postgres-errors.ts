/**
 * A unique constraint of `table` refused the write (SQLSTATE 23505). The same test on both backends:
 * pg reports the constraint and table, PGlite at least names the constraint in its message.
 */
export function isUniqueViolation(error: unknown, table: string): boolean {
  const candidate = error as { code?: string; constraint?: string; table?: string; message?: string };
  return candidate?.code === '23505' && Boolean(candidate.constraint?.startsWith(table) || candidate.table === table || candidate.message?.includes(table));
}
