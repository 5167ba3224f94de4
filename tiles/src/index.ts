/**
 * @bandoso/tiles: vector tiles and feature queries for every map layer. One layer registry, all tile
 * SQL, the two MVT encoders (ST_AsMVT on a server, vt-pbf on the embedded database), the tile cache
 * with its invalidation, and TileJSON.
 */
export {
  layerIds,
  listLayers,
  findLayer,
  layersFedBy,
  tileSourceTables,
  clusterFields,
  type LayerId,
  type LayerDefinition,
  type OrderKey,
  type LayerField,
  type LayerFilters,
  type LayerFilterName,
  type LayerFilterSpec,
  type LayerParameters,
  type TileSourceTable,
  type VectorFieldType,
} from './layer-registry.ts';
export {
  TILE_EXTENT,
  TILE_BUFFER,
  MAX_TILE_ZOOM,
  isTileInRange,
  tileBounds,
  tileContaining,
  tilesCovering,
  boundsIntersect,
  simplifyToleranceMeters,
  type TileAddress,
  type LonLatBounds,
} from './tile-coordinates.ts';
export { isClusterTile, CLUSTER_CELLS_PER_SIDE_LOG2 } from './tile-sql.ts';
export { createTileEncoder, serverTileEncoder, embeddedTileEncoder, type TileEncoder } from './tile-encoder.ts';
export { TileCache, type CachedTile } from './tile-cache.ts';
export { TileChangeTracker, parseDataChange, type DataChange, type SourceVersions } from './tile-change-tracker.ts';
export { SharedRead } from './shared-read.ts';
export { TileServer, strongEtag, readSourceVersions, readSourceVersionsAndPosition, type TileReplica, type TileServerOptions, type TileRequest, type TileResponse, type TileNotificationHandlers } from './tile-server.ts';
export { featuresQuery, featureCountQuery, featureByIdQuery, layerExtentQuery, POSITION, positionTypes, type FeatureSelection, type FeaturePage, type FeatureRow, type PagePosition } from './feature-sql.ts';
export { buildTileJson, vectorLayerFields, type TileJson } from './tilejson.ts';
export { decodeTile, ringArea, type DecodedFeature } from './tile-decoder.ts';
