import type { ImportLayer } from './import-types.ts';

/**
 * What each importable layer takes: geometry types, and the canonical attributes with their type,
 * whether they are required, allowed values and the source property names tried by default.
 *
 * Source property names are matched case- and diacritic-insensitively, ignoring punctuation (so
 * `MaXa`, `MA_XA` and `Mã xã` are one name), and also by their first 10 characters, the longest DBF
 * field name a shapefile can hold (`decision_number` is written `decision_n`).
 */

export type AttributeType =
  /** Text; numbers are turned into text silently (codes often arrive as numbers). Trimmed, NFC. */
  | 'text'
  | 'number'
  | 'integer'
  /** YYYY-MM-DD, a real calendar date. */
  | 'date'
  /** One of `allowedValues`, or an alias of one (`valueAliases`). */
  | 'enum'
  /** An absolute URL with one of `urlSchemes`. */
  | 'url'
  /** A [lon, lat] pair (or a GeoJSON Point) in the source SRS; becomes a WGS 84 Point. */
  | 'position'
  /** A GeoJSON Polygon or MultiPolygon object in the source SRS; becomes a WGS 84 MultiPolygon. */
  | 'polygon';

export interface AttributeSpec {
  /** Canonical name: the source property name by default and the name `--map` uses. */
  name: string;
  /** Name in `PreparedFeature.attributes`, when it differs (communes' unit_type becomes level). */
  outputName?: string;
  type: AttributeType;
  required: boolean;
  description: string;
  /** Other source property names tried, in order, after the canonical one. */
  aliases: readonly string[];
  allowedValues?: readonly string[];
  /** Extra spellings → allowed value; compared folded (case, diacritics and punctuation ignored). */
  valueAliases?: Readonly<Record<string, string>>;
  min?: number;
  max?: number;
  /** Bounds that the value may not equal. */
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  urlSchemes?: readonly string[];
  defaultValue?: string | number;
  /** How to write an allowed value, for messages (default: allowedValues). */
  valuesHelp?: string;
}

export interface LayerSpec {
  layer: ImportLayer;
  description: string;
  /** Geometry types accepted in the source. */
  geometryTypes: readonly ('Point' | 'Polygon' | 'MultiPolygon')[];
  /** Geometry type of `PreparedFeature.geometry`. */
  outputGeometryType: 'Point' | 'MultiPolygon';
  attributes: readonly AttributeSpec[];
  /** The keys of `PreparedFeature.attributes`, always all present (null when absent). */
  outputAttributes: readonly string[];
  /** Attributes that name a feature in messages. */
  labelAttributes: { code: string; name: string };
}

const text = (name: string, required: boolean, description: string, aliases: readonly string[] = []): AttributeSpec => ({
  name,
  type: 'text',
  required,
  description,
  aliases,
});

/** Vietnamese administrative unit types → admin level. Keys are folded (see normalizeKey). */
export const unitTypeLevels: Readonly<Record<string, string>> = Object.freeze({
  phuong: 'ward',
  xa: 'commune',
  // Commune-level "special zones" created by the 2025 reform (none in Điện Biên).
  dackhu: 'commune',
  thitran: 'town',
  huyen: 'district',
  thixa: 'district',
  thanhpho: 'district',
  quan: 'district',
  tinh: 'province',
  thanhphotructhuoctrunguong: 'province',
  ward: 'ward',
  commune: 'commune',
  town: 'town',
  district: 'district',
  province: 'province',
});

const adminUnitAttributes = (layer: 'communes' | 'province'): AttributeSpec[] => [
  layer === 'communes'
    ? text('code', true, 'official 5-digit commune code, e.g. "03127"', ['ma', 'ma_xa', 'ma_dvhc', 'ma_phuong', 'ma_don_vi'])
    : text('code', true, 'official 2-digit province code, e.g. "11"', ['ma', 'ma_tinh', 'ma_dvhc']),
  layer === 'communes'
    ? text('name', true, 'official name with its unit type, e.g. "Phường Điện Biên Phủ"', ['ten', 'ten_xa', 'ten_dvhc', 'ten_phuong', 'ten_don_vi', 'name_vi'])
    : text('name', true, 'official name, e.g. "Tỉnh Điện Biên"', ['ten', 'ten_tinh', 'ten_dvhc', 'name_vi']),
  ...(layer === 'communes'
    ? [
        {
          name: 'unit_type',
          outputName: 'level',
          type: 'enum',
          required: true,
          description: "unit type: phường → ward, xã → commune, thị trấn → town, huyện/thị xã/thành phố/quận → district, tỉnh → province (or those English names)",
          aliases: ['loai', 'loai_dvhc', 'loaidvhc', 'cap', 'level', 'type'],
          allowedValues: ['ward', 'commune', 'town', 'district', 'province'],
          valueAliases: unitTypeLevels,
          valuesHelp: 'phường, xã, thị trấn, huyện, thị xã, thành phố, quận or tỉnh (or ward, commune, town, district, province)',
        } satisfies AttributeSpec,
      ]
    : []),
  // Not province_code: since 2025 every commune's province code would be its "parent", and a parent
  // must be an imported unit.
  text('parent_code', false, 'code of the unit this one belongs to', ['parent', 'ma_cha', 'macha', 'ma_dvhc_cha', 'parent_id']),
  {
    name: 'admin_center',
    type: 'position',
    required: false,
    description: 'seat of the unit\'s people\'s committee as [lon, lat] in the source SRS (text descriptions are kept in extraProperties)',
    aliases: ['tru_so', 'truso', 'center', 'admin_centre'],
  },
];

export const layerSpecs: Readonly<Record<ImportLayer, LayerSpec>> = Object.freeze({
  communes: {
    layer: 'communes',
    description: 'commune-level administrative units (phường, xã, thị trấn) with their boundaries',
    geometryTypes: ['Polygon', 'MultiPolygon'],
    outputGeometryType: 'MultiPolygon',
    attributes: adminUnitAttributes('communes'),
    outputAttributes: ['code', 'name', 'name_folded', 'level', 'parent_code', 'admin_center'],
    labelAttributes: { code: 'code', name: 'name' },
  },
  province: {
    layer: 'province',
    description: 'the province outline',
    geometryTypes: ['Polygon', 'MultiPolygon'],
    outputGeometryType: 'MultiPolygon',
    attributes: adminUnitAttributes('province'),
    outputAttributes: ['code', 'name', 'name_folded', 'level', 'parent_code', 'admin_center'],
    labelAttributes: { code: 'code', name: 'name' },
  },
  'planning-zones': {
    layer: 'planning-zones',
    description: 'zones of an approved land-use / construction plan with their planning indicators',
    geometryTypes: ['Polygon', 'MultiPolygon'],
    outputGeometryType: 'MultiPolygon',
    attributes: [
      text('plan_code', true, 'code of the plan', ['ma_qh', 'maqh', 'ma_quy_hoach']),
      text('plan_name', true, 'name of the plan', ['ten_qh', 'tenqh', 'ten_quy_hoach']),
      text('plan_version', true, 'version or revision of the plan', ['phien_ban', 'phienban', 'version']),
      text('decision_number', true, 'number of the approving decision, e.g. "1234/QĐ-UBND"', ['so_qd', 'soqd', 'so_quyet_dinh', 'quyet_dinh']),
      { name: 'decision_date', type: 'date', required: true, description: 'date of the approving decision, YYYY-MM-DD', aliases: ['ngay_qd', 'ngayqd', 'ngay_quyet_dinh', 'ngay_duyet'] },
      text('approving_authority', false, 'who approved the plan, e.g. "UBND tỉnh Điện Biên"', ['co_quan', 'coquan', 'co_quan_duyet', 'cq_duyet']),
      text('zone_code', true, 'code of the zone within the plan', ['ma_khu', 'makhu', 'ma_o', 'mao', 'ky_hieu', 'kyhieu', 'ma_lo']),
      text('land_use_code', true, 'land-use category code, e.g. "ONT"', ['ma_sdd', 'masdd', 'ma_dat', 'loai_dat', 'ma_chuc_nang']),
      text('land_use_name', true, 'land-use category name, e.g. "Đất ở nông thôn"', ['ten_sdd', 'tensdd', 'ten_dat', 'chuc_nang', 'ten_chuc_nang']),
      { name: 'max_density_pct', type: 'number', required: false, description: 'maximum building density, percent (0–100)', aliases: ['mat_do', 'matdo', 'mdxd', 'density'], min: 0, max: 100 },
      { name: 'max_floors', type: 'integer', required: false, description: 'maximum number of floors (whole number ≥ 0)', aliases: ['tang_cao', 'tangcao', 'so_tang', 'sotang', 'floors'], min: 0 },
      { name: 'max_height_m', type: 'number', required: false, description: 'maximum building height in metres (≥ 0)', aliases: ['chieu_cao', 'chieucao', 'height_m'], min: 0 },
      { name: 'far', type: 'number', required: false, description: 'floor area ratio (hệ số sử dụng đất), 0–20', aliases: ['hssdd', 'he_so_sdd', 'hs_sdd'], min: 0, max: 20 },
    ],
    outputAttributes: [
      'plan_code',
      'plan_name',
      'plan_version',
      'decision_number',
      'decision_date',
      'approving_authority',
      'zone_code',
      'land_use_code',
      'land_use_name',
      'max_density_pct',
      'max_floors',
      'max_height_m',
      'far',
    ],
    labelAttributes: { code: 'zone_code', name: 'land_use_name' },
  },
  'heritage-sites': {
    layer: 'heritage-sites',
    description: 'ranked historical and cultural relics (di tích) with bilingual descriptions',
    geometryTypes: ['Point'],
    outputGeometryType: 'Point',
    attributes: [
      text('code', true, 'site code', ['ma', 'ma_di_tich', 'madt']),
      text('name_vi', true, 'name in Vietnamese', ['ten', 'ten_vi', 'name', 'ten_di_tich']),
      text('name_en', true, 'name in English', ['ten_en', 'ten_tieng_anh']),
      {
        name: 'rank',
        type: 'enum',
        required: true,
        description: 'heritage rank: special_national (quốc gia đặc biệt), national (quốc gia), provincial (cấp tỉnh)',
        aliases: ['xep_hang', 'xephang', 'cap_di_tich', 'cap', 'hang'],
        allowedValues: ['special_national', 'national', 'provincial'],
        valuesHelp: 'special_national, national or provincial (or quốc gia đặc biệt, quốc gia, cấp tỉnh)',
        valueAliases: {
          quocgiadacbiet: 'special_national',
          ditichquocgiadacbiet: 'special_national',
          capquocgiadacbiet: 'special_national',
          specialnational: 'special_national',
          quocgia: 'national',
          ditichquocgia: 'national',
          capquocgia: 'national',
          national: 'national',
          tinh: 'provincial',
          captinh: 'provincial',
          ditichcaptinh: 'provincial',
          provincial: 'provincial',
        },
      },
      text('description_vi', true, 'description in Vietnamese', ['mo_ta', 'mota', 'mo_ta_vi', 'mota_vi', 'desc_vi']),
      text('description_en', true, 'description in English', ['mo_ta_en', 'mota_en', 'desc_en']),
      text('opening_hours', false, 'opening hours, free text', ['gio_mo_cua', 'giomocua', 'gio_mo']),
      text('position_source', false, 'how the position was obtained (survey, GPS, map…)', ['nguon_vi_tri', 'nguon']),
      { name: 'footprint', type: 'polygon', required: false, description: 'outline of the site as a GeoJSON Polygon/MultiPolygon in the source SRS', aliases: ['ranh_gioi', 'khu_vuc'] },
    ],
    outputAttributes: [
      'code',
      'name_vi',
      'name_en',
      'name_folded',
      'rank',
      'description_vi',
      'description_en',
      'opening_hours',
      'position_source',
      'footprint',
    ],
    labelAttributes: { code: 'code', name: 'name_vi' },
  },
  cameras: {
    layer: 'cameras',
    description: 'traffic and public-safety cameras with their field of view',
    geometryTypes: ['Point'],
    outputGeometryType: 'Point',
    attributes: [
      text('code', true, 'camera code', ['ma', 'ma_camera', 'id_camera']),
      text('name', true, 'camera name or place', ['ten', 'ten_camera', 'vi_tri']),
      { name: 'bearing_deg', type: 'number', required: true, description: 'direction the camera looks, degrees clockwise from north, 0 ≤ x < 360', aliases: ['huong', 'bearing', 'azimuth', 'goc_huong'], min: 0, max: 360, exclusiveMax: true },
      { name: 'hfov_deg', type: 'number', required: true, description: 'horizontal field of view, degrees, 0 < x ≤ 360', aliases: ['goc_nhin', 'gocnhin', 'hfov', 'fov'], min: 0, max: 360, exclusiveMin: true },
      { name: 'range_m', type: 'number', required: true, description: 'useful viewing distance, metres, 0 < x ≤ 5000', aliases: ['tam_nhin', 'tamnhin', 'range', 'khoang_cach'], min: 0, max: 5000, exclusiveMin: true },
      { name: 'stream_url', type: 'url', required: true, description: 'video stream URL (http, https or rtsp)', aliases: ['url', 'stream', 'luong_video'], urlSchemes: ['http:', 'https:', 'rtsp:'] },
      {
        name: 'status',
        type: 'enum',
        required: false,
        description: "online, offline or maintenance (default online)",
        aliases: ['trang_thai', 'trangthai'],
        allowedValues: ['online', 'offline', 'maintenance'],
        valueAliases: { hoatdong: 'online', danghoatdong: 'online', tat: 'offline', ngunghoatdong: 'offline', matketnoi: 'offline', baotri: 'maintenance', dangbaotri: 'maintenance' },
        defaultValue: 'online',
      },
      {
        name: 'visibility',
        type: 'enum',
        required: false,
        description: 'who may watch it: public (anyone) or restricted (IOC and admins; the default)',
        aliases: ['quyen_xem', 'pham_vi', 'cong_khai'],
        allowedValues: ['public', 'restricted'],
        valueAliases: { congkhai: 'public', hanche: 'restricted', noibo: 'restricted' },
        defaultValue: 'restricted',
      },
      text('owner', false, 'who runs the camera', ['don_vi_quan_ly', 'chu_so_huu']),
    ],
    outputAttributes: ['code', 'name', 'bearing_deg', 'hfov_deg', 'range_m', 'stream_url', 'status', 'visibility', 'owner'],
    labelAttributes: { code: 'code', name: 'name' },
  },
  facilities: {
    layer: 'facilities',
    description: 'emergency facilities: police (113), fire (114), hospitals and clinics (115)',
    geometryTypes: ['Point'],
    outputGeometryType: 'Point',
    attributes: [
      text('code', true, 'facility code', ['ma', 'ma_co_so', 'macoso']),
      text('name', true, 'facility name', ['ten', 'ten_co_so', 'tencoso']),
      {
        name: 'kind',
        type: 'enum',
        required: true,
        description: 'police, fire, hospital or clinic (công an, cứu hỏa/PCCC, bệnh viện, trạm y tế/phòng khám)',
        aliases: ['loai', 'loai_co_so', 'type'],
        allowedValues: ['police', 'fire', 'hospital', 'clinic'],
        valuesHelp: 'police, fire, hospital or clinic (or công an, cứu hỏa / PCCC, bệnh viện, trạm y tế / phòng khám)',
        valueAliases: {
          congan: 'police',
          canhsat: 'police',
          cuuhoa: 'fire',
          cuuhoacuunan: 'fire',
          phongchaychuachay: 'fire',
          pccc: 'fire',
          pcccvacnch: 'fire',
          benhvien: 'hospital',
          trungtamyte: 'hospital',
          tramyte: 'clinic',
          phongkham: 'clinic',
          phongkhamdakhoa: 'clinic',
        },
      },
      {
        name: 'hotline',
        type: 'enum',
        required: true,
        description: 'emergency number: 113 police, 114 fire, 115 medical; must match kind',
        aliases: ['duong_day_nong', 'so_khan_cap', 'khan_cap'],
        allowedValues: ['113', '114', '115'],
      },
      text('address', true, 'street address', ['dia_chi', 'diachi']),
      text('phone', false, 'ordinary phone number', ['dien_thoai', 'dienthoai', 'sdt', 'so_dien_thoai', 'tel']),
    ],
    outputAttributes: ['code', 'name', 'name_folded', 'kind', 'hotline', 'address', 'phone'],
    labelAttributes: { code: 'code', name: 'name' },
  },
});

/** The emergency number each facility kind must publish. */
export const hotlineByFacilityKind: Readonly<Record<string, string>> = Object.freeze({ police: '113', fire: '114', hospital: '115', clinic: '115' });
