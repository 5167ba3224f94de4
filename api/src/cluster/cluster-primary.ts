import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { AggregatorRegistry } from 'prom-client';
import type { AppConfig } from '../config/config.ts';
import { prepareServerDatabase } from '../prepare-database.ts';
import { isClusterMessage, type ClusterMessage } from './cluster-messages.ts';

/** A worker that dies sooner than this after it was started is restarted only after a pause. */
const QUICK_DEATH_MS = 5_000;
const MAX_RESTART_DELAY_MS = 30_000;
/** How long the primary waits for one worker's metrics when it aggregates a scrape. */
const METRICS_REPLY_MS = 5_000;

export interface ClusterPrimary {
  /** Resolves once every worker listens (with the port they share). */
  ready: Promise<{ port: number }>;
  /** Asks every worker to stop gracefully and resolves when all have exited. */
  stop(): Promise<void>;
  /** Kills every worker now (a second Ctrl+C). */
  kill(): void;
}

/**
 * The primary of `WEB_CONCURRENCY=N npm start` on the server backend: prepares the database once
 * (migrations, sample data), then forks N API processes that share the port (node:cluster hands
 * connections out in turn). It serves nothing itself; it keeps N workers running (a worker that dies
 * is replaced, after a pause that grows while workers keep dying at start), stops them on a signal,
 * and answers the workers' requests for the metrics of all of them (a scrape of /metrics reaches one
 * worker through the shared port, and reports every process).
 *
 * Everything the workers must agree on lives in PostgreSQL (sessions, rate limits, tile versions,
 * change notifications), except the camera links' signing secret, which the primary gives every
 * worker when CAMERA_URL_SECRET is unset, so that a link signed by one is accepted by another.
 */
export async function startClusterPrimary(config: AppConfig, logger: Logger): Promise<ClusterPrimary> {
  await prepareServerDatabase(config, logger);
  const count = config.webConcurrency;
  const workers = new Map<number, Worker>();
  const restarts = new Map<number, number>();
  let stopping = false;
  let readyPort: number | undefined;
  let resolveReady!: (value: { port: number }) => void;
  const ready = new Promise<{ port: number }>((resolve) => (resolveReady = resolve));
  const listening = new Set<number>();
  let exited: (() => void) | undefined;

  const fork = (slot: number) => {
    const startedAt = Date.now();
    const worker = cluster.fork({ BANDOSO_WORKER_SLOT: String(slot), CAMERA_URL_SECRET: config.cameras.urlSecret });
    workers.set(slot, worker);
    worker.on('listening', (address) => {
      restarts.set(slot, 0);
      listening.add(slot);
      logger.info({ slot, pid: worker.process.pid, port: address.port }, 'API process listening');
      if (readyPort === undefined && listening.size === count) {
        readyPort = address.port;
        resolveReady({ port: address.port });
      }
    });
    worker.on('message', (message: unknown) => {
      if (isClusterMessage(message) && message.type === 'bandoso:metrics-scrape') void answerScrape(worker, message.id);
    });
    worker.on('exit', (code, signal) => {
      workers.delete(slot);
      listening.delete(slot);
      if (stopping) {
        if (workers.size === 0) exited?.();
        return;
      }
      const failures = (restarts.get(slot) ?? 0) + (Date.now() - startedAt < QUICK_DEATH_MS ? 1 : 0);
      restarts.set(slot, failures);
      const delay = failures === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 500 * 2 ** (failures - 1));
      logger.error({ slot, pid: worker.process.pid, code, signal, restartInMs: delay }, 'API process exited; starting another');
      setTimeout(() => {
        if (!stopping) fork(slot);
      }, delay).unref();
    });
  };

  /** Every worker's metrics, aggregated (sums, or the first/min/max where a sum means nothing). */
  const answerScrape = async (requester: Worker, id: string) => {
    const replies = await Promise.all([...workers.values()].map((worker) => collectFrom(worker)));
    let reply: ClusterMessage;
    try {
      const registry = AggregatorRegistry.aggregate(replies.filter((value): value is object[] => value !== undefined));
      reply = { type: 'bandoso:metrics-text', id, text: await registry.metrics(), contentType: registry.contentType };
    } catch (error) {
      reply = { type: 'bandoso:metrics-text', id, error: error instanceof Error ? error.message : String(error) };
    }
    if (requester.isConnected()) requester.send(reply);
  };

  let nextId = 0;
  const collectFrom = (worker: Worker) =>
    new Promise<object[] | undefined>((resolve) => {
      if (!worker.isConnected()) return resolve(undefined);
      const id = `c${++nextId}`;
      const timer = setTimeout(() => finish(undefined), METRICS_REPLY_MS);
      const onMessage = (message: unknown) => {
        if (isClusterMessage(message) && message.type === 'bandoso:metrics-json' && message.id === id) finish(message.metrics as object[]);
      };
      const finish = (value: object[] | undefined) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        resolve(value);
      };
      const onExit = () => finish(undefined);
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.send({ type: 'bandoso:metrics-collect', id } satisfies ClusterMessage);
    });

  for (let slot = 1; slot <= count; slot += 1) fork(slot);

  return {
    ready,
    stop() {
      stopping = true;
      if (workers.size === 0) return Promise.resolve();
      const allExited = new Promise<void>((resolve) => (exited = resolve));
      // A message rather than a signal: Ctrl+C already signals every process of the terminal's group,
      // and a worker takes a second signal as "stop now".
      for (const worker of workers.values()) if (worker.isConnected()) worker.send({ type: 'bandoso:shutdown' } satisfies ClusterMessage);
      // The workers finish their requests within SHUTDOWN_GRACE_S; whoever is still there after it is killed.
      const deadline = setTimeout(() => {
        for (const worker of workers.values()) worker.process.kill('SIGKILL');
      }, config.shutdownGraceMs + 10_000);
      return allExited.finally(() => clearTimeout(deadline));
    },
    kill() {
      stopping = true;
      for (const worker of workers.values()) worker.process.kill('SIGKILL');
    },
  };
}
