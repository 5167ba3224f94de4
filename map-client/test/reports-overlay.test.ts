import { describe, expect, it } from 'vitest';
import { noReportFilters, reportTileJsonUrl, vietnamDayBefore } from '../src/overlays/reports-overlay.ts';
import { accuracyCircle } from '../src/views/citizen-view.ts';

const base = 'http://127.0.0.1:3000/tiles/reports.json';

describe('the reports layer filters', () => {
  it('ask the tiles for a category, a group of statuses and a period, in Vietnam days', () => {
    expect(reportTileJsonUrl(base, noReportFilters)).toBe(base);
    const now = new Date('2026-11-27T20:00:00Z'); // already 28 November in Vietnam
    const url = new URL(reportTileJsonUrl(base, { category: 'public_lighting', statusGroup: 'open', periodDays: 7 }, now));
    expect(url.searchParams.get('category')).toBe('public_lighting');
    expect(url.searchParams.get('status')).toBe('received,accepted,in_progress,waiting_for_citizen,transferred,reopened');
    expect(url.searchParams.get('from')).toBe('2026-11-21');
    expect(new URL(reportTileJsonUrl(base, { ...noReportFilters, statusGroup: 'closed' })).searchParams.get('status')).toBe('rejected,duplicate');
    expect(vietnamDayBefore(new Date('2026-01-01T16:59:00Z'), 0)).toBe('2026-01-01');
    expect(vietnamDayBefore(new Date('2026-01-01T17:00:00Z'), 0)).toBe('2026-01-02');
  });
});

describe('the accuracy circle', () => {
  it('is a closed ring at the given radius around the position', () => {
    const circle = accuracyCircle([103.0169, 21.386], 50);
    const ring = circle.geometry.coordinates[0]!;
    expect(ring[0]).toEqual(ring.at(-1));
    const [east] = ring[0]!;
    const metres = (east! - 103.0169) * 111_320 * Math.cos((21.386 * Math.PI) / 180);
    expect(metres).toBeCloseTo(50, 1);
  });
});
