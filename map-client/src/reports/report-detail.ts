import { describeError, fetchJson } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { asLocalized, asMessage, formatDateTime, isMessageKey, localized, msg, t } from '../app/i18n.ts';
import type { SavedReport } from '../offline/local-database-schema.ts';
import { getReportStorage } from '../offline/report-queue-runtime.ts';
import type { CitizenNavigator, CitizenScreen } from '../views/citizen-screens.ts';
import { addInformation, getPublicReport, rateReport, type PublicReport, type TimelineEntry } from './report-api.ts';

type State = { status: 'loading' } | { status: 'loaded'; report: PublicReport } | { status: 'failed'; error: unknown };

/** The offices' English names (`GET /api/offices`, public), asked once a page: the timeline names offices in Vietnamese only. */
let officeNamesEn: Promise<ReadonlyMap<string, string>> | undefined;
function loadOfficeNamesEn(): Promise<ReadonlyMap<string, string>> {
  officeNamesEn ??= fetchJson<{ offices: { code: string; nameEn: string | null }[] }>('/api/offices')
    .then(({ offices }) => new Map(offices.flatMap((office) => (office.nameEn ? [[office.code, office.nameEn] as const] : []))))
    .catch(() => {
      officeNamesEn = undefined;
      return new Map<string, string>();
    });
  return officeNamesEn;
}

/**
 * The public detail of a report (anyone may read it): status, category, commune, office, deadline,
 * the office's answer and photos, and the timeline. When this device sent it (its reporter token is
 * in "my reports"), the reporter can also rate the answer once resolved (satisfied closes it, not
 * satisfied reopens it) and answer a request for information.
 */
export function createReportDetail(navigator: CitizenNavigator, trackingCode: string): CitizenScreen {
  let state: State = { status: 'loading' };
  let saved: SavedReport | undefined;
  let namesEn: ReadonlyMap<string, string> = new Map();
  let notice: string | undefined;
  let destroyed = false;
  const request = new AbortController();
  const element = h('section', { className: 'report-detail', 'aria-labelledby': 'report-detail-title', 'data-tracking-code': trackingCode });

  const render = () => {
    const back = h('button', { type: 'button', className: 'link-button back-button' }, `← ${t('mine.back')}`);
    back.addEventListener('click', () => navigator.showHome());
    const close = h('button', { type: 'button', className: 'dialog-close', 'aria-label': t('detail.close') }, '×');
    close.addEventListener('click', () => navigator.showHome());
    const header = h('div', { className: 'dialog-header' }, h('h2', { id: 'report-detail-title', tabindex: '-1' }, t('detail.title', { code: trackingCode })), close);
    if (state.status === 'loading') return replaceChildren(element, header, h('p', { role: 'status' }, t('detail.loading')));
    if (state.status === 'failed') return replaceChildren(element, header, h('p', { role: 'alert', className: 'error' }, describeError(state.error)), back);
    const { report } = state;
    const show = h('button', { type: 'button', className: 'link-button' }, t('emergency.showOnMap'));
    show.addEventListener('click', () => navigator.flyTo(report.location.coordinates));
    replaceChildren(
      element,
      header,
      h(
        'dl',
        { className: 'facts' },
        h('dt', {}, t('detail.status')),
        h('dd', { className: `report-status status-${report.status}` }, t(`status.${report.status}`), report.overdue ? h('span', { className: 'overdue-tag' }, ` · ${t('detail.overdue')}`) : null),
        h('dt', {}, t('detail.category')),
        h('dd', {}, localized({ vi: report.category.nameVi, en: report.category.nameEn })),
        h('dt', {}, t('detail.commune')),
        h('dd', {}, report.commune.name),
        h('dt', {}, t('detail.office')),
        h('dd', {}, localized({ vi: report.office.name, en: report.office.nameEn })),
        h('dt', {}, t('detail.createdAt')),
        h('dd', {}, formatDateTime(report.createdAt)),
        report.dueAt ? [h('dt', {}, t('detail.dueAt')), h('dd', {}, formatDateTime(report.dueAt))] : null,
      ),
      h('p', { className: 'report-description' }, report.description),
      report.answer ? h('section', { className: 'report-answer' }, h('h3', {}, t('detail.answer')), h('p', {}, report.answer.text)) : null,
      report.rejectionReason && report.status === 'rejected' ? h('p', { className: 'muted' }, `${t('detail.rejection')}: ${report.rejectionReason}`) : null,
      report.photos.length
        ? h('section', {}, h('h3', {}, t('detail.photos')), h('ul', { className: 'photo-list' }, report.photos.map((photo, index) => h('li', {}, h('a', { href: photo.url, target: '_blank', rel: 'noopener' }, h('img', { src: photo.url, alt: t('detail.photoAlt', { index: index + 1, code: trackingCode }), width: 96, height: 96, loading: 'lazy' }))))))
        : null,
      renderRating(report),
      renderInformation(report),
      notice ? h('p', { className: 'success', role: 'status' }, notice) : null,
      h('section', {}, h('h3', {}, t('detail.timeline')), h('ol', { className: 'timeline' }, report.timeline.map(renderEntry))),
      report.followers > 0 ? h('p', { className: 'muted' }, t('detail.followers', { count: report.followers })) : null,
      h('div', { className: 'button-row' }, show, back),
    );
  };

  const renderEntry = (entry: TimelineEntry) => {
    const key = `event.${entry.kind}`;
    const current = state.status === 'loaded' ? state.report.office : undefined;
    const office = entry.office ? asLocalized({ vi: entry.office.name, en: namesEn.get(entry.office.code) ?? (entry.office.code === current?.code ? current.nameEn : null) }) : '';
    // Marked: the language toggle translates it in place, the office's name included.
    const title = isMessageKey(key) ? msg(key, { office }, 'p') : msg('event.other', { status: entry.toStatus ? asMessage(`status.${entry.toStatus}`) : entry.kind }, 'p');
    title.className = 'timeline-title';
    return h(
      'li',
      { className: `timeline-entry event-${entry.kind}`, 'data-kind': entry.kind },
      h('time', { dateTime: entry.at }, formatDateTime(entry.at)),
      title,
      entry.note ? h('p', { className: 'muted' }, entry.note) : null,
      entry.photos.length ? h('ul', { className: 'photo-list' }, entry.photos.map((photo, index) => h('li', {}, h('img', { src: photo.url, alt: t('detail.photoAlt', { index: index + 1, code: trackingCode }), width: 72, height: 72, loading: 'lazy' })))) : null,
    );
  };

  const renderRating = (report: PublicReport): HTMLElement | null => {
    if (report.rating) return h('p', { className: 'report-rating' }, t('detail.rated', { rating: report.rating.value === 'satisfied' ? t('detail.satisfied') : t('detail.notSatisfied') }));
    if (report.status !== 'resolved') return null;
    if (saved?.role !== 'reporter' || !saved.token) return h('p', { className: 'muted' }, t('detail.notSaved'));
    const token = saved.token;
    const comment = h('textarea', { id: 'rating-comment', rows: 2, maxlength: 2000 });
    const error = h('p', { className: 'error', role: 'alert' });
    const choose = async (rating: 'satisfied' | 'not_satisfied', button: HTMLButtonElement) => {
      button.disabled = true;
      try {
        const updated = await rateReport(trackingCode, token, rating, comment.value.trim() || undefined);
        state = { status: 'loaded', report: updated };
        notice = rating === 'satisfied' ? t('detail.ratingSaved') : `${t('detail.ratingSaved')} ${t('detail.reopened')}`;
        navigator.announce(notice);
        render();
      } catch (failure) {
        button.disabled = false;
        error.textContent = describeError(failure);
      }
    };
    const satisfied = h('button', { type: 'button', className: 'primary-button rate-satisfied' }, t('detail.satisfied'));
    const notSatisfied = h('button', { type: 'button', className: 'secondary-button rate-not-satisfied' }, t('detail.notSatisfied'));
    satisfied.addEventListener('click', () => void choose('satisfied', satisfied));
    notSatisfied.addEventListener('click', () => void choose('not_satisfied', notSatisfied));
    return h(
      'section',
      { className: 'rating-form', 'aria-labelledby': 'rating-title' },
      h('h3', { id: 'rating-title' }, t('detail.rateTitle')),
      h('label', { for: 'rating-comment' }, t('detail.ratingComment')),
      comment,
      h('div', { className: 'button-row' }, satisfied, notSatisfied),
      error,
    );
  };

  const renderInformation = (report: PublicReport): HTMLElement | null => {
    if (report.status !== 'waiting_for_citizen' || saved?.role !== 'reporter' || !saved.token) return null;
    const token = saved.token;
    const question = [...report.timeline].reverse().find((entry) => entry.kind === 'information_requested');
    const note = h('textarea', { id: 'information-note', rows: 3, maxlength: 5000, required: true });
    const error = h('p', { className: 'error', role: 'alert' });
    const submit = h('button', { type: 'button', className: 'primary-button' }, t('detail.infoSend'));
    submit.addEventListener('click', async () => {
      if (note.value.trim().length < 2) {
        note.focus();
        return;
      }
      submit.disabled = true;
      try {
        state = { status: 'loaded', report: await addInformation(trackingCode, token, note.value.trim()) };
        notice = t('detail.infoSent');
        render();
      } catch (failure) {
        submit.disabled = false;
        error.textContent = describeError(failure);
      }
    });
    return h('section', { className: 'information-form' }, h('h3', {}, t('detail.infoTitle')), question?.note ? h('p', { className: 'muted' }, question.note) : null, h('label', { for: 'information-note' }, t('detail.infoNote')), note, submit, error);
  };

  render();
  void (async () => {
    try {
      const [report, storage, english] = await Promise.all([getPublicReport(trackingCode, request.signal), getReportStorage().catch(() => undefined), loadOfficeNamesEn()]);
      namesEn = english;
      saved = await storage?.myReports.get(report.trackingCode);
      state = { status: 'loaded', report };
    } catch (error) {
      if ((error as Error).name === 'AbortError') return;
      state = { status: 'failed', error };
    }
    if (!destroyed) render();
  })();

  return {
    element,
    destroy() {
      destroyed = true;
      request.abort();
    },
  };
}
