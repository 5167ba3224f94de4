import { describeError, NetworkError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { formatBytes, formatDateTime, formatDistance, getLanguage, t } from '../app/i18n.ts';
import { getReportStorage } from '../offline/report-queue-runtime.ts';
import type { QueuedReport } from '../offline/report-queue.ts';
import type { PreparedPhoto } from '../photos/photo-preparation.ts';
import type { CitizenNavigator, CitizenScreen, Place } from '../views/citizen-screens.ts';
import { categoryName, followReport, listNearbyReports, loadCategories, previewRouting, type Category, type NearbyReport, type RoutingPreview } from './report-api.ts';

const maxPhotos = 5;
const loadPhotoPreparation = () => import('../photos/photo-preparation.ts');

type Routing = { status: 'idle' } | { status: 'loading' } | { status: 'loaded'; preview: RoutingPreview } | { status: 'failed'; error: unknown };

interface PhotoItem {
  id: number;
  photo: PreparedPhoto;
  previewUrl: string;
}

/**
 * The report form, for the pinned place: who will receive it (commune, then the office once a
 * category is chosen), the category, nearby open reports of that category (follow one instead of
 * sending a duplicate), the description, photos (prepared in the browser: photos/photo-preparation.ts)
 * and an optional contact. "Send" puts it in the offline queue, which sends it now or when the
 * connection returns; the form then follows that report's state until it has a tracking code.
 */
export function createReportForm(navigator: CitizenNavigator, initialPlace: Place): CitizenScreen {
  let place = initialPlace;
  let categories: Category[] = [];
  let categoriesError: unknown;
  let routing: Routing = { status: 'idle' };
  let nearby: NearbyReport[] = [];
  let followed: string | undefined;
  let photos: PhotoItem[] = [];
  let photoMessages: string[] = [];
  let preparing = 0;
  let nextPhotoId = 1;
  let requests: AbortController | undefined;
  let destroyed = false;
  let submitted: QueuedReport | undefined;
  let unsubscribe: (() => void) | undefined;

  const element = h('section', { className: 'report-form-screen', 'aria-labelledby': 'report-form-title' });
  const routingBox = h('div', { className: 'routing', 'aria-live': 'polite' });
  const nearbyBox = h('div', { className: 'nearby', 'aria-live': 'polite' });
  const photoList = h('ul', { className: 'photo-list' });
  const photoStatus = h('p', { className: 'muted photo-status', role: 'status' });
  const errors = h('div', { className: 'form-errors', role: 'alert' });

  const category = h('select', { id: 'report-category', name: 'category', required: true, 'aria-describedby': 'report-category-note' });
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
    h('p', { id: 'report-category-note', className: 'muted' }),
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

  const renderCategories = () => {
    const selected = category.value;
    replaceChildren(category, h('option', { value: '' }, t('report.categoryPlaceholder')), categories.map((item) => h('option', { value: item.code, selected: item.code === selected }, categoryName(item))));
    const note = form.querySelector('#report-category-note')!;
    note.textContent = categoriesError && categories.length === 0 ? t('report.categoriesFailed') : (currentCategory()?.[getLanguage() === 'vi' ? 'descriptionVi' : 'descriptionEn'] ?? '');
  };
  const currentCategory = () => categories.find((item) => item.code === category.value);

  const renderRouting = () => {
    const locate = place.locate;
    const communeFromLocate = locate.status === 'loaded' ? locate.result.commune?.name : undefined;
    const rows: (HTMLElement | null)[] = [];
    if (routing.status === 'loaded') {
      const { preview } = routing;
      rows.push(
        h(
          'dl',
          { className: 'facts' },
          h('dt', {}, t('report.commune')),
          h('dd', { className: 'routing-commune' }, preview.commune.name),
          h('dt', {}, t('report.office')),
          h('dd', { className: 'routing-office' }, getLanguage() === 'en' && preview.office.nameEn ? preview.office.nameEn : preview.office.name),
        ),
      );
      if (preview.nearBorder && preview.neighbours.length) rows.push(h('p', { className: 'warning' }, t('report.nearBorder', { names: preview.neighbours.map((unit) => unit.name).join(', ') })));
    } else {
      rows.push(h('dl', { className: 'facts' }, h('dt', {}, t('report.commune')), h('dd', { className: 'routing-commune' }, communeFromLocate ?? '—')));
      const offline = (routing.status === 'failed' && routing.error instanceof NetworkError) || (locate.status === 'failed' && locate.error instanceof NetworkError);
      if (offline) rows.push(h('p', { className: 'muted' }, t('report.routingOffline')));
      else if (routing.status === 'loading') rows.push(h('p', { className: 'muted', role: 'status' }, t('report.routingLoading')));
      else if (routing.status === 'failed') rows.push(h('p', { className: 'error' }, describeError(routing.error)));
      else rows.push(h('p', { className: 'muted' }, t('report.routingPickCategory')));
    }
    replaceChildren(routingBox, rows);
  };

  const renderNearby = () => {
    if (followed) {
      replaceChildren(nearbyBox, h('p', { className: 'success following' }, t('report.following', { code: followed })));
      return;
    }
    if (nearby.length === 0) {
      replaceChildren(nearbyBox);
      return;
    }
    replaceChildren(
      nearbyBox,
      h('h3', {}, t('report.nearbyTitle')),
      h('p', { className: 'muted' }, t('report.nearbyIntro')),
      h(
        'ul',
        { className: 'nearby-list' },
        nearby.map((report) => {
          const follow = h('button', { type: 'button', className: 'secondary-button follow-button' }, t('report.follow'));
          follow.addEventListener('click', () => void followNearby(report, follow));
          const show = h('button', { type: 'button', className: 'link-button' }, report.trackingCode);
          show.addEventListener('click', () => navigator.flyTo(report.coordinates));
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
  };

  const followNearby = async (report: NearbyReport, button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      const result = await followReport(report.trackingCode);
      const { myReports } = await getReportStorage();
      await myReports.save({
        trackingCode: report.trackingCode,
        role: 'follower',
        token: result.followerToken,
        category: report.category,
        categoryName: currentCategory() ? categoryName(currentCategory()!) : report.category,
        description: report.description,
        officeName: routing.status === 'loaded' ? routing.preview.office.name : undefined,
        savedAt: new Date().toISOString(),
      });
      followed = report.trackingCode;
      navigator.announce(t('report.following', { code: report.trackingCode }));
      renderNearby();
    } catch (error) {
      button.disabled = false;
      replaceChildren(errors, h('p', {}, describeError(error)));
    }
  };

  /** The office and the nearby reports for this place and category. */
  const lookUp = async () => {
    requests?.abort();
    nearby = [];
    followed = undefined;
    const code = category.value;
    if (!code) {
      routing = { status: 'idle' };
      renderRouting();
      renderNearby();
      return;
    }
    requests = new AbortController();
    const { signal } = requests;
    routing = { status: 'loading' };
    renderRouting();
    const [preview, found] = await Promise.allSettled([previewRouting(place.lngLat, code, signal), listNearbyReports(place.lngLat, code, signal)]);
    if (signal.aborted || destroyed) return;
    routing = preview.status === 'fulfilled' ? { status: 'loaded', preview: preview.value } : { status: 'failed', error: preview.reason };
    nearby = found.status === 'fulfilled' ? found.value : [];
    renderRouting();
    renderNearby();
  };

  const renderPhotos = () => {
    replaceChildren(
      photoList,
      photos.map((item, index) => {
        const remove = h('button', { type: 'button', className: 'photo-remove', 'aria-label': t('report.photoRemove', { index: index + 1 }) }, '×');
        remove.addEventListener('click', () => {
          URL.revokeObjectURL(item.previewUrl);
          photos = photos.filter((other) => other.id !== item.id);
          renderPhotos();
          fileInput.focus();
        });
        return h(
          'li',
          { className: 'photo-item', 'data-strategy': item.photo.strategy, 'data-gps': String(item.photo.hasGps) },
          h('img', { src: item.previewUrl, alt: t('report.photoAlt', { index: index + 1 }), width: 96, height: 96 }),
          h('span', { className: 'muted photo-facts' }, `${formatBytes(item.photo.bytes.byteLength)} · ${item.photo.hasGps ? t('report.photoGps') : t('report.photoNoGps')}`),
          remove,
        );
      }),
    );
    photoStatus.textContent = preparing > 0 ? t('report.photoPreparing') : photoMessages.join(' ');
    send.disabled = preparing > 0;
  };

  const addPhotos = async (files: File[]) => {
    photoMessages = [];
    const room = maxPhotos - photos.length - preparing;
    if (files.length > room) photoMessages.push(t('report.photoTooMany', { max: maxPhotos }));
    const accepted = files.slice(0, Math.max(0, room));
    if (accepted.length === 0) return renderPhotos();
    preparing += accepted.length;
    renderPhotos();
    const { preparePhoto, PhotoPreparationError, photoLimits } = await loadPhotoPreparation();
    await Promise.all(
      accepted.map(async (file) => {
        try {
          const photo = await preparePhoto(file);
          if (destroyed) return;
          photos.push({ id: nextPhotoId++, photo, previewUrl: URL.createObjectURL(new Blob([photo.bytes], { type: photo.type })) });
        } catch (error) {
          if (error instanceof PhotoPreparationError) {
            photoMessages.push(
              error.reason === 'too-large'
                ? t('report.photoTooLarge', { name: error.fileName, size: formatBytes(error.bytes), max: formatBytes(photoLimits.maxUploadBytes) })
                : t('report.photoUnsupported', { name: error.fileName }),
            );
          } else photoMessages.push(t('report.photoUnsupported', { name: file.name }));
        } finally {
          preparing -= 1;
        }
      }),
    );
    if (!destroyed) renderPhotos();
  };

  const validate = (): string[] => {
    const problems: string[] = [];
    if (!category.value) problems.push(t('report.missingCategory'));
    if (description.value.trim().length < 5) problems.push(t('report.missingDescription'));
    return problems;
  };

  const submit = async () => {
    const problems = validate();
    if (problems.length) {
      replaceChildren(errors, h('ul', {}, problems.map((problem) => h('li', {}, problem))));
      (category.value ? description : category).focus();
      return;
    }
    replaceChildren(errors);
    send.disabled = true;
    try {
      const { queue } = await getReportStorage();
      const chosen = currentCategory();
      submitted = await queue.enqueue({
        category: category.value,
        description: description.value.trim(),
        location: { lon: place.lngLat[0], lat: place.lngLat[1], accuracyM: place.accuracyM },
        photos: photos.map((item) => ({ name: item.photo.name, type: item.photo.type, bytes: item.photo.bytes })),
        contact: { name: contactName.value.trim() || undefined, phone: contactPhone.value.trim() || undefined, email: contactEmail.value.trim() || undefined, consentToContact: consent.checked },
        label: { categoryName: chosen ? categoryName(chosen) : category.value, placeName: routing.status === 'loaded' ? routing.preview.commune.name : place.locate.status === 'loaded' ? place.locate.result.commune?.name : undefined },
      });
      for (const item of photos) URL.revokeObjectURL(item.previewUrl);
      photos = [];
      unsubscribe = queue.subscribe((reports) => {
        const mine = reports.find((report) => report.id === submitted?.id);
        if (mine && !destroyed) renderSubmitted(mine);
      });
      renderSubmitted(submitted);
    } catch (error) {
      send.disabled = false;
      replaceChildren(errors, h('p', {}, describeError(error)));
    }
  };

  const statusBox = h('div', { className: 'submission-status', 'aria-live': 'polite' });
  let lastStatus = '';
  const renderSubmitted = (report: QueuedReport) => {
    const state = report.state;
    if (lastStatus !== state.status) {
      lastStatus = state.status;
      replaceChildren(element, h('div', { className: 'dialog-header' }, h('h2', { id: 'report-form-title', tabindex: '-1' }, state.status === 'sent' ? t('report.sentTitle') : state.status === 'failed' ? t('report.failedTitle') : t('report.queuedTitle')), close), statusBox);
    }
    const again = h('button', { type: 'button', className: 'secondary-button' }, t('report.newReport'));
    again.addEventListener('click', () => navigator.showHome());
    if (state.status === 'sent') {
      const receipt = report.receipt!;
      const detail = h('button', { type: 'button', className: 'secondary-button view-detail' }, t('report.viewDetail'));
      detail.addEventListener('click', () => navigator.showDetail(receipt.trackingCode));
      replaceChildren(
        statusBox,
        h('p', { className: 'tracking-label' }, t('report.trackingCode')),
        h('p', { className: 'tracking-code', 'data-tracking-code': receipt.trackingCode }, receipt.trackingCode),
        h('p', {}, t('report.sentDetail', { office: receipt.office.name, due: formatDateTime(receipt.dueAt) })),
        h('p', { className: 'muted' }, t('report.keepCode')),
        h('div', { className: 'button-row' }, detail, again),
      );
      navigator.announce(t('queue.sent', { code: receipt.trackingCode }));
    } else if (state.status === 'sending') {
      const percent = Math.round(state.progress * 100);
      replaceChildren(
        statusBox,
        h('p', { className: 'queue-state', 'data-state': 'sending' }, t('queue.sending', { percent })),
        h('progress', { max: 100, value: percent, 'aria-label': t('queue.sending', { percent }) }),
      );
    } else if (state.status === 'waiting') {
      const retry = h('button', { type: 'button', className: 'secondary-button' }, t('report.retry'));
      retry.addEventListener('click', () => void getReportStorage().then(({ queue }) => queue.flush({ force: true })));
      replaceChildren(
        statusBox,
        h('p', { className: 'queue-state', 'data-state': 'waiting' }, state.attempts > 0 && state.nextAttemptAt && globalThis.navigator.onLine ? t('queue.retrying', { attempt: state.attempts, time: formatDateTime(state.nextAttemptAt) }) : t('queue.waiting')),
        h('div', { className: 'button-row' }, retry, again),
      );
    } else {
      const discard = h('button', { type: 'button', className: 'secondary-button' }, t('report.discard'));
      discard.addEventListener('click', () => void getReportStorage().then(({ queue }) => queue.remove(report.id)).then(() => navigator.showHome()));
      replaceChildren(
        statusBox,
        h('p', { className: 'queue-state error', 'data-state': 'failed' }, t('queue.failed', { message: getLanguage() === 'vi' ? (state.messageVi ?? state.message) : state.message })),
        h('p', { className: 'muted' }, t('queue.failedHint')),
        h('div', { className: 'button-row' }, discard, again),
      );
    }
  };

  category.addEventListener('change', () => {
    renderCategories();
    void lookUp();
  });
  fileInput.addEventListener('change', () => {
    const files = [...(fileInput.files ?? [])];
    fileInput.value = '';
    void addPhotos(files);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submit();
  });
  cancel.addEventListener('click', () => navigator.showPlace());
  close.addEventListener('click', () => navigator.showPlace());

  replaceChildren(element, h('div', { className: 'dialog-header' }, h('h2', { id: 'report-form-title', tabindex: '-1' }, t('report.formTitle')), close), form);
  renderRouting();
  renderCategories();
  renderPhotos();
  void loadCategories()
    .then((loaded) => {
      categories = loaded;
    })
    .catch((error: unknown) => {
      categoriesError = error;
    })
    .finally(() => {
      if (!destroyed) renderCategories();
    });

  return {
    element,
    setPlace(next) {
      // Once sent, a new tap starts from the place card again.
      if (submitted) return navigator.showPlace();
      place = next;
      renderRouting();
      if (category.value) void lookUp();
    },
    destroy() {
      destroyed = true;
      requests?.abort();
      unsubscribe?.();
      for (const item of photos) URL.revokeObjectURL(item.previewUrl);
    },
  };
}
