import { clusterFields, type LayerDefinition, type VectorFieldType } from './layer-registry.ts';
import type { LonLatBounds } from './tile-coordinates.ts';

/** TileJSON 3.0.0 (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0), what MapLibre reads. */
export interface TileJson {
  tilejson: '3.0.0';
  name: string;
  description: string;
  version: string;
  attribution: string;
  scheme: 'xyz';
  tiles: string[];
  minzoom: number;
  maxzoom: number;
  bounds: LonLatBounds;
  center: [number, number, number];
  vector_layers: Array<{ id: string; description: string; minzoom: number; maxzoom: number; fields: Record<string, VectorFieldType> }>;
}

/** Field names and types a layer's tiles may hold (clustered tiles add the cluster fields). */
export function vectorLayerFields(layer: LayerDefinition): Record<string, VectorFieldType> {
  const fields: Record<string, VectorFieldType> = {};
  for (const field of layer.fields) if (field.only !== 'features') fields[field.name] = field.type;
  if (layer.clusters) for (const field of clusterFields) fields[field.name] = field.type;
  return fields;
}

/**
 * The TileJSON of one layer. `tileUrlTemplate` is the absolute `{z}/{x}/{y}` URL (with the request's
 * filters, so a map asking for a filtered TileJSON gets filtered tiles).
 */
export function buildTileJson(layer: LayerDefinition, tileUrlTemplate: string, bounds: LonLatBounds): TileJson {
  const centerZoom = Math.min(layer.maxzoom, Math.max(layer.minzoom, 9));
  return {
    tilejson: '3.0.0',
    name: layer.title,
    description: layer.description,
    version: '1.0.0',
    attribution: layer.attribution,
    scheme: 'xyz',
    tiles: [tileUrlTemplate],
    minzoom: layer.minzoom,
    maxzoom: layer.maxzoom,
    bounds,
    center: [round((bounds[0] + bounds[2]) / 2), round((bounds[1] + bounds[3]) / 2), centerZoom],
    vector_layers: [{ id: layer.id, description: layer.description, minzoom: layer.minzoom, maxzoom: layer.maxzoom, fields: vectorLayerFields(layer) }],
  };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
