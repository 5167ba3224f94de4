import { comparedZoneAttributes, type Plan, type PlanChanges, type PlanList, type PlanVersion, type WhatAppliesHere, type ZoneAtPoint, type ZoneAttributeValues, type ZoneChange } from '@bandoso/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { findZonesCoveringPoint, listPlanVersions, pairZonesOfVersions, type PlanVersionRow, type ZoneAttributes, type ZoneRow } from './planning.repository.ts';

/** The answers' shapes are the contracts' (planning.contract.ts): `GET /api/planning/plans`, `/at` and `/changes`. */
export async function listPlans(db: Kysely<Database>): Promise<PlanList> {
  const rows = await listPlanVersions(db);
  const plans = new Map<string, Plan>();
  for (const row of rows) {
    const plan = plans.get(row.plan_code) ?? {
      planCode: row.plan_code,
      planName: row.plan_name,
      approvingAuthority: row.approving_authority,
      versions: [],
      currentVersion: row.plan_version,
    };
    plan.versions.push(toPlanVersion(row));
    // Rows come oldest decision first, so the last one seen is the version in force.
    plan.currentVersion = row.plan_version;
    plan.planName = row.plan_name;
    plans.set(row.plan_code, plan);
  }
  return { plans: [...plans.values()] };
}

/** "What applies here": the zone of each plan at a point, in the current version unless one is asked for. */
export async function findWhatAppliesAt(
  db: Kysely<Database>,
  longitude: number,
  latitude: number,
  options: { planCode?: string; version?: string } = {},
): Promise<WhatAppliesHere> {
  const known = await listPlanVersions(db);
  const plans = options.planCode === undefined ? known : known.filter((row) => row.plan_code === options.planCode);
  if (options.planCode !== undefined && plans.length === 0) throw unknownPlan(options.planCode, known);
  let versions: { planCode: string; version: string }[];
  if (options.version !== undefined) {
    versions = plans.filter((row) => row.plan_version === options.version).map((row) => ({ planCode: row.plan_code, version: row.plan_version }));
    if (versions.length === 0) throw unknownVersion(options.planCode, options.version, plans);
  } else {
    const current = new Map<string, string>();
    for (const row of plans) current.set(row.plan_code, row.plan_version);
    versions = [...current].map(([planCode, version]) => ({ planCode, version }));
  }
  const rows = await findZonesCoveringPoint(db, longitude, latitude, { versions });
  return { point: { type: 'Point', coordinates: [longitude, latitude] }, zones: rows.map(toZoneAtPoint) };
}

/** The zones that differ between two versions of a plan, matched by zone code. */
export async function comparePlanVersions(db: Kysely<Database>, planCode: string, fromVersion: string, toVersion: string): Promise<PlanChanges> {
  const known = await listPlanVersions(db);
  const versions = known.filter((row) => row.plan_code === planCode);
  if (versions.length === 0) throw unknownPlan(planCode, known);
  const from = versions.find((row) => row.plan_version === fromVersion);
  if (!from) throw unknownVersion(planCode, fromVersion, versions);
  const to = versions.find((row) => row.plan_version === toVersion);
  if (!to) throw unknownVersion(planCode, toVersion, versions);

  const pairs = await pairZonesOfVersions(db, planCode, fromVersion, toVersion);
  const changes: ZoneChange[] = [];
  let unchangedCount = 0;
  for (const pair of pairs) {
    const before = pair.before ? toAttributeValues(pair.before) : null;
    const after = pair.after ? toAttributeValues(pair.after) : null;
    const bbox = pair.bbox.map(Number) as [number, number, number, number];
    if (!before || !after) {
      changes.push({ zoneCode: pair.zone_code, change: before ? 'removed' : 'added', changedAttributes: [], geometryChanged: true, before, after, bbox });
      continue;
    }
    const changedAttributes = comparedZoneAttributes.filter((name) => before[name] !== after[name]);
    const geometryChanged = pair.geometry_equal === false;
    if (changedAttributes.length === 0 && !geometryChanged) {
      unchangedCount += 1;
      continue;
    }
    changes.push({ zoneCode: pair.zone_code, change: 'changed', changedAttributes, geometryChanged, before, after, bbox });
  }
  return { planCode, from: toPlanVersion(from), to: toPlanVersion(to), changes, unchangedCount };
}

function toPlanVersion(row: PlanVersionRow): PlanVersion {
  return {
    version: row.plan_version,
    decisionNumber: row.decision_number,
    decisionDate: row.decision_date,
    zoneCount: row.zone_count,
    bbox: [row.west, row.south, row.east, row.north],
  };
}

function toZoneAtPoint(row: ZoneRow): ZoneAtPoint {
  return {
    planCode: row.plan_code,
    planName: row.plan_name,
    planVersion: row.plan_version,
    decisionNumber: row.decision_number,
    decisionDate: row.decision_date,
    approvingAuthority: row.approving_authority,
    zoneCode: row.zone_code,
    zoneName: row.zone_name,
    landUseCode: row.land_use_code,
    landUseName: row.land_use_name,
    maxDensityPct: row.max_density_pct,
    maxFloors: row.max_floors,
    maxHeightM: row.max_height_m,
    far: row.far,
    areaM2: Math.round(row.area_m2),
  };
}

function toAttributeValues(attributes: ZoneAttributes): ZoneAttributeValues {
  return {
    zoneName: attributes.zone_name,
    landUseCode: attributes.land_use_code,
    landUseName: attributes.land_use_name,
    maxDensityPct: attributes.max_density_pct,
    maxFloors: attributes.max_floors,
    maxHeightM: attributes.max_height_m,
    far: attributes.far,
  };
}

function unknownPlan(planCode: string, known: readonly PlanVersionRow[]): AppError {
  const codes = [...new Set(known.map((row) => row.plan_code))];
  return new AppError('NOT_FOUND', `There is no plan ${planCode}. Known plans: ${codes.join(', ') || 'none'}.`, {
    vi: `Không có quy hoạch ${planCode}. Các quy hoạch hiện có: ${codes.join(', ') || 'chưa có'}.`,
    details: { knownPlans: codes },
  });
}

function unknownVersion(planCode: string | undefined, version: string, versions: readonly PlanVersionRow[]): AppError {
  const names = [...new Set(versions.map((row) => row.plan_version))];
  const plan = planCode === undefined ? 'any plan' : `plan ${planCode}`;
  return new AppError('NOT_FOUND', `There is no version ${version} of ${plan}. Versions: ${names.join(', ') || 'none'}.`, {
    vi: `Không có phiên bản ${version} của ${planCode === undefined ? 'quy hoạch nào' : `quy hoạch ${planCode}`}. Các phiên bản: ${names.join(', ') || 'chưa có'}.`,
    details: { knownVersions: names },
  });
}
