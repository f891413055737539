import type { ms } from './mediasoup.js';

/** How often producers are looked at, and how long one may receive nothing before it counts as stopped. */
export const HEALTH_POLL_MS = 1_000;
export const HEALTH_STALL_MS = 2_000;

/**
 * Whether each producer's media still reaches the server: its received packet count must grow
 * while it is not paused. (mediasoup's own score drops to 0 on silence only for simulcast video,
 * so a trainer whose microphone or slides stopped would otherwise look fine.) Viewers use it to
 * say "the trainer's connection dropped" rather than show a frozen picture.
 */
export class ProducerHealth {
  readonly #watched = new Map<string, { producer: ms.Producer; packets: number; grewAt: number; flowing: boolean }>();
  readonly #timer: NodeJS.Timeout;
  #polling = false;

  constructor(private readonly onChange: (producerId: string, flowing: boolean) => void) {
    this.#timer = setInterval(() => void this.#poll(), HEALTH_POLL_MS).unref();
  }

  watch(producer: ms.Producer): void {
    this.#watched.set(producer.id, { producer, packets: -1, grewAt: Date.now(), flowing: true });
    producer.observer.once('close', () => this.#watched.delete(producer.id));
    // A resumed producer gets a fresh grace period.
    producer.observer.on('resume', () => {
      const w = this.#watched.get(producer.id);
      if (w) w.grewAt = Date.now();
    });
  }

  close(): void {
    clearInterval(this.#timer);
    this.#watched.clear();
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      for (const w of [...this.#watched.values()]) {
        if (w.producer.closed || w.producer.paused) continue;
        const stats = await w.producer.getStats().catch(() => null);
        if (!stats) continue;
        const packets = stats.reduce((sum, s) => sum + (s.type === 'inbound-rtp' ? s.packetCount : 0), 0);
        const now = Date.now();
        if (packets > w.packets) {
          w.packets = packets;
          w.grewAt = now;
          this.#set(w, true);
        } else if (now - w.grewAt >= HEALTH_STALL_MS) {
          this.#set(w, false);
        }
      }
    } finally {
      this.#polling = false;
    }
  }

  #set(w: { producer: ms.Producer; flowing: boolean }, flowing: boolean): void {
    if (w.flowing === flowing || w.producer.closed) return;
    w.flowing = flowing;
    this.onChange(w.producer.id, flowing);
  }
}
