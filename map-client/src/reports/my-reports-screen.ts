import { h, replaceChildren } from '../app/dom.ts';
import { formatDateTime, getLanguage, localized, t } from '../app/i18n.ts';
import type { QueuedReport, SavedReport } from '../offline/local-database-schema.ts';
import { getReportStorage } from '../offline/report-queue-runtime.ts';
import type { CitizenNavigator, CitizenScreen } from '../views/citizen-screens.ts';
import { findCategory } from './report-form-state.ts';
import { loadCategories, trackingCodePattern, type Category } from './report-api.ts';

/**
 * A saved or queued report's category in both languages: from the categories (by its code), else
 * from the names kept with it (older records kept one name only, in the language of that day).
 */
export function savedCategoryName(categories: readonly Category[], code: string, stored: { categoryName: string; categoryNameEn?: string | undefined }): { vi: string; en: string } {
  const known = findCategory(categories, code);
  if (known) return { vi: known.nameVi, en: known.nameEn || known.nameVi };
  return { vi: stored.categoryName, en: stored.categoryNameEn || stored.categoryName };
}

/**
 * "My reports": what this device sent (or follows), newest first, each opening its public detail
 * (timeline, answer, photos, rating); above them, the reports still in the queue with their state;
 * and a box to look up any tracking code.
 */
export function createMyReportsScreen(navigator: CitizenNavigator): CitizenScreen {
  let saved: SavedReport[] = [];
  let queued: QueuedReport[] = [];
  let categories: Category[] = [];
  let destroyed = false;
  let unsubscribe: (() => void) | undefined;
  const element = h('section', { className: 'my-reports', 'aria-labelledby': 'my-reports-title' });
  const lookup = h('input', { type: 'text', id: 'lookup-code', inputmode: 'latin', autocomplete: 'off', spellcheck: 'false', placeholder: 'DB-7K3M9Q' });
  const lookupError = h('p', { className: 'error', role: 'alert' });

  const render = () => {
    const close = h('button', { type: 'button', className: 'dialog-close', 'aria-label': t('citizen.close') }, '×');
    close.addEventListener('click', () => navigator.showHome());
    const unsent = queued.filter((report) => report.state.status !== 'sent');
    const form = h('form', { className: 'lookup' }, h('label', { for: 'lookup-code' }, t('mine.lookupLabel')), h('div', { className: 'inline' }, lookup, h('button', { type: 'submit', className: 'secondary-button' }, t('mine.lookupButton'))), lookupError);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const code = lookup.value.trim().toUpperCase();
      if (!trackingCodePattern.test(code)) {
        lookupError.textContent = t('mine.lookupInvalid');
        return;
      }
      navigator.showDetail(code);
    });
    replaceChildren(
      element,
      h('div', { className: 'dialog-header' }, h('h2', { id: 'my-reports-title', tabindex: '-1' }, t('mine.title')), close),
      unsent.length ? h('ul', { className: 'report-list queued-list' }, unsent.map(renderQueued)) : null,
      saved.length ? h('ul', { className: 'report-list saved-list' }, saved.map(renderSaved)) : unsent.length ? null : h('p', { className: 'muted' }, t('mine.empty')),
      form,
    );
  };

  const renderQueued = (report: QueuedReport) => {
    const state = report.state;
    const text =
      state.status === 'sending'
        ? t('queue.sending', { percent: Math.round(state.progress * 100) })
        : state.status === 'failed'
          ? t('queue.failed', { message: getLanguage() === 'vi' ? (state.messageVi ?? state.message) : state.message })
          : t('queue.waiting');
    const actions: HTMLElement[] = [];
    if (state.status === 'waiting') {
      const retry = h('button', { type: 'button', className: 'secondary-button' }, t('report.retry'));
      retry.addEventListener('click', () => void getReportStorage().then(({ queue }) => queue.flush({ force: true })));
      actions.push(retry);
    }
    if (state.status !== 'sending') {
      const discard = h('button', { type: 'button', className: 'link-button' }, t('report.discard'));
      discard.addEventListener('click', () => void getReportStorage().then(({ queue }) => queue.remove(report.id)));
      actions.push(discard);
    }
    return h(
      'li',
      { className: 'report-item queued', 'data-state': state.status },
      h('p', {}, h('strong', {}, localized(savedCategoryName(categories, report.category, report.label))), ' · ', h('span', { className: 'muted' }, t('mine.pending'))),
      h('p', { className: 'muted' }, report.description),
      h('p', { className: 'queue-state', 'data-state': state.status }, text),
      actions.length ? h('div', { className: 'button-row' }, actions) : null,
    );
  };

  const renderSaved = (report: SavedReport) => {
    const open = h('button', { type: 'button', className: 'link-button open-report' }, report.trackingCode);
    open.addEventListener('click', () => navigator.showDetail(report.trackingCode));
    return h(
      'li',
      { className: 'report-item', 'data-tracking-code': report.trackingCode },
      h('p', {}, open, ' · ', h('strong', { className: 'report-category' }, localized(savedCategoryName(categories, report.category, report)))),
      h('p', { className: 'muted' }, `${report.role === 'reporter' ? t('mine.reporter') : t('mine.follower')} · ${formatDateTime(report.savedAt)}`),
      h('p', { className: 'muted report-excerpt' }, report.description.length > 120 ? `${report.description.slice(0, 117)}…` : report.description),
    );
  };

  render();
  void loadCategories()
    .then((loaded) => {
      categories = loaded;
      if (!destroyed) render();
    })
    .catch(() => undefined);
  void getReportStorage().then(async ({ queue, myReports }) => {
    if (destroyed) return;
    saved = await myReports.list();
    unsubscribe = queue.subscribe((reports) => {
      const sentNow = reports.some((report) => report.state.status === 'sent' && !saved.some((item) => item.trackingCode === report.receipt?.trackingCode));
      queued = reports;
      if (sentNow) {
        void myReports.list().then((list) => {
          saved = list;
          if (!destroyed) render();
        });
      }
      if (!destroyed) render();
    });
    render();
  });

  return {
    element,
    destroy() {
      destroyed = true;
      unsubscribe?.();
    },
  };
}
