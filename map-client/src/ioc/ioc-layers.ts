import { HexagonLayer } from '@deck.gl/aggregation-layers';
import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Feature, FeatureCollection, Geometry, Point } from 'geojson';
import { densityColourRange, liveReportColour, newReportMs, onTimeColour } from './ioc-colours.ts';
import type { LiveReport } from './live-reports.ts';

export const iocLayerIds = { density: 'ioc-density', onTime: 'ioc-on-time', live: 'ioc-live-reports', livePulse: 'ioc-live-pulse' } as const;

export interface IocLayerData {
  communes: FeatureCollection<Geometry, { code: string; name: string }> | undefined;
  /** On-time rate by commune code. */
  onTimeRates: ReadonlyMap<string, number | null>;
  reportPoints: [number, number][];
  live: readonly LiveReport[];
}

export interface IocLayerVisibility {
  density: boolean;
  onTime: boolean;
  live: boolean;
}

/** The map layer the choropleth and the hexagons go under, so that commune names stay readable. */
export const iocLabelLayer = 'boundaries-commune-label';

/**
 * The density hexagons are 1.5 km wide: useful over the province, a blur over the streets. They fade
 * from zoom 12 and are gone from zoom 14, where the live points and the map itself say more.
 */
export const densityFade = { fullUntilZoom: 12, goneFromZoom: 14, opacity: 0.55 } as const;
export function densityOpacity(zoom: number): number {
  const share = (densityFade.goneFromZoom - zoom) / (densityFade.goneFromZoom - densityFade.fullUntilZoom);
  return densityFade.opacity * Math.min(1, Math.max(0, share));
}

export function buildIocLayers(data: IocLayerData, visible: IocLayerVisibility, now: number, beforeId: string | undefined, zoom = 0): Layer[] {
  // `beforeId` is read by @deck.gl/mapbox's interleaved mode; deck's own layer types do not declare it.
  const belowLabels = (beforeId ? { beforeId } : {}) as Record<string, unknown>;
  const layers: Layer[] = [];
  if (visible.onTime && data.communes) {
    layers.push(
      new GeoJsonLayer<{ code: string; name: string }>({
        id: iocLayerIds.onTime,
        data: data.communes,
        ...belowLabels,
        filled: true,
        stroked: true,
        pickable: true,
        getFillColor: (feature: Feature<Geometry, { code: string; name: string }>) => onTimeColour(data.onTimeRates.get(feature.properties.code)),
        getLineColor: [255, 255, 255, 200],
        lineWidthMinPixels: 1,
        updateTriggers: { getFillColor: [data.onTimeRates] },
      }) as unknown as Layer,
    );
  }
  const density = densityOpacity(zoom);
  if (visible.density && data.reportPoints.length && density > 0) {
    layers.push(
      new HexagonLayer<[number, number]>({
        id: iocLayerIds.density,
        data: data.reportPoints,
        ...belowLabels,
        getPosition: (point: [number, number]) => point,
        radius: 1500,
        coverage: 0.9,
        extruded: false,
        opacity: density,
        pickable: true,
        gpuAggregation: false,
        colorRange: densityColourRange,
        updateTriggers: { getPosition: [data.reportPoints.length] },
      }) as unknown as Layer,
    );
  }
  if (visible.live && data.live.length) {
    const fresh = data.live.filter((report) => now - report.arrivedAt < newReportMs);
    if (fresh.length) {
      // A ring that pulses around the reports that just arrived.
      const phase = (now % 1500) / 1500;
      layers.push(
        new ScatterplotLayer<LiveReport>({
          id: iocLayerIds.livePulse,
          data: fresh,
          getPosition: (report: LiveReport) => report.coordinates,
          getRadius: 8 + phase * 22,
          radiusUnits: 'pixels',
          stroked: true,
          filled: false,
          getLineColor: [233, 30, 99, Math.round(255 * (1 - phase))],
          lineWidthMinPixels: 2,
          updateTriggers: { getRadius: [phase], getLineColor: [phase] },
        }) as unknown as Layer,
      );
    }
    layers.push(
      new ScatterplotLayer<LiveReport>({
        id: iocLayerIds.live,
        data: data.live as LiveReport[],
        getPosition: (report: LiveReport) => report.coordinates,
        getRadius: (report: LiveReport) => (now - report.arrivedAt < newReportMs ? 10 : 6),
        radiusUnits: 'pixels',
        getFillColor: (report: LiveReport) => liveReportColour(report, now),
        stroked: true,
        getLineColor: [255, 255, 255, 255],
        lineWidthMinPixels: 2,
        pickable: true,
        updateTriggers: { getFillColor: [Math.floor(now / 5000), data.live], getRadius: [Math.floor(now / 5000), data.live] },
      }) as unknown as Layer,
    );
  }
  return layers;
}

/** Report points of an OGC API Features answer. */
export function pointsOf(collection: FeatureCollection<Point | null>): [number, number][] {
  return collection.features.flatMap((feature) => (feature.geometry?.type === 'Point' ? [feature.geometry.coordinates.slice(0, 2) as [number, number]] : []));
}
