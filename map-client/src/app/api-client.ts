import { getLanguage, t } from './i18n.ts';

/** An error answered by the platform: `{ error: { code, message, messageVi } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messageVi: string | undefined,
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

export async function fetchJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new NetworkError(error);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string; messageVi?: string } } | undefined;
    throw new ApiError(response.status, body?.error?.code ?? 'HTTP_' + response.status, body?.error?.message ?? response.statusText, body?.error?.messageVi);
  }
  return (await response.json()) as T;
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
