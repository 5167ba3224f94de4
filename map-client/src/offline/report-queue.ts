import { ApiError, NetworkError } from '../app/api-client.ts';
import type { SubmissionReceipt } from '../reports/report-api.ts';
import type { LocalDatabase } from './local-database.ts';
import type { QueuedReport } from './local-database-schema.ts';

/** What the report form hands to the queue; the queue adds the id, the time and the state. */
export type ReportDraft = Pick<QueuedReport, 'category' | 'description' | 'location' | 'photos' | 'contact' | 'label'>;

/** Sends one report; resolves with the platform's receipt, rejects with ApiError / NetworkError. */
export type SendReport = (report: QueuedReport, onProgress: (share: number) => void) => Promise<SubmissionReceipt>;

/**
 * The offline report queue (an outbox). Every report goes through it, with a connection or without:
 *
 * - "Send" stores the report whole (fields, prepared photos as bytes) in IndexedDB with an
 *   idempotency key made on the device (a UUID, also its id), then tries to send it. The same key
 *   goes with every attempt, so the platform creates exactly one report however many times an
 *   attempt is repeated (a lost answer, a reload in the middle of an upload, two tabs).
 * - Attempts happen when the report is queued, when the connection returns (`online`), when the page
 *   starts or becomes visible again, on a timer after a failed attempt (2 s, 5 s, 15 s, 30 s, then
 *   every minute), and when the person asks. One pass at a time (and one tab at a time, with a Web
 *   Lock where the browser has them).
 * - A failure without an answer (offline, timeout, connection reset) or with a 5xx/429/408 is retried;
 *   any other refusal (a 4xx: the platform will refuse it again) marks the report failed, with the
 *   platform's message, for the person to act on.
 * - The person sees each report's state: waiting (and when the next attempt is), sending (with the
 *   upload progress), sent (with the tracking code), failed (with the message and what to do).
 */
export interface ReportQueue {
  /** Stores the report and starts sending it; resolves once it is safely stored. */
  enqueue(draft: ReportDraft): Promise<QueuedReport>;
  list(): Promise<QueuedReport[]>;
  get(id: string): QueuedReport | undefined;
  /** Sends every waiting report whose time has come (all of them with `force`), oldest first. */
  flush(options?: { force?: boolean }): Promise<void>;
  /** Deletes a report that has not been sent (or a sent one's leftover). */
  remove(id: string): Promise<void>;
  /** Called with the whole queue whenever a report changes state (progress included). */
  subscribe(listener: (reports: QueuedReport[]) => void): () => void;
  /** Stops sending (tests, page teardown); resolves once a send in progress has ended (nothing is written after that). */
  stop(): Promise<void>;
}

export interface ReportQueueOptions {
  database: LocalDatabase;
  send: SendReport;
  /**
   * After a report was sent (e.g. keep it in "my reports"). `later`: it was not sent when the person
   * pressed "send" (no connection then, a failed attempt, or queued on an earlier visit), so they
   * are not looking at it any more and should be told.
   */
  onSent?: (report: QueuedReport, receipt: SubmissionReceipt, sending: { later: boolean }) => Promise<void> | void;
  isOnline?: () => boolean;
  now?: () => number;
  newId?: () => string;
  retryDelaysMs?: readonly number[];
  /** Runs a flush pass exclusively (a Web Lock shared by the tabs); default: just runs it. */
  exclusive?: (pass: () => Promise<void>) => Promise<void>;
  /** How long a sent report stays listed before it is pruned from the queue (default 7 days). */
  keepSentMs?: number;
}

export const defaultRetryDelaysMs = [2_000, 5_000, 15_000, 30_000, 60_000] as const;

/** Whether another attempt may succeed: no answer at all, or a server-side/temporary refusal. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  if (error instanceof ApiError) return error.status >= 500 || error.status === 429 || error.status === 408;
  // A bug of ours or an unexpected failure: keep the report and try again rather than lose it.
  return true;
}

export function createReportQueue(options: ReportQueueOptions): ReportQueue {
  const { database, send } = options;
  const now = options.now ?? Date.now;
  const isOnline = options.isOnline ?? (() => globalThis.navigator?.onLine !== false);
  const newId = options.newId ?? (() => crypto.randomUUID());
  const delays = options.retryDelaysMs ?? defaultRetryDelaysMs;
  const exclusive = options.exclusive ?? ((pass) => pass());
  const keepSentMs = options.keepSentMs ?? 7 * 86_400_000;

  const cache = new Map<string, QueuedReport>();
  /** Reports that waited: found at start-up, met offline by a pass, or after a failed attempt. */
  const waited = new Set<string>();
  const listeners = new Set<(reports: QueuedReport[]) => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again: { force: boolean } | undefined;
  let stopped = false;

  const sorted = () => [...cache.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const notify = () => {
    const reports = sorted();
    for (const listener of listeners) listener(reports);
  };
  const reload = async () => {
    const stored = await database.getAll('report-queue');
    cache.clear();
    for (const report of stored) cache.set(report.id, report);
  };
  const write = async (report: QueuedReport) => {
    cache.set(report.id, report);
    await database.put('report-queue', report);
    notify();
  };

  const ready = (async () => {
    await reload();
    const cutoff = now() - keepSentMs;
    for (const report of [...cache.values()]) {
      if (report.state.status !== 'sent') waited.add(report.id);
      // A page closed during an upload: the attempt's fate is unknown; the key makes retrying safe.
      if (report.state.status === 'sending') await write({ ...report, state: { status: 'waiting', attempts: report.state.attempt, nextAttemptAt: undefined, lastError: undefined } });
      else if (report.state.status === 'sent' && Date.parse(report.state.sentAt) < cutoff) {
        cache.delete(report.id);
        await database.delete('report-queue', report.id);
      }
    }
  })();

  const isDue = (report: QueuedReport, force: boolean) =>
    report.state.status === 'waiting' && (force || !report.state.nextAttemptAt || Date.parse(report.state.nextAttemptAt) <= now());

  const sendOne = async (report: QueuedReport) => {
    const attempt = (report.state.status === 'waiting' ? report.state.attempts : 0) + 1;
    await write({ ...report, state: { status: 'sending', attempt, progress: 0 } });
    let lastNotified = 0;
    const onProgress = (share: number) => {
      const current = cache.get(report.id);
      if (current?.state.status !== 'sending') return;
      current.state = { ...current.state, progress: Math.min(1, Math.max(0, share)) };
      // In memory only: a progress bar needs no disk write per chunk.
      if (share >= 1 || now() - lastNotified > 100) {
        lastNotified = now();
        notify();
      }
    };
    try {
      const receipt = await send(report, onProgress);
      // The bytes are no longer needed once the platform has the photos.
      const sent: QueuedReport = { ...report, photos: [], receipt, state: { status: 'sent', trackingCode: receipt.trackingCode, sentAt: new Date(now()).toISOString() } };
      await write(sent);
      await options.onSent?.(sent, receipt, { later: attempt > 1 || waited.has(report.id) });
      waited.delete(report.id);
    } catch (error) {
      if (isRetryable(error)) {
        const delay = delays[Math.min(attempt - 1, delays.length - 1)] ?? 60_000;
        await write({ ...report, state: { status: 'waiting', attempts: attempt, nextAttemptAt: new Date(now() + delay).toISOString(), lastError: error instanceof Error ? error.message : String(error) } });
      } else {
        const apiError = error as ApiError;
        await write({ ...report, state: { status: 'failed', code: apiError.code, message: apiError.message, messageVi: apiError.messageVi } });
      }
    }
  };

  const scheduleNext = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (stopped) return;
    const times = [...cache.values()].flatMap((report) => (report.state.status === 'waiting' && report.state.nextAttemptAt ? [Date.parse(report.state.nextAttemptAt)] : []));
    if (times.length === 0) return;
    const wait = Math.max(0, Math.min(...times) - now());
    timer = setTimeout(() => void queue.flush(), wait);
  };

  const pass = async (force: boolean) => {
    await ready;
    await exclusive(async () => {
      // Another tab may have sent some meanwhile: read the queue again under the lock.
      await reload();
      for (const report of sorted()) {
        if (stopped) break;
        if (!isOnline()) {
          for (const other of cache.values()) if (other.state.status === 'waiting') waited.add(other.id);
          break;
        }
        const current = cache.get(report.id);
        if (current && isDue(current, force)) await sendOne(current);
      }
    });
    notify();
  };

  const queue: ReportQueue = {
    async enqueue(draft) {
      await ready;
      const report: QueuedReport = {
        ...draft,
        id: newId(),
        createdAt: new Date(now()).toISOString(),
        state: { status: 'waiting', attempts: 0, nextAttemptAt: undefined, lastError: undefined },
        receipt: undefined,
      };
      await write(report);
      void queue.flush();
      return report;
    },
    async list() {
      await ready;
      return sorted();
    },
    get: (id) => cache.get(id),
    flush(flushOptions = {}) {
      const force = flushOptions.force === true;
      if (running) {
        // One pass at a time; a request during a pass makes one more pass after it.
        again = { force: force || again?.force === true };
        return running;
      }
      running = (async () => {
        try {
          let next: { force: boolean } | undefined = { force };
          while (next) {
            again = undefined;
            await pass(next.force);
            next = again;
          }
        } finally {
          running = undefined;
          scheduleNext();
        }
      })();
      return running;
    },
    async remove(id) {
      await ready;
      if (cache.get(id)?.state.status === 'sending') return;
      cache.delete(id);
      await database.delete('report-queue', id);
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      void ready.then(() => listeners.has(listener) && listener(sorted()));
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      // A pass checks `stopped` between reports: the one being sent finishes, then the pass ends.
      await running?.catch(() => undefined);
    },
  };
  return queue;
}
