import type { ms } from './mediasoup.js';

/** How often a layered video consumer that forwards nothing while it may is asked a key frame again. */
export const STALLED_ASK_MS = 2_000;
/** At most this many asks in a row (then it waits for the consumer to forward, pause or close). */
export const STALLED_ASKS = 10;

/**
 * Asks a key frame again, every STALLED_ASK_MS and at most STALLED_ASKS times in a row, for a
 * simulcast or SVC video consumer that forwards nothing (no current layers) while neither it nor
 * its producer is paused. Such a consumer sends nothing before a key frame of its layer; mediasoup
 * asks for one when it starts and retries once, and a request made while the stream was not
 * flowing yet is lost — a stream pulled from another node just after the lecture's origin died.
 * Nobody asked again then: the viewer's browser, receiving nothing, sends no PLI, and an edge's
 * viewer kept the last frame until a change of layer happened to ask (7–15 s, or not within 45 s).
 */
export function askWhileStalled(consumer: ms.Consumer): void {
  if (consumer.kind !== 'video' || (consumer.type !== 'simulcast' && consumer.type !== 'svc')) return;
  let asks = 0;
  let seen = false;
  const timer = setInterval(() => {
    if (consumer.closed) return clearInterval(timer);
    if (consumer.paused || consumer.producerPaused || consumer.currentLayers) {
      asks = 0;
      seen = false;
      return;
    }
    // The first tick it is seen waiting only starts the clock: mediasoup has just asked itself.
    if (!seen) {
      seen = true;
      return;
    }
    if (asks >= STALLED_ASKS) return;
    asks++;
    void consumer.requestKeyFrame().catch(() => undefined); // closed meanwhile
  }, STALLED_ASK_MS);
  timer.unref();
  consumer.observer.once('close', () => clearInterval(timer));
}
