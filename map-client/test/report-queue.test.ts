import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../src/app/api-client.ts';
import { openLocalDatabase, type LocalDatabase } from '../src/offline/local-database.ts';
import type { QueuedReport } from '../src/offline/local-database-schema.ts';
import { createReportQueue, isRetryable, type ReportDraft, type ReportQueue, type SendReport } from '../src/offline/report-queue.ts';
import { createMyReports } from '../src/reports/my-reports-store.ts';
import type { SubmissionReceipt } from '../src/reports/report-api.ts';
import { submissionBody } from '../src/reports/report-submission.ts';

const draft: ReportDraft = {
  category: 'public_lighting',
  description: 'Đèn đường trước chợ hỏng ba ngày nay',
  location: { lon: 103.0169, lat: 21.386, accuracyM: 12 },
  photos: [{ name: 'anh.jpg', type: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]).buffer }],
  contact: { name: 'Lò Văn A', phone: undefined, email: undefined, consentToContact: true },
  label: { categoryName: 'Chiếu sáng công cộng', placeName: 'Phường Điện Biên Phủ' },
};

const receipt = (code = 'DB-7K3M9Q'): SubmissionReceipt => ({
  id: randomUUID(),
  trackingCode: code,
  status: 'received',
  commune: { code: '03127', name: 'Phường Điện Biên Phủ', level: 'ward' },
  office: { code: 'UBND-03127', name: 'UBND phường Điện Biên Phủ' },
  acknowledgeDueAt: '2026-11-30T02:00:00.000Z',
  dueAt: '2026-12-03T10:00:00.000Z',
  nearBorder: false,
  photos: 1,
  reporterToken: 'r'.repeat(40),
});

/** A fake platform: answers per attempt from a script, records the idempotency keys it saw. */
function fakePlatform(answers: (() => Promise<SubmissionReceipt>)[]) {
  const keys: string[] = [];
  const send: SendReport = async (report, onProgress) => {
    keys.push(report.id);
    onProgress(0.5);
    const answer = answers[Math.min(keys.length - 1, answers.length - 1)]!;
    return answer();
  };
  return { send, keys };
}

const opened: { queue: ReportQueue; database: LocalDatabase }[] = [];
async function openQueue(name: string, send: SendReport, options: { online?: () => boolean; now?: () => number } = {}) {
  const database = await openLocalDatabase(name);
  const myReports = createMyReports(database);
  /** Each sent report's code, and whether it was sent later than when "send" was pressed. */
  const sentLater: [string, boolean][] = [];
  const queue = createReportQueue({
    database,
    send,
    isOnline: options.online ?? (() => true),
    now: options.now ?? Date.now,
    retryDelaysMs: [20, 20, 20],
    onSent: async (report, sent, { later }) => {
      sentLater.push([sent.trackingCode, later]);
      await myReports.save({ trackingCode: sent.trackingCode, role: 'reporter', token: sent.reporterToken, category: report.category, categoryName: report.label.categoryName, description: report.description, officeName: sent.office.name, savedAt: report.createdAt });
    },
  });
  opened.push({ queue, database });
  return { queue, database, myReports, sentLater };
}

async function until(check: () => boolean | Promise<boolean>, timeout = 2000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeout) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

afterEach(async () => {
  for (const { queue, database } of opened.splice(0)) {
    // Closing the database under a send in progress would fail its last write.
    await queue.stop();
    database.close();
  }
});

describe('the offline report queue', () => {
  it('keeps a report made offline, then sends it once the connection returns, and keeps its receipt in "my reports"', async () => {
    let online = false;
    const platform = fakePlatform([async () => receipt()]);
    const { queue, myReports, sentLater } = await openQueue(`q-${randomUUID()}`, platform.send, { online: () => online });
    const report = await queue.enqueue(draft);
    await queue.flush();
    expect(platform.keys).toEqual([]);
    expect(queue.get(report.id)?.state).toMatchObject({ status: 'waiting', attempts: 0 });

    online = true;
    await queue.flush({ force: true });
    expect(platform.keys).toEqual([report.id]);
    // Sent later than "send" was pressed: the person is told, with its code (report-queue-runtime.ts).
    expect(sentLater).toEqual([['DB-7K3M9Q', true]]);
    const sent = queue.get(report.id)!;
    expect(sent.state).toMatchObject({ status: 'sent', trackingCode: 'DB-7K3M9Q' });
    expect(sent.photos).toEqual([]);
    expect(await myReports.get('DB-7K3M9Q')).toMatchObject({ role: 'reporter', token: 'r'.repeat(40), categoryName: 'Chiếu sáng công cộng' });
  });

  it('retries a lost answer with the same idempotency key, by itself after a short wait', async () => {
    const platform = fakePlatform([
      async () => {
        throw new NetworkError(new Error('connection reset'));
      },
      async () => {
        throw new ApiError(503, 'UNAVAILABLE', 'try later', undefined);
      },
      async () => receipt('DB-AAAAAA'),
    ]);
    const { queue, sentLater } = await openQueue(`q-${randomUUID()}`, platform.send);
    const states: string[] = [];
    queue.subscribe((reports) => states.push(reports.map((item) => item.state.status).join()));
    const report = await queue.enqueue(draft);
    await until(() => queue.get(report.id)?.state.status === 'sent');
    expect(platform.keys).toEqual([report.id, report.id, report.id]);
    await until(() => sentLater.length === 1);
    expect(sentLater).toEqual([['DB-AAAAAA', true]]);
    expect(states).toContain('sending');
    expect(states).toContain('waiting');
  });

  it('marks a report the platform refuses (4xx) as failed, with its Vietnamese message, and does not retry it', async () => {
    const platform = fakePlatform([
      async () => {
        throw new ApiError(400, 'VALIDATION_FAILED', 'description must say what the problem is', 'Mô tả quá ngắn');
      },
    ]);
    const { queue } = await openQueue(`q-${randomUUID()}`, platform.send);
    const report = await queue.enqueue(draft);
    await until(() => queue.get(report.id)?.state.status === 'failed');
    expect(queue.get(report.id)?.state).toMatchObject({ status: 'failed', code: 'VALIDATION_FAILED', messageVi: 'Mô tả quá ngắn' });
    await queue.flush({ force: true });
    expect(platform.keys).toHaveLength(1);
    await queue.remove(report.id);
    expect(await queue.list()).toEqual([]);
  });

  it('survives a reload: a report left waiting (or cut off while sending) is sent by the next page, with its key and photo bytes', async () => {
    const name = `q-${randomUUID()}`;
    let online = false;
    const first = await openQueue(name, fakePlatform([async () => receipt()]).send, { online: () => online });
    const report = await first.queue.enqueue(draft);
    // The page closed in the middle of an upload.
    await first.database.put('report-queue', { ...(await first.database.get('report-queue', report.id))!, state: { status: 'sending', attempt: 1, progress: 0.4 } });
    await first.queue.stop();

    online = true;
    const sentPhotos: ArrayBuffer[] = [];
    const platform = fakePlatform([async () => receipt('DB-BBBBBB')]);
    const second = await openQueue(name, async (queued: QueuedReport, onProgress) => {
      sentPhotos.push(...queued.photos.map((photo) => photo.bytes));
      return platform.send(queued, onProgress);
    });
    await second.queue.flush();
    expect(platform.keys).toEqual([report.id]);
    expect(new Uint8Array(sentPhotos[0]!)).toEqual(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    expect(second.queue.get(report.id)?.state.status).toBe('sent');
  });

  it('sends each report once when flushes overlap', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const platform = fakePlatform([
      async () => {
        await gate;
        return receipt('DB-CCCCCC');
      },
    ]);
    const { queue, sentLater } = await openQueue(`q-${randomUUID()}`, platform.send);
    const report = await queue.enqueue(draft);
    const flushes = [queue.flush({ force: true }), queue.flush({ force: true }), queue.flush()];
    release();
    await Promise.all(flushes);
    expect(platform.keys).toEqual([report.id]);
    // Sent at the first attempt, while the person watches the form: not "later".
    expect(sentLater).toEqual([['DB-CCCCCC', false]]);
  });

  it('retries what may succeed later and nothing else', () => {
    expect(isRetryable(new NetworkError(new Error('offline')))).toBe(true);
    expect(isRetryable(new ApiError(500, 'INTERNAL', 'x', undefined))).toBe(true);
    expect(isRetryable(new ApiError(429, 'RATE_LIMITED', 'x', undefined))).toBe(true);
    expect(isRetryable(new ApiError(413, 'PAYLOAD_TOO_LARGE', 'x', undefined))).toBe(false);
    expect(isRetryable(new ApiError(409, 'CONFLICT', 'x', undefined))).toBe(false);
  });

  it('builds the same request body on every attempt (the platform hashes it with the key)', () => {
    const body = submissionBody(draft);
    expect(body).toEqual({
      category: 'public_lighting',
      description: 'Đèn đường trước chợ hỏng ba ngày nay',
      location: { type: 'Point', coordinates: [103.0169, 21.386] },
      accuracyM: 12,
      reporter: { name: 'Lò Văn A', consentToContact: true },
    });
    expect(JSON.stringify(submissionBody(draft))).toBe(JSON.stringify(body));
    expect(submissionBody({ ...draft, contact: { consentToContact: false } })).not.toHaveProperty('reporter');
  });
});
