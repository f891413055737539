import { TeleclassError } from '@teleclass/shared';

/** Who has the floor: at most `capacity` participants besides the trainer. */
export class Stage {
  readonly #onStage = new Map<string, number>(); // peerId → since

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#onStage.size;
  }

  /** STAGE_FULL unless `reserved` more places (invitations not yet answered) still fit. */
  assertRoom(reserved = 0): void {
    if (this.#onStage.size + reserved >= this.capacity) {
      throw new TeleclassError('STAGE_FULL', `At most ${this.capacity} may have the floor at once; take it back from someone first.`);
    }
  }

  give(peerId: string, at = Date.now()): void {
    if (this.#onStage.has(peerId)) return;
    if (this.#onStage.size >= this.capacity) {
      throw new TeleclassError('STAGE_FULL', `At most ${this.capacity} may have the floor at once; take it back from someone first.`);
    }
    this.#onStage.set(peerId, at);
  }

  take(peerId: string): boolean {
    return this.#onStage.delete(peerId);
  }

  has(peerId: string): boolean {
    return this.#onStage.has(peerId);
  }

  list(): { peerId: string; since: number }[] {
    return [...this.#onStage].map(([peerId, since]) => ({ peerId, since }));
  }

  /** Becomes `list` (cluster mode: a copy of the origin's floor; the origin kept it within the capacity). */
  replace(list: readonly { peerId: string; since: number }[]): void {
    this.#onStage.clear();
    for (const { peerId, since } of list) this.#onStage.set(peerId, since);
  }
}
