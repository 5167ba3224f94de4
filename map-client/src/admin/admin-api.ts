import { fetchJson, postJson } from '../app/api-client.ts';

/** What the admin console reads and writes (api/src/modules/admin, webhooks; notes/desk-contract.md). */
export type Role = 'citizen' | 'officer' | 'ioc_operator' | 'planner' | 'admin';
export const roles: readonly Role[] = ['citizen', 'officer', 'ioc_operator', 'planner', 'admin'];
export type PriorityCode = 'urgent' | 'normal' | 'complex';
export const priorityCodes: readonly PriorityCode[] = ['urgent', 'normal', 'complex'];

export interface AdminUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  office: { code: string; name: string } | null;
  active: boolean;
  createdAt: string;
}

export interface Office {
  code: string;
  name: string;
  nameEn?: string | null;
  kind?: string;
  responsibilities?: string[];
}

export interface Category {
  code: string;
  nameVi: string;
  nameEn: string;
  descriptionVi: string | null;
  descriptionEn: string | null;
  responsible: string;
  defaultPriority: PriorityCode;
  acknowledgeWorkingMinutes: number;
  resolveWorkingMinutes: number | null;
  active: boolean;
  sortOrder: number;
}
export type CategoryBody = Omit<Category, 'code'>;

export interface CalendarDay {
  day: string;
  kind: 'holiday' | 'working_day';
  nameVi: string;
  nameEn: string | null;
}

export interface ApiClient {
  id: string;
  name: string;
  active: boolean;
  createdAt: string;
}

export interface Webhook {
  office: { code: string; name: string };
  url: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  secret?: string;
  standardWebhooksSecret?: string;
}

export interface Delivery {
  id: number;
  event: string;
  sequence?: number;
  trackingCode: string | null;
  office: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
const query = (parameters: Record<string, string | undefined>) => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value) search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
};
const path = (value: string) => encodeURIComponent(value);

export const adminApi = {
  users: (filter: { q?: string; role?: string; office?: string }) => fetchJson<{ users: AdminUser[] }>(`/api/admin/users${query(filter)}`).then((answer) => answer.users),
  createUser: (body: { email: string; displayName: string; password: string; role: Role; officeCode: string | null }) => postJson<{ id: string }>('/api/admin/users', body),
  updateUser: (id: string, body: { displayName?: string; role?: Role; officeCode?: string | null; active?: boolean }) => fetchJson<AdminUser>(`/api/admin/users/${path(id)}`, json('PATCH', body)),
  resetPassword: (id: string, password: string) => postJson<void>(`/api/admin/users/${path(id)}/password`, { password }),
  /** Offices, fresh (the public answer is cached for a minute). */
  offices: () => fetchJson<{ offices: Office[] }>('/api/offices', { cache: 'no-cache' }).then((answer) => answer.offices),
  categories: () => fetchJson<{ categories: Category[] }>('/api/admin/categories').then((answer) => answer.categories),
  saveCategory: (code: string, body: CategoryBody) => fetchJson<void>(`/api/admin/categories/${path(code)}`, json('PUT', body)),
  priorities: () => fetchJson<{ priorities: { code: PriorityCode; resolveWorkingMinutes: number }[] }>('/api/admin/priorities').then((answer) => answer.priorities),
  savePriority: (code: PriorityCode, resolveWorkingMinutes: number) => fetchJson<void>(`/api/admin/priorities/${path(code)}`, json('PUT', { resolveWorkingMinutes })),
  calendar: () => fetchJson<{ days: CalendarDay[] }>('/api/calendar', { cache: 'no-cache' }).then((answer) => answer.days),
  saveDay: (day: string, body: { kind: CalendarDay['kind']; nameVi: string; nameEn: string | null }) => fetchJson<void>(`/api/admin/calendar/${path(day)}`, json('PUT', body)),
  removeDay: (day: string) => fetchJson<void>(`/api/admin/calendar/${path(day)}`, { method: 'DELETE' }),
  apiClients: () => fetchJson<{ clients: ApiClient[] }>('/api/admin/api-clients').then((answer) => answer.clients),
  createApiClient: (name: string) => postJson<{ id: string; apiKey: string }>('/api/admin/api-clients', { name }),
  revokeApiClient: (id: string) => fetchJson<void>(`/api/admin/api-clients/${path(id)}`, { method: 'DELETE' }),
  webhook: (office: string) => fetchJson<Webhook>(`/api/staff/webhook${query({ office })}`),
  saveWebhook: (body: { officeCode: string; url: string; secret?: string; rotateSecret: boolean; active: boolean }) => fetchJson<Webhook>('/api/staff/webhook', json('PUT', body)),
  deliveries: (office: string) => fetchJson<{ deliveries: Delivery[] }>(`/api/staff/webhook/deliveries${query({ office, limit: '50' })}`).then((answer) => answer.deliveries),
  redeliver: (id: number) => postJson<void>(`/api/staff/webhook/deliveries/${id}/redeliver`, {}),
};
