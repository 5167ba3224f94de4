import { asDateTime } from '../app/i18n.ts';
import { announce } from '../app/status-toast.ts';
import { sendQueuedReport } from '../reports/report-submission.ts';
import { createMyReports, type MyReports } from '../reports/my-reports-store.ts';
import { openLocalDatabase } from './local-database.ts';
import { createReportQueue, type ReportQueue } from './report-queue.ts';

export interface ReportStorage {
  queue: ReportQueue;
  myReports: MyReports;
}

let storage: Promise<ReportStorage> | undefined;

/**
 * The page's one report queue and "my reports", opened on first use. The queue sends on start-up,
 * when the connection returns and when the page becomes visible again; sent reports are kept in
 * "my reports" with their reporter token.
 */
export function getReportStorage(): Promise<ReportStorage> {
  storage ??= (async () => {
    const database = await openLocalDatabase();
    const myReports = createMyReports(database);
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    const queue = createReportQueue({
      database,
      send: sendQueuedReport,
      ...(locks ? { exclusive: (pass: () => Promise<void>) => locks.request('bandoso-report-queue', pass).then(() => undefined) } : {}),
      onSent: async (report, receipt, { later }) => {
        await myReports.save({
          trackingCode: receipt.trackingCode,
          role: 'reporter',
          token: receipt.reporterToken,
          category: report.category,
          categoryName: report.label.categoryName,
          ...(report.label.categoryNameEn ? { categoryNameEn: report.label.categoryNameEn } : {}),
          description: report.description,
          officeName: receipt.office.name,
          savedAt: report.createdAt,
        });
        // Whatever screen is open: a report that waited is announced with its code (the form, if
        // still open, shows it too).
        announce(
          later ? { key: 'queue.sentLater', params: { code: receipt.trackingCode, time: asDateTime(report.createdAt) } } : { key: 'queue.sent', params: { code: receipt.trackingCode } },
          'success',
        );
      },
    });
    globalThis.addEventListener?.('online', () => void queue.flush({ force: true }));
    globalThis.document?.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void queue.flush();
    });
    void queue.flush({ force: true });
    return { queue, myReports };
  })();
  return storage;
}
