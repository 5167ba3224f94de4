import { EventEmitter } from 'node:events';
import { sql, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../../db/database.ts';
import type { Database } from '../../db/database-schema.ts';
import { asGeoJson } from '../../db/postgis.ts';

export interface FeedEvent {
  seq: number;
  type: 'report.created' | 'report.updated';
  data: {
    kind: string;
    at: string;
    report: {
      id: string;
      trackingCode: string;
      category: string;
      status: string;
      overdue: boolean;
      location: unknown;
      commune: { code: string; name: string };
      office: { code: string; name: string };
      createdAt: string;
    };
  };
}

const BACKLOG_LIMIT = 1000;

async function selectPublicEventsAfter(db: Kysely<Database>, afterSeq: number, limit: number): Promise<FeedEvent[]> {
  const rows = await db
    .selectFrom('report_event')
    .innerJoin('report', 'report.id', 'report_event.report_id')
    .innerJoin('office', 'office.id', 'report.office_id')
    .select([
      'report_event.seq',
      'report_event.kind',
      'report_event.created_at as at',
      'report.id',
      'report.tracking_code',
      'report.category_code',
      'report.status',
      'report.overdue',
      asGeoJson(sql.ref('report.location')).as('location'),
      'report.unit_code',
      'report.unit_name',
      'office.code as office_code',
      'office.name as office_name',
      'report.created_at',
    ])
    .where('report_event.seq', '>', afterSeq)
    .where('report_event.public', '=', true)
    .orderBy('report_event.seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    seq: Number(row.seq),
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
        location: row.location,
        commune: { code: row.unit_code, name: row.unit_name },
        office: { code: row.office_code, name: row.office_name },
        createdAt: row.created_at.toISOString(),
      },
    },
  }));
}

/**
 * The live feed of public report events. One database subscription per process (NOTIFY on the
 * server, in-process on the embedded database) fans out to every connected client; a client that
 * reconnects with Last-Event-ID first receives what it missed.
 */
export class ReportFeed {
  readonly #emitter = new EventEmitter();
  #cursor = 0;
  #started: Promise<void> | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  #draining: Promise<void> = Promise.resolve();

  constructor(private readonly database: DatabaseHandle) {
    this.#emitter.setMaxListeners(0);
  }

  #start(): Promise<void> {
    this.#started ??= (async () => {
      const row = await this.database.db.selectFrom('report_event').select(sql<number>`coalesce(max(seq), 0)`.as('max')).executeTakeFirstOrThrow();
      this.#cursor = Number(row.max);
      this.#unlisten = await this.database.listen('report_events', () => {
        this.#draining = this.#draining.then(() => this.#drain()).catch(() => undefined);
      });
    })();
    return this.#started;
  }

  async #drain(): Promise<void> {
    for (;;) {
      const events = await selectPublicEventsAfter(this.database.db, this.#cursor, 500);
      if (events.length === 0) return;
      for (const event of events) {
        this.#cursor = event.seq;
        this.#emitter.emit('event', event);
      }
    }
  }

  /** Delivers every public event after `lastSeq` (the backlog, then live ones), in order, once each. */
  async subscribe(lastSeq: number | null, deliver: (event: FeedEvent) => void): Promise<() => void> {
    await this.#start();
    let delivered = lastSeq ?? this.#cursor;
    const buffered: FeedEvent[] = [];
    let live = false;
    const onEvent = (event: FeedEvent) => {
      if (!live) {
        buffered.push(event);
        return;
      }
      if (event.seq > delivered) {
        delivered = event.seq;
        deliver(event);
      }
    };
    this.#emitter.on('event', onEvent);
    if (lastSeq !== null) {
      for (const event of await selectPublicEventsAfter(this.database.db, lastSeq, BACKLOG_LIMIT)) {
        delivered = event.seq;
        deliver(event);
      }
    }
    live = true;
    for (const event of buffered) onEvent(event);
    return () => {
      this.#emitter.off('event', onEvent);
    };
  }

  async close(): Promise<void> {
    await this.#unlisten?.();
    this.#emitter.removeAllListeners();
  }
}
