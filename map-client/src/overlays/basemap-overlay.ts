import type { ExpressionSpecification, FilterSpecification } from 'maplibre-gl';
import type { LegendEntry, MapOverlay, OverlayStyle, SlottedLayer, StyleContext } from '../map/map-overlay.ts';

/** The base map's tile layers (tiles/src/layer-registry.ts, issue 16): one source each, named as the layer. */
export const basemapTileLayers = ['basemap-landuse', 'basemap-water', 'basemap-waterways', 'basemap-roads', 'basemap-buildings', 'basemap-places', 'basemap-pois'] as const;

/** The italic face of water names (map-client/glyphs; a server without it answers the regular face). */
export const italicFontStack = 'Noto Sans Italic';

/**
 * Muted on purpose: the platform's layers (communes, reports, planning) are the map's subject and
 * must stay readable on top. Greys and pale tints, blue for water, no saturated colour a report pin
 * or a land-use class could be mistaken for.
 */
export const basemapColours = Object.freeze({
  green: '#d7e5c6',
  forest: '#c9dcb8',
  farmland: '#ece8d4',
  residential: '#ebe6dc',
  industrial: '#e4dfe3',
  water: '#a9cbe2',
  waterLine: '#8cb8d8',
  waterLabel: '#3f6f94',
  building: '#dcd5ca',
  buildingOutline: '#c6bcae',
  majorRoad: '#f7e2b0',
  majorCasing: '#c9a56a',
  minorRoad: '#ffffff',
  minorRoadFar: '#d8d1c3',
  minorCasing: '#c2b9a9',
  path: '#a89f90',
  railway: '#9a948b',
  roadLabel: '#4a453d',
  placeLabel: '#3a362f',
  poi: '#8a7f70',
  labelHalo: '#fbfaf6',
});

const get = (field: string): ExpressionSpecification => ['get', field];
const classIn = (...classes: string[]): ExpressionSpecification => ['in', get('class'), ['literal', classes]];

const majorClasses = ['motorway', 'trunk', 'primary', 'secondary'];
const mediumClasses = ['tertiary'];
const minorClasses = ['unclassified', 'residential', 'living_street', 'service', 'pedestrian'];
const pathClasses = ['track', 'path', 'footway', 'cycleway', 'steps'];
const isRoad: ExpressionSpecification = ['==', get('kind'), 'road'];
const drivableRoad = ['all', isRoad, classIn(...majorClasses, ...mediumClasses, ...minorClasses)] as FilterSpecification;

/** A road's width in pixels at a zoom: the class's width at z16, scaled as the ground is (×2 per zoom above, ÷1.6 below). */
function roadWidth(atZ16: Record<string, number>, fallback: number, extra = 0): ExpressionSpecification {
  const byClass = (scale: number): ExpressionSpecification =>
    ['match', get('class'), ...Object.entries(atZ16).flatMap(([name, width]) => [name, Math.max(0.5, width * scale + extra)]), Math.max(0.5, fallback * scale + extra)] as unknown as ExpressionSpecification;
  return ['interpolate', ['exponential', 1.5], ['zoom'], 8, byClass(0.06), 12, byClass(0.25), 14, byClass(0.55), 16, byClass(1), 18, byClass(2.4), 19, byClass(3.4)];
}
const widthsAtZ16: Record<string, number> = { motorway: 12, trunk: 12, primary: 11, secondary: 10, tertiary: 9, unclassified: 7, residential: 7, living_street: 6, pedestrian: 6, service: 4.5 };

/** Major roads draw over minor ones where they meet. */
const roadSortKey = ['match', get('class'), 'motorway', 9, 'trunk', 8, 'primary', 7, 'secondary', 6, 'tertiary', 5, 'unclassified', 3, 'residential', 3, 'living_street', 2, 'pedestrian', 2, 1] as unknown as ExpressionSpecification;

const roadColour: ExpressionSpecification = [
  'interpolate',
  ['linear'],
  ['zoom'],
  13,
  ['match', get('class'), [...majorClasses, ...mediumClasses], basemapColours.majorRoad, basemapColours.minorRoadFar],
  14,
  ['match', get('class'), [...majorClasses, ...mediumClasses], basemapColours.majorRoad, basemapColours.minorRoad],
] as unknown as ExpressionSpecification;

const landuseColour = [
  'match',
  get('class'),
  ['park', 'garden', 'recreation_ground', 'grass', 'meadow', 'grassland', 'village_green', 'pitch', 'playground', 'cemetery', 'scrub', 'heath'],
  basemapColours.green,
  ['forest', 'wood', 'orchard'],
  basemapColours.forest,
  ['farmland', 'farmyard', 'paddy', 'rice', 'allotments', 'vineyard', 'plant_nursery'],
  basemapColours.farmland,
  ['industrial', 'commercial', 'retail', 'railway', 'military', 'construction', 'quarry', 'landfill'],
  basemapColours.industrial,
  ['wetland', 'water'],
  basemapColours.water,
  basemapColours.residential,
] as unknown as ExpressionSpecification;

const labelPaint = (colour: string) => ({ 'text-color': colour, 'text-halo-color': basemapColours.labelHalo, 'text-halo-width': 1.5, 'text-halo-blur': 0.5 });
/** The Vietnamese name (OSM `name`); a road without one shows its number (QL.279, …). */
const roadLabelText = ['coalesce', get('name'), get('ref'), ''] as unknown as ExpressionSpecification;

/**
 * The platform's own base map, from its OpenStreetMap import (issue 16; `npm run import -- basemap`):
 * land use, water, roads by class with casing from z14, railways, buildings from z15, and names in
 * Vietnamese. Every layer sits in the `basemap` slot, under every platform layer (their symbols are
 * placed first, so a commune name wins over a street name). Offered when the platform serves the
 * base map's tile layers; a deployment's own base map (`BASEMAP_STYLE_URL`) replaces it
 * (`composeWithBasemap` leaves it out). The sources' TileJSON carry "© OpenStreetMap contributors",
 * which MapLibre's attribution control shows while a base map layer is drawn.
 */
export const basemapOverlay: MapOverlay = {
  id: 'basemap',
  labelKey: 'basemap.layer',
  tileLayers: basemapTileLayers,
  visibleByDefault: true,
  isBasemap: true,
  style(context: StyleContext): OverlayStyle {
    const { regular, bold } = context.config.fontStacks;
    const sources: OverlayStyle['sources'] = {};
    for (const layer of basemapTileLayers) sources[layer] = { type: 'vector', url: context.tileJsonUrl(layer) };
    const layers: SlottedLayer['layer'][] = [
      {
        id: 'basemap-landuse-fill',
        type: 'fill',
        source: 'basemap-landuse',
        'source-layer': 'basemap-landuse',
        paint: { 'fill-color': landuseColour, 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 8, 0.5, 13, 0.9] },
      },
      {
        id: 'basemap-water-fill',
        type: 'fill',
        source: 'basemap-water',
        'source-layer': 'basemap-water',
        paint: { 'fill-color': basemapColours.water },
      },
      {
        id: 'basemap-waterway-line',
        type: 'line',
        source: 'basemap-waterways',
        'source-layer': 'basemap-waterways',
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: {
          'line-color': basemapColours.waterLine,
          'line-width': [
            'interpolate',
            ['exponential', 1.4],
            ['zoom'],
            10,
            ['match', get('class'), ['river', 'canal'], 1.2, 0.5],
            14,
            ['match', get('class'), ['river', 'canal'], 4, 1.5],
            17,
            ['match', get('class'), ['river', 'canal'], 14, 4],
          ] as unknown as ExpressionSpecification,
        },
      },
      {
        id: 'basemap-building-fill',
        type: 'fill',
        source: 'basemap-buildings',
        'source-layer': 'basemap-buildings',
        minzoom: 15,
        paint: { 'fill-color': basemapColours.building, 'fill-outline-color': basemapColours.buildingOutline, 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 15, 0.4, 16, 1] },
      },
      {
        id: 'basemap-path-line',
        type: 'line',
        source: 'basemap-roads',
        'source-layer': 'basemap-roads',
        minzoom: 14,
        filter: ['all', isRoad, classIn(...pathClasses)] as FilterSpecification,
        paint: { 'line-color': basemapColours.path, 'line-width': ['interpolate', ['linear'], ['zoom'], 14, 0.6, 18, 1.6], 'line-dasharray': [2, 1.5] },
      },
      {
        id: 'basemap-road-casing',
        type: 'line',
        source: 'basemap-roads',
        'source-layer': 'basemap-roads',
        minzoom: 14,
        filter: drivableRoad,
        layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': roadSortKey },
        paint: {
          'line-color': ['match', get('class'), [...majorClasses, ...mediumClasses], basemapColours.majorCasing, basemapColours.minorCasing] as unknown as ExpressionSpecification,
          'line-width': roadWidth(widthsAtZ16, 5, 2),
          'line-opacity': ['interpolate', ['linear'], ['zoom'], 14, 0, 14.5, 1],
        },
      },
      {
        id: 'basemap-road-line',
        type: 'line',
        source: 'basemap-roads',
        'source-layer': 'basemap-roads',
        filter: drivableRoad,
        layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': roadSortKey },
        paint: { 'line-color': roadColour, 'line-width': roadWidth(widthsAtZ16, 5) },
      },
      {
        id: 'basemap-railway-line',
        type: 'line',
        source: 'basemap-roads',
        'source-layer': 'basemap-roads',
        filter: ['==', get('kind'), 'railway'] as FilterSpecification,
        paint: { 'line-color': basemapColours.railway, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.8, 16, 2.5], 'line-dasharray': [4, 2] },
      },
      {
        id: 'basemap-waterway-label',
        type: 'symbol',
        source: 'basemap-waterways',
        'source-layer': 'basemap-waterways',
        minzoom: 12,
        filter: ['has', 'name'] as FilterSpecification,
        layout: { 'symbol-placement': 'line', 'text-field': get('name'), 'text-font': [italicFontStack], 'text-size': ['interpolate', ['linear'], ['zoom'], 12, 11, 17, 14], 'text-letter-spacing': 0.05, 'symbol-spacing': 350 },
        paint: labelPaint(basemapColours.waterLabel),
      },
      {
        id: 'basemap-water-label',
        type: 'symbol',
        source: 'basemap-water',
        'source-layer': 'basemap-water',
        minzoom: 13,
        filter: ['has', 'name'] as FilterSpecification,
        layout: { 'text-field': get('name'), 'text-font': [italicFontStack], 'text-size': 12, 'text-max-width': 8 },
        paint: labelPaint(basemapColours.waterLabel),
      },
      {
        id: 'basemap-road-label',
        type: 'symbol',
        source: 'basemap-roads',
        'source-layer': 'basemap-roads',
        // Street names as soon as a street is long enough on screen to carry one (line placement and
        // collision drop those that do not fit), as in the common web maps.
        minzoom: 12,
        filter: ['all', isRoad, ['any', ['has', 'name'], ['has', 'ref']]] as FilterSpecification,
        layout: {
          'symbol-placement': 'line',
          'text-field': roadLabelText,
          'text-font': [regular],
          'text-size': ['interpolate', ['linear'], ['zoom'], 12, 10, 16, 12.5, 18, 15],
          'text-padding': 2,
          'symbol-spacing': 300,
          'text-max-angle': 30,
          'symbol-sort-key': ['-', 0, roadSortKey] as unknown as ExpressionSpecification,
        },
        paint: labelPaint(basemapColours.roadLabel),
      },
      {
        id: 'basemap-poi-dot',
        type: 'circle',
        source: 'basemap-pois',
        'source-layer': 'basemap-pois',
        minzoom: 16,
        paint: { 'circle-radius': 3, 'circle-color': basemapColours.poi, 'circle-stroke-color': basemapColours.labelHalo, 'circle-stroke-width': 1 },
      },
      {
        id: 'basemap-poi-label',
        type: 'symbol',
        source: 'basemap-pois',
        'source-layer': 'basemap-pois',
        minzoom: 16,
        layout: { 'text-field': get('name'), 'text-font': [regular], 'text-size': 11, 'text-anchor': 'top', 'text-offset': [0, 0.5], 'text-max-width': 8, 'text-optional': true },
        paint: labelPaint(basemapColours.poi),
      },
      {
        id: 'basemap-place-minor-label',
        type: 'symbol',
        source: 'basemap-places',
        'source-layer': 'basemap-places',
        minzoom: 11,
        filter: classIn('village', 'hamlet', 'suburb', 'neighbourhood', 'quarter', 'locality', 'isolated_dwelling') as FilterSpecification,
        layout: { 'text-field': get('name'), 'text-font': [regular], 'text-size': ['interpolate', ['linear'], ['zoom'], 11, 11, 16, 14], 'text-max-width': 8, 'text-padding': 4 },
        paint: labelPaint(basemapColours.placeLabel),
      },
      {
        id: 'basemap-place-major-label',
        type: 'symbol',
        source: 'basemap-places',
        'source-layer': 'basemap-places',
        filter: classIn('province', 'state', 'city', 'town') as FilterSpecification,
        layout: {
          'text-field': get('name'),
          'text-font': [bold],
          'text-size': ['interpolate', ['linear'], ['zoom'], 8, ['match', get('class'), ['province', 'state'], 14, 12], 14, ['match', get('class'), ['province', 'state'], 18, 17]] as unknown as ExpressionSpecification,
          'text-max-width': 8,
          'text-padding': 6,
        },
        paint: labelPaint(basemapColours.placeLabel),
      },
    ];
    return { sources, layers: layers.map((layer) => ({ slot: 'basemap', layer })) };
  },
  legend(): LegendEntry[] {
    return [
      { labelKey: 'basemap.legend.road', swatch: { kind: 'line', colour: basemapColours.majorCasing } },
      { labelKey: 'basemap.legend.water', swatch: { kind: 'fill', colour: basemapColours.water } },
      { labelKey: 'basemap.legend.green', swatch: { kind: 'fill', colour: basemapColours.green } },
      { labelKey: 'basemap.legend.building', swatch: { kind: 'fill', colour: basemapColours.building, outline: basemapColours.buildingOutline } },
    ];
  },
};
