import { operationsOnlyStaffActions, staffActionNames, staffTransitions, type StaffActionName } from '@bandoso/contracts';
import type { StaffUser } from '../ioc/staff-session.ts';
import { ApiError, describeError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { formatDateTime, formatDistance, getLanguage, isMessageKey, t } from '../app/i18n.ts';
import {
  isStaffView,
  loadDuplicateCandidates,
  loadReport,
  loadTransferOptions,
  performAction,
  type ActionBody,
  type DuplicateCandidate,
  type StaffReport,
  type StaffTimelineEntry,
  type TransferOption,
} from './office-api.ts';
import { categoryLabel, deadlineText, officeLabel, statusLabel } from './office-format.ts';
import type { OfficeMap } from './office-map.ts';
import { ot, type OfficeMessageKey } from './office-messages.ts';

type StaffRole = StaffUser['role'];

export interface ReportPageOptions {
  reportId: string;
  /** The signed-in user's role: the IOC and admins also escalate (operationsOnlyStaffActions). */
  role: StaffRole;
  officeMap: OfficeMap;
  flyTo(coordinates: [number, number]): void;
  announce(message: string): void;
  backPath: string;
  onBack(): void;
  /** The report left the user's office (a transfer, "not our responsibility"): back to the queue, with this notice. */
  onMovedAway(notice: string): void;
}

type Notice = { text: string; kind: 'success' | 'error'; hint?: string };

const photoInputAttributes = { type: 'file', accept: 'image/*', capture: 'environment', multiple: true } as const;

/** The actions the report's status allows, in the workflow's order. */
export function allowedActions(report: Pick<StaffReport, 'status' | 'borderConfirmedAt'>, role: StaffRole): StaffActionName[] {
  const operations = role === 'ioc_operator' || role === 'admin';
  return staffActionNames.filter(
    (action) =>
      (staffTransitions[action].from as readonly string[]).includes(report.status) &&
      !(action === 'confirm_location' && report.borderConfirmedAt) &&
      (operations || !operationsOnlyStaffActions.includes(action)),
  );
}

/** Actions that need nothing but a press. */
const oneClickActions: readonly StaffActionName[] = ['accept', 'start', 'resume'];

/**
 * A report's page on the desk: what the office needs to decide (facts, description, the place with its
 * verdict, the reporter's contact when the API gives it, photos, the timeline with internal notes set
 * apart, possible duplicates), and every action the status allows, each a form with what it needs.
 * A refused action says why in words and the page then shows the report as it is now.
 */
export function createReportPage(options: ReportPageOptions) {
  const element = h('article', { className: 'office-report', 'aria-busy': 'true' });
  let report: StaffReport | undefined;
  let notice: Notice | undefined;
  let openAction: StaffActionName | undefined;
  let duplicates: DuplicateCandidate[] | undefined;
  let transferOptions: TransferOption[] | undefined;
  let destroyed = false;
  const objectUrls: string[] = [];

  const back = () => {
    const link = h('a', { href: options.backPath, className: 'office-back' }, ot('back'));
    link.addEventListener('click', (event) => {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      options.onBack();
    });
    return link;
  };

  const noticeElement = () =>
    notice
      ? h('div', { className: `office-notice ${notice.kind === 'error' ? 'office-notice-error' : 'success'}`, role: notice.kind === 'error' ? 'alert' : 'status', tabindex: '-1' }, h('p', {}, notice.text), notice.hint ? h('p', { className: 'muted' }, notice.hint) : null)
      : null;

  const load = async (keepNotice = false) => {
    if (!keepNotice) notice = undefined;
    element.setAttribute('aria-busy', 'true');
    try {
      const loaded = await loadReport(options.reportId);
      if (destroyed) return;
      report = loaded;
      render();
      void loadDuplicates();
    } catch (error) {
      if (destroyed) return;
      report = undefined;
      const gone = error instanceof ApiError && (error.status === 404 || error.status === 403);
      notice = gone ? { text: ot('gone'), kind: 'error', hint: ot('goneHint') } : { text: ot('loadFailed', { message: describeError(error) }), kind: 'error' };
      replaceChildren(element, back(), noticeElement());
      options.officeMap.show([]);
    } finally {
      element.removeAttribute('aria-busy');
    }
  };

  const loadDuplicates = async () => {
    const mine = report;
    if (!mine) return;
    try {
      duplicates = await loadDuplicateCandidates(mine.id);
    } catch {
      duplicates = [];
    }
    if (destroyed || report !== mine) return;
    const section = element.querySelector('.office-duplicates');
    section?.replaceWith(duplicatesSection(mine));
    if (openAction === 'mark_duplicate') renderActions();
  };

  const ensureTransferOptions = async () => {
    if (transferOptions || !report) return transferOptions;
    try {
      transferOptions = await loadTransferOptions(report.id);
    } catch {
      transferOptions = undefined;
    }
    return transferOptions;
  };

  const actionsContainer = h('section', { className: 'office-actions', 'aria-labelledby': 'office-actions-title' });

  const render = () => {
    if (!report) return;
    for (const url of objectUrls.splice(0)) URL.revokeObjectURL(url);
    const current = report;
    const deadline = deadlineText(current);
    options.officeMap.show([current], current.id);
    const showOnMap = h('button', { type: 'button', className: 'secondary-button office-show-on-map' }, ot('showOnMap'));
    showOnMap.addEventListener('click', () => options.flyTo(current.location.coordinates));
    replaceChildren(
      element,
      back(),
      h('h3', { className: 'office-report-title', tabindex: '-1' }, ot('reportTitle', { code: current.trackingCode })),
      noticeElement(),
      h(
        'dl',
        { className: 'facts office-facts' },
        h('dt', {}, ot('trackingCode')),
        h('dd', { className: 'office-tracking-code' }, current.trackingCode),
        h('dt', {}, ot('category')),
        h('dd', {}, categoryLabel(current.category)),
        h('dt', {}, ot('status')),
        h('dd', { className: 'office-report-status', 'data-status': current.status }, statusLabel(current.status)),
        h('dt', {}, ot('deadline')),
        h('dd', { className: `office-deadline tone-${deadline.tone}` }, deadline.text || (current.dueAt ? formatDateTime(current.dueAt) : '—')),
        h('dt', {}, ot('createdAt')),
        h('dd', {}, formatDateTime(current.createdAt)),
        h('dt', {}, ot('place')),
        h('dd', {}, [current.address, current.commune.name].filter(Boolean).join(', ')),
        h('dt', {}, ot('office')),
        h('dd', {}, officeLabel(current.office)),
        h('dt', {}, ot('followers')),
        h('dd', {}, String(current.followers)),
      ),
      h('h4', {}, ot('description')),
      h('p', { className: 'report-description' }, current.description),
      current.answer ? h('div', { className: 'report-answer' }, h('h4', {}, ot('answer')), h('p', {}, current.answer.text)) : null,
      current.rating ? h('p', { className: current.rating.value === 'satisfied' ? 'success' : 'warning' }, ot(`rating_${current.rating.value}`), current.rating.comment ? `: “${current.rating.comment}”` : '') : null,
      actionsContainer,
      h(
        'section',
        { className: 'office-location' },
        h('h4', {}, ot('location')),
        h('p', { className: `office-verdict verdict-${current.locationCheck.verdict ?? 'unverified'}` }, ot(`verdict_${current.locationCheck.verdict ?? 'unverified'}`), current.accuracyM !== null ? ` · ${ot('accuracy', { metres: formatDistance(current.accuracyM) })}` : ''),
        current.nearBorder && !current.borderConfirmedAt ? h('p', { className: 'warning office-near-border' }, ot('nearBorder')) : null,
        current.borderConfirmedAt ? h('p', { className: 'muted' }, ot('borderConfirmed', { at: formatDateTime(current.borderConfirmedAt) })) : null,
        current.escalatedAt ? h('p', { className: 'warning' }, ot('escalated', { at: formatDateTime(current.escalatedAt) })) : null,
        showOnMap,
      ),
      reporterSection(current),
      photosSection(current),
      h('section', { className: 'office-timeline-section' }, h('h4', {}, ot('timeline')), h('ol', { className: 'timeline office-timeline' }, current.timeline.map(timelineEntry))),
      duplicatesSection(current),
    );
    renderActions();
  };

  const reporterSection = (current: StaffReport) => {
    const reporter = current.reporter;
    let body: HTMLElement;
    if (!reporter) body = h('p', { className: 'muted' }, ot('reporterAnonymous'));
    else if ('hidden' in reporter) body = h('p', { className: 'muted office-contact-hidden' }, reporter.consentToContact ? ot('reporterHiddenRole') : ot('reporterHidden'));
    else if (!reporter.name && !reporter.phone && !reporter.email) body = h('p', { className: 'muted' }, ot('reporterAnonymous'));
    else
      body = h(
        'dl',
        { className: 'facts office-contact' },
        reporter.name ? [h('dt', {}, ot('name')), h('dd', {}, reporter.name)] : null,
        reporter.phone ? [h('dt', {}, ot('phone')), h('dd', {}, h('a', { href: `tel:${reporter.phone}` }, reporter.phone))] : null,
        reporter.email ? [h('dt', {}, ot('email')), h('dd', {}, h('a', { href: `mailto:${reporter.email}` }, reporter.email))] : null,
      );
    return h('section', { className: 'office-reporter' }, h('h4', {}, ot('reporter')), body);
  };

  const photosSection = (current: StaffReport) => {
    const roles = (['report', 'before', 'after'] as const).filter((role) => current.photos.some((photo) => photo.role === role));
    return h(
      'section',
      { className: 'office-photos' },
      h('h4', {}, ot('photos')),
      roles.length === 0 ? h('p', { className: 'muted' }, ot('noPhotos')) : null,
      roles.map((role) =>
        h(
          'div',
          { className: `office-photo-group photos-${role}` },
          h('p', { className: 'office-photo-role' }, ot(`photoRole_${role}`)),
          h(
            'ul',
            { className: 'photo-list' },
            current.photos
              .filter((photo) => photo.role === role)
              .map((photo, index) => h('li', {}, h('a', { href: photo.originalUrl, target: '_blank', rel: 'noopener' }, h('img', { src: photo.url, alt: ot('photoAlt', { index: index + 1, role: ot(`photoRole_${role}`), code: current.trackingCode }), width: 96, height: 96, loading: 'lazy' })))),
          ),
        ),
      ),
    );
  };

  const timelineEntry = (entry: StaffTimelineEntry) => {
    const key = `event.${entry.kind}`;
    const office = entry.office?.name ?? '';
    const title = entry.kind === 'note' && !entry.public ? t('event.note') : isMessageKey(key) ? t(key, { office } as never) : t('event.other', { status: entry.toStatus ? statusLabel(entry.toStatus) : entry.kind });
    const by = entry.actorRole === 'citizen' ? ot('byCitizen') : entry.actorRole === 'system' ? ot('bySystem') : ot('byOffice');
    return h(
      'li',
      { className: `timeline-entry ${entry.public ? 'is-public' : 'is-internal'}`, 'data-kind': entry.kind, 'data-public': String(entry.public) },
      h('time', { datetime: entry.at }, formatDateTime(entry.at)),
      ' ',
      h('span', { className: entry.public ? 'office-tag tag-public' : 'office-tag tag-internal' }, entry.public ? ot('publicStep') : ot('internal')),
      h('p', { className: 'timeline-title' }, title, h('span', { className: 'muted' }, ` · ${by}`)),
      entry.note ? h('p', { className: 'office-timeline-note' }, entry.note) : null,
      entry.photos.length ? h('ul', { className: 'photo-list' }, entry.photos.map((photo, index) => h('li', {}, h('img', { src: photo.url, alt: ot('previewPhotoAlt', { index: index + 1 }), width: 72, height: 72, loading: 'lazy' })))) : null,
    );
  };

  const duplicatesSection = (current: StaffReport) =>
    h(
      'section',
      { className: 'office-duplicates' },
      h('h4', {}, ot('duplicates')),
      duplicates === undefined
        ? h('p', { className: 'muted' }, ot('loading'))
        : duplicates.length === 0
          ? h('p', { className: 'muted' }, ot('noDuplicates'))
          : h(
              'ul',
              { className: 'report-list' },
              duplicates.map((candidate) =>
                h(
                  'li',
                  { className: 'report-item', 'data-tracking-code': candidate.trackingCode },
                  h('p', {}, h('strong', {}, candidate.trackingCode), ' · ', statusLabel(candidate.status), ' · ', ot('distance', { distance: formatDistance(candidate.distanceM) })),
                  h('p', { className: 'muted' }, categoryLabel(candidate.category), candidate.category.code === current.category.code ? '' : ' ⚠', ' · ', candidate.description.slice(0, 140)),
                ),
              ),
            ),
    );

  // ---- actions ----------------------------------------------------------------------------------

  const renderActions = () => {
    if (!report) return;
    const actions = allowedActions(report, options.role);
    const buttons = actions.map((action) => {
      const oneClick = oneClickActions.includes(action);
      const button = h('button', { type: 'button', className: oneClick || action === 'resolve' ? 'primary-button' : 'secondary-button', 'data-action': action, 'aria-expanded': oneClick ? undefined : String(openAction === action) }, ot(`action_${action}`));
      button.addEventListener('click', () => {
        if (oneClick) {
          void send(action, { action }, [], button);
          return;
        }
        openAction = openAction === action ? undefined : action;
        renderActions();
        actionsContainer.querySelector<HTMLElement>('.office-action-form textarea, .office-action-form select, .office-action-form input, .office-action-form button[type="submit"]')?.focus();
      });
      return button;
    });
    if (openAction && !actions.includes(openAction)) openAction = undefined;
    replaceChildren(actionsContainer, h('h4', { id: 'office-actions-title' }, ot('actions')), actions.length ? h('div', { className: 'office-action-buttons' }, buttons) : h('p', { className: 'muted' }, ot('noActions')), openAction ? actionForm(openAction) : null);
  };

  /** A labelled field: the label above its control. */
  const labelled = (id: string, key: OfficeMessageKey, control: HTMLElement) => h('div', { className: 'office-field' }, h('label', { for: id }, ot(key)), control);
  const textArea = (id: string, required = false) => h('textarea', { id, name: id, rows: 3, 'aria-required': required ? 'true' : undefined, maxlength: 5000 });

  const actionForm = (action: StaffActionName): HTMLFormElement => {
    const id = (name: string) => `office-${action}-${name}`;
    const error = h('p', { className: 'error office-form-error', role: 'alert' });
    const submit = h('button', { type: 'submit', className: 'primary-button' }, ot('send'));
    const cancel = h('button', { type: 'button', className: 'secondary-button' }, ot('cancel'));
    cancel.addEventListener('click', () => {
      openAction = undefined;
      renderActions();
      actionsContainer.querySelector<HTMLElement>(`[data-action="${action}"]`)?.focus();
    });
    const fields: HTMLElement[] = [];
    let body: () => ActionBody;
    let photos: () => File[] = () => [];

    switch (action) {
      case 'request_information': {
        const question = textArea(id('note'), true);
        fields.push(labelled(id('note'), 'question', question));
        body = () => ({ action, note: question.value });
        break;
      }
      case 'resolve': {
        const answer = textArea(id('answer'), true);
        const note = textArea(id('note'));
        const input = h('input', { ...photoInputAttributes, id: id('photos'), name: 'photos' });
        const previewText = h('p', { className: 'office-preview-answer' });
        const previewPhotos = h('ul', { className: 'photo-list office-preview-photos' });
        const updatePreview = () => {
          previewText.textContent = answer.value.trim() || ot('previewEmpty');
          previewText.classList.toggle('muted', !answer.value.trim());
          for (const url of objectUrls.splice(0)) URL.revokeObjectURL(url);
          replaceChildren(
            previewPhotos,
            [...(input.files ?? [])].map((file, index) => {
              const url = URL.createObjectURL(file);
              objectUrls.push(url);
              return h('li', {}, h('img', { src: url, alt: ot('previewPhotoAlt', { index: index + 1 }), width: 96, height: 96 }));
            }),
          );
        };
        answer.addEventListener('input', updatePreview);
        input.addEventListener('change', updatePreview);
        updatePreview();
        fields.push(
          labelled(id('answer'), 'publicAnswer', answer),
          labelled(id('photos'), 'afterPhotos', input),
          h('section', { className: 'office-preview', 'aria-labelledby': id('preview') }, h('p', { id: id('preview'), className: 'office-preview-title' }, ot('preview')), h('div', { className: 'report-answer' }, previewText), previewPhotos),
          labelled(id('note'), 'optionalNote', note),
        );
        body = () => ({ action, answer: answer.value, ...(note.value.trim() ? { note: note.value } : {}) });
        photos = () => [...(input.files ?? [])];
        break;
      }
      case 'reject': {
        const reason = h('select', { id: id('reason'), name: 'reason' }, ...(['not_eligible', 'not_enough_information', 'not_our_responsibility'] as const).map((value) => h('option', { value }, ot(`reason_${value}`))));
        const answer = textArea(id('answer'), true);
        const target = h('select', { id: id('target'), name: 'target' }, h('option', { value: '' }, ot('chooseOffice')));
        const targetField = labelled(id('target'), 'targetOffice', target);
        targetField.hidden = true;
        reason.addEventListener('change', async () => {
          targetField.hidden = reason.value !== 'not_our_responsibility';
          if (!targetField.hidden && target.options.length <= 1) fillOffices(target, await ensureTransferOptions());
        });
        fields.push(labelled(id('reason'), 'reason', reason), targetField, labelled(id('answer'), 'publicAnswer', answer));
        body = () => ({ action, reason: reason.value, answer: answer.value, ...(reason.value === 'not_our_responsibility' && target.value ? { targetOfficeCode: target.value } : {}) });
        break;
      }
      case 'transfer': {
        const target = h('select', { id: id('target'), name: 'target', 'aria-required': 'true' }, h('option', { value: '' }, ot('loading')));
        void ensureTransferOptions().then((offices) => fillOffices(target, offices));
        const reason = textArea(id('note'), true);
        fields.push(labelled(id('target'), 'targetOffice', target), labelled(id('note'), 'transferReason', reason));
        body = () => ({ action, targetOfficeCode: target.value, note: reason.value });
        break;
      }
      case 'mark_duplicate': {
        const choice = h('select', { id: id('original'), name: 'original' }, h('option', { value: '' }, ot('chooseOriginal')), ...(duplicates ?? []).map((candidate) => h('option', { value: candidate.trackingCode }, `${candidate.trackingCode} · ${categoryLabel(candidate.category)} · ${formatDistance(candidate.distanceM)}`)));
        const typed = h('input', { type: 'text', id: id('code'), name: 'code', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' });
        const note = textArea(id('note'));
        fields.push(labelled(id('original'), 'original', choice), labelled(id('code'), 'orType', typed), labelled(id('note'), 'optionalNote', note));
        body = () => ({ action, originalTrackingCode: typed.value.trim() || choice.value, ...(note.value.trim() ? { note: note.value } : {}) });
        break;
      }
      case 'confirm_location': {
        const note = textArea(id('note'));
        fields.push(h('p', { className: 'muted' }, ot('confirmLocationHint')), labelled(id('note'), 'optionalNote', note));
        body = () => ({ action, ...(note.value.trim() ? { note: note.value } : {}) });
        break;
      }
      case 'escalate': {
        const note = textArea(id('note'), true);
        fields.push(h('p', { className: 'muted' }, ot('escalateHint')), labelled(id('note'), 'escalateReason', note));
        body = () => ({ action, note: note.value });
        break;
      }
      case 'add_note': {
        const note = textArea(id('note'), true);
        const isPublic = h('input', { type: 'checkbox', id: id('public'), name: 'public' });
        fields.push(labelled(id('note'), 'note', note), h('div', { className: 'office-check' }, isPublic, h('label', { for: id('public') }, ot('notePublic'))));
        body = () => ({ action, note: note.value, public: isPublic.checked });
        break;
      }
      default:
        body = () => ({ action });
    }

    // The API checks the input and answers in words: its message is what the officer reads.
    const form = h('form', { className: `office-action-form action-${action}`, noValidate: true, 'aria-labelledby': id('title') }, h('h5', { id: id('title') }, ot(`action_${action}`)), fields, error, h('div', { className: 'office-form-buttons' }, submit, cancel));
    form.noValidate = true;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void send(action, body(), photos(), submit, error);
    });
    return form;
  };

  const fillOffices = (select: HTMLSelectElement, offices: TransferOption[] | undefined) => {
    if (!offices) {
      replaceChildren(select, h('option', { value: '' }, ot('optionsFailed')));
      return;
    }
    replaceChildren(
      select,
      h('option', { value: '' }, ot('chooseOffice')),
      offices.map((office) => {
        const fits = office.handlesCategory && office.coversPlace ? ot('officeFits') : office.handlesCategory ? ot('officeHandles') : office.coversPlace ? ot('officeCovers') : '';
        const distance = office.distanceM === null ? '' : formatDistance(office.distanceM);
        const extra = [fits, distance].filter(Boolean).join(', ');
        return h('option', { value: office.code }, `${getLanguage() === 'en' && office.nameEn ? office.nameEn : office.name}${extra ? ` (${extra})` : ''}`);
      }),
    );
  };

  let sending = false;
  const send = async (action: StaffActionName, body: ActionBody, files: File[], submit: HTMLButtonElement, error?: HTMLElement) => {
    if (!report || sending) return;
    sending = true;
    const code = report.trackingCode;
    const label = submit.textContent;
    submit.disabled = true;
    submit.textContent = ot('sending');
    if (error) error.textContent = '';
    try {
      const after = await performAction(report.id, body, files, (sent) => (submit.textContent = ot('sendingPercent', { percent: Math.round(sent * 100) })));
      if (destroyed) return;
      if (!isStaffView(after)) {
        options.onMovedAway(ot('movedAway', { code, office: officeLabel(after.office) }));
        return;
      }
      report = after;
      openAction = undefined;
      notice = { text: ot(`done_${action}`, { code }), kind: 'success' };
      options.announce(notice.text);
      render();
      element.querySelector<HTMLElement>('.office-notice')?.focus();
    } catch (failure) {
      if (destroyed) return;
      if (failure instanceof ApiError && failure.status === 409) {
        notice = { text: ot('conflict'), kind: 'error' };
        openAction = undefined;
        options.announce(notice.text);
        await load(true);
        element.querySelector<HTMLElement>('.office-notice')?.focus();
      } else if (failure instanceof ApiError && (failure.status === 403 || failure.status === 404)) {
        options.announce(ot('gone'));
        await load(true);
        element.querySelector<HTMLElement>('.office-notice')?.focus();
      } else {
        // Bad input (or the network): the form stays as typed, with the API's words.
        const message = ot('failed', { message: describeError(failure) });
        if (error) {
          error.textContent = `${message} ${ot('retryHint')}`;
          submit.disabled = false;
          submit.textContent = label;
        } else {
          notice = { text: message, kind: 'error' };
          render();
        }
        options.announce(message);
      }
    } finally {
      sending = false;
    }
  };

  return {
    element,
    load,
    /** The tracking code shown, once loaded (for tests). */
    shown: () => report?.trackingCode,
    /** Re-render in the current language. */
    rerender: () => (report ? render() : undefined),
    flyToReport: () => report && options.flyTo(report.location.coordinates),
    destroy() {
      destroyed = true;
      for (const url of objectUrls.splice(0)) URL.revokeObjectURL(url);
    },
  };
}

export type ReportPage = ReturnType<typeof createReportPage>;
