import { reportStatuses, type ReportStatus } from '@bandoso/contracts';
import { sql, type RawBuilder } from 'kysely';

/**
 * The layer registry: one definition per layer, the only place that says which rows and which
 * columns a layer publishes. Tiles (`tile-sql.ts`) and OGC API features (`feature-sql.ts`) are both
 * built from these definitions, so the privacy rules cannot drift apart: a column that is not listed
 * in `fields` is never selected (explicit lists, never `*`), and no layer joins the reporter table.
 *
 * SQL fragments refer to the layer's table under the alias `f`. Identifiers come from this file only;
 * every value (tile coordinates, filters) is a bound parameter.
 */

export const layerIds = [
  'province',
  'communes',
  'commune-labels',
  'planning-zones',
  'heritage-sites',
  'cameras',
  'camera-fov',
  'facilities',
  'reports',
  'basemap-landuse',
  'basemap-water',
  'basemap-waterways',
  'basemap-roads',
  'basemap-buildings',
  'basemap-places',
  'basemap-pois',
] as const;
export type LayerId = (typeof layerIds)[number];

/** Tables whose writes change tiles; each has a row in `tile_source_version` (migration 0005). */
export const tileSourceTables = [
  'boundary_set',
  'admin_unit',
  'planning_zone',
  'heritage_site',
  'camera',
  'emergency_facility',
  'report',
  'basemap_line',
  'basemap_area',
  'basemap_point',
] as const;
export type TileSourceTable = (typeof tileSourceTables)[number];

/** MVT / TileJSON field types (as martin and tippecanoe name them). */
export type VectorFieldType = 'String' | 'Number' | 'Boolean';

export interface LayerField {
  name: string;
  type: VectorFieldType;
  description: string;
  /** The value, over the row alias `f`. */
  value: RawBuilder<unknown>;
  /** Tiles only (small, cacheable values) or features only (exact or time-dependent values). */
  only?: 'tiles' | 'features';
  /**
   * The value is a path on this platform ('/…', or null), which the OGC API answers as an absolute
   * URL on the origin it was asked on. Features only: tiles are cached for every origin alike.
   */
  link?: true;
}

/** Validated filter values (see `parseLayerFilters`). */
export interface LayerFilters {
  /** Report category codes. */
  category?: string[];
  /** Report statuses. */
  status?: ReportStatus[];
  /** First and last day (YYYY-MM-DD, Vietnam time) of the creation date, inclusive. */
  from?: string;
  to?: string;
  /** Planning: one plan version instead of the latest version of each plan. */
  version?: string;
}
export type LayerFilterName = keyof LayerFilters;

/** What the API resolves before asking for a layer's rows. */
export interface LayerParameters {
  filters: LayerFilters;
  /** For layers drawn from a boundary set: the set (the one in force today unless `?set=` names another). */
  boundarySetId?: string;
}

export interface LayerFilterSpec {
  name: LayerFilterName;
  description: string;
}

export interface LayerDefinition {
  id: LayerId;
  title: string;
  description: string;
  attribution: string;
  /** The geometry of every feature: points, (multi)lines or (multi)polygons. */
  geometryType: 'Point' | 'LineString' | 'Polygon';
  /** The type of the table's `id`: a UUID (default), or a bigint (the base map's bigserial). */
  idType?: 'uuid' | 'bigint';
  /** Zooms a map should request (TileJSON); tiles outside are still served. */
  minzoom: number;
  maxzoom: number;
  /** Tables whose changes invalidate this layer's tiles. */
  sources: readonly TileSourceTable[];
  /** Drawn from a boundary set: accepts `?set=NAME`. */
  usesBoundarySet: boolean;
  filters: readonly LayerFilterSpec[];
  /** The table (a fixed identifier), aliased `f`. */
  table: string;
  /** The WGS84 geometry column, indexed (the tile prefilter uses it). */
  geometry: RawBuilder<unknown>;
  /** Which rows belong to the layer, given the parameters. */
  conditions(parameters: LayerParameters): RawBuilder<boolean>[];
  /** Tiles only: which rows a tile of zoom z draws (e.g. no footpaths at zoom 10). */
  zoomConditions?(z: number): RawBuilder<boolean>[];
  /** A time property for OGC `datetime` (interval queries). */
  temporal?: { property: string; value: RawBuilder<unknown>; kind: 'timestamp' | 'date' };
  fields: readonly LayerField[];
  /**
   * Features are listed by these keys and then their id, all ascending or all descending, so that
   * a page can start right after a feature (keyset paging: as cheap on page 10,000 as on page 1).
   */
  order: { keys: readonly OrderKey[]; descending?: boolean };
  /** Point aggregation below a zoom (reports). */
  clusters?: { belowZoom: number };
}

/** A sort key and the SQL type its values take back from a paging cursor. */
export interface OrderKey {
  value: RawBuilder<unknown>;
  type: 'text' | 'timestamptz';
}

const VIETNAM = 'Asia/Ho_Chi_Minh';
// A name, the same in every language: the map client adds "sample data" in the language on screen
// (client config `sampleData`), and each layer's description says what its data is.
const attribution = '© Bản đồ số Điện Biên';

function field(name: string, type: VectorFieldType, description: string, value: RawBuilder<unknown>, only?: 'tiles' | 'features'): LayerField {
  return only ? { name, type, description, value, only } : { name, type, description, value };
}

const boundarySetCondition = (parameters: LayerParameters): RawBuilder<boolean> => {
  if (!parameters.boundarySetId) throw new Error('a boundary set layer needs parameters.boundarySetId');
  return sql<boolean>`f.boundary_set_id = ${parameters.boundarySetId}::uuid`;
};

/**
 * Tiles and OGC items are public: they carry the public cameras in service only. Restricted cameras
 * reach the IOC through the authenticated `GET /api/cameras`.
 */
const publicCameraConditions = (): RawBuilder<boolean>[] => [sql<boolean>`f.visibility = 'public'`, sql<boolean>`f.retired_at IS NULL`];

/** The commune-level units of a boundary set: the `communes` polygons and their `commune-labels` points. */
const communeLevelConditions = (parameters: LayerParameters): RawBuilder<boolean>[] => [
  boundarySetCondition(parameters),
  sql<boolean>`f.level IN ('commune', 'ward', 'town')`,
];
const communeLevelFields: readonly LayerField[] = [
  field('code', 'String', 'Official unit code', sql`f.code`),
  field('name', 'String', 'Official name', sql`f.name`),
  field('level', 'String', 'commune, ward or town', sql`f.level`),
];

/** A comma list bound as one text parameter (portable across pg and PGlite, unlike array binding). */
function inList(column: RawBuilder<unknown>, values: readonly string[]): RawBuilder<boolean> {
  return sql<boolean>`${column} = ANY(string_to_array(${values.join(',')}::text, ','))`;
}

const layers: readonly LayerDefinition[] = [
  {
    id: 'province',
    title: 'Tỉnh Điện Biên',
    description: 'The province outline of the boundary set in force (or of ?set=).',
    attribution,
    geometryType: 'Polygon',
    minzoom: 5,
    maxzoom: 16,
    sources: ['admin_unit', 'boundary_set'],
    usesBoundarySet: true,
    filters: [],
    table: 'admin_unit',
    geometry: sql`f.geom`,
    conditions: (parameters) => [boundarySetCondition(parameters), sql<boolean>`f.level = 'province'`],
    fields: [field('code', 'String', 'Official unit code', sql`f.code`), field('name', 'String', 'Official name', sql`f.name`)],
    order: { keys: [{ value: sql`f.code`, type: 'text' }] },
  },
  {
    id: 'communes',
    title: 'Xã, phường (đơn vị cấp xã)',
    description: 'Commune-level units (xã, phường, thị trấn) of the boundary set in force today, or of ?set=NAME.',
    attribution,
    geometryType: 'Polygon',
    minzoom: 7,
    maxzoom: 16,
    sources: ['admin_unit', 'boundary_set'],
    usesBoundarySet: true,
    filters: [],
    table: 'admin_unit',
    geometry: sql`f.geom`,
    conditions: communeLevelConditions,
    fields: communeLevelFields,
    order: { keys: [{ value: sql`f.code`, type: 'text' }] },
  },
  {
    // A map that labels the polygons of `communes` labels each piece of each tile a commune spans, so
    // one name shows several times; one point per commune, always inside it, is labelled once.
    id: 'commune-labels',
    title: 'Tên xã, phường',
    description: 'One label point per commune-level unit (inside it: ST_PointOnSurface) of the boundary set in force today, or of ?set=NAME.',
    attribution,
    geometryType: 'Point',
    minzoom: 7,
    maxzoom: 16,
    sources: ['admin_unit', 'boundary_set'],
    usesBoundarySet: true,
    filters: [],
    table: 'admin_unit',
    geometry: sql`ST_PointOnSurface(f.geom)`,
    conditions: communeLevelConditions,
    fields: communeLevelFields,
    order: { keys: [{ value: sql`f.code`, type: 'text' }] },
  },
  {
    id: 'planning-zones',
    title: 'Quy hoạch phân khu',
    description: 'Planning zones with land use and building limits: the latest version of each plan, or ?version=.',
    attribution,
    geometryType: 'Polygon',
    minzoom: 11,
    maxzoom: 18,
    sources: ['planning_zone'],
    usesBoundarySet: false,
    filters: [{ name: 'version', description: 'A plan version (e.g. 2016) instead of the latest version of each plan' }],
    table: 'planning_zone',
    geometry: sql`f.geom`,
    conditions: (parameters) => [
      parameters.filters.version
        ? sql<boolean>`f.plan_version = ${parameters.filters.version}::text`
        : sql<boolean>`(f.plan_code, f.plan_version) IN (
            SELECT DISTINCT ON (latest.plan_code) latest.plan_code, latest.plan_version FROM planning_zone AS latest
            ORDER BY latest.plan_code, latest.decision_date DESC, latest.plan_version DESC)`,
    ],
    temporal: { property: 'decision_date', value: sql`f.decision_date`, kind: 'date' },
    fields: [
      field('plan_code', 'String', 'Plan code', sql`f.plan_code`),
      field('plan_version', 'String', 'Plan version', sql`f.plan_version`),
      field('zone_code', 'String', 'Zone code, e.g. DO-01', sql`f.zone_code`),
      field('land_use_code', 'String', 'Land-use code (DO, TMDV, CX…)', sql`f.land_use_code`),
      field('land_use_name', 'String', 'Land use, in Vietnamese', sql`f.land_use_name`),
      field('max_density_pct', 'Number', 'Maximum building coverage (%)', sql`f.max_density_pct::double precision`),
      field('max_floors', 'Number', 'Maximum storeys', sql`f.max_floors`),
      field('max_height_m', 'Number', 'Maximum height (m)', sql`f.max_height_m::double precision`),
      field('far', 'Number', 'Land-use coefficient', sql`f.far::double precision`),
      field('decision_number', 'String', 'Approving decision', sql`f.decision_number`),
      field('decision_date', 'String', 'Date of the decision (YYYY-MM-DD)', sql`to_char(f.decision_date, 'YYYY-MM-DD')`),
    ],
    order: { keys: [sql`f.plan_code`, sql`f.plan_version`, sql`f.zone_code`].map((value) => ({ value, type: 'text' as const })) },
  },
  {
    id: 'heritage-sites',
    title: 'Di tích',
    description: 'Heritage sites of the Điện Biên Phủ battlefield and others.',
    attribution,
    geometryType: 'Point',
    minzoom: 8,
    maxzoom: 18,
    sources: ['heritage_site'],
    usesBoundarySet: false,
    filters: [],
    table: 'heritage_site',
    geometry: sql`f.location`,
    conditions: () => [],
    fields: [
      field('code', 'String', 'Site code', sql`f.code`),
      field('name_vi', 'String', 'Name in Vietnamese', sql`f.name_vi`),
      field('name_en', 'String', 'Name in English', sql`f.name_en`),
      field('rank', 'String', 'special_national, national or provincial', sql`f.rank`),
      field('opening_hours', 'String', 'Opening hours, when known', sql`f.opening_hours`),
      field('has_3d', 'Boolean', 'A 3D model (a 3D Tiles tileset) exists', sql`f.tileset_version IS NOT NULL`),
      {
        name: 'tileset',
        type: 'String',
        description: 'Absolute URL of the site’s 3D Tiles tileset.json, null when it has none (the version in the path changes with the tileset)',
        // Where the heritage module serves a tileset (api/src/modules/heritage: tilesetUrl, the tileset route).
        value: sql`CASE WHEN f.tileset_version IS NOT NULL THEN '/heritage/tilesets/' || f.code || '/' || f.tileset_version || '/tileset.json' END`,
        only: 'features',
        link: true,
      },
    ],
    order: { keys: [{ value: sql`f.code`, type: 'text' }] },
  },
  {
    id: 'cameras',
    title: 'Camera',
    description: 'Public cameras: position, direction and status. The stream address is never published here.',
    attribution,
    geometryType: 'Point',
    minzoom: 12,
    maxzoom: 20,
    sources: ['camera'],
    usesBoundarySet: false,
    filters: [],
    table: 'camera',
    geometry: sql`f.location`,
    conditions: publicCameraConditions,
    fields: [
      field('id', 'String', 'Camera id (POST /api/cameras/{id}/watch)', sql`f.id::text`),
      field('code', 'String', 'Camera code', sql`f.code`),
      field('name', 'String', 'Name', sql`f.name`),
      field('status', 'String', 'online, degraded, offline or maintenance', sql`f.status`),
      field('bearing_deg', 'Number', 'Direction of view, degrees clockwise from north', sql`f.bearing_deg`),
      field('hfov_deg', 'Number', 'Horizontal field of view (degrees)', sql`f.hfov_deg`),
      field('range_m', 'Number', 'Range of view (m)', sql`f.range_m`),
    ],
    order: { keys: [{ value: sql`f.code`, type: 'text' }] },
  },
  {
    id: 'camera-fov',
    title: 'Vùng quan sát camera',
    description: 'Field-of-view polygons of the public cameras.',
    attribution,
    geometryType: 'Polygon',
    minzoom: 13,
    maxzoom: 20,
    sources: ['camera'],
    usesBoundarySet: false,
    filters: [],
    table: 'camera',
    geometry: sql`f.fov`,
    conditions: publicCameraConditions,
    fields: [field('code', 'String', 'Camera code', sql`f.code`), field('name', 'String', 'Name', sql`f.name`), field('status', 'String', 'online, degraded, offline or maintenance', sql`f.status`)],
    order: { keys: [{ value: sql`f.code`, type: 'text' }] },
  },
  {
    id: 'facilities',
    title: 'Cơ sở khẩn cấp',
    description: 'Police, fire and health facilities with their emergency hotline.',
    attribution,
    geometryType: 'Point',
    minzoom: 8,
    maxzoom: 18,
    sources: ['emergency_facility'],
    usesBoundarySet: false,
    filters: [],
    table: 'emergency_facility',
    geometry: sql`f.location`,
    conditions: () => [],
    fields: [
      field('code', 'String', 'Facility code', sql`f.code`),
      field('name', 'String', 'Name', sql`f.name`),
      field('kind', 'String', 'police, fire, hospital or clinic', sql`f.kind`),
      field('hotline', 'String', 'National emergency number (113, 114, 115)', sql`f.hotline`),
      field('phone', 'String', 'Switchboard', sql`f.phone`),
      field('address', 'String', 'Address', sql`f.address`),
    ],
    order: { keys: [{ value: sql`f.code`, type: 'text' }] },
  },
  {
    id: 'reports',
    title: 'Phản ánh hiện trường',
    description:
      'Citizen reports, public fields only. Below zoom 13 the tiles hold clusters (cluster=true, count, count_<status>) on a 16 × 16 grid per tile; from zoom 13 one point per report.',
    attribution,
    geometryType: 'Point',
    minzoom: 6,
    maxzoom: 18,
    sources: ['report'],
    usesBoundarySet: false,
    filters: [
      { name: 'category', description: 'Category codes, comma-separated' },
      { name: 'status', description: 'Statuses, comma-separated' },
      { name: 'from', description: 'Created on or after this day (YYYY-MM-DD, Vietnam time)' },
      { name: 'to', description: 'Created on or before this day (YYYY-MM-DD, Vietnam time)' },
    ],
    table: 'report',
    geometry: sql`f.location`,
    conditions: ({ filters }) => [
      ...(filters.category ? [inList(sql`f.category_code`, filters.category)] : []),
      ...(filters.status ? [inList(sql`f.status`, filters.status)] : []),
      ...(filters.from ? [sql<boolean>`f.created_at >= (${filters.from}::date)::timestamp AT TIME ZONE ${sql.lit(VIETNAM)}`] : []),
      ...(filters.to ? [sql<boolean>`f.created_at < (${filters.to}::date + 1)::timestamp AT TIME ZONE ${sql.lit(VIETNAM)}`] : []),
    ],
    temporal: { property: 'created_at', value: sql`f.created_at`, kind: 'timestamp' },
    fields: [
      field('id', 'String', 'Report id', sql`f.id::text`, 'tiles'),
      field('tracking_code', 'String', 'Public tracking code', sql`f.tracking_code`),
      field('category', 'String', 'Category code', sql`f.category_code`),
      field('status', 'String', 'Status', sql`f.status`),
      field('created_on', 'String', 'Day of submission (YYYY-MM-DD, Vietnam time)', sql`to_char(f.created_at AT TIME ZONE ${sql.lit(VIETNAM)}, 'YYYY-MM-DD')`, 'tiles'),
      field('created_at', 'String', 'Time of submission', sql`to_char(f.created_at AT TIME ZONE ${sql.lit(VIETNAM)}, 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"')`, 'features'),
      field(
        'age_days',
        'Number',
        'Days since submission (Vietnam calendar days)',
        sql`((now() AT TIME ZONE ${sql.lit(VIETNAM)})::date - (f.created_at AT TIME ZONE ${sql.lit(VIETNAM)})::date)`,
        'features',
      ),
      field('overdue', 'Boolean', 'Past its deadline', sql`f.overdue`),
    ],
    order: { keys: [{ value: sql`f.created_at`, type: 'timestamptz' }], descending: true },
    clusters: { belowZoom: 13 },
  },
  ...basemapLayers(),
];

/**
 * The OpenStreetMap base map (issue 16; tables of migration 0012, filled by `npm run import --
 * basemap`). Ids, fields and zooms are a contract with the map style and the search: do not rename.
 */
function basemapLayers(): LayerDefinition[] {
  const osm = '© OpenStreetMap contributors';
  const common = { attribution: osm, maxzoom: 16, usesBoundarySet: false, filters: [], idType: 'bigint' as const, geometry: sql`f.geom`, order: { keys: [] } };
  const kindIs = (...kinds: string[]) => () => [inList(sql`f.kind`, kinds)];
  const name = field('name', 'String', 'Name (OpenStreetMap name, Vietnamese)', sql`f.name`);
  const kind = (description: string) => field('kind', 'String', description, sql`f.kind`);
  const osmClass = (description: string) => field('class', 'String', description, sql`f.class`);
  return [
    {
      ...common,
      id: 'basemap-landuse',
      title: 'Bản đồ nền: sử dụng đất',
      description: 'OpenStreetMap land use, natural areas and parks.',
      geometryType: 'Polygon',
      minzoom: 8,
      sources: ['basemap_area'],
      table: 'basemap_area',
      conditions: kindIs('landuse', 'natural', 'park'),
      fields: [kind('landuse, natural or park'), osmClass('The OSM landuse / natural / leisure value (forest, farmland, residential, wood, park…)'), name],
    },
    {
      ...common,
      id: 'basemap-water',
      title: 'Bản đồ nền: mặt nước',
      description: 'OpenStreetMap water areas: rivers, lakes, reservoirs.',
      geometryType: 'Polygon',
      minzoom: 8,
      sources: ['basemap_area'],
      table: 'basemap_area',
      conditions: kindIs('water'),
      fields: [osmClass('water, river, lake, reservoir, pond, riverbank…'), name],
    },
    {
      ...common,
      id: 'basemap-waterways',
      title: 'Bản đồ nền: sông suối',
      description: 'OpenStreetMap waterways: rivers, streams, canals, drains and ditches.',
      geometryType: 'LineString',
      minzoom: 10,
      sources: ['basemap_line'],
      table: 'basemap_line',
      conditions: kindIs('waterway'),
      // Small waterways only close up.
      zoomConditions: (z) => (z < 13 ? [inList(sql`f.class`, ['river', 'canal'])] : []),
      fields: [osmClass('river, stream, canal, drain or ditch'), name],
    },
    {
      ...common,
      id: 'basemap-roads',
      title: 'Bản đồ nền: đường',
      description: 'OpenStreetMap roads by class (with names and refs) and railways. Below zoom 13 only the main classes.',
      geometryType: 'LineString',
      minzoom: 8,
      sources: ['basemap_line'],
      table: 'basemap_line',
      conditions: kindIs('road', 'railway'),
      zoomConditions: (z) => (z < 13 ? [inList(sql`f.class`, z < 11 ? majorRoadClasses.slice(0, 5) : majorRoadClasses)] : []),
      fields: [
        kind('road or railway'),
        osmClass('The OSM highway value (motorway … residential, service, track, path, footway…; *_link as its base class) or railway value (rail, light_rail…)'),
        name,
        field('ref', 'String', 'Road number, e.g. QL12', sql`f.ref`),
      ],
    },
    {
      ...common,
      id: 'basemap-buildings',
      title: 'Bản đồ nền: nhà',
      description: 'OpenStreetMap buildings.',
      geometryType: 'Polygon',
      minzoom: 14,
      sources: ['basemap_area'],
      table: 'basemap_area',
      conditions: kindIs('building'),
      fields: [osmClass('The OSM building value (yes, house, school…)'), name],
    },
    {
      ...common,
      id: 'basemap-places',
      title: 'Bản đồ nền: địa danh',
      description: 'OpenStreetMap place names: province, city, town, village (bản), hamlet (thôn)…',
      geometryType: 'Point',
      minzoom: 8,
      sources: ['basemap_point'],
      table: 'basemap_point',
      conditions: kindIs('place'),
      fields: [osmClass('province, city, town, village, hamlet, suburb, neighbourhood, isolated_dwelling or locality'), name],
    },
    {
      ...common,
      id: 'basemap-pois',
      title: 'Bản đồ nền: điểm quan tâm',
      description: 'Named OpenStreetMap points of interest (amenity, tourism, historic, shop, office).',
      geometryType: 'Point',
      minzoom: 14,
      sources: ['basemap_point'],
      table: 'basemap_point',
      conditions: kindIs('poi'),
      fields: [osmClass('The amenity / tourism / historic / shop / office value (museum, school, hospital…)'), name],
    },
  ];
}

/** Road and railway classes drawn below zoom 13, most important first (below zoom 11: the first five). */
const majorRoadClasses = ['motorway', 'trunk', 'primary', 'rail', 'secondary', 'tertiary', 'light_rail', 'narrow_gauge'] as const;

const layersById = new Map<string, LayerDefinition>(layers.map((layer) => [layer.id, layer]));

export function listLayers(): readonly LayerDefinition[] {
  return layers;
}

export function findLayer(id: string): LayerDefinition | undefined {
  return layersById.get(id);
}

/** Layers whose tiles a change of this table may alter. */
export function layersFedBy(source: string): LayerDefinition[] {
  return layers.filter((layer) => (layer.sources as readonly string[]).includes(source));
}

/** The cluster fields of an aggregated tile (see `clusterRowsQuery`). */
export const clusterFields: ReadonlyArray<{ name: string; type: VectorFieldType; description: string }> = [
  { name: 'cluster', type: 'Boolean', description: 'true: this feature stands for `count` reports' },
  { name: 'count', type: 'Number', description: 'Reports in the cluster' },
  ...reportStatuses.map((status) => ({ name: `count_${status}`, type: 'Number' as const, description: `Reports with status ${status}` })),
];
