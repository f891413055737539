// The studio's network figures from its transport's getStats(): the selected pair's ICE round trip
// and outgoing estimate, and the worst loss the SFU reports back in RTCP.
import { describe, expect, it } from 'vitest';
import { sendTransportFigures, sfuOrHttps } from '../src/preflight/checks.js';
import { ProbeError, sampleSendStats } from '../src/preflight/sfuProbe.js';

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

// The SFU network test's own getStats() samples (sfuProbe.ts) and the fallback to HTTPS (checks.ts).
describe('sampleSendStats', () => {
  it('reads ICE and RTCP round trips, the estimate and the loss the SFU reported', () => {
    const sample = sampleSendStats([
      stat('candidate-pair', { selected: true, state: 'succeeded', currentRoundTripTime: 0.012, availableOutgoingBitrate: 3_100_000 }),
      stat('remote-inbound-rtp', { roundTripTime: 0.015, packetsLost: 3 }),
      stat('remote-inbound-rtp', { roundTripTime: 0.011, packetsLost: -1 }),
      stat('outbound-rtp', { packetsSent: 600 }),
      stat('outbound-rtp', { packetsSent: 200 }),
    ]);
    expect(sample).toEqual({ rtts: [12, 15, 11], estimateKbps: 3100, lost: 3, sent: 800 });
  });

  it('says nothing it did not measure', () => {
    expect(sampleSendStats([stat('candidate-pair', { nominated: true, state: 'in-progress', currentRoundTripTime: 1 })])).toEqual({ rtts: [], estimateKbps: null, lost: 0, sent: 0 });
  });
});

describe('sfuOrHttps', () => {
  it('takes the SFU test when it runs', async () => {
    const figures = { rttMs: 4, lossPct: 0.5, bitrateKbps: 2300, estimateKbps: 3000 };
    expect(await sfuOrHttps(async () => figures, async () => ({ rttMs: 99, bitrateKbps: 1 }))).toEqual({ ...figures, via: 'sfu' });
  });

  it('falls back to HTTPS, loss unknown, and says so', async () => {
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      const result = await sfuOrHttps(() => Promise.reject(new ProbeError('LIMIT')), async () => ({ rttMs: 20, bitrateKbps: 8000 }));
      expect(result).toEqual({ rttMs: 20, bitrateKbps: 8000, lossPct: null, estimateKbps: null, via: 'https' });
    } finally {
      console.warn = warn;
    }
  });

  it('does not fall back when the test was stopped on purpose (the page went on)', async () => {
    let httpsRan = false;
    const run = sfuOrHttps(() => Promise.reject(new ProbeError('ABORTED')), async () => ((httpsRan = true), { rttMs: 1, bitrateKbps: 1 }));
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    expect(httpsRan).toBe(false);
  });
});
