import type { ColumnType, Generated } from 'kysely';

/**
 * Row types of every table, as Kysely sees them. Geometry columns are opaque text (EWKB) on select
 * and are written and read only through the PostGIS helpers in `postgis.ts`.
 */
type Geometry = ColumnType<string, string, string>;
type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date>;
type Json = ColumnType<Record<string, unknown>, string | undefined, string>;

export type AdminLevel = 'province' | 'district' | 'commune' | 'ward' | 'town';
export type OfficeKind = 'commune_committee' | 'department' | 'police' | 'utility' | 'ioc';
export type HeritageRank = 'special_national' | 'national' | 'provincial';
export type CameraStatus = 'online' | 'offline' | 'maintenance';
export type FacilityKind = 'police' | 'fire' | 'hospital' | 'clinic';
export type Hotline = '113' | '114' | '115';

export interface BoundarySetTable {
  id: Generated<string>;
  name: string;
  description: string | null;
  /** 'YYYY-MM-DD' */
  valid_from: string;
  valid_to: string | null;
  created_at: CreatedAt;
}

export interface AdminUnitTable {
  id: Generated<string>;
  boundary_set_id: string;
  code: string;
  name: string;
  name_folded: string;
  level: AdminLevel;
  parent_id: string | null;
  admin_center: Geometry | null;
  geom: Geometry;
  properties: Json;
  created_at: CreatedAt;
}

export interface OfficeTable {
  id: Generated<string>;
  code: string;
  name: string;
  name_en: string | null;
  kind: OfficeKind;
  responsibilities: ColumnType<string[], string[] | undefined, string[]>;
  phone: string | null;
  email: string | null;
  address: string | null;
  supervisor_id: string | null;
  created_at: CreatedAt;
}

export interface OfficeCoverageTable {
  office_id: string;
  boundary_set_id: string;
  unit_code: string;
}

export interface PlanningZoneTable {
  id: Generated<string>;
  plan_code: string;
  plan_name: string;
  plan_version: string;
  decision_number: string;
  decision_date: string;
  approving_authority: string | null;
  zone_code: string;
  land_use_code: string;
  land_use_name: string;
  max_density_pct: number | null;
  max_floors: number | null;
  max_height_m: number | null;
  far: number | null;
  geom: Geometry;
  properties: Json;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface HeritageSiteTable {
  id: Generated<string>;
  code: string;
  name_vi: string;
  name_en: string;
  name_folded: string;
  rank: HeritageRank;
  description_vi: string;
  description_en: string;
  opening_hours: string | null;
  position_source: string | null;
  tileset_url: string | null;
  location: Geometry;
  footprint: Geometry | null;
  properties: Json;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CameraTable {
  id: Generated<string>;
  code: string;
  name: string;
  location: Geometry;
  bearing_deg: number;
  hfov_deg: number;
  range_m: number;
  /** Generated from location, bearing, angle and range by the database. */
  fov: ColumnType<string, never, never>;
  stream_url: string;
  status: ColumnType<CameraStatus, CameraStatus | undefined, CameraStatus>;
  properties: Json;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface EmergencyFacilityTable {
  id: Generated<string>;
  code: string;
  name: string;
  name_folded: string;
  kind: FacilityKind;
  hotline: Hotline;
  phone: string | null;
  address: string;
  location: Geometry;
  properties: Json;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface Database {
  boundary_set: BoundarySetTable;
  admin_unit: AdminUnitTable;
  office: OfficeTable;
  office_coverage: OfficeCoverageTable;
  planning_zone: PlanningZoneTable;
  heritage_site: HeritageSiteTable;
  camera: CameraTable;
  emergency_facility: EmergencyFacilityTable;
}
