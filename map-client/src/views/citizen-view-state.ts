import type { QueuedReport } from '../offline/local-database-schema.ts';
import type { ReportFilters } from '../overlays/reports-overlay.ts';

/**
 * The citizen view's rules, without the page or the map: the panel's screens, what the reports
 * filters mean, which queued reports still wait. citizen-panels.ts draws; citizen-view.ts composes.
 */

export type CitizenScreenId = 'home' | 'place' | 'form' | 'detail' | 'mine';

export const statusGroupChoices = ['open', 'resolved', 'closed'] as const satisfies readonly NonNullable<ReportFilters['statusGroup']>[];
export const periodChoices = [7, 30, 365] as const;

/** The filter form's values, '' meaning "all". */
export interface ReportFilterChoice {
  category: string;
  status: string;
  period: string;
}

/** The filters the reports layer applies, from the filter form's values. */
export function reportFiltersFrom(choice: ReportFilterChoice): ReportFilters {
  const statusGroup = statusGroupChoices.find((group) => group === choice.status);
  return { category: choice.category || undefined, statusGroup, periodDays: choice.period ? Number(choice.period) : undefined };
}

/** Whether any filter narrows the layer (the filter box then opens by itself). */
export function hasActiveFilters(filters: ReportFilters): boolean {
  return Boolean(filters.category || filters.statusGroup || filters.periodDays);
}

/** The queued reports the platform does not have yet (waiting, sending or refused). */
export function unsentReports(reports: readonly QueuedReport[]): QueuedReport[] {
  return reports.filter((report) => report.state.status !== 'sent');
}
