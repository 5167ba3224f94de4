import type { MapOverlay, OverlayStyle, StyleContext } from '../map/map-overlay.ts';
import { palette } from '../map/map-colours.ts';

/**
 * Public citizen reports (phase 2 of issue 5 fills this in: filters by category, status and period,
 * the click to the public detail, and the live additions). For now: the tile contract drawn plainly —
 * clusters (`cluster`, `count`) when zoomed out, pins coloured by status, overdue ringed in red — offered only
 * once the platform serves the `reports` tile layer.
 */
export const reportsOverlay: MapOverlay = {
  id: 'reports',
  labelKey: 'layers.reports',
  tileLayers: ['reports'],
  visibleByDefault: true,
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
              'circle-radius': 6,
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
  legend() {
    return [
      { labelKey: 'legend.report.open', swatch: { kind: 'dot', colour: palette.report.open } },
      { labelKey: 'legend.report.resolved', swatch: { kind: 'dot', colour: palette.report.resolved } },
      { labelKey: 'legend.report.overdue', swatch: { kind: 'dot', colour: palette.report.open, outline: palette.report.overdue } },
      { labelKey: 'legend.report.cluster', swatch: { kind: 'dot', colour: palette.report.cluster } },
    ];
  },
};
