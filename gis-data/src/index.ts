/**
 * @bandoso/gis-data: the database-free half of the importer (read a GeoJSON or zipped shapefile,
 * validate, reproject to WGS 84, map properties to canonical attributes, report problems per
 * feature), the coordinate system registry, and Vietnamese text folding.
 */
export { importLayers } from './import/import-types.ts';
export type { AttributeValue, FeatureProblem, ImportLayer, PreparedFeature, PreparedFile, PrepareOptions } from './import/import-types.ts';
export { prepareImportData, prepareImportFile, describeLayer } from './import/prepare-import.ts';
export { layerSpecs, unitTypeLevels, hotlineByFacilityKind } from './import/layer-specs.ts';
export { describeJsonError } from './import/read-geojson.ts';
export type { AttributeSpec, AttributeType, LayerSpec } from './import/layer-specs.ts';

export { parseSourceSrs, findSourceSrs, describeAcceptedSourceSrs, sourceSrsDefinitions, sourceSrsValues, vietnamExtent, vn2000ToWgs84Helmert } from './crs/crs-registry.ts';
export type { SourceSrs, SourceSrsDefinition } from './crs/crs-registry.ts';
export { transformCoordinates, transformGeometry, createPositionTransformer } from './crs/coordinate-transform.ts';
export type { NestedPositions, PositionTransformer } from './crs/coordinate-transform.ts';
export { detectSrsFromPrj, detectSrsFromGeoJsonCrs } from './crs/prj-detection.ts';
export type { SrsDetection } from './crs/prj-detection.ts';

export { foldVietnamese } from './text/fold-vietnamese.ts';
