/**
 * Administrative units of the sample data set and our own estimates of where their seats are.
 *
 * Names, codes, unit types, `mergedFrom` and `adminCenterName` are official facts (Nghị quyết of the
 * Standing Committee of the National Assembly on the 2025 reorganisation; pre-2025 list from the
 * public dvhcvn list). The coordinates are the project's own estimates from geographic knowledge
 * (former district seats, commune HQs, roads, rivers). They were checked, not computed, against
 * licensed test data: see check-admin-centres.ts and the README.
 */

export type LonLat = readonly [number, number];

export interface AdminUnit2025 {
  code: string;
  name: string;
  unitType: 'phường' | 'xã';
  mergedFrom: string;
  adminCenterName: string;
  /** Our estimate of the seat ([lon, lat], WGS84). */
  seat: LonLat;
  positionNote: string;
}

/**
 * Seats whose first estimate fell outside the right unit in the pass/fail check, with the number of
 * the estimate that passed. Each new estimate came from reasoning about where the named place is
 * (which neighbour the previous one fell into tells the direction); none was computed from geometry.
 */
const estimatesNeeded: Record<string, number> = {
  '03162': 2, '03163': 2, '03164': 2, '03169': 3, '03175': 5, '03176': 4, '03208': 3, '03214': 2,
  '03220': 4, '03226': 9, '03241': 4, '03244': 2, '03283': 7, '03301': 2, '03313': 2, '03316': 3,
  '03349': 2, '03368': 2, '03370': 4, '03385': 2,
};

function positionNoteFor(code: string): string {
  const estimate = estimatesNeeded[code];
  if (estimate === undefined) {
    return 'own estimate from geographic knowledge of the named seat (±2–5 km); first estimate, confirmed inside the real unit by a local pass/fail check';
  }
  const confidence = estimate >= 5 ? 'low confidence: the position is mostly constrained by the check, not by knowledge of the place' : '±3–5 km';
  return `own estimate, corrected: estimate no. ${estimate} after earlier ones fell in a neighbouring unit in a local pass/fail check; ${confidence}`;
}

function unit(code: string, name: string, unitType: 'phường' | 'xã', mergedFrom: string, adminCenterName: string, seat: LonLat): AdminUnit2025 {
  return { code, name, unitType, mergedFrom, adminCenterName, seat, positionNote: positionNoteFor(code) };
}

/** The 45 commune-level units in force since 2025-07-01, in code order. */
export const adminUnits2025: readonly AdminUnit2025[] = [
  unit('03127', 'Phường Điện Biên Phủ', 'phường', 'Phường Him Lam, Phường Tân Thanh, Phường Mường Thanh, Phường Thanh Bình, Phường Thanh Trường, Xã Thanh Minh', 'Trụ sở Thành ủy, HĐND và UBND TP Điện Biên Phủ', [103.017, 21.386]),
  unit('03151', 'Phường Mường Lay', 'phường', 'Phường Sông Đà, Phường Na Lay, Xã Lay Nưa, Xã Sá Tổng', 'Trụ sở Thị ủy, HĐND và UBND thị xã Mường Lay', [103.152, 22.038]),
  unit('03158', 'Xã Sín Thầu', 'xã', 'Xã Sen Thượng, Xã Leng Su Sìn, Xã Sín Thầu', 'Trụ sở Đảng ủy, HĐND và UBND xã Leng Su Sìn', [102.33, 22.37]),
  unit('03160', 'Xã Mường Nhé', 'xã', 'Xã Nậm Vì, Xã Chung Chải, Xã Mường Nhé', 'Trụ sở Huyện ủy, HĐND và UBND huyện Mường Nhé', [102.46, 22.19]),
  unit('03162', 'Xã Nậm Kè', 'xã', 'Xã Pá Mỳ, Xã Nậm Kè', 'Trụ sở Đảng ủy, HĐND và UBND xã Nậm Kè', [102.55, 22.11]),
  unit('03163', 'Xã Mường Toong', 'xã', 'Xã Huổi Lếch, Xã Mường Toong', 'Trụ sở Đảng ủy, HĐND và UBND xã Mường Toong', [102.63, 22.17]),
  unit('03164', 'Xã Quảng Lâm', 'xã', 'Xã Na Cô Sa, Xã Quảng Lâm', 'Trụ sở Đảng ủy, HĐND và UBND xã Quảng Lâm', [102.62, 22.01]),
  unit('03166', 'Xã Mường Chà', 'xã', 'Xã Chà Cang, Xã Chà Nưa, Xã Nậm Tin, Xã Pa Tần', 'Trụ sở Đảng ủy, HĐND và UBND xã Chà Cang', [102.83, 21.93]),
  unit('03169', 'Xã Nà Hỳ', 'xã', 'Xã Nà Khoa, Xã Nậm Nhừ, Xã Nậm Chua, Xã Nà Hỳ', 'Trụ sở Huyện ủy, HĐND và UBND huyện Nậm Pồ', [102.71, 21.9]),
  unit('03172', 'Xã Na Sang', 'xã', 'Thị trấn Mường Chà, Xã Ma Thì Hồ, Xã Sa Lông, Xã Na Sang', 'Trụ sở Huyện ủy, HĐND và UBND huyện Mường Chà', [103.06, 21.8]),
  unit('03175', 'Xã Chà Tở', 'xã', 'Xã Nậm Khăn, Xã Chà Tở', 'Trụ sở Đảng ủy, HĐND và UBND xã Chà Tở', [102.9, 22.02]),
  unit('03176', 'Xã Nà Bủng', 'xã', 'Xã Vàng Đán, Xã Nà Bủng', 'Trụ sở Đảng ủy, HĐND và UBND xã Vàng Đán', [102.72, 21.72]),
  unit('03181', 'Xã Mường Tùng', 'xã', 'Xã Huổi Lèng, Xã Mường Tùng', 'Trụ sở Đảng ủy, HĐND và UBND xã Mường Tùng', [103.09, 21.92]),
  unit('03193', 'Xã Pa Ham', 'xã', 'Xã Hừa Ngài, Xã Pa Ham', 'Trụ sở Đảng ủy, HĐND và UBND xã Pa Ham', [103.18, 21.88]),
  unit('03194', 'Xã Nậm Nèn', 'xã', 'Xã Huổi Mí, Xã Nậm Nèn', 'Trụ sở Đảng ủy, HĐND và UBND xã Nậm Nèn', [103.17, 21.75]),
  unit('03199', 'Xã Si Pa Phìn', 'xã', 'Xã Phìn Hồ, Xã Si Pa Phìn', 'Trụ sở Đảng ủy, HĐND và UBND xã Si Pa Phìn', [102.88, 21.73]),
  unit('03202', 'Xã Mường Pồn', 'xã', 'Xã Mường Mươn, Xã Mường Pồn', 'Trụ sở Đảng ủy, HĐND và UBND xã Mường Mươn', [103.03, 21.67]),
  unit('03203', 'Xã Na Son', 'xã', 'Thị trấn Điện Biên Đông, Xã Keo Lôm, Xã Na Son', 'Trụ sở Huyện ủy, HĐND và UBND huyện Điện Biên Đông', [103.25, 21.26]),
  unit('03208', 'Xã Xa Dung', 'xã', 'Xã Phì Nhừ, Xã Xa Dung', 'Trụ sở Đảng ủy, HĐND và UBND xã Phì Nhừ', [103.3, 21.36]),
  unit('03214', 'Xã Mường Luân', 'xã', 'Xã Chiềng Sơ, Xã Luân Giói, Xã Mường Luân', 'Trụ sở Đảng ủy, HĐND và UBND xã Mường Luân', [103.42, 21.2]),
  unit('03217', 'Xã Tủa Chùa', 'xã', 'Thị trấn Tủa Chùa, Xã Mường Báng, Xã Nà Tòng', 'Trụ sở Huyện ủy, HĐND và UBND huyện Tủa Chùa', [103.35, 21.865]),
  unit('03220', 'Xã Tủa Thàng', 'xã', 'Xã Huổi Só, Xã Tủa Thàng', 'Trụ sở Đảng ủy, HĐND và UBND xã Huổi Só', [103.45, 21.95]),
  unit('03226', 'Xã Sín Chải', 'xã', 'Xã Tả Sìn Thàng, Xã Lao Xả Phình, Xã Sín Chải', 'Trụ sở Đảng ủy, HĐND và UBND xã Tả Sìn Thàng', [103.3, 22.02]),
  unit('03241', 'Xã Sính Phình', 'xã', 'Xã Trung Thu, Xã Tả Phìn, Xã Sính Phình', 'Trụ sở Đảng ủy, HĐND và UBND xã Sính Phình', [103.38, 21.95]),
  unit('03244', 'Xã Sáng Nhè', 'xã', 'Xã Xá Nhè, Xã Mường Đun, Xã Phình Sáng', 'Trụ sở Đảng ủy, HĐND và UBND xã Xá Nhè', [103.43, 21.88]),
  unit('03253', 'Xã Tuần Giáo', 'xã', 'Thị trấn Tuần Giáo, Xã Quài Cang, Xã Quài Nưa', 'Trụ sở Huyện ủy, HĐND và UBND huyện Tuần Giáo', [103.42, 21.59]),
  unit('03256', 'Xã Mường Ảng', 'xã', 'Thị trấn Mường Ảng, Xã Ẳng Nưa, Xã Ẳng Cang', 'Trụ sở Huyện ủy, HĐND và UBND huyện Mường Ảng', [103.22, 21.52]),
  unit('03260', 'Xã Pú Nhung', 'xã', 'Xã Rạng Đông, Xã Ta Ma, Xã Pú Nhung', 'Trụ sở Đảng ủy, HĐND và UBND xã Rạng Đông', [103.47, 21.66]),
  unit('03268', 'Xã Mường Mùn', 'xã', 'Xã Mùn Chung, Xã Pú Xi, Xã Mường Mùn', 'Trụ sở Đảng ủy, HĐND và UBND xã Mường Mùn', [103.3, 21.68]),
  unit('03283', 'Xã Chiềng Sinh', 'xã', 'Xã Nà Sáy, Xã Mường Thín, Xã Mường Khong, Xã Chiềng Sinh', 'Trụ sở Đảng ủy, HĐND và UBND xã Nà Sáy', [103.36, 21.57]),
  unit('03295', 'Xã Quài Tở', 'xã', 'Xã Tỏa Tình, Xã Tênh Phông, Xã Quài Tở', 'Trụ sở Đảng ủy, HĐND và UBND xã Quài Tở', [103.46, 21.57]),
  unit('03301', 'Xã Búng Lao', 'xã', 'Xã Ẳng Tở, Xã Chiềng Đông, Xã Búng Lao', 'Trụ sở Đảng ủy, HĐND và UBND xã Búng Lao', [103.3, 21.52]),
  unit('03313', 'Xã Mường Lạn', 'xã', 'Xã Nặm Lịch, Xã Xuân Lao, Xã Mường Lạn', 'Trụ sở Đảng ủy, HĐND và UBND xã Mường Lạn', [103.25, 21.44]),
  unit('03316', 'Xã Nà Tấu', 'xã', 'Xã Mường Đăng, Xã Ngối Cáy, Xã Nà Tấu', 'Trụ sở Đảng ủy, HĐND và UBND xã Nà Tấu', [103.15, 21.53]),
  unit('03325', 'Xã Mường Phăng', 'xã', 'Xã Nà Nhạn, Xã Pá Khoang, Xã Mường Phăng', 'Trụ sở Đảng ủy, HĐND và UBND xã Mường Phăng', [103.13, 21.45]),
  unit('03328', 'Xã Thanh Nưa', 'xã', 'Xã Hua Thanh, Xã Thanh Luông, Xã Thanh Hưng, Xã Thanh Chăn, Xã Thanh Nưa', 'Trụ sở Đảng ủy, HĐND và UBND xã Thanh Luông', [102.995, 21.42]),
  unit('03334', 'Phường Mường Thanh', 'phường', 'Phường Noong Bua, Phường Nam Thanh, Xã Thanh Xương', 'Trụ sở Huyện ủy, HĐND và UBND huyện Điện Biên', [103.005, 21.355]),
  unit('03349', 'Xã Thanh Yên', 'xã', 'Xã Noong Luống, Xã Pa Thơm, Xã Thanh Yên', 'Trụ sở Đảng ủy, HĐND và UBND xã Noong Luống', [102.99, 21.315]),
  unit('03352', 'Xã Thanh An', 'xã', 'Xã Noong Hẹt, Xã Sam Mứn, Xã Thanh An', 'Trụ sở Đảng ủy, HĐND và UBND xã Noong Hẹt', [103.05, 21.33]),
  unit('03356', 'Xã Sam Mứn', 'xã', 'Xã Pom Lót, Xã Na Ư', 'Trụ sở Đảng ủy, HĐND và UBND xã Pom Lót', [102.98, 21.25]),
  unit('03358', 'Xã Núa Ngam', 'xã', 'Xã Hẹ Muông, Xã Na Tông, Xã Núa Ngam', 'Trụ sở Đảng ủy, HĐND và UBND xã Núa Ngam', [103.02, 21.18]),
  unit('03368', 'Xã Mường Nhà', 'xã', 'Xã Mường Lói, Xã Phu Luông, Xã Mường Nhà', 'Trụ sở Đảng ủy, HĐND và UBND xã Phu Luông', [103.1, 21.03]),
  unit('03370', 'Xã Pu Nhi', 'xã', 'Xã Nong U, Xã Pu Nhi', 'Trụ sở Đảng ủy, HĐND và UBND xã Pu Nhi', [103.17, 21.3]),
  unit('03382', 'Xã Phình Giàng', 'xã', 'Xã Pú Hồng, Xã Phình Giàng', 'Trụ sở HĐND và UBND xã Phình Giàng', [103.18, 21.13]),
  unit('03385', 'Xã Tìa Dình', 'xã', 'Xã Háng Lìa, Xã Tìa Dình', 'Trụ sở Đảng ủy, HĐND và UBND xã Háng Lìa', [103.32, 21.18]),
];

export interface AdminUnitPre2025 {
  code: string;
  name: string;
  unitType: 'phường' | 'xã';
  /** Our estimate of the ward/commune People's Committee ([lon, lat], WGS84). */
  seat: LonLat;
  positionNote: string;
}

const WARD_ESTIMATE = 'own estimate of the ward People\'s Committee from knowledge of the city layout (±500 m); not checked against any boundary data';
const COMMUNE_ESTIMATE = 'own estimate of the commune People\'s Committee (±2 km); same place as the seat used for the 2025 unit where that unit kept this seat';

/** Thành phố Điện Biên Phủ (district code 094) before 2025-07-01: 7 phường + 5 xã. */
export const tpDienBienPhuPre2025 = {
  code: '094',
  name: 'Thành phố Điện Biên Phủ',
  unitType: 'thành phố',
  units: [
    { code: '03124', name: 'Phường Noong Bua', unitType: 'phường', seat: [103.036, 21.378], positionNote: WARD_ESTIMATE },
    { code: '03127', name: 'Phường Him Lam', unitType: 'phường', seat: [103.032, 21.404], positionNote: WARD_ESTIMATE },
    { code: '03130', name: 'Phường Thanh Bình', unitType: 'phường', seat: [103.008, 21.383], positionNote: WARD_ESTIMATE },
    { code: '03133', name: 'Phường Tân Thanh', unitType: 'phường', seat: [103.024, 21.392], positionNote: WARD_ESTIMATE },
    { code: '03136', name: 'Phường Mường Thanh', unitType: 'phường', seat: [103.019, 21.3835], positionNote: WARD_ESTIMATE },
    { code: '03139', name: 'Phường Nam Thanh', unitType: 'phường', seat: [103.014, 21.368], positionNote: WARD_ESTIMATE },
    { code: '03142', name: 'Phường Thanh Trường', unitType: 'phường', seat: [103.002, 21.396], positionNote: WARD_ESTIMATE },
    { code: '03145', name: 'Xã Thanh Minh', unitType: 'xã', seat: [103.052, 21.412], positionNote: COMMUNE_ESTIMATE },
    { code: '03316', name: 'Xã Nà Tấu', unitType: 'xã', seat: [103.15, 21.53], positionNote: COMMUNE_ESTIMATE },
    { code: '03317', name: 'Xã Nà Nhạn', unitType: 'xã', seat: [103.035, 21.475], positionNote: COMMUNE_ESTIMATE },
    { code: '03325', name: 'Xã Mường Phăng', unitType: 'xã', seat: [103.13, 21.45], positionNote: COMMUNE_ESTIMATE },
    { code: '03326', name: 'Xã Pá Khoang', unitType: 'xã', seat: [103.085, 21.435], positionNote: COMMUNE_ESTIMATE },
  ] satisfies AdminUnitPre2025[],
} as const;
