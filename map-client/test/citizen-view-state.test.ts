import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../src/app/api-client.ts';
import type { QueuedReport } from '../src/offline/local-database-schema.ts';
import { noReportFilters } from '../src/overlays/reports-overlay.ts';
import { canReportAt, isLocateOffline, locatedCommuneName, type LocateState } from '../src/views/citizen-place.ts';
import { hasActiveFilters, reportFiltersFrom, unsentReports } from '../src/views/citizen-view-state.ts';

const inWard: LocateState = { status: 'loaded', result: { province: { code: '11', name: 'Điện Biên' }, commune: { code: '03127', name: 'Phường Điện Biên Phủ', level: 'ward' }, onBorderWith: [] } };
const outside: LocateState = { status: 'loaded', result: { province: null, commune: null, onBorderWith: [] } };
const offline: LocateState = { status: 'failed', error: new NetworkError(new TypeError('Failed to fetch')) };
const refused: LocateState = { status: 'failed', error: new ApiError(500, 'INTERNAL', 'boom', undefined) };

describe('the pinned place', () => {
  it('can be reported inside the province, and offline (the platform decides later), not outside nor while locating', () => {
    expect(canReportAt(inWard)).toBe(true);
    expect(canReportAt(offline)).toBe(true);
    expect(canReportAt(outside)).toBe(false);
    expect(canReportAt(refused)).toBe(false);
    expect(canReportAt({ status: 'loading' })).toBe(false);
  });

  it('tells offline (no answer) from a refusal, and names its commune once located', () => {
    expect(isLocateOffline(offline)).toBe(true);
    expect(isLocateOffline(refused)).toBe(false);
    expect(isLocateOffline(inWard)).toBe(false);
    expect(locatedCommuneName(inWard)).toBe('Phường Điện Biên Phủ');
    expect(locatedCommuneName(outside)).toBeUndefined();
    expect(locatedCommuneName(offline)).toBeUndefined();
  });
});

describe('the citizen view state', () => {
  it('reads the filter form ("" is all) into the reports layer filters, ignoring an unknown status group', () => {
    expect(reportFiltersFrom({ category: '', status: '', period: '' })).toEqual(noReportFilters);
    expect(reportFiltersFrom({ category: 'waste', status: 'open', period: '30' })).toEqual({ category: 'waste', statusGroup: 'open', periodDays: 30 });
    expect(reportFiltersFrom({ category: '', status: 'pending', period: '7' })).toEqual({ category: undefined, statusGroup: undefined, periodDays: 7 });
    expect(hasActiveFilters(noReportFilters)).toBe(false);
    expect(hasActiveFilters({ ...noReportFilters, statusGroup: 'closed' })).toBe(true);
    expect(hasActiveFilters({ ...noReportFilters, periodDays: 365 })).toBe(true);
  });

  it('counts as unsent every queued report the platform does not have yet', () => {
    const queued = (id: string, state: QueuedReport['state']) => ({ id, state }) as QueuedReport;
    const reports = [
      queued('a', { status: 'waiting', attempts: 0, nextAttemptAt: undefined, lastError: undefined }),
      queued('b', { status: 'sending', attempt: 1, progress: 0.3 }),
      queued('c', { status: 'sent', trackingCode: 'DB-7K3M9Q', sentAt: '2026-11-28T03:00:00Z' }),
      queued('d', { status: 'failed', code: 'VALIDATION', message: 'Too long', messageVi: undefined }),
    ];
    expect(unsentReports(reports).map((report) => report.id)).toEqual(['a', 'b', 'd']);
  });
});
