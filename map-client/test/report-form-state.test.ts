import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../src/app/api-client.ts';
import type { PreparedPhoto } from '../src/photos/photo-preparation.ts';
import type { Category, NearbyReport, RoutingPreview } from '../src/reports/report-api.ts';
import {
  categoryDescription,
  choosePhotoFiles,
  findCategory,
  followedReportRecord,
  initialReportFormState,
  maxPhotos,
  refusalMessage,
  reportCommuneName,
  reportDraftFrom,
  routingNotice,
  showsNextAttempt,
  submissionTitleKey,
  validateReport,
  type FormPhoto,
  type ReportFields,
  type RoutingState,
} from '../src/reports/report-form-state.ts';
import type { Place } from '../src/views/citizen-place.ts';

const lighting: Category = { code: 'public_lighting', nameVi: 'Chiếu sáng công cộng', nameEn: 'Public lighting', descriptionVi: 'Đèn đường hỏng, tắt', descriptionEn: null };
const waste: Category = { code: 'waste', nameVi: 'Rác thải', nameEn: 'Waste', descriptionVi: null, descriptionEn: 'Uncollected waste' };

const placeAt = (locate: Place['locate'] = { status: 'loading' }): Place => ({ lngLat: [103.0169, 21.386], accuracyM: 12.34, source: 'device', locate });
const located: Place['locate'] = { status: 'loaded', result: { province: { code: '11', name: 'Điện Biên' }, commune: { code: '03127', name: 'Phường Điện Biên Phủ', level: 'ward' }, onBorderWith: [] } };
const preview: RoutingPreview = { commune: { code: '03151', name: 'Phường Mường Thanh', level: 'ward' }, office: { code: 'UBND-03151', name: 'UBND phường Mường Thanh', nameEn: null }, nearBorder: false, neighbours: [] };
const routed: RoutingState = { status: 'loaded', preview };

const fields = (overrides: Partial<ReportFields> = {}): ReportFields => ({ category: 'public_lighting', description: 'Đèn đường trước chợ hỏng', name: '', phone: '', email: '', consentToContact: false, ...overrides });

const formPhoto = (id: number): FormPhoto => ({
  id,
  previewUrl: `blob:photo-${id}`,
  photo: { name: `anh-${id}.jpg`, type: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, id]).buffer, width: 1600, height: 1200, strategy: 'downscaled', originalBytes: 4_000_000, hasGps: true, evidence: {} as PreparedPhoto['evidence'] },
});

describe('the report form state', () => {
  it('starts with no categories, no office, no photos, for the pinned place', () => {
    const place = placeAt();
    expect(initialReportFormState(place)).toEqual({ place, categories: [], categoriesFailed: false, routing: { status: 'idle' }, nearby: [], followed: undefined, photos: [], preparing: 0, photoProblems: [] });
  });

  it('refuses a report without a category or with a description of fewer than five characters (spaces do not count)', () => {
    expect(validateReport(fields())).toEqual([]);
    expect(validateReport(fields({ category: '' }))).toEqual(['report.missingCategory']);
    expect(validateReport(fields({ description: '  hỏng  ' }))).toEqual(['report.missingDescription']);
    expect(validateReport(fields({ category: '', description: '' }))).toEqual(['report.missingCategory', 'report.missingDescription']);
    expect(validateReport(fields({ description: 'Hỏng!' }))).toEqual([]);
  });

  it('finds the chosen category and explains it in the page language', () => {
    expect(findCategory([lighting, waste], 'waste')).toBe(waste);
    expect(findCategory([lighting, waste], '')).toBeUndefined();
    expect(categoryDescription(lighting, 'vi')).toBe('Đèn đường hỏng, tắt');
    expect(categoryDescription(lighting, 'en')).toBe('');
    expect(categoryDescription(waste, 'en')).toBe('Uncollected waste');
    expect(categoryDescription(undefined, 'vi')).toBe('');
  });

  it(`takes photos up to ${maxPhotos}, counting those added and those being prepared, and says once when some are left out`, () => {
    expect(choosePhotoFiles(['a', 'b'], 0, 0)).toEqual({ accepted: ['a', 'b'], problems: [] });
    expect(choosePhotoFiles(['a', 'b', 'c'], 2, 1)).toEqual({ accepted: ['a', 'b'], problems: [{ kind: 'too-many', max: maxPhotos }] });
    expect(choosePhotoFiles(['a'], 5, 0)).toEqual({ accepted: [], problems: [{ kind: 'too-many', max: maxPhotos }] });
    expect(choosePhotoFiles(['a'], 4, 2)).toEqual({ accepted: [], problems: [{ kind: 'too-many', max: maxPhotos }] });
    expect(choosePhotoFiles([], 5, 0)).toEqual({ accepted: [], problems: [] });
  });

  it('says why there is no office yet: offline wins, then loading, then the failure, else "pick a category"', () => {
    const offline = new NetworkError(new TypeError('Failed to fetch'));
    const refused = new ApiError(400, 'VALIDATION', 'bad category', undefined);
    expect(routingNotice({ status: 'idle' }, placeAt(located).locate)).toBe('pick-category');
    expect(routingNotice({ status: 'idle' }, { status: 'failed', error: offline })).toBe('offline');
    expect(routingNotice({ status: 'idle' }, { status: 'failed', error: refused })).toBe('pick-category');
    expect(routingNotice({ status: 'loading' }, located)).toBe('loading');
    expect(routingNotice({ status: 'loading' }, { status: 'failed', error: offline })).toBe('offline');
    expect(routingNotice({ status: 'failed', error: offline }, located)).toBe('offline');
    expect(routingNotice({ status: 'failed', error: refused }, located)).toBe('failed');
  });

  it('names the commune from the routing once known, else from the located place', () => {
    expect(reportCommuneName(routed, placeAt(located))).toBe('Phường Mường Thanh');
    expect(reportCommuneName({ status: 'loading' }, placeAt(located))).toBe('Phường Điện Biên Phủ');
    expect(reportCommuneName({ status: 'idle' }, placeAt({ status: 'failed', error: new NetworkError(undefined) }))).toBeUndefined();
  });

  it('makes the queue draft: trimmed text, empty contact fields left out, photo bytes, what the person saw', () => {
    const draft = reportDraftFrom(fields({ description: '  Đèn đường trước chợ hỏng  ', name: ' Lò Văn A ', phone: '  ', consentToContact: true }), placeAt(located), [formPhoto(1), formPhoto(2)], routed, lighting);
    expect(draft).toEqual({
      category: 'public_lighting',
      description: 'Đèn đường trước chợ hỏng',
      location: { lon: 103.0169, lat: 21.386, accuracyM: 12.34 },
      photos: [
        { name: 'anh-1.jpg', type: 'image/jpeg', bytes: formPhoto(1).photo.bytes },
        { name: 'anh-2.jpg', type: 'image/jpeg', bytes: formPhoto(2).photo.bytes },
      ],
      contact: { name: 'Lò Văn A', phone: undefined, email: undefined, consentToContact: true },
      // Both names: "my reports" shows it in either language.
      label: { categoryName: 'Chiếu sáng công cộng', categoryNameEn: 'Public lighting', placeName: 'Phường Mường Thanh' },
    });
    // Categories not loaded (offline, first visit): the code stands in for the name.
    expect(reportDraftFrom(fields(), placeAt(), [], { status: 'idle' }, undefined).label).toEqual({ categoryName: 'public_lighting', placeName: undefined });
  });

  it('keeps a followed nearby report in "my reports" as a follower, with the office when known', () => {
    const nearby: NearbyReport = { trackingCode: 'DB-7K3M9Q', category: 'public_lighting', status: 'received', description: 'Đèn hỏng', createdAt: '2026-11-27T01:00:00Z', distanceM: 40, coordinates: [103.017, 21.3862] };
    expect(followedReportRecord(nearby, 'f'.repeat(40), lighting, routed, '2026-11-28T03:00:00.000Z')).toEqual({
      trackingCode: 'DB-7K3M9Q',
      role: 'follower',
      token: 'f'.repeat(40),
      category: 'public_lighting',
      categoryName: 'Chiếu sáng công cộng',
      categoryNameEn: 'Public lighting',
      description: 'Đèn hỏng',
      officeName: 'UBND phường Mường Thanh',
      savedAt: '2026-11-28T03:00:00.000Z',
    });
    expect(followedReportRecord(nearby, undefined, undefined, { status: 'loading' }, '2026-11-28T03:00:00.000Z')).toMatchObject({ token: undefined, categoryName: 'public_lighting', officeName: undefined });
  });

  it('titles and explains a queued report by its state', () => {
    expect(submissionTitleKey({ status: 'sent', trackingCode: 'DB-7K3M9Q', sentAt: '2026-11-28T03:00:00Z' })).toBe('report.sentTitle');
    expect(submissionTitleKey({ status: 'failed', code: 'VALIDATION', message: 'Too long', messageVi: undefined })).toBe('report.failedTitle');
    expect(submissionTitleKey({ status: 'sending', attempt: 1, progress: 0.5 })).toBe('report.queuedTitle');
    expect(submissionTitleKey({ status: 'waiting', attempts: 0, nextAttemptAt: undefined, lastError: undefined })).toBe('report.queuedTitle');

    const failed = { status: 'failed', code: 'VALIDATION', message: 'Description too long', messageVi: 'Mô tả quá dài' } as const;
    expect(refusalMessage(failed, 'vi')).toBe('Mô tả quá dài');
    expect(refusalMessage(failed, 'en')).toBe('Description too long');
    expect(refusalMessage({ ...failed, messageVi: undefined }, 'vi')).toBe('Description too long');

    const retrying = { status: 'waiting', attempts: 2, nextAttemptAt: '2026-11-28T03:00:05Z', lastError: 'network request failed' } as const;
    expect(showsNextAttempt(retrying, true)).toBe(true);
    expect(showsNextAttempt(retrying, false)).toBe(false);
    expect(showsNextAttempt({ ...retrying, attempts: 0 }, true)).toBe(false);
    expect(showsNextAttempt({ ...retrying, nextAttemptAt: undefined }, true)).toBe(false);
  });
});
