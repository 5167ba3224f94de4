import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  server: http.Server;
  port: number;
  /** Requests being answered now (long-lived event streams included). */
  inFlight(): number;
  /**
   * Stops accepting connections and lets the requests in flight finish, for at most `graceMs`
   * (default 0: cut them at once); then every connection left is closed. Connections that become
   * idle meanwhile are closed as soon as they do, and responses still to come say `Connection: close`.
   */
  close(graceMs?: number): Promise<void>;
}

export interface ListenOptions {
  /** Milliseconds a client has to send a request's headers (HTTP_HEADERS_TIMEOUT_S); default 30 s. */
  headersTimeoutMs?: number;
  /**
   * Milliseconds a client has to send a whole request, body included (HTTP_REQUEST_TIMEOUT_S); 0: no
   * limit; default 300 s. Node counts only the receiving: a long-lived event stream (a GET, received
   * at once) is not cut by it.
   */
  requestTimeoutMs?: number;
}

export async function listen(handler: http.RequestListener, port: number, host: string, options: ListenOptions = {}): Promise<RunningServer> {
  const responses = new Set<http.ServerResponse>();
  let closing = false;
  const requestTimeout = options.requestTimeoutMs ?? 300_000;
  // Node refuses a headers timeout longer than a (non-zero) request timeout.
  const headersTimeout = requestTimeout > 0 ? Math.min(options.headersTimeoutMs ?? 30_000, requestTimeout) : (options.headersTimeoutMs ?? 30_000);
  // Slow clients (headers sent a byte at a time, a body that never ends) get 408 and lose the
  // connection; Node checks every `connectionsCheckingInterval` ms (30 s by default: too coarse for
  // short timeouts).
  const connectionsCheckingInterval = Math.max(100, Math.min(30_000, Math.floor(Math.min(headersTimeout, requestTimeout || headersTimeout) / 4)));
  const server = http.createServer({ headersTimeout, requestTimeout, connectionsCheckingInterval }, (request, response) => {
    responses.add(response);
    response.once('close', () => responses.delete(response));
    if (closing) response.setHeader('Connection', 'close');
    handler(request, response);
  });
  // Long-lived event streams are closed by the shutdown, not by a timeout.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    inFlight: () => responses.size,
    async close(graceMs = 0) {
      closing = true;
      for (const response of responses) if (!response.headersSent) response.setHeader('Connection', 'close');
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeIdleConnections();
      if (graceMs > 0) {
        // A keep-alive connection whose request just finished is idle: close it rather than wait.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        let timer: NodeJS.Timeout | undefined;
        const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
        await Promise.race([closed.catch(() => undefined), graceOver]);
        clearInterval(sweep);
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}
