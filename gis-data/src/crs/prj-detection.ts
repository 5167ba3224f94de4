import tokenizeWkt, { type WktList } from 'wkt-parser/parser.js';
import { normalizeKey } from '../text/fold-vietnamese.ts';
import { findSourceSrs, sourceSrsDefinitions, type SourceSrs } from './crs-registry.ts';

/**
 * Recognising the coordinate system of a shapefile's .prj (WKT1 in OGC or ESRI flavour, or WKT2),
 * and of a GeoJSON 2008 `crs` member.
 *
 * Only the registry's systems are recognised, by what the WKT says rather than by trusting its
 * TOWGS84: the datum (by name; VN-2000 always gets the registry's Helmert shift) and, for projected
 * systems, Transverse Mercator with the exact parameters of UTM 48N or the provincial TM-3° 103°.
 * Anything else is reported as unrecognised, with what was read, so the user can pass --srs.
 */

export interface SrsDetection {
  /** The recognised system, or null when the importer must ask for --srs. */
  srs: SourceSrs | null;
  /** What the file declares, in a few words, for messages: `"VN-2000 / UTM zone 48N" (EPSG:3405)`. */
  declared: string;
  /** Why it was not recognised (when srs is null), as advice a person can act on. */
  reason?: string;
}

interface WktNode {
  keyword: string;
  values: WktValue[];
}
type WktValue = WktNode | string | number;

/**
 * Parses WKT (1 or 2) into keyword nodes with wkt-parser's tokenizer, the one proj4 reads WKT with.
 * Not the package's default export, which goes on to make proj4 parameters and, for WKT2, loses the
 * datum's name and the authority codes the rules below read. Quoted strings and bare words (EAST)
 * both come out as strings. Throws on malformed input.
 */
export function parseWkt(text: string): WktNode {
  const toNode = ([keyword, ...values]: WktList): WktNode => ({
    keyword: keyword.toUpperCase(),
    values: values.map((value) => (typeof value === 'object' ? toNode(value) : value)),
  });
  return toNode(tokenizeWkt(text));
}

const children = (node: WktNode, ...keywords: string[]): WktNode[] =>
  node.values.filter((value): value is WktNode => typeof value === 'object' && keywords.includes(value.keyword));
const child = (node: WktNode, ...keywords: string[]): WktNode | undefined => children(node, ...keywords)[0];
const nameOf = (node: WktNode | undefined): string => (node && typeof node.values[0] === 'string' ? node.values[0] : '');

function epsgCodeOf(node: WktNode): number | null {
  const authority = child(node, 'AUTHORITY', 'ID');
  if (!authority || String(authority.values[0]).toUpperCase() !== 'EPSG') return null;
  const code = Number(authority.values[1]);
  return Number.isInteger(code) ? code : null;
}

const projectedKeywords = ['PROJCS', 'PROJCRS', 'PROJECTEDCRS'];
const geographicKeywords = ['GEOGCS', 'GEOGCRS', 'GEOGRAPHICCRS', 'GEODCRS', 'GEODETICCRS', 'BASEGEOGCRS', 'BASEGEODCRS'];

/** The horizontal CRS inside wrappers (WKT2 BOUNDCRS, compound CRSs). */
function horizontalCrs(root: WktNode): WktNode {
  if (root.keyword === 'BOUNDCRS') {
    const source = child(root, 'SOURCECRS');
    const inner = source?.values.find((value): value is WktNode => typeof value === 'object');
    if (inner) return horizontalCrs(inner);
  }
  if (root.keyword === 'COMPD_CS' || root.keyword === 'COMPOUNDCRS') {
    const inner = child(root, ...projectedKeywords, ...geographicKeywords);
    if (inner) return horizontalCrs(inner);
  }
  return root;
}

const isVn2000Name = (name: string): boolean => /vn2000|vietnam2000/.test(normalizeKey(name));
const isWgs84Name = (name: string): boolean => /wgs84|wgs1984|worldgeodeticsystem1984/.test(normalizeKey(name));

function parameterKey(name: string): string | null {
  const key = normalizeKey(name);
  if (['centralmeridian', 'longitudeofnaturalorigin', 'longitudeofcenter', 'longitudeoforigin'].includes(key)) return 'lon_0';
  if (['latitudeoforigin', 'latitudeofnaturalorigin', 'latitudeofcenter'].includes(key)) return 'lat_0';
  if (['scalefactor', 'scalefactoratnaturalorigin', 'scalefactoratcentralmeridian'].includes(key)) return 'k';
  if (['falseeasting', 'eastingatfalseorigin'].includes(key)) return 'x_0';
  if (['falsenorthing', 'northingatfalseorigin'].includes(key)) return 'y_0';
  return null;
}

const near = (value: number | undefined, expected: number, tolerance = 1e-9): boolean => value !== undefined && Math.abs(value - expected) <= tolerance;

/** Describes and recognises the coordinate system of a .prj file's WKT. */
export function detectSrsFromPrj(wkt: string): SrsDetection {
  let root: WktNode;
  try {
    root = horizontalCrs(parseWkt(wkt.replace(/^\uFEFF/, '')));
  } catch {
    // wkt-parser's messages quote the whole text back and name its internal states.
    return {
      srs: null,
      declared: 'unreadable .prj (not well-formed WKT)',
      reason: 'the .prj file is not WKT that can be read; pass --srs to say which system the coordinates are in',
    };
  }
  const isProjected = projectedKeywords.includes(root.keyword);
  const geographic = isProjected ? child(root, ...geographicKeywords) : geographicKeywords.includes(root.keyword) ? root : undefined;
  const datum = geographic ? child(geographic, 'DATUM', 'GEODETICDATUM', 'TRF', 'ENSEMBLE') : undefined;
  const ellipsoid = datum ? child(datum, 'SPHEROID', 'ELLIPSOID') : undefined;
  const epsg = epsgCodeOf(root);
  const crsName = nameOf(root);
  const datumName = nameOf(datum);

  const parameters: Record<string, number> = {};
  let method = '';
  if (isProjected) {
    const conversion = child(root, 'CONVERSION') ?? root;
    method = nameOf(child(conversion, 'PROJECTION', 'METHOD'));
    for (const parameter of children(conversion, 'PARAMETER')) {
      const key = parameterKey(nameOf(parameter));
      if (key && typeof parameter.values[1] === 'number') parameters[key] = parameter.values[1];
    }
  }
  const facts = [
    epsg ? `EPSG:${epsg}` : null,
    datumName ? `datum ${datumName}` : null,
    method ? `${method}` : null,
    parameters.lon_0 !== undefined ? `central meridian ${parameters.lon_0}` : null,
    parameters.k !== undefined ? `scale ${parameters.k}` : null,
    parameters.x_0 !== undefined ? `false easting ${parameters.x_0}` : null,
  ].filter((fact): fact is string => fact !== null);
  const declared = `"${crsName || root.keyword}"${facts.length ? ` (${facts.join(', ')})` : ''}`;
  const unrecognised = (reason: string): SrsDetection => ({ srs: null, declared, reason });

  if (!geographic) return unrecognised(`${root.keyword} is not a geographic or projected coordinate system the importer knows`);

  // An EPSG code of one of the registry's systems settles it.
  if (epsg !== null) {
    const byCode = findSourceSrs(`EPSG:${epsg}`);
    if (byCode) return { srs: byCode, declared };
  }

  const vn2000 = [crsName, nameOf(geographic), datumName].some(isVn2000Name);
  const wgs84Datum = !vn2000 && isWgs84Name(datumName);
  const semiMajor = ellipsoid?.values[1];
  const inverseFlattening = ellipsoid?.values[2];
  const wgs84Ellipsoid = !ellipsoid || (near(Number(semiMajor), 6378137, 1e-3) && near(Number(inverseFlattening), 298.257223563, 1e-6));
  if (!vn2000 && !wgs84Datum) {
    return unrecognised(`the datum ${datumName ? `"${datumName}"` : '(none given)'} is neither WGS 84 nor VN-2000`);
  }
  if (!wgs84Ellipsoid) {
    return unrecognised(`the ellipsoid "${nameOf(ellipsoid)}" is not WGS 84's (VN-2000 uses the WGS 84 ellipsoid)`);
  }

  if (!isProjected) return { srs: vn2000 ? 'vn2000' : 'wgs84', declared };

  const linearUnit = child(root, 'UNIT', 'LENGTHUNIT');
  const unitFactor = linearUnit && typeof linearUnit.values[1] === 'number' ? linearUnit.values[1] : 1;
  const transverseMercator = /^transversemercator$/.test(normalizeKey(method));
  const standardOrigin = near(parameters.lat_0 ?? 0, 0) && near(parameters.y_0 ?? 0, 0) && near(parameters.x_0, 500000, 1e-6);
  let candidate: SourceSrs | null = null;
  if (transverseMercator && standardOrigin && near(unitFactor, 1)) {
    if (near(parameters.lon_0, 105) && near(parameters.k, 0.9996)) candidate = 'vn2000-utm48n';
    else if (near(parameters.lon_0, 103) && near(parameters.k, 0.9999)) candidate = 'vn2000-tm3-103';
  }
  if (candidate && vn2000) return { srs: candidate, declared };
  if (candidate === 'vn2000-tm3-103') {
    return unrecognised(
      'its parameters are those of VN-2000 TM-3° 103° but its datum says WGS 84 (a common export mistake); ' +
        'if the coordinates are VN-2000 map coordinates, as is usual, pass --srs vn2000-tm3-103',
    );
  }
  if (candidate === 'vn2000-utm48n') {
    return unrecognised('this is WGS 84 / UTM zone 48N (EPSG:32648), which the importer does not take; reproject to EPSG:4326, or pass --srs if the coordinates are really VN-2000');
  }
  return unrecognised(
    `it is not one of the supported projections (${(['vn2000-utm48n', 'vn2000-tm3-103'] as const).map((id) => sourceSrsDefinitions[id].title).join('; ')})`,
  );
}

/**
 * Reads the `crs` member of GeoJSON 2008 (`{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3405"}}`,
 * or the older `{"type":"EPSG","properties":{"code":3405}}`). Returns null when there is no member.
 */
export function detectSrsFromGeoJsonCrs(crs: unknown): SrsDetection | null {
  if (crs === undefined || crs === null) return null;
  const properties = typeof crs === 'object' ? (crs as { properties?: Record<string, unknown> }).properties : undefined;
  const type = typeof crs === 'object' ? String((crs as { type?: unknown }).type ?? '') : '';
  let name: string | null = null;
  if (type.toLowerCase() === 'name' && typeof properties?.name === 'string') name = properties.name;
  else if (type.toLowerCase() === 'epsg' && properties?.code !== undefined) name = `EPSG:${String(properties.code)}`;
  if (!name) {
    return {
      srs: null,
      declared: `crs member ${JSON.stringify(crs).slice(0, 120)}`,
      reason: 'the "crs" member is not a named CRS the importer can read; remove it and pass --srs',
    };
  }
  const srs = findSourceSrs(name);
  return srs
    ? { srs, declared: `crs "${name}"` }
    : { srs: null, declared: `crs "${name}"`, reason: `"${name}" is not a supported coordinate system` };
}
