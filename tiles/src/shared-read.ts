/**
 * One query's result for every caller of a burst, always from a query that started after the call
 * (a caller that arrives while one runs waits for the next): the same batching as the tile cache's
 * version check.
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
        // Callers of this turn of the event loop share it (and the await always yields, so #pending is set first).
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
