/**
 * The offline report queue: phase 2 of issue 5 implements it (IndexedDB); this is its boundary, so
 * the citizen view, the service worker and the tests agree on it now.
 *
 * - A report made without a connection is stored whole (fields, downscaled photos as Blobs) with an
 *   idempotency key chosen when the person pressed "send": the same key is sent on every attempt, so
 *   the API creates exactly one report however many times the queue retries.
 * - The page flushes the queue on `online`, on start-up, and when the person asks; the service worker
 *   may flush it too (Background Sync where the browser has it). Both go through `flush()`.
 * - The person sees each queued report's state: waiting, sending, sent (with the tracking code), or
 *   failed (with the API's messageVi and what to do).
 */
export type QueuedReportState =
  | { status: 'waiting' }
  | { status: 'sending'; attempt: number }
  | { status: 'sent'; trackingCode: string; sentAt: string }
  | { status: 'failed'; code: string; message: string; messageVi: string | undefined; retryable: boolean };

export interface QueuedReport {
  /** Also the idempotency key (a UUID made on the device). */
  id: string;
  createdAt: string;
  category: string;
  description: string;
  location: { lon: number; lat: number; accuracyM: number | undefined };
  photos: Blob[];
  contact: { name?: string; phone?: string; email?: string } | undefined;
  state: QueuedReportState;
}

export interface ReportQueue {
  enqueue(report: Omit<QueuedReport, 'id' | 'createdAt' | 'state'>): Promise<QueuedReport>;
  list(): Promise<QueuedReport[]>;
  /** Sends every waiting or retryable report, oldest first; resolves when the pass is over. */
  flush(): Promise<void>;
  /** Called with the whole queue whenever a report changes state. */
  subscribe(listener: (reports: QueuedReport[]) => void): () => void;
}
