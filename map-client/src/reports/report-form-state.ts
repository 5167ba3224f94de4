import { NetworkError } from '../app/api-client.ts';
import type { Language, MessageKey } from '../app/i18n.ts';
import type { QueuedReportState, SavedReport } from '../offline/local-database-schema.ts';
import type { ReportDraft } from '../offline/report-queue.ts';
import type { PreparedPhoto } from '../photos/photo-preparation.ts';
import { isLocateOffline, locatedCommuneName, type LocateState, type Place } from '../views/citizen-place.ts';
import { type Category, type NearbyReport, type RoutingPreview } from './report-api.ts';

/**
 * The report form's data and rules, without the page: what the person chose and typed, which office
 * will receive it, the photos, and what is sent or kept on the device. report-form-view.ts draws it;
 * report-form.ts reads the platform and the device and keeps it up to date.
 */

export const maxPhotos = 5;
/** Shorter than this, a description says nothing an office could act on. */
const minDescriptionLength = 5;

/** Who will receive the report: asked of the platform once a category is chosen. */
export type RoutingState = { status: 'idle' } | { status: 'loading' } | { status: 'loaded'; preview: RoutingPreview } | { status: 'failed'; error: unknown };

/** A photo prepared in the browser, with the object URL of its preview (revoked when it leaves the form). */
export interface FormPhoto {
  id: number;
  photo: PreparedPhoto;
  previewUrl: string;
}

/** Why a chosen photo was not added. */
export type PhotoProblem = { kind: 'too-many'; max: number } | { kind: 'too-large'; fileName: string; bytes: number; maxBytes: number } | { kind: 'unsupported'; fileName: string };

/** What the person typed and chose, as read from the form. */
export interface ReportFields {
  category: string;
  description: string;
  name: string;
  phone: string;
  email: string;
  consentToContact: boolean;
}

/** Everything the form shows besides what is typed in its fields (the view keeps those). */
export interface ReportFormState {
  place: Place;
  categories: Category[];
  /** The categories could not be loaded, from the platform nor from the copy on the device. */
  categoriesFailed: boolean;
  routing: RoutingState;
  /** Open reports of the chosen category near the place, to follow instead of sending a duplicate. */
  nearby: NearbyReport[];
  /** The tracking code of the nearby report the person chose to follow. */
  followed: string | undefined;
  photos: FormPhoto[];
  /** How many chosen photos are still being prepared ("send" waits for them). */
  preparing: number;
  photoProblems: PhotoProblem[];
}

export function initialReportFormState(place: Place): ReportFormState {
  return { place, categories: [], categoriesFailed: false, routing: { status: 'idle' }, nearby: [], followed: undefined, photos: [], preparing: 0, photoProblems: [] };
}

export type ReportProblem = Extract<MessageKey, 'report.missingCategory' | 'report.missingDescription'>;

/** What stops the report from being sent, in the order of the form's fields. */
export function validateReport(fields: Pick<ReportFields, 'category' | 'description'>): ReportProblem[] {
  const problems: ReportProblem[] = [];
  if (!fields.category) problems.push('report.missingCategory');
  if (fields.description.trim().length < minDescriptionLength) problems.push('report.missingDescription');
  return problems;
}

export function findCategory(categories: readonly Category[], code: string): Category | undefined {
  return categories.find((item) => item.code === code);
}

/** The category's explanation in the page's language ('' when there is none). */
export function categoryDescription(category: Category | undefined, language: Language): string {
  return (language === 'vi' ? category?.descriptionVi : category?.descriptionEn) ?? '';
}

/**
 * Which of the chosen files may still be added: the form holds `maxPhotos`, counting those already
 * added and those still being prepared; the rest are refused, once, with a `too-many` problem.
 */
export function choosePhotoFiles<T>(files: readonly T[], added: number, preparing: number): { accepted: T[]; problems: PhotoProblem[] } {
  const room = maxPhotos - added - preparing;
  return { accepted: files.slice(0, Math.max(0, room)), problems: files.length > room ? [{ kind: 'too-many', max: maxPhotos }] : [] };
}

/** What the routing box says while it has no office to show. */
export type RoutingNotice = 'offline' | 'loading' | 'failed' | 'pick-category';

export function routingNotice(routing: RoutingState, locate: LocateState): RoutingNotice {
  if ((routing.status === 'failed' && routing.error instanceof NetworkError) || isLocateOffline(locate)) return 'offline';
  if (routing.status === 'loading') return 'loading';
  if (routing.status === 'failed') return 'failed';
  return 'pick-category';
}

/** The commune the report goes to: the platform's routing once known, else the located commune. */
export function reportCommuneName(routing: RoutingState, place: Place): string | undefined {
  return routing.status === 'loaded' ? routing.preview.commune.name : locatedCommuneName(place.locate);
}

/** The report as the queue stores it: the description and contact trimmed, empty contact fields left out. */
export function reportDraftFrom(fields: ReportFields, place: Place, photos: readonly FormPhoto[], routing: RoutingState, chosen: Category | undefined): ReportDraft {
  return {
    category: fields.category,
    description: fields.description.trim(),
    location: { lon: place.lngLat[0], lat: place.lngLat[1], accuracyM: place.accuracyM },
    photos: photos.map((item) => ({ name: item.photo.name, type: item.photo.type, bytes: item.photo.bytes })),
    contact: { name: fields.name.trim() || undefined, phone: fields.phone.trim() || undefined, email: fields.email.trim() || undefined, consentToContact: fields.consentToContact },
    label: { categoryName: chosen?.nameVi ?? fields.category, ...(chosen?.nameEn ? { categoryNameEn: chosen.nameEn } : {}), placeName: reportCommuneName(routing, place) },
  };
}

/** A nearby report the person follows instead of sending a duplicate, as "my reports" keeps it. */
export function followedReportRecord(report: NearbyReport, followerToken: string | undefined, chosen: Category | undefined, routing: RoutingState, savedAt: string): SavedReport {
  return {
    trackingCode: report.trackingCode,
    role: 'follower',
    token: followerToken,
    category: report.category,
    categoryName: chosen?.nameVi ?? report.category,
    ...(chosen?.nameEn ? { categoryNameEn: chosen.nameEn } : {}),
    description: report.description,
    officeName: routing.status === 'loaded' ? routing.preview.office.name : undefined,
    savedAt,
  };
}

export function submissionTitleKey(state: QueuedReportState): MessageKey {
  return state.status === 'sent' ? 'report.sentTitle' : state.status === 'failed' ? 'report.failedTitle' : 'report.queuedTitle';
}

/** The platform's refusal in the page's language (it gives Vietnamese beside English where it has it). */
export function refusalMessage(state: Extract<QueuedReportState, { status: 'failed' }>, language: Language): string {
  return language === 'vi' ? (state.messageVi ?? state.message) : state.message;
}

type WaitingState = Extract<QueuedReportState, { status: 'waiting' }>;

/** A waiting report shows when its next attempt is only if one failed and the device is online. */
export function showsNextAttempt(state: WaitingState, online: boolean): state is WaitingState & { nextAttemptAt: string } {
  return state.attempts > 0 && Boolean(state.nextAttemptAt) && online;
}
