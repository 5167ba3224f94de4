/**
 * The one place where the importer's coordinate reference systems are defined.
 *
 * Every definition is an explicit proj string; nothing is looked up by EPSG code at run time,
 * because proj4js has no EPSG database and a .prj file's own TOWGS84 (often missing for VN-2000)
 * must never decide the datum shift.
 */

export type SourceSrs = 'wgs84' | 'vn2000' | 'vn2000-utm48n' | 'vn2000-tm3-103';

/**
 * VN-2000 → WGS 84, the 7-parameter Helmert transformation published by the Ministry of Natural
 * Resources and Environment (Decision 05/2007/QĐ-BTNMT): dX, dY, dZ in metres, rotations in arc
 * seconds, scale in ppm.
 *
 * Written in proj's `+towgs84` convention, which is *position vector*: these are the signs of the
 * EPSG:4756 and EPSG:3405 entries of PostGIS's spatial_ref_sys. The Decision and EPSG publish the
 * rotations in the *coordinate frame* convention, i.e. with the opposite signs (-0.00928836,
 * +0.01975479, -0.00427372); copying those signs into `+towgs84` moves points by ~0.7 m around
 * Điện Biên. `crs-registry.test.ts` pins both the right numbers and that mistake.
 */
export const vn2000ToWgs84Helmert = '-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278';

export interface SourceSrsDefinition {
  id: SourceSrs;
  /** Human name used in messages. */
  title: string;
  /** The EPSG code, where the system has one. */
  epsg: number | null;
  /** true for systems in metres (easting, northing); false for longitude/latitude in degrees. */
  projected: boolean;
  proj4: string;
  /** Other spellings accepted by `parseSourceSrs` (compared case-insensitively, ignoring punctuation). */
  aliases: readonly string[];
}

export const sourceSrsDefinitions: Readonly<Record<SourceSrs, SourceSrsDefinition>> = Object.freeze({
  // WGS 84 longitude/latitude (EPSG:4326 in RFC 7946 axis order, i.e. OGC:CRS84): the target of
  // every import and the default source. Same string as proj4js's built-in 'WGS84'.
  wgs84: {
    id: 'wgs84',
    title: 'WGS 84 (longitude/latitude, EPSG:4326)',
    epsg: 4326,
    projected: false,
    proj4: '+proj=longlat +datum=WGS84 +no_defs',
    aliases: ['wgs84', 'wgs-84', 'wgs1984', 'epsg:4326', '4326', 'crs84', 'ogc:crs84', 'lonlat', 'longlat'],
  },
  // VN-2000 geographic (EPSG:4756). Source: PostGIS spatial_ref_sys proj4text for SRID 4756
  // (VN-2000 uses the WGS 84 ellipsoid; only the Helmert shift differs).
  vn2000: {
    id: 'vn2000',
    title: 'VN-2000 (longitude/latitude, EPSG:4756)',
    epsg: 4756,
    projected: false,
    proj4: `+proj=longlat +ellps=WGS84 +towgs84=${vn2000ToWgs84Helmert} +no_defs`,
    aliases: ['vn2000', 'vn-2000', 'epsg:4756', '4756', 'vn2000-geographic', 'vn2000-lonlat'],
  },
  // VN-2000 / UTM zone 48N (EPSG:3405): central meridian 105°, k=0.9996. Source: PostGIS
  // spatial_ref_sys proj4text for SRID 3405.
  'vn2000-utm48n': {
    id: 'vn2000-utm48n',
    title: 'VN-2000 / UTM zone 48N (EPSG:3405)',
    epsg: 3405,
    projected: true,
    proj4: `+proj=utm +zone=48 +ellps=WGS84 +towgs84=${vn2000ToWgs84Helmert} +units=m +no_defs`,
    aliases: ['vn2000-utm48n', 'vn2000-utm-48n', 'vn2000-utm48', 'vn2000-utm-zone-48n', 'epsg:3405', '3405'],
  },
  // VN-2000 / TM-3° on Điện Biên's provincial central meridian 103°00' (k=0.9999, false easting
  // 500 km): the grid of the province's cadastral and planning maps (Vietnam gives each province a
  // TM-3° meridian, Circular 973/2001/TT-TCĐC). Source: the project's agreed string, checked against
  // PROJ 9.7 in crs-registry.test.ts. No EPSG code (EPSG's "TM-3 zone 481" is the 102° meridian).
  'vn2000-tm3-103': {
    id: 'vn2000-tm3-103',
    title: 'VN-2000 / TM-3° central meridian 103° (Điện Biên provincial grid)',
    epsg: null,
    projected: true,
    proj4: `+proj=tmerc +lat_0=0 +lon_0=103 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=${vn2000ToWgs84Helmert} +units=m +no_defs`,
    aliases: ['vn2000-tm3-103', 'vn2000-tm3', 'vn2000-tm3-10300', 'vn2000-tm-3-103', 'vn2000-103', 'tm3-103'],
  },
});

export const sourceSrsValues: readonly SourceSrs[] = Object.freeze(['wgs84', 'vn2000', 'vn2000-utm48n', 'vn2000-tm3-103']);

/** The box that every imported coordinate must fall in: Vietnam's mainland and islands, generously. */
export const vietnamExtent = Object.freeze({ minLon: 102.0, maxLon: 117.9, minLat: 6.0, maxLat: 23.5 });

function aliasKey(value: string): string {
  let text = value.trim().toLowerCase();
  // urn:ogc:def:crs:EPSG::3405, urn:ogc:def:crs:EPSG:9.9.1:3405, http://www.opengis.net/def/crs/EPSG/0/3405
  const urn = /^urn:ogc:def:crs:epsg:[\d.]*:(\d+)$/.exec(text) ?? /^https?:\/\/www\.opengis\.net\/def\/crs\/epsg\/[\d.]+\/(\d+)$/.exec(text);
  if (urn) text = `epsg:${urn[1]}`;
  if (/^urn:ogc:def:crs:ogc:[\d.]*:crs84$/.test(text) || /^https?:\/\/www\.opengis\.net\/def\/crs\/ogc\/[\d.]+\/crs84$/.test(text)) text = 'crs84';
  return text.replace(/[^a-z0-9]+/g, '');
}

const srsByAlias = new Map<string, SourceSrs>();
for (const definition of Object.values(sourceSrsDefinitions)) {
  for (const alias of [definition.id, ...definition.aliases]) srsByAlias.set(aliasKey(alias), definition.id);
}

/** Resolves a name, alias or EPSG code of a supported source SRS, or returns null. */
export function findSourceSrs(value: string): SourceSrs | null {
  return srsByAlias.get(aliasKey(value)) ?? null;
}

/** The accepted values, one per line, for help texts and error messages. */
export function describeAcceptedSourceSrs(): string {
  return sourceSrsValues
    .map((id) => `  ${id.padEnd(15)} ${sourceSrsDefinitions[id].title}`)
    .join('\n');
}

/**
 * Parses a --srs value. Accepts the ids above, their aliases, "EPSG:NNNN", bare codes and OGC URNs
 * (urn:ogc:def:crs:EPSG::3405), case-insensitively.
 */
export function parseSourceSrs(value: string): SourceSrs {
  const found = findSourceSrs(value);
  if (found) return found;
  throw new Error(
    `Unknown source coordinate system "${value}". Accepted values:\n${describeAcceptedSourceSrs()}\n` +
      'Reproject other systems to WGS 84 first (for example with ogr2ogr -t_srs EPSG:4326).',
  );
}
