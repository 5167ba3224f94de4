// Type declarations for the untyped CommonJS/ESM packages the importer uses.

declare module 'geojson-validation' {
  /** With trace=true each validator returns the list of problems (empty when valid). */
  interface GeojsonValidation {
    isFeature(object: unknown, trace: true): string[];
    isFeatureCollection(object: unknown, trace: true): string[];
    isGeometryObject(object: unknown, trace: true): string[];
    valid(object: unknown, trace: true): string[];
    valid(object: unknown): boolean;
  }
  const gjv: GeojsonValidation;
  export default gjv;
}

declare module 'shpjs' {
  import type { Geometry } from 'geojson';
  /** Parses .shp bytes; without a projection the coordinates are returned as stored. */
  export function parseShp(shp: ArrayBuffer | ArrayBufferView | DataView, prj?: string | false): Array<(Geometry & { bbox?: number[] }) | null>;
  /** Parses .dbf bytes; `encoding` is a .cpg text or TextDecoder label (default UTF-8). */
  export function parseDbf(dbf: ArrayBuffer | ArrayBufferView | DataView, encoding?: string): Array<Record<string, string | number | boolean | Date>>;
}

declare module 'wkt-parser/parser.js' {
  /** A WKT node as nested arrays: `[keyword, ...values]`. (An interface: a recursive tuple alias would be `any`.) */
  export interface WktList extends ReadonlyArray<WktList | string | number> {
    readonly 0: string;
  }
  /** wkt-parser's tokenizer (the package's default export goes on to make proj4 parameters). Throws on malformed WKT. */
  export default function parseString(text: string): WktList;
}
