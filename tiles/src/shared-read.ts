/**
 * One query's result for every caller of a burst, always from a query that started after the call
 * (a caller that arrives while one runs waits for the next), so a caller never gets an answer read
 * before it arrived. The tile cache's version check uses it, and so do the API's read-replica floor
 * and its in-memory indexes' counter check.
 */
export class SharedRead<T> {
  readonly #query: () => Promise<T>;
  #running: Promise<T> | undefined;
  #pending: Promise<T> | undefined;

  constructor(query: () => Promise<T>) {
    this.#query = query;
  }

  read(): Promise<T> {
    if (!this.#pending) {
      const previous = this.#running;
      this.#pending = (async () => {
        await previous?.catch(() => undefined);
        // And it starts once the current turn of the event loop has read every socket that was ready:
        // requests that arrived together share it (under load this halves the reads). The awaits
        // always yield, so #pending is set before it is cleared here.
        await new Promise<void>((resolve) => setImmediate(resolve));
        this.#pending = undefined;
        const query = this.#query();
        this.#running = query;
        try {
          return await query;
        } finally {
          if (this.#running === query) this.#running = undefined;
        }
      })();
    }
    return this.#pending;
  }
}
