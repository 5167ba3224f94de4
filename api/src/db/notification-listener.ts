import type pg from 'pg';
import type { Logger } from 'pino';
import { describeDatabaseError } from './postgres-errors.ts';

/** The notification channels in use: a fixed list, because channel names cannot be bound parameters. */
export type NotificationChannel = 'data_changed' | 'report_events' | 'outbox_message' | 'camera_status';

const CHANNEL_NAME = /^[a-z_]+$/;

/**
 * What a subscriber is told. Notifications are only heard while a LISTEN is in effect; whatever was
 * sent while it was not (the connection lost, the database restarting) is gone, so a subscriber
 * that keeps state built from notifications resynchronises from the database in `onListening`.
 */
export interface NotificationHandlers {
  onNotification(payload: string): void;
  /** The LISTEN is in effect: once at first, then again after every reconnect. */
  onListening?(): void;
  /** The listening connection was lost: nothing is heard until the next `onListening`. */
  onLost?(): void;
}

/**
 * `idle`: nobody subscribed yet; `connecting`: the first connection is being made; `listening`:
 * every subscribed channel is LISTENed; `reconnecting`: the connection was lost (or could not be
 * made) and is being made again with backoff; `closed`: shut down.
 */
export type NotificationState = 'idle' | 'connecting' | 'listening' | 'reconnecting' | 'closed';

export interface NotificationListenerOptions {
  /** A new, unconnected client (the listener owns it: connects, LISTENs, ends it). */
  createClient(): pg.Client;
  logger?: Logger | undefined;
  /** First reconnect delay; doubles up to `maxDelayMs` (with jitter). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /**
   * How often the connection is proved alive with a query while nothing else happens, and how long
   * that query may take: a frozen or unreachable server sends no error, the socket just goes silent.
   */
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
}

interface Connection {
  client: pg.Client;
  channels: Set<string>;
}

/**
 * One connection that LISTENs on behalf of every subscriber of a process, and comes back by itself.
 *
 * pg's `Client` is a single connection: when the server restarts or terminates it, it emits `error`
 * and `end` and stays dead. This keeps an error listener on it at all times (an `error` event with
 * no listener would end the process), reconnects with exponential backoff, re-issues every LISTEN,
 * and tells subscribers when notifications stopped and when they flow again. A heartbeat query
 * detects a connection that is silently gone (a frozen server, a dropped network path).
 */
export class NotificationListener {
  readonly #options: Required<Omit<NotificationListenerOptions, 'logger'>> & { logger: Logger | undefined };
  readonly #subscriptions = new Map<string, Set<NotificationHandlers>>();
  #state: NotificationState = 'idle';
  #connection: Connection | undefined;
  #connecting: Promise<void> | undefined;
  #firstAttempt: Promise<void> | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #failedAttempts = 0;
  #lostAt: number | undefined;

  constructor(options: NotificationListenerOptions) {
    this.#options = {
      initialDelayMs: 100,
      maxDelayMs: 2_000,
      heartbeatIntervalMs: 15_000,
      heartbeatTimeoutMs: 5_000,
      ...options,
      logger: options.logger,
    };
  }

  get state(): NotificationState {
    return this.#state;
  }

  /**
   * Subscribes `handlers` to `channel`. Resolves once the first attempt to listen has ended, either
   * way: when the database is down the subscription stays and starts working when it is back.
   */
  async subscribe(channel: NotificationChannel, handlers: NotificationHandlers): Promise<() => Promise<void>> {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`invalid channel name ${JSON.stringify(channel)}`);
    if (this.#state === 'closed') throw new Error('the notification listener is closed');
    let set = this.#subscriptions.get(channel);
    if (!set) this.#subscriptions.set(channel, (set = new Set()));
    set.add(handlers);
    if (this.#state === 'idle') {
      this.#state = 'connecting';
      this.#firstAttempt = this.#connect();
    }
    await this.#firstAttempt;
    if (this.#state === 'listening' && this.#connection) {
      try {
        await this.#listenToAll(this.#connection);
        if (set.has(handlers)) handlers.onListening?.();
      } catch (error) {
        this.#lose(this.#connection, error);
      }
    }
    return async () => {
      set.delete(handlers);
      if (set.size > 0) return;
      this.#subscriptions.delete(channel);
      const connection = this.#connection;
      if (connection?.channels.delete(channel)) await connection.client.query(`UNLISTEN ${channel}`).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.#state = 'closed';
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#heartbeatTimer);
    await this.#connecting?.catch(() => undefined);
    const connection = this.#connection;
    this.#connection = undefined;
    this.#subscriptions.clear();
    if (connection) await endQuietly(connection.client);
  }

  #connect(): Promise<void> {
    this.#connecting ??= this.#attempt().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #attempt(): Promise<void> {
    const client = this.#options.createClient();
    const connection: Connection = { client, channels: new Set() };
    // Listeners first: a connection that fails while connecting also emits `error`.
    client.on('error', (error) => this.#lose(connection, error));
    client.on('end', () => this.#lose(connection, new Error('the listening connection ended')));
    client.on('notification', (message) => {
      for (const handlers of this.#subscriptions.get(message.channel) ?? []) handlers.onNotification(message.payload ?? '');
    });
    try {
      await client.connect();
      if (this.#state === 'closed') {
        void endQuietly(client);
        return;
      }
      await this.#listenToAll(connection);
    } catch (error) {
      void endQuietly(client);
      if (this.#state === 'closed') return;
      this.#failedAttempts += 1;
      this.#lostAt ??= Date.now();
      this.#state = 'reconnecting';
      if (this.#failedAttempts === 1) this.#options.logger?.warn({ error: describeDatabaseError(error) }, 'notifications: cannot listen; trying again');
      else this.#options.logger?.debug({ attempt: this.#failedAttempts, error: describeDatabaseError(error) }, 'notifications: still cannot listen');
      this.#scheduleReconnect();
      return;
    }
    this.#connection = connection;
    this.#state = 'listening';
    if (this.#lostAt !== undefined) {
      this.#options.logger?.info({ downMs: Date.now() - this.#lostAt, attempts: this.#failedAttempts + 1 }, 'notifications: listening again');
    }
    this.#failedAttempts = 0;
    this.#lostAt = undefined;
    this.#scheduleHeartbeat(connection);
    for (const set of [...this.#subscriptions.values()]) for (const handlers of [...set]) handlers.onListening?.();
  }

  /** LISTENs on every subscribed channel the connection does not listen to yet. */
  async #listenToAll(connection: Connection): Promise<void> {
    for (;;) {
      const missing = [...this.#subscriptions.keys()].filter((channel) => !connection.channels.has(channel));
      if (missing.length === 0) return;
      for (const channel of missing) {
        await connection.client.query(`LISTEN ${channel}`);
        connection.channels.add(channel);
      }
    }
  }

  #lose(connection: Connection, error: unknown): void {
    if (this.#connection !== connection) return; // an attempt that failed, or an old connection
    this.#connection = undefined;
    clearTimeout(this.#heartbeatTimer);
    void endQuietly(connection.client);
    if (this.#state === 'closed') return;
    this.#state = 'reconnecting';
    this.#lostAt = Date.now();
    this.#options.logger?.warn({ error: describeDatabaseError(error) }, 'notifications: connection lost; reconnecting');
    for (const set of [...this.#subscriptions.values()]) for (const handlers of [...set]) handlers.onLost?.();
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    clearTimeout(this.#retryTimer);
    const { initialDelayMs, maxDelayMs } = this.#options;
    const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(this.#failedAttempts, 16));
    // Full jitter keeps the processes of a deployment from reconnecting in lockstep.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
    this.#retryTimer.unref();
  }

  #scheduleHeartbeat(connection: Connection): void {
    clearTimeout(this.#heartbeatTimer);
    this.#heartbeatTimer = setTimeout(() => {
      if (this.#connection !== connection) return;
      const timeout = setTimeout(() => this.#lose(connection, new Error('the listening connection did not answer its heartbeat')), this.#options.heartbeatTimeoutMs);
      connection.client
        .query('SELECT 1')
        .then(() => {
          clearTimeout(timeout);
          if (this.#connection === connection) this.#scheduleHeartbeat(connection);
        })
        .catch((error: unknown) => {
          clearTimeout(timeout);
          this.#lose(connection, error);
        });
    }, this.#options.heartbeatIntervalMs);
    this.#heartbeatTimer.unref();
  }
}

/**
 * Ends a client without waiting on a server that may not answer: after 1 s its socket is destroyed
 * and the promise resolves whatever pg's `end()` does.
 */
async function endQuietly(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ended = client.end().then(
    () => true,
    () => true,
  );
  const gaveUp = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), 1000);
    timer.unref();
  });
  const clean = await Promise.race([ended, gaveUp]);
  clearTimeout(timer);
  if (!clean) (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}
