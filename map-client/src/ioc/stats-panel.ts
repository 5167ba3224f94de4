import type { OverdueReport, OverdueReportList, StatisticsGroup, StatisticsGrouping, StatisticsReport } from '@bandoso/contracts';
import { describeError, fetchJson } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { formatDateTime, formatNumber, formatPercent, getLanguage, t } from '../app/i18n.ts';

/** `GET /api/stats` and `GET /api/stats/overdue` (api/src/modules/stats), as the server's contract says. */
export type { StatisticsReport };

/** The groupings the panel offers (the API also groups by day and month). */
export type Grouping = Extract<StatisticsGrouping, 'commune' | 'office' | 'category'>;

export function loadStatistics(groupBy: Grouping): Promise<StatisticsReport> {
  return fetchJson<StatisticsReport>(`/api/stats?groupBy=${groupBy}`);
}

/** The groups worth drawing: those with reports, most first (a chart of 45 zero rows helps no one). */
export function chartRows<Group extends Pick<StatisticsGroup, 'name' | 'received' | 'overdue'>>(report: { groups: readonly Group[] }, limit = 12): Group[] {
  return report.groups
    .filter((group) => group.received > 0)
    .sort((a, b) => b.received - a.received || b.overdue - a.overdue || a.name.localeCompare(b.name, 'vi'))
    .slice(0, limit);
}

const rate = (value: number | null) => (value === null ? t('ioc.noRate') : formatPercent(value));

/**
 * The statistics panel of the operations view: totals, a bar chart per commune, office or category
 * (received, of which overdue; on-time rate), and the overdue list, each overdue report a button that
 * shows it on the map.
 */
export function createStatsPanel(options: { onShowReport(coordinates: [number, number]): void; onCommuneRates(report: StatisticsReport): void }): { element: HTMLElement; refresh(): Promise<void>; render(): void } {
  let grouping: Grouping = 'commune';
  let report: StatisticsReport | undefined;
  let overdue: OverdueReport[] = [];
  let error: unknown;
  const element = h('section', { className: 'ioc-section ioc-stats', 'aria-labelledby': 'ioc-stats-title' });

  const render = () => {
    const select = h(
      'select',
      { id: 'ioc-group-by' },
      (['commune', 'office', 'category'] as const).map((value) => h('option', { value, selected: value === grouping }, t(value === 'commune' ? 'ioc.byCommune' : value === 'office' ? 'ioc.byOffice' : 'ioc.byCategory'))),
    );
    select.addEventListener('change', () => {
      grouping = select.value as Grouping;
      void refresh();
    });
    const groupLabel = t(grouping === 'commune' ? 'ioc.byCommune' : grouping === 'office' ? 'ioc.byOffice' : 'ioc.byCategory');
    const rows = report ? chartRows(report) : [];
    const max = Math.max(1, ...rows.map((row) => row.received));
    replaceChildren(
      element,
      h('h3', { id: 'ioc-stats-title' }, t('ioc.statsTitle')),
      error ? h('p', { className: 'error', role: 'alert' }, `${t('ioc.statsFailed')} ${describeError(error)}`) : null,
      report
        ? h(
            'p',
            { className: 'ioc-totals' },
            t('ioc.totals', {
              received: formatNumber(report.totals.received, 0),
              open: formatNumber(report.totals.open, 0),
              overdue: formatNumber(report.totals.overdue, 0),
              onTime: rate(report.totals.onTimeRate),
              satisfaction: rate(report.totals.satisfactionRate),
            }),
          )
        : null,
      h('label', { for: 'ioc-group-by' }, t('ioc.groupBy')),
      select,
      h(
        'ul',
        { className: 'bar-chart', 'aria-label': t('ioc.chartLabel', { group: groupLabel }), 'data-group-by': grouping },
        rows.map((row) => {
          const name = getLanguage() === 'en' && row.nameEn ? row.nameEn : row.name;
          return h(
            'li',
            { className: 'bar-row', 'data-key': row.key },
            h('span', { className: 'bar-label', title: name }, name),
            h(
              'span',
              { className: 'bar-track', 'aria-hidden': 'true' },
              h('span', { className: 'bar-fill', style: `width:${(row.received / max) * 100}%` }),
              h('span', { className: 'bar-fill overdue', style: `width:${(row.overdue / max) * 100}%` }),
            ),
            h('span', { className: 'bar-value' }, `${formatNumber(row.received, 0)} · ${t('ioc.overdue').toLowerCase()} ${formatNumber(row.overdue, 0)} · ${t('ioc.onTime').toLowerCase()} ${rate(row.onTimeRate)}`),
          );
        }),
      ),
      h('h3', {}, t('ioc.overdueTitle')),
      overdue.length
        ? h(
            'ol',
            { className: 'overdue-list' },
            overdue.map((item) => {
              const show = h('button', { type: 'button', className: 'link-button', disabled: !item.location, 'aria-label': t('ioc.showOnMap', { code: item.trackingCode }) }, item.trackingCode);
              show.addEventListener('click', () => item.location && options.onShowReport(item.location.coordinates));
              return h(
                'li',
                { className: 'overdue-item', 'data-tracking-code': item.trackingCode },
                show,
                h('span', {}, ` · ${item.category.name} · ${item.office.name}`),
                item.dueAt ? h('span', { className: 'muted' }, ` · ${formatDateTime(item.dueAt)}`) : null,
              );
            }),
          )
        : h('p', { className: 'muted' }, t('ioc.overdueEmpty')),
    );
  };

  const refresh = async () => {
    try {
      const [loaded, overdueList] = await Promise.all([loadStatistics(grouping), fetchJson<OverdueReportList>('/api/stats/overdue?limit=50')]);
      report = loaded;
      overdue = overdueList.reports;
      error = undefined;
      if (grouping === 'commune') options.onCommuneRates(loaded);
    } catch (failure) {
      error = failure;
    }
    render();
  };

  render();
  return { element, refresh, render };
}
