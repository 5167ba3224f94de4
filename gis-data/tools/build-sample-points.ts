/**
 * Build the point layers and the office directory of the sample data set:
 *
 *   sample/heritage-sites.geojson   battlefield sites of Điện Biên Phủ and one older relic
 *   sample/cameras.geojson          traffic/security cameras in the city (streams served by a local simulator)
 *   sample/facilities.geojson       police, fire and health facilities across the province
 *   sample/offices.json             the bodies that answer citizen reports
 *
 * Positions are our own estimates (see `position_source` and the README); phone numbers, e-mail
 * addresses and stream URLs are illustrative. Output is deterministic.
 *
 *   npx tsx gis-data/tools/build-sample-points.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { round6, writeFeatureCollection } from './geojson-output.ts';
import { adminUnits2025 } from './sample-admin-centres.ts';

const sampleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../sample');

type LonLat = [number, number];

const pointGeometry = ([lon, lat]: LonLat) => ({ type: 'Point', coordinates: [round6(lon), round6(lat)] });

/**
 * A small approximate hill outline: an irregular octagon around the summit. `radii` are in metres
 * (8 values, starting east and turning counter-clockwise), so the ring is counter-clockwise.
 */
function hillFootprint([lon, lat]: LonLat, radii: readonly number[]) {
  const metresPerDegreeLat = 110_600;
  const metresPerDegreeLon = 111_320 * Math.cos((lat * Math.PI) / 180);
  const ring = radii.map((radius, i) => {
    const angle = (i * Math.PI) / 4;
    return [round6(lon + (radius * Math.cos(angle)) / metresPerDegreeLon), round6(lat + (radius * Math.sin(angle)) / metresPerDegreeLat)];
  });
  ring.push(ring[0]!);
  return { type: 'Polygon', coordinates: [ring] };
}

// ---------------------------------------------------------------- heritage sites

const OPEN_DAILY = '07:00–11:00, 13:30–17:00 hằng ngày';
const CITY_SOURCE = 'approximate, estimated from public maps (OpenStreetMap/Wikipedia coordinates as remembered); ±100 m';
const RURAL_SOURCE = 'approximate, estimated from public maps and descriptions as remembered; ±500 m';

interface HeritageSite {
  code: string;
  position: LonLat;
  nameVi: string;
  nameEn: string;
  rank: 'special_national' | 'national' | 'provincial';
  descriptionVi: string;
  descriptionEn: string;
  openingHours: string | null;
  positionSource: string;
  footprintRadii?: readonly number[];
}

const heritageSites: HeritageSite[] = [
  {
    code: 'DT-A1',
    position: [103.0245, 21.3828],
    nameVi: 'Đồi A1',
    nameEn: 'Hill A1 (Eliane 2)',
    rank: 'special_national',
    descriptionVi: 'Đồi A1 (quân Pháp gọi là Eliane 2) là cứ điểm then chốt bảo vệ phía đông phân khu trung tâm Mường Thanh. Đây là nơi diễn ra những trận đánh dai dẳng và ác liệt nhất của chiến dịch; cứ điểm bị tiêu diệt đêm 6 rạng sáng 7/5/1954 sau khi khối bộc phá gần một tấn được kích nổ. Trên đồi còn hố bộc phá, xác xe tăng và hệ thống hầm hào.',
    descriptionEn: 'Hill A1 (Eliane 2 to the French) was the key strongpoint guarding the east of the central Mường Thanh sector. The longest and fiercest fighting of the campaign took place here; the position fell in the night of 6–7 May 1954 after a charge of nearly one tonne of explosives was detonated beneath it. The mine crater, a wrecked tank and trenches are preserved on the hill.',
    openingHours: OPEN_DAILY,
    positionSource: CITY_SOURCE,
    footprintRadii: [150, 120, 110, 130, 160, 140, 120, 130],
  },
  {
    code: 'DT-HAM-DE-CASTRIES',
    position: [103.0125, 21.3808],
    nameVi: 'Hầm chỉ huy của tướng De Castries (hầm Đờ Cát)',
    nameEn: 'General de Castries’ command bunker',
    rank: 'special_national',
    descriptionVi: 'Hầm chỉ huy của tướng Christian de Castries, chỉ huy tập đoàn cứ điểm Điện Biên Phủ, nằm ở trung tâm phân khu Mường Thanh, bên bờ tây sông Nậm Rốm. Chiều 7/5/1954, bộ đội Việt Nam tiến vào hầm, bắt sống tướng De Castries và bộ tham mưu, kết thúc chiến dịch.',
    descriptionEn: 'The command bunker of General Christian de Castries, commander of the Điện Biên Phủ fortified complex, lies at the heart of the Mường Thanh sector on the west bank of the Nậm Rốm. On the afternoon of 7 May 1954 Vietnamese troops entered the bunker and captured de Castries and his staff, ending the campaign.',
    openingHours: OPEN_DAILY,
    positionSource: CITY_SOURCE,
  },
  {
    code: 'DT-HIM-LAM',
    position: [103.0365, 21.4135],
    nameVi: 'Đồi Him Lam',
    nameEn: 'Him Lam hill (Béatrice)',
    rank: 'special_national',
    descriptionVi: 'Trung tâm đề kháng Him Lam (Béatrice) gồm các cứ điểm trên những quả đồi ở phía đông bắc cánh đồng Mường Thanh. Chiều 13/3/1954, quân đội Việt Nam nổ súng tiến công Him Lam, mở màn chiến dịch Điện Biên Phủ, và tiêu diệt cứ điểm ngay trong đêm. Anh hùng Phan Đình Giót hy sinh tại đây khi lấy thân mình lấp lỗ châu mai.',
    descriptionEn: 'The Him Lam defensive centre (Béatrice) held the hills north-east of the Mường Thanh valley. The Vietnamese attack on Him Lam on the afternoon of 13 March 1954 opened the Điện Biên Phủ campaign, and the position was overrun the same night. Hero Phan Đình Giót fell here, blocking an embrasure with his body.',
    openingHours: OPEN_DAILY,
    positionSource: CITY_SOURCE,
    footprintRadii: [180, 150, 140, 160, 190, 170, 150, 160],
  },
  {
    code: 'DT-DOC-LAP',
    position: [103.008, 21.436],
    nameVi: 'Đồi Độc Lập',
    nameEn: 'Độc Lập hill (Gabrielle)',
    rank: 'special_national',
    descriptionVi: 'Đồi Độc Lập (Gabrielle) là trung tâm đề kháng ở phía bắc, án ngữ con đường từ Lai Châu vào cánh đồng Mường Thanh. Cứ điểm bị tiêu diệt rạng sáng 15/3/1954, chỉ hai ngày sau khi chiến dịch mở màn.',
    descriptionEn: 'Độc Lập hill (Gabrielle) was the northern defensive centre, guarding the road from Lai Châu into the Mường Thanh valley. It was taken at dawn on 15 March 1954, two days after the campaign began.',
    openingHours: null,
    positionSource: CITY_SOURCE,
    footprintRadii: [140, 130, 120, 130, 150, 140, 130, 120],
  },
  {
    code: 'DT-MUONG-PHANG',
    position: [103.1445, 21.4625],
    nameVi: 'Sở chỉ huy Chiến dịch Điện Biên Phủ ở Mường Phăng',
    nameEn: 'Điện Biên Phủ Campaign Headquarters at Mường Phăng',
    rank: 'special_national',
    descriptionVi: 'Sở chỉ huy Chiến dịch nằm trong rừng Mường Phăng, cách trung tâm thành phố khoảng 15 km theo đường chim bay về phía đông bắc. Từ cuối tháng 1/1954, Đại tướng Võ Nguyên Giáp và Bộ chỉ huy chiến dịch làm việc tại đây cho đến ngày toàn thắng. Khu di tích gồm hầm và lán làm việc của Đại tướng, hội trường và nơi làm việc của các cơ quan.',
    descriptionEn: 'The campaign headquarters lies in the Mường Phăng forest, about 15 km north-east of the city as the crow flies. From late January 1954 General Võ Nguyên Giáp and the campaign command worked here until the victory. The site includes the General’s tunnel and hut, the meeting hall and the staff quarters.',
    openingHours: OPEN_DAILY,
    positionSource: RURAL_SOURCE,
  },
  {
    code: 'DT-TUONG-DAI',
    position: [103.0229, 21.3892],
    nameVi: 'Tượng đài Chiến thắng Điện Biên Phủ',
    nameEn: 'Điện Biên Phủ Victory Monument',
    rank: 'special_national',
    descriptionVi: 'Tượng đài Chiến thắng Điện Biên Phủ đứng trên đỉnh đồi D1, được khánh thành năm 2004 nhân kỷ niệm 50 năm chiến thắng. Tượng đồng khắc họa ba chiến sĩ giương cao lá cờ "Quyết chiến, quyết thắng" cùng một em bé người dân tộc cầm bó hoa. Từ đây có thể nhìn bao quát lòng chảo Mường Thanh.',
    descriptionEn: 'The Điện Biên Phủ Victory Monument stands on the summit of Hill D1 and was inaugurated in 2004 for the 50th anniversary of the victory. The bronze group shows three soldiers raising the flag "Determined to fight, determined to win" with a child holding flowers. It overlooks the whole Mường Thanh basin.',
    openingHours: null,
    positionSource: CITY_SOURCE,
  },
  {
    code: 'DT-BAO-TANG',
    position: [103.0231, 21.3839],
    nameVi: 'Bảo tàng Chiến thắng lịch sử Điện Biên Phủ',
    nameEn: 'Museum of the Historic Điện Biên Phủ Victory',
    rank: 'special_national',
    descriptionVi: 'Bảo tàng nằm trong khu vực di tích, đối diện Nghĩa trang liệt sĩ A1; tòa nhà mới được khánh thành năm 2014 nhân dịp 60 năm chiến thắng. Mái công trình gợi hình chiếc mũ nan của bộ đội; bên trong trưng bày hiện vật, tư liệu và bức tranh panorama về chiến dịch.',
    descriptionEn: 'The museum stands within the relic area, opposite the A1 Martyrs’ Cemetery; its new building opened in 2014 for the 60th anniversary of the victory. Its roof recalls the woven helmet of Vietnamese soldiers; inside are artefacts, documents and a panorama painting of the campaign.',
    openingHours: OPEN_DAILY,
    positionSource: CITY_SOURCE,
  },
  {
    code: 'DT-NT-A1',
    position: [103.0218, 21.3848],
    nameVi: 'Nghĩa trang liệt sĩ A1',
    nameEn: 'A1 Martyrs’ Cemetery',
    rank: 'special_national',
    descriptionVi: 'Nghĩa trang liệt sĩ A1 nằm dưới chân đồi A1, bên đường Võ Nguyên Giáp. Đây là nơi an nghỉ của hàng nghìn liệt sĩ hy sinh trong chiến dịch Điện Biên Phủ, nhiều ngôi mộ chưa xác định được danh tính.',
    descriptionEn: 'The A1 Martyrs’ Cemetery lies at the foot of Hill A1, beside Võ Nguyên Giáp street. Thousands of soldiers who fell in the Điện Biên Phủ campaign rest here, many of them in graves without a name.',
    openingHours: null,
    positionSource: CITY_SOURCE,
  },
  {
    code: 'DT-CAU-MUONG-THANH',
    position: [103.0152, 21.3817],
    nameVi: 'Cầu Mường Thanh',
    nameEn: 'Mường Thanh bridge',
    rank: 'special_national',
    descriptionVi: 'Cầu Mường Thanh là cây cầu sắt bắc qua sông Nậm Rốm, nối khu chỉ huy trung tâm ở bờ tây với các cứ điểm phía đông. Chiều 7/5/1954, bộ đội Việt Nam vượt qua cầu tiến vào hầm chỉ huy De Castries; cầu cũ nay chỉ dành cho người đi bộ.',
    descriptionEn: 'Mường Thanh bridge is the steel bridge over the Nậm Rốm that linked the central command on the west bank with the eastern strongpoints. On the afternoon of 7 May 1954 Vietnamese troops crossed it to reach de Castries’ bunker; the old bridge is now for pedestrians only.',
    openingHours: null,
    positionSource: CITY_SOURCE,
  },
  {
    code: 'DT-D1',
    position: [103.023, 21.3888],
    nameVi: 'Đồi D1',
    nameEn: 'Hill D1 (Dominique 2)',
    rank: 'special_national',
    descriptionVi: 'Đồi D1 (Dominique 2) là một trong dãy cứ điểm trên các đồi phía đông sông Nậm Rốm. Cứ điểm bị chiếm ngay đêm đầu của đợt tiến công thứ hai, bắt đầu ngày 30/3/1954. Ngày nay đỉnh đồi là nơi đặt Tượng đài Chiến thắng Điện Biên Phủ.',
    descriptionEn: 'Hill D1 (Dominique 2) was one of the chain of strongpoints on the hills east of the Nậm Rốm. It was taken on the first night of the second offensive, which began on 30 March 1954. Today the Victory Monument stands on its summit.',
    openingHours: null,
    positionSource: CITY_SOURCE,
    footprintRadii: [130, 110, 120, 110, 140, 120, 110, 120],
  },
  {
    code: 'DT-C1',
    position: [103.0275, 21.3855],
    nameVi: 'Đồi C1',
    nameEn: 'Hill C1 (Eliane 1)',
    rank: 'special_national',
    descriptionVi: 'Đồi C1 (Eliane 1) nằm giữa đồi D1 và đồi A1 trong dãy đồi phía đông. Hai bên giành giật cứ điểm này nhiều lần từ cuối tháng 3 đến đầu tháng 5/1954, có lúc mỗi bên chỉ giữ một nửa quả đồi.',
    descriptionEn: 'Hill C1 (Eliane 1) lies between Hills D1 and A1 in the eastern chain. Both sides fought over it repeatedly from late March to early May 1954, at times each holding half of the hill.',
    openingHours: null,
    positionSource: CITY_SOURCE,
    footprintRadii: [110, 100, 90, 100, 120, 110, 100, 100],
  },
  {
    code: 'DT-E',
    position: [103.0262, 21.3905],
    nameVi: 'Đồi E (E1)',
    nameEn: 'Hill E',
    rank: 'special_national',
    descriptionVi: 'Đồi E là cứ điểm ở đầu phía bắc dãy đồi phía đông sông Nậm Rốm. Cứ điểm bị chiếm trong đêm mở màn đợt tiến công thứ hai, ngày 30/3/1954.',
    descriptionEn: 'Hill E was the strongpoint at the northern end of the hill chain east of the Nậm Rốm. It was taken on the opening night of the second offensive, 30 March 1954.',
    openingHours: null,
    positionSource: CITY_SOURCE,
  },
  {
    code: 'DT-HONG-CUM',
    position: [103.0125, 21.332],
    nameVi: 'Căn cứ Hồng Cúm',
    nameEn: 'Hồng Cúm base (Isabelle)',
    rank: 'special_national',
    descriptionVi: 'Phân khu Nam Hồng Cúm (Isabelle) nằm cách phân khu trung tâm khoảng 5–6 km về phía nam, có sân bay dự bị và trận địa pháo yểm trợ. Quân Pháp ở đây bị tiêu diệt trong đêm 7/5/1954 khi tìm cách rút chạy sang Lào.',
    descriptionEn: 'The southern sector of Hồng Cúm (Isabelle) lay some 5–6 km south of the central sector, with a reserve airstrip and supporting artillery. Its garrison was destroyed in the night of 7 May 1954 while trying to break out towards Laos.',
    openingHours: null,
    positionSource: RURAL_SOURCE,
  },
  {
    code: 'DT-NT-HIM-LAM',
    position: [103.0352, 21.4128],
    nameVi: 'Nghĩa trang liệt sĩ Him Lam',
    nameEn: 'Him Lam Martyrs’ Cemetery',
    rank: 'special_national',
    descriptionVi: 'Nghĩa trang liệt sĩ Him Lam nằm dưới chân đồi Him Lam, bên quốc lộ 279. Đây là nơi an nghỉ của các liệt sĩ hy sinh trong trận mở màn chiến dịch, trong đó có anh hùng Phan Đình Giót.',
    descriptionEn: 'The Him Lam Martyrs’ Cemetery lies at the foot of Him Lam hill beside National Road 279. Soldiers who fell in the opening battle of the campaign rest here, among them the hero Phan Đình Giót.',
    openingHours: null,
    positionSource: CITY_SOURCE,
  },
  {
    code: 'DT-NT-DOC-LAP',
    position: [103.007, 21.434],
    nameVi: 'Nghĩa trang liệt sĩ Độc Lập',
    nameEn: 'Độc Lập Martyrs’ Cemetery',
    rank: 'special_national',
    descriptionVi: 'Nghĩa trang liệt sĩ Độc Lập nằm dưới chân đồi Độc Lập, trên đường từ thành phố đi Mường Lay. Đây là nơi an nghỉ của các liệt sĩ hy sinh trong trận đánh đồi Độc Lập tháng 3/1954.',
    descriptionEn: 'The Độc Lập Martyrs’ Cemetery lies at the foot of Độc Lập hill on the road from the city towards Mường Lay. Soldiers who fell in the battle for Độc Lập hill in March 1954 rest here.',
    openingHours: null,
    positionSource: CITY_SOURCE,
  },
  {
    code: 'DT-SAN-BAY-MUONG-THANH',
    position: [103.006, 21.399],
    nameVi: 'Sân bay Mường Thanh',
    nameEn: 'Mường Thanh airfield',
    rank: 'special_national',
    descriptionVi: 'Sân bay Mường Thanh là đầu mối tiếp tế bằng đường hàng không của tập đoàn cứ điểm. Pháo binh và hệ thống chiến hào bao vây của quân đội Việt Nam dần khống chế sân bay; từ cuối tháng 3/1954 máy bay không còn hạ cánh được, tiếp tế chỉ còn trông vào thả dù. Ngày nay đây là Cảng hàng không Điện Biên.',
    descriptionEn: 'Mường Thanh airfield was the air supply hub of the fortified complex. Vietnamese artillery and siege trenches progressively closed it; from late March 1954 no aircraft could land and supplies came only by parachute. Today it is Điện Biên airport.',
    openingHours: null,
    positionSource: CITY_SOURCE,
  },
  {
    code: 'DT-BAN-KEO',
    position: [102.9995, 21.4035],
    nameVi: 'Đồi Bản Kéo',
    nameEn: 'Bản Kéo hill (Anne-Marie)',
    rank: 'special_national',
    descriptionVi: 'Cụm cứ điểm Bản Kéo (Anne-Marie) nằm ở phía tây bắc sân bay Mường Thanh, do các đơn vị lính người Thái trấn giữ. Sau khi Him Lam và Độc Lập thất thủ, phần lớn binh lính bỏ vị trí và quân đội Việt Nam làm chủ cứ điểm ngày 17/3/1954.',
    descriptionEn: 'The Bản Kéo strongpoints (Anne-Marie) lay north-west of Mường Thanh airfield, held by Tai auxiliary units. After Him Lam and Độc Lập fell, most of the garrison left and Vietnamese troops took the position on 17 March 1954.',
    openingHours: null,
    positionSource: CITY_SOURCE,
  },
  {
    code: 'DT-THANH-BAN-PHU',
    position: [103.033, 21.327],
    nameVi: 'Thành Bản Phủ',
    nameEn: 'Bản Phủ citadel',
    rank: 'national',
    descriptionVi: 'Thành Bản Phủ (thành Tam Vạn) do thủ lĩnh nghĩa quân nông dân Hoàng Công Chất xây dựng vào thế kỷ XVIII ở phía nam cánh đồng Mường Thanh. Dấu tích còn lại gồm tường thành đắp đất và hào nước; gần đó có đền thờ Hoàng Công Chất.',
    descriptionEn: 'Bản Phủ citadel (Tam Vạn) was built in the 18th century by the peasant rebel leader Hoàng Công Chất in the south of the Mường Thanh valley. Earthen ramparts and a moat survive, and a temple to Hoàng Công Chất stands nearby.',
    openingHours: null,
    positionSource: RURAL_SOURCE,
  },
];

writeFeatureCollection(
  path.join(sampleDir, 'heritage-sites.geojson'),
  heritageSites.map((site) => ({
    type: 'Feature',
    properties: {
      code: site.code,
      name_vi: site.nameVi,
      name_en: site.nameEn,
      rank: site.rank,
      description_vi: site.descriptionVi,
      description_en: site.descriptionEn,
      opening_hours: site.openingHours,
      position_source: site.positionSource,
      ...(site.footprintRadii ? { footprint: hillFootprint(site.position, site.footprintRadii) } : {}),
    },
    geometry: pointGeometry(site.position),
  })),
);

// ---------------------------------------------------------------- cameras

const cameras: { name: string; position: LonLat; bearing: number; hfov: number; range: number; status?: 'offline' | 'maintenance' }[] = [
  { name: 'Cầu Mường Thanh — hướng đông', position: [103.0161, 21.3818], bearing: 90, hfov: 60, range: 120 },
  { name: 'Ngã tư Mường Thanh — hướng cầu', position: [103.0185, 21.383], bearing: 255, hfov: 70, range: 150 },
  { name: 'Quảng trường trung tâm — hướng bắc', position: [103.0195, 21.387], bearing: 0, hfov: 90, range: 200 },
  { name: 'Ngã ba Him Lam — quốc lộ 279 hướng Tuần Giáo', position: [103.033, 21.406], bearing: 40, hfov: 60, range: 250 },
  { name: 'Đường Võ Nguyên Giáp — trước Bảo tàng', position: [103.0222, 21.3834], bearing: 120, hfov: 75, range: 120 },
  { name: 'Cổng Cảng hàng không Điện Biên', position: [103.0085, 21.3935], bearing: 300, hfov: 90, range: 100 },
  { name: 'Chợ trung tâm Tân Thanh — lối vào chính', position: [103.021, 21.3915], bearing: 180, hfov: 100, range: 60 },
  { name: 'Bờ tây sông Nậm Rốm — phố Thanh Bình', position: [103.012, 21.388], bearing: 90, hfov: 60, range: 150 },
  { name: 'Ngã tư Noong Bua — hướng Hồng Cúm', position: [103.028, 21.376], bearing: 180, hfov: 50, range: 300, status: 'offline' },
  { name: 'Đường 7/5 — Nam Thanh', position: [103.015, 21.37], bearing: 200, hfov: 60, range: 200 },
  { name: 'Bến xe khách — lối vào', position: [103.0325, 21.4015], bearing: 270, hfov: 80, range: 80, status: 'maintenance' },
  { name: 'Quốc lộ 12 — chân đồi Độc Lập hướng Mường Lay', position: [103.0085, 21.43], bearing: 350, hfov: 45, range: 300 },
];

writeFeatureCollection(
  path.join(sampleDir, 'cameras.geojson'),
  cameras.map((camera, i) => {
    const code = `CAM-${String(i + 1).padStart(3, '0')}`;
    return {
      type: 'Feature',
      properties: {
        code,
        name: camera.name,
        bearing_deg: camera.bearing,
        hfov_deg: camera.hfov,
        range_m: camera.range,
        stream_url: `http://127.0.0.1:8090/cameras/${code}/index.m3u8`,
        status: camera.status ?? 'online',
      },
      geometry: pointGeometry(camera.position),
    };
  }),
);

// ---------------------------------------------------------------- emergency facilities

const HOTLINES = { police: '113', fire: '114', hospital: '115', clinic: '115' } as const;
const unitByCode = new Map(adminUnits2025.map((unit) => [unit.code, unit]));

const facilities: { name: string; kind: keyof typeof HOTLINES; unitCode: string; position: LonLat; place: string }[] = [
  { name: 'Công an tỉnh Điện Biên', kind: 'police', unitCode: '03127', position: [103.0205, 21.3895], place: 'trung tâm thành phố Điện Biên Phủ' },
  { name: 'Phòng Cảnh sát PCCC và CNCH — Công an tỉnh Điện Biên', kind: 'fire', unitCode: '03127', position: [103.0262, 21.3955], place: 'trung tâm thành phố Điện Biên Phủ' },
  { name: 'Bệnh viện Đa khoa tỉnh Điện Biên', kind: 'hospital', unitCode: '03127', position: [103.0295, 21.3985], place: 'thành phố Điện Biên Phủ' },
  { name: 'Trung tâm Y tế huyện Điện Biên', kind: 'hospital', unitCode: '03334', position: [103.0065, 21.3575], place: 'khu trung tâm huyện Điện Biên cũ' },
  { name: 'Trung tâm Y tế Tuần Giáo', kind: 'hospital', unitCode: '03253', position: [103.418, 21.588], place: 'thị trấn Tuần Giáo cũ' },
  { name: 'Công an xã Tuần Giáo', kind: 'police', unitCode: '03253', position: [103.4225, 21.5915], place: 'thị trấn Tuần Giáo cũ' },
  { name: 'Trung tâm Y tế Mường Lay', kind: 'hospital', unitCode: '03151', position: [103.1495, 22.036], place: 'thị xã Mường Lay cũ' },
  { name: 'Công an phường Mường Lay', kind: 'police', unitCode: '03151', position: [103.1545, 22.0395], place: 'thị xã Mường Lay cũ' },
  { name: 'Trung tâm Y tế Mường Nhé', kind: 'hospital', unitCode: '03160', position: [102.4625, 22.1885], place: 'trung tâm huyện Mường Nhé cũ' },
  { name: 'Công an xã Mường Nhé', kind: 'police', unitCode: '03160', position: [102.4575, 22.1915], place: 'trung tâm huyện Mường Nhé cũ' },
  { name: 'Trung tâm Y tế Tủa Chùa', kind: 'hospital', unitCode: '03217', position: [103.348, 21.863], place: 'thị trấn Tủa Chùa cũ' },
  { name: 'Trung tâm Y tế Điện Biên Đông', kind: 'hospital', unitCode: '03203', position: [103.252, 21.258], place: 'thị trấn Điện Biên Đông cũ' },
  { name: 'Công an xã Na Son', kind: 'police', unitCode: '03203', position: [103.2475, 21.2615], place: 'thị trấn Điện Biên Đông cũ' },
  { name: 'Trung tâm Y tế Mường Chà', kind: 'hospital', unitCode: '03172', position: [103.058, 21.802], place: 'thị trấn Mường Chà cũ' },
  { name: 'Trung tâm Y tế Mường Ảng', kind: 'hospital', unitCode: '03256', position: [103.218, 21.522], place: 'thị trấn Mường Ảng cũ' },
  { name: 'Trung tâm Y tế Nậm Pồ', kind: 'hospital', unitCode: '03169', position: [102.708, 21.902], place: 'trung tâm huyện Nậm Pồ cũ' },
  { name: 'Trạm Y tế xã Sín Thầu', kind: 'clinic', unitCode: '03158', position: [102.3315, 22.3685], place: 'trung tâm xã' },
  { name: 'Trạm Y tế xã Mường Phăng', kind: 'clinic', unitCode: '03325', position: [103.1315, 21.4515], place: 'trung tâm xã' },
];

writeFeatureCollection(
  path.join(sampleDir, 'facilities.geojson'),
  facilities.map((facility, i) => {
    const unit = unitByCode.get(facility.unitCode);
    if (!unit) throw new Error(`unknown unit ${facility.unitCode}`);
    return {
      type: 'Feature',
      properties: {
        code: `FAC-${String(i + 1).padStart(3, '0')}`,
        name: facility.name,
        kind: facility.kind,
        hotline: HOTLINES[facility.kind],
        phone: `0215 000 ${String(3001 + i)}`,
        address: `${facility.place}, ${unit.name.replace(/^Xã/, 'xã').replace(/^Phường/, 'phường')}, tỉnh Điện Biên (vị trí gần đúng)`,
        unit_code: facility.unitCode,
      },
      geometry: pointGeometry(facility.position),
    };
  }),
);

// ---------------------------------------------------------------- offices

/** ASCII slug for illustrative e-mail addresses: "Xã Mường Nhé" -> "xa-muong-nhe". */
function slugOf(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const lowerUnitType = (name: string) => name.replace(/^Xã/, 'xã').replace(/^Phường/, 'phường');
const englishUnitName = (name: string) =>
  name.startsWith('Phường ') ? `${name.slice('Phường '.length)} Ward` : `${name.slice('Xã '.length)} Commune`;
const PROVINCE = { set: 'dienbien-2025', unit_codes: ['11'] };
const PROVINCIAL_ADDRESS = 'phường Điện Biên Phủ, tỉnh Điện Biên';

const offices = [
  ...[...adminUnits2025]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((unit, i) => ({
      code: `UBND-${unit.code}`,
      name: `UBND ${lowerUnitType(unit.name)}`,
      name_en: `People's Committee of ${englishUnitName(unit.name)}`,
      kind: 'commune_committee',
      responsibilities: ['commune'],
      covers: { set: 'dienbien-2025', unit_codes: [unit.code] },
      phone: `0215 000 ${String(2001 + i)}`,
      email: `ubnd.${slugOf(unit.name)}@dienbien.gov.vn.example`,
      address: `${unit.adminCenterName}; ${lowerUnitType(unit.name)}, tỉnh Điện Biên`,
      supervisor_code: 'IOC-DB',
    })),
  {
    code: 'SXD-DB',
    name: 'Sở Xây dựng tỉnh Điện Biên',
    name_en: 'Điện Biên Department of Construction',
    kind: 'department',
    responsibilities: ['construction', 'transport', 'urban_order'],
    covers: PROVINCE,
    phone: '0215 000 1101',
    email: 'soxaydung@dienbien.gov.vn.example',
    address: PROVINCIAL_ADDRESS,
    supervisor_code: 'IOC-DB',
  },
  {
    code: 'SNNMT-DB',
    name: 'Sở Nông nghiệp và Môi trường tỉnh Điện Biên',
    name_en: 'Điện Biên Department of Agriculture and Environment',
    kind: 'department',
    responsibilities: ['environment', 'natural_resources', 'water_resources'],
    covers: PROVINCE,
    phone: '0215 000 1102',
    email: 'sonnmt@dienbien.gov.vn.example',
    address: PROVINCIAL_ADDRESS,
    supervisor_code: 'IOC-DB',
  },
  {
    code: 'SVHTTDL-DB',
    name: 'Sở Văn hóa, Thể thao và Du lịch tỉnh Điện Biên',
    name_en: 'Điện Biên Department of Culture, Sports and Tourism',
    kind: 'department',
    responsibilities: ['culture', 'tourism', 'heritage'],
    covers: PROVINCE,
    phone: '0215 000 1103',
    email: 'sovhttdl@dienbien.gov.vn.example',
    address: PROVINCIAL_ADDRESS,
    supervisor_code: 'IOC-DB',
  },
  {
    code: 'CA-DB',
    name: 'Công an tỉnh Điện Biên',
    name_en: 'Điện Biên Provincial Police',
    kind: 'police',
    responsibilities: ['police', 'traffic_safety'],
    covers: PROVINCE,
    phone: '0215 000 1104',
    email: 'congan@dienbien.gov.vn.example',
    address: PROVINCIAL_ADDRESS,
    supervisor_code: 'IOC-DB',
  },
  {
    code: 'DIENLUC-DB',
    name: 'Công ty Điện lực Điện Biên',
    name_en: 'Điện Biên Power Company',
    kind: 'utility',
    responsibilities: ['power'],
    covers: PROVINCE,
    phone: '0215 000 1105',
    email: 'dienluc@dienbien.gov.vn.example',
    address: PROVINCIAL_ADDRESS,
    supervisor_code: 'IOC-DB',
  },
  {
    code: 'CAPNUOC-DB',
    name: 'Công ty Cổ phần Cấp nước Điện Biên',
    name_en: 'Điện Biên Water Supply Joint Stock Company',
    kind: 'utility',
    responsibilities: ['water'],
    covers: PROVINCE,
    phone: '0215 000 1106',
    email: 'capnuoc@dienbien.gov.vn.example',
    address: PROVINCIAL_ADDRESS,
    supervisor_code: 'IOC-DB',
  },
  {
    code: 'IOC-DB',
    name: 'Trung tâm Giám sát, điều hành đô thị thông minh tỉnh Điện Biên',
    name_en: 'Điện Biên Intelligent Operations Centre (IOC)',
    kind: 'ioc',
    responsibilities: ['coordination'],
    covers: PROVINCE,
    phone: '0215 000 1100',
    email: 'ioc@dienbien.gov.vn.example',
    address: PROVINCIAL_ADDRESS,
    supervisor_code: null,
  },
];

writeFileSync(path.join(sampleDir, 'offices.json'), `${JSON.stringify(offices, null, 2)}\n`, 'utf8');

console.log(`heritage sites: ${heritageSites.length}, cameras: ${cameras.length}, facilities: ${facilities.length}, offices: ${offices.length}`);
