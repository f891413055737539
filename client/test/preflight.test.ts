// The studio's network figures from its transport's getStats(): the selected pair's ICE round trip
// and outgoing estimate, and the worst loss the SFU reports back in RTCP.
import { describe, expect, it } from 'vitest';
import { sendTransportFigures } from '../src/preflight/checks.js';

const stat = (type: string, extra: Record<string, unknown>) => ({ id: type + Math.random(), timestamp: 0, type, ...extra }) as unknown as RTCStats;

describe('sendTransportFigures', () => {
  it('reads the nominated, succeeded pair and remote-inbound-rtp loss', () => {
    const figures = sendTransportFigures([
      stat('candidate-pair', { nominated: false, state: 'failed', currentRoundTripTime: 9 }),
      stat('candidate-pair', { nominated: true, state: 'succeeded', currentRoundTripTime: 0.023, availableOutgoingBitrate: 2_500_000 }),
      stat('remote-inbound-rtp', { fractionLost: 0.01 }),
      stat('remote-inbound-rtp', { fractionLost: 0.034 }),
    ]);
    expect(figures).toEqual({ rttMs: 23, bitrateKbps: 2500, lossPct: 3.4 });
  });

  it('says nothing it did not measure', () => {
    expect(sendTransportFigures([])).toEqual({ rttMs: null, bitrateKbps: null, lossPct: null });
  });
});
