import type { CameraStatusEventData } from '@bandoso/contracts';
import { describeError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { formatDateTime, onLanguageChange, t } from '../app/i18n.ts';
import { cameraSummaryOf, findCamera, type CameraSummary } from './camera-api.ts';
import { mountCameraPlayer, type CameraPlayer } from './camera-player.ts';
import { cameraSymbolUrl, knownCameraStatus } from './camera-symbols.ts';
import { addCameraToWall } from './video-wall-selection.ts';

export interface CameraPanelOptions {
  /** Replay from this time (ISO) instead of live. */
  from?: string;
  /** Opened by a signed-in operator (the IOC): offers "add to the video wall". */
  operator?: boolean;
}

interface OpenPanel {
  camera: CameraSummary;
  element: HTMLElement;
  render(): void;
  close(): void;
}

let open: OpenPanel | undefined;

/**
 * A camera's floating panel over the map: its name, health and last signal, and its picture
 * (camera-player.ts). One at a time; closing it (×, Escape) destroys the player, so the stream
 * stops being fetched. Tests find it as `.camera-panel[data-camera-code]`.
 */
export function showCameraPanel(camera: CameraSummary, options: CameraPanelOptions = {}): void {
  open?.close();
  const returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
  let current: CameraSummary = { ...camera };
  let from = options.from;
  let player: CameraPlayer | undefined;
  let closed = false;
  let note = '';

  const titleId = `camera-panel-title-${Math.random().toString(36).slice(2, 8)}`;
  const close = h('button', { type: 'button', className: 'dialog-close camera-panel-close', 'aria-label': t('camera.close') }, '×');
  const heading = h('h2', { id: titleId, tabindex: '-1' });
  const facts = h('p', { className: 'camera-facts muted' });
  const stage = h('div', { className: 'camera-stage' });
  const actions = h('div', { className: 'button-row camera-actions' });
  const noteLine = h('p', { className: 'muted camera-note', role: 'status' });
  const element = h('section', { className: 'panel camera-panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': titleId, 'data-camera-code': camera.code }, h('div', { className: 'dialog-header' }, heading, close), facts, stage, actions, noteLine);

  const render = () => {
    if (current.id) element.dataset.cameraId = current.id;
    element.dataset.cameraStatus = current.status;
    replaceChildren(heading, h('img', { className: 'camera-status-icon', src: cameraSymbolUrl(current.status), alt: '', width: 20, height: 20 }), ` ${current.name}`);
    replaceChildren(
      facts,
      h('span', { className: 'camera-health', 'data-status': current.status }, t('camera.health', { status: t(`camera.status.${current.status}`) })),
      current.lastSeenAt ? ` · ${t('camera.lastSeen', { time: formatDateTime(current.lastSeenAt) })}` : '',
      current.visibility === 'restricted' ? h('span', { className: 'camera-restricted' }, ` · ${t('camera.restricted')}`) : '',
      current.owner ? h('span', { className: 'camera-owner' }, ` · ${t('camera.owner', { owner: current.owner })}`) : '',
    );
    const buttons: HTMLButtonElement[] = [];
    if (from && current.id) {
      const live = h('button', { type: 'button', className: 'secondary-button' }, t('player.backToLive'));
      live.addEventListener('click', () => {
        from = undefined;
        startPlayer();
        render();
      });
      buttons.push(live);
    }
    if (options.operator && current.id) {
      const add = h('button', { type: 'button', className: 'secondary-button camera-add-to-wall' }, t('camera.addToWall'));
      add.addEventListener('click', () => {
        const { result, tiles } = addCameraToWall(current.id!);
        note = result === 'added' ? t('camera.addedToWall', { name: current.name }) : result === 'already' ? t('camera.alreadyOnWall', { name: current.name }) : t('camera.wallFull', { tiles });
        noteLine.textContent = note;
      });
      buttons.push(add);
    }
    replaceChildren(actions, buttons);
    noteLine.textContent = note;
  };

  const startPlayer = () => {
    player?.destroy();
    player = undefined;
    if (!current.id || closed) return;
    player = mountCameraPlayer({ id: current.id, name: current.name }, { ...(from ? { from } : {}), controls: true });
    replaceChildren(stage, player.element);
  };

  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') panel.close();
  };
  const stopLanguage = onLanguageChange(() => {
    close.setAttribute('aria-label', t('camera.close'));
    render();
  });
  const panel: OpenPanel = {
    get camera() {
      return current;
    },
    set camera(next) {
      current = next;
    },
    element,
    render,
    close() {
      if (closed) return;
      closed = true;
      player?.destroy();
      player = undefined;
      stopLanguage();
      element.removeEventListener('keydown', onKey);
      element.remove();
      if (open === panel) open = undefined;
      if (returnFocus?.isConnected) returnFocus.focus();
    },
  };
  open = panel;
  close.addEventListener('click', () => panel.close());
  element.addEventListener('keydown', onKey);

  render();
  (document.querySelector('.app-main') ?? document.body).append(element);
  heading.focus();

  if (current.id) {
    startPlayer();
    // The tiles carry what the icon needs; its owner and last signal come from the list.
    findCamera(camera.code)
      .then((feature) => {
        if (closed || !feature || feature.id !== current.id) return;
        current = { ...current, ...cameraSummaryOf(feature) };
        render();
      })
      .catch(() => undefined);
    return;
  }
  // A camera from the vector tiles: its id (and latest health) from the list this browser may watch.
  replaceChildren(stage, h('p', { className: 'muted', role: 'status' }, t('app.loading')));
  findCamera(camera.code)
    .then((feature) => {
      if (closed) return;
      if (!feature) {
        replaceChildren(stage, h('p', { className: 'error', role: 'alert' }, t('player.notFound')));
        return;
      }
      current = { ...current, ...cameraSummaryOf(feature) };
      render();
      startPlayer();
    })
    .catch((error: unknown) => {
      if (!closed) replaceChildren(stage, h('p', { className: 'error', role: 'alert' }, `${t('camera.listFailed')} ${describeError(error)}`));
    });
}

export function closeCameraPanel(): void {
  open?.close();
}

/** The live feed says a camera's health changed: the open panel follows if it is that camera. */
export function updateCameraPanelStatus({ camera }: CameraStatusEventData): void {
  if (!open || (open.camera.id !== camera.id && open.camera.code !== camera.code)) return;
  open.camera = { ...open.camera, status: knownCameraStatus(camera.status), lastSeenAt: camera.lastSeenAt };
  open.render();
}
