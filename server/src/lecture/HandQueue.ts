import type { HandView } from '@teleclass/shared';

/** Raised hands in the order they were raised; a participant is in it at most once. */
export class HandQueue {
  readonly #hands = new Map<string, HandView>();

  /** Returns false when the hand was already up (its place in the queue is kept). */
  raise(hand: Omit<HandView, 'raisedAt'>, at = Date.now()): boolean {
    if (this.#hands.has(hand.peerId)) return false;
    this.#hands.set(hand.peerId, { ...hand, raisedAt: at });
    return true;
  }

  lower(peerId: string): boolean {
    return this.#hands.delete(peerId);
  }

  has(peerId: string): boolean {
    return this.#hands.has(peerId);
  }

  list(): HandView[] {
    return [...this.#hands.values()];
  }

  /** Becomes `hands`, in that order (cluster mode: a copy of the origin's queue). */
  replace(hands: readonly HandView[]): void {
    this.#hands.clear();
    for (const h of hands) this.#hands.set(h.peerId, { ...h });
  }
}
