import { fetchJson, postJson, setCsrfToken } from '../app/api-client.ts';

/** `user` of /api/auth/login and /api/auth/me (api/src/modules/auth). */
export interface StaffUser {
  id: string;
  email: string;
  displayName: string;
  role: 'citizen' | 'officer' | 'ioc_operator' | 'planner' | 'admin';
  office: { code: string; name: string } | null;
}

export const operationsRoles: readonly StaffUser['role'][] = ['ioc_operator', 'admin'];

/**
 * The signed-in user of this browser (session cookie), or undefined. Asks `/api/auth/session`, which
 * answers a signed-out browser with 200 `{ user: null }`: being signed out is no error, and a 401
 * would be logged in the console of every signed-out visit to a staff screen.
 */
export async function currentUser(): Promise<StaffUser | undefined> {
  const { user, csrfToken } = await fetchJson<{ user: StaffUser | null; csrfToken?: string }>('/api/auth/session');
  if (!user) return undefined;
  setCsrfToken(csrfToken);
  return user;
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
