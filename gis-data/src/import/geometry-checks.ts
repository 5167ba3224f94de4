import type { Geometry, MultiPolygon, Point, Position } from 'geojson';
import gjv from 'geojson-validation';
import { createPositionTransformer } from '../crs/coordinate-transform.ts';
import { sourceSrsDefinitions, vietnamExtent, type SourceSrs } from '../crs/crs-registry.ts';

/**
 * Geometry checks that need no database: GeoJSON structure (with geojson-validation, and our own
 * walk for messages a person can act on), the layer's geometry type, closed rings, and whether the
 * coordinates, once reprojected to WGS 84, lie in Vietnam. Validity in the OGC sense
 * (self-intersections, ring nesting) is PostGIS's job in the import service.
 */

/** At most this many structure problems are listed for one geometry. */
const maxProblemsPerGeometry = 5;

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(7)));
}

export function formatPosition(position: readonly number[]): string {
  return `[${position.slice(0, 2).map((value) => formatNumber(Number(value))).join(', ')}]`;
}

function positionProblem(value: unknown, where: string): string | null {
  if (!Array.isArray(value)) return `${where} is ${show(value)}, not a position [x, y]`;
  if (value.length === 0) return `${where} is empty`;
  if (value.length < 2) return `${where} ${show(value)} has only one number; a position needs two ([longitude, latitude])`;
  if (value.some((item) => typeof item !== 'number')) {
    return `${where} ${show(value)} holds ${value.some((item) => typeof item === 'string') ? 'text' : 'something other than numbers'}; coordinates must be JSON numbers`;
  }
  if (value.some((item) => !Number.isFinite(item))) return `${where} ${show(value)} holds a number that is not finite`;
  return null;
}

function ringName(polygonIndex: number, ringIndex: number, multi: boolean): string {
  const ring = ringIndex === 0 ? 'outer ring' : `hole ${ringIndex}`;
  return multi ? `polygon ${polygonIndex + 1}, ${ring}` : ring;
}

function polygonProblems(coordinates: unknown, polygonIndex: number, multi: boolean, problems: string[]): void {
  const polygonName = multi ? `polygon ${polygonIndex + 1}` : 'the polygon';
  if (!Array.isArray(coordinates)) {
    problems.push(`${polygonName} is ${show(coordinates)}, not a list of rings`);
    return;
  }
  if (coordinates.length === 0) {
    problems.push(`${polygonName} is empty (no rings)`);
    return;
  }
  coordinates.forEach((ring: unknown, ringIndex) => {
    const name = ringName(polygonIndex, ringIndex, multi);
    if (!Array.isArray(ring)) {
      problems.push(`${name} is ${show(ring)}, not a list of positions`);
      return;
    }
    if (ring.length === 0) {
      problems.push(`${name} is empty`);
      return;
    }
    const badPositions = ring.map((position: unknown, index) => positionProblem(position, `position ${index + 1} of the ${name}`)).filter((problem) => problem !== null);
    if (badPositions.length > 0) {
      problems.push(...badPositions);
      return;
    }
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (ring.length < 4) {
      problems.push(`${name} has ${ring.length} position${ring.length === 1 ? '' : 's'}; a ring needs at least 4 (3 corners and the first one repeated at the end)`);
    } else if (first[0] !== last[0] || first[1] !== last[1]) {
      problems.push(`${name} is not closed: it starts at ${formatPosition(first)} and ends at ${formatPosition(last)}; repeat the first position at the end`);
    }
  });
}

/**
 * Our own walk over a geometry's structure, for precise messages (geojson-validation's are terse and
 * it throws on some malformed input). Returns [] for a well-formed, non-empty geometry.
 */
export function describeGeometryStructure(geometry: unknown): string[] {
  const problems: string[] = [];
  if (typeof geometry !== 'object' || geometry === null || Array.isArray(geometry)) return [`geometry is ${show(geometry)}, not a GeoJSON geometry object`];
  const { type, coordinates } = geometry as { type?: unknown; coordinates?: unknown };
  const name = typeof type === 'string' ? type : 'geometry';
  if (type === 'GeometryCollection') return [];
  if (!['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'].includes(String(type))) {
    return [`geometry type ${show(type)} is not a GeoJSON geometry type`];
  }
  if (!Array.isArray(coordinates)) return [`the ${name} has no "coordinates" array`];
  switch (type) {
    case 'Point': {
      const problem = positionProblem(coordinates, 'the point');
      if (problem) problems.push(coordinates.length === 0 ? 'the Point is empty (no coordinates)' : problem);
      break;
    }
    case 'MultiPoint':
    case 'LineString':
      if (coordinates.length === 0) problems.push(`the ${name} is empty`);
      coordinates.forEach((position: unknown, index) => {
        const problem = positionProblem(position, `position ${index + 1}`);
        if (problem) problems.push(problem);
      });
      break;
    case 'MultiLineString':
      if (coordinates.length === 0) problems.push(`the ${name} is empty`);
      coordinates.forEach((line: unknown, lineIndex) => {
        if (!Array.isArray(line) || line.length === 0) problems.push(`line ${lineIndex + 1} is empty or not a list of positions`);
        else
          line.forEach((position: unknown, index) => {
            const problem = positionProblem(position, `position ${index + 1} of line ${lineIndex + 1}`);
            if (problem) problems.push(problem);
          });
      });
      break;
    case 'Polygon':
      polygonProblems(coordinates, 0, false, problems);
      break;
    case 'MultiPolygon':
      if (coordinates.length === 0) problems.push('the MultiPolygon is empty (no polygons)');
      coordinates.forEach((polygon: unknown, index) => polygonProblems(polygon, index, true, problems));
      break;
  }
  if (problems.length > maxProblemsPerGeometry) {
    const more = problems.length - maxProblemsPerGeometry;
    return [...problems.slice(0, maxProblemsPerGeometry), `… and ${more} more problem${more === 1 ? '' : 's'} in this geometry`];
  }
  return problems;
}

/** Runs geojson-validation on a Feature; returns its messages ([] when valid). Never throws. */
export function validateFeatureWithGeojsonValidation(feature: unknown): string[] {
  try {
    return gjv.isFeature(feature, true);
  } catch (error) {
    // It dereferences ring[0] of empty rings, for instance.
    return [`geojson-validation could not read it (${(error as Error).message})`];
  }
}

/** The problem with a geometry's type for a layer, or null. */
export function geometryTypeProblem(geometry: Geometry, allowed: readonly string[], layer: string): string | null {
  if (allowed.includes(geometry.type)) return null;
  if (geometry.type === 'MultiPoint' && allowed.includes('Point')) {
    if (geometry.coordinates.length === 1) return null;
    return `geometry is a MultiPoint of ${geometry.coordinates.length} points; layer ${layer} takes one Point per feature`;
  }
  const article = /^[AEIOU]/.test(geometry.type) ? 'an' : 'a';
  return `geometry is ${article} ${geometry.type}; layer ${layer} takes ${allowed.join(' or ')}`;
}

function collectPositions(geometry: Geometry): Position[] {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return geometry.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return geometry.coordinates.flat();
    case 'MultiPolygon':
      return geometry.coordinates.flat(2);
    case 'GeometryCollection':
      return geometry.geometries.flatMap(collectPositions);
  }
}

function mapPositions(geometry: Geometry, transform: (position: Position) => Position): Geometry {
  switch (geometry.type) {
    case 'Point':
      return { type: 'Point', coordinates: transform(geometry.coordinates) };
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: geometry.coordinates.map(transform) };
    case 'LineString':
      return { type: 'LineString', coordinates: geometry.coordinates.map(transform) };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: geometry.coordinates.map((line) => line.map(transform)) };
    case 'Polygon':
      return { type: 'Polygon', coordinates: geometry.coordinates.map((ring) => ring.map(transform)) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((polygon) => polygon.map((ring) => ring.map(transform))) };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: geometry.geometries.map((member) => mapPositions(member, transform)) };
  }
}

/** Polygon → MultiPolygon, a one-point MultiPoint → Point; others unchanged. */
export function normalizeGeometryType(geometry: Geometry, target: 'Point' | 'MultiPolygon'): Geometry {
  if (target === 'MultiPolygon' && geometry.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [geometry.coordinates] } satisfies MultiPolygon;
  if (target === 'Point' && geometry.type === 'MultiPoint' && geometry.coordinates.length === 1) {
    return { type: 'Point', coordinates: geometry.coordinates[0]! } satisfies Point;
  }
  return geometry;
}

const isInsideVietnam = ([lon, lat]: readonly number[]): boolean =>
  lon! >= vietnamExtent.minLon && lon! <= vietnamExtent.maxLon && lat! >= vietnamExtent.minLat && lat! <= vietnamExtent.maxLat;

const extentText = `lon ${vietnamExtent.minLon.toFixed(1)}–${vietnamExtent.maxLon.toFixed(1)}, lat ${vietnamExtent.minLat.toFixed(1)}–${vietnamExtent.maxLat.toFixed(1)}`;

export type ReprojectionResult = { ok: true; geometry: Geometry; hadZ: boolean } | { ok: false; problem: string };

/**
 * Reprojects a structurally valid geometry from `srs` to WGS 84 (2D) and checks that every position
 * is finite and inside Vietnam; otherwise explains what the coordinates look like (swapped, projected
 * without --srs, degrees given a projected --srs, across the antimeridian, elsewhere).
 *
 * @param srsSource where the SRS came from, for messages: "--srs vn2000", "from the .prj", "no --srs given"…
 */
export function reprojectAndCheckExtent(geometry: Geometry, srs: SourceSrs, srsSource: string): ReprojectionResult {
  const definition = sourceSrsDefinitions[srs];
  const positions = collectPositions(geometry);
  const hadZ = positions.some((position) => position.length > 2);
  const transform = createPositionTransformer(srs);
  const readAs = `read as ${srs} (${srsSource})`;
  const safeTransform = (position: readonly number[]): [number, number] | null => {
    try {
      const result = transform(position);
      return Number.isFinite(result[0]) && Number.isFinite(result[1]) ? result : null;
    } catch {
      return null;
    }
  };
  const swappedLandsInVietnam = (): boolean =>
    positions.every((position) => {
      const swapped = safeTransform([Number(position[1]), Number(position[0])]);
      return swapped !== null && isInsideVietnam(swapped);
    });
  const swappedMessage = definition.projected
    ? 'coordinates look like [northing, easting] (swapped); the file must list the easting (x) first'
    : 'coordinates look like [lat, lon] (swapped); GeoJSON wants [lon, lat]';

  if (!definition.projected) {
    const outOfRange = positions.find(([x, y]) => Math.abs(x!) > 180 || Math.abs(y!) > 90);
    if (outOfRange) {
      if (swappedLandsInVietnam()) return { ok: false, problem: `${swappedMessage}: first position ${formatPosition(positions[0]!)}` };
      if (positions.some(([x]) => Math.abs(x!) > 180)) {
        const example = positions.find(([x]) => Math.abs(x!) > 180)!;
        return {
          ok: false,
          problem: `coordinates look projected (e.g. VN-2000 metres: ${formatPosition(example)}) but were ${readAs}; pass --srs vn2000-tm3-103 or vn2000-utm48n (Điện Biên's own maps use vn2000-tm3-103)`,
        };
      }
      return { ok: false, problem: `position ${formatPosition(outOfRange)} has latitude ${formatNumber(outOfRange[1]!)}, outside −90…90` };
    }
  } else if (positions.every(([x, y]) => Math.abs(x!) <= 180 && Math.abs(y!) <= 90)) {
    return {
      ok: false,
      problem: `coordinates look like longitude/latitude degrees (e.g. ${formatPosition(positions[0]!)}) but were ${readAs}, which is in metres; pass --srs wgs84 (or vn2000 for VN-2000 degrees)`,
    };
  }

  const transformed: Position[] = [];
  for (const position of positions) {
    const result = safeTransform(position);
    if (!result) return { ok: false, problem: `position ${formatPosition(position)} could not be reprojected from ${definition.title} (no finite result)` };
    transformed.push(result);
  }
  const outside = transformed.map((position, index) => ({ position, index })).filter(({ position }) => !isInsideVietnam(position));
  if (outside.length > 0) {
    if (swappedLandsInVietnam()) return { ok: false, problem: `${swappedMessage}: first position ${formatPosition(positions[0]!)}` };
    let west = Infinity;
    let east = -Infinity;
    for (const [lon] of transformed) {
      west = Math.min(west, lon!);
      east = Math.max(east, lon!);
    }
    if (west < -90 && east > 90) {
      return {
        ok: false,
        problem: `outside Vietnam: the geometry spans the 180° meridian (longitudes from ${formatNumber(west)} to ${formatNumber(east)}), on the far side of the world from Vietnam (${extentText})`,
      };
    }
    const example = outside[0]!;
    const raw = positions[example.index]!;
    const shown = definition.projected ? `${formatPosition(raw)} → ${formatPosition(example.position)}` : formatPosition(example.position);
    return {
      ok: false,
      problem:
        `outside Vietnam (${extentText}): ${outside.length === transformed.length ? 'all' : `${outside.length} of`} ${transformed.length} position${transformed.length === 1 ? '' : 's'}` +
        ` ${outside.length === 1 && transformed.length === 1 ? 'is' : 'are'} outside, e.g. ${shown}; check the coordinates and the source SRS (${readAs})`,
    };
  }
  let next = 0;
  return { ok: true, geometry: mapPositions(geometry, () => transformed[next++]!), hadZ };
}
