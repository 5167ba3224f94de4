import cluster from 'node:cluster';
import { isClusterMessage, type ClusterMessage } from './cluster-messages.ts';

/** How long a worker waits for the primary's aggregated metrics. */
const SCRAPE_TIMEOUT_MS = 10_000;

/** This process's slot (1…WEB_CONCURRENCY) when it is an API process of a cluster; undefined otherwise. */
export function clusterWorkerSlot(): number | undefined {
  if (!cluster.isWorker) return undefined;
  const slot = Number(process.env.BANDOSO_WORKER_SLOT);
  return Number.isInteger(slot) && slot > 0 ? slot : undefined;
}

/** What a cluster worker's metrics look like to the primary: prom-client's JSON form of its registries. */
export type MetricsJsonSource = () => Promise<unknown[]>;

let answering: MetricsJsonSource | undefined;

/**
 * In a cluster worker: answers the primary's requests for this process's metrics with `source` (the
 * last app created wins: a worker runs one). Outside a cluster: nothing.
 */
export function answerClusterMetrics(source: MetricsJsonSource): void {
  if (!cluster.isWorker) return;
  const first = answering === undefined;
  answering = source;
  if (!first) return;
  process.on('message', (message: unknown) => {
    if (!isClusterMessage(message) || message.type !== 'bandoso:metrics-collect') return;
    const id = message.id;
    void (answering ?? (async () => []))()
      .catch(() => [])
      .then((metrics) => process.send?.({ type: 'bandoso:metrics-json', id, metrics } satisfies ClusterMessage));
  });
}

let nextScrape = 0;

/**
 * In a cluster worker: every worker's metrics, aggregated by the primary (a scrape reaches one worker
 * through the shared port). Undefined outside a cluster.
 */
export function scrapeCluster(): Promise<{ text: string; contentType: string }> | undefined {
  if (!cluster.isWorker || !process.send) return undefined;
  const id = `${process.pid}-${++nextScrape}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error('the cluster primary did not answer with the metrics in time')), SCRAPE_TIMEOUT_MS);
    const onMessage = (message: unknown) => {
      if (!isClusterMessage(message) || message.type !== 'bandoso:metrics-text' || message.id !== id) return;
      finish(message.text === undefined ? new Error(message.error ?? 'the cluster primary could not aggregate the metrics') : { text: message.text, contentType: message.contentType ?? 'text/plain; version=0.0.4; charset=utf-8' });
    };
    const finish = (outcome: Error | { text: string; contentType: string }) => {
      clearTimeout(timer);
      process.off('message', onMessage);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    process.on('message', onMessage);
    process.send!({ type: 'bandoso:metrics-scrape', id } satisfies ClusterMessage);
  });
}

/** In a cluster worker: calls `stop` when the primary asks it to stop or goes away. */
export function onClusterShutdown(stop: () => void): void {
  if (!cluster.isWorker) return;
  process.on('message', (message: unknown) => {
    if (isClusterMessage(message) && message.type === 'bandoso:shutdown') stop();
  });
  // The primary died (its IPC channel closed): nobody restarts or stops this worker any more.
  process.once('disconnect', stop);
}
