// A layered video consumer that forwards nothing while it may is asked a key frame again
// (askWhileStalled): every STALLED_ASK_MS, at most STALLED_ASKS times in a row, never while it or
// its producer is paused or once it forwards, and no more once it closed.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ms } from '../../src/media/mediasoup.js';
import { askWhileStalled, STALLED_ASK_MS, STALLED_ASKS } from '../../src/media/stalledVideo.js';

function consumer(over: Partial<{ kind: string; type: string }> = {}) {
  const c = {
    kind: 'video',
    type: 'simulcast',
    closed: false,
    paused: false,
    producerPaused: false,
    currentLayers: undefined as { spatialLayer: number; temporalLayer: number } | undefined,
    observer: new EventEmitter(),
    requestKeyFrame: vi.fn(async () => undefined),
    ...over,
  };
  askWhileStalled(c as unknown as ms.Consumer);
  return c;
}

describe('askWhileStalled', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks every STALLED_ASK_MS after the first tick, at most STALLED_ASKS times in a row', () => {
    const c = consumer();
    vi.advanceTimersByTime(STALLED_ASK_MS); // seen waiting: mediasoup has just asked itself
    expect(c.requestKeyFrame).not.toHaveBeenCalled();
    vi.advanceTimersByTime(STALLED_ASK_MS);
    expect(c.requestKeyFrame).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(STALLED_ASK_MS * (STALLED_ASKS + 5));
    expect(c.requestKeyFrame).toHaveBeenCalledTimes(STALLED_ASKS);
    // It forwards, then stalls again: a new run of asks.
    c.currentLayers = { spatialLayer: 0, temporalLayer: 0 };
    vi.advanceTimersByTime(STALLED_ASK_MS);
    c.currentLayers = undefined;
    vi.advanceTimersByTime(STALLED_ASK_MS * 2);
    expect(c.requestKeyFrame).toHaveBeenCalledTimes(STALLED_ASKS + 1);
  });

  it('never asks while it forwards, while it or its producer is paused, or after it closed', () => {
    const forwarding = consumer();
    forwarding.currentLayers = { spatialLayer: 2, temporalLayer: 2 };
    const paused = consumer();
    paused.paused = true;
    const producerPaused = consumer();
    producerPaused.producerPaused = true;
    const closed = consumer();
    closed.closed = true;
    closed.observer.emit('close');
    vi.advanceTimersByTime(STALLED_ASK_MS * 10);
    for (const c of [forwarding, paused, producerPaused, closed]) expect(c.requestKeyFrame).not.toHaveBeenCalled();
  });

  it('leaves sound and single-layer video alone (mediasoup reports no layers to tell a stall by)', () => {
    const audio = consumer({ kind: 'audio', type: 'simple' });
    const simple = consumer({ type: 'simple' });
    vi.advanceTimersByTime(STALLED_ASK_MS * 10);
    expect(audio.requestKeyFrame).not.toHaveBeenCalled();
    expect(simple.requestKeyFrame).not.toHaveBeenCalled();
  });
});
