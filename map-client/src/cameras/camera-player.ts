import './cameras.css';
import { h, replaceChildren } from '../app/dom.ts';
import { formatDateTime, formatNumber, onLanguageChange, t, type MessageKey } from '../app/i18n.ts';
import { navigateTo } from '../views/view.ts';
import { knownRewindMinutes, watchCamera } from './camera-api.ts';
import { playCameraStream, type StreamProblem, type StreamStatus } from './camera-stream-player.ts';

export interface CameraPlayerOptions {
  /** Replay from this time (ISO) instead of live. */
  from?: string;
  /** Start with the sound off (a wall's tiles; autoplay with sound is refused by browsers anyway). */
  muted?: boolean;
  /** The browser's video controls (pause, sound, full screen). */
  controls?: boolean;
}

export interface CameraPlayer {
  /** `.camera-player`, with `data-state`, `data-mode` (live | replay) and `data-delay-s` for the tests. */
  element: HTMLElement;
  status(): StreamStatus;
  destroy(): void;
}

const problemKeys: Partial<Record<StreamProblem, MessageKey>> = {
  network: 'player.problem.network',
  unreachable: 'player.problem.unreachable',
  media: 'player.problem.media',
  stalled: 'player.problem.stalled',
  error: 'player.problem.error',
  'not-found': 'player.notFound',
  unsupported: 'player.unsupported',
};

/**
 * One camera's picture with its state: a `<video>` played by hls.js (camera-stream-player.ts), a
 * badge (live / replay, reconnecting, offline… and how many seconds behind real time), and a line
 * that says what is wrong and what happens next. Used by the floating panel and by each tile of the
 * video wall; each player recovers on its own.
 */
export function mountCameraPlayer(camera: { id: string; name: string }, options: CameraPlayerOptions = {}): CameraPlayer {
  const video = h('video', { className: 'camera-video', playsinline: true, autoplay: true, muted: true, controls: options.controls ?? true, 'aria-label': t('player.videoLabel', { name: camera.name }) });
  // The attribute only sets the default; autoplay needs the property itself.
  video.muted = true;
  video.defaultMuted = options.muted ?? true;
  const stateLabel = h('span', { className: 'player-state' });
  const delayLabel = h('span', { className: 'player-delay' });
  const badge = h('p', { className: 'player-badge' }, stateLabel, delayLabel);
  const message = h('p', { className: 'player-message', role: 'status' });
  const element = h('div', { className: 'camera-player', 'data-state': 'connecting', 'data-mode': options.from ? 'replay' : 'live', 'data-delay-s': '' }, h('div', { className: 'camera-video-frame' }, video, badge), message);

  const render = (status: StreamStatus) => {
    element.dataset.state = status.state;
    element.dataset.mode = status.mode;
    element.dataset.delayS = status.delayS === undefined ? '' : String(status.delayS);
    if (status.problem) element.dataset.problem = status.problem;
    else delete element.dataset.problem;
    badge.dataset.state = status.state;
    stateLabel.textContent = t(status.state === 'live' && status.mode === 'replay' ? 'player.state.replay' : `player.state.${status.state}`);
    const seconds = status.delayS === undefined ? undefined : formatNumber(Math.round(status.delayS), 0);
    delayLabel.textContent = seconds !== undefined && (status.state === 'live' || status.state === 'paused' || status.state === 'reconnecting') ? ` · ${t('player.delay', { seconds })}` : '';
    if (seconds !== undefined) delayLabel.title = t('player.delayLabel', { seconds });
    replaceChildren(message, ...describeStatus({ ...status, rewindMinutes: status.rewindMinutes ?? knownRewindMinutes(camera.id) }, options.from));
  };

  const stream = playCameraStream({ video, ...(options.from ? { from: options.from } : {}), requestWatch: (from) => watchCamera(camera.id, from), onStatus: render });
  render(stream.status());
  const stopLanguage = onLanguageChange(() => {
    video.setAttribute('aria-label', t('player.videoLabel', { name: camera.name }));
    render(stream.status());
  });

  return {
    element,
    status: () => stream.status(),
    destroy() {
      stopLanguage();
      stream.destroy();
    },
  };
}

/** What the line under the picture says: the problem, what happens next, or where the replay started. */
function describeStatus(status: StreamStatus, from: string | undefined): (Node | string)[] {
  const retry = status.retryInS !== undefined ? ` ${t('player.retryIn', { seconds: status.retryInS })}` : '';
  switch (status.state) {
    case 'connecting':
    case 'paused':
      return [];
    case 'live':
      return status.mode === 'replay' && from ? [t('player.replayFrom', { time: formatDateTime(from) })] : [];
    case 'reconnecting':
    case 'offline': {
      if (status.problem === 'frozen') return [t('player.problem.frozen', { seconds: status.frozenForS ?? 0 }) + retry];
      const key = status.problem ? problemKeys[status.problem] : undefined;
      return [(key ? t(key) : '') + retry];
    }
    case 'denied': {
      const link = h('a', { href: '/ioc', className: 'player-sign-in' }, t('player.signIn'));
      link.addEventListener('click', (event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigateTo('/ioc');
      });
      return [t(status.problem === 'forbidden' ? 'player.forbidden' : 'player.signInRequired'), ' ', link];
    }
    case 'failed':
      if (status.problem === 'out-of-window') return [status.rewindMinutes !== undefined ? t('player.outOfWindow', { minutes: status.rewindMinutes }) : t('player.outOfWindowUnknown')];
      return [t((status.problem && problemKeys[status.problem]) || 'player.failed')];
  }
}
