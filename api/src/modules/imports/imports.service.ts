import type { Kysely } from 'kysely';
import type { Geometry } from 'geojson';
import { prepareImportData, prepareImportFile, type ImportLayer, type PreparedFeature, type PreparedFile } from '@bandoso/gis-data';
import type { AdminLevel, CameraStatus, CameraVisibility, Database, FacilityKind, HeritageRank, Hotline } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import * as repository from './imports.repository.ts';
import { findBoundarySetByName } from '../boundaries/boundaries.service.ts';

export interface BoundarySetOptions {
  name: string;
  /** 'YYYY-MM-DD'; required to create a set, optional to replace one. */
  validFrom?: string;
  validTo?: string | null;
  description?: string;
}

export interface ImportRequest {
  layer: ImportLayer;
  source: { path: string } | { data: Buffer | string; fileName: string };
  boundarySet?: BoundarySetOptions;
  srs?: string;
  /** Encoding of a shapefile's .dbf (`--encoding`, e.g. windows-1258); overrides its .cpg. */
  encoding?: string;
  repair?: boolean;
  dryRun?: boolean;
  propertyMap?: Record<string, string>;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  phase: 'reading' | 'validating' | 'writing';
  done: number;
  total: number;
}

export interface FeatureNote {
  feature: string;
  reason: string;
}

export interface ImportReport {
  layer: ImportLayer;
  source: string;
  format: PreparedFile['format'] | null;
  sourceSrs: string | null;
  /** imported: written; rejected: nothing written; validated: a dry run found no problem (nothing written). */
  status: 'imported' | 'rejected' | 'validated';
  featureCount: number;
  imported: number;
  repaired: FeatureNote[];
  rejected: FeatureNote[];
  /** Units of a replaced boundary set that the new file no longer has. */
  removed: number;
  boundarySet: { name: string; validFrom: string; validTo: string | null } | null;
  durationMs: number;
}

const boundaryLayers: ReadonlySet<ImportLayer> = new Set(['communes', 'province']);
const polygonLayers: ReadonlySet<ImportLayer> = new Set(['communes', 'province', 'planning-zones']);

/**
 * Imports one file into one reference layer, all or nothing.
 *
 * Phase 1 reads and checks the whole file without writing: structure and coordinates (gis-data),
 * then PostGIS validity of every geometry and the layer's own rules. Any problem rejects the file,
 * naming each faulty feature. Phase 2 writes everything in one transaction.
 */
export async function importReferenceFile(db: Kysely<Database>, request: ImportRequest): Promise<ImportReport> {
  const started = performance.now();
  const sourceName = 'path' in request.source ? request.source.path : request.source.fileName;
  const report: ImportReport = {
    layer: request.layer,
    source: sourceName,
    format: null,
    sourceSrs: null,
    status: 'rejected',
    featureCount: 0,
    imported: 0,
    repaired: [],
    rejected: [],
    removed: 0,
    boundarySet: null,
    durationMs: 0,
  };
  const finish = () => ({ ...report, durationMs: Math.round(performance.now() - started) });
  const progress = (phase: ImportProgress['phase']) => (done: number, total: number) => request.onProgress?.({ phase, done, total });

  const options = {
    layer: request.layer,
    ...(request.srs ? { srs: request.srs } : {}),
    ...(request.encoding ? { encoding: request.encoding } : {}),
    ...(request.propertyMap ? { propertyMap: request.propertyMap } : {}),
    onProgress: progress('reading'),
  };
  const prepared =
    'path' in request.source
      ? await prepareImportFile(request.source.path, options)
      : await prepareImportData(request.source.data, request.source.fileName, options);
  report.format = prepared.format;
  report.sourceSrs = prepared.sourceSrs;
  report.featureCount = prepared.featureCount;
  report.rejected.push(...prepared.problems.map((problem) => ({ feature: problem.label, reason: problem.problem })));

  const boundarySet = boundaryLayers.has(request.layer) ? await resolveBoundarySet(db, request) : null;
  if (boundarySet) report.boundarySet = boundarySet.summary;

  // Phase 1: every remaining check, read-only.
  const keyOf = naturalKey(request.layer);
  const seen = new Map<string, string>();
  const validating = progress('validating');
  for (const [position, feature] of prepared.features.entries()) {
    const key = keyOf(feature);
    const earlier = seen.get(key);
    if (earlier) report.rejected.push({ feature: feature.label, reason: `duplicate ${describeKey(request.layer)} "${key}" (also ${earlier})` });
    else seen.set(key, feature.label);

    for (const [what, geometry] of geometriesToCheck(request.layer, feature)) {
      const validity = await repository.checkGeometryValidity(db, geometry);
      if (validity.empty) report.rejected.push({ feature: feature.label, reason: `${what} is empty` });
      else if (!validity.valid && !request.repair)
        report.rejected.push({
          feature: feature.label,
          reason: `${what} is not valid (${validity.reason}); fix it in the source, or pass --repair to apply ST_MakeValid`,
        });
      else if (!validity.valid && validity.repairedIsEmpty)
        report.rejected.push({ feature: feature.label, reason: `${what} is not valid (${validity.reason}) and a repair would leave no area` });
      else if (!validity.valid) report.repaired.push({ feature: feature.label, reason: `${what}: ${validity.reason}` });
    }
    if (request.layer === 'communes') checkParentCode(feature, prepared, boundarySet, report);
    if ((position + 1) % 100 === 0) validating(position + 1, prepared.features.length);
  }
  validating(prepared.features.length, prepared.features.length);

  if (report.rejected.length > 0) {
    report.repaired = [];
    return finish();
  }
  if (request.dryRun) {
    report.status = 'validated';
    return finish();
  }

  // Phase 2: all or nothing.
  const writing = progress('writing');
  await db.transaction().execute(async (transaction) => {
    if (boundarySet) {
      const setId = await repository.upsertBoundarySet(transaction, {
        name: boundarySet.summary.name,
        validFrom: boundarySet.summary.validFrom,
        validTo: request.boundarySet?.validTo,
        description: request.boundarySet?.description,
      });
      const levels = new Set<AdminLevel>();
      const parents = new Map<string, string>();
      for (const [position, feature] of prepared.features.entries()) {
        const unit = toAdminUnit(request.layer, feature);
        levels.add(unit.level);
        if (typeof feature.attributes.parent_code === 'string' && feature.attributes.parent_code) parents.set(unit.code, feature.attributes.parent_code);
        await repository.upsertAdminUnit(transaction, setId, unit, request.repair === true);
        writing(position + 1, prepared.features.length);
      }
      report.removed = await repository.deleteUnitsNotIn(
        transaction,
        setId,
        [...levels],
        prepared.features.map((feature) => String(feature.attributes.code)),
      );
      await repository.linkUnitParents(transaction, setId, parents);
    } else {
      for (const [position, feature] of prepared.features.entries()) {
        await writeFeature(transaction, request.layer, feature, request.repair === true);
        writing(position + 1, prepared.features.length);
      }
    }
  });
  report.imported = prepared.features.length;
  report.status = 'imported';
  return finish();
}

interface ResolvedBoundarySet {
  summary: { name: string; validFrom: string; validTo: string | null };
  existingCodes: Map<string, AdminLevel>;
}

async function resolveBoundarySet(db: Kysely<Database>, request: ImportRequest): Promise<ResolvedBoundarySet> {
  const options = request.boundarySet;
  if (!options?.name) {
    throw new AppError('VALIDATION_FAILED', `Importing ${request.layer} needs a boundary set: pass --set NAME (and --valid-from YYYY-MM-DD for a new set).`, {
      vi: 'Cần chỉ định bộ ranh giới: --set TÊN (và --valid-from YYYY-MM-DD nếu là bộ mới).',
    });
  }
  const existing = await findBoundarySetByName(db, options.name);
  const validFrom = options.validFrom ?? existing?.valid_from;
  if (!validFrom) {
    throw new AppError('VALIDATION_FAILED', `Boundary set "${options.name}" does not exist yet: pass --valid-from YYYY-MM-DD to create it.`, {
      vi: `Bộ ranh giới "${options.name}" chưa có: thêm --valid-from YYYY-MM-DD để tạo.`,
    });
  }
  const validTo = options.validTo === undefined ? (existing?.valid_to ?? null) : options.validTo;
  if (validTo !== null && validTo < validFrom) {
    throw new AppError('VALIDATION_FAILED', `--valid-to ${validTo} is before --valid-from ${validFrom}.`, {
      vi: `Ngày hết hiệu lực ${validTo} trước ngày bắt đầu ${validFrom}.`,
    });
  }
  return {
    summary: { name: options.name, validFrom, validTo },
    existingCodes: existing ? await repository.listUnitCodes(db, existing.id) : new Map(),
  };
}

function checkParentCode(feature: PreparedFeature, prepared: PreparedFile, set: ResolvedBoundarySet | null, report: ImportReport): void {
  const parentCode = feature.attributes.parent_code;
  if (typeof parentCode !== 'string' || !parentCode) return;
  const inFile = prepared.features.some((other) => other.attributes.code === parentCode);
  if (!inFile && !set?.existingCodes.has(parentCode)) {
    report.rejected.push({
      feature: feature.label,
      reason: `parent_code "${parentCode}" is neither in this file nor in boundary set "${set?.summary.name}"; import the parent unit first`,
    });
  }
}

function geometriesToCheck(layer: ImportLayer, feature: PreparedFeature): Array<[string, Geometry]> {
  const checks: Array<[string, Geometry]> = [];
  if (polygonLayers.has(layer)) checks.push(['geometry', feature.geometry]);
  const footprint = feature.attributes.footprint;
  if (layer === 'heritage-sites' && isGeometry(footprint)) checks.push(['footprint', footprint]);
  return checks;
}

function naturalKey(layer: ImportLayer): (feature: PreparedFeature) => string {
  if (layer === 'planning-zones') {
    return (feature) => `${text(feature, 'plan_code')}/${text(feature, 'plan_version')}/${text(feature, 'zone_code')}`;
  }
  return (feature) => text(feature, 'code');
}

function describeKey(layer: ImportLayer): string {
  return layer === 'planning-zones' ? 'plan/version/zone code' : 'code';
}

function toAdminUnit(layer: ImportLayer, feature: PreparedFeature): repository.AdminUnitInput {
  const adminCenter = feature.attributes.admin_center;
  return {
    code: text(feature, 'code'),
    name: text(feature, 'name'),
    nameFolded: text(feature, 'name_folded'),
    level: layer === 'province' ? 'province' : (text(feature, 'level') as AdminLevel),
    adminCenter: isGeometry(adminCenter) ? adminCenter : null,
    geometry: feature.geometry,
    properties: feature.extraProperties ?? {},
  };
}

async function writeFeature(db: Kysely<Database>, layer: ImportLayer, feature: PreparedFeature, repair: boolean): Promise<void> {
  const properties = feature.extraProperties ?? {};
  switch (layer) {
    case 'planning-zones':
      return repository.upsertPlanningZone(
        db,
        {
          plan_code: text(feature, 'plan_code'),
          plan_name: text(feature, 'plan_name'),
          plan_version: text(feature, 'plan_version'),
          decision_number: text(feature, 'decision_number'),
          decision_date: text(feature, 'decision_date'),
          approving_authority: optionalText(feature, 'approving_authority'),
          zone_code: text(feature, 'zone_code'),
          land_use_code: text(feature, 'land_use_code'),
          land_use_name: text(feature, 'land_use_name'),
          max_density_pct: optionalNumber(feature, 'max_density_pct'),
          max_floors: optionalNumber(feature, 'max_floors'),
          max_height_m: optionalNumber(feature, 'max_height_m'),
          far: optionalNumber(feature, 'far'),
          geometry: feature.geometry,
          properties,
        },
        repair,
      );
    case 'heritage-sites': {
      const footprint = feature.attributes.footprint;
      return repository.upsertHeritageSite(
        db,
        {
          code: text(feature, 'code'),
          name_vi: text(feature, 'name_vi'),
          name_en: text(feature, 'name_en'),
          name_folded: text(feature, 'name_folded'),
          rank: text(feature, 'rank') as HeritageRank,
          description_vi: text(feature, 'description_vi'),
          description_en: text(feature, 'description_en'),
          opening_hours: optionalText(feature, 'opening_hours'),
          position_source: optionalText(feature, 'position_source'),
          location: feature.geometry,
          footprint: isGeometry(footprint) ? footprint : null,
          properties,
        },
        repair,
      );
    }
    case 'cameras':
      return repository.upsertCamera(db, {
        code: text(feature, 'code'),
        name: text(feature, 'name'),
        bearing_deg: Number(feature.attributes.bearing_deg),
        hfov_deg: Number(feature.attributes.hfov_deg),
        range_m: Number(feature.attributes.range_m),
        stream_url: text(feature, 'stream_url'),
        status: (optionalText(feature, 'status') ?? 'online') as CameraStatus,
        visibility: (optionalText(feature, 'visibility') ?? 'restricted') as CameraVisibility,
        owner: optionalText(feature, 'owner'),
        location: feature.geometry,
        properties,
      });
    case 'facilities':
      return repository.upsertFacility(db, {
        code: text(feature, 'code'),
        name: text(feature, 'name'),
        name_folded: text(feature, 'name_folded'),
        kind: text(feature, 'kind') as FacilityKind,
        hotline: text(feature, 'hotline') as Hotline,
        phone: optionalText(feature, 'phone'),
        address: text(feature, 'address'),
        location: feature.geometry,
        properties,
      });
    default:
      throw new Error(`layer ${layer} is written as a boundary set`);
  }
}

function text(feature: PreparedFeature, name: string): string {
  const value = feature.attributes[name];
  return value === null || value === undefined ? '' : String(value);
}

function optionalText(feature: PreparedFeature, name: string): string | null {
  const value = feature.attributes[name];
  return value === null || value === undefined || value === '' ? null : String(value);
}

function optionalNumber(feature: PreparedFeature, name: string): number | null {
  const value = feature.attributes[name];
  return value === null || value === undefined || value === '' ? null : Number(value);
}

function isGeometry(value: unknown): value is Geometry {
  return typeof value === 'object' && value !== null && 'type' in value && 'coordinates' in value;
}
