import type { Geometry } from 'geojson';
import type { SourceSrs } from '../crs/crs-registry.ts';

export type ImportLayer = 'communes' | 'province' | 'planning-zones' | 'heritage-sites' | 'cameras' | 'facilities';

export const importLayers: readonly ImportLayer[] = Object.freeze(['communes', 'province', 'planning-zones', 'heritage-sites', 'cameras', 'facilities']);

export type AttributeValue = string | number | boolean | null | Geometry;

export interface PreparedFeature {
  /** 0-based position in the file. */
  index: number;
  /** Human label used in messages: `feature #4 (code 03127 "Phường Điện Biên Phủ")`; # counts from 1. */
  label: string;
  /** WGS 84 lon/lat after reprojection, RFC 7946 order, 2D; Polygon layers always MultiPolygon. */
  geometry: Geometry;
  /** The layer's output attributes (see `layerSpecs[layer].outputAttributes`), coerced; absent optional ones are null. */
  attributes: Record<string, AttributeValue>;
  /** Source properties that no canonical attribute took, unchanged (JSON values), for a `properties` column. */
  extraProperties: Record<string, unknown>;
}

/** One thing wrong with the file. `index` null = a file-level problem (label is then the file name). */
export interface FeatureProblem {
  index: number | null;
  label: string;
  problem: string;
}

export interface PreparedFile {
  layer: ImportLayer;
  sourceSrs: SourceSrs;
  format: 'geojson' | 'shapefile';
  /** Features in the file, good and bad. */
  featureCount: number;
  /** Only the features without problems, in file order. */
  features: PreparedFeature[];
  problems: FeatureProblem[];
  /** Things worth telling the user that are not problems (the SRS read from a .prj, a DBF encoding, ignored Z values…). */
  notes: string[];
}

export interface PrepareOptions {
  layer: ImportLayer;
  /**
   * Source coordinate system (any value `parseSourceSrs` accepts). Default: the .prj of a shapefile or
   * the `crs` member of a GeoJSON file; else WGS 84. An unrecognised .prj without this is a problem.
   */
  srs?: string;
  /** Canonical attribute name → source property name, from CLI options like `--map code=MA_XA`. */
  propertyMap?: Record<string, string>;
  /** Encoding of a shapefile's .dbf (a TextDecoder label like 'windows-1258'); overrides its .cpg. Default: the .cpg, else UTF-8. */
  encoding?: string;
  /** Called every 500 features and once at the end. */
  onProgress?: (done: number, total: number) => void;
}
