import './cameras.css';
import type { CameraStatusEventData } from '@bandoso/contracts';
import { describeError } from '../app/api-client.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { onLanguageChange, t } from '../app/i18n.ts';
import { connectLiveReports, type FeedState } from '../ioc/live-reports.ts';
import { cameraSummaryOf, loadCameras, type CameraSummary } from './camera-api.ts';
import { mountCameraPlayer, type CameraPlayer } from './camera-player.ts';
import { cameraSymbolUrl, knownCameraStatus } from './camera-symbols.ts';
import { putOnWall, readWallSelection, takeOffWall, wallLayouts, wallStorageKey, writeWallSelection, type WallLayout, type WallSelection } from './video-wall-selection.ts';

export interface VideoWallOptions {
  announce(message: string): void;
  /** The IOC's frame around the wall: back to the map, who is signed in, sign out. */
  header: HTMLElement;
}

/** What the browser tests can ask the wall. */
export interface VideoWallProbe {
  tiles(): { index: number; cameraId: string | null; state: string | undefined }[];
  cameras(): { id: string; code: string; status: string }[];
}

declare global {
  interface Window {
    bandosoVideoWall?: VideoWallProbe;
  }
}

interface Tile {
  element: HTMLLIElement;
  header: HTMLElement;
  body: HTMLElement;
  cameraId: string | null;
  player?: CameraPlayer;
}

/**
 * The IOC's video wall (`/ioc/cameras`): 4 or 9 tiles, each an independent, muted player of a camera
 * chosen from the list (or sent from the operations map with "add to the video wall"), with its own
 * state badge; one column on a phone. The cameras' health follows the live feed (`camera.status`).
 * Mounted over the map by the IOC view once an operator has signed in.
 */
export function mountVideoWall(host: HTMLElement, options: VideoWallOptions): { destroy(): void } {
  let selection: WallSelection = readWallSelection();
  let cameras: CameraSummary[] = [];
  let listState: 'loading' | 'loaded' | 'failed' = 'loading';
  let listError: unknown;
  let destroyed = false;
  const tiles: Tile[] = [];

  const title = h('h2', { id: 'video-wall-title', tabindex: '-1' }, t('wall.title'));
  const layoutChoice = h('fieldset', { className: 'wall-layout' });
  const listNote = h('p', { className: 'muted', role: 'status' });
  const list = h('ul', { className: 'wall-camera-list' });
  const listSummary = h('summary', {}, t('wall.cameras'));
  const listHint = h('p', { className: 'muted wall-hint' }, t('wall.camerasHint'));
  const listPanel = h('details', { className: 'wall-cameras', open: matchMedia('(min-width: 900px)').matches }, listSummary, listHint, listNote, list);
  const grid = h('ol', { className: 'wall-grid', 'aria-labelledby': 'video-wall-title' });
  const element = h(
    'section',
    { className: 'video-wall', 'aria-labelledby': 'video-wall-title' },
    h('div', { className: 'video-wall-header' }, title, layoutChoice, options.header),
    h('div', { className: 'video-wall-body' }, listPanel, grid),
  );

  const cameraById = (id: string | null) => (id ? cameras.find((camera) => camera.id === id) : undefined);

  const save = (next: WallSelection) => {
    selection = next;
    writeWallSelection(selection);
    render();
  };

  // ---- the layout choice and the list ---------------------------------------------------------------

  const renderLayoutChoice = () => {
    replaceChildren(
      layoutChoice,
      h('legend', {}, t('wall.layout')),
      wallLayouts.map((layout) => {
        const id = `wall-layout-${layout}`;
        const input = h('input', { type: 'radio', name: 'wall-layout', id, value: String(layout), checked: selection.layout === layout });
        input.addEventListener('change', () => {
          if (input.checked) save({ ...selection, layout: layout as WallLayout });
        });
        return h('span', { className: 'wall-layout-option' }, input, h('label', { for: id }, t(layout === 4 ? 'wall.layout4' : 'wall.layout9')));
      }),
    );
  };

  const renderList = () => {
    listSummary.textContent = t('wall.cameras');
    listHint.textContent = t('wall.camerasHint');
    listNote.textContent = listState === 'loading' ? t('wall.loading') : listState === 'failed' ? `${t('camera.listFailed')} ${describeError(listError)}` : cameras.length === 0 ? t('wall.none') : '';
    const shown = selection.tiles.slice(0, selection.layout);
    replaceChildren(
      list,
      cameras.map((camera) => {
        let add: HTMLElement;
        if (shown.includes(camera.id!)) {
          add = h('span', { className: 'wall-on-wall', title: t('wall.onWall') }, h('span', { 'aria-hidden': 'true' }, '✓'), h('span', { className: 'visually-hidden' }, t('wall.onWall')));
        } else {
          add = h('button', { type: 'button', className: 'secondary-button wall-add', 'aria-label': t('wall.add', { name: camera.name }), title: t('wall.add', { name: camera.name }) }, '+');
          add.addEventListener('click', () => {
            const { selection: next, result } = putOnWall(selection, camera.id!);
            if (result === 'full') options.announce(t('wall.full'));
            else save(next);
          });
        }
        return h(
          'li',
          { className: 'wall-camera', 'data-camera-id': camera.id, 'data-status': camera.status },
          h('img', { src: cameraSymbolUrl(camera.status), alt: '', width: 18, height: 18 }),
          h('span', { className: 'wall-camera-name' }, camera.name, h('span', { className: 'muted' }, ` · ${t(`camera.status.${camera.status}`)}`)),
          add,
        );
      }),
    );
  };

  // ---- the tiles ----------------------------------------------------------------------------------------

  const renderTile = (tile: Tile, index: number) => {
    const camera = cameraById(tile.cameraId);
    tile.element.dataset.index = String(index);
    if (tile.cameraId) tile.element.dataset.cameraId = tile.cameraId;
    else delete tile.element.dataset.cameraId;
    if (!camera) {
      tile.player?.destroy();
      tile.player = undefined;
      tile.element.className = 'wall-tile is-empty';
      tile.element.removeAttribute('aria-label');
      delete tile.element.dataset.status;
      replaceChildren(tile.header);
      replaceChildren(tile.body, h('p', { className: 'muted wall-empty' }, tile.cameraId && listState === 'loading' ? t('wall.loading') : t('wall.emptyTile')));
      return;
    }
    tile.element.className = 'wall-tile';
    tile.element.dataset.status = camera.status;
    tile.element.setAttribute('aria-label', t('wall.tileLabel', { index: index + 1, name: camera.name }));
    const remove = h('button', { type: 'button', className: 'wall-remove', 'aria-label': t('wall.remove', { name: camera.name }) }, '×');
    remove.addEventListener('click', () => save(takeOffWall(selection, index)));
    replaceChildren(
      tile.header,
      h('img', { src: cameraSymbolUrl(camera.status), alt: '', width: 16, height: 16 }),
      h('span', { className: 'wall-tile-name' }, camera.name),
      h('span', { className: 'muted wall-tile-health' }, t(`camera.status.${camera.status}`)),
      remove,
    );
    // The player is created once per camera in the tile, and never moved: a video taken out of the
    // page pauses.
    if (!tile.player) {
      tile.player = mountCameraPlayer({ id: camera.id!, name: camera.name }, { muted: true, controls: false });
      replaceChildren(tile.body, tile.player.element);
    }
  };

  const renderTiles = () => {
    grid.dataset.layout = String(selection.layout);
    for (let index = 0; index < Math.max(tiles.length, selection.layout); index += 1) {
      if (index >= selection.layout) {
        tiles[index]?.player?.destroy();
        tiles[index]?.element.remove();
        continue;
      }
      const cameraId = selection.tiles[index] ?? null;
      let tile = tiles[index];
      if (!tile) {
        const header = h('div', { className: 'wall-tile-header' });
        const body = h('div', { className: 'wall-tile-body' });
        tile = tiles[index] = { element: h('li', { className: 'wall-tile' }, header, body), header, body, cameraId };
        grid.append(tile.element);
      }
      if (tile.cameraId !== cameraId) {
        // Another camera in this tile: its own player, from the start.
        tile.player?.destroy();
        tile.player = undefined;
        tile.cameraId = cameraId;
      }
      renderTile(tile, index);
    }
    tiles.length = Math.min(tiles.length, selection.layout);
  };

  const render = () => {
    if (destroyed) return;
    title.textContent = t('wall.title');
    renderLayoutChoice();
    renderList();
    renderTiles();
  };

  // ---- data ---------------------------------------------------------------------------------------------

  const loadList = async () => {
    try {
      const collection = await loadCameras();
      if (destroyed) return;
      cameras = collection.features.map(cameraSummaryOf).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
      listState = 'loaded';
    } catch (error) {
      if (destroyed) return;
      listError = error;
      listState = cameras.length ? 'loaded' : 'failed';
    }
    render();
  };

  const onCameraStatus = ({ camera }: CameraStatusEventData) => {
    const known = cameras.find((item) => item.id === camera.id);
    if (!known) return;
    known.status = knownCameraStatus(camera.status);
    known.lastSeenAt = camera.lastSeenAt;
    if (selection.tiles.slice(0, selection.layout).includes(camera.id)) options.announce(t('wall.statusChanged', { name: known.name, status: t(`camera.status.${known.status}`) }));
    renderList();
    tiles.forEach((tile, index) => {
      if (tile.cameraId === camera.id) renderTile(tile, index);
    });
  };
  let feedState: FeedState = 'connecting';
  const feed = connectLiveReports(
    () => undefined,
    (state) => {
      // Back after an interruption: health changes meanwhile were not replayed; the list has them.
      if (state === 'open' && feedState === 'reconnecting') void loadList();
      feedState = state;
    },
    onCameraStatus,
  );
  const onStorage = (event: StorageEvent) => {
    // "Add to the video wall" in another tab.
    if (event.key === wallStorageKey) {
      selection = readWallSelection();
      render();
    }
  };
  addEventListener('storage', onStorage);
  const stopLanguage = onLanguageChange(render);

  host.append(element);
  render();
  title.focus();
  void loadList();

  window.bandosoVideoWall = {
    tiles: () => tiles.map((tile, index) => ({ index, cameraId: tile.cameraId, state: tile.player?.element.dataset.state })),
    cameras: () => cameras.map((camera) => ({ id: camera.id!, code: camera.code, status: camera.status })),
  };

  return {
    destroy() {
      destroyed = true;
      feed.close();
      stopLanguage();
      removeEventListener('storage', onStorage);
      for (const tile of tiles) tile.player?.destroy();
      element.remove();
      delete window.bandosoVideoWall;
    },
  };
}
