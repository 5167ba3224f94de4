import type { ReportStatus, StaffActionName } from '@bandoso/contracts';
import { fetchJson, postJson, postWithProgress } from '../app/api-client.ts';

/** The staff endpoints the desk uses (/work/notes/desk-contract.md; api/src/modules/reports). */

export interface Deadline {
  kind: 'acknowledge' | 'resolve';
  dueAt: string;
  /** Negative when overdue. */
  workingMinutesLeft: number;
  paused: boolean;
}

export interface StaffReportSummary {
  id: string;
  trackingCode: string;
  category: { code: string; nameVi: string; nameEn: string };
  status: ReportStatus;
  priority: string;
  description: string;
  location: { type: 'Point'; coordinates: [number, number] };
  address: string | null;
  commune: { code: string; name: string };
  office: { code: string; name: string; nameEn: string | null };
  createdAt: string;
  acknowledgeDueAt: string;
  dueAt: string | null;
  resolvedAt: string | null;
  overdue: boolean;
  rejectionReason: string | null;
  answer: { text: string; at: string | null } | null;
  rating: { value: 'satisfied' | 'not_satisfied'; comment: string | null; at: string | null } | null;
  duplicateOf: string | null;
  deadline?: Deadline | null;
  pausedAt?: string | null;
}

export interface StaffPhoto {
  id: string;
  url: string;
  originalUrl: string;
  role: 'report' | 'before' | 'after';
  eventId: string | null;
  takenAt: string | null;
}

export interface StaffTimelineEntry {
  seq: number;
  at: string;
  kind: string;
  fromStatus: ReportStatus | null;
  toStatus: ReportStatus | null;
  actorRole: string;
  office: { code: string; name: string } | null;
  note: string | null;
  public: boolean;
  data: Record<string, unknown> | null;
  photos: { id: string; url: string }[];
}

export type Reporter = { name: string | null; phone: string | null; email: string | null; consentToContact: boolean; hasAccount: boolean } | { hidden: true; consentToContact: boolean } | null;

export interface StaffReport extends StaffReportSummary {
  followers: number;
  nearBorder: boolean;
  borderConfirmedAt: string | null;
  accuracyM: number | null;
  locationCheck: { verdict: 'verified' | 'unverified' | 'mismatch' | null; detail: unknown };
  escalatedAt: string | null;
  reporter: Reporter;
  photos: StaffPhoto[];
  timeline: StaffTimelineEntry[];
}

export interface QueueFilter {
  status: string;
  category: string;
  commune: string;
  from: string;
  to: string;
  q: string;
}

export const emptyFilter = (): QueueFilter => ({ status: '', category: '', commune: '', from: '', to: '', q: '' });

/** The open statuses, the queue's default. */
export const openStatusList = 'received,accepted,in_progress,waiting_for_citizen,transferred,reopened';

export function queueUrl(filter: QueueFilter): string {
  const query = new URLSearchParams();
  query.set('status', filter.status === 'all' ? '' : filter.status || openStatusList);
  if (!query.get('status')) query.delete('status');
  for (const key of ['category', 'commune', 'from', 'to', 'q'] as const) if (filter[key].trim()) query.set(key, filter[key].trim());
  query.set('limit', '200');
  return `/api/staff/reports?${query}`;
}

export function loadQueue(filter: QueueFilter, signal?: AbortSignal): Promise<{ total: number; reports: StaffReportSummary[] }> {
  return fetchJson(queueUrl(filter), signal ? { signal } : {});
}

export function loadReport(reportId: string): Promise<StaffReport> {
  return fetchJson<StaffReport>(`/api/staff/reports/${encodeURIComponent(reportId)}`);
}

export interface TransferOption {
  code: string;
  name: string;
  nameEn: string | null;
  handlesCategory: boolean;
  coversPlace: boolean;
  distanceM: number | null;
}

export async function loadTransferOptions(reportId: string): Promise<TransferOption[]> {
  return (await fetchJson<{ offices: TransferOption[] }>(`/api/staff/reports/${encodeURIComponent(reportId)}/transfer-options`)).offices;
}

export interface DuplicateCandidate {
  trackingCode: string;
  category: { code: string; nameVi: string; nameEn: string };
  status: ReportStatus;
  description: string;
  createdAt: string;
  distanceM: number;
}

export async function loadDuplicateCandidates(reportId: string): Promise<DuplicateCandidate[]> {
  return (await fetchJson<{ reports: DuplicateCandidate[] }>(`/api/staff/reports/${encodeURIComponent(reportId)}/duplicate-candidates`)).reports;
}

export type ActionBody = { action: StaffActionName } & Record<string, unknown>;

/** The report as the caller sees it after the action: the staff view, or the public summary once it left their office. */
export async function performAction(reportId: string, body: ActionBody, photos: File[] = [], onProgress?: (sent: number) => void): Promise<StaffReport | StaffReportSummary> {
  const url = `/api/staff/reports/${encodeURIComponent(reportId)}/actions`;
  if (photos.length === 0) return postJson(url, body);
  const form = new FormData();
  form.append('action', JSON.stringify(body));
  for (const photo of photos) form.append('photos', photo, photo.name);
  return (await postWithProgress<StaffReport | StaffReportSummary>(url, form, onProgress ? { onProgress } : {})).body;
}

export const isStaffView = (view: StaffReport | StaffReportSummary): view is StaffReport => 'timeline' in view && Array.isArray((view as StaffReport).timeline);
