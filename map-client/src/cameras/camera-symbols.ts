import { cameraStatuses, type CameraStatus } from '@bandoso/contracts';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { palette } from '../map/map-colours.ts';

/**
 * How a camera's health looks, wherever it is drawn: on the map (MapLibre icons), in the legend and
 * in the player's badges (SVG). Each status has its own shape and inner mark as well as its colour,
 * so that it reads without colour (colour-blind people, a grey-scale printout, glare on a phone):
 * online a disc with a lens, degraded a warning triangle with "!", offline a hollow disc with "×",
 * maintenance a square with a bar.
 *
 * The shapes are SVG path data on a 24 × 24 box: the same strings draw the SVG and, through Path2D,
 * the canvas the map icons come from.
 */
export interface CameraSymbol {
  shape: string;
  fill: string;
  outline: string;
  outlineWidth: number;
  mark: string;
  markColour: string;
  /** The mark is a line of this width; otherwise it is filled. */
  markLineWidth?: number;
}

const disc = 'M12 3a9 9 0 1 1 0 18a9 9 0 1 1 0-18z';

export const cameraSymbols: Readonly<Record<CameraStatus, CameraSymbol>> = Object.freeze({
  online: { shape: disc, fill: palette.camera.online, outline: '#ffffff', outlineWidth: 2, mark: 'M12 8.5a3.5 3.5 0 1 1 0 7a3.5 3.5 0 1 1 0-7z', markColour: '#ffffff' },
  degraded: { shape: 'M12 2.5L22 20.5H2z', fill: palette.camera.degraded, outline: '#1f1d19', outlineWidth: 1.5, mark: 'M11 8.5h2v6h-2zM11 16h2v2h-2z', markColour: '#1f1d19' },
  offline: { shape: disc, fill: '#ffffff', outline: palette.camera.offline, outlineWidth: 2.5, mark: 'M8.5 8.5L15.5 15.5M15.5 8.5L8.5 15.5', markColour: palette.camera.offline, markLineWidth: 2.2 },
  maintenance: { shape: 'M4 4h16v16H4z', fill: palette.camera.maintenance, outline: '#ffffff', outlineWidth: 2, mark: 'M7 10.5h10v3H7z', markColour: '#ffffff' },
});

/** A status from the tiles or the API; anything unknown is drawn as offline (never as healthy). */
export function knownCameraStatus(status: unknown): CameraStatus {
  return cameraStatuses.includes(status as CameraStatus) ? (status as CameraStatus) : 'offline';
}

/** The symbol as an SVG document. */
export function cameraSymbolSvg(status: CameraStatus, size = 20): string {
  const symbol = cameraSymbols[status];
  const mark = symbol.markLineWidth
    ? `<path d="${symbol.mark}" fill="none" stroke="${symbol.markColour}" stroke-width="${symbol.markLineWidth}" stroke-linecap="round"/>`
    : `<path d="${symbol.mark}" fill="${symbol.markColour}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="${size}" height="${size}"><path d="${symbol.shape}" fill="${symbol.fill}" stroke="${symbol.outline}" stroke-width="${symbol.outlineWidth}" stroke-linejoin="round"/>${mark}</svg>`;
}

/** The symbol as a data URL, for an `<img>` (legend, badges). */
export function cameraSymbolUrl(status: CameraStatus, size = 20): string {
  return `data:image/svg+xml,${encodeURIComponent(cameraSymbolSvg(status, size))}`;
}

/** The map's icon name of a status (`icon-image`). */
export const cameraImageId = (status: CameraStatus) => `camera-status-${status}`;
const cameraImagePrefix = 'camera-status-';

/** The icons on the map are drawn at this many CSS pixels, and at twice that on the canvas (sharp on high-density screens). */
const iconCssPixels = 24;
const iconPixelRatio = 2;

function drawCameraIcon(status: CameraStatus): ImageData | undefined {
  const size = iconCssPixels * iconPixelRatio;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext('2d');
  if (!context) return undefined;
  const symbol = cameraSymbols[status];
  context.scale(size / 24, size / 24);
  context.lineJoin = 'round';
  context.lineCap = 'round';
  const shape = new Path2D(symbol.shape);
  context.fillStyle = symbol.fill;
  context.fill(shape);
  context.strokeStyle = symbol.outline;
  context.lineWidth = symbol.outlineWidth;
  context.stroke(shape);
  const mark = new Path2D(symbol.mark);
  if (symbol.markLineWidth) {
    context.strokeStyle = symbol.markColour;
    context.lineWidth = symbol.markLineWidth;
    context.stroke(mark);
  } else {
    context.fillStyle = symbol.markColour;
    context.fill(mark);
  }
  return context.getImageData(0, 0, size, size);
}

function addCameraIcon(map: MapLibreMap, status: CameraStatus): void {
  const id = cameraImageId(status);
  if (map.hasImage(id)) return;
  const image = drawCameraIcon(status);
  if (image) map.addImage(id, image, { pixelRatio: iconPixelRatio });
}

const mapsWithIcons = new WeakSet<MapLibreMap>();

/**
 * Puts the four icons in the map's style, now and whenever a new style asks for them again
 * (`styleimagemissing` fires while a tile is laid out, and an image added then is used at once).
 */
export function ensureCameraIcons(map: MapLibreMap): void {
  for (const status of cameraStatuses) addCameraIcon(map, status);
  if (mapsWithIcons.has(map)) return;
  mapsWithIcons.add(map);
  map.on('styleimagemissing', (event: { id: string }) => {
    if (!event.id.startsWith(cameraImagePrefix)) return;
    addCameraIcon(map, knownCameraStatus(event.id.slice(cameraImagePrefix.length)));
  });
}
