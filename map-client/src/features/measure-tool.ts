import { area as turfArea, length as turfLength, lineString, polygon } from '@turf/turf';
import type { GeoJSONSource, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { h, replaceChildren } from '../app/dom.ts';
import { formatArea, formatDistance, onLanguageChange, t } from '../app/i18n.ts';
import { palette } from '../map/map-colours.ts';

export type MeasureMode = 'distance' | 'area';

/** Geodesic length (m) of a path and area (m²) of a ring, with turf; pure, unit-tested. */
export function measure(mode: MeasureMode, points: readonly [number, number][]): number | undefined {
  if (mode === 'distance') return points.length >= 2 ? turfLength(lineString(points.map((point) => [...point])), { units: 'kilometers' }) * 1000 : undefined;
  if (points.length < 3) return undefined;
  const ring = [...points.map((point) => [...point]), [...points[0]!]];
  return turfArea(polygon([ring]));
}

const sourceId = 'measure';

/**
 * Measure a distance or an area by tapping points (or, from the keyboard, adding the map centre).
 * Draws on a GeoJSON source of its own; nothing leaves the browser.
 */
export interface MeasureTool {
  destroy(): void;
  /** A measurement is being drawn: map clicks belong to it. */
  readonly active: boolean;
}

export function mountMeasureTool(container: HTMLElement, map: MapLibreMap): MeasureTool {
  // What is measured and whether points are still being added are two things: after "Finish" an area
  // stays an area (closed, with its m²), it does not fall back to a path.
  let shape: MeasureMode = 'distance';
  let drawing = false;
  let points: [number, number][] = [];

  const ensureLayers = () => {
    if (map.getSource(sourceId)) return;
    map.addSource(sourceId, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({ id: 'measure-fill', type: 'fill', source: sourceId, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': palette.measure, 'fill-opacity': 0.15 } });
    map.addLayer({ id: 'measure-line', type: 'line', source: sourceId, filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': palette.measure, 'line-width': 2.5, 'line-dasharray': [2, 1] } });
    map.addLayer({ id: 'measure-point', type: 'circle', source: sourceId, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 5, 'circle-color': '#ffffff', 'circle-stroke-color': palette.measure, 'circle-stroke-width': 2 } });
  };

  const draw = () => {
    ensureLayers();
    const features: GeoJSON.Feature[] = points.map((point) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: point } }));
    if (points.length >= 2) {
      const closed = shape === 'area' && points.length >= 3;
      features.push({
        type: 'Feature',
        properties: {},
        geometry: closed ? { type: 'Polygon', coordinates: [[...points, points[0]!]] } : { type: 'LineString', coordinates: points },
      });
    }
    // setData resolves when the worker has the data; the map redraws by itself, nothing waits for it.
    void (map.getSource(sourceId) as GeoJSONSource).setData({ type: 'FeatureCollection', features });
  };

  const addPoint = (point: [number, number]) => {
    points = [...points, point];
    draw();
    render();
  };

  const onClick = (event: MapMouseEvent) => {
    if (!drawing) return;
    addPoint([event.lngLat.lng, event.lngLat.lat]);
  };

  const start = (next: MeasureMode) => {
    shape = next;
    drawing = true;
    points = [];
    draw();
    map.getCanvas().style.cursor = 'crosshair';
    render();
  };

  const stop = (clear: boolean) => {
    drawing = false;
    if (clear) points = [];
    draw();
    map.getCanvas().style.cursor = '';
    render();
  };

  const render = () => {
    const button = (labelKey: Parameters<typeof t>[0], onClick: () => void, extra: Record<string, string | boolean> = {}) => {
      const element = h('button', { type: 'button', ...extra }, t(labelKey));
      element.addEventListener('click', onClick);
      return element;
    };
    const value = measure(shape, points);
    const result =
      value === undefined
        ? null
        : shape === 'distance'
          ? t('measure.resultDistance', { value: formatDistance(value) })
          : t('measure.resultArea', { value: formatArea(value) });
    replaceChildren(
      container,
      h('h3', {}, t('measure.title')),
      h(
        'div',
        { className: 'button-row' },
        button('measure.distance', () => start('distance'), { 'aria-pressed': drawing && shape === 'distance' ? 'true' : 'false' }),
        button('measure.area', () => start('area'), { 'aria-pressed': drawing && shape === 'area' ? 'true' : 'false' }),
      ),
      drawing
        ? h(
            'div',
            { className: 'button-row' },
            button('measure.addCentre', () => {
              const centre = map.getCenter();
              addPoint([centre.lng, centre.lat]);
            }),
            button('measure.undo', () => {
              points = points.slice(0, -1);
              draw();
              render();
            }, { disabled: points.length === 0 }),
            button('measure.finish', () => stop(false)),
          )
        : null,
      drawing ? h('p', { className: 'muted' }, t(shape === 'distance' ? 'measure.hintDistance' : 'measure.hintArea'), ' ', t('measure.points', { count: points.length })) : null,
      result ? h('p', { className: 'measure-result', role: 'status' }, result) : null,
      !drawing && points.length ? button('measure.clear', () => stop(true)) : null,
    );
  };

  map.on('click', onClick);
  const stopLanguage = onLanguageChange(render);
  render();
  return {
    destroy() {
      map.off('click', onClick);
      stopLanguage();
      for (const id of ['measure-point', 'measure-line', 'measure-fill']) if (map.getLayer(id)) map.removeLayer(id);
      if (map.getSource(sourceId)) map.removeSource(sourceId);
      map.getCanvas().style.cursor = '';
    },
    get active() {
      return drawing;
    },
  };
}
