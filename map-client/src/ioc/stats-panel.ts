import type { OverdueReport, OverdueReportList, StatisticsGroup, StatisticsGrouping, StatisticsReport } from '@bandoso/contracts';
import { describeError, fetchJson } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { formatDateTime, formatNumber, formatPercent, getLanguage, t } from '../app/i18n.ts';
import { iocText, periodRange, statisticsPeriods, type StatisticsPeriod } from './ioc-messages.ts';

/** `GET /api/stats` and `GET /api/stats/overdue` (api/src/modules/stats), as the server's contract says. */
export type { StatisticsReport };

/** The groupings the panel offers (the API also groups by day and month). */
export type Grouping = Extract<StatisticsGrouping, 'commune' | 'office' | 'category'>;

export function loadStatistics(groupBy: Grouping, period: StatisticsPeriod = 'all'): Promise<StatisticsReport> {
  const query = new URLSearchParams({ groupBy, ...periodRange(period) });
  return fetchJson<StatisticsReport>(`/api/stats?${query}`);
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
 * The statistics panel of the operations view: totals over a chosen period, a bar chart per commune,
 * office or category (received, of which overdue; on-time rate), and the overdue list, each overdue
 * report a button that shows it on the map and a link that opens it on the desk.
 */
export function createStatsPanel(options: {
  onShowReport(coordinates: [number, number]): void;
  onOpenReport(report: OverdueReport): void;
  onCommuneRates(report: StatisticsReport): void;
  /** A category's name in the language on screen, re-translated when it changes (the API gives the Vietnamese name). */
  categoryName?(category: OverdueReport['category']): Node | string;
}): { element: HTMLElement; refresh(): Promise<void>; render(): void } {
  let grouping: Grouping = 'commune';
  let period: StatisticsPeriod = 'all';
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
    const periodSelect = h(
      'select',
      { id: 'ioc-period' },
      statisticsPeriods.map((value) => h('option', { value, selected: value === period }, iocText.t(`period.${value}`))),
    );
    periodSelect.addEventListener('change', () => {
      period = periodSelect.value as StatisticsPeriod;
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
      h('div', { className: 'ioc-stats-controls' }, h('div', {}, h('label', { for: 'ioc-period' }, iocText.t('period')), periodSelect), h('div', {}, h('label', { for: 'ioc-group-by' }, t('ioc.groupBy')), select)),
      h('p', { className: 'bar-legend', 'aria-hidden': 'true' }, h('span', { className: 'bar-key' }), iocText.t('barLegendReceived'), h('span', { className: 'bar-key overdue' }), iocText.t('barLegendOverdue')),
      h(
        'ul',
        { className: 'bar-chart', 'aria-label': t('ioc.chartLabel', { group: groupLabel }), 'data-group-by': grouping },
        rows.map((row) => {
          const name = getLanguage() === 'en' && row.nameEn ? row.nameEn : row.name;
          // Two lines, so that neither the name nor the figures are cut on a phone: the name and the
          // figures in words, then the bar (received, of which overdue) across the whole width.
          return h(
            'li',
            { className: 'bar-row', 'data-key': row.key },
            h('span', { className: 'bar-label', title: name }, name),
            h(
              'span',
              { className: 'bar-value' },
              `${iocText.t('barReceived', { count: row.received })} · ${iocText.t('barOverdue', { count: row.overdue })} · ${iocText.t('barOnTime', { rate: rate(row.onTimeRate) })}`,
            ),
            h(
              'span',
              { className: 'bar-track', 'aria-hidden': 'true' },
              h('span', { className: 'bar-fill', style: `width:${(row.received / max) * 100}%` }),
              h('span', { className: 'bar-fill overdue', style: `width:${(row.overdue / max) * 100}%` }),
            ),
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
              const open = h('button', { type: 'button', className: 'secondary-button open-report', 'aria-label': iocText.t('openReportLabel', { code: item.trackingCode }) }, iocText.t('openReport'));
              open.addEventListener('click', () => options.onOpenReport(item));
              return h(
                'li',
                { className: 'overdue-item', 'data-tracking-code': item.trackingCode },
                show,
                h('span', {}, ' · ', options.categoryName?.(item.category) ?? item.category.name, ` · ${item.office.name}`),
                item.dueAt ? h('span', { className: 'muted' }, ` · ${formatDateTime(item.dueAt)}`) : null,
                ' ',
                open,
              );
            }),
          )
        : h('p', { className: 'muted' }, t('ioc.overdueEmpty')),
    );
  };

  const refresh = async () => {
    try {
      const [loaded, overdueList] = await Promise.all([loadStatistics(grouping, period), fetchJson<OverdueReportList>('/api/stats/overdue?limit=50')]);
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
