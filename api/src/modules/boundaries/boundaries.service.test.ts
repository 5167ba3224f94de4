import { describe, expect, it } from 'vitest';
import { administrativeDate } from './boundaries.service.ts';

describe('administrativeDate', () => {
  it('keeps a bare date as it is', () => {
    expect(administrativeDate('2025-06-30')).toBe('2025-06-30');
  });
  it('reads a date-time in Asia/Ho_Chi_Minh (UTC+7)', () => {
    expect(administrativeDate('2025-06-30T16:59:59Z')).toBe('2025-06-30');
    expect(administrativeDate('2025-06-30T17:00:00Z')).toBe('2025-07-01');
    expect(administrativeDate('2025-07-01T00:30:00+07:00')).toBe('2025-07-01');
  });
  it('defaults to the current day in Vietnam', () => {
    expect(administrativeDate(undefined, new Date('2026-01-01T18:00:00Z'))).toBe('2026-01-02');
  });
});
