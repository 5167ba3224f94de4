import { getLanguage, t } from './i18n.ts';

/** An error answered by the platform: `{ error: { code, message, messageVi } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messageVi: string | undefined,
    /** The answer's Retry-After, in seconds (a 503 or 429 says when to ask again). */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The network failed (offline, server down): no answer at all. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network request failed', { cause });
    this.name = 'NetworkError';
  }
}

/**
 * The session's CSRF token, once known (sign-in or /api/auth/me). A signed-in browser sends its
 * session cookie with every request, and the platform refuses an unsafe cookie request without the
 * token, even a citizen's report: so every unsafe request carries it when there is one.
 */
let csrfToken: string | undefined;
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}
export function getCsrfToken(): string | undefined {
  return csrfToken;
}

type ErrorBody = { error?: { code?: string; message?: string; messageVi?: string } } | undefined;

export function apiErrorFrom(status: number, statusText: string, body: ErrorBody, retryAfter?: string | null): ApiError {
  return new ApiError(status, body?.error?.code ?? 'HTTP_' + status, body?.error?.message ?? statusText, body?.error?.messageVi, retryAfterSeconds(retryAfter));
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110), in seconds from now. */
export function retryAfterSeconds(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

function withCsrf(init: RequestInit): HeadersInit {
  const method = (init.method ?? 'GET').toUpperCase();
  const unsafe = method !== 'GET' && method !== 'HEAD';
  return { accept: 'application/json', ...(unsafe && csrfToken ? { 'X-CSRF-Token': csrfToken } : {}), ...(init.headers as Record<string, string> | undefined) };
}

export async function fetchJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: withCsrf(init) });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new NetworkError(error);
  }
  if (!response.ok) throw apiErrorFrom(response.status, response.statusText, (await response.json().catch(() => undefined)) as ErrorBody, response.headers.get('Retry-After'));
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** POST a JSON body, answer the JSON reply. */
export function postJson<T>(url: string, body: unknown, init: RequestInit = {}): Promise<T> {
  return fetchJson<T>(url, { ...init, method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...(init.headers as Record<string, string> | undefined) } });
}

export interface UploadOptions {
  headers?: Record<string, string>;
  /** Called with the share of the body sent so far, 0…1. */
  onProgress?: (sent: number) => void;
  signal?: AbortSignal;
  /** Give up when no answer came within this time (ms); a network error then. */
  timeoutMs?: number;
}

/**
 * POST with upload progress: `fetch` cannot report how much of a request body has gone out, so
 * this one uses XMLHttpRequest. Same errors as `fetchJson`: ApiError for an answer that is not 2xx,
 * NetworkError when there is no answer at all. Answers the status with the body.
 */
export function postWithProgress<T>(url: string, body: FormData | string, options: UploadOptions = {}): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.responseType = 'text';
    if (options.timeoutMs) request.timeout = options.timeoutMs;
    const headers: Record<string, string> = { accept: 'application/json', ...(csrfToken ? { 'X-CSRF-Token': csrfToken } : {}), ...options.headers };
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    if (options.onProgress) {
      const report = options.onProgress;
      request.upload.addEventListener('progress', (event) => {
        if (event.lengthComputable && event.total > 0) report(event.loaded / event.total);
      });
    }
    const fail = (cause: string) => () => reject(new NetworkError(new Error(cause)));
    request.addEventListener('error', fail('network error'));
    request.addEventListener('timeout', fail('timed out'));
    request.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    request.addEventListener('load', () => {
      let parsed: unknown;
      try {
        parsed = request.responseText ? JSON.parse(request.responseText) : undefined;
      } catch {
        parsed = undefined;
      }
      if (request.status >= 200 && request.status < 300) resolve({ status: request.status, body: parsed as T });
      else if (request.status === 0) reject(new NetworkError(new Error('no response')));
      else reject(apiErrorFrom(request.status, request.statusText, parsed as ErrorBody, request.getResponseHeader('Retry-After')));
    });
    options.signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(body);
  });
}

/** What to tell a person about a failure: the API's Vietnamese message first, in Vietnamese. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (getLanguage() === 'vi') return error.messageVi ?? error.message;
    return error.message;
  }
  if (error instanceof NetworkError) return t('error.network');
  return t('error.generic');
}
