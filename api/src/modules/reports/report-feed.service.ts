import { EventEmitter } from 'node:events';
import type { FeedEventData, FeedEventType, PointGeometry } from '@bandoso/contracts';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../db/database.ts';
import type { Database } from '../../db/database-schema.ts';
import { databaseUnavailableError } from '../../errors/app-error.ts';
import * as repository from './reports.repository.ts';

/** One event of the feed: sent as `id: seq`, `event: type`, `data: JSON of data` (report-feed.contract.ts). */
export interface FeedEvent {
  seq: number;
  type: FeedEventType;
  data: FeedEventData;
}

const BACKLOG_LIMIT = 1000;

async function selectPublicEventsAfter(db: Kysely<Database>, afterSeq: number, limit: number): Promise<FeedEvent[]> {
  const rows = await repository.listPublicEventsAfter(db, afterSeq, limit);
  return rows.map((row) => ({
    seq: row.seq,
    type: row.kind === 'routed' ? 'report.created' : 'report.updated',
    data: {
      kind: row.kind,
      at: row.at.toISOString(),
      report: {
        id: row.id,
        trackingCode: row.tracking_code,
        category: row.category_code,
        status: row.status,
        overdue: row.overdue,
        // A report's location is a 2D point (ST_AsGeoJSON of a POINT column).
        location: row.location as PointGeometry,
        commune: { code: row.unit_code, name: row.unit_name },
        office: { code: row.office_code, name: row.office_name },
        createdAt: row.created_at.toISOString(),
      },
    },
  }));
}

/** Why a subscriber's stream ends: the database went away (come back later), or the process stops. */
export type FeedEndReason = 'unavailable' | 'shutdown';

export interface FeedSubscriber {
  /**
   * Called once, before any event, when the backlog query has answered: the stream carries the
   * events after `afterSeq` (a client that has received nothing yet resumes from there).
   */
  open(afterSeq: number): void;
  deliver(event: FeedEvent): void;
  end(reason: FeedEndReason): void;
}

/**
 * The live feed of public report events. One database subscription per process (NOTIFY on the
 * server, in-process on the embedded database) fans out to every connected client; a client that
 * reconnects with Last-Event-ID first receives what it missed.
 *
 * Notifications only wake the feed; what it sends is read from `report_event` after the last
 * sequence number it sent, so a notification lost while the database restarted loses nothing: when
 * the subscription is back, the feed reads everything after its cursor. While it is down the feed
 * is not live: open streams are ended (their clients come back with Last-Event-ID) and new ones are
 * refused with 503, instead of staying open and silent.
 */
export class ReportFeed {
  readonly #emitter = new EventEmitter();
  readonly #subscribers = new Set<FeedSubscriber>();
  #cursor: number | undefined;
  #live = false;
  #closed = false;
  #subscription: Promise<() => Promise<void>> | undefined;
  #draining: Promise<void> = Promise.resolve();
  #retryTimer: NodeJS.Timeout | undefined;
  #liveWaiters = new Set<() => void>();

  constructor(
    private readonly database: DatabaseHandle,
    private readonly options: { retryMs?: number } = {},
  ) {
    this.#emitter.setMaxListeners(0);
  }

  /** Streams connected now (read by /metrics). */
  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Subscribes to the database's notifications (once). */
  start(): void {
    this.#subscription ??= this.database.listen('report_events', {
      onNotification: () => this.#scheduleDrain(),
      onListening: () => this.#scheduleDrain(),
      onLost: () => this.#goDown('unavailable'),
    });
  }

  /** Resolves once the subscription made its first attempt. */
  async started(): Promise<void> {
    this.start();
    await this.#subscription;
  }

  /** Resolves when the feed is live, or throws DATABASE_UNAVAILABLE after `timeoutMs`. */
  async waitUntilLive(timeoutMs: number): Promise<void> {
    this.start();
    if (this.#live) return;
    if (this.#closed) throw databaseUnavailableError();
    let wake = () => {};
    const woken = new Promise<void>((resolve) => (wake = resolve));
    this.#liveWaiters.add(wake);
    const timer = setTimeout(wake, timeoutMs);
    try {
      await woken;
    } finally {
      clearTimeout(timer);
      this.#liveWaiters.delete(wake);
    }
    if (!this.#live) throw databaseUnavailableError();
  }

  #scheduleDrain(): void {
    this.#draining = this.#draining.then(() => this.#drain());
  }

  /** Sends everything after the cursor; on failure, tries again shortly (nothing is skipped). */
  async #drain(): Promise<void> {
    if (this.#closed) return;
    try {
      if (this.#cursor === undefined) {
        this.#cursor = await repository.findLastEventSeq(this.database.db);
      }
      for (;;) {
        const events = await selectPublicEventsAfter(this.database.db, this.#cursor, 500);
        for (const event of events) {
          this.#cursor = event.seq;
          this.#emitter.emit('event', event);
        }
        if (events.length < 500) break;
      }
      if (!this.#live && this.database.notificationState() === 'listening') {
        this.#live = true;
        for (const wake of this.#liveWaiters) wake();
      }
    } catch {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = setTimeout(() => this.#scheduleDrain(), this.options.retryMs ?? 1000);
      this.#retryTimer.unref();
    }
  }

  #goDown(reason: FeedEndReason): void {
    this.#live = false;
    for (const subscriber of [...this.#subscribers]) subscriber.end(reason);
    this.#subscribers.clear();
  }

  /**
   * Delivers every public event after `lastSeq` (the backlog, then live ones), in order, once each,
   * until `subscriber.end` is called (the feed went down or stops) or the returned function is.
   */
  async subscribe(lastSeq: number | null, subscriber: FeedSubscriber): Promise<() => void> {
    await this.waitUntilLive(0);
    let delivered = lastSeq ?? this.#cursor ?? 0;
    const buffered: FeedEvent[] = [];
    let replaying = true;
    const onEvent = (event: FeedEvent) => {
      if (replaying) {
        buffered.push(event);
        return;
      }
      if (event.seq > delivered) {
        delivered = event.seq;
        subscriber.deliver(event);
      }
    };
    const unsubscribe = () => {
      this.#emitter.off('event', onEvent);
      this.#subscribers.delete(subscriber);
    };
    this.#emitter.on('event', onEvent);
    this.#subscribers.add(subscriber);
    try {
      // Without Last-Event-ID this reads what the feed has not sent yet (usually nothing): either way
      // the database answered before the stream opens.
      const backlog = await selectPublicEventsAfter(this.database.db, delivered, BACKLOG_LIMIT);
      if (!this.#subscribers.has(subscriber)) return unsubscribe;
      subscriber.open(delivered);
      for (const event of backlog) {
        delivered = event.seq;
        subscriber.deliver(event);
      }
    } catch (error) {
      unsubscribe();
      throw error;
    }
    replaying = false;
    for (const event of buffered) onEvent(event);
    return unsubscribe;
  }

  /** Ends every stream (their clients reconnect elsewhere or later) and unsubscribes. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#goDown('shutdown');
    for (const wake of this.#liveWaiters) wake();
    const unlisten = await this.#subscription;
    await unlisten?.().catch(() => undefined);
    await this.#draining.catch(() => undefined);
    this.#emitter.removeAllListeners();
  }
}
