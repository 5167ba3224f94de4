/** Test helpers for importer tests (in this package and the API's): build shapefile zips in memory. */
export { writeShapefile, writeDbf, encodeWindows1258 } from './shapefile-writer.ts';
export type { ShapefileRecord, ShapefileFiles, ShapefileGeometry, ShapefileWriteOptions, DbfValue } from './shapefile-writer.ts';
export { createZip } from './zip-writer.ts';
export type { ZipOptions } from './zip-writer.ts';
export { prjSamples } from './prj-samples.ts';
