import type { PlanList } from '@bandoso/contracts';
import { replaceVectorSource } from '../map/replace-vector-source.ts';
import type { ExpressionSpecification, Map as MapLibreMap, VectorTileSource } from 'maplibre-gl';
import { fetchJson } from '../app/api-client.ts';
import type { LegendEntry, MapOverlay, OverlayStyle, StyleContext } from '../map/map-overlay.ts';
import { landUseColours, otherLandUseColour, palette } from '../map/map-colours.ts';

/** Land-use codes in legend order (gis-data/README.md). */
export const landUseCodes = ['DO', 'TMDV', 'HH', 'CQ', 'GD', 'YT', 'CX', 'MN', 'DT', 'GT', 'CN'] as const;

export const landUseFillColour: ExpressionSpecification = [
  'match',
  ['get', 'land_use_code'],
  ...landUseCodes.flatMap((code) => [code, landUseColours[code]!]),
  otherLandUseColour,
] as unknown as ExpressionSpecification;

/** Until the version in force is known, draw no zone rather than two versions on top of each other. */
const noVersionYet: ExpressionSpecification = ['==', ['get', 'plan_version'], '\u0000'];

export function versionFilter(version: string): ExpressionSpecification {
  return ['==', ['get', 'plan_version'], version];
}

export function zoneCodeFilter(version: string, zoneCodes: readonly string[]): ExpressionSpecification {
  return ['all', versionFilter(version), ['in', ['get', 'zone_code'], ['literal', [...zoneCodes]]]];
}

/** The planning zones of every plan version, styled by land use; one version is shown at a time. */
export const planningOverlay: MapOverlay = {
  id: 'planning',
  labelKey: 'layers.planning',
  tileLayers: ['planning-zones'],
  visibleByDefault: false,
  pickable: [{ layerId: 'planning-fill', kind: 'zone', idProperty: 'zone_code' }],
  style(context: StyleContext): OverlayStyle {
    return {
      sources: { 'planning-zones': { type: 'vector', url: context.tileJsonUrl('planning-zones') } },
      layers: [
        {
          slot: 'polygons',
          layer: {
            id: 'planning-fill',
            type: 'fill',
            source: 'planning-zones',
            'source-layer': 'planning-zones',
            filter: noVersionYet,
            paint: { 'fill-color': landUseFillColour, 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 11, 0.55, 15, 0.75] },
          },
        },
        {
          slot: 'lines',
          layer: {
            id: 'planning-line',
            type: 'line',
            source: 'planning-zones',
            'source-layer': 'planning-zones',
            filter: noVersionYet,
            paint: { 'line-color': '#5b5146', 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.3, 16, 1.2] },
          },
        },
        {
          slot: 'lines',
          layer: {
            id: 'planning-changed',
            type: 'line',
            source: 'planning-zones',
            'source-layer': 'planning-zones',
            filter: noVersionYet,
            layout: { 'line-join': 'round' },
            paint: { 'line-color': palette.changed, 'line-width': 3, 'line-dasharray': [2, 1] },
          },
        },
        {
          slot: 'lines',
          layer: {
            id: 'planning-selected',
            type: 'line',
            source: 'planning-zones',
            'source-layer': 'planning-zones',
            filter: noVersionYet,
            layout: { 'line-join': 'round' },
            paint: { 'line-color': palette.highlight, 'line-width': 4 },
          },
        },
        {
          slot: 'labels',
          layer: {
            id: 'planning-label',
            type: 'symbol',
            source: 'planning-zones',
            'source-layer': 'planning-zones',
            minzoom: 14,
            filter: noVersionYet,
            layout: { 'text-field': ['get', 'zone_code'], 'text-font': [context.config.fontStacks.regular], 'text-size': 11 },
            paint: { 'text-color': '#3b342c', 'text-halo-color': '#ffffff', 'text-halo-width': 1 },
          },
        },
      ],
    };
  },
  attach(map: MapLibreMap, context: StyleContext) {
    latestTileJson.set(map, context.tileJsonUrl('planning-zones'));
    // Draw the version in force of the (first) plan until a planner picks another.
    void fetchJson<PlanList>('/api/planning/plans')
      .then(({ plans }) => {
        const current = plans[0]?.currentVersion;
        if (current && shownVersion.get(map) === undefined) showPlanningVersion(map, current, true);
      })
      .catch(() => undefined);
  },
  legend(): LegendEntry[] {
    return [
      ...landUseCodes.map((code) => ({ labelKey: `landUse.${code}` as const, swatch: { kind: 'fill' as const, colour: landUseColours[code]! } })),
      { labelKey: 'legend.planning.changed', swatch: { kind: 'dashed', colour: palette.changed } },
    ];
  },
};

const shownVersion = new WeakMap<MapLibreMap, string>();
/** The layer's TileJSON: the tiles hold the version in force of each plan, or `?version=` another. */
const latestTileJson = new WeakMap<MapLibreMap, string>();

/**
 * Shows one version of the plans; clears the change and selection highlights of another version.
 * An older version comes from other tiles (`?version=`), so the source is pointed at them.
 */
export function showPlanningVersion(map: MapLibreMap, version: string, isLatest: boolean): void {
  shownVersion.set(map, version);
  const base = latestTileJson.get(map);
  const source = map.getSource<VectorTileSource>('planning-zones');
  if (base && source) {
    const url = isLatest ? base : `${base}?version=${encodeURIComponent(version)}`;
    replaceVectorSource(map, 'planning-zones', url);
  }
  for (const id of ['planning-fill', 'planning-line', 'planning-label']) if (map.getLayer(id)) map.setFilter(id, versionFilter(version));
  highlightChangedZones(map, version, []);
  highlightSelectedZone(map, version, null);
}

export function highlightChangedZones(map: MapLibreMap, version: string, zoneCodes: readonly string[]): void {
  if (map.getLayer('planning-changed')) map.setFilter('planning-changed', zoneCodes.length ? zoneCodeFilter(version, zoneCodes) : noVersionYet);
}

export function highlightSelectedZone(map: MapLibreMap, version: string, zoneCode: string | null): void {
  if (map.getLayer('planning-selected')) map.setFilter('planning-selected', zoneCode ? zoneCodeFilter(version, [zoneCode]) : noVersionYet);
}
