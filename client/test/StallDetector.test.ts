import { describe, expect, it } from 'vitest';
import { STALL_MS, STALL_POLL_MS, StallDetector, inboundPackets } from '../src/media/StallDetector.js';

/** Manual timers: one interval, a clock moved by the test. */
function fakeTimers() {
  let now = 0;
  let tick: (() => void) | null = null;
  return {
    timers: {
      setInterval: (fn: () => void) => ((tick = fn), 1),
      clearInterval: () => (tick = null),
      now: () => now,
    },
    async advance(ms: number) {
      for (let t = 0; t < ms; t += STALL_POLL_MS) {
        now += STALL_POLL_MS;
        tick?.();
        await new Promise((r) => setImmediate(r));
      }
    },
  };
}

describe('StallDetector', () => {
  it('says stalled once packets stop growing for STALL_MS while media is expected, and clears when they flow', async () => {
    const clock = fakeTimers();
    let packets = 0;
    let expected = true;
    const changes: boolean[] = [];
    const d = new StallDetector({ packets: async () => packets, expected: () => expected, onStalled: (s) => changes.push(s) }, clock.timers);
    d.start();
    for (let i = 0; i < 6; i++) {
      packets += 50;
      await clock.advance(STALL_POLL_MS);
    }
    expect(changes).toEqual([]);
    await clock.advance(STALL_MS - STALL_POLL_MS);
    expect(changes).toEqual([]); // not yet
    await clock.advance(STALL_POLL_MS * 2);
    expect(changes).toEqual([true]);
    packets += 10;
    await clock.advance(STALL_POLL_MS);
    expect(changes).toEqual([true, false]);
    // Nothing expected (all paused, or the trainer's media stopped at the server): never stalled.
    expected = false;
    await clock.advance(STALL_MS * 3);
    expect(changes).toEqual([true, false]);
    d.stop();
  });

  it('sums inbound RTP packets only', () => {
    expect(
      inboundPackets([
        { type: 'inbound-rtp', packetsReceived: 10 } as unknown as RTCStats,
        { type: 'outbound-rtp', packetsSent: 99 } as unknown as RTCStats,
        { type: 'inbound-rtp', packetsReceived: 5 } as unknown as RTCStats,
      ]),
    ).toBe(15);
  });

  it("leaves out the SFU's bandwidth probes, which flow while every consumer is paused", () => {
    expect(
      inboundPackets([
        { type: 'inbound-rtp', packetsReceived: 10, mid: '0', ssrc: 111 } as unknown as RTCStats,
        { type: 'inbound-rtp', packetsReceived: 400, mid: 'probator', ssrc: 1234 } as unknown as RTCStats,
        { type: 'inbound-rtp', packetsReceived: 70, ssrc: 1234 } as unknown as RTCStats,
      ]),
    ).toBe(10);
  });
});
