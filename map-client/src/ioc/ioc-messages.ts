import { defineChunkMessages } from '../app/chunk-messages.ts';

/**
 * Strings of the operations view that came with the office desk (issue 15). They load with the IOC's
 * chunk, not with the citizen entry (app/chunk-messages.ts).
 */
export const iocText = defineChunkMessages(
  {
    openReport: 'Mở trang xử lý',
    openReportLabel: 'Mở trang xử lý phản ánh {code}',
    deskLink: 'Bàn xử lý phản ánh',
    adminLink: 'Trang quản trị',
    period: 'Khoảng thời gian',
    'period.all': 'Từ trước đến nay',
    'period.7': '7 ngày qua',
    'period.30': '30 ngày qua',
    'period.year': 'Từ đầu năm',
    barReceived: { other: '{count} phản ánh' },
    barOverdue: { other: '{count} quá hạn' },
    barOnTime: 'đúng hạn {rate}',
    barLegendReceived: 'Tiếp nhận',
    barLegendOverdue: 'Trong đó quá hạn',
    densityHidden: 'Lớp mật độ ẩn khi phóng to gần (từ mức 14) để thấy rõ đường phố.',
  },
  {
    openReport: 'Open to handle',
    openReportLabel: 'Open report {code} to handle it',
    deskLink: 'Report desk',
    adminLink: 'Administration',
    period: 'Period',
    'period.all': 'All time',
    'period.7': 'Last 7 days',
    'period.30': 'Last 30 days',
    'period.year': 'This year',
    barReceived: { one: '{count} report', other: '{count} reports' },
    barOverdue: { other: '{count} overdue' },
    barOnTime: 'on time {rate}',
    barLegendReceived: 'Received',
    barLegendOverdue: 'Of which overdue',
    densityHidden: 'The density layer hides at street zoom (14 and closer) so the streets stay readable.',
  },
);

/** A period of the statistics as `from` / `to` calendar days in Điện Biên's time (UTC+7), or none. */
export type StatisticsPeriod = 'all' | '7' | '30' | 'year';
export const statisticsPeriods: readonly StatisticsPeriod[] = ['all', '7', '30', 'year'];

export function periodRange(period: StatisticsPeriod, now: Date = new Date()): { from?: string; to?: string } {
  if (period === 'all') return {};
  // The day in Asia/Ho_Chi_Minh (no daylight saving: always UTC+7).
  const localDay = (date: Date) => new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  const to = localDay(now);
  if (period === 'year') return { from: `${to.slice(0, 4)}-01-01`, to };
  const days = Number(period);
  return { from: localDay(new Date(now.getTime() - (days - 1) * 86_400_000)), to };
}
