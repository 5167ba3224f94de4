/** What the cluster's primary and its API processes tell each other over node:cluster's IPC channel. */
export type ClusterMessage =
  /** Primary → worker: stop gracefully (as on a first SIGTERM). */
  | { type: 'bandoso:shutdown' }
  /** Worker → primary: a scraper asked this worker for /metrics; answer with every worker's. */
  | { type: 'bandoso:metrics-scrape'; id: string }
  /** Primary → worker: send your metrics (prom-client's JSON form). */
  | { type: 'bandoso:metrics-collect'; id: string }
  /** Worker → primary: this worker's metrics. */
  | { type: 'bandoso:metrics-json'; id: string; metrics: unknown[] }
  /** Primary → worker: the aggregated text, or why it could not be made. */
  | { type: 'bandoso:metrics-text'; id: string; text?: string; contentType?: string; error?: string };

const types = new Set(['bandoso:shutdown', 'bandoso:metrics-scrape', 'bandoso:metrics-collect', 'bandoso:metrics-json', 'bandoso:metrics-text']);

/** A message of ours (the IPC channel also carries node:cluster's and prom-client's own). */
export function isClusterMessage(message: unknown): message is ClusterMessage & { type: string } {
  return typeof message === 'object' && message !== null && types.has((message as { type?: unknown }).type as string);
}
