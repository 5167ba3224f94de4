import type { ReportPriority } from '../../db/database-schema.ts';

/**
 * The rules a fresh platform starts with. They are data: an admin edits them later through the API,
 * and a restart never overwrites an edit (rows are only inserted when missing).
 *
 * Deadlines are in working minutes (office hours, Monday–Friday, minus public holidays):
 * acknowledge within 8 working hours; handle urgent reports within 4 working hours, normal ones within
 * 3 working days, complex ones within 10 working days (as iHanoi does).
 */
export const WORKING_DAY_MINUTES = 8 * 60;

export const defaultPriorities: ReadonlyArray<{ code: ReportPriority; name_vi: string; name_en: string; resolve_working_minutes: number }> = [
  { code: 'urgent', name_vi: 'Khẩn cấp', name_en: 'Urgent', resolve_working_minutes: 4 * 60 },
  { code: 'normal', name_vi: 'Thông thường', name_en: 'Normal', resolve_working_minutes: 3 * WORKING_DAY_MINUTES },
  { code: 'complex', name_vi: 'Phức tạp', name_en: 'Complex', resolve_working_minutes: 10 * WORKING_DAY_MINUTES },
];

export interface DefaultCategory {
  code: string;
  name_vi: string;
  name_en: string;
  description_vi: string;
  description_en: string;
  responsible_kind: 'commune_committee' | 'office';
  responsibility: string | null;
  default_priority: ReportPriority;
}

export const defaultCategories: readonly DefaultCategory[] = [
  {
    code: 'public_lighting',
    name_vi: 'Chiếu sáng công cộng',
    name_en: 'Public lighting',
    description_vi: 'Đèn đường hỏng, tắt, sáng ban ngày.',
    description_en: 'Street lights broken, off at night or on by day.',
    responsible_kind: 'commune_committee',
    responsibility: null,
    default_priority: 'normal',
  },
  {
    code: 'roads_pavements',
    name_vi: 'Đường, vỉa hè',
    name_en: 'Roads and pavements',
    description_vi: 'Ổ gà, sụt lún, vỉa hè hư hỏng.',
    description_en: 'Potholes, subsidence, broken pavements.',
    responsible_kind: 'commune_committee',
    responsibility: null,
    default_priority: 'normal',
  },
  {
    code: 'power_lines',
    name_vi: 'Cột điện, đường dây điện',
    name_en: 'Power poles and lines',
    description_vi: 'Cột điện nghiêng, dây điện đứt, võng thấp.',
    description_en: 'Leaning poles, broken or sagging lines.',
    responsible_kind: 'office',
    responsibility: 'power',
    default_priority: 'urgent',
  },
  {
    code: 'drainage_flooding',
    name_vi: 'Thoát nước, ngập úng',
    name_en: 'Drainage and flooding',
    description_vi: 'Cống tắc, mất nắp cống, ngập khi mưa.',
    description_en: 'Blocked drains, missing covers, flooding after rain.',
    responsible_kind: 'commune_committee',
    responsibility: null,
    default_priority: 'urgent',
  },
  {
    code: 'waste_environment',
    name_vi: 'Rác thải, môi trường',
    name_en: 'Waste and environment',
    description_vi: 'Rác tồn đọng, đổ trộm, ô nhiễm.',
    description_en: 'Uncollected or dumped waste, pollution.',
    responsible_kind: 'commune_committee',
    responsibility: null,
    default_priority: 'normal',
  },
  {
    code: 'water_supply',
    name_vi: 'Cấp nước',
    name_en: 'Water supply',
    description_vi: 'Mất nước, vỡ ống, nước bẩn.',
    description_en: 'No water, burst pipes, dirty water.',
    responsible_kind: 'office',
    responsibility: 'water',
    default_priority: 'normal',
  },
  {
    code: 'traffic_safety',
    name_vi: 'An toàn giao thông',
    name_en: 'Traffic safety',
    description_vi: 'Biển báo, đèn tín hiệu hỏng, điểm đen tai nạn.',
    description_en: 'Broken signs or signals, accident black spots.',
    responsible_kind: 'office',
    responsibility: 'traffic_safety',
    default_priority: 'urgent',
  },
  {
    code: 'urban_order',
    name_vi: 'Trật tự đô thị',
    name_en: 'Urban order',
    description_vi: 'Lấn chiếm lòng đường, vỉa hè; xây dựng trái phép.',
    description_en: 'Encroachment on roads and pavements; illegal construction.',
    responsible_kind: 'commune_committee',
    responsibility: null,
    default_priority: 'complex',
  },
  {
    code: 'trees',
    name_vi: 'Cây xanh',
    name_en: 'Trees',
    description_vi: 'Cây đổ, cành gãy, cây nguy hiểm.',
    description_en: 'Fallen trees, broken branches, dangerous trees.',
    responsible_kind: 'commune_committee',
    responsibility: null,
    default_priority: 'normal',
  },
  {
    code: 'public_service_attitude',
    name_vi: 'Thái độ phục vụ của cán bộ',
    name_en: 'Public service attitude',
    description_vi: 'Phản ánh về thái độ, tác phong của cán bộ, công chức.',
    description_en: 'How civil servants treated you.',
    responsible_kind: 'commune_committee',
    responsibility: null,
    default_priority: 'complex',
  },
  {
    code: 'tourism_heritage',
    name_vi: 'Du lịch, di tích',
    name_en: 'Tourism and heritage sites',
    description_vi: 'Di tích xuống cấp, dịch vụ du lịch, biển chỉ dẫn.',
    description_en: 'Damaged relics, tourist services, signposting.',
    responsible_kind: 'office',
    responsibility: 'heritage',
    default_priority: 'normal',
  },
  {
    code: 'other',
    name_vi: 'Khác',
    name_en: 'Other',
    description_vi: 'Vấn đề khác.',
    description_en: 'Anything else.',
    responsible_kind: 'commune_committee',
    responsibility: null,
    default_priority: 'normal',
  },
];

/**
 * Public holidays and make-up working days, 2025–2027 (Labour Code art. 112 and the Government's
 * yearly notices). Lunar holidays are converted to the solar calendar. Dates of future years follow
 * the usual pattern and must be checked against the official notice each year (admins edit them).
 */
export const defaultCalendarExceptions: ReadonlyArray<{ day: string; kind: 'holiday' | 'working_day'; name_vi: string; name_en: string }> = [
  { day: '2025-01-01', kind: 'holiday', name_vi: 'Tết Dương lịch', name_en: "New Year's Day" },
  ...range('2025-01-25', '2025-02-02').map((day) => ({ day, kind: 'holiday' as const, name_vi: 'Tết Nguyên đán Ất Tỵ', name_en: 'Lunar New Year (Tết)' })),
  { day: '2025-04-07', kind: 'holiday', name_vi: 'Giỗ Tổ Hùng Vương', name_en: 'Hùng Kings Commemoration' },
  { day: '2025-04-26', kind: 'working_day', name_vi: 'Làm bù cho ngày 2/5', name_en: 'Make-up working day for 2 May' },
  { day: '2025-04-30', kind: 'holiday', name_vi: 'Ngày Giải phóng miền Nam', name_en: 'Reunification Day' },
  { day: '2025-05-01', kind: 'holiday', name_vi: 'Ngày Quốc tế Lao động', name_en: 'International Labour Day' },
  { day: '2025-05-02', kind: 'holiday', name_vi: 'Nghỉ bù (hoán đổi)', name_en: 'Bridge day (swapped)' },
  { day: '2025-09-01', kind: 'holiday', name_vi: 'Quốc khánh', name_en: 'National Day' },
  { day: '2025-09-02', kind: 'holiday', name_vi: 'Quốc khánh', name_en: 'National Day' },
  { day: '2026-01-01', kind: 'holiday', name_vi: 'Tết Dương lịch', name_en: "New Year's Day" },
  ...range('2026-02-14', '2026-02-22').map((day) => ({ day, kind: 'holiday' as const, name_vi: 'Tết Nguyên đán Bính Ngọ', name_en: 'Lunar New Year (Tết)' })),
  { day: '2026-04-27', kind: 'holiday', name_vi: 'Giỗ Tổ Hùng Vương (nghỉ bù)', name_en: 'Hùng Kings Commemoration (in lieu)' },
  { day: '2026-04-30', kind: 'holiday', name_vi: 'Ngày Giải phóng miền Nam', name_en: 'Reunification Day' },
  { day: '2026-05-01', kind: 'holiday', name_vi: 'Ngày Quốc tế Lao động', name_en: 'International Labour Day' },
  { day: '2026-09-01', kind: 'holiday', name_vi: 'Quốc khánh', name_en: 'National Day' },
  { day: '2026-09-02', kind: 'holiday', name_vi: 'Quốc khánh', name_en: 'National Day' },
  { day: '2027-01-01', kind: 'holiday', name_vi: 'Tết Dương lịch', name_en: "New Year's Day" },
  ...range('2027-02-05', '2027-02-11').map((day) => ({ day, kind: 'holiday' as const, name_vi: 'Tết Nguyên đán Đinh Mùi', name_en: 'Lunar New Year (Tết)' })),
  { day: '2027-04-16', kind: 'holiday', name_vi: 'Giỗ Tổ Hùng Vương', name_en: 'Hùng Kings Commemoration' },
  { day: '2027-04-30', kind: 'holiday', name_vi: 'Ngày Giải phóng miền Nam', name_en: 'Reunification Day' },
  { day: '2027-05-03', kind: 'holiday', name_vi: 'Ngày Quốc tế Lao động (nghỉ bù)', name_en: 'International Labour Day (in lieu)' },
  { day: '2027-09-02', kind: 'holiday', name_vi: 'Quốc khánh', name_en: 'National Day' },
  { day: '2027-09-03', kind: 'holiday', name_vi: 'Quốc khánh', name_en: 'National Day' },
];

function range(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = new Date(`${first}T00:00:00Z`); day <= new Date(`${last}T00:00:00Z`); day.setUTCDate(day.getUTCDate() + 1)) {
    days.push(day.toISOString().slice(0, 10));
  }
  return days;
}
