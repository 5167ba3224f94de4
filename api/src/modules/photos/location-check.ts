/**
 * Does the evidence support the pin? Compares where the citizen put the pin (and how precise their
 * device said it was) with where and when the attached photos were taken (EXIF), and returns a verdict
 * that staff see next to the report:
 *
 * - `mismatch`: some photo contradicts the report: it was taken farther from the pin than
 *   `maxDistanceM` + the device accuracy, or more than `maxAgeDays` before the report, or after it (by
 *   more than `maxClockSkewMinutes`, the slack we give a phone's clock). The detail says which photo
 *   and by how much: "photo 1 taken 3.2 km away from the pin; photo 2 taken 40 days ago". A mismatch
 *   wins over everything else: it is what staff must look at.
 * - `verified`: no photo contradicts, at least one photo has a GPS position within the limit, and the
 *   device accuracy is acceptable (≤ `maxAccuracyM`) or absent (then the agreeing photo vouches alone).
 * - `unverified`: anything else (no photo, no photo with GPS, a pin from an imprecise fix), with the
 *   reasons. Unverified is not suspicious: most messaging apps strip EXIF from photos.
 *
 * Distances: haversine on a sphere of the mean Earth radius (6 371 008.8 m, as @turf/distance). Its error
 * (< 0.5 %) is far below the GPS noise at these distances, and it keeps this module free of dependencies.
 */

export interface LocationCheckInput {
  pin: { longitude: number; latitude: number };
  /** The device's reported horizontal accuracy (metres, 68 % radius), if it sent one. */
  accuracyM: number | null;
  submittedAt: Date;
  photos: Array<{ latitude: number | null; longitude: number | null; takenAt: Date | null }>;
}

export interface LocationVerdict {
  verdict: 'verified' | 'unverified' | 'mismatch';
  /** English, for people: which photo, how far, how old. */
  detail: string;
  detailVi: string;
  /** Per photo: metres from the pin, or null without GPS. */
  distancesM: Array<number | null>;
  /** Per photo: days between the photo and the report (negative: taken after it), or null without a time. */
  ageDays: Array<number | null>;
}

export interface LocationRules {
  /** A photo farther than this (+ the device accuracy) from the pin contradicts it. */
  maxDistanceM: number;
  /** A photo older than this contradicts the report. */
  maxAgeDays: number;
  /** A pin from a fix worse than this cannot be verified. */
  maxAccuracyM: number;
  /** A photo dated later than the report by more than this contradicts it (clocks drift a little). */
  maxClockSkewMinutes: number;
}

export const defaultLocationRules: Readonly<LocationRules> = Object.freeze({
  maxDistanceM: 200,
  maxAgeDays: 7,
  maxAccuracyM: 100,
  maxClockSkewMinutes: 10,
});

const EARTH_RADIUS_M = 6_371_008.8;
const DAY_MS = 86_400_000;

export function checkReportLocation(input: LocationCheckInput, rules: Partial<LocationRules> = {}): LocationVerdict {
  const limits = { ...defaultLocationRules, ...Object.fromEntries(Object.entries(rules).filter(([, value]) => value !== undefined)) } as LocationRules;
  const { pin, accuracyM, submittedAt } = input;
  if (!isLongitude(pin.longitude) || !isLatitude(pin.latitude)) throw new RangeError(`Invalid pin ${pin.longitude}, ${pin.latitude}.`);
  if (accuracyM !== null && !(Number.isFinite(accuracyM) && accuracyM >= 0)) throw new RangeError(`Invalid accuracy ${accuracyM}.`);
  if (!Number.isFinite(submittedAt.getTime())) throw new RangeError('Invalid submission time.');

  const allowedDistanceM = limits.maxDistanceM + (accuracyM ?? 0);
  const distancesM = input.photos.map((photo) =>
    photo.latitude !== null && photo.longitude !== null && isLatitude(photo.latitude) && isLongitude(photo.longitude)
      ? haversineDistanceM(pin, { latitude: photo.latitude, longitude: photo.longitude })
      : null,
  );
  const ageDays = input.photos.map((photo) =>
    photo.takenAt && Number.isFinite(photo.takenAt.getTime()) ? (submittedAt.getTime() - photo.takenAt.getTime()) / DAY_MS : null,
  );

  const contradictions: Array<{ en: string; vi: string }> = [];
  input.photos.forEach((_, index) => {
    const distance = distancesM[index] ?? null;
    const age = ageDays[index] ?? null;
    const en: string[] = [];
    const vi: string[] = [];
    if (distance !== null && distance > allowedDistanceM) {
      en.push(`${formatDistance(distance, 'en')} away from the pin`);
      vi.push(`cách vị trí ghim ${formatDistance(distance, 'vi')}`);
    }
    if (age !== null && age > limits.maxAgeDays) {
      en.push(`${formatDuration(age, 'en')} ago`);
      vi.push(`cách đây ${formatDuration(age, 'vi')}`);
    } else if (age !== null && -age * 24 * 60 > limits.maxClockSkewMinutes) {
      en.push(`${formatDuration(-age, 'en')} after the report was sent (wrong camera clock?)`);
      vi.push(`sau thời điểm gửi phản ánh ${formatDuration(-age, 'vi')} (đồng hồ máy ảnh sai?)`);
    }
    if (en.length > 0) contradictions.push({ en: `photo ${index + 1} taken ${en.join(', ')}`, vi: `ảnh ${index + 1} chụp ${vi.join(', ')}` });
  });
  if (contradictions.length > 0) {
    return {
      verdict: 'mismatch',
      detail: contradictions.map((item) => item.en).join('; '),
      detailVi: contradictions.map((item) => item.vi).join('; '),
      distancesM,
      ageDays,
    };
  }

  let closest: number | undefined;
  distancesM.forEach((distance, index) => {
    if (distance !== null && (closest === undefined || distance < distancesM[closest]!)) closest = index;
  });
  const accuracyAcceptable = accuracyM === null || accuracyM <= limits.maxAccuracyM;
  if (closest !== undefined && accuracyAcceptable) {
    const distance = distancesM[closest]!;
    const precision = accuracyM === null ? { en: '', vi: '' } : { en: ` (device accuracy ±${formatDistance(accuracyM, 'en')})`, vi: ` (sai số thiết bị ±${formatDistance(accuracyM, 'vi')})` };
    return {
      verdict: 'verified',
      detail: `photo ${closest + 1} taken ${formatDistance(distance, 'en')} from the pin${precision.en}`,
      detailVi: `ảnh ${closest + 1} chụp cách vị trí ghim ${formatDistance(distance, 'vi')}${precision.vi}`,
      distancesM,
      ageDays,
    };
  }

  const reasons: Array<{ en: string; vi: string }> = [];
  if (input.photos.length === 0) reasons.push({ en: 'no photo attached', vi: 'không có ảnh kèm theo' });
  else if (closest === undefined) reasons.push({ en: 'no photo has a GPS position', vi: 'không ảnh nào có tọa độ GPS' });
  if (!accuracyAcceptable) {
    reasons.push({
      en: `the device location is imprecise (±${formatDistance(accuracyM!, 'en')}, limit ${formatDistance(limits.maxAccuracyM, 'en')})`,
      vi: `vị trí thiết bị không chính xác (sai số ±${formatDistance(accuracyM!, 'vi')}, tối đa ${formatDistance(limits.maxAccuracyM, 'vi')})`,
    });
  }
  return {
    verdict: 'unverified',
    detail: reasons.map((reason) => reason.en).join('; '),
    detailVi: reasons.map((reason) => reason.vi).join('; '),
    distancesM,
    ageDays,
  };
}

/** Great-circle distance in metres (haversine, mean Earth radius). */
export function haversineDistanceM(a: { longitude: number; latitude: number }, b: { longitude: number; latitude: number }): number {
  const radians = Math.PI / 180;
  const deltaLatitude = (b.latitude - a.latitude) * radians;
  const deltaLongitude = (b.longitude - a.longitude) * radians;
  const h = Math.sin(deltaLatitude / 2) ** 2 + Math.cos(a.latitude * radians) * Math.cos(b.latitude * radians) * Math.sin(deltaLongitude / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** "850 m" below 1 km, "3.2 km" above (Vietnamese: "3,2 km"). */
export function formatDistance(metres: number, language: 'en' | 'vi'): string {
  if (Math.round(metres) < 1000) return `${Math.round(metres)} m`;
  const kilometres = (metres / 1000).toFixed(1);
  return `${language === 'vi' ? kilometres.replace('.', ',') : kilometres} km`;
}

/** Whole days from two days on ("40 days"), hours below ("5 hours"), minutes below an hour. */
function formatDuration(days: number, language: 'en' | 'vi'): string {
  const plural = (count: number, unit: string): string => (language === 'en' ? `${count} ${unit}${count === 1 ? '' : 's'}` : `${count} ${unit}`);
  if (days >= 2) return plural(Math.floor(days), language === 'en' ? 'day' : 'ngày');
  const hours = days * 24;
  if (hours >= 1) return plural(Math.floor(hours), language === 'en' ? 'hour' : 'giờ');
  return plural(Math.max(1, Math.floor(hours * 60)), language === 'en' ? 'minute' : 'phút');
}

function isLatitude(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= 90;
}

function isLongitude(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= 180;
}
