import type { MultiPolygon, Point, Polygon, Position } from 'geojson';

/**
 * A tiny ESRI shapefile writer for tests: Point or Polygon shapes (.shp, .shx) and a dBASE III table
 * (.dbf) with text (C) and number (N) fields, in UTF-8 or Windows-1258. Coordinates are written as
 * given (projected metres or degrees); the caller adds the .prj and .cpg it wants.
 */

export type ShapefileGeometry = Point | Polygon | MultiPolygon | null;
export type DbfValue = string | number | null;

export interface ShapefileRecord {
  geometry: ShapefileGeometry;
  properties: Record<string, DbfValue>;
}

export interface ShapefileFiles {
  shp: Uint8Array;
  shx: Uint8Array;
  dbf: Uint8Array;
}

export interface ShapefileWriteOptions {
  /** Encoding of the .dbf text; default 'utf-8'. */
  encoding?: 'utf-8' | 'windows-1258';
}

const shapeTypeNull = 0;
const shapeTypePoint = 1;
const shapeTypePolygon = 5;

export function writeShapefile(records: readonly ShapefileRecord[], options: ShapefileWriteOptions = {}): ShapefileFiles {
  const kinds = new Set(records.map((record) => record.geometry?.type).filter((type) => type !== undefined));
  const shapeType = kinds.has('Point') ? shapeTypePoint : shapeTypePolygon;
  if (kinds.has('Point') && kinds.size > 1) throw new Error('a shapefile holds one kind of shape: points or polygons');

  const contents = records.map((record) => shapeContent(record.geometry));
  const bbox = boundsOf(records.flatMap((record) => positionsOf(record.geometry)));

  const recordParts: Uint8Array[] = [];
  const indexParts: Uint8Array[] = [];
  let offsetWords = 50;
  contents.forEach((content, index) => {
    const header = new DataView(new ArrayBuffer(8));
    header.setInt32(0, index + 1, false);
    header.setInt32(4, content.length / 2, false);
    recordParts.push(new Uint8Array(header.buffer), content);
    const entry = new DataView(new ArrayBuffer(8));
    entry.setInt32(0, offsetWords, false);
    entry.setInt32(4, content.length / 2, false);
    indexParts.push(new Uint8Array(entry.buffer));
    offsetWords += 4 + content.length / 2;
  });
  const shpBody = concatBytes(recordParts);
  const shxBody = concatBytes(indexParts);
  return {
    shp: concatBytes([mainHeader(shapeType, 100 + shpBody.length, bbox), shpBody]),
    shx: concatBytes([mainHeader(shapeType, 100 + shxBody.length, bbox), shxBody]),
    dbf: writeDbf(
      records.map((record) => record.properties),
      options.encoding ?? 'utf-8',
    ),
  };
}

function mainHeader(shapeType: number, fileBytes: number, bbox: [number, number, number, number]): Uint8Array {
  const view = new DataView(new ArrayBuffer(100));
  view.setInt32(0, 9994, false);
  view.setInt32(24, fileBytes / 2, false);
  view.setInt32(28, 1000, true);
  view.setInt32(32, shapeType, true);
  bbox.forEach((value, index) => view.setFloat64(36 + index * 8, value, true));
  return new Uint8Array(view.buffer);
}

function shapeContent(geometry: ShapefileGeometry): Uint8Array {
  if (geometry === null) {
    const view = new DataView(new ArrayBuffer(4));
    view.setInt32(0, shapeTypeNull, true);
    return new Uint8Array(view.buffer);
  }
  if (geometry.type === 'Point') {
    const view = new DataView(new ArrayBuffer(20));
    view.setInt32(0, shapeTypePoint, true);
    view.setFloat64(4, Number(geometry.coordinates[0]), true);
    view.setFloat64(12, Number(geometry.coordinates[1]), true);
    return new Uint8Array(view.buffer);
  }
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  // Shapefile convention: outer rings clockwise, holes counter-clockwise.
  const rings = polygons.flatMap((polygon) => polygon.map((ring, index) => orient(ring, index === 0 ? 'clockwise' : 'counterclockwise')));
  const points = rings.flat();
  const size = 4 + 32 + 4 + 4 + rings.length * 4 + points.length * 16;
  const view = new DataView(new ArrayBuffer(size));
  view.setInt32(0, shapeTypePolygon, true);
  boundsOf(points).forEach((value, index) => view.setFloat64(4 + index * 8, value, true));
  view.setInt32(36, rings.length, true);
  view.setInt32(40, points.length, true);
  let partStart = 0;
  rings.forEach((ring, index) => {
    view.setInt32(44 + index * 4, partStart, true);
    partStart += ring.length;
  });
  let offset = 44 + rings.length * 4;
  for (const point of points) {
    view.setFloat64(offset, Number(point[0]), true);
    view.setFloat64(offset + 8, Number(point[1]), true);
    offset += 16;
  }
  return new Uint8Array(view.buffer);
}

function orient(ring: Position[], wanted: 'clockwise' | 'counterclockwise'): Position[] {
  let twiceArea = 0;
  for (let index = 0; index < ring.length - 1; index++) {
    const [x1, y1] = ring[index]!;
    const [x2, y2] = ring[index + 1]!;
    twiceArea += (x2! - x1!) * (y2! + y1!);
  }
  const clockwise = twiceArea > 0;
  return clockwise === (wanted === 'clockwise') ? ring : [...ring].reverse();
}

function positionsOf(geometry: ShapefileGeometry): Position[] {
  if (!geometry) return [];
  if (geometry.type === 'Point') return [geometry.coordinates];
  if (geometry.type === 'Polygon') return geometry.coordinates.flat();
  return geometry.coordinates.flat(2);
}

function boundsOf(positions: readonly Position[]): [number, number, number, number] {
  if (positions.length === 0) return [0, 0, 0, 0];
  const xs = positions.map((position) => Number(position[0]));
  const ys = positions.map((position) => Number(position[1]));
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

interface DbfField {
  name: string;
  type: 'C' | 'N';
  length: number;
  decimals: number;
}

/** Writes a dBASE III table; field order follows the first appearance of each property. */
export function writeDbf(rows: readonly Record<string, DbfValue>[], encoding: 'utf-8' | 'windows-1258' = 'utf-8'): Uint8Array {
  const encode = encoding === 'utf-8' ? (text: string) => new TextEncoder().encode(text) : encodeWindows1258;
  const names = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const fields: DbfField[] = names.map((name) => {
    if (new TextEncoder().encode(name).length > 10) throw new Error(`DBF field names have at most 10 bytes: "${name}"`);
    const values = rows.map((row) => row[name]).filter((value): value is string | number => value !== null && value !== undefined);
    if (values.length > 0 && values.every((value) => typeof value === 'number')) {
      const decimals = Math.max(0, ...values.map((value) => (String(value).split('.')[1] ?? '').length));
      const length = Math.max(1, ...values.map((value) => value.toFixed(decimals).length));
      return { name, type: 'N', length, decimals };
    }
    const length = Math.min(254, Math.max(1, ...values.map((value) => encode(String(value)).length)));
    return { name, type: 'C', length, decimals: 0 };
  });
  const headerLength = 32 + fields.length * 32 + 1;
  const recordLength = 1 + fields.reduce((sum, field) => sum + field.length, 0);
  const bytes = new Uint8Array(headerLength + rows.length * recordLength + 1);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, 0x03);
  view.setUint8(1, 125);
  view.setUint8(2, 1);
  view.setUint8(3, 1);
  view.setUint32(4, rows.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  fields.forEach((field, index) => {
    const base = 32 + index * 32;
    bytes.set(new TextEncoder().encode(field.name), base);
    view.setUint8(base + 11, field.type.charCodeAt(0));
    view.setUint8(base + 16, field.length);
    view.setUint8(base + 17, field.decimals);
  });
  view.setUint8(headerLength - 1, 0x0d);
  rows.forEach((row, rowIndex) => {
    let offset = headerLength + rowIndex * recordLength;
    bytes[offset++] = 0x20; // not deleted
    for (const field of fields) {
      const value = row[field.name];
      const cell = new Uint8Array(field.length).fill(0x20);
      if (value !== null && value !== undefined) {
        if (field.type === 'N') {
          const text = new TextEncoder().encode(Number(value).toFixed(field.decimals));
          cell.set(text, field.length - text.length);
        } else {
          cell.set(encode(String(value)).slice(0, field.length));
        }
      }
      bytes.set(cell, offset);
      offset += field.length;
    }
  });
  bytes[bytes.length - 1] = 0x1a;
  return bytes;
}

let windows1258Table: Map<string, number> | null = null;

/**
 * Encodes text as Windows-1258: precomposed letters where the code page has them, tone marks as the
 * code page's combining characters (the way Vietnamese Windows software writes DBFs).
 */
export function encodeWindows1258(text: string): Uint8Array {
  if (!windows1258Table) {
    windows1258Table = new Map();
    const decoder = new TextDecoder('windows-1258');
    for (let byte = 0; byte < 256; byte++) windows1258Table.set(decoder.decode(new Uint8Array([byte])), byte);
  }
  const table = windows1258Table;
  const toneMarks = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']);
  const out: number[] = [];
  for (const char of text.normalize('NFC')) {
    const direct = table.get(char);
    if (direct !== undefined) {
      out.push(direct);
      continue;
    }
    const decomposed = [...char.normalize('NFD')];
    const base = decomposed.filter((part) => !toneMarks.has(part)).join('').normalize('NFC');
    const tones = decomposed.filter((part) => toneMarks.has(part));
    const baseByte = table.get(base);
    if (baseByte === undefined || tones.some((tone) => !table.has(tone))) throw new Error(`cannot encode "${char}" in Windows-1258`);
    out.push(baseByte, ...tones.map((tone) => table.get(tone)!));
  }
  return new Uint8Array(out);
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let position = 0;
  for (const part of parts) {
    out.set(part, position);
    position += part.length;
  }
  return out;
}
