import { FlateErrorCode, unzipSync, type FlateError, type UnzipFileInfo } from 'fflate';
import { parseDbf, parseShp } from 'shpjs';
import { detectSrsFromPrj } from '../crs/prj-detection.ts';
import { readGeoJson, type RawSource } from './read-geojson.ts';

/**
 * Reading ESRI shapefiles as provincial departments hand them out: a .zip with .shp, .shx, .dbf,
 * usually a .prj and sometimes a .cpg. Coordinates are read raw (no .prj applied by shpjs): the
 * importer reprojects them itself from the recognised SRS, so a .prj without TOWGS84 can never cause
 * a silent datum shift.
 */

export interface ShapefileParts {
  /** Base name for messages, e.g. "xa_dienbien" */
  name: string;
  shp: Uint8Array;
  dbf?: Uint8Array;
  prj?: string;
  cpg?: string;
}

export interface ShapefileReadOptions {
  /** Encoding of the .dbf (TextDecoder label); overrides the .cpg. */
  encoding?: string;
}

const decodeText = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** macOS resource forks, hidden files and folder entries: never part of the layer. */
const isLayerFile = (entry: UnzipFileInfo): boolean => {
  const baseName = entry.name.split('/').pop() ?? entry.name;
  return !entry.name.includes('__MACOSX/') && !baseName.startsWith('.') && !entry.name.endsWith('/');
};

/** Deflate never expands data more than 1032 times. */
const maxDeflateRatio = 1032;

/**
 * Refuses an entry whose header cannot be true. fflate allocates the size an entry's header claims
 * before inflating it, so a damaged header could ask for gigabytes; and it walks as many entries as
 * the archive claims, which past the end of a damaged directory have no name.
 */
function checkEntryHeader(entry: UnzipFileInfo, archiveLength: number): void {
  const possible = entry.name !== '' && entry.size <= archiveLength && entry.originalSize <= Math.max(entry.size, 1) * maxDeflateRatio;
  if (!possible) throw new Error("an entry's header is damaged");
}

/** Reads a .zip holding exactly one shapefile (or, failing that, exactly one GeoJSON file). */
export function readShapefileZip(zip: Uint8Array, options: ShapefileReadOptions = {}): RawSource {
  const failed = (problem: string): RawSource => ({ format: 'shapefile', features: [], declaredSrs: null, declaredIn: 'the .prj', fileProblems: [problem], notes: [] });
  let files: Map<string, Uint8Array>;
  try {
    // Reads the central directory at the end of the archive, so a download cut short fails at once.
    const filter = (entry: UnzipFileInfo) => {
      checkEntryHeader(entry, zip.length);
      return isLayerFile(entry);
    };
    files = new Map(Object.entries(unzipSync(zip, { filter })));
  } catch (error) {
    if ((error as FlateError).code === FlateErrorCode.InvalidZipData) {
      return failed('the zip archive is incomplete or damaged (its central directory is missing); was the file cut short? copy or download it again');
    }
    return failed(`the zip archive could not be read (${(error as Error).message}); is it a complete .zip file?`);
  }
  const names = [...files.keys()];
  const shpNames = names.filter((name) => /\.shp$/i.test(name));
  if (shpNames.length === 0) {
    const geojsonNames = names.filter((name) => /\.(geo)?json$/i.test(name));
    if (geojsonNames.length === 1) return readGeoJson(decodeText(files.get(geojsonNames[0]!)!));
    return failed(`the zip has no .shp file${names.length ? ` (it holds ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''})` : ' (it is empty)'}`);
  }
  if (shpNames.length > 1) return failed(`the zip holds ${shpNames.length} shapefiles (${shpNames.join(', ')}); put one layer in each zip`);
  const shpName = shpNames[0]!;
  const stem = shpName.slice(0, -4);
  const sibling = (extension: string) => {
    const wanted = `${stem}.${extension}`.toLowerCase();
    const name = names.find((candidate) => candidate.toLowerCase() === wanted);
    return name === undefined ? undefined : files.get(name);
  };
  const prj = sibling('prj');
  const cpg = sibling('cpg');
  const dbf = sibling('dbf');
  return readShapefileParts(
    {
      name: shpName,
      shp: files.get(shpName)!,
      ...(dbf ? { dbf } : {}),
      ...(prj ? { prj: decodeText(prj) } : {}),
      ...(cpg ? { cpg: decodeText(cpg) } : {}),
    },
    options,
  );
}

/** Turns a .cpg text ("UTF-8", "1258", "ANSI 1258", "65001") into a TextDecoder label, or null. */
export function encodingFromCpg(cpg: string): string | null {
  const text = cpg.replace(/^\uFEFF/, '').trim();
  const known = (label: string) => {
    try {
      return new TextDecoder(label).encoding;
    } catch {
      return null;
    }
  };
  const codePage = /^(?:ANSI\s*|CP\s*|windows-)?(\d{3,5})$/i.exec(text)?.[1];
  if (codePage === '65001') return 'utf-8';
  if (codePage) return known(`windows-${codePage}`) ?? known(`cp${codePage}`) ?? known(codePage);
  return known(text);
}

interface DbfLayout {
  headerLength: number;
  recordLength: number;
  records: number;
}

function dbfLayout(dbf: Uint8Array): DbfLayout | null {
  if (dbf.length < 32) return null;
  const view = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
  return { records: view.getUint32(4, true), headerLength: view.getUint16(8, true), recordLength: view.getUint16(10, true) };
}

/** The 1-based number of the first record that is not valid UTF-8, or null if all are. */
function firstNonUtf8Record(dbf: Uint8Array, layout: DbfLayout): number | null {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let record = 0; record < layout.records; record++) {
    const start = layout.headerLength + record * layout.recordLength;
    if (start >= dbf.length) break;
    try {
      decoder.decode(dbf.subarray(start, Math.min(dbf.length, start + layout.recordLength)));
    } catch {
      return record + 1;
    }
  }
  return null;
}

function cleanDbfValue(value: unknown): unknown {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    const pad = (part: number) => String(part).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  if (typeof value === 'number' && Number.isNaN(value)) return null;
  if (typeof value === 'string') return value.normalize('NFC');
  return value;
}

/** Reads one shapefile from its parts. */
export function readShapefileParts(parts: ShapefileParts, options: ShapefileReadOptions = {}): RawSource {
  const source: RawSource = { format: 'shapefile', features: [], declaredSrs: null, declaredIn: 'the .prj', fileProblems: [], notes: [] };
  const stem = parts.name.replace(/\.shp$/i, '');
  if (parts.prj !== undefined) source.declaredSrs = detectSrsFromPrj(parts.prj);

  let shapes: ReturnType<typeof parseShp>;
  try {
    shapes = parseShp(parts.shp);
  } catch (error) {
    source.fileProblems.push(`${parts.name} could not be read as a shapefile (${(error as Error).message})`);
    return source;
  }
  if (!parts.dbf) {
    source.fileProblems.push(`${stem}.dbf is missing: a shapefile's attributes (code, name…) are in its .dbf; include it next to ${parts.name}`);
    return source;
  }
  const layout = dbfLayout(parts.dbf);
  if (!layout) {
    source.fileProblems.push(`${stem}.dbf is too short to be a dBASE table`);
    return source;
  }
  // Checked before parseDbf, which builds every record the header promises, however many. A header
  // has 32 bytes and a terminator; a record has at least its deletion flag.
  if (layout.headerLength < 33 || layout.recordLength < 1 || layout.headerLength + layout.records * layout.recordLength > parts.dbf.length) {
    source.fileProblems.push(
      `${stem}.dbf is damaged or cut short: its header promises ${layout.records} records of ${layout.recordLength} bytes after ${layout.headerLength} bytes of header, ` +
        `but the file holds ${parts.dbf.length} bytes; copy or export it again`,
    );
    return source;
  }

  let encoding = 'utf-8';
  if (options.encoding) {
    const label = encodingFromCpg(options.encoding);
    if (!label) {
      source.fileProblems.push(`--encoding "${options.encoding}" is not an encoding name this importer knows; try utf-8 or windows-1258`);
      return source;
    }
    encoding = label;
  } else if (parts.cpg !== undefined) {
    const label = encodingFromCpg(parts.cpg);
    if (!label) {
      source.fileProblems.push(`${stem}.cpg names the encoding "${parts.cpg.trim()}", which this importer does not know; pass --encoding (e.g. utf-8 or windows-1258)`);
      return source;
    }
    encoding = label;
  } else {
    source.notes.push(`${stem}.dbf has no .cpg; its text was read as UTF-8`);
  }
  if (encoding === 'utf-8') {
    const badRecord = firstNonUtf8Record(parts.dbf, layout);
    if (badRecord !== null) {
      const why = options.encoding ? `--encoding ${options.encoding}` : parts.cpg !== undefined ? `its .cpg says "${parts.cpg.trim()}"` : 'there is no .cpg saying otherwise';
      source.fileProblems.push(
        `${stem}.dbf is not valid UTF-8 (first in record ${badRecord}) but is read as UTF-8 because ${why}; ` +
          'pass --encoding windows-1258 if it was written by Vietnamese Windows software, or re-save it as UTF-8 ' +
          '(TCVN3/VNI text must first be converted to Unicode)',
      );
      return source;
    }
  }
  let rows: Array<Record<string, unknown>>;
  try {
    rows = parseDbf(parts.dbf, encoding);
  } catch (error) {
    source.fileProblems.push(`${stem}.dbf could not be read (${(error as Error).message})`);
    return source;
  }
  if (rows.length !== shapes.length) {
    source.fileProblems.push(`${parts.name} has ${shapes.length} shapes but ${stem}.dbf has ${rows.length} records; the files do not belong together`);
    return source;
  }
  source.features = shapes.map((geometry, index) => ({
    type: 'Feature',
    geometry,
    properties: Object.fromEntries(Object.entries(rows[index] ?? {}).map(([key, value]) => [key, cleanDbfValue(value)])),
  }));
  if (source.features.length === 0) source.fileProblems.push(`${parts.name} has no shapes`);
  return source;
}
