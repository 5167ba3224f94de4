import { closedReportStatuses, openReportStatuses, type ReportStatus } from '@bandoso/contracts';
import { replaceVectorSource } from '../map/replace-vector-source.ts';
import type { Map as MapLibreMap, MapGeoJSONFeature, PointLike } from 'maplibre-gl';
import type { MapOverlay, OverlayStyle, StyleContext } from '../map/map-overlay.ts';
import { palette } from '../map/map-colours.ts';

/** Which reports the map shows: filters of the `reports` tile layer (tiles/src/layer-registry.ts). */
export interface ReportFilters {
  category: string | undefined;
  /** open: every status still being handled; closed: rejected or duplicate. */
  statusGroup: 'open' | 'resolved' | 'closed' | undefined;
  /** Sent within the last N days. */
  periodDays: number | undefined;
}

export const noReportFilters: ReportFilters = Object.freeze({ category: undefined, statusGroup: undefined, periodDays: undefined });

const statusGroups: Record<NonNullable<ReportFilters['statusGroup']>, readonly ReportStatus[]> = {
  open: openReportStatuses,
  resolved: ['resolved'],
  closed: closedReportStatuses.filter((status) => status !== 'resolved'),
};

/** The calendar day in Vietnam `days` days before `now`, YYYY-MM-DD (the tiles count days in Vietnam time). */
export function vietnamDayBefore(now: Date, days: number): string {
  return new Date(now.getTime() + 7 * 3_600_000 - days * 86_400_000).toISOString().slice(0, 10);
}

/** The reports TileJSON URL with the filters as query parameters (the tiles it names carry them on). */
export function reportTileJsonUrl(baseUrl: string, filters: ReportFilters, now: Date = new Date()): string {
  const url = new URL(baseUrl);
  if (filters.category) url.searchParams.set('category', filters.category);
  if (filters.statusGroup) url.searchParams.set('status', statusGroups[filters.statusGroup].join(','));
  if (filters.periodDays) url.searchParams.set('from', vietnamDayBefore(now, filters.periodDays));
  return url.href;
}

/** Shows only the reports that pass the filters (the source asks for filtered tiles). */
export function applyReportFilters(map: MapLibreMap, baseUrl: string, filters: ReportFilters): void {
  replaceVectorSource(map, 'reports', reportTileJsonUrl(baseUrl, filters));
}

export type ReportHit = { kind: 'report'; trackingCode: string; coordinates: [number, number] } | { kind: 'cluster'; count: number; coordinates: [number, number] };

/** The report pin or cluster under a point of the screen, if any (pins win over clusters). */
export function reportAt(map: MapLibreMap, point: PointLike): ReportHit | undefined {
  const layers = ['reports-pin', 'reports-cluster'].filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
  if (layers.length === 0) return undefined;
  // A finger is not a mouse pointer: look a few pixels around the point.
  const [x, y] = Array.isArray(point) ? point : [point.x, point.y];
  const features: MapGeoJSONFeature[] = map.queryRenderedFeatures([[x - 8, y - 8], [x + 8, y + 8]], { layers });
  const pin = features.find((feature) => feature.layer.id === 'reports-pin' && typeof feature.properties.tracking_code === 'string');
  const pick = pin ?? features.find((feature) => feature.layer.id === 'reports-cluster');
  if (!pick || pick.geometry.type !== 'Point') return undefined;
  const coordinates = pick.geometry.coordinates as [number, number];
  if (pick === pin) return { kind: 'report', trackingCode: String(pin.properties.tracking_code), coordinates };
  return { kind: 'cluster', count: Number(pick.properties.count ?? 0), coordinates };
}

/**
 * Public citizen reports from the `reports` tiles: clusters (`cluster`, `count`) below zoom 13, pins
 * from there on, coloured by status, overdue ringed in red. The citizen view filters them
 * (applyReportFilters) and opens the public detail on a click (reportAt).
 */
export const reportsOverlay: MapOverlay = {
  id: 'reports',
  labelKey: 'layers.reports',
  tileLayers: ['reports'],
  visibleByDefault: true,
  pickable: [
    { layerId: 'reports-pin', kind: 'report', idProperty: 'tracking_code' },
    { layerId: 'reports-cluster', kind: 'cluster', idProperty: 'count' },
  ],
  style(context: StyleContext): OverlayStyle {
    const isCluster = ['to-boolean', ['get', 'cluster']];
    return {
      sources: { reports: { type: 'vector', url: context.tileJsonUrl('reports') } },
      layers: [
        {
          slot: 'points',
          layer: {
            id: 'reports-cluster',
            type: 'circle',
            source: 'reports',
            'source-layer': 'reports',
            filter: isCluster as never,
            paint: {
              'circle-color': palette.report.cluster,
              'circle-opacity': 0.85,
              'circle-radius': ['interpolate', ['linear'], ['get', 'count'], 1, 10, 100, 22, 1000, 30],
              'circle-stroke-color': '#ffffff',
              'circle-stroke-width': 2,
            },
          },
        },
        {
          slot: 'points',
          layer: {
            id: 'reports-pin',
            type: 'circle',
            source: 'reports',
            'source-layer': 'reports',
            filter: ['!', isCluster] as never,
            paint: {
              'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 6, 17, 9],
              'circle-color': [
                'case',
                ['==', ['get', 'status'], 'resolved'], palette.report.resolved,
                ['in', ['get', 'status'], ['literal', ['rejected', 'duplicate']]], palette.report.rejected,
                palette.report.open,
              ],
              'circle-stroke-color': ['case', ['to-boolean', ['get', 'overdue']], palette.report.overdue, '#ffffff'],
              'circle-stroke-width': ['case', ['to-boolean', ['get', 'overdue']], 3, 1.5],
            },
          },
        },
        {
          slot: 'labels',
          layer: {
            id: 'reports-cluster-count',
            type: 'symbol',
            source: 'reports',
            'source-layer': 'reports',
            filter: isCluster as never,
            layout: { 'text-field': ['to-string', ['get', 'count']], 'text-font': [context.config.fontStacks.bold], 'text-size': 12, 'text-allow-overlap': true },
            paint: { 'text-color': '#ffffff' },
          },
        },
      ],
    };
  },
  attach(map: MapLibreMap) {
    // Pins and clusters are clickable: say so with the pointer.
    for (const layer of ['reports-pin', 'reports-cluster']) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
    }
  },
  legend() {
    return [
      { labelKey: 'legend.report.open', swatch: { kind: 'dot', colour: palette.report.open } },
      { labelKey: 'legend.report.resolved', swatch: { kind: 'dot', colour: palette.report.resolved } },
      { labelKey: 'legend.report.overdue', swatch: { kind: 'dot', colour: palette.report.open, outline: palette.report.overdue } },
      { labelKey: 'legend.report.cluster', swatch: { kind: 'dot', colour: palette.report.cluster } },
    ];
  },
};
