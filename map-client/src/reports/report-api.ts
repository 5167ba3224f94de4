import type { ReportStatus } from '@bandoso/contracts';
import { fetchJson, postJson } from '../app/api-client.ts';
import { getLanguage } from '../app/i18n.ts';

/**
 * The platform's report endpoints as the map reads them (api/src/modules/reports), and the locate
 * endpoint a report starts from. The statuses and the submission receipt are the server's own
 * (@bandoso/contracts); the other types here are the part of an answer the client uses, not the
 * whole answer.
 */
export type { SubmissionReceipt } from '@bandoso/contracts';
export { trackingCodePattern } from '@bandoso/contracts';

export interface Category {
  code: string;
  nameVi: string;
  nameEn: string;
  descriptionVi: string | null;
  descriptionEn: string | null;
}

/** `GET /api/locate` (api/src/modules/boundaries): the commune of a pinned place, before anything is reported. */
export interface LocateResponse {
  province: { code: string; name: string } | null;
  commune: { code: string; name: string; level: string } | null;
  onBorderWith: { code: string; name: string }[];
}

export interface RoutingPreview {
  commune: { code: string; name: string; level: string };
  office: { code: string; name: string; nameEn: string | null };
  nearBorder: boolean;
  neighbours: { code: string; name: string }[];
}

export interface NearbyReport {
  trackingCode: string;
  category: string;
  status: ReportStatus;
  description: string;
  createdAt: string;
  distanceM: number;
  coordinates: [number, number];
}

export interface PublicPhoto {
  id: string;
  url: string;
  width: number | null;
  height: number | null;
}

export interface TimelineEntry {
  at: string;
  kind: string;
  toStatus: ReportStatus | null;
  by: 'citizen' | 'office' | 'system';
  office: { code: string; name: string } | null;
  note: string | null;
  photos: PublicPhoto[];
}

/** `GET /api/reports/:trackingCode`. */
export interface PublicReport {
  trackingCode: string;
  category: { code: string; nameVi: string; nameEn: string };
  status: ReportStatus;
  description: string;
  location: { type: 'Point'; coordinates: [number, number] };
  commune: { code: string; name: string };
  office: { code: string; name: string; nameEn: string | null };
  createdAt: string;
  dueAt: string | null;
  resolvedAt: string | null;
  overdue: boolean;
  rejectionReason: string | null;
  answer: { text: string; at: string | null } | null;
  rating: { value: 'satisfied' | 'not_satisfied'; comment: string | null; at: string | null } | null;
  followers: number;
  photos: PublicPhoto[];
  timeline: TimelineEntry[];
}

const categoriesCacheKey = 'bandoso.categories';

/**
 * The categories, from the platform, else from the copy kept on the device (so that a report can be
 * written offline). The service worker caches the answer too; this copy also covers a first visit
 * made before the worker took control.
 */
export async function loadCategories(): Promise<Category[]> {
  try {
    const { categories } = await fetchJson<{ categories: Category[] }>('/api/categories');
    try {
      localStorage.setItem(categoriesCacheKey, JSON.stringify(categories));
    } catch {
      // Private mode or full storage: the copy is a convenience.
    }
    return categories;
  } catch (error) {
    const saved = readSavedCategories();
    if (saved) return saved;
    throw error;
  }
}

function readSavedCategories(): Category[] | undefined {
  try {
    const raw = localStorage.getItem(categoriesCacheKey);
    const parsed = raw ? (JSON.parse(raw) as unknown) : undefined;
    return Array.isArray(parsed) && parsed.length > 0 ? (parsed as Category[]) : undefined;
  } catch {
    return undefined;
  }
}

export function categoryName(category: Pick<Category, 'nameVi' | 'nameEn'>): string {
  return getLanguage() === 'vi' ? category.nameVi : category.nameEn || category.nameVi;
}

const point = (lngLat: readonly [number, number]) => `lon=${lngLat[0].toFixed(6)}&lat=${lngLat[1].toFixed(6)}`;

export function locatePoint(lngLat: readonly [number, number], signal?: AbortSignal): Promise<LocateResponse> {
  return fetchJson<LocateResponse>(`/api/locate?${point(lngLat)}`, signal ? { signal } : {});
}

export function previewRouting(lngLat: readonly [number, number], category: string, signal?: AbortSignal): Promise<RoutingPreview> {
  return fetchJson<RoutingPreview>(`/api/reports/routing-preview?${point(lngLat)}&category=${encodeURIComponent(category)}`, signal ? { signal } : {});
}

export async function listNearbyReports(lngLat: readonly [number, number], category: string, signal?: AbortSignal): Promise<NearbyReport[]> {
  const collection = await fetchJson<{ features: { geometry: { coordinates: [number, number] }; properties: Omit<NearbyReport, 'coordinates'> }[] }>(
    `/api/reports/nearby?${point(lngLat)}&category=${encodeURIComponent(category)}`,
    signal ? { signal } : {},
  );
  return collection.features.map((feature) => ({ ...feature.properties, coordinates: feature.geometry.coordinates }));
}

export function followReport(trackingCode: string): Promise<{ trackingCode: string; followerToken?: string }> {
  return postJson(`/api/reports/${encodeURIComponent(trackingCode)}/follow`, {});
}

export function getPublicReport(trackingCode: string, signal?: AbortSignal): Promise<PublicReport> {
  return fetchJson<PublicReport>(`/api/reports/${encodeURIComponent(trackingCode)}`, signal ? { signal } : {});
}

export function rateReport(trackingCode: string, token: string, rating: 'satisfied' | 'not_satisfied', comment: string | undefined): Promise<PublicReport> {
  return postJson<PublicReport>(`/api/reports/${encodeURIComponent(trackingCode)}/rating`, { token, rating, ...(comment ? { comment } : {}) });
}

export function addInformation(trackingCode: string, token: string, note: string): Promise<PublicReport> {
  return postJson<PublicReport>(`/api/reports/${encodeURIComponent(trackingCode)}/information`, { token, note });
}
