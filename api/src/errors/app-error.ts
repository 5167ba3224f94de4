/**
 * The one error type the API throws on purpose. The code set is closed: each code has one HTTP status,
 * and clients may switch on the code. `message` is English (logs, API users), `messageVi` Vietnamese
 * (what the map shows people first).
 */
export const errorStatusByCode = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  OUTSIDE_PROVINCE: 404,
  NO_BOUNDARY_SET: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  DATABASE_UNAVAILABLE: 503,
  /** A camera's stream could not be read through the relay (the camera or its network is down). */
  CAMERA_UNAVAILABLE: 503,
  /** The process holds as many of a resource (live-feed streams) as it is allowed; Retry-After says when to come back. */
  SERVER_BUSY: 503,
} as const;

export type ErrorCode = keyof typeof errorStatusByCode;

/** Retry-After (seconds) sent with DATABASE_UNAVAILABLE: about what a restart of PostgreSQL takes. */
export const DATABASE_RETRY_AFTER_S = 5;

/** Retry-After (seconds) sent with CAMERA_UNAVAILABLE: a player tries again about every segment or two. */
export const CAMERA_RETRY_AFTER_S = 2;

/** The database could not be reached, was going away, or did not answer in time (see `isDatabaseUnavailable`). */
export function databaseUnavailableError(cause?: unknown): AppError {
  return new AppError('DATABASE_UNAVAILABLE', `The database is unavailable for a moment. Please try again in ${DATABASE_RETRY_AFTER_S} seconds.`, {
    vi: `Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ${DATABASE_RETRY_AFTER_S} giây.`,
    cause,
  });
}

export interface AppErrorOptions {
  /** The same message in Vietnamese. */
  vi?: string;
  /** Machine-readable detail, e.g. the failing fields. Never put secrets or personal data here. */
  details?: unknown;
  cause?: unknown;
}

export class AppError extends Error {
  readonly status: number;
  readonly messageVi: string | undefined;
  readonly details: unknown;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.status = errorStatusByCode[code];
    this.messageVi = options.vi;
    this.details = options.details;
  }
}
