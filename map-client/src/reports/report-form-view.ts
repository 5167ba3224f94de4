import { describeError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { formatBytes, formatDateTime, formatDistance, getLanguage, t } from '../app/i18n.ts';
import type { QueuedReport } from '../offline/local-database-schema.ts';
import { locatedCommuneName, type Place } from '../views/citizen-place.ts';
import { categoryName, type Category, type NearbyReport } from './report-api.ts';
import {
  categoryDescription,
  findCategory,
  maxPhotos,
  refusalMessage,
  routingNotice,
  showsNextAttempt,
  submissionTitleKey,
  type FormPhoto,
  type PhotoProblem,
  type ReportFields,
  type ReportProblem,
  type RoutingState,
} from './report-form-state.ts';

/** What the person does in the form; report-form.ts answers (the view itself reads nothing from the platform). */
export interface ReportFormActions {
  chooseCategory(): void;
  addPhotos(files: File[]): void;
  removePhoto(photo: FormPhoto): void;
  /** Resolves with whether the report is now followed (if not, its button can be pressed again). */
  follow(report: NearbyReport): Promise<boolean>;
  showOnMap(report: NearbyReport): void;
  submit(): void;
  /** Cancel, or close the dialog: back to the place card. */
  close(): void;
}

/** What the person does once the report is in the queue. */
export interface SubmittedActions {
  newReport(): void;
  showDetail(trackingCode: string): void;
  retry(): void;
  discard(report: QueuedReport): void;
}

/**
 * The report form's elements: built once, then each part redrawn from the form's state
 * (report-form-state.ts) when it changes. The fields keep what the person typed.
 */
export function createReportFormView(actions: ReportFormActions) {
  const element = h('section', { className: 'report-form-screen', 'aria-labelledby': 'report-form-title' });
  const routingBox = h('div', { className: 'routing', 'aria-live': 'polite' });
  const nearbyBox = h('div', { className: 'nearby', 'aria-live': 'polite' });
  const photoList = h('ul', { className: 'photo-list' });
  const photoStatus = h('p', { className: 'muted photo-status', role: 'status' });
  const errors = h('div', { className: 'form-errors', role: 'alert' });

  const category = h('select', { id: 'report-category', name: 'category', required: true, 'aria-describedby': 'report-category-note' });
  const categoryNote = h('p', { id: 'report-category-note', className: 'muted' });
  const description = h('textarea', { id: 'report-description', name: 'description', rows: 4, maxlength: 5000, required: true, 'aria-describedby': 'report-description-hint' });
  const fileInput = h('input', { type: 'file', id: 'report-photos', name: 'photos', accept: 'image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif', multiple: true, className: 'visually-hidden' });
  const contactName = h('input', { type: 'text', id: 'report-name', name: 'name', autocomplete: 'name', maxlength: 200 });
  const contactPhone = h('input', { type: 'tel', id: 'report-phone', name: 'phone', autocomplete: 'tel', inputmode: 'tel' });
  const contactEmail = h('input', { type: 'email', id: 'report-email', name: 'email', autocomplete: 'email' });
  const consent = h('input', { type: 'checkbox', id: 'report-consent', name: 'consent' });
  const send = h('button', { type: 'submit', className: 'primary-button report-send' }, t('report.send'));
  const cancel = h('button', { type: 'button', className: 'secondary-button' }, t('report.cancel'));
  const close = h('button', { type: 'button', className: 'dialog-close', 'aria-label': t('citizen.close') }, '×');

  const form = h(
    'form',
    { className: 'report-form', novalidate: true, 'aria-label': t('report.formLabel') },
    h('h3', {}, t('report.routingTitle')),
    routingBox,
    h('label', { for: 'report-category' }, t('report.category')),
    category,
    categoryNote,
    nearbyBox,
    h('label', { for: 'report-description' }, t('report.description')),
    description,
    h('p', { id: 'report-description-hint', className: 'muted' }, t('report.descriptionHint')),
    h('fieldset', { className: 'photos' }, h('legend', {}, t('report.photos', { max: maxPhotos })), fileInput, h('label', { for: 'report-photos', className: 'secondary-button add-photos' }, t('report.addPhotos')), photoStatus, photoList),
    h(
      'details',
      { className: 'contact' },
      h('summary', {}, t('report.contactTitle')),
      h('label', { for: 'report-name' }, t('report.name')),
      contactName,
      h('label', { for: 'report-phone' }, t('report.phone')),
      contactPhone,
      h('label', { for: 'report-email' }, t('report.email')),
      contactEmail,
      h('div', { className: 'check' }, consent, h('label', { for: 'report-consent' }, t('report.consent'))),
    ),
    errors,
    h('div', { className: 'button-row' }, send, cancel),
  );

  category.addEventListener('change', () => actions.chooseCategory());
  fileInput.addEventListener('change', () => {
    const files = [...(fileInput.files ?? [])];
    // Emptied so that choosing the same file again (after removing it) is a change too.
    fileInput.value = '';
    actions.addPhotos(files);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    actions.submit();
  });
  cancel.addEventListener('click', () => actions.close());
  close.addEventListener('click', () => actions.close());

  replaceChildren(element, h('div', { className: 'dialog-header' }, h('h2', { id: 'report-form-title', tabindex: '-1' }, t('report.formTitle')), close), form);

  const statusBox = h('div', { className: 'submission-status', 'aria-live': 'polite' });
  let shownStatus = '';

  const photoProblemText = (problem: PhotoProblem) =>
    problem.kind === 'too-many'
      ? t('report.photoTooMany', { count: problem.max })
      : problem.kind === 'too-large'
        ? t('report.photoTooLarge', { name: problem.fileName, size: formatBytes(problem.bytes), max: formatBytes(problem.maxBytes) })
        : t('report.photoUnsupported', { name: problem.fileName });

  return {
    element,

    readFields(): ReportFields {
      return { category: category.value, description: description.value, name: contactName.value, phone: contactPhone.value, email: contactEmail.value, consentToContact: consent.checked };
    },

    /** The options, keeping the one chosen, and the chosen category's explanation (or why there are none). */
    renderCategories(categories: readonly Category[], failed: boolean) {
      const selected = category.value;
      replaceChildren(category, h('option', { value: '' }, t('report.categoryPlaceholder')), categories.map((item) => h('option', { value: item.code, selected: item.code === selected }, categoryName(item))));
      categoryNote.textContent = failed && categories.length === 0 ? t('report.categoriesFailed') : categoryDescription(findCategory(categories, category.value), getLanguage());
    },

    renderRouting(routing: RoutingState, place: Place) {
      if (routing.status === 'loaded') {
        const { preview } = routing;
        replaceChildren(
          routingBox,
          h(
            'dl',
            { className: 'facts' },
            h('dt', {}, t('report.commune')),
            h('dd', { className: 'routing-commune' }, preview.commune.name),
            h('dt', {}, t('report.office')),
            h('dd', { className: 'routing-office' }, getLanguage() === 'en' && preview.office.nameEn ? preview.office.nameEn : preview.office.name),
          ),
          preview.nearBorder && preview.neighbours.length ? h('p', { className: 'warning' }, t('report.nearBorder', { names: preview.neighbours.map((unit) => unit.name).join(', ') })) : null,
        );
        return;
      }
      const commune = locatedCommuneName(place.locate);
      const notice = routingNotice(routing, place.locate);
      replaceChildren(
        routingBox,
        h('dl', { className: 'facts' }, h('dt', {}, t('report.commune')), h('dd', { className: 'routing-commune' }, commune ?? '—')),
        notice === 'offline'
          ? h('p', { className: 'muted' }, t('report.routingOffline'))
          : notice === 'loading'
            ? h('p', { className: 'muted', role: 'status' }, t('report.routingLoading'))
            : notice === 'failed' && routing.status === 'failed'
              ? h('p', { className: 'error' }, describeError(routing.error))
              : h('p', { className: 'muted' }, t('report.routingPickCategory')),
      );
    },

    /** The open reports of the same category nearby, each to follow instead; or the one now followed. */
    renderNearby(nearby: readonly NearbyReport[], followed: string | undefined) {
      if (followed) return replaceChildren(nearbyBox, h('p', { className: 'success following' }, t('report.following', { code: followed })));
      if (nearby.length === 0) return replaceChildren(nearbyBox);
      replaceChildren(
        nearbyBox,
        h('h3', {}, t('report.nearbyTitle')),
        h('p', { className: 'muted' }, t('report.nearbyIntro')),
        h(
          'ul',
          { className: 'nearby-list' },
          nearby.map((report) => {
            const follow = h('button', { type: 'button', className: 'secondary-button follow-button' }, t('report.follow'));
            follow.addEventListener('click', () => {
              follow.disabled = true;
              void actions.follow(report).then((following) => {
                if (!following) follow.disabled = false;
              });
            });
            const show = h('button', { type: 'button', className: 'link-button' }, report.trackingCode);
            show.addEventListener('click', () => actions.showOnMap(report));
            return h(
              'li',
              { className: 'nearby-report', 'data-tracking-code': report.trackingCode },
              h('p', {}, show, ' · ', t(`status.${report.status}`), ' · ', t('report.nearbyDistance', { distance: formatDistance(report.distanceM) })),
              h('p', { className: 'muted' }, report.description),
              follow,
            );
          }),
        ),
      );
    },

    /** The photos added, what happened to those refused, and "send" held while photos are being prepared. */
    renderPhotos(photos: readonly FormPhoto[], preparing: number, problems: readonly PhotoProblem[]) {
      replaceChildren(
        photoList,
        photos.map((item, index) => {
          const remove = h('button', { type: 'button', className: 'photo-remove', 'aria-label': t('report.photoRemove', { index: index + 1 }) }, '×');
          remove.addEventListener('click', () => actions.removePhoto(item));
          return h(
            'li',
            { className: 'photo-item', 'data-strategy': item.photo.strategy, 'data-gps': String(item.photo.hasGps) },
            h('img', { src: item.previewUrl, alt: t('report.photoAlt', { index: index + 1 }), width: 96, height: 96 }),
            h('span', { className: 'muted photo-facts' }, `${formatBytes(item.photo.bytes.byteLength)} · ${item.photo.hasGps ? t('report.photoGps') : t('report.photoNoGps')}`),
            remove,
          );
        }),
      );
      photoStatus.textContent = preparing > 0 ? t('report.photoPreparing') : problems.map(photoProblemText).join(' ');
      send.disabled = preparing > 0;
    },

    focusPhotoInput() {
      fileInput.focus();
    },

    /** Lists what stops the report and moves to the first field concerned. */
    showProblems(problems: readonly ReportProblem[]) {
      replaceChildren(errors, h('ul', {}, problems.map((problem) => h('li', {}, t(problem)))));
      (problems.includes('report.missingCategory') ? category : description).focus();
    },

    showError(error: unknown) {
      replaceChildren(errors, h('p', {}, describeError(error)));
    },

    clearErrors() {
      replaceChildren(errors);
    },

    setSending(sending: boolean) {
      send.disabled = sending;
    },

    /** Replaces the form with the queued report's state, then follows it until it has a tracking code. */
    renderSubmitted(report: QueuedReport, submittedActions: SubmittedActions) {
      const state = report.state;
      if (shownStatus !== state.status) {
        shownStatus = state.status;
        replaceChildren(element, h('div', { className: 'dialog-header' }, h('h2', { id: 'report-form-title', tabindex: '-1' }, t(submissionTitleKey(state))), close), statusBox);
      }
      const again = h('button', { type: 'button', className: 'secondary-button' }, t('report.newReport'));
      again.addEventListener('click', () => submittedActions.newReport());
      if (state.status === 'sent') {
        const receipt = report.receipt!;
        const detail = h('button', { type: 'button', className: 'secondary-button view-detail' }, t('report.viewDetail'));
        detail.addEventListener('click', () => submittedActions.showDetail(receipt.trackingCode));
        replaceChildren(
          statusBox,
          h('p', { className: 'tracking-label' }, t('report.trackingCode')),
          h('p', { className: 'tracking-code', 'data-tracking-code': receipt.trackingCode }, receipt.trackingCode),
          h('p', {}, t('report.sentDetail', { office: receipt.office.name, due: formatDateTime(receipt.dueAt) })),
          h('p', { className: 'muted' }, t('report.keepCode')),
          h('div', { className: 'button-row' }, detail, again),
        );
      } else if (state.status === 'sending') {
        const percent = Math.round(state.progress * 100);
        replaceChildren(
          statusBox,
          h('p', { className: 'queue-state', 'data-state': 'sending' }, t('queue.sending', { percent })),
          h('progress', { max: 100, value: percent, 'aria-label': t('queue.sending', { percent }) }),
        );
      } else if (state.status === 'waiting') {
        const retry = h('button', { type: 'button', className: 'secondary-button' }, t('report.retry'));
        retry.addEventListener('click', () => submittedActions.retry());
        replaceChildren(
          statusBox,
          h('p', { className: 'queue-state', 'data-state': 'waiting' }, showsNextAttempt(state, globalThis.navigator.onLine) ? t('queue.retrying', { attempt: state.attempts, time: formatDateTime(state.nextAttemptAt) }) : t('queue.waiting')),
          h('div', { className: 'button-row' }, retry, again),
        );
      } else {
        const discard = h('button', { type: 'button', className: 'secondary-button' }, t('report.discard'));
        discard.addEventListener('click', () => submittedActions.discard(report));
        replaceChildren(
          statusBox,
          h('p', { className: 'queue-state error', 'data-state': 'failed' }, t('queue.failed', { message: refusalMessage(state, getLanguage()) })),
          h('p', { className: 'muted' }, t('queue.failedHint')),
          h('div', { className: 'button-row' }, discard, again),
        );
      }
    },
  };
}
