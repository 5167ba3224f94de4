import type { DBSchema } from 'idb';
import type { SubmissionReceipt } from '../reports/report-api.ts';

/**
 * The records the map keeps on the device, one home for both sides: the database that stores them
 * (local-database.ts) and the modules that read and write them (report-queue.ts, my-reports-store.ts).
 */

/** A queued report's state, as the person sees it: waiting (and when the next attempt is), sending, sent, failed. */
export type QueuedReportState =
  | { status: 'waiting'; attempts: number; nextAttemptAt: string | undefined; lastError: string | undefined }
  | { status: 'sending'; attempt: number; progress: number }
  | { status: 'sent'; trackingCode: string; sentAt: string }
  | { status: 'failed'; code: string; message: string; messageVi: string | undefined };

export interface QueuedPhoto {
  name: string;
  type: string;
  /** The prepared photo (downscaled, with its EXIF position and time): the exact bytes sent each time. */
  bytes: ArrayBuffer;
}

/** A report in the offline queue (report-queue.ts), stored whole until the platform has it. */
export interface QueuedReport {
  /** Also the Idempotency-Key (a UUID made on the device). */
  id: string;
  createdAt: string;
  category: string;
  description: string;
  location: { lon: number; lat: number; accuracyM: number | undefined };
  photos: QueuedPhoto[];
  contact: { name?: string; phone?: string; email?: string; consentToContact: boolean } | undefined;
  /**
   * What the person saw when sending, to show the report while it waits: the category's name in
   * Vietnamese and, when known, English (older records hold one name, in the language of then).
   */
  label: { categoryName: string; categoryNameEn?: string; placeName: string | undefined };
  state: QueuedReportState;
  receipt: SubmissionReceipt | undefined;
}

/**
 * A report in "my reports" (my-reports-store.ts): sent from this device (with the reporter token,
 * shown once by the platform, that proves it is theirs when they rate or answer) or followed from here.
 */
export interface SavedReport {
  trackingCode: string;
  role: 'reporter' | 'follower';
  /** The reporter token (reporter) or follower token (follower). */
  token: string | undefined;
  category: string;
  /** The category's name in Vietnamese (older records: in the language of the day it was saved). */
  categoryName: string;
  categoryNameEn?: string;
  description: string;
  officeName: string | undefined;
  savedAt: string;
}

/** The IndexedDB object stores and what each holds. */
export interface LocalSchema extends DBSchema {
  'report-queue': { key: string; value: QueuedReport };
  'my-reports': { key: string; value: SavedReport };
}
