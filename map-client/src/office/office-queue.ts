import { reportStatuses } from '@bandoso/contracts';
import { describeError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { formatDateTime } from '../app/i18n.ts';
import type { Category } from '../reports/report-api.ts';
import { loadQueue, type QueueFilter, type StaffReportSummary } from './office-api.ts';
import { categoryLabel, deadlineText, statusLabel } from './office-format.ts';
import { ot } from './office-messages.ts';

export interface QueueOptions {
  filter: QueueFilter;
  categories: readonly Category[];
  /** Communes seen in the answers so far (code → name): the commune filter's choices. */
  communes: Map<string, string>;
  sound: boolean;
  onSound(on: boolean): void;
  onFilter(filter: QueueFilter): void;
  onLoaded(reports: StaffReportSummary[]): void;
  openPath(reportId: string): string;
  onOpen(reportId: string): void;
}

/** A select with a label, its options as [value, text]. */
function field(id: string, label: string, control: HTMLElement): HTMLElement[] {
  return [h('label', { for: id }, label), control];
}

function select(id: string, value: string, options: [string, string][]): HTMLSelectElement {
  const element = h('select', { id, name: id }, ...options.map(([optionValue, text]) => h('option', { value: optionValue, selected: optionValue === value }, text)));
  element.value = value;
  return element;
}

/**
 * The queue: filters (status, category, commune, period, search by code or words), then the reports
 * the user may act on, most urgent first, each with its countdown in working time. `refresh` loads
 * the list again with the same filters (after a live event).
 */
export function createQueue(options: QueueOptions) {
  const { filter } = options;
  const list = h('ol', { className: 'office-queue', 'aria-labelledby': 'office-queue-title' });
  const count = h('p', { className: 'muted office-count', role: 'status' }, ot('loading'));
  let controller: AbortController | undefined;
  let reports: StaffReportSummary[] = [];

  const search = h('input', { type: 'search', id: 'office-q', name: 'q', value: filter.q, placeholder: ot('searchPlaceholder'), autocomplete: 'off' });
  const status = select('office-status', filter.status, [['', ot('anyStatus')], ['all', ot('everyStatus')], ...reportStatuses.map((value) => [value, statusLabel(value)] as [string, string])]);
  const category = select('office-category', filter.category, [['', ot('anyCategory')], ...options.categories.map((item) => [item.code, categoryLabel(item)] as [string, string])]);
  const communeOptions = () => [['', ot('anyCommune')], ...[...options.communes].sort((a, b) => a[1].localeCompare(b[1], 'vi')).map(([code, name]) => [code, name] as [string, string])] as [string, string][];
  const commune = select('office-commune', filter.commune, communeOptions());
  const from = h('input', { type: 'date', id: 'office-from', name: 'from', value: filter.from });
  const to = h('input', { type: 'date', id: 'office-to', name: 'to', value: filter.to });
  const activeFilters = [filter.status, filter.category, filter.commune, filter.from, filter.to].filter(Boolean).length;

  const soundBox = h('input', { type: 'checkbox', id: 'office-sound', checked: options.sound });
  soundBox.addEventListener('change', () => options.onSound(soundBox.checked));
  const clear = h('button', { type: 'button', className: 'secondary-button office-clear' }, ot('clear'));
  const form = h(
    'form',
    { className: 'office-filters', role: 'search' },
    h('label', { for: 'office-q' }, ot('search')),
    h('div', { className: 'office-search' }, search, h('button', { type: 'submit', className: 'primary-button' }, ot('apply'))),
    h(
      'details',
      { open: activeFilters > 0 },
      h('summary', {}, ot('filters'), activeFilters ? h('span', { className: 'badge' }, String(activeFilters)) : null),
      h('div', { className: 'office-filter-grid' }, h('div', {}, ...field('office-status', ot('status'), status)), h('div', {}, ...field('office-category', ot('category'), category)), h('div', {}, ...field('office-commune', ot('commune'), commune)), h('div', {}, ...field('office-from', ot('from'), from)), h('div', {}, ...field('office-to', ot('to'), to))),
      h('div', { className: 'office-filter-buttons' }, h('button', { type: 'submit', className: 'primary-button' }, ot('apply')), clear),
      h('div', { className: 'office-sound' }, soundBox, h('label', { for: 'office-sound' }, ot('sound'))),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    options.onFilter({ q: search.value, status: status.value, category: category.value, commune: commune.value, from: from.value, to: to.value });
  });
  clear.addEventListener('click', () => options.onFilter({ q: '', status: '', category: '', commune: '', from: '', to: '' }));

  const renderList = () => {
    count.textContent = ot('queueCount', { count: reports.length });
    if (reports.length === 0) {
      replaceChildren(list, h('li', { className: 'muted' }, ot('queueEmpty')));
      return;
    }
    replaceChildren(
      list,
      reports.map((report) => {
        const deadline = deadlineText(report);
        const link = h(
          'a',
          { href: options.openPath(report.id), className: 'office-item-link', 'aria-label': ot('open', { code: report.trackingCode }) },
          h('span', { className: 'office-item-head' }, h('strong', { className: 'office-code' }, report.trackingCode), h('span', { className: `office-status status-${report.status}` }, statusLabel(report.status))),
          h('span', { className: 'office-item-category' }, categoryLabel(report.category), ' · ', report.commune.name),
          h('span', { className: 'office-item-description' }, report.description),
          h('span', { className: `office-deadline tone-${deadline.tone}` }, deadline.text),
          h('time', { className: 'muted', datetime: report.createdAt }, formatDateTime(report.createdAt)),
        );
        link.addEventListener('click', (event) => {
          if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
          event.preventDefault();
          options.onOpen(report.id);
        });
        return h('li', { className: `office-item tone-${deadline.tone}`, 'data-tracking-code': report.trackingCode, 'data-status': report.status }, link);
      }),
    );
  };

  const refresh = async () => {
    controller?.abort();
    const mine = (controller = new AbortController());
    list.setAttribute('aria-busy', 'true');
    try {
      const answer = await loadQueue(filter, mine.signal);
      if (mine.signal.aborted) return;
      reports = answer.reports;
      let added = false;
      for (const report of reports) {
        if (!options.communes.has(report.commune.code)) {
          options.communes.set(report.commune.code, report.commune.name);
          added = true;
        }
      }
      if (added) replaceChildren(commune, ...communeOptions().map(([value, text]) => h('option', { value, selected: value === filter.commune }, text)));
      renderList();
      list.dataset.ready = 'true';
      options.onLoaded(reports);
    } catch (error) {
      if ((error as Error).name === 'AbortError') return;
      count.textContent = ot('loadFailed', { message: describeError(error) });
      count.className = 'error office-count';
    } finally {
      if (controller === mine) list.removeAttribute('aria-busy');
    }
  };

  const element = h('div', { className: 'office-queue-screen' }, h('h3', { id: 'office-queue-title' }, ot('queueTitle')), form, count, list);
  return {
    element,
    refresh,
    codes: () => reports.map((report) => report.trackingCode),
    reports: () => reports,
    destroy: () => controller?.abort(),
  };
}

export type Queue = ReturnType<typeof createQueue>;
