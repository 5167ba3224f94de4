import { describeError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { asDateTime, asLocalized, formatBytes, formatDistance, localized, msg, t, type MessageKey } from '../app/i18n.ts';
import type { QueuedReport } from '../offline/local-database-schema.ts';
import { locatedCommuneName, type Place } from '../views/citizen-place.ts';
import { marked, markedLabel, inBothLanguages, type Params } from './marked-text.ts';
import type { Category, NearbyReport } from './report-api.ts';
import {
  findCategory,
  maxPhotos,
  routingNotice,
  showsNextAttempt,
  submissionTitleKey,
  validateReport,
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
 * (report-form-state.ts) when it changes. The fields keep what the person typed. Every text is
 * marked for translation (marked-text.ts), so the language toggle translates the open form, and
 * the screen that follows it once sent, without redrawing them.
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
  const send = marked('button', { type: 'submit', className: 'primary-button report-send' }, 'report.send');
  const cancel = marked('button', { type: 'button', className: 'secondary-button' }, 'report.cancel');
  const close = h('button', { type: 'button', className: 'dialog-close', ...markedLabel('citizen.close') }, '×');

  const form = h(
    'form',
    { className: 'report-form', novalidate: true, ...markedLabel('report.formLabel') },
    marked('h3', {}, 'report.routingTitle'),
    routingBox,
    marked('label', { for: 'report-category' }, 'report.category'),
    category,
    categoryNote,
    nearbyBox,
    marked('label', { for: 'report-description' }, 'report.description'),
    description,
    marked('p', { id: 'report-description-hint', className: 'muted' }, 'report.descriptionHint'),
    h('fieldset', { className: 'photos' }, marked('legend', {}, 'report.photos', { max: maxPhotos }), fileInput, marked('label', { for: 'report-photos', className: 'secondary-button add-photos' }, 'report.addPhotos'), photoStatus, photoList),
    h(
      'details',
      { className: 'contact' },
      marked('summary', {}, 'report.contactTitle'),
      marked('label', { for: 'report-name' }, 'report.name'),
      contactName,
      marked('label', { for: 'report-phone' }, 'report.phone'),
      contactPhone,
      marked('label', { for: 'report-email' }, 'report.email'),
      contactEmail,
      h('div', { className: 'check' }, consent, marked('label', { for: 'report-consent' }, 'report.consent')),
    ),
    errors,
    h('div', { className: 'button-row' }, send, cancel),
  );

  // What stops the report, each message under the form and tied to its field (aria-invalid,
  // aria-errormessage); a message goes as soon as its field is right, whichever field it is.
  const problemFields: Readonly<Record<ReportProblem, HTMLElement>> = { 'report.missingCategory': category, 'report.missingDescription': description };
  let shownProblems: ReportProblem[] = [];
  const renderProblems = (problems: readonly ReportProblem[]) => {
    shownProblems = [...problems];
    for (const [problem, field] of Object.entries(problemFields) as [ReportProblem, HTMLElement][]) {
      if (problems.includes(problem)) {
        field.setAttribute('aria-invalid', 'true');
        field.setAttribute('aria-errormessage', `${field.id}-problem`);
      } else {
        field.removeAttribute('aria-invalid');
        field.removeAttribute('aria-errormessage');
      }
    }
    replaceChildren(errors, problems.length ? h('ul', {}, problems.map((problem) => marked('li', { id: `${problemFields[problem].id}-problem`, 'data-problem': problem }, problem))) : null);
  };
  const recheck = () => {
    if (shownProblems.length === 0) return;
    const still = validateReport(readFields());
    const remaining = shownProblems.filter((problem) => still.includes(problem));
    if (remaining.length !== shownProblems.length) renderProblems(remaining);
  };
  form.addEventListener('input', recheck);
  form.addEventListener('change', recheck);
  const readFields = (): ReportFields => ({ category: category.value, description: description.value, name: contactName.value, phone: contactPhone.value, email: contactEmail.value, consentToContact: consent.checked });

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

  replaceChildren(element, h('div', { className: 'dialog-header' }, marked('h2', { id: 'report-form-title', tabindex: '-1' }, 'report.formTitle'), close), form);

  const statusBox = h('div', { className: 'submission-status', 'aria-live': 'polite' });
  let shownStatus = '';

  const bytes = (count: number) => inBothLanguages((language) => formatBytes(count, language));
  const photoProblem = (problem: PhotoProblem): [MessageKey, Params] =>
    problem.kind === 'too-many'
      ? ['report.photoTooMany', { count: problem.max }]
      : problem.kind === 'too-large'
        ? ['report.photoTooLarge', { name: problem.fileName, size: bytes(problem.bytes), max: bytes(problem.maxBytes) }]
        : ['report.photoUnsupported', { name: problem.fileName }];

  return {
    element,
    readFields,

    /** The options, keeping the one chosen, and the chosen category's explanation (or why there are none). */
    renderCategories(categories: readonly Category[], failed: boolean) {
      const selected = category.value;
      replaceChildren(
        category,
        marked('option', { value: '' }, 'report.categoryPlaceholder'),
        categories.map((item) => {
          const option = localized({ vi: item.nameVi, en: item.nameEn }, 'option');
          option.value = item.code;
          option.selected = item.code === selected;
          return option;
        }),
      );
      const chosen = findCategory(categories, category.value);
      replaceChildren(
        categoryNote,
        failed && categories.length === 0 ? msg('report.categoriesFailed') : chosen?.descriptionVi || chosen?.descriptionEn ? localized({ vi: chosen.descriptionVi ?? '', en: chosen.descriptionEn }) : null,
      );
    },

    renderRouting(routing: RoutingState, place: Place) {
      if (routing.status === 'loaded') {
        const { preview } = routing;
        replaceChildren(
          routingBox,
          h(
            'dl',
            { className: 'facts' },
            marked('dt', {}, 'report.commune'),
            h('dd', { className: 'routing-commune' }, preview.commune.name),
            marked('dt', {}, 'report.office'),
            h('dd', { className: 'routing-office' }, localized({ vi: preview.office.name, en: preview.office.nameEn })),
          ),
          preview.nearBorder && preview.neighbours.length ? marked('p', { className: 'warning' }, 'report.nearBorder', { names: preview.neighbours.map((unit) => unit.name).join(', ') }) : null,
        );
        return;
      }
      const commune = locatedCommuneName(place.locate);
      const notice = routingNotice(routing, place.locate);
      replaceChildren(
        routingBox,
        h('dl', { className: 'facts' }, marked('dt', {}, 'report.commune'), h('dd', { className: 'routing-commune' }, commune ?? '—')),
        notice === 'offline'
          ? marked('p', { className: 'muted' }, 'report.routingOffline')
          : notice === 'loading'
            ? marked('p', { className: 'muted', role: 'status' }, 'report.routingLoading')
            : notice === 'failed' && routing.status === 'failed'
              ? h('p', { className: 'error' }, describeError(routing.error))
              : marked('p', { className: 'muted' }, 'report.routingPickCategory'),
      );
    },

    /** The open reports of the same category nearby, each to follow instead; or the one now followed. */
    renderNearby(nearby: readonly NearbyReport[], followed: string | undefined) {
      if (followed) return replaceChildren(nearbyBox, marked('p', { className: 'success following' }, 'report.following', { code: followed }));
      if (nearby.length === 0) return replaceChildren(nearbyBox);
      replaceChildren(
        nearbyBox,
        marked('h3', {}, 'report.nearbyTitle'),
        marked('p', { className: 'muted' }, 'report.nearbyIntro'),
        h(
          'ul',
          { className: 'nearby-list' },
          nearby.map((report) => {
            const follow = marked('button', { type: 'button', className: 'secondary-button follow-button' }, 'report.follow');
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
              h('p', {}, show, ' · ', msg(`status.${report.status}`), ' · ', msg('report.nearbyDistance', { distance: inBothLanguages((language) => formatDistance(report.distanceM, language)) })),
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
          const remove = h('button', { type: 'button', className: 'photo-remove', ...markedLabel('report.photoRemove', { index: index + 1 }) }, '×');
          remove.addEventListener('click', () => actions.removePhoto(item));
          return h(
            'li',
            { className: 'photo-item', 'data-strategy': item.photo.strategy, 'data-gps': String(item.photo.hasGps) },
            h('img', { src: item.previewUrl, alt: t('report.photoAlt', { index: index + 1 }), width: 96, height: 96 }),
            h('span', { className: 'muted photo-facts' }, localized({ vi: formatBytes(item.photo.bytes.byteLength, 'vi'), en: formatBytes(item.photo.bytes.byteLength, 'en') }), ' · ', msg(item.photo.hasGps ? 'report.photoGps' : 'report.photoNoGps')),
            remove,
          );
        }),
      );
      replaceChildren(
        photoStatus,
        preparing > 0
          ? msg('report.photoPreparing')
          : problems.flatMap((problem, index) => {
              const [key, params] = photoProblem(problem);
              return [index > 0 ? ' ' : null, msg(key, params)];
            }),
      );
      send.disabled = preparing > 0;
    },

    focusPhotoInput() {
      fileInput.focus();
    },

    /** Lists what stops the report and moves to the first field concerned. */
    showProblems(problems: readonly ReportProblem[]) {
      renderProblems(problems);
      (problems.includes('report.missingCategory') ? category : description).focus();
    },

    showError(error: unknown) {
      replaceChildren(errors, h('p', {}, describeError(error)));
    },

    clearErrors() {
      renderProblems([]);
    },

    setSending(sending: boolean) {
      send.disabled = sending;
    },

    /** Replaces the form with the queued report's state, then follows it until it has a tracking code. */
    renderSubmitted(report: QueuedReport, submittedActions: SubmittedActions, officeNameEn?: string | null) {
      const state = report.state;
      if (shownStatus !== state.status) {
        shownStatus = state.status;
        replaceChildren(element, h('div', { className: 'dialog-header' }, marked('h2', { id: 'report-form-title', tabindex: '-1' }, submissionTitleKey(state)), close), statusBox);
      }
      const again = marked('button', { type: 'button', className: 'secondary-button' }, 'report.newReport');
      again.addEventListener('click', () => submittedActions.newReport());
      if (state.status === 'sent') {
        const receipt = report.receipt!;
        const detail = marked('button', { type: 'button', className: 'secondary-button view-detail' }, 'report.viewDetail');
        detail.addEventListener('click', () => submittedActions.showDetail(receipt.trackingCode));
        replaceChildren(
          statusBox,
          marked('p', { className: 'tracking-label' }, 'report.trackingCode'),
          h('p', { className: 'tracking-code', 'data-tracking-code': receipt.trackingCode }, receipt.trackingCode),
          marked('p', { className: 'sent-detail' }, 'report.sentDetail', { office: asLocalized({ vi: receipt.office.name, en: officeNameEn }), due: asDateTime(receipt.dueAt) }),
          marked('p', { className: 'muted' }, 'report.keepCode'),
          h('div', { className: 'button-row' }, detail, again),
        );
      } else if (state.status === 'sending') {
        const percent = Math.round(state.progress * 100);
        replaceChildren(
          statusBox,
          marked('p', { className: 'queue-state', 'data-state': 'sending' }, 'queue.sending', { percent }),
          h('progress', { max: 100, value: percent, ...markedLabel('queue.sending', { percent }) }),
        );
      } else if (state.status === 'waiting') {
        const retry = marked('button', { type: 'button', className: 'secondary-button' }, 'report.retry');
        retry.addEventListener('click', () => submittedActions.retry());
        replaceChildren(
          statusBox,
          showsNextAttempt(state, globalThis.navigator.onLine)
            ? marked('p', { className: 'queue-state', 'data-state': 'waiting' }, 'queue.retrying', { attempt: state.attempts, time: asDateTime(state.nextAttemptAt) })
            : marked('p', { className: 'queue-state', 'data-state': 'waiting' }, 'queue.waiting'),
          h('div', { className: 'button-row' }, retry, again),
        );
      } else {
        const discard = marked('button', { type: 'button', className: 'secondary-button' }, 'report.discard');
        discard.addEventListener('click', () => submittedActions.discard(report));
        replaceChildren(
          statusBox,
          marked('p', { className: 'queue-state error', 'data-state': 'failed' }, 'queue.failed', { message: asLocalized({ vi: state.messageVi ?? state.message, en: state.message }) }),
          marked('p', { className: 'muted' }, 'queue.failedHint'),
          h('div', { className: 'button-row' }, discard, again),
        );
      }
    },
  };
}
