import { isOpenReportStatus } from '@bandoso/contracts';
import { getLanguage, t } from '../app/i18n.ts';
import type { StaffReportSummary } from './office-api.ts';
import { ot } from './office-messages.ts';

export const categoryLabel = (category: { nameVi: string; nameEn: string }) => (getLanguage() === 'vi' ? category.nameVi : category.nameEn || category.nameVi);
export const officeLabel = (office: { name: string; nameEn?: string | null }) => (getLanguage() === 'en' && office.nameEn ? office.nameEn : office.name);
export const statusLabel = (status: StaffReportSummary['status']) => t(`status.${status}`);

export type DeadlineTone = 'overdue' | 'soon' | 'ok' | 'paused' | 'closed';

/**
 * The countdown of a report in working time: "còn 3 giờ 20 phút làm việc", "quá hạn 2 giờ", "đang chờ
 * người dân bổ sung". From the API's `deadline` (working minutes); for an answer without it, from the
 * overdue flag alone.
 */
export function deadlineText(report: StaffReportSummary): { text: string; tone: DeadlineTone } {
  const deadline = report.deadline;
  if (report.status === 'waiting_for_citizen' || deadline?.paused) return { text: ot('paused'), tone: 'paused' };
  if (deadline === null || !isOpenReportStatus(report.status)) return { text: ot('closed'), tone: 'closed' };
  if (!deadline) return report.overdue ? { text: ot('overdueMinutes', { minutes: '?' }), tone: 'overdue' } : { text: '', tone: 'ok' };
  const minutes = Math.round(deadline.workingMinutesLeft);
  const step = deadline.kind === 'acknowledge' ? ot('toAcknowledge') : ot('toResolve');
  if (minutes < 0) {
    const late = -minutes;
    const text = late >= 60 ? ot('overdueHours', { hours: Math.floor(late / 60) }) : ot('overdueMinutes', { minutes: late });
    return { text: `${text} (${step})`, tone: 'overdue' };
  }
  const text = minutes >= 60 ? ot('leftHours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 }) : ot('leftMinutes', { minutes });
  return { text: `${text} (${step})`, tone: minutes < 120 ? 'soon' : 'ok' };
}
