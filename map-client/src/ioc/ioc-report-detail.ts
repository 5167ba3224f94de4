import '../cameras/cameras.css';
import type { CameraStatusEventData } from '@bandoso/contracts';
import { describeError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { formatDateTime, formatDistance, t, type MessageKey } from '../app/i18n.ts';
import { cameraSummaryOf, knownRewindMinutes, loadCamerasSeeing, replayStart, type CamerasSeeing } from '../cameras/camera-api.ts';
import { openCameraPanel } from '../cameras/camera-loaders.ts';
import { cameraSymbolUrl, knownCameraStatus } from '../cameras/camera-symbols.ts';
import { iocText } from './ioc-messages.ts';
import type { LiveReport } from './live-reports.ts';

type SeeingState = { status: 'loading' } | { status: 'loaded'; cameras: CamerasSeeing['cameras'] } | { status: 'failed'; error: unknown };

export interface IocReportDetail {
  element: HTMLElement;
  show(report: LiveReport): void;
  /** Redraws (language, a newer version of the report from the feed). */
  update(report?: LiveReport): void;
  /** A camera's health changed (the live feed). */
  applyCameraStatus(event: CameraStatusEventData): void;
  close(): void;
  /** The tracking code shown, if any. */
  shown(): string | undefined;
}

/**
 * A report's details in the operations panel, opened from the live list or the map: what, where,
 * when, and the cameras whose field of view holds its place (`GET /api/cameras/seeing`, nearest
 * first), each to watch live or replayed from a little before the report was sent.
 */
export function createIocReportDetail(options: {
  nameOfCategory(code: string): string;
  flyTo(coordinates: [number, number]): void;
  /** Opens the report's page on the desk, to act on it. */
  open(report: LiveReport): void;
  onCameraError(error: unknown): void;
}): IocReportDetail {
  let report: LiveReport | undefined;
  let seeing: SeeingState = { status: 'loading' };
  let request: AbortController | undefined;
  const element = h('section', { className: 'ioc-report-detail', 'aria-labelledby': 'ioc-report-title', hidden: true });

  const renderCamera = (camera: CamerasSeeing['cameras'][number], shown: LiveReport) => {
    const summary = cameraSummaryOf(camera);
    const live = h('button', { type: 'button', className: 'seeing-watch', 'aria-label': t('seeing.watchLiveLabel', { name: summary.name }) }, t('seeing.watchLive'));
    live.addEventListener('click', () => openCameraPanel(summary, { operator: true, onError: options.onCameraError }));
    const start = replayStart(shown.createdAt, Date.now(), knownRewindMinutes(summary.id!));
    let replay: HTMLElement;
    if ('tooOld' in start) {
      replay = h('p', { className: 'muted seeing-too-old' }, t('seeing.tooOld', { minutes: start.rewindMinutes }));
    } else {
      replay = h('button', { type: 'button', className: 'seeing-replay', 'aria-label': t('seeing.replayLabel', { name: summary.name }), 'data-from': start.from }, t('seeing.replay'));
      replay.addEventListener('click', () => openCameraPanel(summary, { from: start.from, operator: true, onError: options.onCameraError }));
    }
    return h(
      'li',
      { className: 'seeing-camera', 'data-camera-id': summary.id, 'data-camera-code': summary.code, 'data-status': summary.status },
      h('p', { className: 'seeing-name' }, h('img', { src: cameraSymbolUrl(summary.status), alt: '', width: 18, height: 18 }), summary.name),
      h('p', {}, h('span', { className: 'seeing-distance' }, t('seeing.distance', { distance: formatDistance(camera.distanceM) })), ` · ${t(`camera.status.${summary.status}`)}`, summary.visibility === 'restricted' ? ` · ${t('camera.restricted')}` : ''),
      h('div', { className: 'button-row' }, live, replay),
    );
  };

  const render = () => {
    if (!report) {
      element.hidden = true;
      replaceChildren(element);
      delete element.dataset.trackingCode;
      return;
    }
    const shown = report;
    element.hidden = false;
    element.dataset.trackingCode = shown.trackingCode;
    const close = h('button', { type: 'button', className: 'dialog-close', 'aria-label': t('ioc.reportClose') }, '×');
    close.addEventListener('click', () => detail.close());
    const showOnMap = h('button', { type: 'button', className: 'link-button' }, t('ioc.showOnMap', { code: shown.trackingCode }));
    showOnMap.addEventListener('click', () => options.flyTo(shown.coordinates));
    const open = h('button', { type: 'button', className: 'primary-button open-report', 'aria-label': iocText.t('openReportLabel', { code: shown.trackingCode }) }, iocText.t('openReport'));
    open.addEventListener('click', () => options.open(shown));
    const fact = (label: MessageKey, value: string | Node) => [h('dt', {}, t(label)), h('dd', {}, value)];
    replaceChildren(
      element,
      h('div', { className: 'dialog-header' }, h('h3', { id: 'ioc-report-title', tabindex: '-1' }, t('ioc.reportTitle', { code: shown.trackingCode })), close),
      h(
        'dl',
        { className: 'facts' },
        fact('ioc.reportCategory', options.nameOfCategory(shown.category)),
        fact('ioc.reportStatus', h('span', {}, t(`status.${shown.status}` as MessageKey), shown.overdue ? h('span', { className: 'overdue-tag' }, ` · ${t('ioc.overdue')}`) : '')),
        fact('ioc.reportPlace', shown.commune),
        fact('ioc.reportOffice', shown.office),
        fact('ioc.reportSent', formatDateTime(shown.createdAt)),
      ),
      h('div', { className: 'button-row' }, open, showOnMap),
      h('h4', { className: 'seeing-title' }, t('seeing.title')),
      seeing.status === 'loading'
        ? h('p', { className: 'muted', role: 'status' }, t('seeing.loading'))
        : seeing.status === 'failed'
          ? h('p', { className: 'error', role: 'alert' }, `${t('camera.listFailed')} ${describeError(seeing.error)}`)
          : seeing.cameras.length === 0
            ? h('p', { className: 'muted seeing-none' }, t('seeing.none'))
            : h('ol', { className: 'seeing-list' }, seeing.cameras.map((camera) => renderCamera(camera, shown))),
    );
  };

  const loadSeeing = (shown: LiveReport) => {
    request?.abort();
    const controller = (request = new AbortController());
    seeing = { status: 'loading' };
    loadCamerasSeeing(shown.coordinates, controller.signal)
      .then((answer) => {
        if (controller.signal.aborted || report !== shown) return;
        // Nearest first, as the platform answers; sorted again in case it does not.
        seeing = { status: 'loaded', cameras: [...answer.cameras].sort((a, b) => a.distanceM - b.distanceM) };
        render();
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted || report !== shown) return;
        seeing = { status: 'failed', error };
        render();
      });
  };

  const detail: IocReportDetail = {
    element,
    show(next) {
      const same = report?.trackingCode === next.trackingCode;
      report = next;
      if (!same) loadSeeing(next);
      render();
      element.scrollIntoView?.({ block: 'nearest' });
      element.querySelector<HTMLElement>('h3')?.focus();
    },
    update(next) {
      if (next && report?.trackingCode !== next.trackingCode) return;
      if (next) report = next;
      render();
    },
    applyCameraStatus({ camera }) {
      if (seeing.status !== 'loaded') return;
      const seen = seeing.cameras.find((item) => item.id === camera.id);
      if (!seen) return;
      seen.properties = { ...seen.properties, status: knownCameraStatus(camera.status), lastSeenAt: camera.lastSeenAt };
      render();
    },
    close() {
      request?.abort();
      report = undefined;
      render();
    },
    shown: () => report?.trackingCode,
  };
  return detail;
}
