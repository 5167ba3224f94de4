import { feedEventTypes, type FeedEventType } from '@bandoso/contracts';

/** One event of the live feed. */
export interface FeedMessage {
  id: number;
  event: string;
  data: { report?: { trackingCode?: string } } & Record<string, unknown>;
}

/** One attempt to open the stream: its status (0: no answer) and how it ended. */
export interface FeedConnection {
  at: number;
  /** When the answer's status arrived (a request may wait for the feed to go live before it is answered). */
  answeredAt: number | undefined;
  status: number;
  /** `retry:` the server sent last on this stream (ms), if any. */
  retryMs: number | undefined;
  /** How the stream ended: the server closed it, the network failed, or the client stopped. */
  ended: 'closed' | 'error' | 'stopped' | undefined;
  events: number;
}

/**
 * A live-feed client that behaves like a browser's EventSource, for drills: it reconnects after the
 * server's `retry` (or after a refusal, as the map client does), sends Last-Event-ID, and records
 * every event and every connection, so a drill can check that nothing was lost or repeated.
 */
export class FeedClient {
  /** The report events, with their ids. */
  readonly messages: FeedMessage[] = [];
  /** Every other event that carries data (camera.status…), without an id; not the stream's position. */
  readonly otherEvents: Array<{ event: string; data: unknown }> = [];
  readonly connections: FeedConnection[] = [];
  #lastId: number | undefined;
  #stopped = false;
  #controller: AbortController | undefined;
  #wake: (() => void) | undefined;
  readonly #done: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly options: { reconnectMs?: number; headers?: Record<string, string> } = {},
  ) {
    this.#done = this.#run();
  }

  /** Tracking codes of every report.created event received. */
  createdTrackingCodes(): string[] {
    return this.messages.filter((message) => message.event === 'report.created').map((message) => String(message.data.report?.trackingCode));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#controller?.abort();
    this.#wake?.();
    await this.#done;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const connection: FeedConnection = { at: Date.now(), answeredAt: undefined, status: 0, retryMs: undefined, ended: undefined, events: 0 };
      this.connections.push(connection);
      this.#controller = new AbortController();
      let wait = this.options.reconnectMs ?? 500;
      try {
        const response = await fetch(this.url, {
          headers: { ...this.options.headers, ...(this.#lastId === undefined ? {} : { 'Last-Event-ID': String(this.#lastId) }) },
          signal: this.#controller.signal,
        });
        connection.status = response.status;
        connection.answeredAt = Date.now();
        if (response.status !== 200) {
          await response.body?.cancel();
          const retryAfter = Number(response.headers.get('retry-after'));
          // The map client waits longer after a refusal; a drill keeps it short to measure recovery.
          if (retryAfter > 0) wait = Math.min(wait, retryAfter * 1000);
          connection.ended = 'closed';
        } else {
          await this.#read(response, connection);
          connection.ended ??= 'closed';
          if (connection.retryMs !== undefined) wait = Math.min(connection.retryMs, wait);
        }
      } catch {
        connection.ended = this.#stopped ? 'stopped' : 'error';
      }
      if (this.#stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async #read(response: Response, connection: FeedConnection): Promise<void> {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of block.split('\n')) {
          if (line.startsWith(':') || !line.includes(':')) continue;
          const colon = line.indexOf(':');
          fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        if (fields.has('retry')) connection.retryMs = Number(fields.get('retry'));
        // As EventSource does, an id is remembered even on an event without data.
        if (fields.has('id')) this.#lastId = Number(fields.get('id'));
        const data = fields.get('data');
        if (data === undefined) continue;
        const event = fields.get('event') ?? 'message';
        if (!feedEventTypes.includes(event as FeedEventType)) {
          // The stream's first event only gives its position (the id above).
          if (!fields.has('id')) this.otherEvents.push({ event, data: JSON.parse(data) as unknown });
          continue;
        }
        connection.events += 1;
        this.messages.push({ id: Number(fields.get('id')), event, data: JSON.parse(data) as FeedMessage['data'] });
      }
    }
  }
}
