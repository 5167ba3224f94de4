import type { CameraStatus, CameraVisibility, ReportStatus } from '@bandoso/contracts';
import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';

/**
 * Row types of every table, as Kysely sees them: the one home of table types. A test
 * (database-schema.integration.test.ts) checks them against the migrated database, so adding a
 * table is a migration, one entry here, and whatever the compiler then points at. Rows and inserts
 * are `Selectable<…>` / `Insertable<…>` of these. Geometry columns are opaque text (EWKB) on select
 * and are written and read only through the PostGIS helpers in `postgis.ts`.
 */
type Geometry = ColumnType<string, string, string>;
type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date>;
type Json = ColumnType<Record<string, unknown>, string | undefined, string>;

export type AdminLevel = 'province' | 'district' | 'commune' | 'ward' | 'town';
export type OfficeKind = 'commune_committee' | 'department' | 'police' | 'utility' | 'ioc';
export type HeritageRank = 'special_national' | 'national' | 'provincial';
export type HeritageTilesetSource = 'generated' | 'imported';
export type { CameraStatus, CameraVisibility };
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
  /** Where the site's 3D Tiles come from (migration 0010); null: no tileset. */
  tileset_source: HeritageTilesetSource | null;
  /** The current build or import (hex); it is in the tileset's URL. */
  tileset_version: string | null;
  /** An illustrative reconstruction, not a survey. */
  tileset_illustrative: ColumnType<boolean, boolean | undefined, boolean>;
  /** An imported tileset's folder, relative to the media folder: 'heritage/<code>/<version>'. */
  tileset_folder: string | null;
  location: Geometry;
  footprint: Geometry | null;
  properties: Json;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A stop of a site's guided tour (migration 0010): a camera pose in the site's east-north-up metres, and what is told there. */
export interface HeritageStopTable {
  site_id: string;
  ordinal: number;
  title_vi: string;
  title_en: string;
  narration_vi: string;
  narration_en: string;
  camera_east: number;
  camera_north: number;
  camera_up: number;
  target_east: number;
  target_north: number;
  target_up: number;
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
  /** Who may watch it (migration 0011); restricted unless said otherwise. */
  visibility: ColumnType<CameraVisibility, CameraVisibility | undefined, CameraVisibility>;
  owner: string | null;
  /** When its stream last answered the health checker. */
  last_seen_at: Date | null;
  /** A retired camera leaves the map and the lists; its audit trail stays. */
  retired_at: Date | null;
  properties: Json;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** An audited change of a camera (migration 0011): who, when, what. */
export interface CameraEventTable {
  id: Generated<string>;
  camera_id: string;
  kind: 'created' | 'updated' | 'retired' | 'status';
  actor_user_id: string | null;
  /** A user's role, or `system` for the health checker. */
  actor_role: string;
  changes: Json;
  created_at: CreatedAt;
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

/** The statuses have their home in @bandoso/contracts (report-status.ts), shared with every side. */
export type { ReportStatus };
export type ReportPriority = 'urgent' | 'normal' | 'complex';
export type UserRole = 'citizen' | 'officer' | 'ioc_operator' | 'planner' | 'admin';
export type ActorRole = UserRole | 'system' | 'integration';
export type RejectionReason = 'not_eligible' | 'not_enough_information' | 'not_our_responsibility';
export type LocationVerdict = 'verified' | 'unverified' | 'mismatch';
export type PhotoRole = 'report' | 'before' | 'after';

export interface ReportPriorityTable {
  code: ReportPriority;
  name_vi: string;
  name_en: string;
  resolve_working_minutes: number;
}

export interface ReportCategoryTable {
  code: string;
  name_vi: string;
  name_en: string;
  description_vi: string | null;
  description_en: string | null;
  responsible_kind: 'commune_committee' | 'office';
  /** For 'office': the responsibility the answering office has (e.g. 'power'). */
  responsibility: string | null;
  default_priority: ReportPriority;
  acknowledge_working_minutes: ColumnType<number, number | undefined, number>;
  /** Overrides the priority's resolve time when set. */
  resolve_working_minutes: number | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  sort_order: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CalendarExceptionTable {
  day: string;
  kind: 'holiday' | 'working_day';
  name_vi: string;
  name_en: string | null;
}

export interface AppUserTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string;
  role: UserRole;
  office_id: string | null;
  phone: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
}

export interface UserSessionTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  csrf_token: string;
  kind: 'cookie' | 'bearer';
  created_at: CreatedAt;
  expires_at: Date;
  last_used_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ApiClientTable {
  id: Generated<string>;
  name: string;
  key_hash: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
}

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface ReportTable {
  id: Generated<string>;
  tracking_code: string;
  category_code: string;
  priority: ReportPriority;
  description: string;
  location: Geometry;
  accuracy_m: number | null;
  address: string | null;
  status: ReportStatus;
  boundary_set_id: string;
  unit_code: string;
  unit_name: string;
  office_id: string;
  near_border: ColumnType<boolean, boolean | undefined, boolean>;
  border_confirmed_at: NullableTimestamp;
  location_verdict: LocationVerdict;
  location_verdict_detail: string | null;
  rejection_reason: RejectionReason | null;
  duplicate_of: string | null;
  public_answer: string | null;
  answered_at: NullableTimestamp;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  acknowledged_at: NullableTimestamp;
  resolved_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  acknowledge_due_at: Timestamp;
  due_at: NullableTimestamp;
  paused_at: NullableTimestamp;
  /** Working minutes that were left on the step deadline when the report started waiting for the citizen. */
  paused_remaining_minutes: number | null;
  overdue: ColumnType<boolean, boolean | undefined, boolean>;
  escalated_at: NullableTimestamp;
  rating: 'satisfied' | 'not_satisfied' | null;
  rating_comment: string | null;
  rated_at: NullableTimestamp;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  version: ColumnType<number, number | undefined, number>;
}

export interface ReportReporterTable {
  report_id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  consent_to_contact: boolean;
  user_id: string | null;
  token_hash: string;
}

export interface ReportFollowerTable {
  id: Generated<string>;
  report_id: string;
  user_id: string | null;
  token_hash: string | null;
  moved_from_report_id: string | null;
  created_at: CreatedAt;
}

export interface ReportEventTable {
  id: Generated<string>;
  seq: ColumnType<number, never, never>;
  report_id: string;
  kind: string;
  from_status: ReportStatus | null;
  to_status: ReportStatus | null;
  actor_user_id: string | null;
  actor_role: ActorRole;
  office_id: string | null;
  note: string | null;
  public: boolean;
  data: Json;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface ReportPhotoTable {
  id: Generated<string>;
  report_id: string;
  event_id: string | null;
  role: PhotoRole;
  public_path: string;
  original_path: string;
  content_type: string;
  original_content_type: string;
  width: number;
  height: number;
  bytes: number;
  taken_at: NullableTimestamp;
  taken_location: Geometry | null;
  created_at: CreatedAt;
}

export interface IdempotencyKeyTable {
  key: string;
  request_hash: string;
  report_id: string;
  response: ColumnType<Record<string, unknown>, string, string>;
  created_at: CreatedAt;
}

export interface OutboxMessageTable {
  id: Generated<number>;
  topic: string;
  report_id: string | null;
  office_id: string | null;
  payload: ColumnType<Record<string, unknown>, string, string>;
  created_at: CreatedAt;
  /** When the webhook dispatcher created its deliveries (or found nobody to deliver to). */
  webhook_fanned_out_at: NullableTimestamp;
}

export interface OfficeWebhookTable {
  office_id: string;
  url: string;
  secret: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  /** The account the office's document system acts as when it posts an update back. */
  integration_user_id: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface WebhookDeliveryTable {
  id: Generated<number>;
  message_id: number;
  office_id: string;
  idempotency_id: Generated<string>;
  status: ColumnType<'pending' | 'delivered' | 'dead', 'pending' | 'delivered' | 'dead' | undefined, 'pending' | 'delivered' | 'dead'>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: NullableTimestamp;
  created_at: CreatedAt;
  /** The exact bytes every attempt sends (and signs). */
  body: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';
export type AttemptOutcome = 'delivered' | 'retry' | 'dead';

export interface WebhookDeliveryAttemptTable {
  id: ColumnType<number, never, never>;
  delivery_id: number;
  attempt: number;
  url: string;
  started_at: Timestamp;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  outcome: AttemptOutcome;
}

export interface WebhookInboundUpdateTable {
  office_id: string;
  external_id: string;
  request_hash: string;
  report_id: string;
  action: string;
  state: 'processing' | 'applied';
  result_status: string | null;
  occurred_at: NullableTimestamp;
  received_at: Timestamp;
  applied_at: NullableTimestamp;
}

export type StatisticsDimension = 'unit' | 'office' | 'category';

/** The aggregate tables of migration 0004 (see its header for what each column means). */
export interface ReportStatisticsTable {
  dimension: StatisticsDimension;
  grain: 'day' | 'month';
  period_start: string;
  key: string;
  received: number;
  open: number;
  overdue_open: number;
  resolved: number;
  resolved_on_time: number;
  rejected: number;
  duplicates: number;
  acknowledged: number;
  rated: number;
  satisfied: number;
  /** numeric, packed (stats-histogram.ts): select it as text. */
  acknowledge_histogram: string;
  resolve_histogram: string;
}

export interface ReportStatisticsStateTable {
  singleton: boolean;
  boundary_set_id: string | null;
  units_changed: boolean;
  regrouped_at: Date | null;
}

/** Report counts per cell of a Web Mercator grid and status (migration 0005): the clusters of the report tiles. */
export interface ReportClusterCellTable {
  level: number;
  category_code: string;
  cell_x: number;
  cell_y: number;
  total: number;
  received: number;
  accepted: number;
  in_progress: number;
  waiting_for_citizen: number;
  resolved: number;
  rejected: number;
  transferred: number;
  reopened: number;
  duplicate: number;
  sum_u: number;
  sum_v: number;
}

/** A version per tile source, bumped by triggers in the writing transaction (migration 0005). */
export interface TileSourceVersionTable {
  source: string;
  version: ColumnType<number, never, never>;
}

/** Rate-limit counters shared by every API process (migration 0007). */
export interface RateLimitCounterTable {
  key: string;
  window_start: Timestamp;
  window_end: Timestamp;
  hits: number;
}

export type BasemapLineKind = 'road' | 'railway' | 'waterway';
export type BasemapAreaKind = 'water' | 'landuse' | 'natural' | 'park' | 'building';
export type BasemapPointKind = 'place' | 'poi';

/** One successful base map import (issue 16); the latest is the base map in force. */
export interface BasemapImportTable {
  id: Generated<string>;
  source_name: string;
  source_sha256: string;
  /** 'province', 'none' or the bbox given ('minLon,minLat,maxLon,maxLat'). */
  clip: string;
  bbox: Geometry | null;
  imported_at: ColumnType<Date, Date | undefined, never>;
  counts: Json;
}

/** Bigint ids come back from pg as text. */
type BigSerial = ColumnType<string, never, never>;
type OsmId = ColumnType<string | null, number | string | null, never>;

export interface BasemapLineTable {
  id: BigSerial;
  osm_id: OsmId;
  kind: BasemapLineKind;
  class: string;
  name: string | null;
  name_folded: string | null;
  ref: string | null;
  geom: Geometry;
}

export interface BasemapAreaTable {
  id: BigSerial;
  osm_id: OsmId;
  kind: BasemapAreaKind;
  class: string;
  name: string | null;
  name_folded: string | null;
  geom: Geometry;
}

export interface BasemapPointTable {
  id: BigSerial;
  osm_id: OsmId;
  kind: BasemapPointKind;
  class: string;
  name: string;
  name_folded: string;
  commune_code: string | null;
  geom: Geometry;
}

export interface Database {
  boundary_set: BoundarySetTable;
  admin_unit: AdminUnitTable;
  office: OfficeTable;
  office_coverage: OfficeCoverageTable;
  planning_zone: PlanningZoneTable;
  heritage_site: HeritageSiteTable;
  heritage_stop: HeritageStopTable;
  camera: CameraTable;
  camera_event: CameraEventTable;
  emergency_facility: EmergencyFacilityTable;
  report_priority: ReportPriorityTable;
  report_category: ReportCategoryTable;
  calendar_exception: CalendarExceptionTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  api_client: ApiClientTable;
  report: ReportTable;
  report_reporter: ReportReporterTable;
  report_follower: ReportFollowerTable;
  report_event: ReportEventTable;
  report_photo: ReportPhotoTable;
  idempotency_key: IdempotencyKeyTable;
  outbox_message: OutboxMessageTable;
  office_webhook: OfficeWebhookTable;
  webhook_delivery: WebhookDeliveryTable;
  webhook_delivery_attempt: WebhookDeliveryAttemptTable;
  webhook_inbound_update: WebhookInboundUpdateTable;
  report_statistics: ReportStatisticsTable;
  report_statistics_state: ReportStatisticsStateTable;
  report_cluster_cell: ReportClusterCellTable;
  tile_source_version: TileSourceVersionTable;
  rate_limit_counter: RateLimitCounterTable;
  basemap_import: BasemapImportTable;
  basemap_line: BasemapLineTable;
  basemap_area: BasemapAreaTable;
  basemap_point: BasemapPointTable;
}

/** What repository functions take first: the database, or a transaction a service opened on it. */
export type DatabaseExecutor = Kysely<Database> | Transaction<Database>;

export type BoundarySetRow = Selectable<BoundarySetTable>;
export type AdminUnitRow = Selectable<AdminUnitTable>;
export type OfficeRow = Selectable<OfficeTable>;
export type PlanningZoneRow = Selectable<PlanningZoneTable>;
export type ReportCategoryRow = Selectable<ReportCategoryTable>;
export type ReportRow = Selectable<ReportTable>;
export type NewReport = Insertable<ReportTable>;
export type ReportEventRow = Selectable<ReportEventTable>;
export type NewReportEvent = Insertable<ReportEventTable>;
export type AppUserRow = Selectable<AppUserTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
export type WebhookDeliveryAttemptRow = Selectable<WebhookDeliveryAttemptTable>;
export type WebhookInboundUpdateRow = Selectable<WebhookInboundUpdateTable>;
export type ReportStatisticsStateRow = Selectable<ReportStatisticsStateTable>;
export type RateLimitCounterRow = Selectable<RateLimitCounterTable>;
