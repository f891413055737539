import { describe, expect, it } from 'vitest';
import { qualityLevel } from '@teleclass/shared';
import { QualityMeter } from '../src/kiosk/qualityMeter.js';
import { qualityFigures, siteAlerts } from '../src/view/siteHealth.js';
import { countdown, lectureToShow } from '../src/view/kiosk.js';
import { createI18n } from '../src/i18n/index.js';

const en = createI18n('en').t;

const snapshot = (received: number, lost: number, bytes: number, frames: number) => [
  { type: 'inbound-rtp', id: 'v', kind: 'video', packetsReceived: received, packetsLost: lost, bytesReceived: bytes, framesDecoded: frames, jitter: 0.004, freezeCount: 1 },
  { type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: 0.012 },
];

describe('a kiosk measuring what it receives', () => {
  it('turns two getStats snapshots into loss, bitrate, fps, jitter, RTT and freezes over the period', () => {
    const meter = new QualityMeter();
    meter.measure(snapshot(1000, 0, 1_000_000, 300), false, 0);
    const s = meter.measure(snapshot(1990, 10, 1_250_000, 360), false, 2000);
    expect(s).toEqual({ lossPct: 1, rttMs: 12, jitterMs: 4, bitrateKbps: 1000, fps: 30, freezes: 1, soundBlocked: false });
  });

  it('grades green, amber and red', () => {
    const good = { lossPct: 0, rttMs: 20, jitterMs: 3, bitrateKbps: 1200, fps: 30, freezes: 0, soundBlocked: false };
    expect(qualityLevel(good, 10)).toBe('green');
    expect(qualityLevel({ ...good, lossPct: 2 }, 10)).toBe('amber');
    expect(qualityLevel({ ...good, fps: 10 }, null)).toBe('amber');
    expect(qualityLevel({ ...good, lossPct: 8 }, 10)).toBe('red');
    expect(qualityLevel(good, 2)).toBe('red');
    expect(qualityLevel({ ...good, soundBlocked: true }, 10)).toBe('red');
  });

  it('says it in the studio: figures on hover, one sentence per alert', () => {
    const q = { lossPct: 0.44, rttMs: 12.2, jitterMs: 3, bitrateKbps: 1450.4, fps: 29.6, freezes: 0, soundBlocked: false, score: 10, layer: 2, level: 'green' as const, at: 0 };
    expect(qualityFigures(q, en)).toBe('loss 0.4 % · RTT 12 ms · jitter 3 ms · 1450 kbit/s · 30 fps · 0 freezes · score 10 · layer 2');
    expect(siteAlerts([
      { name: 'Sheki', siteId: null, state: 'absent', soundBlocked: false, quality: null, priority: null, alert: 'missing' },
      { name: 'Guba', siteId: null, state: 'connected', soundBlocked: false, quality: null, priority: 'camera-off', alert: null },
    ], en)).toEqual([{ name: 'Sheki', text: 'Sheki has not joined the live lecture' }]);
  });
});

describe('the kiosk idle screen', () => {
  it('counts down to the next lecture', () => {
    expect(countdown(10 * 60_000, 0, en)).toBe('in 10 min');
    expect(countdown(125 * 60_000, 0, en)).toBe('in 2 h 05 min');
    expect(countdown(50 * 3_600_000, 0, en)).toBe('in 2 d 2 h');
    expect(countdown(0, 1, en)).toBe('starting now');
    expect(countdown(125 * 60_000, 0, createI18n('az').t)).toBe('2 saat 05 dəq sonra');
    expect(countdown(10 * 60_000, 0, createI18n('ru').t)).toBe('через 10 мин');
  });

  it('shows the live lecture unless it saw it end already', () => {
    expect(lectureToShow(null, new Set())).toBeNull();
    expect(lectureToShow({ lectureId: 'a' }, new Set())).toBe('a');
    expect(lectureToShow({ lectureId: 'a' }, new Set(['a']))).toBeNull();
  });
});
