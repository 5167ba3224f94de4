import type { QueuedReport } from '../offline/local-database-schema.ts';
import { getReportStorage } from '../offline/report-queue-runtime.ts';
import type { Place } from '../views/citizen-place.ts';
import type { CitizenNavigator, CitizenScreen } from '../views/citizen-screens.ts';
import { followReport, listNearbyReports, loadCategories, previewRouting, type NearbyReport } from './report-api.ts';
import { choosePhotoFiles, findCategory, followedReportRecord, initialReportFormState, reportDraftFrom, validateReport, type FormPhoto, type PhotoProblem } from './report-form-state.ts';
import { createReportFormView, type SubmittedActions } from './report-form-view.ts';

const loadPhotoPreparation = () => import('../photos/photo-preparation.ts');

/**
 * The report form, for the pinned place: who will receive it (commune, then the office once a
 * category is chosen), the category, nearby open reports of that category (follow one instead of
 * sending a duplicate), the description, photos (prepared in the browser: photos/photo-preparation.ts)
 * and an optional contact. "Send" puts it in the offline queue, which sends it now or when the
 * connection returns; the form then follows that report's state until it has a tracking code.
 *
 * This module asks the platform (report-api.ts) and the device (the queue, "my reports") and keeps
 * the form's state (report-form-state.ts); report-form-view.ts draws it.
 */
export function createReportForm(navigator: CitizenNavigator, initialPlace: Place): CitizenScreen {
  const state = initialReportFormState(initialPlace);
  let nextPhotoId = 1;
  let requests: AbortController | undefined;
  let destroyed = false;
  let submitted: QueuedReport | undefined;
  let unsubscribe: (() => void) | undefined;

  const view = createReportFormView({
    chooseCategory() {
      renderCategories();
      void lookUp();
    },
    addPhotos: (files) => void addPhotos(files),
    removePhoto(photo) {
      URL.revokeObjectURL(photo.previewUrl);
      state.photos = state.photos.filter((other) => other.id !== photo.id);
      renderPhotos();
      view.focusPhotoInput();
    },
    follow: (report) => followNearby(report),
    showOnMap: (report) => navigator.flyTo(report.coordinates),
    submit: () => void submit(),
    close: () => navigator.showPlace(),
  });

  const chosenCategory = () => findCategory(state.categories, view.readFields().category);
  const renderCategories = () => view.renderCategories(state.categories, state.categoriesFailed);
  const renderRouting = () => view.renderRouting(state.routing, state.place);
  const renderNearby = () => view.renderNearby(state.nearby, state.followed);
  const renderPhotos = () => view.renderPhotos(state.photos, state.preparing, state.photoProblems);

  /** The office and the nearby reports for this place and category. */
  const lookUp = async () => {
    requests?.abort();
    state.nearby = [];
    state.followed = undefined;
    const code = view.readFields().category;
    if (!code) {
      state.routing = { status: 'idle' };
      renderRouting();
      renderNearby();
      return;
    }
    requests = new AbortController();
    const { signal } = requests;
    state.routing = { status: 'loading' };
    renderRouting();
    const [preview, found] = await Promise.allSettled([previewRouting(state.place.lngLat, code, signal), listNearbyReports(state.place.lngLat, code, signal)]);
    if (signal.aborted || destroyed) return;
    state.routing = preview.status === 'fulfilled' ? { status: 'loaded', preview: preview.value } : { status: 'failed', error: preview.reason };
    state.nearby = found.status === 'fulfilled' ? found.value : [];
    renderRouting();
    renderNearby();
  };

  const followNearby = async (report: NearbyReport): Promise<boolean> => {
    try {
      const result = await followReport(report.trackingCode);
      const { myReports } = await getReportStorage();
      await myReports.save(followedReportRecord(report, result.followerToken, chosenCategory(), state.routing, new Date().toISOString()));
      state.followed = report.trackingCode;
      navigator.announce({ key: 'report.following', params: { code: report.trackingCode } }, 'success');
      renderNearby();
      return true;
    } catch (error) {
      view.showError(error);
      return false;
    }
  };

  const addPhotos = async (files: File[]) => {
    const { accepted, problems } = choosePhotoFiles(files, state.photos.length, state.preparing);
    state.photoProblems = problems;
    if (accepted.length === 0) return renderPhotos();
    state.preparing += accepted.length;
    renderPhotos();
    const { preparePhoto, PhotoPreparationError, photoLimits } = await loadPhotoPreparation();
    await Promise.all(
      accepted.map(async (file) => {
        try {
          const photo = await preparePhoto(file);
          if (destroyed) return;
          state.photos.push({ id: nextPhotoId++, photo, previewUrl: URL.createObjectURL(new Blob([photo.bytes], { type: photo.type })) } satisfies FormPhoto);
        } catch (error) {
          const problem: PhotoProblem =
            error instanceof PhotoPreparationError && error.reason === 'too-large'
              ? { kind: 'too-large', fileName: error.fileName, bytes: error.bytes, maxBytes: photoLimits.maxUploadBytes }
              : { kind: 'unsupported', fileName: error instanceof PhotoPreparationError ? error.fileName : file.name };
          state.photoProblems.push(problem);
        } finally {
          state.preparing -= 1;
        }
      }),
    );
    if (!destroyed) renderPhotos();
  };

  const submittedActions: SubmittedActions = {
    newReport: () => navigator.showHome(),
    showDetail: (trackingCode) => navigator.showDetail(trackingCode),
    retry: () => void getReportStorage().then(({ queue }) => queue.flush({ force: true })),
    discard: (report) => void getReportStorage().then(({ queue }) => queue.remove(report.id)).then(() => navigator.showHome()),
  };
  // The queue announces the tracking code once sent (report-queue-runtime.ts), whatever screen is open.
  const renderSubmitted = (report: QueuedReport) => {
    const office = state.routing.status === 'loaded' && state.routing.preview.office.code === report.receipt?.office.code ? state.routing.preview.office : undefined;
    view.renderSubmitted(report, submittedActions, office?.nameEn);
  };

  const submit = async () => {
    const problems = validateReport(view.readFields());
    if (problems.length) return view.showProblems(problems);
    view.clearErrors();
    view.setSending(true);
    try {
      const { queue } = await getReportStorage();
      submitted = await queue.enqueue(reportDraftFrom(view.readFields(), state.place, state.photos, state.routing, chosenCategory()));
      for (const item of state.photos) URL.revokeObjectURL(item.previewUrl);
      state.photos = [];
      unsubscribe = queue.subscribe((reports) => {
        const mine = reports.find((report) => report.id === submitted?.id);
        if (mine && !destroyed) renderSubmitted(mine);
      });
      renderSubmitted(submitted);
    } catch (error) {
      view.setSending(false);
      view.showError(error);
    }
  };

  renderRouting();
  renderCategories();
  renderPhotos();
  void loadCategories()
    .then((loaded) => {
      state.categories = loaded;
    })
    .catch((error: unknown) => {
      state.categoriesFailed = Boolean(error);
    })
    .finally(() => {
      if (!destroyed) renderCategories();
    });

  return {
    element: view.element,
    setPlace(next) {
      // Once sent, a new tap starts from the place card again.
      if (submitted) return navigator.showPlace();
      state.place = next;
      renderRouting();
      if (view.readFields().category) void lookUp();
    },
    destroy() {
      destroyed = true;
      requests?.abort();
      unsubscribe?.();
      for (const item of state.photos) URL.revokeObjectURL(item.previewUrl);
    },
  };
}
