import { foldVietnamese } from '@bandoso/gis-data';
import type { BasemapAreaKind, BasemapLineKind, BasemapPointKind } from '../../db/database-schema.ts';

/**
 * What the base map keeps of an OpenStreetMap feature, as `osmium export` gives it (GeoJSON with
 * `@type` and `@id` and the OSM tags as properties): the kind and class the style draws by (see the
 * contract in the layer registry), the name (Vietnamese: `name:vi` when given, else `name`), its
 * folded form for search, and the geometry as GeoJSON text (made valid by the database). Pure: no
 * database, no files.
 */

export const roadClasses = [
  'motorway',
  'trunk',
  'primary',
  'secondary',
  'tertiary',
  'unclassified',
  'residential',
  'living_street',
  'service',
  'track',
  'path',
  'footway',
  'cycleway',
  'pedestrian',
  'steps',
] as const;
export const railwayClasses = ['rail', 'light_rail', 'narrow_gauge', 'subway', 'tram', 'monorail', 'funicular'] as const;
export const waterwayClasses = ['river', 'stream', 'canal', 'drain', 'ditch'] as const;
export const placeClasses = ['province', 'state', 'city', 'town', 'village', 'hamlet', 'suburb', 'neighbourhood', 'isolated_dwelling', 'locality'] as const;
/** Tags whose value is a point of interest's class, in order of preference. */
export const poiKeys = ['tourism', 'historic', 'amenity', 'shop', 'office'] as const;
const parkValues = new Set(['park', 'garden', 'nature_reserve', 'recreation_ground', 'playground', 'pitch', 'golf_course', 'stadium', 'sports_centre']);
const naturalAreaValues = new Set(['wood', 'scrub', 'grassland', 'heath', 'wetland', 'bare_rock', 'scree', 'sand', 'beach', 'shingle', 'glacier', 'rock']);
const waterLanduse = new Set(['reservoir', 'basin']);
/** Values that say "not this" (building=no…) or carry no class. */
const ignoredValues = new Set(['no', 'none', 'disused', 'abandoned', 'proposed', 'construction', 'razed', 'demolished']);

export type LineRow = { table: 'basemap_line'; osmId: number | null; kind: BasemapLineKind; class: string; name: string | null; nameFolded: string | null; ref: string | null; geometry: string };
export type AreaRow = { table: 'basemap_area'; osmId: number | null; kind: BasemapAreaKind; class: string; name: string | null; nameFolded: string | null; geometry: string };
/** `pointOnSurface`: the geometry is an area whose label point the database computes. */
export type PointRow = { table: 'basemap_point'; osmId: number | null; kind: BasemapPointKind; class: string; name: string; nameFolded: string; geometry: string; pointOnSurface: boolean };
export type BasemapRow = LineRow | AreaRow | PointRow;

export interface OsmFeature {
  type: 'Feature';
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown> | null;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.replace(/\u0000/g, '').trim();
  return trimmed === '' ? null : trimmed;
}

/** A usable class value: lower case, one word; not "no", "disused"… */
function classValue(value: unknown): string | null {
  const word = text(value)?.toLowerCase();
  if (!word || ignoredValues.has(word) || !/^[a-z0-9_:-]{1,64}$/.test(word)) return null;
  return word;
}

/** The rows one OSM feature gives the base map: none, one, or two (a named museum building is a building and a point of interest). */
export function classifyOsmFeature(feature: OsmFeature): BasemapRow[] {
  const tags = feature.properties ?? {};
  const geometry = feature.geometry;
  if (!geometry) return [];
  const osmIdValue = tags['@id'];
  const osmId = typeof osmIdValue === 'number' && Number.isSafeInteger(osmIdValue) ? osmIdValue : null;
  const name = text(tags['name:vi']) ?? text(tags.name);
  const nameFolded = name === null ? null : foldVietnamese(name);
  const geometryText = JSON.stringify(geometry);
  const rows: BasemapRow[] = [];

  if (geometry.type === 'LineString' || geometry.type === 'MultiLineString') {
    const line = (kind: BasemapLineKind, lineClass: string, ref: string | null) =>
      rows.push({ table: 'basemap_line', osmId, kind, class: lineClass, name, nameFolded, ref, geometry: geometryText });
    const highway = classValue(tags.highway)?.replace(/_link$/, '');
    const railway = classValue(tags.railway);
    const waterway = classValue(tags.waterway);
    if (highway && (roadClasses as readonly string[]).includes(highway)) line('road', highway, text(tags.ref));
    else if (railway && (railwayClasses as readonly string[]).includes(railway)) line('railway', railway, text(tags.ref));
    else if (waterway && (waterwayClasses as readonly string[]).includes(waterway)) line('waterway', waterway, null);
    return rows;
  }

  if (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') {
    const area = (kind: BasemapAreaKind, areaClass: string) => rows.push({ table: 'basemap_area', osmId, kind, class: areaClass, name, nameFolded, geometry: geometryText });
    const building = classValue(tags.building);
    const natural = classValue(tags.natural);
    const landuse = classValue(tags.landuse);
    const leisure = classValue(tags.leisure);
    const waterway = classValue(tags.waterway);
    if (building) area('building', building);
    else if (natural === 'water' || waterway === 'riverbank' || (landuse && waterLanduse.has(landuse))) area('water', classValue(tags.water) ?? (waterway === 'riverbank' ? 'river' : landuse && waterLanduse.has(landuse) ? landuse : 'water'));
    else if (leisure && parkValues.has(leisure)) area('park', leisure);
    else if (landuse) area('landuse', landuse);
    else if (natural && naturalAreaValues.has(natural)) area('natural', natural);
    // A named area that is also a place or a point of interest: labelled at a point inside it.
    if (name && nameFolded) {
      const point = pointClass(tags);
      if (point) rows.push({ table: 'basemap_point', osmId, kind: point.kind, class: point.class, name, nameFolded, geometry: geometryText, pointOnSurface: true });
    }
    return rows;
  }

  if (geometry.type === 'Point' && name && nameFolded) {
    const point = pointClass(tags);
    if (point) rows.push({ table: 'basemap_point', osmId, kind: point.kind, class: point.class, name, nameFolded, geometry: geometryText, pointOnSurface: false });
  }
  return rows;
}

function pointClass(tags: Record<string, unknown>): { kind: BasemapPointKind; class: string } | null {
  const place = classValue(tags.place);
  if (place && (placeClasses as readonly string[]).includes(place)) return { kind: 'place', class: place === 'state' ? 'province' : place };
  for (const key of poiKeys) {
    const value = classValue(tags[key]);
    if (value && value !== 'yes') return { kind: 'poi', class: value };
  }
  return null;
}
