/** An immutable snapshot with listeners: what `useSyncExternalStore` needs, and nothing more. */
export class Store<T extends object> {
  #state: T;
  readonly #listeners = new Set<() => void>();

  constructor(initial: T) {
    this.#state = initial;
  }

  get = (): T => this.#state;

  /** Replaces the snapshot with a patched copy and tells every listener. */
  update(patch: Partial<T> | ((state: T) => Partial<T>)): void {
    const changes = typeof patch === 'function' ? patch(this.#state) : patch;
    this.#state = { ...this.#state, ...changes };
    for (const listener of [...this.#listeners]) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };
}
