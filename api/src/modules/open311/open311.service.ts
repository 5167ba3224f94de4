import { foldVietnamese } from '@bandoso/gis-data';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { authenticateApiKey } from '../auth/auth.service.ts';
import { submitReport } from '../reports/report-intake.service.ts';
import type { ReportsContext } from '../reports/reports-context.ts';
import { submitReportSchema, type SubmitReportInput } from '../reports/reports.schema.ts';
import { findOfficeByCode } from '../offices/offices.service.ts';
import { listPublicCategories } from '../reports/reports.service.ts';
import type { Open311Document, Open311Value } from './open311-format.ts';
import { CONSENT_ATTRIBUTE, OPEN311_JURISDICTION_ID, type CreateRequestInput, type Open311Locale } from './open311.schema.ts';

/**
 * Open311 GeoReport v2 over the report services: categories are the services, reports are the
 * service requests, and our tracking codes are their ids. Intake and routing are the reports
 * module's; this module only translates. Nothing here reads a reporter's contact details, so no
 * GET answer can contain them.
 */

export const GEOREPORT_V2_SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
/** When this endpoint's interface last changed (discovery's `changeset`). */
export const OPEN311_CHANGESET = '2026-11-28T00:00:00+07:00';

export const DAY_MS = 86_400_000;
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** How a request reads its answer: language of names and notes, and the absolute root of our URLs. */
export interface Open311View {
  locale: Open311Locale;
  /** e.g. `https://bandoso.dienbien.gov.vn` (no trailing slash). */
  baseUrl: string;
}

export interface Open311Client {
  id: string;
  name: string;
}

// ---- time --------------------------------------------------------------------------------------

/** A W3C date-time in Vietnam time (UTC+07:00 all year: Vietnam has no daylight saving). */
export function toW3cDateTime(date: Date): string {
  return `${new Date(date.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

/** `31/01/2026 08:00`, Vietnam time, for notices people read. */
function toReadableTime(date: Date): string {
  const local = new Date(date.getTime() + VIETNAM_OFFSET_MS).toISOString();
  return `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 16)}`;
}

// ---- jurisdiction and partners --------------------------------------------------------------------

/** We serve one jurisdiction: `jurisdiction_id` is optional, and when given it must be ours. */
export function assertJurisdiction(jurisdictionId: string | undefined): void {
  if (jurisdictionId === undefined || jurisdictionId.toLowerCase() === OPEN311_JURISDICTION_ID) return;
  throw new AppError('NOT_FOUND', `jurisdiction_id "${jurisdictionId}" was not found: this endpoint serves only ${OPEN311_JURISDICTION_ID}.`, {
    vi: `Không có jurisdiction_id "${jurisdictionId}": địa chỉ này chỉ phục vụ ${OPEN311_JURISDICTION_ID}.`,
  });
}

/** The partner behind an `api_key`; the spec answers 403 both for a missing and for a wrong key. */
export async function authenticatePartner(db: Kysely<Database>, apiKey: string | undefined): Promise<Open311Client> {
  if (!apiKey) {
    throw new AppError('FORBIDDEN', 'api_key is required to create a service request; the platform administrators issue keys to partners.', {
      vi: 'Thiếu api_key: cần có khóa API (do quản trị hệ thống cấp) để gửi phản ánh.',
    });
  }
  const client = await authenticateApiKey(db, apiKey);
  if (!client) {
    throw new AppError('FORBIDDEN', 'api_key is not valid (unknown or revoked) -- the service request was not created.', {
      vi: 'api_key không hợp lệ (không tồn tại hoặc đã bị thu hồi); phản ánh chưa được gửi.',
    });
  }
  return client;
}

// ---- discovery and services -------------------------------------------------------------------------

export function describeDiscovery(view: Open311View): Open311Document {
  return {
    root: 'discovery',
    body: {
      changeset: OPEN311_CHANGESET,
      contact:
        view.locale === 'en'
          ? 'Bản đồ số, Điện Biên province: write to the platform administrators (see the site) for help with this API.'
          : 'Bản đồ số tỉnh Điện Biên: liên hệ quản trị hệ thống (thông tin trên trang) để được hỗ trợ về API này.',
      key_service:
        view.locale === 'en'
          ? 'Reading needs no key. To submit service requests, ask the platform administrators for an api_key.'
          : 'Tra cứu không cần khóa. Để gửi phản ánh, đề nghị quản trị hệ thống cấp api_key.',
      endpoints: [
        {
          specification: GEOREPORT_V2_SPECIFICATION,
          url: `${view.baseUrl}/open311/v2`,
          changeset: OPEN311_CHANGESET,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    },
  };
}

type PublicCategory = Awaited<ReturnType<typeof listPublicCategories>>[number];

function toService(category: PublicCategory, locale: Open311Locale): Record<string, Open311Value> {
  const name = locale === 'en' ? category.nameEn : category.nameVi;
  const otherName = locale === 'en' ? category.nameVi : category.nameEn;
  return {
    service_code: category.code,
    service_name: name,
    description: (locale === 'en' ? category.descriptionEn : category.descriptionVi) ?? null,
    metadata: false,
    type: 'realtime',
    // Synonyms help search: the other language's name and the name without diacritics.
    keywords: [...new Set([otherName, foldVietnamese(category.nameVi)])].join(', '),
    // Who answers: a commune's People's Committee, or an office with a responsibility (power, water…).
    group: category.responsible,
  };
}

export async function listServices(db: Kysely<Database>, view: Open311View): Promise<Open311Document> {
  const categories = await listPublicCategories(db);
  return { root: 'services', body: categories.map((category) => toService(category, view.locale)) };
}

function serviceNotFound(serviceCode: string, known: string[]): AppError {
  return new AppError('NOT_FOUND', `service_code "${serviceCode}" was not found. Known codes: ${known.join(', ')} (GET services.xml).`, {
    vi: `Không có service_code "${serviceCode}". Xem danh sách tại services.xml.`,
  });
}

/**
 * No attribute is required (so `metadata` is false); one optional attribute is read: whether the
 * office may contact the person, which otherwise defaults to no.
 */
export async function getServiceDefinition(db: Kysely<Database>, serviceCode: string, view: Open311View): Promise<Open311Document> {
  const categories = await listPublicCategories(db);
  if (!categories.some((category) => category.code === serviceCode)) throw serviceNotFound(serviceCode, categories.map((category) => category.code));
  const en = view.locale === 'en';
  return {
    root: 'service_definition',
    body: {
      service_code: serviceCode,
      attributes: [
        {
          variable: true,
          code: CONSENT_ATTRIBUTE,
          datatype: 'singlevaluelist',
          required: false,
          datatype_description: en ? 'true or false; false when not sent' : 'true hoặc false; mặc định false',
          order: 1,
          description: en
            ? 'May the responsible office contact the person (email, phone) about this request? Their details are never published.'
            : 'Cơ quan xử lý có được liên hệ với người phản ánh (e-mail, điện thoại) về phản ánh này không? Thông tin liên hệ không bao giờ được công khai.',
          values: [
            { key: 'true', name: en ? 'Yes' : 'Đồng ý' },
            { key: 'false', name: en ? 'No' : 'Không' },
          ],
        },
      ],
    },
  };
}

// ---- POST requests ----------------------------------------------------------------------------------

/** Where the intake schema's parameters come from in an Open311 request (for error messages). */
const open311ParameterOf: Record<string, string> = {
  category: 'service_code',
  description: 'description',
  location: 'lat',
  address: 'address_string',
  'reporter.name': 'first_name',
  'reporter.phone': 'phone',
  'reporter.email': 'email',
};

/**
 * A media URL cannot be fetched here (photos reach us as uploads only), so it is kept, visibly, at
 * the end of the description: the office can open it, and nothing is lost.
 */
export function describeWithMedia(description: string, mediaUrl: string | undefined): string {
  return mediaUrl ? `${description}\n\nTệp đính kèm (media_url): ${mediaUrl}` : description;
}

/** Vietnamese order: family name (`last_name`) first, as in "Nguyễn Văn An". */
function fullName(firstName: string | undefined, lastName: string | undefined): string | undefined {
  const name = [lastName, firstName].filter(Boolean).join(' ');
  return name || undefined;
}

function toSubmission(input: CreateRequestInput): SubmitReportInput {
  if (input.description === undefined) {
    throw new AppError('VALIDATION_FAILED', 'description is required: say what the problem is (at least 5 characters).', {
      vi: 'Thiếu mô tả (description): hãy mô tả vấn đề (ít nhất 5 ký tự).',
      details: [{ parameter: 'description', problem: 'description is required: say what the problem is (at least 5 characters)' }],
    });
  }
  const name = fullName(input.firstName, input.lastName);
  const hasContact = name !== undefined || input.email !== undefined || input.phone !== undefined;
  const candidate = {
    category: input.serviceCode,
    description: describeWithMedia(input.description, input.mediaUrl),
    location: { type: 'Point', coordinates: [input.longitude, input.latitude] },
    ...(input.addressString ? { address: input.addressString } : {}),
    ...(hasContact
      ? {
          reporter: {
            ...(name ? { name } : {}),
            ...(input.email ? { email: input.email } : {}),
            ...(input.phone ? { phone: input.phone } : {}),
            consentToContact: input.consentToContact,
          },
        }
      : {}),
  };
  const parsed = submitReportSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return { parameter: open311ParameterOf[path] ?? open311ParameterOf[String(issue.path[0])] ?? path, problem: issue.message };
  });
  const summary = problems.map((item) => `${item.parameter}: ${item.problem}`).join('; ');
  throw new AppError('VALIDATION_FAILED', `Invalid service request: ${summary}`, { vi: `Phản ánh không hợp lệ: ${summary}`, details: problems });
}

export function routingNotice(officeName: string, dueAt: Date | null, locale: Open311Locale, extra: { trackingCode?: string; overdue?: boolean } = {}): string {
  const parts =
    locale === 'en'
      ? [
          `Sent to ${officeName}${dueAt ? `; to be handled by ${toReadableTime(dueAt)} (Vietnam time)` : ''}.`,
          extra.overdue ? 'Overdue.' : '',
          extra.trackingCode ? `Tracking code: ${extra.trackingCode}.` : '',
        ]
      : [
          `Đã chuyển đến ${officeName}${dueAt ? `; hạn xử lý ${toReadableTime(dueAt)} (giờ Việt Nam)` : ''}.`,
          extra.overdue ? 'Đã quá hạn.' : '',
          extra.trackingCode ? `Mã tra cứu: ${extra.trackingCode}.` : '',
        ];
  return parts.filter(Boolean).join(' ');
}

export interface CreatedServiceRequest {
  /** False when an Idempotency-Key replayed an earlier submission. */
  created: boolean;
  trackingCode: string;
  document: Open311Document;
}

/**
 * A partner's service request becomes a citizen's report through the reports intake (locate the
 * commune, pick the office, set the deadlines, one transaction). Partners' idempotency keys are
 * stored under the partner's id, so two partners may use the same key.
 */
export async function createServiceRequest(
  context: ReportsContext,
  client: Open311Client,
  input: CreateRequestInput,
  options: { idempotencyKey?: string; locale: Open311Locale },
): Promise<CreatedServiceRequest> {
  const categories = await listPublicCategories(context.db);
  if (!categories.some((category) => category.code === input.serviceCode)) {
    throw serviceNotFound(input.serviceCode, categories.map((category) => category.code));
  }
  const submission = toSubmission(input);
  const result = await submitReport(context, submission, [], {
    ...(options.idempotencyKey ? { idempotencyKey: `open311:${client.id}:${options.idempotencyKey}` } : {}),
    source: { channel: 'open311', clientId: client.id, clientName: client.name },
    userId: null,
  });
  const { body } = result;
  let officeName = body.office.name;
  if (options.locale === 'en') officeName = (await findOfficeByCode(context.db, body.office.code))?.name_en ?? officeName;
  return {
    created: result.status === 201,
    trackingCode: body.trackingCode,
    document: {
      root: 'service_requests',
      body: [
        {
          service_request_id: body.trackingCode,
          service_notice: routingNotice(officeName, new Date(body.dueAt), options.locale, { trackingCode: body.trackingCode }),
          account_id: input.accountId ?? null,
        },
      ],
    },
  };
}
