/**
 * A first-come, first-served lock for the one embedded database backend: whoever holds it (a call of
 * the process that opened the database, or a command connected through the local socket) has the
 * backend to itself, so two transactions never share the backend's one session. Not re-entrant.
 */
export class ExclusiveAccess {
  #tail: Promise<void> = Promise.resolve();

  /** Resolves when it is the caller's turn, with the function that ends it (once; later calls do nothing). */
  acquire(): Promise<() => void> {
    let end!: () => void;
    const turn = new Promise<void>((resolve) => (end = resolve));
    const before = this.#tail;
    this.#tail = before.then(() => turn);
    let ended = false;
    return before.then(() => () => {
      if (ended) return;
      ended = true;
      end();
    });
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
