import { ApiError, fetchJson, postJson, setCsrfToken } from '../app/api-client.ts';

/** `user` of /api/auth/login and /api/auth/me (api/src/modules/auth). */
export interface StaffUser {
  id: string;
  email: string;
  displayName: string;
  role: 'citizen' | 'officer' | 'ioc_operator' | 'planner' | 'admin';
  office: { code: string; name: string } | null;
}

export const operationsRoles: readonly StaffUser['role'][] = ['ioc_operator', 'admin'];

/** The signed-in user of this browser (session cookie), or undefined. */
export async function currentUser(): Promise<StaffUser | undefined> {
  try {
    const { user, csrfToken } = await fetchJson<{ user: StaffUser; csrfToken: string }>('/api/auth/me');
    setCsrfToken(csrfToken);
    return user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return undefined;
    throw error;
  }
}

export async function signIn(email: string, password: string): Promise<StaffUser> {
  const { user, csrfToken } = await postJson<{ user: StaffUser; csrfToken: string }>('/api/auth/login', { email, password });
  setCsrfToken(csrfToken);
  return user;
}

export async function signOut(): Promise<void> {
  await fetchJson<void>('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
  setCsrfToken(undefined);
}
