/**
 * Build sample/planning-zones.geojson: an ILLUSTRATIVE general plan for the centre of Điện Biên Phủ in
 * two versions (2016 and 2023), so that a client can show what changed between them.
 *
 * Zones are blocks of a grid of "sub-blocks" laid over the Mường Thanh valley and gently warped: the
 * Nậm Rốm river runs north-south just west of the centre, the battlefield hills (A1, C1, D1, E) lie
 * east of it, the airport north-west. Every zone is a union of sub-blocks, so the zones of one version
 * tile the area without overlapping, and neighbours share their vertices exactly after rounding.
 * Decision numbers, dates and all figures are invented for the sample.
 *
 *   npx tsx gis-data/tools/build-sample-planning.ts
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { round6, writeFeatureCollection } from './geojson-output.ts';

const sampleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../sample');

/** Column edges (west to east); column 4 is the Nậm Rốm with its banks. */
const columnEdges = [102.998, 103.002, 103.006, 103.01, 103.014, 103.016, 103.0195, 103.023, 103.0265, 103.03, 103.034, 103.038, 103.042];
/** Row edges (south to north), 13 rows of about 440 m. */
const rowEdges = Array.from({ length: 14 }, (_, i) => 21.364 + i * 0.004);

/** Grid vertex, warped a little so blocks follow the valley rather than a perfect lattice. */
function gridVertex(column: number, row: number): [number, number] {
  const lon = columnEdges[column]! + 0.0007 * Math.sin(row * 0.6);
  const lat = rowEdges[row]! + 0.0003 * Math.sin(column * 0.7);
  return [round6(lon), round6(lat)];
}

/**
 * Zone maps, north row first, one letter per sub-block (columns west to east).
 * Version 2023 differs where noted in `changes2023` below.
 */
const map2016 = [
  'AACCMFFFGGHH',
  'AACCMFFFGGII',
  'BJJDMKKLLNII',
  'BJJDMKKLLNOO',
  'JJJDMPQQQROO',
  'JJJDMPQQQRSS',
  'EEETWUVVVXSS',
  'EEETWUYYYXZZ',
  'aabcWUYYYdZZ',
  'aabeWffggdhh',
  'iijeWffggkkk',
  'iijlWmmnnooo',
  'ppplWmmnnooo',
];
const map2023 = [
  'AA33MFFFGGHH',
  'AA33MFFFGGII',
  'BJJDMKKLL5II',
  'BJJDMKKLL5OO',
  'JJJDMPQQ4ROO',
  'JJJDMPQQ4RSS',
  'EEETWUVVVXSS',
  'EEETWUYYYXZZ',
  'aabcWUYYYdZZ',
  'aabeWffggdhh',
  'iijeWffggkkk',
  'iijlWmmnn667',
  'ppplWmmnn667',
];

interface Zone {
  zoneCode: string;
  zoneName: string;
  landUse: LandUseCode;
  density: number;
  floors: number;
  height: number;
  far: number;
}

type LandUseCode = 'DO' | 'TMDV' | 'CX' | 'GD' | 'YT' | 'GT' | 'HH' | 'DT' | 'CQ' | 'MN' | 'CN';

const landUseNames: Record<LandUseCode, string> = {
  DO: 'Đất ở',
  TMDV: 'Đất thương mại – dịch vụ',
  CX: 'Đất cây xanh công cộng',
  GD: 'Đất giáo dục',
  YT: 'Đất y tế',
  GT: 'Đất giao thông / bến bãi',
  HH: 'Đất hỗn hợp',
  DT: 'Đất di tích – bảo tồn',
  CQ: 'Đất cơ quan',
  MN: 'Mặt nước',
  CN: 'Đất công nghiệp – kho tàng',
};

function zone(zoneCode: string, zoneName: string, density: number, floors: number, height: number): Zone {
  const landUse = zoneCode.split('-')[0] as LandUseCode;
  return { zoneCode, zoneName, landUse, density, floors, height, far: Math.round((density * floors) / 10) / 10 };
}

const zones2016: Record<string, Zone> = {
  A: zone('DO-01', 'Khu dân cư bắc Thanh Trường', 60, 5, 22),
  B: zone('DT-04', 'Di tích cụm cứ điểm Bản Kéo', 5, 1, 6),
  C: zone('CN-01', 'Khu kho tàng cạnh sân bay', 60, 3, 18),
  D: zone('DO-04', 'Khu dân cư Thanh Trường ven sông', 60, 5, 22),
  E: zone('DO-08', 'Khu dân cư Thanh Bình', 65, 5, 22),
  F: zone('DO-02', 'Khu dân cư bắc Tân Thanh', 60, 5, 22),
  G: zone('CX-01', 'Công viên cây xanh phía bắc', 5, 1, 8),
  H: zone('DT-03', 'Di tích đồi Him Lam', 5, 1, 6),
  I: zone('DO-03', 'Khu dân cư Him Lam', 55, 4, 18),
  J: zone('GT-01', 'Cảng hàng không Điện Biên', 10, 3, 20),
  K: zone('DO-05', 'Khu dân cư Tân Thanh', 65, 5, 22),
  L: zone('GD-01', 'Cụm trường học Tân Thanh', 40, 4, 18),
  M: zone('MN-02', 'Sông Nậm Rốm (đoạn phía bắc)', 0, 0, 0),
  N: zone('GT-02', 'Bến xe khách thành phố', 20, 2, 12),
  O: zone('DO-06', 'Khu dân cư đông Him Lam', 55, 4, 18),
  P: zone('CQ-01', 'Khu cơ quan hành chính tỉnh', 40, 7, 30),
  Q: zone('HH-01', 'Khu hỗn hợp trung tâm phía bắc', 50, 9, 36),
  R: zone('YT-01', 'Bệnh viện và trung tâm y tế', 40, 7, 30),
  S: zone('DO-07', 'Khu dân cư Noong Bua bắc', 60, 5, 22),
  T: zone('CX-02', 'Công viên ven sông Nậm Rốm (bờ tây)', 5, 1, 8),
  U: zone('TMDV-01', 'Khu thương mại chợ trung tâm', 60, 9, 36),
  V: zone('DT-02', 'Di tích đồi D1, đồi E và Tượng đài Chiến thắng', 5, 1, 6),
  W: zone('MN-01', 'Sông Nậm Rốm (đoạn trung tâm và phía nam)', 0, 0, 0),
  X: zone('TMDV-02', 'Khu dịch vụ du lịch đường 7/5', 50, 7, 30),
  Y: zone('DT-01', 'Di tích đồi A1, đồi C1 và Nghĩa trang liệt sĩ A1', 5, 1, 6),
  Z: zone('DO-09', 'Khu dân cư Noong Bua', 60, 5, 22),
  a: zone('GD-02', 'Cụm trường học Thanh Bình', 40, 4, 18),
  b: zone('DO-10', 'Khu dân cư Thanh Bình nam', 60, 4, 18),
  c: zone('DT-05', 'Di tích Hầm chỉ huy De Castries', 5, 1, 6),
  d: zone('CX-03', 'Vườn hoa chân đồi A1', 5, 1, 8),
  e: zone('CX-04', 'Công viên ven sông Nậm Rốm (phía nam)', 5, 1, 8),
  f: zone('DO-11', 'Khu dân cư Mường Thanh', 60, 4, 18),
  g: zone('HH-02', 'Khu hỗn hợp Nam Thanh', 50, 7, 30),
  h: zone('GD-03', 'Trường trung học phổ thông phía đông', 35, 4, 18),
  i: zone('DO-12', 'Khu dân cư Thanh Xương bắc', 60, 4, 18),
  j: zone('YT-02', 'Trung tâm y tế khu vực phía tây', 40, 5, 22),
  k: zone('DO-13', 'Khu dân cư Noong Bua nam', 60, 5, 22),
  l: zone('CX-05', 'Dải cây xanh ven sông phía nam', 5, 1, 8),
  m: zone('DO-14', 'Khu dân cư Nam Thanh', 60, 4, 18),
  n: zone('TMDV-03', 'Khu thương mại cửa ngõ phía nam', 50, 7, 30),
  o: zone('CN-02', 'Cụm kho tàng phía nam', 60, 3, 18),
  p: zone('DO-15', 'Khu dân cư Thanh Xương nam', 55, 4, 18),
};

/** 2023 revision: new zones, and changed parameters of zones whose code and shape stayed the same. */
const zones2023: Record<string, Zone> = {
  ...zones2016,
  '3': zone('HH-03', 'Khu hỗn hợp cạnh sân bay (chuyển đổi từ kho tàng)', 50, 7, 30),
  '4': zone('TMDV-04', 'Khu thương mại trung tâm phía bắc (tách từ HH-01)', 60, 9, 36),
  '5': zone('TMDV-05', 'Khu dịch vụ tại vị trí bến xe cũ', 50, 5, 22),
  '6': zone('DO-16', 'Khu dân cư mới phía nam (chuyển đổi từ kho tàng)', 55, 5, 22),
  '7': zone('CX-06', 'Công viên cây xanh phía nam', 5, 1, 8),
  U: zone('TMDV-01', 'Khu thương mại chợ trung tâm', 60, 12, 48),
  f: zone('DO-11', 'Khu dân cư Mường Thanh', 70, 4, 18),
};

const plans = [
  { version: '2016', decisionNumber: '1456/QĐ-UBND', decisionDate: '2016-11-28', map: map2016, zones: zones2016 },
  { version: '2023', decisionNumber: '2197/QĐ-UBND', decisionDate: '2023-12-15', map: map2023, zones: zones2023 },
];

/** Outline of a set of sub-blocks: follow boundary edges counter-clockwise (no holes, no pinches). */
function outlineOf(cells: ReadonlySet<string>): [number, number][] {
  const next = new Map<string, string>();
  const add = (from: [number, number], to: [number, number]) => {
    const key = from.join(',');
    if (next.has(key)) throw new Error(`zone pinches at grid vertex ${key}`);
    next.set(key, to.join(','));
  };
  for (const cell of cells) {
    const [c, r] = cell.split(',').map(Number) as [number, number];
    if (!cells.has(`${c},${r - 1}`)) add([c, r], [c + 1, r]);
    if (!cells.has(`${c + 1},${r}`)) add([c + 1, r], [c + 1, r + 1]);
    if (!cells.has(`${c},${r + 1}`)) add([c + 1, r + 1], [c, r + 1]);
    if (!cells.has(`${c - 1},${r}`)) add([c, r + 1], [c, r]);
  }
  const start = [...next.keys()].sort((k1, k2) => {
    const [c1, r1] = k1.split(',').map(Number) as [number, number];
    const [c2, r2] = k2.split(',').map(Number) as [number, number];
    return r1 - r2 || c1 - c2;
  })[0]!;
  const ring: [number, number][] = [];
  let key = start;
  do {
    const [c, r] = key.split(',').map(Number) as [number, number];
    ring.push(gridVertex(c, r));
    key = next.get(key)!;
  } while (key !== start);
  if (ring.length !== next.size) throw new Error('zone has a hole or is in several parts');
  ring.push(ring[0]!);
  return ring;
}

const features: object[] = [];
for (const plan of plans) {
  const rows = plan.map.length;
  const cellsByKey = new Map<string, Set<string>>();
  plan.map.forEach((line, lineIndex) => {
    if (line.length !== columnEdges.length - 1) throw new Error(`map line ${lineIndex} has ${line.length} blocks`);
    const row = rows - 1 - lineIndex;
    [...line].forEach((key, column) => {
      const cells = cellsByKey.get(key) ?? new Set<string>();
      cells.add(`${column},${row}`);
      cellsByKey.set(key, cells);
    });
  });
  const entries = [...cellsByKey].map(([key, cells]) => {
    const definition = plan.zones[key];
    if (!definition) throw new Error(`no zone for key ${key}`);
    return { definition, cells };
  });
  entries.sort((e1, e2) => e1.definition.zoneCode.localeCompare(e2.definition.zoneCode));
  for (const { definition, cells } of entries) {
    features.push({
      type: 'Feature',
      properties: {
        plan_code: 'QHC-DBP',
        plan_name: 'Điều chỉnh quy hoạch chung thành phố Điện Biên Phủ đến năm 2030',
        plan_version: plan.version,
        decision_number: plan.decisionNumber,
        decision_date: plan.decisionDate,
        approving_authority: 'UBND tỉnh Điện Biên',
        zone_code: definition.zoneCode,
        zone_name: definition.zoneName,
        land_use_code: definition.landUse,
        land_use_name: landUseNames[definition.landUse],
        max_density_pct: definition.density,
        max_floors: definition.floors,
        max_height_m: definition.height,
        far: definition.far,
      },
      geometry: { type: 'Polygon', coordinates: [outlineOf(cells)] },
    });
  }
  const codes = entries.map((entry) => entry.definition.zoneCode);
  if (new Set(codes).size !== codes.length) throw new Error(`duplicate zone code in version ${plan.version}`);
  console.log(`version ${plan.version}: ${entries.length} zones`);
}

writeFeatureCollection(path.join(sampleDir, 'planning-zones.geojson'), features);
