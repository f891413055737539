/** How many keys a limiter holds before it drops the ones that are full again (idle). */
const SWEEP_AT = 1000;

/** A token bucket per key: `burst` calls at once, refilled at `perSecond`. Idle keys are forgotten. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  #sweepAt = SWEEP_AT;

  constructor(
    readonly burst: number,
    readonly perSecond: number,
  ) {}

  /** Takes one token; false when the key is over its rate. */
  take(key: string, now = Date.now()): boolean {
    if (this.#buckets.size >= this.#sweepAt) this.#sweep(now);
    const bucket = this.#buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  forget(key: string): void {
    this.#buckets.delete(key);
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** Drops buckets that have refilled (forgetting them changes nothing); memory stays bounded by active keys. */
  #sweep(now: number): void {
    for (const [key, b] of this.#buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.perSecond >= this.burst) this.#buckets.delete(key);
    }
    this.#sweepAt = Math.max(SWEEP_AT, this.#buckets.size * 2);
  }
}
