import { detectSrsFromGeoJsonCrs, type SrsDetection } from '../crs/prj-detection.ts';

/** What a reader hands to the preparation step: raw features plus what the file says about itself. */
export interface RawSource {
  format: 'geojson' | 'shapefile';
  /** Raw GeoJSON Feature objects (shapefile records are turned into Features). */
  features: unknown[];
  /** The declared coordinate system (.prj or crs member), or null if the file declares none. */
  declaredSrs: SrsDetection | null;
  /** Where the declaration came from, for messages: "the .prj", "the crs member". */
  declaredIn: string;
  /** Problems with the file as a whole; when any is fatal, `features` is empty. */
  fileProblems: string[];
  notes: string[];
}

export interface JsonSyntaxError {
  offset: number;
  line: number;
  column: number;
  description: string;
  truncated: boolean;
}

class ScanError extends Error {
  constructor(
    readonly offset: number,
    readonly description: string,
  ) {
    super(description);
  }
}

/**
 * Finds where and why a text is not JSON (JSON.parse's messages and positions differ between Node
 * versions, and some have none). Only called after JSON.parse failed.
 */
export function locateJsonSyntaxError(text: string): JsonSyntaxError | null {
  let index = 0;
  const end = text.length;
  const fail = (description: string): never => {
    throw new ScanError(index, index >= end ? 'unexpected end of file' : description);
  };
  const skipSpace = () => {
    while (index < end && (text[index] === ' ' || text[index] === '\t' || text[index] === '\n' || text[index] === '\r')) index++;
  };
  const character = () => {
    if (index >= end) return 'end of file';
    const char = text[index]!;
    return char < ' ' ? JSON.stringify(char) : `'${char}'`;
  };
  const scanString = () => {
    index++; // opening quote
    for (;;) {
      if (index >= end) fail('unexpected end of file inside a string');
      const char = text.charCodeAt(index);
      if (char === 0x22) {
        index++;
        return;
      }
      if (char < 0x20) fail('a line break or control character inside a string (strings must be on one line; escape it as \\n)');
      if (char === 0x5c) {
        const escape = text[index + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) {
            index++;
            fail('a bad \\u escape in a string');
          }
          index += 6;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) {
          index++;
          fail(`a bad escape \\${escape ?? ''} in a string`);
        }
        index += 2;
        continue;
      }
      index++;
    }
  };
  const scanValue = (depth: number): void => {
    if (depth > 5000) fail('nesting too deep');
    skipSpace();
    const char = text[index];
    if (char === '{') {
      index++;
      skipSpace();
      if (text[index] === '}') {
        index++;
        return;
      }
      for (;;) {
        skipSpace();
        if (text[index] !== '"') fail(`expected a property name in double quotes, found ${character()}`);
        scanString();
        skipSpace();
        if (text[index] !== ':') fail(`expected ':' after a property name, found ${character()}`);
        index++;
        scanValue(depth + 1);
        skipSpace();
        if (text[index] === ',') {
          index++;
          continue;
        }
        if (text[index] === '}') {
          index++;
          return;
        }
        fail(`expected ',' or '}' after a property value, found ${character()}`);
      }
    }
    if (char === '[') {
      index++;
      skipSpace();
      if (text[index] === ']') {
        index++;
        return;
      }
      for (;;) {
        scanValue(depth + 1);
        skipSpace();
        if (text[index] === ',') {
          index++;
          continue;
        }
        if (text[index] === ']') {
          index++;
          return;
        }
        fail(`expected ',' or ']' after an array element, found ${character()}`);
      }
    }
    if (char === '"') return scanString();
    const literal = /^(true|false|null)/.exec(text.slice(index, index + 5));
    if (literal) {
      index += literal[0].length;
      return;
    }
    const number = /-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
    number.lastIndex = index;
    const match = number.exec(text);
    if (match && match[0].length > 0 && match[0] !== '-') {
      index += match[0].length;
      return;
    }
    fail(`unexpected ${character()} where a value should start`);
  };
  try {
    scanValue(0);
    skipSpace();
    if (index < end) fail(`unexpected ${character()} after the end of the JSON document`);
    return null;
  } catch (error) {
    if (!(error instanceof ScanError)) return null;
    const before = text.slice(0, error.offset);
    const line = (before.match(/\n/g)?.length ?? 0) + 1;
    const column = error.offset - before.lastIndexOf('\n');
    return { offset: error.offset, line, column, description: error.description, truncated: error.offset >= end };
  }
}

function describeJsonError(text: string, parseError: Error): string {
  const located = locateJsonSyntaxError(text);
  if (!located) return `not valid JSON: ${parseError.message}`;
  const lineStart = text.lastIndexOf('\n', located.offset - 1) + 1;
  const near = text.slice(Math.max(lineStart, located.offset - 30), located.offset).trimStart();
  const context = near ? ` (just after ${JSON.stringify(near.length > 30 ? near.slice(-30) : near)})` : '';
  const advice = located.truncated
    ? ' — the file looks truncated (cut off before its end); copy or export it again'
    : '';
  return `not valid JSON: ${located.description} at line ${located.line}, column ${located.column}${context}${advice}`;
}

const geometryTypes = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

/** Reads GeoJSON text: a FeatureCollection or a single Feature. */
export function readGeoJson(text: string): RawSource {
  const source: RawSource = { format: 'geojson', features: [], declaredSrs: null, declaredIn: 'the crs member', fileProblems: [], notes: [] };
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') {
    source.fileProblems.push('the file is empty');
    return source;
  }
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (error) {
    source.fileProblems.push(describeJsonError(body, error as Error));
    return source;
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    source.fileProblems.push(`the file is a JSON ${Array.isArray(document) ? 'array' : typeof document}, not a GeoJSON FeatureCollection or Feature`);
    return source;
  }
  const object = document as Record<string, unknown>;
  source.declaredSrs = detectSrsFromGeoJsonCrs(object.crs);
  if (object.type === 'FeatureCollection') {
    if (!Array.isArray(object.features)) {
      source.fileProblems.push(`the FeatureCollection's "features" member is ${object.features === undefined ? 'missing' : 'not an array'}`);
      return source;
    }
    source.features = object.features;
  } else if (object.type === 'Feature') {
    source.features = [object];
  } else if (typeof object.type === 'string' && geometryTypes.has(object.type)) {
    source.fileProblems.push(`the file is a bare ${object.type} geometry; wrap it in a Feature (or FeatureCollection) with the layer's properties`);
    return source;
  } else {
    source.fileProblems.push(`the file's "type" is ${JSON.stringify(object.type) ?? 'missing'}; expected "FeatureCollection" or "Feature"`);
    return source;
  }
  if (source.features.length === 0) source.fileProblems.push('the file has no features');
  return source;
}
