import { describe, expect, it } from 'vitest';
import { checkReportLocation, formatDistance, haversineDistanceM, type LocationCheckInput } from './location-check.ts';

/** Đồi A1, Điện Biên Phủ. */
const PIN = { longitude: 103.0213, latitude: 21.3835 };
const SUBMITTED_AT = new Date('2026-03-02T03:00:00Z');
/** Metres per degree of latitude on the mean-radius sphere. */
const METRES_PER_DEGREE = (6_371_008.8 * Math.PI) / 180;

/** A photo `metresNorth` from the pin, taken `hoursBefore` the submission (null: no GPS / no time). */
function photo(metresNorth: number | null, hoursBefore: number | null) {
  return {
    latitude: metresNorth === null ? null : PIN.latitude + metresNorth / METRES_PER_DEGREE,
    longitude: metresNorth === null ? null : PIN.longitude,
    takenAt: hoursBefore === null ? null : new Date(SUBMITTED_AT.getTime() - hoursBefore * 3_600_000),
  };
}

function check(photos: LocationCheckInput['photos'], accuracyM: number | null = 10, rules?: Parameters<typeof checkReportLocation>[1]) {
  return checkReportLocation({ pin: PIN, accuracyM, submittedAt: SUBMITTED_AT, photos }, rules);
}

describe('checkReportLocation: verified', () => {
  it('a photo taken 50 m from the pin an hour ago, from a precise device', () => {
    const verdict = check([photo(50, 1)]);
    expect(verdict.verdict).toBe('verified');
    expect(verdict.detail).toBe('photo 1 taken 50 m from the pin (device accuracy ±10 m)');
    expect(verdict.detailVi).toBe('ảnh 1 chụp cách vị trí ghim 50 m (sai số thiết bị ±10 m)');
    expect(verdict.distancesM[0]).toBeCloseTo(50, 3);
    expect(verdict.ageDays[0]).toBeCloseTo(1 / 24, 9);
  });

  it('without a device accuracy, an agreeing photo vouches alone', () => {
    const verdict = check([photo(120, 2)], null);
    expect(verdict.verdict).toBe('verified');
    expect(verdict.detail).toBe('photo 1 taken 120 m from the pin');
  });

  it('names the closest agreeing photo; photos without GPS or time do not contradict', () => {
    const verdict = check([photo(null, null), photo(150, 3), photo(30, null)]);
    expect(verdict.verdict).toBe('verified');
    expect(verdict.detail).toMatch(/^photo 3 taken 30 m from the pin/);
    expect(verdict.distancesM[0]).toBeNull();
    expect(verdict.ageDays).toEqual([null, expect.closeTo(3 / 24, 9), null]);
  });

  it('the device accuracy widens the allowed distance (200 m + accuracy)', () => {
    expect(check([photo(250, 1)], 60).verdict).toBe('verified');
    expect(check([photo(250, 1)], 40).verdict).toBe('mismatch');
  });

  it('exactly at the limits is still consistent: 200 m, 7 days, 10 minutes in the future', () => {
    expect(check([photo(199.9, 7 * 24)], 0).verdict).toBe('verified');
    expect(check([photo(10, -10 / 60)], 0).verdict).toBe('verified');
  });
});

describe('checkReportLocation: mismatch', () => {
  it('a photo taken 3.2 km away', () => {
    const verdict = check([photo(3200, 1)]);
    expect(verdict.verdict).toBe('mismatch');
    expect(verdict.detail).toBe('photo 1 taken 3.2 km away from the pin');
    expect(verdict.detailVi).toBe('ảnh 1 chụp cách vị trí ghim 3,2 km');
    expect(verdict.distancesM[0]).toBeCloseTo(3200, 2);
  });

  it('a photo taken 40 days ago', () => {
    const verdict = check([photo(20, 1), photo(20, 40 * 24 + 5)]);
    expect(verdict.verdict).toBe('mismatch');
    expect(verdict.detail).toBe('photo 2 taken 40 days ago');
    expect(verdict.detailVi).toBe('ảnh 2 chụp cách đây 40 ngày');
    expect(verdict.ageDays[1]).toBeCloseTo(40 + 5 / 24, 9);
  });

  it('both, on two photos and on one photo', () => {
    const twoPhotos = check([photo(3200, 1), photo(null, 40 * 24)]);
    expect(twoPhotos.detail).toBe('photo 1 taken 3.2 km away from the pin; photo 2 taken 40 days ago');
    expect(twoPhotos.detailVi).toBe('ảnh 1 chụp cách vị trí ghim 3,2 km; ảnh 2 chụp cách đây 40 ngày');
    const onePhoto = check([photo(850, 9 * 24)]);
    expect(onePhoto.verdict).toBe('mismatch');
    expect(onePhoto.detail).toBe('photo 1 taken 850 m away from the pin, 9 days ago');
    expect(onePhoto.detailVi).toBe('ảnh 1 chụp cách vị trí ghim 850 m, cách đây 9 ngày');
  });

  it('a photo dated after the report by more than the clock skew (10 min)', () => {
    const verdict = check([photo(10, -3)]);
    expect(verdict.verdict).toBe('mismatch');
    expect(verdict.detail).toBe('photo 1 taken 3 hours after the report was sent (wrong camera clock?)');
    expect(verdict.detailVi).toBe('ảnh 1 chụp sau thời điểm gửi phản ánh 3 giờ (đồng hồ máy ảnh sai?)');
    expect(check([photo(10, -0.25)]).detail).toBe('photo 1 taken 15 minutes after the report was sent (wrong camera clock?)');
    expect(check([photo(10, -0.15)]).verdict).toBe('verified');
  });

  it('wins over a poor device accuracy and over agreeing photos', () => {
    const verdict = check([photo(10, 1), photo(10, 30 * 24)], 500);
    expect(verdict.verdict).toBe('mismatch');
    expect(verdict.detail).toBe('photo 2 taken 30 days ago');
  });

  it('rules can be changed', () => {
    expect(check([photo(500, 1)], 10, { maxDistanceM: 1000 }).verdict).toBe('verified');
    expect(check([photo(10, 3 * 24)], 10, { maxAgeDays: 2 }).detail).toBe('photo 1 taken 3 days ago');
    expect(check([photo(10, 1)], 150, { maxAccuracyM: 200 }).verdict).toBe('verified');
  });
});

describe('checkReportLocation: unverified', () => {
  it('no photo', () => {
    const verdict = check([]);
    expect(verdict).toEqual({ verdict: 'unverified', detail: 'no photo attached', detailVi: 'không có ảnh kèm theo', distancesM: [], ageDays: [] });
  });

  it('no photo with a GPS position (messaging apps strip EXIF)', () => {
    const verdict = check([photo(null, 1), photo(null, null)]);
    expect(verdict.verdict).toBe('unverified');
    expect(verdict.detail).toBe('no photo has a GPS position');
    expect(verdict.detailVi).toBe('không ảnh nào có tọa độ GPS');
    expect(verdict.distancesM).toEqual([null, null]);
  });

  it('a pin from an imprecise fix, even with an agreeing photo', () => {
    const verdict = check([photo(30, 1)], 150);
    expect(verdict.verdict).toBe('unverified');
    expect(verdict.detail).toBe('the device location is imprecise (±150 m, limit 100 m)');
    expect(verdict.detailVi).toBe('vị trí thiết bị không chính xác (sai số ±150 m, tối đa 100 m)');
  });

  it('both reasons at once', () => {
    expect(check([photo(null, 1)], 2500).detail).toBe('no photo has a GPS position; the device location is imprecise (±2.5 km, limit 100 m)');
  });

  it('refuses impossible input', () => {
    expect(() => checkReportLocation({ pin: { longitude: 200, latitude: 21 }, accuracyM: null, submittedAt: SUBMITTED_AT, photos: [] })).toThrow(RangeError);
    expect(() => checkReportLocation({ pin: PIN, accuracyM: -1, submittedAt: SUBMITTED_AT, photos: [] })).toThrow(RangeError);
    expect(() => checkReportLocation({ pin: PIN, accuracyM: null, submittedAt: new Date('x'), photos: [] })).toThrow(RangeError);
  });
});

describe('distances', () => {
  it('haversine: one degree of latitude or of longitude on the equator is 111.195 km', () => {
    expect(haversineDistanceM({ longitude: 0, latitude: 0 }, { longitude: 0, latitude: 1 })).toBeCloseTo(111_195.08, 1);
    expect(haversineDistanceM({ longitude: 0, latitude: 0 }, { longitude: 1, latitude: 0 })).toBeCloseTo(111_195.08, 1);
    // At latitude 60° a degree of longitude is about half as long.
    expect(haversineDistanceM({ longitude: 0, latitude: 60 }, { longitude: 1, latitude: 60 })).toBeCloseTo(55_597, 0);
    expect(haversineDistanceM(PIN, PIN)).toBe(0);
  });

  it('Điện Biên Phủ to Hà Nội: about 300 km as the crow flies', () => {
    const distance = haversineDistanceM(PIN, { longitude: 105.8342, latitude: 21.0278 });
    expect(distance).toBeGreaterThan(290_000);
    expect(distance).toBeLessThan(300_000);
  });

  it('formats metres below 1 km and kilometres with one decimal above', () => {
    expect(formatDistance(12.4, 'en')).toBe('12 m');
    expect(formatDistance(999.4, 'en')).toBe('999 m');
    expect(formatDistance(999.6, 'en')).toBe('1.0 km');
    expect(formatDistance(3240, 'en')).toBe('3.2 km');
    expect(formatDistance(3240, 'vi')).toBe('3,2 km');
    expect(formatDistance(125_000, 'vi')).toBe('125,0 km');
  });
});
