import { printParseErrorCode, visit } from 'jsonc-parser';
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

type JsonErrorName = ReturnType<typeof printParseErrorCode>;
/** What the text should hold where an error is: for messages about a stray character. */
type Expected = 'property name' | 'value' | 'end of document' | 'separator';

/**
 * Finds where and why a text is not JSON (JSON.parse's messages and positions differ between Node
 * versions, and some have none), with jsonc-parser in strict mode. Only called after JSON.parse failed.
 */
export function locateJsonSyntaxError(text: string): JsonSyntaxError | null {
  const containers: Array<'object' | 'array'> = [];
  let expected: Expected = 'value';
  const valueDone = () => {
    expected = containers.length === 0 ? 'end of document' : 'separator';
  };
  let located: JsonSyntaxError | null = null;
  const locate = (offset: number, description: string) => {
    const before = text.slice(0, offset);
    const line = (before.match(/\n/g)?.length ?? 0) + 1;
    const column = offset - before.lastIndexOf('\n');
    const truncated = offset >= text.length;
    located = { offset, line, column, description: truncated ? 'unexpected end of file' : description, truncated };
  };
  try {
    visit(
      text,
      {
        onObjectBegin: () => {
          containers.push('object');
          expected = 'property name';
        },
        onArrayBegin: () => {
          containers.push('array');
          expected = 'value';
        },
        onObjectEnd: () => {
          containers.pop();
          valueDone();
        },
        onArrayEnd: () => {
          containers.pop();
          valueDone();
        },
        onObjectProperty: () => void (expected = 'separator'),
        onLiteralValue: valueDone,
        onSeparator: (separator) => void (expected = separator === ',' && containers.at(-1) === 'object' ? 'property name' : 'value'),
        onError: (code, offset, length) => {
          // The parser recovers and goes on; the first error is the one a person should fix.
          if (located) return;
          const name = printParseErrorCode(code);
          if (name === 'UnexpectedEndOfString' && offset + length < text.length) {
            locate(offset + length, 'a line break inside a string (strings must be on one line; escape it as \\n)');
          } else {
            locate(name === 'UnexpectedEndOfString' ? text.length : offset, describeParseError(name, containers.at(-1), expected, foundAt(text, offset)));
          }
        },
      },
      { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
    );
  } catch {
    return null; // nesting too deep for the parser's recursion: JSON.parse's own message will do
  }
  return located;
}

/** The character at `offset` as a message shows it: 'x', "\u0007", or end of file. */
function foundAt(text: string, offset: number): string {
  const char = text[offset];
  if (char === undefined) return 'end of file';
  return char < ' ' ? JSON.stringify(char) : `'${char}'`;
}

function describeParseError(name: JsonErrorName, container: 'object' | 'array' | undefined, expected: Expected, found: string): string {
  const commaExpected = () =>
    container === 'array' ? `expected ',' or ']' after an array element, found ${found}` : `expected ',' or '}' after a property value, found ${found}`;
  switch (name) {
    case 'CommaExpected':
    case 'CloseBraceExpected':
    case 'CloseBracketExpected':
      return commaExpected();
    case 'PropertyNameExpected':
      return `expected a property name in double quotes, found ${found}`;
    case 'ColonExpected':
      return `expected ':' after a property name, found ${found}`;
    case 'ValueExpected':
      return `unexpected ${found} where a value should start`;
    case 'EndOfFileExpected':
      return `unexpected ${found} after the end of the JSON document`;
    case 'InvalidSymbol':
      // A character that starts no JSON token ('a', NaN, x): said against what should have been there.
      if (expected === 'property name') return `expected a property name in double quotes, found ${found}`;
      if (expected === 'value') return `unexpected ${found} where a value should start`;
      if (expected === 'end of document') return `unexpected ${found} after the end of the JSON document`;
      return commaExpected();
    case 'InvalidNumberFormat':
    case 'UnexpectedEndOfNumber':
      return 'a badly written number';
    case 'InvalidCharacter':
      return 'a string with a control character in it (escape it, e.g. as \\t)';
    case 'InvalidUnicode':
      return 'a string with a bad \\u escape';
    case 'InvalidEscapeCharacter':
      return 'a string with a bad escape';
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return 'a comment (JSON has no comments)';
    default:
      return `unexpected ${found}`;
  }
}

/** Why a text JSON.parse refused is not JSON, where ("line 3, column 7") and near what, in words. */
export function describeJsonError(text: string, parseError: Error): string {
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
