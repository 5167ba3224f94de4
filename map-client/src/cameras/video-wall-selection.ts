/**
 * Which cameras the video wall shows, kept on this device (localStorage) so that the wall opens as
 * it was left, and so that "add to the video wall" from a camera's panel on the operations map
 * reaches a wall open in another tab (the `storage` event).
 */
export const wallLayouts = [4, 9] as const;
export type WallLayout = (typeof wallLayouts)[number];

export interface WallSelection {
  layout: WallLayout;
  /** Camera ids by tile, nine places whatever the layout (the 4-tile layout shows the first four). */
  tiles: (string | null)[];
}

export const wallStorageKey = 'bandoso.videoWall';
const tileCount = 9;

export const emptyWallSelection = (): WallSelection => ({ layout: 4, tiles: Array<string | null>(tileCount).fill(null) });

export function parseWallSelection(raw: string | null | undefined): WallSelection {
  const empty = emptyWallSelection();
  if (!raw) return empty;
  try {
    const parsed = JSON.parse(raw) as Partial<WallSelection>;
    const layout = wallLayouts.includes(parsed.layout as WallLayout) ? (parsed.layout as WallLayout) : empty.layout;
    const tiles = Array.from({ length: tileCount }, (_, index) => {
      const id = Array.isArray(parsed.tiles) ? parsed.tiles[index] : null;
      return typeof id === 'string' && id ? id : null;
    });
    return { layout, tiles };
  } catch {
    return empty;
  }
}

export type PutOnWallResult = 'added' | 'already' | 'full';

/** Puts a camera in the first free tile of the layout shown. */
export function putOnWall(selection: WallSelection, cameraId: string): { selection: WallSelection; result: PutOnWallResult } {
  const shown = selection.tiles.slice(0, selection.layout);
  if (shown.includes(cameraId)) return { selection, result: 'already' };
  const free = shown.indexOf(null);
  if (free === -1) return { selection, result: 'full' };
  const tiles = [...selection.tiles];
  // A camera parked beyond the layout (from the 9-tile layout) moves, rather than showing twice later.
  const parked = tiles.indexOf(cameraId);
  if (parked !== -1) tiles[parked] = null;
  tiles[free] = cameraId;
  return { selection: { ...selection, tiles }, result: 'added' };
}

export function takeOffWall(selection: WallSelection, index: number): WallSelection {
  const tiles = [...selection.tiles];
  tiles[index] = null;
  return { ...selection, tiles };
}

export function readWallSelection(storage: Pick<Storage, 'getItem'> | undefined = safeStorage()): WallSelection {
  return parseWallSelection(storage?.getItem(wallStorageKey));
}

export function writeWallSelection(selection: WallSelection, storage: Pick<Storage, 'setItem'> | undefined = safeStorage()): void {
  try {
    storage?.setItem(wallStorageKey, JSON.stringify(selection));
  } catch {
    // Private browsing with no storage: the wall still works, for this visit.
  }
}

/** "Add to the video wall" from a camera's panel. */
export function addCameraToWall(cameraId: string): { result: PutOnWallResult; tiles: number } {
  const { selection, result } = putOnWall(readWallSelection(), cameraId);
  if (result === 'added') writeWallSelection(selection);
  return { result, tiles: selection.layout };
}

function safeStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
