import { openReportStatuses } from '@bandoso/contracts';
import type { Kysely } from 'kysely';
import type { Database, ReportStatus } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { administrativeDate } from '../boundaries/boundaries.service.ts';
import { publicPhoto, publicSummary, publicTimeline } from './report-views.ts';
import * as repository from './reports.repository.ts';
import { routeReport } from './report-routing.service.ts';
import { findCategory } from './category-index.ts';
import * as rules from './report-rules.repository.ts';
import * as workflowRepository from './report-workflow.repository.ts';

export async function listPublicCategories(db: Kysely<Database>) {
  const categories = await rules.listCategories(db);
  return categories.map((category) => ({
    code: category.code,
    nameVi: category.name_vi,
    nameEn: category.name_en,
    descriptionVi: category.description_vi,
    descriptionEn: category.description_en,
    defaultPriority: category.default_priority,
    responsible: category.responsible_kind === 'commune_committee' ? 'commune_committee' : category.responsibility,
    acknowledgeWorkingMinutes: category.acknowledge_working_minutes,
    resolveWorkingMinutes: category.resolve_working_minutes ?? category.priority_resolve_working_minutes,
  }));
}

export function reportNotFound(trackingCode: string): AppError {
  return new AppError('NOT_FOUND', `No report has the tracking code ${trackingCode}. Check the code on your receipt.`, {
    vi: `Không tìm thấy phản ánh có mã ${trackingCode}. Hãy kiểm tra lại mã.`,
  });
}

/** A report as anyone may see it: the public timeline, the office's answer and photos; no reporter. */
export async function getPublicReport(db: Kysely<Database>, trackingCode: string) {
  const row = await repository.findPublicReportByTrackingCode(db, trackingCode);
  if (!row) throw reportNotFound(trackingCode);
  const [events, photos, followers] = await Promise.all([repository.listEvents(db, row.id, true), repository.listPhotos(db, row.id), workflowRepository.countFollowers(db, row.id)]);
  const publicEventIds = new Set(events.map((event) => event.id));
  return {
    ...publicSummary(row),
    followers,
    photos: photos.filter((photo) => photo.event_id === null || publicEventIds.has(photo.event_id)).map(publicPhoto),
    timeline: publicTimeline(events, photos),
  };
}

export async function listReportsNearby(db: Kysely<Database>, longitude: number, latitude: number, categoryCode: string, radiusM: number) {
  const rows = await repository.listNearbyOpenReports(db, longitude, latitude, categoryCode, radiusM, openReportStatuses);
  return {
    type: 'FeatureCollection' as const,
    radiusM,
    features: rows.map((row) => ({
      type: 'Feature' as const,
      id: row.id,
      geometry: row.location,
      properties: {
        trackingCode: row.tracking_code,
        category: row.category_code,
        status: row.status,
        description: row.description.length > 160 ? `${row.description.slice(0, 157)}…` : row.description,
        createdAt: row.created_at.toISOString(),
        distanceM: Math.round(row.distance_m),
      },
    })),
  };
}

export interface PublicListQuery {
  commune?: string;
  category?: string;
  status?: ReportStatus[];
  from?: string;
  to?: string;
  q?: string;
  limit: number;
  offset: number;
}

/** Start of a Vietnamese calendar day, or the instant itself when a date-time was given. */
export function instantOf(value: string, endOfDay = false): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = new Date(`${value}T00:00:00+07:00`);
    return endOfDay ? new Date(start.getTime() + 86_400_000) : start;
  }
  return new Date(value);
}

export async function listReports(db: Kysely<Database>, query: PublicListQuery) {
  const filter: repository.ReportListFilter = { limit: query.limit, offset: query.offset };
  if (query.commune) filter.communeCode = query.commune;
  if (query.category) filter.categories = query.category.split(',').map((code) => code.trim()).filter(Boolean);
  if (query.status) filter.statuses = query.status;
  if (query.from) filter.createdFrom = instantOf(query.from);
  if (query.to) filter.createdBefore = instantOf(query.to, true);
  if (query.q) filter.text = query.q;
  if (filter.createdFrom && filter.createdBefore && filter.createdFrom >= filter.createdBefore) {
    throw new AppError('VALIDATION_FAILED', '`from` must be before `to`.', { vi: 'Ngày bắt đầu phải trước ngày kết thúc.' });
  }
  const { rows, total } = await repository.listPublicReports(db, filter);
  return { total, limit: query.limit, offset: query.offset, reports: rows.map(publicSummary), asOf: administrativeDate(undefined) };
}

/**
 * Who would receive a report at this point in this category, before it is sent (the page shows it).
 * Same routing as the intake, without writing anything.
 */
export async function previewRouting(db: Kysely<Database>, longitude: number, latitude: number, categoryCode: string, borderFlagDistanceM: number) {
  const category = await findCategory(db, categoryCode);
  if (!category || !category.active) {
    throw new AppError('VALIDATION_FAILED', `Unknown category "${categoryCode}" (GET /api/categories lists them).`, { vi: `Lĩnh vực "${categoryCode}" không tồn tại.` });
  }
  const routing = await routeReport(db, category, longitude, latitude, new Date(), borderFlagDistanceM);
  return {
    commune: routing.located.commune,
    province: routing.located.province,
    office: { code: routing.office.code, name: routing.office.name, nameEn: routing.office.name_en },
    nearBorder: routing.nearBorder,
    neighbours: routing.neighbours,
    boundarySet: routing.located.boundarySet,
  };
}

// Public reads that partners' interfaces (Open311) shape their own way: only public columns.
export { findPublicReportById, findPublicReportByTrackingCode, findReportIdByTrackingCode, listPublicReports, type PublicReportRow, type ReportListFilter } from './reports.repository.ts';

// Start-up fills in the default categories, priorities and calendar where missing.
export { insertMissingDefaultRules } from './report-rules.repository.ts';
