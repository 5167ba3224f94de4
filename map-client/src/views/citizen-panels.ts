import { describeError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { formatCoordinates, formatDistance, getLanguage, localized, t, type MessageKey } from '../app/i18n.ts';
import type { Announce } from '../app/status-toast.ts';
import { localText, tourPath } from '../heritage/heritage-api.ts';
import type { ReportFilters } from '../overlays/reports-overlay.ts';
import { categoryName, type Category } from '../reports/report-api.ts';
import { canReportAt, isLocateOffline, type Place } from './citizen-place.ts';
import { hasActiveFilters, periodChoices, reportFiltersFrom, statusGroupChoices } from './citizen-view-state.ts';

/**
 * The citizen panel's own screens (the others load with their code, see citizen-screens.ts): the
 * home screen with the reports filters, and the card of the pinned place. They draw what they are
 * given and say what the person did; citizen-view.ts moves the map and asks the platform.
 */

export interface HomeActions {
  useLocation(): void;
  pinCentre(): void;
  showMine(): void;
  changeFilters(filters: ReportFilters): void;
}

export interface HomeContent {
  /** Reports in the queue the platform does not have yet. */
  unsentCount: number;
  categories: readonly Category[];
  filters: ReportFilters;
}

/**
 * The home screen; its status line (locating the device, or why it could not) outlives each redraw,
 * is marked for translation, and is emptied once the position is found.
 */
export function createCitizenHome(actions: HomeActions) {
  const status = h('p', { className: 'muted home-status', role: 'status' });
  return {
    setStatus(key: MessageKey | undefined) {
      status.removeAttribute('data-i18n');
      if (!key) {
        status.textContent = '';
        return;
      }
      status.dataset.i18n = key;
      status.textContent = t(key);
    },
    render({ unsentCount, categories, filters }: HomeContent): HTMLElement {
      const useLocation = h('button', { type: 'button', className: 'secondary-button use-location' }, h('span', { 'aria-hidden': 'true' }, '◎ '), t('citizen.useMyLocation'));
      useLocation.addEventListener('click', () => actions.useLocation());
      const pinCentre = h('button', { type: 'button', className: 'secondary-button pin-centre' }, t('citizen.pinCentre'));
      pinCentre.addEventListener('click', () => actions.pinCentre());
      const mine = h('button', { type: 'button', className: 'secondary-button my-reports-button' }, t('citizen.myReports'), unsentCount ? h('span', { className: 'badge', 'aria-label': t('citizen.queueSummary', { count: unsentCount }) }, String(unsentCount)) : null);
      mine.addEventListener('click', () => actions.showMine());
      return h(
        'div',
        { className: 'citizen-home' },
        h('p', { className: 'hint' }, t('citizen.hint')),
        h('div', { className: 'button-row' }, useLocation, pinCentre, mine),
        unsentCount ? h('p', { className: 'queue-summary muted' }, t('citizen.queueSummary', { count: unsentCount })) : null,
        status,
        renderReportFilters(categories, filters, actions.changeFilters),
      );
    },
  };
}

/** Category, group of statuses and period of the reports layer; each change applies at once. */
function renderReportFilters(categories: readonly Category[], filters: ReportFilters, changeFilters: (filters: ReportFilters) => void): HTMLElement {
  const category = h(
    'select',
    { id: 'filter-category' },
    h('option', { value: '' }, t('filters.allCategories')),
    categories.map((item) => h('option', { value: item.code, selected: filters.category === item.code }, categoryName(item))),
  );
  const status = h(
    'select',
    { id: 'filter-status' },
    h('option', { value: '' }, t('filters.allStatuses')),
    statusGroupChoices.map((value) => h('option', { value, selected: filters.statusGroup === value }, t(`filters.${value}`))),
  );
  const period = h(
    'select',
    { id: 'filter-period' },
    h('option', { value: '' }, t('filters.periodAll')),
    periodChoices.map((days) => h('option', { value: String(days), selected: filters.periodDays === days }, t(`filters.period${days}`))),
  );
  const reset = h('button', { type: 'button', className: 'link-button' }, t('filters.reset'));
  const apply = () => changeFilters(reportFiltersFrom({ category: category.value, status: status.value, period: period.value }));
  for (const select of [category, status, period]) select.addEventListener('change', apply);
  reset.addEventListener('click', () => {
    category.value = status.value = period.value = '';
    apply();
  });
  return h(
    'details',
    { className: 'report-filters', open: hasActiveFilters(filters) },
    h('summary', {}, t('filters.title')),
    h('label', { for: 'filter-category' }, t('filters.category')),
    category,
    h('label', { for: 'filter-status' }, t('filters.status')),
    status,
    h('label', { for: 'filter-period' }, t('filters.period')),
    period,
    reset,
  );
}

export interface PlaceCardActions {
  close(): void;
  report(): void;
  announce: Announce;
}

/**
 * The pinned place's coordinates, unambiguous in either language ("21,3846° B, 103,0205° Đ" /
 * "21.3846° N, 103.0205° E": degrees, hemisphere, the language's decimal sign) and copyable as
 * "21.384600, 103.020500" (decimal points, latitude first: what map apps and forms accept).
 */
function renderCoordinates(lngLat: [number, number], announce: Announce): HTMLElement {
  const { plain } = formatCoordinates(lngLat);
  const value = localized({ vi: formatCoordinates(lngLat, 'vi').text, en: formatCoordinates(lngLat, 'en').text });
  value.className = 'coordinates-value';
  value.dataset.plain = plain;
  const copy = h('button', { type: 'button', className: 'link-button copy-coordinates', 'data-i18n': 'citizen.copyCoordinates' }, t('citizen.copyCoordinates'));
  copy.addEventListener('click', () => {
    const copied = () => announce({ key: 'citizen.coordinatesCopied', params: { value: plain } }, 'success');
    void globalThis.navigator.clipboard
      ?.writeText(plain)
      .then(copied)
      .catch(() => selectText(value));
    if (!globalThis.navigator.clipboard) selectText(value);
  });
  return h('p', { className: 'muted place-coordinates' }, h('span', { 'data-i18n': 'citizen.coordinates' }, t('citizen.coordinates')), ': ', value, ' ', copy);
}

/** Without the clipboard (an insecure page, a refusal): the value selected, for the person to copy. */
function selectText(element: HTMLElement): void {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}

/** The pinned place: its commune (once the platform answers), its coordinates, and "report here". */
export function createPlaceCard(actions: PlaceCardActions) {
  const element = h('section', { className: 'place-card', 'aria-labelledby': 'place-title' });
  return {
    element,
    render(place: Place) {
      const close = h('button', { type: 'button', className: 'dialog-close', 'aria-label': t('citizen.close') }, '×');
      close.addEventListener('click', () => actions.close());
      const locate = place.locate;
      const offline = isLocateOffline(locate);
      const body =
        locate.status === 'loading'
          ? h('p', { role: 'status' }, t('citizen.locating'))
          : locate.status === 'failed'
            ? h('p', { role: offline ? 'status' : 'alert', className: offline ? 'muted' : 'error' }, offline ? t('citizen.offlinePlace') : describeError(locate.error))
            : h(
                'dl',
                { className: 'facts' },
                h('dt', {}, t('citizen.commune')),
                h('dd', { className: 'place-commune' }, locate.result.commune?.name ?? '—'),
                h('dt', {}, t('citizen.province')),
                h('dd', {}, locate.result.province?.name ?? '—'),
                locate.result.onBorderWith.length ? h('dd', { className: 'muted' }, t('citizen.onBorder', { names: locate.result.onBorderWith.map((unit) => unit.name).join(', ') })) : null,
              );
      const site = place.heritage;
      const siteName = site ? localText(site.name, getLanguage()) : '';
      const heritage = site ? h('p', { className: 'place-heritage' }, h('a', { className: 'heritage-tour-link', href: tourPath(site.code) }, t(site.hasModel ? 'heritage.openTour' : 'heritage.openSite', { name: siteName }))) : null;
      const report = h('button', { type: 'button', className: 'primary-button report-here', disabled: !canReportAt(locate) }, t('citizen.reportHere'));
      report.addEventListener('click', () => actions.report());
      replaceChildren(
        element,
        h('div', { className: 'dialog-header' }, h('h2', { id: 'place-title' }, t('citizen.placeTitle')), close),
        heritage,
        body,
        renderCoordinates(place.lngLat, actions.announce),
        place.accuracyM !== undefined ? h('p', { className: 'muted place-accuracy' }, t('citizen.accuracy', { accuracy: formatDistance(place.accuracyM) })) : null,
        report,
        h('p', { className: 'muted' }, t('citizen.movePin')),
      );
    },
  };
}
