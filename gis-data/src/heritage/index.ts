/**
 * Heritage in 3D: the procedural 3D Tiles generator of the relic sites, the rules a tileset must
 * pass (generated or imported), and helpers to read and version a tileset folder.
 */
export { ensureHeritageTilesets, defaultHeritageBuildDir, readSitePositions } from './ensure-tilesets.ts';
export type { EnsureHeritageOptions, EnsureHeritageResult } from './ensure-tilesets.ts';
export { checkTileset, tilesetVersion, readTilesetFolder, resolveContentUri, DEFAULT_MAX_FIRST_LEVEL_BYTES, DEFAULT_MAX_TOTAL_BYTES } from './check-tileset.ts';
export type { TilesetCheck, TilesetCheckOptions, TilesetStats } from './check-tileset.ts';
export { enuFrameToEcef, geodeticToEcef, ecefToGeodetic } from './geodesy.ts';
export { buildSiteTileset, ILLUSTRATIVE_NOTICE } from './build-tileset.ts';
export { generatedSites } from './sites/index.ts';
