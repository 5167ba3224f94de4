/**
 * A unique constraint of `table` refused the write (SQLSTATE 23505). The same test on both backends:
 * pg reports the constraint and table, PGlite at least names the constraint in its message.
 */
export function isUniqueViolation(error: unknown, table: string): boolean {
  const candidate = error as { code?: string; constraint?: string; table?: string; message?: string };
  return candidate?.code === '23505' && Boolean(candidate.constraint?.startsWith(table) || candidate.table === table || candidate.message?.includes(table));
}

/**
 * The database could not be reached in time: thrown by the platform's own guards (a query the
 * server did not answer, start-up that waited too long). Always a `DATABASE_UNAVAILABLE`.
 */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * SQLSTATEs that mean "the database is not there for us right now", not "this request is wrong":
 * connection exceptions (class 08), shutting down / crashed / starting up or in recovery (57P01–03),
 * an idle session or transaction ended by the server, a statement cancelled by its timeout (57014),
 * no resources (class 53: too many connections, disk full, out of memory), and a write on a
 * read-only standby (25006).
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57P05', '57014', '25P03', '25006']);
const UNAVAILABLE_SQLSTATE_CLASSES = ['08', '53'];

/** Socket-level failures on the way to the server. */
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * What pg, pg-pool, Kysely and PGlite say when a connection is gone, could not be made in time, or
 * the pool is being shut down. They carry no code, so their (stable, tested) messages are matched.
 */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
  /^driver has already been destroyed$/,
  /^Query read timeout$/,
  /^PGlite is closed$/,
];

/**
 * True when `error` (or one of its causes) means the database could not be reached, was going away
 * or did not answer in time: the request may succeed if tried again later, so it is answered 503
 * with Retry-After rather than 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    if (current instanceof DatabaseUnavailableError) return true;
    const candidate = current as { code?: unknown; message?: unknown };
    const code = typeof candidate.code === 'string' ? candidate.code : '';
    if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code)) return true;
    if (code.length === 5 && UNAVAILABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return true;
    const message = typeof candidate.message === 'string' ? candidate.message : '';
    if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    // AggregateError (a connection to a host with several addresses): all of them failed.
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0 && errors.every((item) => isDatabaseUnavailable(item))) return true;
  }
  return false;
}

/** A short description for logs: code and message, no stack. */
export function describeDatabaseError(error: unknown): string {
  const candidate = error as { code?: unknown; message?: unknown };
  const message = typeof candidate?.message === 'string' && candidate.message !== '' ? candidate.message : String(error);
  return typeof candidate?.code === 'string' && !message.includes(candidate.code) ? `${candidate.code} ${message}` : message;
}
