import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Geometry } from 'geojson';
import { parseSourceSrs, type SourceSrs } from '../crs/crs-registry.ts';
import { foldVietnamese } from '../text/fold-vietnamese.ts';
import { coerceAttribute, createPropertyResolver, type PropertyResolver } from './attribute-mapping.ts';
import {
  describeGeometryStructure,
  geometryTypeProblem,
  normalizeGeometryType,
  reprojectAndCheckExtent,
  validateFeatureWithGeojsonValidation,
} from './geometry-checks.ts';
import type { AttributeValue, ImportLayer, PreparedFeature, PreparedFile, PrepareOptions } from './import-types.ts';
import { hotlineByFacilityKind, layerSpecs, type AttributeSpec, type LayerSpec } from './layer-specs.ts';
import { readGeoJson, type RawSource } from './read-geojson.ts';
import { readShapefileParts, readShapefileZip } from './read-shapefile.ts';

/** onProgress is called after every this many features, and once at the end. */
const progressInterval = 500;

/**
 * Reads, checks, reprojects and maps one file for import, without touching the database.
 * Never throws for problems with the file: they are returned in `problems`, each naming its feature.
 */
export async function prepareImportFile(path: string, options: PrepareOptions): Promise<PreparedFile> {
  const fileName = basename(path);
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : (error as Error).message;
    return emptyResult(options, /\.(zip|shp)$/i.test(path) ? 'shapefile' : 'geojson', fileName, `cannot read ${path}: ${why}`);
  }
  if (extname(path).toLowerCase() === '.shp') {
    // A loose shapefile: its companions sit next to it, in any letter case.
    const folder = dirname(path);
    const stem = basename(path, extname(path)).toLowerCase();
    const siblings = await readdir(folder).catch(() => [] as string[]);
    const companion = async (extension: string) => {
      const name = siblings.find((candidate) => candidate.toLowerCase() === `${stem}.${extension}`);
      return name === undefined ? undefined : readFile(join(folder, name));
    };
    const [dbf, prj, cpg] = await Promise.all([companion('dbf'), companion('prj'), companion('cpg')]);
    const source = readShapefileParts(
      {
        name: fileName,
        shp: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        ...(dbf ? { dbf: new Uint8Array(dbf.buffer, dbf.byteOffset, dbf.byteLength) } : {}),
        ...(prj ? { prj: prj.toString('utf8') } : {}),
        ...(cpg ? { cpg: cpg.toString('utf8') } : {}),
      },
      options.encoding ? { encoding: options.encoding } : {},
    );
    return prepareSource(source, fileName, options);
  }
  return prepareImportData(data, fileName, options);
}

/** The same as `prepareImportFile`, from bytes or text in memory (an upload). */
export async function prepareImportData(data: Buffer | Uint8Array | string, fileName: string, options: PrepareOptions): Promise<PreparedFile> {
  const bytes = typeof data === 'string' ? null : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const isZip = bytes !== null && bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const extension = extname(fileName).toLowerCase();
  if (extension === '.shp') {
    return emptyResult(options, 'shapefile', fileName, `${fileName} alone is not enough: send the shapefile as a .zip with its .dbf, .shx and .prj`);
  }
  if (isZip || extension === '.zip') {
    if (!bytes || !isZip) return emptyResult(options, 'shapefile', fileName, `${fileName} is not a zip archive`);
    const source = readShapefileZip(bytes, options.encoding ? { encoding: options.encoding } : {});
    return prepareSource(source, fileName, options);
  }
  const text = typeof data === 'string' ? data : new TextDecoder().decode(bytes!);
  return prepareSource(readGeoJson(text), fileName, options);
}

function emptyResult(options: PrepareOptions, format: PreparedFile['format'], fileName: string, problem: string): PreparedFile {
  options.onProgress?.(0, 0);
  return { layer: options.layer, sourceSrs: 'wgs84', format, featureCount: 0, features: [], problems: [{ index: null, label: fileName, problem }], notes: [] };
}

interface SrsChoice {
  srs: SourceSrs;
  /** For messages: "--srs vn2000-tm3-103", "from the .prj", "no --srs given". */
  origin: string;
  problem?: string;
  note?: string;
}

function chooseSourceSrs(source: RawSource, requested: string | undefined): SrsChoice {
  const declared = source.declaredSrs;
  if (requested !== undefined) {
    let srs: SourceSrs;
    try {
      srs = parseSourceSrs(requested);
    } catch (error) {
      return { srs: 'wgs84', origin: `--srs ${requested}`, problem: `--srs: ${(error as Error).message}` };
    }
    const differs = declared && declared.srs !== srs;
    return {
      srs,
      origin: `--srs ${requested}`,
      ...(differs ? { note: `--srs ${requested} overrides ${source.declaredIn}, which declares ${declared.declared}` } : {}),
    };
  }
  if (declared?.srs) {
    return {
      srs: declared.srs,
      origin: `from ${source.declaredIn}`,
      note: `coordinate system from ${source.declaredIn}: ${declared.declared} → ${declared.srs}`,
    };
  }
  if (declared) {
    return {
      srs: 'wgs84',
      origin: source.declaredIn,
      problem:
        `${source.declaredIn} declares ${declared.declared}, which the importer does not recognise: ${declared.reason ?? 'unknown system'}. ` +
        'Pass --srs with one of wgs84, vn2000, vn2000-utm48n, vn2000-tm3-103',
    };
  }
  return { srs: 'wgs84', origin: source.format === 'shapefile' ? 'no .prj and no --srs given' : 'no --srs given' };
}

interface FeatureOutcome {
  prepared?: PreparedFeature;
  label: string;
  problems: string[];
  /** Required attributes that were absent (so a file-wide absence can be reported once). */
  missingRequired: string[];
  hadZ: boolean;
  keptTextAdminCenter: boolean;
}

function prepareSource(source: RawSource, fileName: string, options: PrepareOptions): PreparedFile {
  const spec = layerSpecs[options.layer];
  const result: PreparedFile = {
    layer: options.layer,
    sourceSrs: 'wgs84',
    format: source.format,
    featureCount: source.features.length,
    features: [],
    problems: [],
    notes: [...source.notes],
  };
  const fileProblem = (problem: string) => result.problems.push({ index: null, label: fileName, problem });
  if (!spec) {
    fileProblem(`unknown layer "${String(options.layer)}"; layers are ${Object.keys(layerSpecs).join(', ')}`);
    return result;
  }
  source.fileProblems.forEach(fileProblem);
  const srsChoice = chooseSourceSrs(source, options.srs);
  result.sourceSrs = srsChoice.srs;
  if (srsChoice.note) result.notes.push(srsChoice.note);
  if (srsChoice.problem) fileProblem(srsChoice.problem);
  const resolver = createPropertyResolver(spec, options.propertyMap);
  resolver.mapProblems.forEach(fileProblem);
  if (source.fileProblems.length > 0 || srsChoice.problem) {
    options.onProgress?.(0, source.features.length);
    return result;
  }

  const total = source.features.length;
  const outcomes: FeatureOutcome[] = [];
  const sourceKeys = new Set<string>();
  source.features.forEach((feature, index) => {
    const properties = propertiesOf(feature);
    if (properties) for (const key of Object.keys(properties)) sourceKeys.add(key);
    outcomes.push(prepareFeature(feature, index, spec, resolver, srsChoice));
    if ((index + 1) % progressInterval === 0 && index + 1 < total) options.onProgress?.(index + 1, total);
  });
  options.onProgress?.(total, total);

  // A --map source that no feature has, and a required attribute that no feature has, are one
  // file-level problem each rather than the same message on every feature.
  const propertyList = [...sourceKeys].slice(0, 30).join(', ') || '(none)';
  const fileWideMissing = new Set<string>();
  for (const attribute of spec.attributes) {
    const mapped = resolver.mappedSource(attribute.name);
    const missingEverywhere = total > 1 && outcomes.every((outcome) => outcome.missingRequired.includes(attribute.name));
    if (mapped && ![...sourceKeys].some((key) => key === mapped || key.toLowerCase() === mapped.toLowerCase())) {
      fileProblem(`--map ${attribute.name}=${mapped}: no feature has a property "${mapped}"; the file's properties are ${propertyList}`);
      fileWideMissing.add(attribute.name);
    } else if (missingEverywhere) {
      fileProblem(
        `no feature has the required property "${attribute.name}" (looked for ${resolver.describeCandidates(attribute.name)}); ` +
          `the file's properties are ${propertyList}; use --map ${attribute.name}=<property>`,
      );
      fileWideMissing.add(attribute.name);
    }
  }

  let zCount = 0;
  let textAdminCenters = 0;
  outcomes.forEach((outcome, index) => {
    if (outcome.hadZ) zCount++;
    if (outcome.keptTextAdminCenter) textAdminCenters++;
    const problems = outcome.problems.filter((problem) => ![...fileWideMissing].some((attribute) => problem.startsWith(missingMessagePrefix(attribute))));
    for (const problem of problems) result.problems.push({ index, label: outcome.label, problem });
    if (outcome.problems.length === 0 && outcome.prepared) result.features.push(outcome.prepared);
  });
  if (zCount > 0) result.notes.push(`${zCount} feature${zCount === 1 ? ' has' : 's have'} Z (height) values; they were dropped (features are stored 2D)`);
  if (textAdminCenters > 0) {
    result.notes.push(
      `admin_center of ${textAdminCenters} feature${textAdminCenters === 1 ? ' is' : 's are'} a text description, not [lon, lat]; kept in extraProperties, admin_center left empty`,
    );
  }
  return result;
}

function propertiesOf(feature: unknown): Record<string, unknown> | null {
  if (typeof feature !== 'object' || feature === null) return null;
  const properties = (feature as { properties?: unknown }).properties;
  return typeof properties === 'object' && properties !== null && !Array.isArray(properties) ? (properties as Record<string, unknown>) : null;
}

const missingMessagePrefix = (attribute: string) => `missing required property "${attribute}"`;

function labelFor(index: number, spec: LayerSpec, code: unknown, name: unknown): string {
  const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '');
  const codeText = text(code);
  const nameText = text(name).normalize('NFC');
  const parts = [codeText ? `${spec.labelAttributes.code} ${codeText}` : '', nameText ? JSON.stringify(nameText) : ''].filter(Boolean);
  return `feature #${index + 1}${parts.length ? ` (${parts.join(' ')})` : ''}`;
}

function prepareFeature(feature: unknown, index: number, spec: LayerSpec, resolver: PropertyResolver, srs: SrsChoice): FeatureOutcome {
  const outcome: FeatureOutcome = { label: `feature #${index + 1}`, problems: [], missingRequired: [], hadZ: false, keptTextAdminCenter: false };
  if (typeof feature !== 'object' || feature === null || Array.isArray(feature)) {
    outcome.problems.push(`is ${JSON.stringify(feature)?.slice(0, 40)}, not a GeoJSON Feature object`);
    return outcome;
  }
  const object = feature as { type?: unknown; geometry?: unknown; properties?: unknown };
  const rawProperties = object.properties;
  const properties = propertiesOf(feature) ?? {};
  const found = resolver.resolve(properties);
  outcome.label = labelFor(index, spec, found.get(spec.labelAttributes.code)?.value, found.get(spec.labelAttributes.name)?.value);

  if (object.type !== 'Feature') {
    outcome.problems.push(`is not a GeoJSON Feature (its "type" is ${JSON.stringify(object.type) ?? 'missing'})`);
    return outcome;
  }
  if (rawProperties !== undefined && rawProperties !== null && properties !== rawProperties) {
    outcome.problems.push('"properties" must be a JSON object');
  }

  // Geometry: geojson-validation, our structure walk, the layer's type, then coordinates.
  let geometry: Geometry | null = null;
  if (object.geometry === null || object.geometry === undefined) {
    outcome.problems.push('has no geometry (it is null or missing)');
  } else {
    const structure = describeGeometryStructure(object.geometry);
    const validation = validateFeatureWithGeojsonValidation(feature);
    if (structure.length > 0) outcome.problems.push(...structure);
    else if (validation.length > 0) outcome.problems.push(`not valid GeoJSON: ${validation.join('; ')}`);
    else {
      const candidate = object.geometry as Geometry;
      const typeProblem = geometryTypeProblem(candidate, spec.geometryTypes, spec.layer);
      if (typeProblem) outcome.problems.push(typeProblem);
      else {
        const checked = reprojectAndCheckExtent(candidate, srs.srs, srs.origin);
        if (checked.ok) {
          geometry = normalizeGeometryType(checked.geometry, spec.outputGeometryType);
          outcome.hadZ = checked.hadZ;
        } else outcome.problems.push(checked.problem);
      }
    }
  }

  // Attributes.
  const attributes: Record<string, AttributeValue> = Object.fromEntries(spec.outputAttributes.map((name) => [name, null]));
  const consumed = new Set<string>();
  for (const attribute of spec.attributes) {
    const source = found.get(attribute.name)!;
    if (source.sourceKey !== null) consumed.add(source.sourceKey);
    const outputName = attribute.outputName ?? attribute.name;
    const coerced = coerceAttribute(attribute, source.value);
    switch (coerced.kind) {
      case 'absent':
        if (attribute.defaultValue !== undefined) attributes[outputName] = attribute.defaultValue;
        else if (attribute.required) {
          outcome.missingRequired.push(attribute.name);
          outcome.problems.push(missingProblem(attribute, resolver, source.sourceKey));
        }
        break;
      case 'text-not-coordinates':
        if (source.sourceKey !== null) consumed.delete(source.sourceKey);
        outcome.keptTextAdminCenter = true;
        break;
      case 'problem':
        outcome.problems.push(source.sourceKey && source.sourceKey !== attribute.name ? `${coerced.problem} (from property "${source.sourceKey}")` : coerced.problem);
        break;
      case 'value':
        if (attribute.type === 'position' || attribute.type === 'polygon') {
          const value = prepareGeometryAttribute(attribute, coerced.value as Geometry, srs);
          if (typeof value === 'string') outcome.problems.push(value);
          else attributes[outputName] = value;
        } else attributes[outputName] = coerced.value;
        break;
    }
  }
  outcome.problems.push(...finishLayerAttributes(spec.layer, attributes));

  if (outcome.problems.length > 0 || !geometry) return outcome;
  const extraProperties = Object.fromEntries(Object.entries(properties).filter(([key]) => !consumed.has(key)));
  outcome.prepared = { index, label: outcome.label, geometry, attributes, extraProperties };
  return outcome;
}

function missingProblem(attribute: AttributeSpec, resolver: PropertyResolver, sourceKey: string | null): string {
  const mapped = resolver.mappedSource(attribute.name);
  if (mapped) return `${missingMessagePrefix(attribute.name)}: property "${mapped}" (from --map ${attribute.name}=${mapped}) is ${sourceKey ? 'empty' : 'absent'}`;
  if (sourceKey) return `${missingMessagePrefix(attribute.name)}: "${sourceKey}" is empty (${attribute.description})`;
  return `${missingMessagePrefix(attribute.name)} (${attribute.description}); looked for ${resolver.describeCandidates(attribute.name)}; use --map ${attribute.name}=<property> if it has another name`;
}

/** Checks and reprojects a geometry-valued attribute; returns the WGS 84 geometry or a problem. */
function prepareGeometryAttribute(attribute: AttributeSpec, value: Geometry, srs: SrsChoice): Geometry | string {
  const structure = describeGeometryStructure(value);
  if (structure.length > 0) return `${attribute.name}: ${structure.join('; ')}`;
  const checked = reprojectAndCheckExtent(value, srs.srs, srs.origin);
  if (!checked.ok) return `${attribute.name}: ${checked.problem}`;
  return normalizeGeometryType(checked.geometry, attribute.type === 'polygon' ? 'MultiPolygon' : 'Point');
}

/** Derived attributes and rules between attributes; returns problems. */
function finishLayerAttributes(layer: ImportLayer, attributes: Record<string, AttributeValue>): string[] {
  const problems: string[] = [];
  const folded = (value: AttributeValue) => (typeof value === 'string' ? foldVietnamese(value) : null);
  switch (layer) {
    case 'communes':
      attributes.name_folded = folded(attributes.name ?? null);
      if (attributes.level === 'province') {
        problems.push('unit_type says this is a province; import the province outline with layer "province"');
      }
      break;
    case 'province':
      attributes.name_folded = folded(attributes.name ?? null);
      attributes.level = 'province';
      break;
    case 'heritage-sites':
      attributes.name_folded = folded(attributes.name_vi ?? null);
      break;
    case 'facilities': {
      attributes.name_folded = folded(attributes.name ?? null);
      const kind = attributes.kind;
      const hotline = attributes.hotline;
      const expected = typeof kind === 'string' ? hotlineByFacilityKind[kind] : undefined;
      if (expected && typeof hotline === 'string' && hotline !== expected) {
        problems.push(`hotline ${hotline} does not match kind ${kind}: ${kind} facilities answer ${expected} (113 police, 114 fire, 115 medical)`);
      }
      break;
    }
    default:
      break;
  }
  return problems;
}

/** For the CLI's help: the layers and what they take. */
export function describeLayer(layer: ImportLayer): string {
  const spec = layerSpecs[layer];
  const attributes = spec.attributes.map((attribute) => `  ${attribute.required ? '*' : ' '} ${attribute.name.padEnd(20)} ${attribute.description}`);
  return [`${layer}: ${spec.description} (${spec.geometryTypes.join(' or ')})`, ...attributes].join('\n');
}

