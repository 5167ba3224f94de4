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
      onSent: (report, receipt) =>
        myReports.save({
          trackingCode: receipt.trackingCode,
          role: 'reporter',
          token: receipt.reporterToken,
          category: report.category,
          categoryName: report.label.categoryName,
          description: report.description,
          officeName: receipt.office.name,
          savedAt: report.createdAt,
        }),
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
