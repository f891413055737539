/**
 * Writes that must reach the store in the order they were made, without making the caller wait
 * for them: one chain per key (a person's attendance, a lecture's state). Different keys run side
 * by side. A write that fails is handed to `onError` (logged by the owner) and the chain goes on;
 * `settled()` resolves when every write queued so far (and any queued meanwhile) is done — a
 * shutdown awaits it before the store closes.
 */
export class WriteQueue {
  readonly #tails = new Map<string, Promise<void>>();

  constructor(private readonly onError: (error: unknown, key: string) => void) {}

  /** Queues `write` after the key's earlier writes; the answer settles when it is done (never rejects). */
  push(key: string, write: () => Promise<unknown>): Promise<void> {
    const tail = (this.#tails.get(key) ?? Promise.resolve())
      .then(write)
      .then(
        () => undefined,
        (error: unknown) => this.onError(error, key),
      );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return tail;
  }

  /** Writes queued and not yet done, by key. */
  get size(): number {
    return this.#tails.size;
  }

  async settled(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all(this.#tails.values());
  }
}
